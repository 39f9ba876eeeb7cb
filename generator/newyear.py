"""`new-year`: start next year's sources from last year's, keeping the structure and dropping
the past year's results.

A finance office evaluates the same fund every year with the same indicators and targets, so the
cheapest correct start is last year's file minus everything that was a fact or a judgement of last
year: 实际完成值, 全年执行数, the budget amounts (next year's budget is not known yet), tiers,
scores, 偏差原因, published figures and the narrative's texts. What names the evaluated year (the
period, titles, goals, headings) moves on by one year, and each such change is reported; what a unit
reuses every year (its method and working process) is kept under a marker; every emptied field is
left as something `check` reports; comments that quote last year's figures are listed for review.
The file is edited with ruamel.yaml
in round-trip mode so that the officer's comments, key order, quoting and layout survive: these
files are read and diffed by people, and a tool that reformats them would bury its real change.
"""
from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import (DoubleQuotedScalarString, FoldedScalarString,
                                      LiteralScalarString, ScalarString)
from ruamel.yaml.tokens import CommentToken

from . import vocabulary as vocab
from .diagnostics import SourceError
from .i18n import _
from .load import load, parse
from .vocabulary import TODO_MARKER, field_label
from .write import write_text
from .yaml_nodes import load_data


@lru_cache(maxsize=1)
def _data() -> dict:
    return load_data(Path(__file__).with_name("newyear.yaml").read_text(encoding="utf-8"))


TODO_TEXT = TODO_MARKER + ": 填写{year}年度情况"
# Last year's 全年预算数, left as an end-of-line comment on each emptied 项目资金 row.
BUDGET_HINT = _data()["budget_hint"]
CARRY_OVER_HINT = _data()["carry_over_hint"]
REUSED_MARKER = vocab.reused_marker()

INDICATOR_RESULTS = ("actual", "tier", "score", "reason", "published_score")
BUDGET_AMOUNTS = ("initial", "adjusted", "executed")


@dataclass
class Change:
    """One thing new-year wrote that a person should know about, at its line in the new file."""
    line: int
    what: str


@dataclass
class NewYearReport:
    created: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)   # the target exists and force was not given
    failed: list[tuple[Path, str]] = field(default_factory=list)
    changes: dict[Path, list[Change]] = field(default_factory=dict)


