"""Build sources into build/<year>/<slug>.docx: everything is rendered in memory first and written
atomically, so a failure leaves the previous output as it was; one failing source never stops
the others."""
from __future__ import annotations

import sys
from pathlib import Path

from .diagnostics import SourceError
from .pipeline import discover, evaluate
from .write import write_bytes


def output_stem(source: Path, out: Path) -> Path:
    """sources/2022/enterprise-association.yaml → build/2022/enterprise-association"""
    return out / source.parent.name / source.stem


def _say(diagnostics) -> None:
    for d in diagnostics:
        print(d.format(), file=sys.stderr)


def build_one(path: Path, out: Path, strict: bool = False) -> bool:
    from .render.document import render_docx
    try:
        result = evaluate(path)
    except SourceError as e:
        _say(e.diagnostics)
        print(f"{path}: not built", file=sys.stderr)
        return False
    _say(result.diagnostics)
    if result.undetermined or (strict and result.errors):
        print(f"{path}: not built (fix the errors above)", file=sys.stderr)
        return False
    try:
        docx = render_docx(result.evaluation, result.figures)
    except SourceError as e:  # template errors in the narrative: point into the source
        _say(result.source.locate(d) for d in e.diagnostics)
        print(f"{path}: not built", file=sys.stderr)
        return False
    write_bytes(output_stem(path, out).with_suffix(".docx"), docx)
    return True


def build_all(args: list[str], out: Path, strict: bool = False) -> int:
    paths = discover(args)
    failed = [p for p in paths if not build_one(p, out, strict)]
    print(f"built {len(paths) - len(failed)} of {len(paths)} into {out}/", file=sys.stderr)
    return 2 if failed else 0


def pdf_all(args: list[str], out: Path) -> int:
    """Convert the built .docx of each source (build them first) to PDF beside it."""
    from .render.pdf import PdfError, convert
    paths = discover(args)
    documents = [output_stem(p, out).with_suffix(".docx") for p in paths]
    missing = [d for d in documents if not d.exists()]
    if missing:
        print(f"not built yet: {', '.join(map(str, missing))} (run make build)", file=sys.stderr)
        return 2
    try:
        written = convert(documents)
    except PdfError as e:
        print(f"pdf: {e}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} PDF files into {out}/", file=sys.stderr)
    return 0
