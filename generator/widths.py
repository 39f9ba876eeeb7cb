"""Column widths of the 自评表 from what its cells hold, within the type area: pure, Grid → mm.

The form's fixed widths (forms.yaml) gave 偏差原因分析及改进措施 three characters, broke labels as
其中：当年财政拨|款 and split "5-10个工作日" after "5-". Here every column first gets what must never
break (a number, a parenthesised unit, two characters of a label), then each label and short value
is kept whole where the page allows, cheapest first, and what is left goes to the columns by the
amount of text they hold, so the reasons get the room and a 15-indicator table does not run to
three pages of tall thin cells.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from .grid import LABEL, TEXT, VALUE, Cell, Grid

TYPE_AREA_MM = Decimal(156)     # GB/T 9704: the width of the type area
FONT_PT = Decimal("10.5")       # 五号, the Table Text size
PAD_MM = Decimal("2.6")         # cell margins (1 mm each side), the rules and a little slack
LABEL_WHOLE = 5                 # label lines up to five characters stay whole (满意度指标, 年初预算数)
VALUE_WHOLE = 7                 # values up to seven characters likewise (100.00%, ≥800人次)
SPAN_WHOLE = 10                 # a label over several columns up to ten (其中：当年财政拨款)
TINY = 4                        # values this short never break (等级：优)
READABLE_EM = 4                 # a column of running text is never narrower than four characters

_EM_MM = FONT_PT * Decimal("25.4") / 72
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.%‰+\-–/≥≤<>=]+|（[^）]{1,3}）|\([^)]{1,3}\)")


def _em(text: str) -> Decimal:
    """Width in ems of the table font: full-width characters 1 (ambiguous ones like — and × too,
    in a Chinese font), others about half."""
    return sum((Decimal(1) if unicodedata.east_asian_width(ch) in "WFA" else Decimal("0.55")
                for ch in text), Decimal(0))


def _lines(cell: Cell) -> list[str]:
    return [line for line in cell.text.split("\n") if line]


def _hard(cell: Cell) -> Decimal:
    """What must stay on one line: a number with its signs, a short parenthesised unit, a value of
    a few characters."""
    tokens = [token for line in _lines(cell) for token in _UNBREAKABLE.findall(line)]
    if cell.role == VALUE:                  # a value of up to four characters ("等级：优") is one token
        tokens += [line for line in _lines(cell) if len(line) <= TINY]
    return max([Decimal(1), *(_em(token) for token in tokens)])


def _whole(cell: Cell) -> Decimal:
    """The width that keeps each line of a short label or value whole (0 for longer text)."""
    limit = SPAN_WHOLE if cell.colspan > 1 else LABEL_WHOLE if cell.role == LABEL else VALUE_WHOLE
    if cell.role == TEXT:
        return Decimal(0)
    return max([Decimal(0), *(_em(line) for line in _lines(cell) if len(line) <= limit)])


def _mm(em: Decimal) -> Decimal:
    """The width a cell needs to set `em` ems on a line (a merged cell has one pair of margins)."""
    return (em * _EM_MM + PAD_MM).quantize(Decimal("0.1"), rounding=ROUND_CEILING)   # tenths, never less


def column_widths(grid: Grid, total: Decimal = TYPE_AREA_MM) -> tuple[Decimal, ...]:
    """One width per grid column in mm (0.1 mm steps), summing to `total`: each column's short
    labels and values whole, the room left shared by the amount of text each column holds, then
    any label over several columns (其中：当年财政拨款) widened from the roomiest other columns."""
    n = grid.n_cols
    demand = [Decimal(0)] * n
    for cell in grid.cells:
        if cell.colspan == 1 and cell.role != LABEL:
            demand[cell.col] += _em(cell.text) / cell.rowspan    # taller cells need less width
    headings = _heading_rows(grid)
    tiers = (lambda c: c.role in (LABEL, VALUE),                       # labels and short values whole,
             lambda c: c.role == LABEL,                                # else labels,
             lambda c: c.role == LABEL and c.row not in headings)      # else the labels of the rows
    for keep in tiers:                                                 # (年初预算数 may break)
        width = _widths(grid, keep)
        if sum(width) <= total:
            break
    floor = _widths(grid, lambda c: False)
    if sum(width) > total and sum(width) > sum(floor):   # not every label fits whole: each gives up
        factor = (total - sum(floor)) / (sum(width) - sum(floor))   # a share of what it needs beyond
        width = [f + (w - f) * max(factor, Decimal(0)) for w, f in zip(width, floor)]   # its numbers
    if sum(width) > total:                  # numbers alone overflow the page: shrink evenly
        return _rounded([w * total / sum(width) for w in width], total)
    rest = total - sum(width)
    weight = demand if sum(demand) else [Decimal(1)] * n
    width = list(_rounded([w + rest * k / sum(weight) for w, k in zip(width, weight)], total))
    floors = [_floor(grid, c) for c in range(n)]
    tenth = Decimal("0.1")
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        if cell.colspan == 1 or not _whole(cell):
            continue
        cols = range(cell.col, cell.col + cell.colspan)
        others = [c for c in range(n) if c not in cols]
        while sum(width[c] for c in cols) < _mm(_whole(cell)):   # a tenth at a time from the
            giver = max(others, key=lambda c: (width[c] - floors[c], -c))     # roomiest other column
            if width[giver] - floors[giver] < tenth:
                break
            width[giver] -= tenth
            width[max(cols, key=lambda c: (demand[c], -width[c], -c))] += tenth   # wordiest, else narrowest
    return tuple(width)


def _heading_rows(grid: Grid) -> set[int]:
    """Rows of column headings only (年初预算数 …, 一级指标 …): every cell starting there a label."""
    rows: dict[int, bool] = {}
    for cell in grid.cells:
        rows[cell.row] = rows.get(cell.row, True) and cell.role == LABEL
    return {row for row, all_labels in rows.items() if all_labels}


def _widths(grid: Grid, keep: Callable[[Cell], bool]) -> list[Decimal]:
    """Each column's least width: numbers and units whole, running text four characters, and the
    short lines of the cells `keep` accepts whole."""
    width = [_mm(Decimal(1))] * grid.n_cols
    for cell in grid.cells:
        if cell.colspan == 1:
            need = max(_hard(cell), _whole(cell) if keep(cell) else 0,
                       Decimal(READABLE_EM) if cell.role == TEXT else 0)
            width[cell.col] = max(width[cell.col], _mm(need))
    return width


def _floor(grid: Grid, col: int) -> Decimal:
    """The narrowest column `col` may be: its numbers and units whole."""
    return max([_mm(Decimal(1)), *(_mm(_hard(c)) for c in grid.cells if c.col == col and c.colspan == 1)])


def _rounded(width: list[Decimal], total: Decimal) -> tuple[Decimal, ...]:
    """Widths to 0.1 mm, the rounding left over given to the widest column, so they sum to total."""
    out = [w.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) for w in width]
    widest = max(range(len(out)), key=lambda i: (out[i], -i))
    out[widest] += total - sum(out)
    return tuple(out)
