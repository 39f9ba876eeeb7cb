"""One evaluation through load → model → compute → checks; the only place the stages meet."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import advice, checks, glyphs
from .compute import Figures, compute
from .diagnostics import Diagnostic
from .load import Source, load
from .model import Evaluation
from .narrative_text import RenderedNarrative, fill
from .sources import discover  # noqa: F401 — callers find it here too
from .styles import body_font
from .validate import validate


@dataclass(frozen=True)
class Evaluated:
    source: Source
    evaluation: Evaluation
    figures: Figures
    texts: RenderedNarrative             # the narrative's texts filled with the figures
    diagnostics: tuple[Diagnostic, ...]  # located, in source order of discovery

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def blocking(self) -> list[Diagnostic]:
        """Errors in the document's own content: only a draft is built (see Diagnostic.blocks_document)."""
        return [d for d in self.diagnostics if d.blocks_document]


def evaluate(path: Path) -> Evaluated:
    """Raises SourceError when the file is not a valid evaluation; otherwise checks everything."""
    return evaluate_source(load(path))


def evaluate_source(source: Source) -> Evaluated:
    """evaluate() of a source already parsed, such as a document imported in memory."""
    ev = validate(source)
    fig = compute(ev)
    texts = fill(ev, fig)
    found = tuple(source.locate(d) for d in [*checks.run(ev, fig), *texts.problems, *glyphs.missing(ev, body_font())])
    found += advice.review(source, ev, fig)
    return Evaluated(source, ev, fig, texts, found)
