"""The 自评表 Grid as a Word table, appended to the report after a page break.

The Grid has already decided every merge (generator/grid.py), so this module only transcribes it:
fixed column widths computed from the Grid's content (generator/widths.py) rather than Word's
autofit (which reflows the form on every edit), merges exactly as given, each row kept on one page,
the indicator heading repeated on the next page and kept with the row under it. Styles come from templates/styles.yaml by name. pandoc's own tables in
the narrative get the same rules and centring (style_narrative_tables).
"""
from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.shared import Emu, Twips

from ..grid import LABEL, TEXT, VALUE, Cell, Grid
from . import ooxml

BORDER_EIGHTHS = 4                    # ½ pt: the thin single rule of printed forms
CELL_MARGINS = {"top": 28, "bottom": 28, "left": 57, "right": 57}   # twips: 0.5 mm above and below, 1 mm beside
_ALIGN = {LABEL: "center", VALUE: "center", TEXT: "left"}     # w:jc of each role's paragraphs


def mm_to_twips(mm: Decimal) -> int:
    """Millimetres to whole twips (1/1440 inch), rounded half up."""
    return int((Decimal(mm) * 1440 / Decimal("25.4")).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def add_score_table(document, grid: Grid) -> None:
    """Append label, title, subtitle, the table and its notes on a new page of `document`.

    Where the Grid has an indicator block below other rows, the block is a second table directly
    under the first, joined by a hidden paragraph so the two read as one: Word repeats only a
    table's leading rows, and the row to repeat on continuation pages is the indicator heading
    (一级指标 … 偏差原因分析及改进措施), not 项目名称.
    """
    headings = [(grid.label, "Attachment Label"), (grid.title, "Table Title"),
                (grid.subtitle, "Table Subtitle")]
    first = True
    for text, style in headings:
        if text:
            paragraph = document.add_paragraph(text, style=style)
            paragraph.paragraph_format.page_break_before = first
            first = False

    split = grid.indicator_row or 0
    for cell in grid.cells:
        _check(grid, cell, split if cell.row < split else grid.n_rows)
    widths = [mm_to_twips(w) for w in grid.widths_mm]   # content-based: generator.widths, via the layout
    # The style id looked up once: python-docx's `paragraph.style = name` scans every style of the
    # document on each call.
    style_id = document.part.get_style_id("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    formats = {role: ooxml.paragraph_properties(style_id, align) for role, align in _ALIGN.items()}
    for top, bottom in ([(0, split), (split, grid.n_rows)] if split else [(0, grid.n_rows)]):
        if top:
            document.add_paragraph(style="Table Joint")
        table = _rows_as_table(document, grid, top, bottom, widths, formats)
        # the indicator heading repeats; a form without one repeats its own header rows
        heading = 1 if grid.indicator_row == top else 0 if grid.indicator_row is not None else grid.header_rows
        ooxml.set_rows(table._tbl, heading)
        ooxml.keep_with_next(table._tbl, heading)
    for note in grid.notes:
        document.add_paragraph(note, style="Table Note")


def _rows_as_table(document, grid: Grid, top: int, bottom: int, widths: list[int], formats):
    """Grid rows top..bottom-1 as one fixed-width Word table, merges as the Grid gives them."""
    table = document.add_table(rows=bottom - top, cols=grid.n_cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False                           # w:tblLayout fixed
    for column, width in zip(table.columns, widths):
        column.width = Twips(width)
    ooxml.set_table_frame(table._tbl, sum(widths), BORDER_EIGHTHS, CELL_MARGINS)
    at = ooxml.cell_elements(table._tbl)
    cells = [c for c in grid.cells if top <= c.row < bottom]
    joins = []
    if top == grid.indicator_row:       # a label down from the repeating heading row (绩效指标):
        cells, joins = _cut_below_heading(cells, top)
    placed = {}
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        row = cell.row - top
        tc = at[row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            tc = ooxml.merge_cells(at, row, cell.col, cell.rowspan, cell.colspan)
        ooxml.fill_cell(tc, cell.text.split("\n") if cell.text else [""], formats.get(cell.role, formats[VALUE]))
        placed[(cell.row, cell.col)] = tc
    ooxml.set_cells(table._tbl, widths, BORDER_EIGHTHS)
    for upper, lower in joins:
        ooxml.join_vertically(placed[upper], placed[lower])
    return table


def _cut_below_heading(cells: list[Cell], heading: int) -> tuple[list[Cell], list[tuple]]:
    """Cells of the heading row that reach down into the rows below (绩效指标 on the national form)
    cut in two: the label in the heading row and a blank merged cell under it, without a rule
    between. A repeated heading row must not start a merge that runs on into the body: LibreOffice
    draws the label again in the middle of the continuation page, Word clips it."""
    out, joins = [], []
    for cell in cells:
        if cell.row == heading and cell.rowspan > 1:
            out.append(replace(cell, rowspan=1))
            out.append(replace(cell, row=heading + 1, rowspan=cell.rowspan - 1, text=""))
            joins.append(((heading, cell.col), (heading + 1, cell.col)))
        else:
            out.append(cell)
    return out, joins


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


def _check(grid: Grid, cell, bottom: int) -> None:
    """A cell inside the grid, and not across the start of the indicator block (`bottom`)."""
    if (cell.row < 0 or cell.col < 0 or cell.rowspan < 1 or cell.colspan < 1
            or cell.row + cell.rowspan > bottom or cell.col + cell.colspan > grid.n_cols):
        raise ValueError(f"cell {cell.text!r} at ({cell.row}, {cell.col}) spanning "
                         f"{cell.rowspan}x{cell.colspan} leaves the {grid.n_rows}x{grid.n_cols} grid")
