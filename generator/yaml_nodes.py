"""Compose a source's YAML into ruamel.yaml's node tree, with the C parser when it can be trusted.

ruamel.yaml's pure-Python composer was most of `check`'s time (~13 ms of a median source);
libyaml's, through ruamel.yaml.clib, composes the same tree in ~1.5 ms. load.py walks the nodes
itself, so what must be equal is the tree: kinds, values, tags, scalar styles and marks. The C
parser is paired here with the resolver the pure round-trip loader uses (YAML 1.2), not with
ruamel's C loaders' 1.1 resolver, so `yes` stays text and `010` stays ten either way.

The pure parser is kept for everything the C one might see differently and for every error:
a `%` directive (it changes the resolution), a character the pure reader refuses, a tab (the
pure scanner refuses tabs in places libyaml allows them), an empty value (below), and any
failure of the C parser, which is then parsed again by the pure one so that messages, lines
and columns stay exactly as before. tests/test_yaml_parsers.py proves the trees equal over the
bad-input catalogue, the samples and generated mutations.
"""
from __future__ import annotations

import io
import os
import re

from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode, SequenceNode
from ruamel.yaml.reader import Reader
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

try:
    from _ruamel_yaml import CParser
except ImportError:  # a platform without the wheel: the pure parser does it all
    CParser = None

# SELFEVAL_YAML=pure turns the C parser off (tests run both ways; a suspected parser difference
# can be confirmed by a user without changing code).
ENV = "SELFEVAL_YAML"
_DIRECTIVE = re.compile(r"^%", re.M)
# A block text whose first line holds only spaces: ruamel refuses a later blank line indented deeper
# ("more indented follow up line than first in a block scalar"), libyaml does not.
_BLANK_BLOCK_START = re.compile(r"[|>][-+1-9]*[ ]*(?:#[^\n]*)?\r?\n[ ]+\r?\n")
# `key: >#`: libyaml takes the `#` for a comment, ruamel wants a space before it.
_HASH_AFTER_HEADER = re.compile(r"[|>][-+1-9]*#")
# Line breaks that YAML 1.1 (libyaml) and ruamel may count differently.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_FOR_THE_PURE_PARSER = (_DIRECTIVE, _BLANK_BLOCK_START, _HASH_AFTER_HEADER, _ODD_BREAKS, Reader.NON_PRINTABLE)


_RULES: dict = {}   # first character → ((tag, pattern), …): YAML 1.2's implicit types


if CParser is not None:
    class _CComposer(CParser, VersionedResolver):
        """libyaml's events composed into nodes, tags resolved by the round-trip loader's rules."""

        def __init__(self, text: str):
            CParser.__init__(self, text)
            self._parser = self._composer = self
            VersionedResolver.__init__(self, version=None, loadumper=self)
            if not _RULES:
                _RULES.update({first: tuple((Tag(suffix=tag), regexp) for tag, regexp in rules)
                               for first, rules in self.versioned_resolver.items()})

        def resolve(self, kind, value, implicit):
            """VersionedResolver.resolve, YAML 1.2, without looking the version up again for each
            of a source's thousands of scalars (it was a third of the C parser's time)."""
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in (*_RULES.get(value[:1], ()), *_RULES.get(None, ())):
                        if regexp.match(value):
                            return tag
                return self.DEFAULT_SCALAR_TAG
            return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


def c_available() -> bool:
    return CParser is not None and os.environ.get(ENV, "").lower() != "pure"


def compose_pure(text: str) -> list:
    nodes = list(YAML(typ="rt").compose_all(io.StringIO(text)))
    for root in nodes:
        _unmark_folds(root)
    return nodes


def _unmark_folds(root) -> None:
    """ruamel's round-trip scanner marks each fold of a `>` text with U+0007 for its own
    constructor, which load.py does not use; a folded narrative then failed E-CONTROL. The
    reader refuses a typed U+0007, so every one in a folded text is such a mark."""
    for node in _nodes(root):
        if isinstance(node, ScalarNode) and node.style == ">" and "\a" in node.value:
            node.value = node.value.replace("\a", "")


def _nodes(root):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        value = node.value
        if isinstance(value, str):
            continue
        if value and isinstance(value[0], tuple):
            for pair in value:
                stack.extend(pair)
        else:
            stack.extend(value)


def compose_c(text: str) -> list | None:
    """The documents' nodes from libyaml, or None when this text is for the pure parser."""
    if "\t" in text or any(p.search(text) for p in _FOR_THE_PURE_PARSER):
        return None
    try:
        parser = _CComposer(text)
        nodes = []
        while parser.check_node():
            nodes.append(parser.get_node())
    except Exception:  # noqa: BLE001 — any complaint is phrased by the pure parser, as before
        return None
    return None if any(_has_empty_value(n) for n in nodes) else nodes


def _has_empty_value(root) -> bool:
    """An empty value (`name:` with nothing after it) is marked where libyaml's parser stands, right
    after the colon, but ruamel's round-trip parser marks it at the next token, and messages about
    empty fields point there: such a file is left to the pure parser."""
    return any(isinstance(node, ScalarNode) and node.value == "" and not node.style for node in _nodes(root))


def compose(text: str) -> list:
    """The node trees of every document in `text`; raises ruamel.yaml's pure parser's errors."""
    nodes = compose_c(text) if c_available() else None
    return compose_pure(text) if nodes is None else nodes


if CParser is not None:
    from ruamel.yaml.constructor import SafeConstructor

    class _CData(_CComposer, SafeConstructor):
        """_CComposer's nodes made into plain Python data by the safe loader's constructor."""

        def __init__(self, text: str):
            _CComposer.__init__(self, text)
            SafeConstructor.__init__(self, loader=self)


def load_data(text: str):
    """A data file of our own (vocabulary, styles, form profiles read as plain data) as
    `YAML(typ="safe").load` gives it, composed by libyaml with the table resolver above: a cold
    build reads half a dozen such files, and ruamel's resolver looked the YAML version up for each of
    their scalars. Anything the C parser should not see, or any complaint, goes to the safe loader,
    whose data and messages are the reference (tests/test_yaml_parsers.py compares every shipped
    file)."""
    if c_available() and "\t" not in text and not any(p.search(text) for p in _FOR_THE_PURE_PARSER):
        try:
            loader = _CData(text)
            try:
                return loader.get_single_data()
            finally:
                loader.dispose()
        except Exception:  # noqa: BLE001 — phrased, if it is an error, by the safe loader below
            pass
    return YAML(typ="safe").load(text)