def round_trip_yaml() -> YAML:
    """The sources' own layout (mapping 2, sequence 4 with the dash at offset 2, quotes as typed,
    no re-wrapping of long Chinese lines), so an unchanged file dumps byte-identical."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def round_trip(text: str) -> str:
    yaml = round_trip_yaml()
    out = io.StringIO()
    yaml.dump(yaml.load(text), out)
    return out.getvalue()


# --- keeping comments when keys go ---------------------------------------------------------------
# ruamel hangs a comment on the node *before* it, so deleting a key would delete the comments that
# follow its value, including those introducing the next key. They move to the node before.


def _flat(slot: Any) -> list[CommentToken]:
    return [t for t in (slot if isinstance(slot, list) else [slot]) if t is not None]


def _tokens(node: Any) -> list[tuple[CommentToken, bool]]:
    """Every comment token in and under `node`, each with whether its first line is an end-of-line
    comment (a token after a value starts on the value's line, unless the value is a `|` block)."""
    found: list[tuple[CommentToken, bool]] = []
    ca = getattr(node, "ca", None)
    if ca is not None:
        for i, slot in enumerate(ca.comment or []):
            found.extend((t, i == 0) for t in _flat(slot))
        after = 0 if isinstance(node, list) else 2
        for key, entry in ca.items.items():
            try:
                block = isinstance(node[key], (LiteralScalarString, FoldedScalarString))
            except (KeyError, IndexError):
                block = False
            for i, slot in enumerate(entry):
                found.extend((t, i == after and not block) for t in _flat(slot))
    for value in (node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()):
        found.extend(_tokens(value))
    return found


def _comment_lines(container: CommentedMap, key: Any) -> list[str]:
    """The lines (comments and blank lines) that follow or sit inside `container[key]`, in document
    order. An end-of-line comment on a removed line becomes a full line at the key's column."""
    probe = CommentedMap()
    probe[key] = container[key]
    probe.ca.items[key] = container.ca.items.get(key, [])
    col = container.lc.key(key)[1]
    lines: list[str] = []
    tokens = {id(t): (t, eol) for t, eol in _tokens(probe)}.values()
    for t, eol in sorted(tokens, key=lambda te: getattr(te[0].start_mark, "line", 0)):
        first, *rest = t.value.split("\n")
        if first:
            lines.append(" " * (col if eol else t.column) + first.lstrip(" "))
        lines.extend(rest[:-1])
    return lines


def _tail(container: Any, key: Any) -> tuple[Any, Any]:
    """The (container, key) whose value is printed last within `container[key]`."""
    value = container[key]
    while isinstance(value, (CommentedMap, CommentedSeq)) and value and not value.fa.flow_style():
        container, key = value, (list(value)[-1] if isinstance(value, dict) else len(value) - 1)
        value = container[key]
    return container, key


def _append_comments(container: Any, key: Any, lines: list[str]) -> None:
    if not lines:
        return
    container, key = _tail(container, key)
    slot = 2 if isinstance(container, dict) else 0
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    text = "".join(line + "\n" for line in lines)
    if entry[slot] is not None:
        entry[slot].value = entry[slot].value.rstrip(" ") + ("" if entry[slot].value.endswith("\n") else "\n") + text
    elif isinstance(container[key], (LiteralScalarString, FoldedScalarString)):
        # After a block scalar the comment starts on a line of its own, at the token's column.
        first = lines[0]
        entry[slot] = CommentToken(text.lstrip(" "), CommentMark(len(first) - len(first.lstrip(" "))))
    else:
        entry[slot] = CommentToken("\n" + text, CommentMark(0))


def _delete(container: CommentedMap, key: Any) -> None:
    """Remove a key, moving the comments it carried to the node printed before it."""
    if key not in container:
        return
    lines = _comment_lines(container, key)
    keys = list(container)
    i = keys.index(key)
    del container[key]
    container.ca.items.pop(key, None)
    if i > 0:
        _append_comments(container, keys[i - 1], lines)
    elif len(keys) > 1 and lines:  # nothing before it: the comments go before the next key
        container.yaml_set_comment_before_key(
            keys[1], "\n".join(line.strip().lstrip("#").strip() for line in lines if line.strip()),
            indent=container.lc.key(keys[1])[1])


# --- the rollover ---------------------------------------------------------------------------------


def _restyled(old: Any, text: str) -> Any:
    """`text` in the style `old` was written in: a `|` block stays a block, a plain scalar that
    now needs quotes ("TODO: …" holds ': ') gets the double quotes the sources use."""
    if isinstance(old, (LiteralScalarString, FoldedScalarString)):
        return type(old)(text + ("\n" if str(old).endswith("\n") else ""))
    if isinstance(old, ScalarString):
        return type(old)(text)
    return DoubleQuotedScalarString(text)


def bump_years(text: str, from_year: int, to_year: int) -> str:
    """'2023年度…' → '2024年度…': the evaluated year where it names a year (followed by 年), and
    only that year ('较2021年' stays)."""
    return re.sub(rf"(?<!\d){from_year}(?=\s*年)", str(to_year), text)


def bump_period(text: str, from_year: int, to_year: int) -> str:
    """A one-year 项目总实施期 ('2023年1月—2023年12月') moves on; a multi-year one stays."""
    years = set(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text))
    return re.sub(rf"(?<!\d){from_year}(?!\d)", str(to_year), text) if years == {str(from_year)} else text


