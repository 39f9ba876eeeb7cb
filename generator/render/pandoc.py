"""Markdown → docx with pandoc (shipped inside pypandoc-binary), styled by our reference docx.

The Markdown dialect is pandoc's, trimmed of what misfires on Chinese official prose: line breaks
between CJK characters must not become spaces (east_asian_line_breaks), "$", "~", "^", "@" are
ordinary characters in a report, raw HTML/TeX must not pass through, and quotes stay as typed.
SOURCE_DATE_EPOCH pins the dates pandoc writes, so its output is byte-identical between builds.
"""
from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

import pypandoc

MARKDOWN = ("markdown+east_asian_line_breaks-auto_identifiers-smart-tex_math_dollars-raw_html-raw_tex"
            "-raw_attribute-implicit_figures-subscript-superscript-citations-example_lists-task_lists"
            "-yaml_metadata_block-fancy_lists-strikeout-footnotes-inline_notes-link_attributes")
EPOCH = "946684800"  # 2000-01-01: any fixed date; the documents carry no meaningful timestamp


class PandocError(RuntimeError):
    pass


@lru_cache(maxsize=4)
def _reference_file(reference: bytes) -> str:
    """pandoc reads the reference from a path: write it once per process and content."""
    fd, path = tempfile.mkstemp(prefix="selfeval-reference-", suffix=".docx")
    with os.fdopen(fd, "wb") as f:
        f.write(reference)
    return path


def to_docx(markdown: str, reference: bytes) -> bytes:
    os.environ.setdefault("SOURCE_DATE_EPOCH", EPOCH)
    fd, out = tempfile.mkstemp(prefix="selfeval-", suffix=".docx")
    os.close(fd)
    try:
        pypandoc.convert_text(markdown, "docx", format=MARKDOWN, outputfile=out,
                              extra_args=[f"--reference-doc={_reference_file(reference)}"])
        return Path(out).read_bytes()
    except RuntimeError as e:
        raise PandocError(f"pandoc failed: {e}") from e
    finally:
        os.unlink(out)
