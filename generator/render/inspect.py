"""A docx read back as text, one fact per line: for golden files and `git diff` of .docx.

Paragraphs print with their style ("[Heading 1] 一、基本情况"); each table prints one cell per
line with its position and span, the way the Grid dump does, so a reviewer sees a changed merge
as a changed line.
"""
from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def _cell_text(tc) -> str:
    return "⏎".join(Paragraph(p, None).text for p in tc.iterchildren(qn("w:p")))


def _table_lines(table: Table, number: int) -> list[str]:
    rows = table._tbl.tr_lst
    cols = len(table._tbl.tblGrid.gridCol_lst)
    lines = [f"table {number}: {len(rows)}x{cols}"]
    starts: dict[tuple[int, int], list] = {}   # (row, col) → [rowspan, colspan, text]
    open_merge: dict[int, tuple[int, int]] = {}  # col → start of the vertical merge running in it
    for r, tr in enumerate(rows):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue":
                start = open_merge.get(c)
                if start is not None:
                    starts[start][0] += 1
            else:
                starts[(r, c)] = [1, span, _cell_text(tc)]
                if tc.vMerge == "restart":
                    open_merge[c] = (r, c)
                else:
                    open_merge.pop(c, None)
            c += span
    for (r, c), (rowspan, colspan, text) in sorted(starts.items()):
        lines.append(f"  r{r + 1}c{c + 1} [{rowspan}x{colspan}] {text}")
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
