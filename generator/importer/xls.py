"""An .xls (the binary workbook budget systems still export) into Tables, read with xlrd.

xlrd gives each cell's value and number format and each sheet's merged ranges; the text a cell
shows is made as for .xlsx (xlsx.shown), so both spreadsheet kinds match alike.
"""
from __future__ import annotations

from pathlib import Path

from ..i18n import _
from .matrix import ImportProblem, Table, from_grid
from .xlsx import shown, with_title_rows


def _sheet(book, sheet) -> Table:
    import xlrd
    texts = []
    for r in range(sheet.nrows):
        row = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
                row.append(shown(cell.value, fmt))
            else:
                row.append(str(cell.value))
        texts.append(row)
    spans = {(rlo, clo): (rhi - rlo, chi - clo) for rlo, rhi, clo, chi in sheet.merged_cells}
    return with_title_rows(from_grid(texts, spans))


def read(path: Path) -> list[Table]:
    import xlrd
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except xlrd.biffh.XLRDError as e:
        if "encrypted" in str(e).lower():
            raise ImportProblem(_("the file is password-protected (encrypted); save an unprotected copy and import that"))
        raise ImportProblem(_("the file cannot be read as {kind}: it is damaged or not what its name says "
                              "({reason})").format(kind=".xls", reason=str(e)))
    except (OSError, ValueError, AssertionError, IndexError) as e:   # xlrd's own complaints on a damaged file
        raise ImportProblem(_("the file cannot be read as {kind}: it is damaged or not what its name says "
                              "({reason})").format(kind=".xls", reason=type(e).__name__))
    return [_sheet(book, book.sheet_by_index(i)) for i in range(book.nsheets)]
