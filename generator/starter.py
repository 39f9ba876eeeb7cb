"""`new`: a starter source for a fund that has never been evaluated here.

An officer starting a fund should not have to read the format's documentation to know which keys
exist: the starter holds every field of the chosen 自评表 form, each under a one-line Chinese
comment saying what goes there with an example, and the placeholder 待填 where a value is still
to write. The file is valid from the start: `check` reports each placeholder as W-UNFILLED (and
nothing worse), and `build` makes a draft document from it. What the file holds is derived from the
data the rest of the pipeline uses (the form's 项目资金 rows and 指标 vocabulary, the outline's
sections, the form's column labels), so a form or outline added there gets a starter too.
"""
from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import profile as profiles
from . import vocabulary as vocab
from .compute import fmt_weight
from .diagnostics import WARNING, Diagnostic, SourceError
from .i18n import _
from .load import parse
from .paths import ROOT, TEMPLATES
from .write import write_text
from .yaml_nodes import load_data

SCHEMA = ROOT / "schema" / "evaluation.schema.json"
INDENT = "  "


@lru_cache(maxsize=1)
def starter_data() -> dict:
    return load_data(Path(__file__).with_name("starter.yaml").read_text(encoding="utf-8"))


def form_names() -> list[str]:
    return list(profiles.available())


def outline_names() -> list[str]:
    return sorted(p.name.removesuffix(".md.j2") for p in (TEMPLATES / "outlines").glob("*.md.j2")
                  if not p.name.startswith("_"))


def _fill(text: str, **values: Any) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


class _Writer:
    """Lines of YAML, each field under its comment."""

    def __init__(self, year: int):
        self.lines: list[str] = []
        self.year = year

    def comment(self, depth: int, key: str, example: str | None = None, **values: Any) -> None:
        what, default = starter_data()["fields"][key]
        example = default if example is None else example
        what, example = _fill(what, year=self.year, **values), _fill(example, year=self.year, **values)
        self.lines.append(f"{INDENT * depth}# {what}" + (f"。例：{example}" if example else ""))

    def field(self, depth: int, key: str, value: str, comment_key: str | None = None, **values: Any) -> None:
        self.comment(depth, comment_key or key, **values)
        self.lines.append(f"{INDENT * depth}{key}:" + (f" {value}" if value != "" else ""))

    def raw(self, line: str) -> None:
        self.lines.append(line)


