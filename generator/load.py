"""Read a source file into plain data plus a map from data path to line:column.

We walk ruamel.yaml's composed node tree ourselves instead of constructing objects: this keeps
every scalar's position, turns numbers into `Decimal` from the text the user wrote ("193.00" stays
193.00, never a float), refuses any tag beyond YAML's core schema (no object construction is ever
possible) and reports duplicate keys, which YAML parsers otherwise resolve silently.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .diagnostics import ERROR, Diagnostic, SourceError
from .i18n import N_, _
from .ime import scan
from .yaml_nodes import compose

CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
VALUE_KEY = CORE + "value"


@dataclass
class Source:
    path: Path
    data: Any
    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # Values written as block scalars (| or >): their text starts on the line after the mark.
    blocks: set[tuple] = field(default_factory=set)

    def position(self, path: tuple, at_key: bool = False) -> tuple[tuple, tuple[int, int]] | None:
        """The nearest path that exists in the file (the path itself, else an ancestor) and the
        1-based line and column of its value, or of its key when `at_key`."""
        p = tuple(path)
        table = self.keys if at_key else self.values
        while True:
            if p in table:
                return p, table[p]
            if at_key and p in self.values:
                return p, self.values[p]
            if not p:
                return None
            p = p[:-1]
            table = self.values

    def locate(self, d: Diagnostic) -> Diagnostic:
        found = self.position(d.path, d.at_key)
        if found is None:
            return dataclasses.replace(d, file=self.path)
        where, (line, col) = found
        if d.line_offset:
            # A line inside a multi-line text: count from where the text itself starts.
            line += d.line_offset + (1 if where in self.blocks else 0)
        return dataclasses.replace(d, file=self.path, line=line, column=col, line_offset=0)


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: ScalarNode) -> Any:
    tag, text = node.tag, node.value
    if tag == CORE + "null":
        return None
    if tag == CORE + "bool":
        return text.lower() == "true"
    if tag in (CORE + "int", CORE + "float"):
        try:
            return Decimal(text.replace("_", ""))
        except InvalidOperation:  # .inf, .nan and friends: keep the text, validation rejects it
            return text
    return text


class _Walker:
    def __init__(self, source: Source):
        self.source = source
        self.problems: list[Diagnostic] = []

    def problem(self, code: str, message: str, node, path: tuple) -> None:
        line, col = _mark(node)
        self.problems.append(Diagnostic(code, ERROR, message, path, False, self.source.path, line, col))

    def walk(self, node, path: tuple) -> Any:
        self.source.values[path] = _mark(node)
        tag = node.tag if isinstance(node.tag, str) else str(node.tag)
        if tag == VALUE_KEY and isinstance(node, ScalarNode) and not node.style:   # plain: None, or "" (libyaml)
            return node.value   # a bare "=" (指标性质) is YAML 1.1's value key: the officer means the sign
        if tag not in ALLOWED_TAGS:
            self.problem("E-YAML-TAG", _("the tag {tag} is not allowed; sources hold plain text, numbers, "
                                         "lists and mappings only").format(tag=tag.replace(CORE, "!!")), node, path)
            return None
        if isinstance(node, ScalarNode):
            if node.style in ("|", ">"):
                self.source.blocks.add(path)
            return _scalar(node)
        if isinstance(node, SequenceNode):
            return [self.walk(child, path + (i,)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.problem("E-YAML-KEY", _("a key must be plain text"), key_node, path)
                    continue
                key = key_node.value
                if key == "<<":
                    self.problem("E-YAML-MERGE", _("merge keys (<<) are not supported; write the "
                                                   "values out"), key_node, path)
                    continue
                if key in out:
                    first = self.source.keys[path + (key,)]
                    self.problem("E-YAML-DUPLICATE", _("the key '{key}' appears twice in this mapping "
                                                       "(first at line {line})").format(key=key, line=first[0]),
                                 key_node, path + (key,))
                    continue
                self.source.keys[path + (key,)] = _mark(key_node)
                out[key] = self.walk(value_node, path + (key,))
            return out
        raise AssertionError(f"unexpected node {node!r}")  # pragma: no cover


# ruamel.yaml's most frequent complaints, marked for translation (the text stays ruamel's in English).
_PARSER_PROBLEMS = (N_("mapping values are not allowed here"), N_("could not find expected ':'"),
                    N_("found character '\\t' that cannot start any token"),
                    N_("expected ',' or '}', but got ':'"), N_("expected ',' or ']', but got ':'"),
                    N_("expected <block end>, but found '-'"), N_("expected <block end>, but found '?'"),
                    N_("expected <block end>, but found '<scalar>'"))


def _syntax_problem(e: MarkedYAMLError, path: Path) -> Diagnostic:
    """ruamel.yaml's complaint, pointed where the fix goes: an unclosed quote or bracket is
    reported by the parser at the end of the file, but the user must look where it opened."""
    problem = (e.problem or e.context or "invalid YAML").strip()
    known = problem in _PARSER_PROBLEMS
    undefined = re.fullmatch(r"found undefined alias '(.*)'", problem)
    mark = e.problem_mark or e.context_mark
    if e.context and e.context_mark is not None and "end of stream" in problem:
        mark = e.context_mark
        what = {"while scanning a quoted scalar": _("a quoted text starts here and is never closed (the file "
                                                    "ends first)"),
                "while parsing a flow mapping": _("a { … } mapping starts here and is never closed (the file "
                                                  "ends first)"),
                "while parsing a flow sequence": _("a [ … ] list starts here and is never closed (the file "
                                                   "ends first)")}
        problem = what.get(e.context.strip()) or _("{what} and is never closed (the file ends first)").format(
            what=e.context.strip())
    tab = "'\\t'" in problem
    if known:
        problem = _(problem)
    elif undefined:
        problem = _("found undefined alias '{name}'").format(name=undefined.group(1))
    if tab:
        problem += _(" (indent with spaces, not tabs)")
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Diagnostic("E-YAML", ERROR, _("YAML syntax: {problem}").format(problem=problem), (), False, path, line, col)


def _ime_slips(text: str, path: Path, before_line: int | None = None) -> list[Diagnostic]:
    """The input method's punctuation in the structure (see ime.py), up to `before_line`."""
    return [Diagnostic("E-IME", ERROR, s.message, (), False, path, s.line, s.column)
            for s in scan(text) if before_line is None or s.line <= before_line]


