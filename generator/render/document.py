"""The Word report: pandoc typesets the narrative with our GB/T 9704 reference document, then
python-docx appends the 自评表 as the attachment and finishes page setup, footer and fonts.

Nothing here derives a number: figures come from compute, their placement from layout.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path

from docx import Document

from ..compute import Figures
from ..grid import Grid
from ..layout import score_table
from ..model import Evaluation
from ..narrative_text import RenderedNarrative
from ..paths import TEMPLATES
from ..styles import load_styles
from . import docx_table, finish, reference
from .draft import mark_as_draft
from .narrative import markdown
from .pandoc import start


def templates_used(ev: Evaluation, templates: Path = TEMPLATES) -> list[Path]:
    """Every template file a report of `ev` is made from: make rebuilds it when one changes."""
    return [templates / "outlines" / f"{ev.outline}.md.j2", templates / "outlines" / "_macros.md.j2",
            templates / "styles.yaml", *(Path(f) for f in ev.profile.files)]


def typeset(ev: Evaluation, fig: Figures, texts: RenderedNarrative, templates: Path = TEMPLATES) -> Future[bytes]:
    """The narrative through pandoc, started now and finished in the background: the caller lays
    out the 自评表 and writes the workbook meanwhile, then hands this to render_docx."""
    return start(markdown(ev, fig, texts, templates), reference.reference_docx(templates / "styles.yaml"))


def render_docx(ev: Evaluation, fig: Figures, texts: RenderedNarrative, templates: Path = TEMPLATES,
                grid: Grid | None = None, draft: Sequence[str] | None = None,
                narrative: Future[bytes] | None = None) -> bytes:
    """The report; `texts` are the narrative's filled texts (Evaluated.texts); `grid` is the laid-out
    自评表 when the caller already has it (the build also writes it as a workbook); `narrative` is
    `typeset`'s conversion when the caller started it earlier. `draft`, the problems of a source that
    may not be handed in, makes it a draft: a 草稿 watermark on every page and the problems listed on
    a last page."""
    styles = templates / "styles.yaml"
    body = (narrative or typeset(ev, fig, texts, templates)).result()
    document = Document(io.BytesIO(body))
    docx_table.style_narrative_tables(document)
    docx_table.add_score_table(document, grid or score_table(ev, fig))
    finish.finish(document, ev.title, styles)
    if draft is not None:                 # after finish, which drops every header definition
        mark_as_draft(document, draft, load_styles(styles))
    return finish.to_bytes(document)
