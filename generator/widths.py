"""Column widths of the 自评表 from what its cells hold, within the type area: pure, Grid → mm.

The form's fixed widths (its profile's widths_mm) gave 偏差原因分析及改进措施 three characters, broke labels as
其中：当年财政拨|款 and split "5-10个工作日" after "5-". Here each column starts with what must never
break (a number with its signs, a short parenthesised unit, a value of a few characters), and the
rest of the 156 mm goes, a step at a time, to the column where it saves the most: the table's
estimated height in lines, where a label broken over two lines costs extra (so 其中：当年财政拨款 and
项目总投资（万元） stay whole where the page allows) and a tall cell of reasons costs its lines. So
the text gets room where there is text, and a 15-indicator table does not run to three pages of
tall thin cells.
"""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .grid import LABEL, VALUE, Cell, Grid

TYPE_AREA_MM = Decimal(156)     # GB/T 9704: the width of the type area
FONT_PT = 10.5                  # 五号, the Table Text size
PAD_MM = 2.6                    # cell margins (1 mm each side), the rules and a little slack
STEP_MM = 0.5                   # widths are handed out in steps of this
LOOKAHEAD = 48                  # steps a column may be offered at once (a label needs a jump to fit)
BROKEN_LABEL = 4              # extra cost, in lines, of a label or short value broken
SPANNED = 3                     # … three times that for a label over several columns
SHORT_VALUE = 7                 # values up to this many characters count as labels for that
TINY = 4                        # values this short never break (等级：优)

_EM_MM = FONT_PT * 25.4 / 72
# The steps a column is offered at once: a few sizes up to LOOKAHEAD rather than every one, which
# finds the same jumps a label needs at a fraction of the cost (each offer re-estimates the table).
_OFFERS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, LOOKAHEAD)
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.%‰+\-–/≥≤<>=]+|（[^）]{1,3}）|\([^)]{1,3}\)|.", re.S)


