"""The 自评表 as an Excel workbook, because finance systems and reviewers ask for it in Excel.

It is one more rendering of the Grid (generator/grid.py), so merges, texts and column widths are
the Word table's. A numeric cell stores the very Decimal that Figures holds (Cell.number) as a
number, with a format that prints it as the report does, so a reviewer can add a column up
without retyping it; every other cell is text, even one that looks like a formula. Fonts and page
margins come from templates/styles.yaml like the Word report's. The bytes are deterministic (fixed
document dates, the zip rewritten by render.ooxml.normalize_package), so an unchanged source
gives an unchanged file. It is written with XlsxWriter, made for writing workbooks (openpyxl, with
which the importer reads them, cost a cold process ~65 ms of import and ~20 ms a workbook).
"""
from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter import Workbook

from ..grid import PERCENT, SCORE, TEXT, WEIGHT, Grid
from .ooxml import normalize_package
from ..styles import load_styles
from .reference import FIXED_TIME

SHEET = "自评表"
HUNDRED = Decimal(100)
MM_PER_INCH = Decimal("25.4")
A4 = 9                     # Excel's paper size code
THIN = 1                   # XlsxWriter's index of a thin border line
GB2312 = 134               # the font charset that tells Excel a font is Chinese
DIGIT_PX = 7               # the default font's digit, in pixels at 96 dpi: Excel's unit of column width
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


# --- the workbook ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """How a cell looks: a styles.yaml style's Chinese font, alignment, wrapping, a thin box."""
    font: str
    size: float
    align: str                 # left / center / right
    valign: str = "vcenter"    # vcenter / top
    wrap: bool = False
    box: bool = False


def look(style: dict, align: str, **more) -> Look:
    return Look(style["east_asia"], style["size"], align, **more)


class Sheet:
    """The one worksheet of a new workbook, written with XlsxWriter (rows and columns from 0).

    A Format is made once per distinct look and number format, not once per cell: XlsxWriter
    merges equal formats when it writes styles.xml, but each Format object is some 70 attributes
    to set up and to compare there again.
    """

    def __init__(self, name: str):
        self._buffer = io.BytesIO()
        self._book = Workbook(self._buffer, {"in_memory": True})
        self.ws = self._book.add_worksheet(name)
        self._formats: dict = {}

    def format(self, look: Look, num_format: str | None = None):
        key = (look, num_format)
        made = self._formats.get(key)
        if made is None:
            props = {"font_name": look.font, "font_size": look.size, "font_charset": GB2312,
                     "align": look.align, "valign": look.valign, "text_wrap": look.wrap}
            if look.box:
                props["border"] = THIN
            if num_format:
                props["num_format"] = num_format
            made = self._formats[key] = self._book.add_format(props)
        return made

    def text(self, row: int, col: int, text: str, look: Look) -> None:
        """Text stays text: write_string never makes a formula of a target typed as "=100%";
        an empty text is a blank cell that keeps its look (borders)."""
        if text:
            self.ws.write_string(row, col, text, self.format(look))
        else:
            self.ws.write_blank(row, col, None, self.format(look))

    def number(self, row: int, col: int, number, look: Look, num_format: str) -> None:
        self.ws.write_number(row, col, number, self.format(look, num_format))

    def figure(self, row: int, col: int, number: Decimal | None, kind: str, look: Look) -> None:
        """A figure as a number: a percent value (89.89) becomes the fraction Excel expects (0.8989);
        a blank figure (None) an empty cell."""
        if number is None:
            self.text(row, col, "", look)
        else:
            self.number(row, col, number / HUNDRED if kind == PERCENT else number, look,
                        number_format(kind, number))

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int, look: Look,
              num_format: str | None = None) -> None:
        """Merge a range before its first cell is written: every cell inside gets the range's
        format, borders included (Excel draws a merged cell's edges from the cells on them)."""
        if (first_row, first_col) != (last_row, last_col):
            self.ws.merge_range(first_row, first_col, last_row, last_col, "", self.format(look, num_format))

    def width(self, col: int, chars: float) -> None:
        """A column `chars` digits wide, written as given: XlsxWriter (3.3+) keeps widths in pixels
        and writes pixels · 256 // 7 / 256, which gives back a width in 1/256 steps exactly."""
        self.ws.set_column_pixels(col, col, chars * DIGIT_PX)

    def height(self, row: int, pt: float) -> None:
        """A row `pt` points high (XlsxWriter keeps pixels, 4/3 a point, and writes them × 0.75)."""
        self.ws.set_row_pixels(row, pt * 4 / 3)

    def page_setup(self, page: dict, landscape: bool = False, title_rows: tuple[int, int] | None = None) -> None:
        """A4, the report's margins, one page wide (as long as needed), centred; header rows (from 0)
        repeat on every page."""
        ws = self.ws
        ws.set_paper(A4)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        inch = lambda key: float(Decimal(str(page[key])) / MM_PER_INCH)
        ws.set_margins(left=inch("margin_left"), right=inch("margin_right"),
                       top=inch("margin_top"), bottom=inch("margin_bottom"))
        if title_rows:
            ws.repeat_rows(*title_rows)

    def package(self) -> bytes:
        """The .xlsx bytes, equal for equal sheets: fixed document dates, no author, and the zip
        rewritten by normalize_package (fixed entry order, times and compression)."""
        self._book.set_properties({"created": FIXED_TIME})
        self._book.close()
        return normalize_package(self._buffer.getvalue())


