"""A docx read back as text, one fact per line: for golden files and `git diff` of .docx.

Paragraphs print with their style ("[Heading 1] 一、基本情况"); each table prints one cell per
line with its position and span, the way the Grid dump does, so a reviewer sees a changed merge
as a changed line.
"""
from __future__ import annotations

import io

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from . import ooxml


def _cell_text(tc) -> str:
    return "⏎".join(Paragraph(p, None).text for p in ooxml.cell_paragraphs(tc))


def _table_lines(table: Table, number: int) -> list[str]:
    rows = len(table.rows)
    lines = [f"table {number}: {rows}x{ooxml.grid_columns(table._tbl)}"]
    for r, c, rowspan, colspan, tc in ooxml.table_cells(table._tbl):
        lines.append(f"  r{r + 1}c{c + 1} [{rowspan}x{colspan}] {_cell_text(tc)}")
    return lines


def dump(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines, tables = [], 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            lines.extend(_table_lines(block, tables))
        else:
            style = block.style.name if block.style is not None else "?"
            brk = " ⤓" if block.paragraph_format.page_break_before else ""
            lines.append(f"[{style}]{brk} {block.text}".replace("\n", "⏎"))
    return "\n".join(lines) + "\n"
