"""A table as a plain cell matrix: what every reader (.docx, .xlsx, .xls) hands to `match`.

Merges are resolved here once: each grid position holds the text of the merged cell covering it
and that cell's top-left position (its origin), so a label spanning rows is seen on every row
under it, and two positions with the same origin are known to be one printed cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class ImportProblem(Exception):
    """A document that cannot become a source: the message names what and, if known, the row."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row      # 1-based row of the table, when the problem has one


@dataclass(frozen=True)
class Cell:
    text: str
    origin: tuple[int, int]   # (row, col) of the top-left corner of the merged cell, 0-based


@dataclass
class Table:
    rows: list[list[Cell]]
    # Lines printed above the table (附件N, the title, the year), nearest last.
    before: list[str] = field(default_factory=list)

    def distinct(self, r: int) -> list[tuple[int, Cell]]:
        """The printed cells of row r left to right, each once, with its first column."""
        out, seen = [], set()
        for c, cell in enumerate(self.rows[r]):
            if cell.origin not in seen:
                seen.add(cell.origin)
                out.append((c, cell))
        return out


@dataclass
class Contents:
    """What a reader gives the importer: the file's tables, and for a report its title lines and
    its paragraphs as (style name, text) in order (empty for a spreadsheet)."""
    tables: list[Table]
    titles: list[str] = field(default_factory=list)
    paragraphs: list[tuple[str, str]] = field(default_factory=list)


def from_grid(texts: list[list[str | None]], spans: dict[tuple[int, int], tuple[int, int]]) -> Table:
    """A Table from a rectangular text grid and its merged areas: (row, col) → (rowspan, colspan).

    Used by the spreadsheet readers, which know merges as ranges; covered positions take the
    text and origin of their merge's top-left cell.
    """
    n_cols = max((len(r) for r in texts), default=0)
    rows = [[Cell(_clean(row[c] if c < len(row) else None), (r, c)) for c in range(n_cols)]
            for r, row in enumerate(texts)]
    for (r0, c0), (rs, cs) in spans.items():
        top = rows[r0][c0]
        for r in range(r0, min(r0 + rs, len(rows))):
            for c in range(c0, min(c0 + cs, n_cols)):
                rows[r][c] = top
    return Table(rows)


def _clean(text) -> str:
    return "" if text is None else str(text)
