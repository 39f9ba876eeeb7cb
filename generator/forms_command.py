"""`forms`: which form profiles there are and where each comes from; `forms show NAME`: its layout.

An officer choosing `form:` for a new source, or a bureau writing its own profile, sees the table a
profile lays out without building a report: the demonstration evaluation has one indicator under the
first suggested 二级 of every 一级 that has a weight, and placeholders for every typed value.
"""
from __future__ import annotations

import sys
from pathlib import Path

from . import profile as profiles
from .compute import compute
from .diagnostics import SourceError
from .i18n import _, join
from .layout import score_table
from .model import Evaluation
from .review import grid_facts
from .validate import with_profile


def demonstration(P: profiles.Profile) -> Evaluation:
    """An evaluation that fills every cell the profile prints, with the profile attached."""
    blank = "（{}）".format
    indicators = {t1: {(P.tier2_names(t1) or [blank("二级指标")])[0]: [
        {"name": blank("三级指标"), "target": "≥100", "actual": "100", "weight": P.default_weight(t1)}]}
        for t1 in P.tier1_names() if P.default_weight(t1)}
    data = {"year": 2024, "fund": blank("专项名称"), "project": blank("项目名称"), "department": blank("主管部门"),
            "unit": blank("实施单位"), "title": blank("报告标题"), "outline": "none", "form": P.name,
            "period": blank("实施期"), "budget": {"lines": {line: {"initial": 100, "adjusted": 100, "executed": 90}
                                                            for line in P.budget_lines()[:1]}},
            "indicators": indicators, "form_texts": {r.key: blank(r.label) for r in P.text_rows()}}
    ev = with_profile(Evaluation.model_validate(data), P)
    ev._profile = P
    return ev


def cmd_forms(args) -> int:
    here = Path(args.root) / "2000" / "x.yaml"   # where a source of this repository would be
    found = profiles.available(here)
    if not args.show:
        for name, path in found.items():
            try:
                follows = profiles.read(path).follows
            except SourceError as e:
                follows = _("(broken: {first})").format(first=e.diagnostics[0].format())
            print(f"{name:<12} {follows}  [{path}]")
        return 0
    if args.show not in found:
        print(_("no form profile '{name}'; the forms are {names}").format(
            name=args.show, names=join(list(found))), file=sys.stderr)
        return 2
    P = profiles.read(found[args.show])
    ev = demonstration(P)
    print(f"{P.name}: {P.follows}")
    print(_("file: {files}").format(files=" ← ".join(reversed(P.files))))
    print("\n".join(grid_facts(score_table(ev, compute(ev)))))
    return 0


def add_arguments(parser) -> None:
    parser.add_argument("show", nargs="?", metavar="NAME", help=_("print the table this profile lays out"))
    parser.add_argument("--root", default="sources", help=_("sources folder (default: sources)"))
    parser.set_defaults(func=cmd_forms)
