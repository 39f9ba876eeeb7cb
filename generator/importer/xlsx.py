"""An .xlsx into Tables: each sheet's used range with openpyxl's merged ranges resolved.

Numbers are turned back into the text the sheet shows (its number format: 0.8989 under "0.00%"
is 89.89%, 193 under "0.00" is 193.00), so matching reads a spreadsheet as it reads a Word table.
Rows of one text above the table (附件N, the title, the year) are also kept as its `before` lines.
"""
from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

from .docx import open_package
from .matrix import Table, from_grid


def shown(value, number_format: str) -> str | None:
    """A cell's value as the sheet displays it."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or isinstance(value, (datetime.date, datetime.time)):
        return str(value)
    if not isinstance(value, (int, float, Decimal)):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    fmt = (number_format or "General").split(";")[0]
    m = re.search(r"0\.(0+)", fmt)
    places = len(m.group(1)) if m else 0
    if "%" in fmt:
        return format((number * 100).quantize(Decimal(1).scaleb(-places)), "f") + "%"
    if fmt == "General":
        return format(number.normalize(), "f") if number != number.to_integral_value() else str(int(number))
    return format(number.quantize(Decimal(1).scaleb(-places)), "f")


def sheet_table(ws) -> Table:
    texts = [[shown(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
    spans = {(r.min_row - 1, r.min_col - 1): (r.max_row - r.min_row + 1, r.max_col - r.min_col + 1)
             for r in ws.merged_cells.ranges}
    return with_title_rows(from_grid(texts, spans))


def with_title_rows(table: Table) -> Table:
    """The rows of one text above a sheet's table (附件N, the title, the year) as its `before` lines."""
    for r in range(len(table.rows)):
        cells = [c.text.strip() for _, c in table.distinct(r) if c.text.strip()]
        if len(cells) > 1:
            break
        table.before.extend(cells)
    return table


def read(path: Path) -> list[Table]:
    from openpyxl import load_workbook
    workbook = open_package(path, lambda p: load_workbook(p, data_only=True))
    return [sheet_table(ws) for ws in workbook.worksheets]