def _em(text: str) -> float:
    """Width in ems of the table font: full-width characters 1 (ambiguous ones like — and × too,
    in a Chinese font), others about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.55 for ch in text)


def _lines(cell: Cell) -> list[str]:
    return [line for line in cell.text.split("\n") if line]


def _tokens(line: str) -> list[float]:
    """The widths of the pieces a line may break between: a number with its signs and a short
    parenthesised unit are one piece, any other character is its own."""
    return [_em(token) for token in _UNBREAKABLE.findall(line)]


def _hard(cell: Cell) -> float:
    """The least width (ems) a cell may have: its widest unbreakable piece; a short value whole."""
    most = max([1.0, *(w for line in _lines(cell) for w in _tokens(line))])
    if cell.role == VALUE:
        most = max([most, *(_em(line) for line in _lines(cell) if len(line) <= TINY)])
    return most


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[tuple[float, ...], ...]:
    """Each line's piece widths (_tokens), worked out once per text: the hand-out asks for the
    same text at many widths."""
    return tuple(tuple(_tokens(line)) for line in text.split("\n"))


@lru_cache(maxsize=4096)
def _shape(text: str) -> tuple[int, int]:
    """(lines written, characters in the longest): what decides whether a cell counts as a label."""
    written = [line for line in text.split("\n") if line]
    return len(written), max(len(line) for line in written) if written else 0


@lru_cache(maxsize=65536)
def _set_lines(text: str, room: float) -> int:
    """How many lines `text` takes in `room` ems, filling each line greedily piece by piece."""
    total = 0
    for line in _pieces(text):
        used, count = 0.0, 1
        for width in line:
            if used and used + width > room + 1e-9:
                count, used = count + 1, 0.0
            used += width
            while used > room + 1e-9:                     # a piece wider than the line
                count, used = count + 1, used - room
        total += count
    return total


def needs_lines(cell: Cell, width_mm) -> int:
    """Lines `cell` takes in a column (or columns) `width_mm` wide."""
    return _set_lines(cell.text, (float(width_mm) - PAD_MM) / _EM_MM) if cell.text else 1


def _cost(cell: Cell, width_mm: float) -> tuple[int, float]:
    """(lines, penalty): the lines a cell takes at `width_mm`, and the price of a label or short
    value broken (paid whatever else its row holds), one line more for each further line it is
    broken over: priced flat, a short value once broken cost nothing more for breaking again, and
    a column of 三级指标 was left two characters wide, 服务企业数量 over three lines."""
    if not cell.text:
        return 1, 0.0
    lines = needs_lines(cell, width_mm)
    written, longest = _shape(cell.text)
    short = cell.role == LABEL or longest <= SHORT_VALUE
    price = BROKEN_LABEL * (SPANNED if cell.colspan > 1 else 1)    # a row's own label (其中：当年财政拨款)
    return lines, price + (lines - written - 1) if short and lines > written else 0.0


def _height(grid: Grid, width: list[float]) -> float:
    """The table's estimated height in lines: each row as tall as its tallest cell, a merged cell
    adding what its rows do not already give it; broken labels priced on top."""
    rows = [1] * grid.n_rows
    penalty = 0.0
    merged = []
    for cell in grid.cells:
        lines, price = _cost(cell, sum(width[cell.col:cell.col + cell.colspan]))
        penalty += price
        if cell.rowspan == 1:
            rows[cell.row] = max(rows[cell.row], lines)
        else:
            merged.append((cell, lines))
    extra = sum(max(0, lines - sum(rows[c.row:c.row + c.rowspan])) for c, lines in merged)
    return sum(rows) + extra + penalty


class _Estimate:
    """_height, kept up to date as columns change: trying a width for one or two columns
    re-prices only the cells over them and the rows they sit in, which is what makes trying every
    offer affordable (the same numbers as _height, a fraction of the work). A cell's cost at a
    width is remembered: the hand-out and the exchange offer the same few widths again and again.
    Every cell yields at least one line, so a row's height is the most lines of its cells (1 for a
    row of merged cells only)."""

    def __init__(self, grid: Grid, width: list[float]):
        self.cells = list(grid.cells)
        self.memo: list[dict[float, tuple[int, float]]] = [{} for _ in self.cells]
        self.by_col = [[] for _ in range(grid.n_cols)]
        self.by_row = [[] for _ in range(grid.n_rows)]
        merged = []
        for i, c in enumerate(self.cells):
            for k in range(c.col, c.col + c.colspan):
                self.by_col[k].append(i)
            (self.by_row[c.row] if c.rowspan == 1 else merged).append(i)
        self.merged = [(i, self.cells[i].row, self.cells[i].row + self.cells[i].rowspan) for i in merged]
        self._over: dict[tuple[int, ...], list[tuple[int, int, list[int]]]] = {}
        self.set(width)

    def _price(self, i: int, w: float) -> tuple[int, float]:
        memo = self.memo[i]
        known = memo.get(w)
        if known is None:
            known = memo[w] = _cost(self.cells[i], w)
        return known

    def _affected(self, cols: tuple[int, ...]) -> list[tuple[int, int, list[int]]]:
        """The cells over `cols`, grouped by the columns they span (one width sum per group)."""
        known = self._over.get(cols)
        if known is None:
            spans: dict[tuple[int, int], list[int]] = {}
            for i in sorted({i for k in cols for i in self.by_col[k]}):
                c = self.cells[i]
                spans.setdefault((c.col, c.col + c.colspan), []).append(i)
            known = self._over[cols] = [(lo, hi, members) for (lo, hi), members in spans.items()]
        return known

    def set(self, width: list[float]) -> float:
        cost = [self._price(i, sum(width[c.col:c.col + c.colspan])) for i, c in enumerate(self.cells)]
        self.lines = [n for n, _ in cost]
        self.prices = [p for _, p in cost]
        self.rows = [max([1, *(self.lines[i] for i in row)]) for row in self.by_row]
        self.penalty = sum(self.prices)
        self.height = self._total(self.rows, self.lines, self.penalty)
        return self.height

    def _total(self, rows: list[int], lines: list[int], penalty: float) -> float:
        extra = 0
        for i, top, end in self.merged:
            extra += max(0, lines[i] - sum(rows[top:end]))
        return sum(rows) + extra + penalty

    def trial(self, width: list[float], cols: tuple[int, ...]) -> float:
        """The height with `width`, which differs from the last `set` only in `cols`. Only the
        cells whose lines or price change, and the rows they sit in, are worked out again."""
        spans = self._affected(cols)
        memo, cells, lines, prices = self.memo, self.cells, self.lines, self.prices
        changed: dict[int, int] = {}
        penalty = self.penalty
        for lo, hi, members in spans:
            w = sum(width[lo:hi])
            for i in members:
                known = memo[i].get(w)
                if known is None:
                    known = memo[i][w] = _cost(cells[i], w)
                if known[0] != lines[i] or known[1] != prices[i]:
                    changed[i] = known[0]
                    penalty += known[1] - prices[i]
        if not changed:
            return self.height
        new = lines.copy()
        for i, n in changed.items():
            new[i] = n
        rows = self.rows.copy()
        for r in {cells[i].row for i in changed if cells[i].rowspan == 1}:
            rows[r] = max([new[i] for i in self.by_row[r]])
        return self._total(rows, new, penalty)


def column_widths(grid: Grid, total: Decimal = TYPE_AREA_MM) -> tuple[Decimal, ...]:
    """One width per grid column in mm (0.1 mm steps), summing to `total`."""
    n, room = grid.n_cols, float(total)
    width = [_EM_MM + PAD_MM] * n
    for cell in grid.cells:
        if cell.colspan == 1:
            width[cell.col] = max(width[cell.col], _hard(cell) * _EM_MM + PAD_MM)
    width = [math.ceil(w * 10 - 1e-9) / 10 for w in width]      # tenths, never below the need
    floor = list(width)
    if sum(width) > room:                       # numbers alone overflow the page: shrink evenly
        return _rounded([w * room / sum(width) for w in width], total)
    estimate = _Estimate(grid, width)
    height = estimate.height
    while room - sum(width) >= STEP_MM:
        left = int((room - sum(width)) // STEP_MM)
        best = None                             # (saving per step, column, steps)
        for col in range(n):
            for steps in _OFFERS:
                if steps > left:
                    break
                trial = width.copy()
                trial[col] += steps * STEP_MM
                saving = (height - estimate.trial(trial, (col,))) / steps
                if saving > 1e-9 and (best is None or saving > best[0] + 1e-9):
                    best = (saving, col, steps)
        if best is None:                        # nothing shortens the table any more
            break
        _, col, steps = best
        width[col] += steps * STEP_MM
        height = estimate.set(width)
    width = _exchange(grid, width, floor)
    spare = room - sum(width)                   # what no column needs: shared in proportion
    width = [w + spare * w / sum(width) for w in width]
    return _rounded(width, total)


def _exchange(grid: Grid, width: list[float], floor: list[float], passes: int = 12) -> list[float]:
    """Move room from one column to another while that lowers the table: the greedy hand-out can
    spend the last millimetres on small gains before a label's larger jump was affordable."""
    estimate = _Estimate(grid, width)
    height = estimate.height
    for _ in range(passes):
        best = None                             # (new height, giver, taker, mm)
        for giver in range(len(width)):
            for taker in range(len(width)):
                if giver == taker:
                    continue
                for steps in (1, 2, 4, 8, 16):
                    mm = steps * STEP_MM
                    if width[giver] - mm < floor[giver] - 1e-9:
                        break
                    trial = width.copy()
                    trial[giver] -= mm
                    trial[taker] += mm
                    h = estimate.trial(trial, (giver, taker))
                    if h < height - 1e-9 and (best is None or h < best[0] - 1e-9):
                        best = (h, giver, taker, mm)
        if best is None:
            break
        _, giver, taker, mm = best
        width[giver] -= mm
        width[taker] += mm
        height = estimate.set(width)
    return width


def _rounded(width: list[float], total: Decimal) -> tuple[Decimal, ...]:
    """Widths to 0.1 mm (half up), the rounding left over given to the widest column, so they sum
    to `total`."""
    out = [Decimal(str(w)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) for w in width]
    widest = max(range(len(out)), key=lambda i: (out[i], -i))
    out[widest] += total - sum(out)
    return tuple(out)