# --- the 自评表 -----------------------------------------------------------------------------------


def _heading(sheet: Sheet, row: int, text: str, style: dict, n_cols: int, align: str) -> None:
    heading = look(style, align)
    sheet.merge(row, 0, row, n_cols - 1, heading)
    sheet.text(row, 0, text, heading)
    sheet.height(row, math.ceil(style["size"] * LINE_FACTOR * 2) / 2 + CELL_PAD_PT)


def workbook_bytes(grid: Grid) -> bytes:
    """One sheet "自评表": label, title, subtitle, the grid with its merges, then the notes."""
    spec = load_styles()
    styles, body = spec["styles"], spec["styles"]["Table Text"]
    sheet = Sheet(SHEET)
    row = 0
    for text, style, align in ((grid.label, "Attachment Label", "left"), (grid.title, "Table Title", "center"),
                               (grid.subtitle, "Table Subtitle", "center")):
        if text:
            _heading(sheet, row, text, styles[style], grid.n_cols, align)
            row += 1
    top = row
    for k, mm in enumerate(grid.widths_mm):
        sheet.width(k, column_width(mm))
    looks = {role: look(body, "left" if role == TEXT else "center", wrap=True, box=True)
             for role in {c.role for c in grid.cells}}
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        r, k, cell_look = top + c.row, c.col, looks[c.role]
        figure = c.number is not None and c.kind is not None
        sheet.merge(r, k, r + c.rowspan - 1, k + c.colspan - 1, cell_look,
                    number_format(c.kind, c.number) if figure else None)
        if figure:
            sheet.figure(r, k, c.number, c.kind, cell_look)
        else:
            sheet.text(r, k, c.text, cell_look)
    for r, height in enumerate(row_heights(grid, body["size"])):
        sheet.height(top + r, height)
    note_style = styles["Table Note"]
    note = look(note_style, "left", valign="top", wrap=True)
    for i, text in enumerate(grid.notes):
        r = top + grid.n_rows + i
        sheet.merge(r, 0, r, grid.n_cols - 1, note)
        sheet.text(r, 0, text, note)
        sheet.height(r, text_height(text, sum(grid.widths_mm), note_style["size"]))
    sheet.page_setup(spec["page"], title_rows=(top, top + grid.header_rows - 1))
    return sheet.package()