def starter_text(target: Path, year: int, form: str, outline: str) -> str:
    """The starter source for `form` and `outline`, written to `target` (for the schema path)."""
    data, todo = starter_data(), vocab.placeholder()
    P = profiles.find(form, Path(target))
    labels = {c.key: c.heading for c in P.indicators.columns}
    w = _Writer(year)
    folder = Path(target).resolve().parent
    schema = (Path(os.path.relpath(SCHEMA, folder)).as_posix() if folder.is_relative_to(ROOT)
              else "../../schema/evaluation.schema.json")  # the sources/<year>/ layout of a checkout
    w.raw(f"# yaml-language-server: $schema={schema}")
    for line in data["header"]:
        w.raw("# " + _fill(line, year=year, form=form, outline=outline, path=Path(target).as_posix()))
    w.field(0, "year", str(year))
    for key in ("fund", "project", "department", "unit", "title"):
        w.field(0, key, todo)
    w.field(0, "subtitle", todo)
    w.field(0, "attachment", "1")
    w.field(0, "outline", outline)
    w.field(0, "form", form)
    if any(c.field == "period" for row in P.header for c in row):
        w.field(0, "period", todo)
    w.raw("")
    w.field(0, "budget", "")
    w.field(1, "weight", fmt_weight(P.budget_weight), comment_key="budget.weight")
    w.field(1, "lines", "")
    for line in P.budget_lines():
        w.raw(f"{INDENT * 2}{line}: {{}}")
    if P.fund_management_weight is not None:
        w.field(0, "fund_management", "")
        w.field(1, "weight", fmt_weight(P.fund_management_weight), comment_key="fund_management.weight")
    w.raw("")
    w.field(0, "goals", "")
    w.field(1, "expected", todo, comment_key="goals.expected")
    w.field(1, "actual", todo, comment_key="goals.actual")
    w.field(0, "survey", "")
    w.field(1, "method", todo, comment_key="survey.method")
    if P.text_rows():
        w.field(0, "form_texts", "")
        for row in P.text_rows():
            w.comment(1, "form_text", label=row.label)
            w.raw(f"{INDENT}{row.key}: {todo}")
    w.raw("")
    w.field(0, "indicators", "")
    for tier1 in P.tier1_names():
        weight = fmt_weight(P.default_weight(tier1))
        names = P.tier2_names(tier1)
        if not P.default_weight(tier1):
            continue   # a 一级 the form counts only when the unit gives it a weight
        w.comment(1, "tier1", weight=weight)
        w.raw(f"{INDENT}{tier1}:")
        w.comment(2, "tier2", names="、".join(names))
        w.raw(f"{INDENT * 2}{names[0]}:")
        item = INDENT * 3
        examples = dict(zip(("name", "target", "actual"), data.get("indicator_examples", {}).get(tier1, ())))
        w.comment(3, "name", examples.get("name"))
        w.raw(f"{item}- name: {todo}")
        for key in ("target", "actual"):
            w.comment(4, key, examples.get(key), label=labels.get(key) or vocab.field_label((key,)))
            w.raw(f"{item}  {key}:" + (f" {todo}" if key == "target" else ""))
        w.comment(4, "weight", weight=weight)
        w.raw(f"{item}  weight: {weight}")
        for key in ("direction", "unit", "tier", "score", "reason"):
            if key in ("direction", "unit") and not P.prints(key):
                continue
            comment_key = f"indicator.{key}" if key in ("direction", "unit") else key
            w.comment(4, comment_key, label=labels.get(key) or vocab.field_label((key,)))
            w.raw(f"{item}  # {key}: {starter_data()['fields'][comment_key][1]}")
    w.raw("")
    sections = vocab.outline_sections(outline)
    if sections:
        w.comment(0, "narrative")
        w.raw("narrative:")
    for key, heading in sections:
        w.comment(1, "section", heading=heading)
        w.raw(f"{INDENT}{key}: {todo}")
        if outline == "provincial" and key == "overview":
            rows = vocab.vocabulary()["fund_management_rows"]
            w.field(1, "fund_management", "", comment_key="narrative.fund_management")
            for row in rows:
                w.comment(2, "fund_management_row", row=row)
                w.raw(f"{INDENT * 2}{row}: {{situation: {todo}, improvement: {todo}}}")
    w.raw("")
    w.comment(0, "published")
    w.raw("# published:")
    w.raw("#   total: 95.99")
    return "\n".join(w.lines) + "\n"


# --- the check: placeholders still in the file ---------------------------------------------------


# --- the command ----------------------------------------------------------------------------------


def year_of(target: Path) -> int | None:
    """2024 for sources/2024/<slug>.yaml."""
    name = Path(target).parent.name
    return int(name) if name.isdigit() and len(name) == 4 else None


def add_arguments(parser) -> None:
    parser.add_argument("target", metavar="SOURCE", help=_("the file to write, e.g. sources/2024/<slug>.yaml "
                                                         "(or 2024/<slug>)"))
    parser.add_argument("--form", required=True, choices=form_names(), help=_("the 自评表 form"))
    parser.add_argument("--outline", choices=outline_names(),
                        help=_("the report outline (default: the one usual for the form)"))
    parser.add_argument("--year", type=int, help=_("the year evaluated (default: the folder's name)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite the file if it exists"))


def main_new(args) -> int:
    target = Path(args.target)
    if target.suffix not in (".yaml", ".yml"):
        target = Path("sources") / f"{args.target}.yaml"
    year = args.year or year_of(target)
    if year is None:
        print(_("new: cannot tell the year from {path}; put the file in sources/<year>/ or give --year").format(
            path=target), file=sys.stderr)
        return 2
    if target.exists() and not args.force:
        print(_("skipped {path} (exists; --force to overwrite)").format(path=target), file=sys.stderr)
        return 2
    outline = args.outline or starter_data()["outline_of_form"].get(args.form, outline_names()[0])
    text = starter_text(target, year, args.form, outline)
    try:
        parse(text, target)  # never write a file the generator cannot read back
        write_text(target, text)
    except SourceError as e:  # pragma: no cover — the starter is tested for every form
        print(str(e), file=sys.stderr)
        return 2
    except OSError as e:
        print(_("cannot write {path}: {reason}").format(path=target, reason=e.strerror or e), file=sys.stderr)
        return 2
    print(_("created {path}").format(path=target))
    return 0
