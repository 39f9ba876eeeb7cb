"""The 自评表 Grid as HTML rows, and which row of it each finding of `check` concerns.

The table is the Grid of generator.layout.score_table, cell for cell with its rowspan and
colspan, so the web page shows the merges the Word table and the workbook show. A finding is
placed beside a row by looking up, in that Grid, the cell it concerns (an indicator's name under
its 一级/二级 labels, a funding line's label, the 执行率, the 总分): the Grid is read, never laid out
a second time. Findings that concern no row (the narrative, the file itself) are listed apart.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..grid import LABEL, PERCENT, SCORE, TEXT, Cell, Grid
from ..layout import tier1_label
from ..model import Group
from ..pipeline import Evaluated


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]              # the cells that start in this row, left to right
    findings: tuple[Diagnostic, ...]     # shown beside the row


def _span(c: Cell) -> range:
    return range(c.row, c.row + c.rowspan)


def _label_in(grid: Grid, text: str, rows: range) -> Cell | None:
    return next((c for c in grid.cells if c.role == LABEL and c.text == text and c.row in rows), None)


def _indicator_row(grid: Grid, r: Evaluated, path: tuple) -> int | None:
    """("indicators", 一级[, 二级, i[, field | "members", j …]]) → the row of that label or name."""
    ev, everything = r.evaluation, range(grid.n_rows)
    tier1 = _label_in(grid, tier1_label(ev, r.figures, path[1]), everything) if len(path) > 1 else None
    if tier1 is None or len(path) < 4:
        return tier1.row if tier1 else None
    tier2 = _label_in(grid, path[2], _span(tier1))
    if tier2 is None:
        return tier1.row
    try:
        entry = ev.entry(path)
    except (KeyError, IndexError, TypeError):
        return tier2.row
    member = entry
    if isinstance(entry, Group):
        j = path[5] if len(path) > 5 and path[4] == "members" and isinstance(path[5], int) else 0
        member = entry.members[j] if j < len(entry.members) else entry.members[0]
    name = (member.name or "").strip()
    return next((c.row for c in grid.cells if c.row in _span(tier2) and c.text == name and c.role != LABEL),
                tier2.row)


def _kind_row(grid: Grid, kind: str, last: bool = False) -> int | None:
    rows = [c.row for c in grid.cells if c.kind == kind]
    return (rows[-1] if last else rows[0]) if rows else None


def finding_row(grid: Grid, r: Evaluated, d: Diagnostic) -> int | None:
    """The Grid row a finding concerns, or None when it concerns no row of the table."""
    path = d.path
    if not path:
        return None
    if path[0] == "indicators":
        return _indicator_row(grid, r, path)
    if path[0] == "weights":
        if len(path) > 1:
            return _indicator_row(grid, r, ("indicators", path[1]))
        return _kind_row(grid, SCORE, last=True)
    if path[0] == "budget":
        if len(path) > 2 and path[1] == "lines":
            line = next((c.row for c in grid.cells if c.role == LABEL and c.text.endswith(str(path[2]))), None)
            if line is not None:
                return line
        return _kind_row(grid, PERCENT)
    if path[0] == "published" and len(path) > 1:
        if path[1] in ("execution_rate", "budget_score"):
            return _kind_row(grid, PERCENT)
        if path[1] in ("total", "grade"):
            return _kind_row(grid, SCORE, last=True)
    if path[0] == "goals":   # the first running-text cells of the form are the 年度总体目标
        return min((c.row for c in grid.cells if c.role == TEXT), default=None)
    return None


def rows_with_findings(grid: Grid, r: Evaluated) -> tuple[list[Row], list[Diagnostic]]:
    """Every row of the Grid with the findings beside it, and the findings no row holds."""
    placed: dict[int, list[Diagnostic]] = {}
    apart: list[Diagnostic] = []
    for d in r.diagnostics:
        row = finding_row(grid, r, d)
        (apart if row is None else placed.setdefault(row, [])).append(d)
    starts: dict[int, list[Cell]] = {}
    for c in grid.cells:
        starts.setdefault(c.row, []).append(c)
    rows = [Row(tuple(sorted(starts.get(i, []), key=lambda c: c.col)), tuple(placed.get(i, ())))
            for i in range(grid.n_rows)]
    return rows, apart
