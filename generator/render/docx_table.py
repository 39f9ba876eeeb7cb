"""The 自评表 Grid as a Word table, appended to the report after a page break.

The Grid has already decided every merge and every width (generator/grid.py), so this module only
transcribes it: fixed column widths from the Grid rather than Word's autofit (which would reflow
the form by its content), merges exactly as given, each row kept on one page, the header rows
repeated on the next page. Styles come from templates/styles.yaml by name. pandoc's own tables in
the narrative get the same rules and centring (style_narrative_tables).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.shared import Twips

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

    # Look the cells up once: Table.cell() rebuilds the whole list on every call. The tc of each
    # grid position stays valid while the (non-overlapping) merges below swallow its neighbours.
    flat = table._cells
    at = [flat[r * grid.n_cols:(r + 1) * grid.n_cols] for r in range(grid.n_rows)]
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        _check(grid, cell)
        target = at[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(at[cell.row + cell.rowspan - 1][cell.col + cell.colspan - 1])
        _fill(target, cell.text, _ALIGN.get(cell.role, WD_PARAGRAPH_ALIGNMENT.CENTER))

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


def _fill(target, text: str, align) -> None:
    """One Table Text paragraph per line of `text`, aligned by role, vertically centred."""
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.split("\n") if text else [""]
    paragraph = target.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            paragraph = target.add_paragraph()
        paragraph.style = "Table Text"
        paragraph.alignment = align
        if line:
            paragraph.add_run(line)
