"""A .docx into Tables (plain cell matrices with merges resolved) and the lines above each.

w:gridSpan and w:vMerge are read through render/ooxml.py (the one place that touches raw
WordprocessingML); a cell covered by a merge takes the text and origin of the cell that starts it. The paragraphs above each table are kept: the 附件
label, the title and the year line printed over the 自评表. A table continued on the next page
as a second table (only empty paragraphs between) is joined to the first.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable

from ..i18n import _
from ..render import ooxml
from .matrix import Cell, ImportProblem, Table

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # a compound file: an encrypted (password) Office file


def open_package(path: Path, reader):
    """Open an Office Open XML file with `reader`, turning the usual failures into one message."""
    head = Path(path).read_bytes()[:8]
    if head == OLE_MAGIC:
        raise ImportProblem(_("the file is password-protected (encrypted); save an unprotected copy and import that"))
    try:
        return reader(path)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as e:
        raise ImportProblem(_("the file cannot be read as {kind}: it is damaged or not what its name says "
                              "({reason})").format(kind=Path(path).suffix, reason=type(e).__name__))


def _matrix(table: DocxTable, previous: list[list[Cell]]) -> list[list[Cell]]:
    """Rows of one Word table, numbered on from the rows before it; a vertical merge continued
    from the table before (a table split over two pages) keeps the origin of the cell it continues."""
    rows: list[list[Cell]] = []
    for cells in ooxml.table_cells(table):
        r, out = len(previous) + len(rows), []
        for col, span, continues, text in cells:
            above = (rows[-1] if rows else previous[-1] if previous else [])
            origin = above[col].origin if continues and col < len(above) else (r, col)
            cell = Cell(above[col].text if continues and col < len(above) else text, origin)
            out.extend([cell] * span)
        rows.append(out)
    return rows


def read(path: Path) -> list[Table]:
    """Every table of the document, continued tables joined, with the lines printed above it."""
    document = open_package(path, Document)
    tables: list[Table] = []
    lines: list[str] = []
    joinable = False        # only empty paragraphs since the last table
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            if joinable and tables:
                t = tables[-1]
                t.rows.extend(_matrix(block, t.rows))
            else:
                tables.append(Table(_matrix(block, []), before=lines[-6:]))
            joinable, lines = True, []
            continue
        text = block.text.strip()
        if text:
            joinable = False
            lines.append(text)
    return tables


def title_lines(path: Path) -> list[str]:
    """The report's title and subtitle paragraphs (styles Title / Subtitle), if it has any."""
    document = open_package(path, Document)
    return [p.text for p in document.paragraphs
            if p.style is not None and p.style.name in ("Title", "Subtitle") and p.text.strip()]


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph in order, the title and subtitle left out: the
    report's text, for narrative.sections."""
    document = open_package(path, Document)
    out = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            continue
        style = block.style.name if block.style is not None else ""
        if style not in ("Title", "Subtitle"):
            out.append((style, block.text))
    return out
