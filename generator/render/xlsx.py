"""The 自评表 as an Excel workbook, because finance systems and reviewers ask for it in Excel.

It is one more rendering of the Grid (generator/grid.py), so merges, texts and column widths are
the Word table's. A numeric cell stores the very Decimal that Figures holds (Cell.number) as a
number, with a format that prints it as the report does, so a reviewer can add a column up
without retyping it; every other cell is text, even one that looks like a formula. Fonts and page
margins come from templates/styles.yaml like the Word report's. The bytes are deterministic (fixed
document dates, the zip rewritten by render.ooxml.normalize_package), so an unchanged source
gives an unchanged file.
"""
from __future__ import annotations

import io
import math
import unicodedata
from decimal import Decimal
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.writer.excel import ExcelWriter

from ..grid import PERCENT, SCORE, TEXT, WEIGHT, Grid
from .ooxml import normalize_package
from .reference import FIXED_TIME, load_styles

SHEET = "自评表"
HUNDRED = Decimal(100)
MM_PER_INCH = Decimal("25.4")
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_FACTOR = 1.3          # a printed line is about 1.3 × the font size
CELL_PAD_PT = 4            # inner padding of a cell, left + right, and top + bottom
MIN_ROW_PT = 18            # a one-line grid row, roomy enough to read


# --- number formats -------------------------------------------------------------------------------


def decimals(x: Decimal) -> int:
    """Digits after the point as written: 239.4 → 1, 193.00 → 2, 83 → 0."""
    exponent = x.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def number_format(kind: str, number: Decimal) -> str:
    """The Excel format that prints `number` as the report does (compute.fmt_*).

    Money keeps the decimals the source wrote and a weight its own (fmt_weight drops trailing
    zeros), so 7.5 is '0.0' rather than '0.##', which Excel would print "10." for a 10.
    """
    if kind == PERCENT:
        return "0.00%"
    if kind == SCORE:
        return "0.00"
    places = decimals(number.normalize() if kind == WEIGHT else number)
    return "0." + "0" * places if places else "0"


def put_figure(cell, number: Decimal | None, kind: str) -> None:
    """A figure as a number: a percent value (89.89) becomes the fraction Excel expects (0.8989)."""
    if number is None:
        return
    cell.value = number / HUNDRED if kind == PERCENT else number
    cell.number_format = number_format(kind, number)


def put_text(cell, text: str) -> None:
    """Text stays text: a target typed as "=100%" must not become a formula."""
    if text:
        cell.value = text
        cell.data_type = "s"


# --- sizes ----------------------------------------------------------------------------------------


def column_width(mm: Decimal) -> float:
    """Millimetres → Excel's column width: characters of the default font's digit (7 px at 96 dpi),
    in Excel's own steps of 1/256, which also print exactly (no 9.720000000000001 in the XML)."""
    return round(float(Decimal(mm) / MM_PER_INCH * 96 / 7) * 256) / 256


def _text_pt(line: str, size: float) -> float:
    """Printed width of a line: CJK, full-width and ambiguous characters one em, others half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WFA" else size / 2 for ch in line)


def text_height(text: str, width_mm: Decimal, size: float) -> float:
    """Points a wrapped text needs in a cell `width_mm` wide (an estimate: Excel does not fit rows
    that hold merged cells, so without it merged text would be cut to one line)."""
    width = max(float(width_mm) * 72 / 25.4 - CELL_PAD_PT, size)
    lines = sum(max(1, math.ceil(_text_pt(line, size) / width)) for line in text.split("\n"))
    return math.ceil((lines * size * LINE_FACTOR + CELL_PAD_PT) * 4) / 4


def row_heights(grid: Grid, size: float) -> list[float]:
    """Each grid row's height: single-row cells first, then a taller merged cell's shortfall is
    shared out over the rows it spans."""
    heights = [float(MIN_ROW_PT)] * grid.n_rows
    for c in sorted(grid.cells, key=lambda c: (c.rowspan, c.row, c.col)):
        need = text_height(c.text, sum(grid.widths_mm[c.col:c.col + c.colspan]), size)
        have = sum(heights[c.row:c.row + c.rowspan])
        for r in range(c.row, c.row + c.rowspan):
            heights[r] += max(0.0, need - have) / c.rowspan
    return [math.ceil(h * 4) / 4 for h in heights]   # quarter points: short, stable XML


# --- styles, page, bytes --------------------------------------------------------------------------


def font(style: dict) -> Font:
    """A styles.yaml style's Chinese font; charset 134 (GB2312) tells Excel it is one."""
    return Font(name=style["east_asia"], size=style["size"], charset=134)