def parse(text: str, path: Path) -> Source:
    source = Source(path=path, data=None)
    try:
        nodes = compose(text)
    except MarkedYAMLError as e:
        # An IME slip at or before the place YAML gave up is what broke it: name that instead.
        problem = _syntax_problem(e, path)
        raise SourceError(_ime_slips(text, path, problem.line) or [problem])
    except ReaderError as e:  # a control character, often pasted from Word or a web page
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        raise SourceError([Diagnostic("E-YAML", ERROR, _(
            "the text holds the control character U+{code}, which cannot be printed; delete it (it is often "
            "pasted in from Word or a web page)").format(code=f"{e.character:04X}"), (), False, path, line, col)])
    except YAMLError as e:
        raise SourceError([Diagnostic("E-YAML", ERROR, _("YAML: {error}").format(error=e), (), False, path, 1, 1)])
    if len(nodes) != 1 or nodes[0] is None:
        what = (_("the file is empty; it must hold one evaluation") if not nodes or nodes[0] is None
                else _("the file holds several YAML documents; it must hold one evaluation"))
        raise SourceError([Diagnostic("E-YAML", ERROR, what, (), False, path, 1, 1)])
    slips = _ime_slips(text, path)  # valid YAML, but not the structure the officer typed
    if slips:
        raise SourceError(slips)
    walker = _Walker(source)
    source.data = walker.walk(nodes[0], ())
    if walker.problems:
        raise SourceError(walker.problems)
    return source


def load(path: Path) -> Source:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SourceError([Diagnostic("E-FILE", ERROR, _("cannot read the file: {reason}").format(reason=e.strerror),
                                      (), False, path)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError([Diagnostic("E-ENCODING", ERROR, _("the file is not UTF-8 (byte {at}); save it as "
                                                             "UTF-8").format(at=e.start), (), False, path, 1, 1)])
    return parse(text, path)
