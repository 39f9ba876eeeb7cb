"""The 自评表 Grid as a Word table, appended to the report after a page break.

The Grid has already decided every merge and every width (generator/grid.py), so this module only
transcribes it: fixed column widths from the Grid rather than Word's autofit (which would reflow
the form by its content), merges exactly as given, each row kept on one page, the header rows
repeated on the next page. Styles come from templates/styles.yaml by name. pandoc's own tables in
the narrative get the same rules and centring (style_narrative_tables).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.shared import Emu, Twips

from ..grid import LABEL, TEXT, VALUE, Grid
from . import ooxml

BORDER_EIGHTHS = 4                    # ½ pt: the thin single rule of printed forms
CELL_MARGINS = {"top": 0, "bottom": 0, "left": 57, "right": 57}   # twips; 1 mm keeps 9 columns roomy
_ALIGN = {LABEL: "center", VALUE: "center", TEXT: "left"}     # w:jc of each role's paragraphs


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

    at = ooxml.cell_elements(table._tbl)
    # The style id looked up once: python-docx's `paragraph.style = name` scans every style of the
    # document on each call.
    style_id = document.part.get_style_id("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    formats = {role: ooxml.paragraph_properties(style_id, align) for role, align in _ALIGN.items()}
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        _check(grid, cell)
        tc = at[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            tc = ooxml.merge_cells(at, cell.row, cell.col, cell.rowspan, cell.colspan)
        ooxml.fill_cell(tc, cell.text.split("\n") if cell.text else [""], formats.get(cell.role, formats[VALUE]))

    ooxml.set_cells(table._tbl, widths, BORDER_EIGHTHS)
    ooxml.set_rows(table._tbl, grid.header_rows)
    for note in grid.notes:
        document.add_paragraph(note, style="Table Note")


def style_narrative_tables(document) -> None:
    """pandoc's tables in the narrative (表1-2-1 …) ruled and centred like the 自评表, the full width
    of the type area (so they share their edges with each other and with the "单位：万元" line above
    them, which is right-aligned to the margin), pandoc's relative column widths kept, header rows
    centred, cells centred vertically, rows kept on one page; pandoc has already marked their
    header rows."""
    section = document.sections[-1]
    area = Emu(section.page_width - section.left_margin - section.right_margin).twips
    for table in document.tables:
        tbl = table._tbl
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = _scaled(ooxml.grid_widths(tbl), area)
        ooxml.set_grid_widths(tbl, widths)
        ooxml.set_table_frame(tbl, sum(widths), BORDER_EIGHTHS, CELL_MARGINS)
        ooxml.set_cells(tbl, widths, BORDER_EIGHTHS)
        ooxml.set_rows(tbl, header_rows=0)
        ooxml.center_header_rows(tbl)
        for cell in table._cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _scaled(widths: list[int], total: int) -> list[int]:
    """`widths` scaled to sum to `total` twips (equal shares where pandoc gave none), the rounding
    left over given to the last column."""
    if not widths or not all(widths):
        widths = [1] * max(len(widths), 1)
    whole = sum(widths)
    scaled = [w * total // whole for w in widths]
    scaled[-1] += total - sum(scaled)
    return scaled


def _check(grid: Grid, cell) -> None:
    if (cell.row < 0 or cell.col < 0 or cell.rowspan < 1 or cell.colspan < 1
            or cell.row + cell.rowspan > grid.n_rows or cell.col + cell.colspan > grid.n_cols):
        raise ValueError(f"cell {cell.text!r} at ({cell.row}, {cell.col}) spanning "
                         f"{cell.rowspan}x{cell.colspan} leaves the {grid.n_rows}x{grid.n_cols} grid")