class _Rollover:
    """One source's rollover: the edits on the round-trip data, and what a person should hear of."""

    def __init__(self, from_year: int, to_year: int):
        self.from_year, self.to_year = from_year, to_year
        self.changes: list[tuple[str, str]] = []   # (text to find in the new file, what changed)

    def bump(self, node: Any, key: Any, label: str, period: bool = False) -> None:
        old = node.get(key) if isinstance(node, dict) else None
        if not isinstance(old, str):
            return
        new = (bump_period if period else bump_years)(str(old), self.from_year, self.to_year)
        if new != old:
            node[key] = type(old)(new) if isinstance(old, ScalarString) else new
            self.changes.append((new.strip().splitlines()[0], _("{label}: {old} → {new}").format(
                label=label, old=_first_line(old), new=_first_line(new))))

    def narrative(self, node: Any, todo: str, reused: tuple = ()) -> None:
        """Keep every heading (`title`, its year moved on) and the structure; every text becomes
        the TODO marker, except the sections in `reused`, which keep their text under a marker."""
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if key in reused:
                marked = self.reuse(node, key)
                if marked:
                    self.changes.append((marked, _("kept from last year under the marker, to read again: "
                                                   "{section}").format(section=key)))
            elif key == "title":
                self.bump(node, key, _("heading"))
            elif key == "amount" and isinstance(node, dict):
                _delete(node, key)
            elif isinstance(value, (dict, list)):
                self.narrative(value, todo)
            else:
                node[key] = _restyled(value, todo)

    def reuse(self, node: Any, key: Any) -> str | None:
        """Prefix the section's first text with the marker (once: a second rollover adds none);
        returns the start of the marked line, to find it in the new file."""
        value = node[key]
        if isinstance(value, str):
            if not str(value).startswith(REUSED_MARKER):
                node[key] = _restyled(value, REUSED_MARKER + str(value).rstrip("\n"))
            return str(node[key]).strip().splitlines()[0][:30]
        children = value.items() if isinstance(value, dict) else enumerate(value)
        for child, text in list(children):
            if child not in ("title", "amount") and isinstance(text, (dict, list, str)):
                return self.reuse(value, child)
        return None


def _first_line(text: str) -> str:
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return line if len(line) <= 40 else line[:40] + "…"


def _budget_lines(lines: Any, plain_lines: dict, balance: str | None = None) -> None:
    """Empty each 项目资金 row (`{}`, the form's blank cells) and leave last year's 全年预算数
    beside it as an end-of-line hint, so the officer sees the order of magnitude to expect; the
    上年结转资金 row gets last year's 结余 instead (`balance`, as compute writes it), which is what
    carries over."""
    for label, amounts in lines.items():
        if not isinstance(amounts, CommentedMap):
            continue
        moved = [line for key in BUDGET_AMOUNTS if key in amounts for line in _comment_lines(amounts, key)]
        for key in BUDGET_AMOUNTS:
            amounts.pop(key, None)
            amounts.ca.items.pop(key, None)
        if not amounts:
            amounts.fa.set_flow_style()
        row = plain_lines.get(label)
        adjusted = row.get("adjusted") if isinstance(row, dict) else None
        entry = lines.ca.items.setdefault(label, [None, None, None, None])
        col = lines.lc.key(label)[1] if label in lines.lc.data else lines.lc.key(next(iter(lines.lc.data)))[1]
        eol, _, after = (entry[2].value if entry[2] is not None else "\n").partition("\n")
        eol = eol.strip()
        # a row never filled since the last rollover
        stale = eol.startswith(("# " + BUDGET_HINT.split("{")[0], "# " + CARRY_OVER_HINT.split("{")[0]))
        if eol and not stale:  # the row's own end-of-line comment moves to a line below the hint
            moved.insert(0, " " * col + eol)
        if label == _data()["carry_over_line"] and balance:
            hint = "# " + CARRY_OVER_HINT.format(amount=balance)
        elif isinstance(adjusted, Decimal):
            hint = "# " + BUDGET_HINT.format(amount=format(adjusted, "f"))
        else:
            hint = eol if stale else ""
        after = hint + "\n" + "".join(line + "\n" for line in moved) + after
        if after != "\n":
            entry[2] = CommentToken(after, CommentMark(col + len(f"{label}: {{}}") + 2))
            amounts.ca.comment = None  # the row's own copy of its old end-of-line comment


def _add_carry_over_row(lines: CommentedMap, form: Any, balance: str | None) -> str | None:
    """Last year left money unspent but its form had no 上年结转资金 row: this year's will need
    one. It is added empty, in the form's order, for `_budget_lines` to give it its hint."""
    from . import profile
    carry = _data()["carry_over_line"]
    found = profile.find(form) if isinstance(form, str) else None
    order = found.budget_lines() if found else []
    if not balance or Decimal(balance) <= 0 or carry not in order or carry in lines or not lines.lc.data:
        return None
    row = CommentedMap()
    row.fa.set_flow_style()
    lines.insert(sum(1 for label in order[:order.index(carry)] if label in lines), carry, row)
    return carry


