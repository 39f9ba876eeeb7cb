"""W-COPIED: a 年度指标值 or 实际完成值 word for word last year's while the money changed.

Last year's source is `sources/<year-1>/<same file name>.yaml`. It is read through load →
validate → compute only (not the whole pipeline, which would chain back year after year); a
missing or broken file is simply not compared: this year's check is not the place for last year's
errors.
"""
from __future__ import annotations

from pathlib import Path

from ..compute import Figures, compute, fmt_money
from ..diagnostics import Diagnostic, SourceError
from ..i18n import _
from ..load import load
from ..model import Evaluation
from ..validate import validate
from .rules import Context, members, plain, warn

LABELS = {"target": "年度指标值", "actual": "实际完成值"}


def last_year_path(path: Path, ev: Evaluation) -> Path | None:
    path = Path(path)
    if path.parent.name != str(ev.year):
        return None
    previous = path.parent.parent / str(ev.year - 1) / path.name
    return previous if previous.is_file() else None


def _last_year(path: Path) -> tuple[Evaluation, Figures] | None:
    try:
        old = validate(load(path))
    except SourceError:
        return None
    return old, compute(old)


def copied(c: Context, path: Path) -> list[Diagnostic]:
    previous = last_year_path(path, c.ev)
    old = _last_year(previous) if previous is not None else None
    if old is None:
        return []
    old_ev, old_fig = old
    now, then = c.fig.budget.executed, old_fig.budget.executed
    if now is None or then is None or now == then:
        return []
    spec = c.rule("W-COPIED")
    before = {(f.tier1, f.tier2, m.name): m for f in old_fig.indicators for m, _ in members(old_ev, f)}
    out = []
    for f in c.fig.indicators:
        for m, mpath in members(c.ev, f):
            last = before.get((f.tier1, f.tier2, m.name))
            if last is None:
                continue
            for field in spec["fields"]:
                text = plain(getattr(m, field, None))
                if len(text) >= spec["min_chars"] and text == plain(getattr(last, field, None)):
                    out.append(warn("W-COPIED", _(
                        "{name}: {label} '{text}' is word for word last year's ({previous}) while 全年执行数 changed "
                        "from {then}万元 to {now}万元; state this year's").format(
                            name=m.name, label=LABELS.get(field, field), text=getattr(m, field), previous=previous,
                            then=fmt_money(then), now=fmt_money(now)), mpath + (field,)))
    return out
