"""The 自评表 Grid as a Word table, appended to the report after a page break.

The Grid has already decided every merge and every width (generator/grid.py), so this module only
transcribes it: fixed column widths from the Grid rather than Word's autofit (which would reflow
the form by its content), merges exactly as given, each row kept on one page, the header rows
repeated on the next page. Styles come from templates/styles.yaml by name. pandoc's own tables in
the narrative get the same rules and centring (style_narrative_tables).
"""
from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.simpletypes import ST_Merge
from docx.shared import Twips
from docx.table import _Cell

from ..grid import LABEL, TEXT, VALUE, Grid
from . import ooxml

BORDER_EIGHTHS = 4                    # ½ pt: the thin single rule of printed forms
CELL_MARGINS = {"top": 0, "bottom": 0, "left": 57, "right": 57}   # twips; 1 mm keeps 9 columns roomy
_ALIGN = {LABEL: WD_PARAGRAPH_ALIGNMENT.CENTER, VALUE: WD_PARAGRAPH_ALIGNMENT.CENTER,
          TEXT: WD_PARAGRAPH_ALIGNMENT.LEFT}


def mm_to_twips(mm: Decimal) -> int:
    """Millimetres to whole twips (1/1440 inch), rounded half up."""
    return int((Decimal(mm) * 1440 / Decimal("25.4")).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def add_score_table(document, grid: Grid) -> None:
    """Append label, title, subtitle, the table and its notes on a new page of `document`."""
    headings = [(grid.label, "Attachment Label"), (grid.title, "Table Title"),
                (grid.subtitle, "Table Subtitle")]
    first = True
    for text, style in headings:
        if text:
            paragraph = document.add_paragraph(text, style=style)
            paragraph.paragraph_format.page_break_before = first
            first = False

    widths = [mm_to_twips(w) for w in grid.widths_mm]
    table = document.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False                           # w:tblLayout fixed
    for column, width in zip(table.columns, widths):
        column.width = Twips(width)
    ooxml.set_table_frame(table._tbl, sum(widths), BORDER_EIGHTHS, CELL_MARGINS)

    # The w:tc of each grid position, looked up once (Table.cell() rebuilds the whole cell list on
    # every call); each stays valid while the (non-overlapping) merges swallow its neighbours.
    at = [tr.tc_lst for tr in table._tbl.tr_lst]
    # The style id looked up once: python-docx's `paragraph.style = name` scans every style of the
    # document on each call.
    text_format = _ParagraphFormat(document.part.get_style_id("Table Text", WD_STYLE_TYPE.PARAGRAPH))
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        _check(grid, cell)
        tc = at[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            tc = _merge(at, cell)
        _fill(tc, cell.text, _ALIGN.get(cell.role, WD_PARAGRAPH_ALIGNMENT.CENTER), text_format)

    ooxml.set_cells(table._tbl, widths, BORDER_EIGHTHS)
    ooxml.set_rows(table._tbl, grid.header_rows)
    for note in grid.notes:
        document.add_paragraph(note, style="Table Note")


def style_narrative_tables(document) -> None:
    """pandoc's tables in the narrative (表1-2-1 …) ruled and centred like the 自评表, cells centred
    vertically, rows kept on one page; pandoc has already marked their header rows."""
    for table in document.tables:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        ooxml.set_table_borders(table._tbl, BORDER_EIGHTHS)
        ooxml.set_rows(table._tbl, header_rows=0)
        for cell in table._cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _check(grid: Grid, cell) -> None:
    if (cell.row < 0 or cell.col < 0 or cell.rowspan < 1 or cell.colspan < 1
            or cell.row + cell.rowspan > grid.n_rows or cell.col + cell.colspan > grid.n_cols):
        raise ValueError(f"cell {cell.text!r} at ({cell.row}, {cell.col}) spanning "
                         f"{cell.rowspan}x{cell.colspan} leaves the {grid.n_rows}x{grid.n_cols} grid")


def _merge(at, cell):
    """Merge the w:tc elements the Grid cell covers; the top-left one, which remains.

    This is what python-docx's _Cell.merge does to a rectangle of fresh cells (one grid column
    each, no vertical merge, empty), step for step and with its own element methods, without the
    searches that make its merge slow (each locates every cell again through XPath). Anything else
    is left to python-docx's merge."""
    rows = [at[cell.row + k][cell.col:cell.col + cell.colspan] for k in range(cell.rowspan)]
    fresh = all(tc.grid_span == 1 and tc.vMerge is None and tc._is_empty for row in rows for tc in row) \
        and all(a.getnext() is b for row in rows for a, b in zip(row, row[1:]))
    if not fresh:
        top, bottom = rows[0][0], rows[-1][-1]
        return _Cell(top, None).merge(_Cell(bottom, None))._tc
    for k, row in enumerate(rows):
        first = row[0]
        for other in row[1:]:                       # _Cell.merge → CT_Tc._swallow_next_tc
            first._add_width_of(other)
            first.grid_span += other.grid_span
            other.getparent().remove(other)
        first.vMerge = None if cell.rowspan == 1 else ST_Merge.RESTART if k == 0 else ST_Merge.CONTINUE
    return rows[0][0]


class _ParagraphFormat:
    """The w:pPr python-docx's `paragraph.style = …` and `paragraph.alignment = …` give a paragraph
    that has none, made once per alignment and copied: setting them one by one searches the
    schema order of every paragraph property on each call."""

    def __init__(self, style_id: str | None):
        self.style_id = style_id
        self._made: dict = {}

    def ppr(self, align):
        if align not in self._made:
            p = OxmlElement("w:p")
            p.style = self.style_id
            p.alignment = align
            self._made[align] = p.pPr
        return copy.deepcopy(self._made[align])


def _fill(tc, text: str, align, fmt: _ParagraphFormat) -> None:
    """One Table Text paragraph per line of `text`, aligned by role, vertically centred: what
    python-docx's _Cell and Paragraph setters do, applied to the elements."""
    tc.get_or_add_tcPr().vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER    # cell.vertical_alignment
    lines = text.split("\n") if text else [""]
    p = tc.p_lst[0]                                                       # cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            p = tc.add_p()                                                # cell.add_paragraph()
        if p.pPr is None:                                                 # paragraph.style and
            p.insert(0, fmt.ppr(align))                                   # paragraph.alignment
        else:
            p.style = fmt.style_id
            p.alignment = align
        if line:
            p.add_r().text = line                                         # paragraph.add_run(line)