def roll_over(text: str, from_year: int, to_year: int, plain: dict | None = None, balance: str | None = None) -> str:
    """One source's text for the next year. `plain` is the file as `load.parse` reads it (parsed
    here when not given): its numbers keep the digits typed (193.00) for the budget hints.
    `balance`: last year's 结余 as compute.fmt_money writes it, for the 上年结转资金 hint."""
    return roll_over_reporting(text, from_year, to_year, plain, balance)[0]


def roll_over_reporting(text: str, from_year: int, to_year: int, plain: dict | None = None,
                        balance: str | None = None) -> tuple[str, list[Change]]:
    """`roll_over`, and the changes a person should hear of, each at its line in the new text."""
    plain = parse(text, Path("<source>")).data if plain is None else plain
    yaml = round_trip_yaml()
    data = yaml.load(text)
    run = _Rollover(from_year, to_year)
    if "year" in data:
        data["year"] = to_year
    for key in ("title", "subtitle"):
        run.bump(data, key, field_label((key,)))
    run.bump(data, "period", field_label(("period",)), period=True)
    budget = data.get("budget")
    if isinstance(budget, dict) and isinstance(budget.get("lines"), dict):
        added = _add_carry_over_row(budget["lines"], data.get("form"), balance)
        if added:
            run.changes.append((f"{added}: {{}}", _("{label}: row added for last year's 结余, which carries over").format(
                label=added)))
        _budget_lines(budget["lines"], plain.get("budget", {}).get("lines") or {}, balance)
    if isinstance(data.get("fund_management"), dict):
        _delete(data["fund_management"], "score")
    goals = data.get("goals")
    if isinstance(goals, dict):
        run.bump(goals, "expected", field_label(("goals", "expected")))
    if isinstance(goals, dict) and "actual" in goals:
        goals["actual"] = vocab.placeholder()  # check says W-UNFILLED until this year's is written
    for groups in (data.get("indicators") or {}).values():
        for entries in (groups or {}).values() if isinstance(groups, dict) else ():
            for entry in entries or ():
                if not isinstance(entry, dict):
                    continue
                for key in INDICATOR_RESULTS:
                    _delete(entry, key)
                for member in entry.get("members") or ():
                    if isinstance(member, dict):
                        _delete(member, "actual")
    if isinstance(data.get("narrative"), (dict, list)):
        reused = tuple(_data()["reused_sections"]) if data.get("outline") == "reference" else ()
        run.narrative(data["narrative"], TODO_TEXT.format(year=to_year), reused)
    _delete(data, "published")
    _delete(data, "survey")  # last year's 满意度调查 does not answer this year's 满意度
    out = io.StringIO()
    yaml.dump(data, out)
    new = out.getvalue()
    return new, _locate(new, run.changes) + _stale_comments(new, from_year)


def _locate(text: str, changes: list[tuple[str, str]]) -> list[Change]:
    lines = text.splitlines()
    found = []
    for needle, what in changes:
        line = next((i for i, line in enumerate(lines, 1) if needle in line), 0)
        found.append(Change(line, what))
    return found


_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|%|分)")


