"""Review copies: the whole report as plain Markdown, one fact per line, and the figures that
changed between two evaluations. Made for `git diff` and for a reviewer reading two years side by
side: a changed target, actual or score is a changed line."""
from __future__ import annotations

import re

from .compute import fmt_money, fmt_percent, fmt_score, fmt_weight
from .grid import Grid
from .layout import score_table
from .model import Group
from .pipeline import Evaluated

_DIV = re.compile(r"^::: \{custom-style=\"[^\"]+\"\}\n(.*?)\n:::\n", re.S | re.M)


def _plain(markdown: str) -> str:
    """pandoc's styled divs → plain paragraphs (the review needs the words, not the styles)."""
    return _DIV.sub(lambda m: m.group(1).replace("\\\n", "") + "\n", markdown)


def grid_facts(grid: Grid) -> list[str]:
    """The 自评表 as the Word table lays it out (the same Grid), one table row a line.

    Each line repeats the labels merged over it (一级, 二级 …), so a changed actual or score is a
    one-line diff that still says which indicator it belongs to."""
    lines = [f"# {grid.label} {grid.title}{grid.subtitle}".rstrip(), ""]
    covering: dict[tuple[int, int], object] = {}
    for c in grid.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                covering[(r, k)] = c
    for r in range(grid.n_rows):
        row, seen = [], set()
        for k in range(grid.n_cols):
            c = covering.get((r, k))
            if c is not None and id(c) not in seen:
                seen.add(id(c))
                row.append(c.text.replace("\n", ""))
        lines.append("- " + " | ".join(row))
    lines.extend(f"- {note}" for note in grid.notes)
    return lines


def review_markdown(result: Evaluated) -> str:
    from .render.narrative import markdown
    ev, fig = result.evaluation, result.figures
    narrative = _plain(markdown(ev, fig, result.texts)).rstrip()
    return narrative + "\n\n" + "\n".join(grid_facts(score_table(ev, fig))) + "\n"


def _facts(r: Evaluated) -> dict[str, str]:
    """Every comparable figure of an evaluation, keyed so the same fact matches across years."""
    ev, fig = r.evaluation, r.figures
    out = {"执行率": fmt_percent(fig.execution_rate), "预算执行率得分": fmt_score(fig.budget_score),
           "全年预算数": fmt_money(fig.budget.adjusted), "全年执行数": fmt_money(fig.budget.executed),
           "结余": fmt_money(fig.balance), "总分": fmt_score(fig.total), "等级": fig.grade or ""}
    for f in fig.indicators:
        tier1, tier2, entry = f.tier1, f.tier2, ev.entry(f.path)
        for m in (entry.members if isinstance(entry, Group) else [entry]):
            out[f"{tier1}/{tier2}/{m.name} 年度指标值"] = m.target or ""
            out[f"{tier1}/{tier2}/{m.name} 实际完成值"] = m.actual or ""
        out[f"{tier1}/{tier2}/{f.name} 分值"] = fmt_weight(f.weight)
        out[f"{tier1}/{tier2}/{f.name} 得分"] = fmt_score(f.score)
    return out


def diff_figures(old: Evaluated, new: Evaluated) -> list[str]:
    """'key: old → new' for every figure that changed, '+ key: new' / '- key: old' for facts one side lacks."""
    a, b = _facts(old), _facts(new)
    lines = []
    for key in list(a) + [k for k in b if k not in a]:
        if key not in b:
            lines.append(f"- {key}: {a[key]}")
        elif key not in a:
            lines.append(f"+ {key}: {b[key]}")
        elif a[key] != b[key]:
            lines.append(f"  {key}: {a[key] or '（空）'} → {b[key] or '（空）'}")
    return lines
