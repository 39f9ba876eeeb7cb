"""A .docx into Tables (plain cell matrices with merges resolved), its titles and paragraphs.

w:gridSpan and w:vMerge are read through render/ooxml.py (the one place that touches raw
WordprocessingML); a cell covered by a merge takes the text and origin of the cell that starts
it. The lines above each table are kept with it (the 附件 label, the title and the year printed
over the 自评表), and every paragraph with its style, for the narrative. A table continued on the
next page as a second table (only empty paragraphs between) is joined to the first.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable

from ..i18n import _
from ..render import ooxml
from .matrix import Cell, Contents, ImportProblem, Table

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # a compound file: old binary Office, or encrypted OOXML
ENCRYPTED = "EncryptionInfo".encode("utf-16-le")     # the stream an encrypted (password) OOXML file holds


# The style our reports give the 落款 (templates/styles.yaml).
SIGNATURE = "Signature"


def open_package(path: Path, reader):
    """Open an Office Open XML file with `reader`, turning the usual failures into one message."""
    data = Path(path).read_bytes()
    if data[:8] == OLE_MAGIC and ENCRYPTED in data:
        raise ImportProblem(_("the file is password-protected (encrypted); save an unprotected copy and import that"))
    if data[:8] == OLE_MAGIC:
        raise ImportProblem(_("the file is an old binary Word or Excel file (.doc, .xls) named {suffix}; rename it "
                              "to .doc or .xls and import it again").format(suffix=Path(path).suffix))
    try:
        return reader(path)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as e:
        raise ImportProblem(_("the file cannot be read as {kind}: it is damaged or not what its name says "
                              "({reason})").format(kind=Path(path).suffix, reason=type(e).__name__))


def _matrix(table: DocxTable, previous: list[list[Cell]]) -> list[list[Cell]]:
    """Rows of one Word table, numbered on from the rows before it; a vertical merge continued
    from the table before (a table split over two pages) keeps the origin of the cell it continues."""
    rows: list[list[Cell]] = []
    for cells in ooxml.row_cells(table):
        r, out = len(previous) + len(rows), []
        for col, span, continues, text in cells:
            above = (rows[-1] if rows else previous[-1] if previous else [])
            origin = above[col].origin if continues and col < len(above) else (r, col)
            cell = Cell(above[col].text if continues and col < len(above) else text, origin)
            out.extend([cell] * span)
        rows.append(out)
    return rows


def read(path: Path) -> Contents:
    """Every table of the document (continued tables joined, each with the lines printed above
    it), the title and subtitle lines, and every other paragraph with its style, in one pass."""
    document = open_package(path, Document)
    contents = Contents([])
    lines: list[str] = []
    joinable = False        # only empty paragraphs since the last table
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            if joinable and contents.tables:
                t = contents.tables[-1]
                t.rows.extend(_matrix(block, t.rows))
            else:
                contents.tables.append(Table(_matrix(block, []), before=lines[-6:]))
            joinable, lines = True, []
            continue
        style = block.style.name if block.style is not None else ""
        if style in ("Title", "Subtitle"):
            if block.text.strip():
                contents.titles.append(block.text)
        elif style == SIGNATURE:
            pass      # the 落款 (unit and date) closes the report: no section's text
        else:
            contents.paragraphs.append((style, block.text))
        text = block.text.strip()
        if text:
            joinable = False
            lines.append(text)
    return contents