def _stale_comments(text: str, from_year: int) -> list[Change]:
    """Comments that quote figures or name last year: true of last year, maybe not of this one.
    The hints new-year writes itself are not listed."""
    own = ("# " + BUDGET_HINT.split("{")[0], "# " + CARRY_OVER_HINT.split("{")[0])
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*(#.*)$", line) or re.search(r"\s(#\s.*)$", line)
        if not m or m.group(1).startswith(own) or "yaml-language-server" in m.group(1):
            continue
        if _FIGURE.search(m.group(1)) or re.search(rf"(?<!\d){from_year}(?!\d)", m.group(1)):
            found.append(Change(number, _("review this comment, written about last year's figures: {comment}").format(
                comment=_first_line(m.group(1)))))
    return found


# --- the folder -----------------------------------------------------------------------------------


def new_year(sources_root: Path, from_year: int, to_year: int, only: str | None = None,
             force: bool = False) -> NewYearReport:
    """Create sources_root/<to_year>/<slug>.yaml from sources_root/<from_year>/<slug>.yaml.

    An existing target is the officer's work in progress: it is skipped unless `force`. Each file
    is written atomically, so an interrupted run leaves whole files or none. A source that cannot
    be read is reported with the project's own located message and the others still roll over.
    """
    if to_year <= from_year:
        raise ValueError(_("the new year ({to}) must come after {start}").format(to=to_year, start=from_year))
    report = NewYearReport()
    src_dir, dst_dir = Path(sources_root) / str(from_year), Path(sources_root) / str(to_year)
    if only is not None and (not only or Path(only).name != only):
        raise ValueError(_("--only takes a fund's slug (the file name without .yaml), not '{only}'").format(only=only))
    paths = [src_dir / f"{only.removesuffix('.yaml')}.yaml"] if only else sorted(src_dir.glob("*.yaml"))
    if not paths:
        report.failed.append((src_dir, _("no sources for {year} (nothing matches {pattern})").format(
            year=from_year, pattern=f"{src_dir}/*.yaml")))
    for path in paths:
        target = dst_dir / path.name
        if not path.is_file():
            report.failed.append((path, _("no such source")))
            continue
        if target.exists() and not force:
            report.skipped.append(target)
            continue
        try:
            plain = load(path)  # the project's own checks and messages: file, encoding, YAML, keys
            text, changes = roll_over_reporting(path.read_bytes().decode("utf-8-sig"), from_year, to_year,
                                                plain.data, _last_balance(plain))
            parse(text, target)  # never write a file the generator cannot read back
        except SourceError as e:
            report.failed.append((path, str(e)))
            continue
        except (OSError, YAMLError) as e:
            report.failed.append((path, _("cannot roll over: {error}").format(error=e)))
            continue
        try:
            write_text(target, text)
        except OSError as e:
            report.failed.append((target, _("cannot write the file: {reason}").format(reason=e.strerror or e)))
        else:
            report.created.append(target)
            report.changes[target] = changes
    return report


def _last_balance(source) -> str | None:
    """Last year's 结余 as compute writes it, or None when the source does not compute."""
    from .compute import compute, fmt_money
    from .validate import validate
    try:
        return fmt_money(compute(validate(source)).balance) or None
    except SourceError:
        return None


def todo_count(text: str) -> int:
    """How many TODO markers remain in the values of a source (comments are not counted: a note to
    colleagues is not an unfilled section). Unparseable text is counted as raw text."""
    try:
        data = parse(text, Path("<source>")).data
    except SourceError:
        return text.count(TODO_MARKER)

    def count(node: Any) -> int:
        if isinstance(node, dict):
            return sum(count(v) for v in node.values())
        if isinstance(node, list):
            return sum(count(v) for v in node)
        return str(node).count(TODO_MARKER) if isinstance(node, str) else 0
    return count(data)


def add_arguments(parser) -> None:
    """The `new-year` options, so the CLI and `main_new_year` agree on their names."""
    parser.add_argument("from_year", type=int, metavar="FROM", help=_("the year to start from, e.g. 2022"))
    parser.add_argument("to_year", type=int, metavar="TO", help=_("the new year, e.g. 2023"))
    parser.add_argument("--only", metavar="SLUG", help=_("roll over one fund (sources/FROM/SLUG.yaml)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite sources that already exist for TO"))
    parser.add_argument("--root", default="sources", help=_("the sources folder (default: sources)"))


def main_new_year(args) -> int:
    """Run `new-year` for parsed arguments (from_year, to_year, and optionally only, force, root).
    Exit 0 when every source rolled over or was skipped, 2 when one could not be read or written."""
    try:
        report = new_year(Path(getattr(args, "root", "sources")), args.from_year, args.to_year,
                          getattr(args, "only", None), getattr(args, "force", False))
    except ValueError as e:
        print(_("new-year: {error}").format(error=e), file=sys.stderr)
        return 2
    for path in report.created:
        print(_("created {path}").format(path=path))
        for change in report.changes.get(path, ()):
            print(f"  {path}:{change.line}: {change.what}")
    for path in report.skipped:
        print(_("skipped {path} (exists; --force to overwrite)").format(path=path))
    for path, message in report.failed:
        print(_("failed {path}: {message}").format(path=path, message=message), file=sys.stderr)
    return 2 if report.failed else 0