def page_setup(ws, page: dict, landscape: bool = False, title_rows: tuple[int, int] | None = None) -> None:
    """A4, the report's margins, one page wide (as long as needed), centred; header rows repeat."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    inch = lambda key: float(Decimal(str(page[key])) / MM_PER_INCH)
    ws.page_margins = PageMargins(left=inch("margin_left"), right=inch("margin_right"),
                                  top=inch("margin_top"), bottom=inch("margin_bottom"))
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"


def package(wb: Workbook) -> bytes:
    """The .xlsx bytes, equal for equal workbooks: openpyxl's save() stamps the current time into
    the document properties and the zip entries, so write with ExcelWriter and normalise."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = wb.properties.lastModifiedBy = None
    buffer = io.BytesIO()
    ExcelWriter(wb, ZipFile(buffer, "w", ZIP_DEFLATED)).save()
    return normalize_package(buffer.getvalue())


# --- the 自评表 -----------------------------------------------------------------------------------


def _heading(ws, row: int, text: str, style: dict, n_cols: int, align: str) -> None:
    cell = ws.cell(row, 1)
    put_text(cell, text)
    cell.font = font(style)
    cell.alignment = Alignment(horizontal=align, vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_cols)
    ws.row_dimensions[row].height = math.ceil(style["size"] * LINE_FACTOR * 2) / 2 + CELL_PAD_PT


def workbook_bytes(grid: Grid) -> bytes:
    """One sheet "自评表": label, title, subtitle, the grid with its merges, then the notes."""
    spec = load_styles()
    styles, body = spec["styles"], spec["styles"]["Table Text"]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    row = 1
    for text, style, align in ((grid.label, "Attachment Label", "left"), (grid.title, "Table Title", "center"),
                               (grid.subtitle, "Table Subtitle", "center")):
        if text:
            _heading(ws, row, text, styles[style], grid.n_cols, align)
            row += 1
    top = row
    for k, mm in enumerate(grid.widths_mm, start=1):
        ws.column_dimensions[get_column_letter(k)].width = column_width(mm)
    cell_font = font(body)
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        target = ws.cell(top + c.row, c.col + 1)
        if c.number is not None and c.kind is not None:
            put_figure(target, c.number, c.kind)
        else:
            put_text(target, c.text)
        target.font = cell_font
        target.border = BOX
        target.alignment = Alignment(horizontal="left" if c.role == TEXT else "center",
                                     vertical="center", wrap_text=True)
        if c.rowspan > 1 or c.colspan > 1:       # after styling: the merge copies the edges
            ws.merge_cells(start_row=top + c.row, start_column=c.col + 1,
                           end_row=top + c.row + c.rowspan - 1, end_column=c.col + c.colspan)
    for r, height in enumerate(row_heights(grid, body["size"])):
        ws.row_dimensions[top + r].height = height
    note_style = styles["Table Note"]
    for i, note in enumerate(grid.notes):
        r = top + grid.n_rows + i
        cell = ws.cell(r, 1)
        put_text(cell, note)
        cell.font = font(note_style)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=grid.n_cols)
        ws.row_dimensions[r].height = text_height(note, sum(grid.widths_mm), note_style["size"])
    page_setup(ws, spec["page"], title_rows=(top, top + grid.header_rows - 1))
    return package(wb)
