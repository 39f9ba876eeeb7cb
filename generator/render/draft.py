"""A draft: the report with its problems showing, so nobody can hand it in by mistake.

When a source's own content is wrong (weights that do not sum to 100, a score below full without a
reason …) the build refuses it; asked for a draft anyway, it gets this: a diagonal 草稿 watermark
behind every page (in the headers, which every page shows) and a last page, 草稿问题清单, listing
the problems one per line. The words and the look come from templates/styles.yaml (`draft:`).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.text import WD_PARAGRAPH_ALIGNMENT

from . import ooxml


def mark_as_draft(document, problems: Sequence[str], spec: dict[str, Any]) -> None:
    """Watermark every page of `document` and append the list of `problems` on a page of its own."""
    draft = spec["draft"]
    section = document.sections[0]
    for i, header in enumerate((section.header, section.even_page_header)):
        header.is_linked_to_previous = False
        ooxml.clear_content(header.part.element)
        paragraph = header.add_paragraph()
        ooxml.add_watermark(paragraph._p, draft["watermark"], draft["font"], draft["color"], number=i + 1)
    for later in document.sections[1:]:
        later.header.is_linked_to_previous = True
        later.even_page_header.is_linked_to_previous = True

    title = document.add_paragraph(draft["title"], style="Title")
    title.paragraph_format.page_break_before = True
    title.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
    for n, problem in enumerate(problems or [draft["none"]], start=1):
        document.add_paragraph(f"{n}．{problem}" if problems else problem, style="Draft Item")
