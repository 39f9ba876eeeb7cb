"""Build sources into build/<year>/<slug>.docx.

Everything is rendered in memory first and written atomically, so a failure or an interrupt
leaves the previous output as it was, and one failing source never stops the others. Each output
gets a make dependency file (.d) naming the templates it was made from, so `make build` rebuilds
exactly what a change touches; the same rule keeps `python -m generator build` incremental for
people without make.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import PUBLISHED, Diagnostic, SourceError
from .i18n import _, ngettext
from .paths import ROOT
from .sources import discover
from .write import write_bytes, write_text

PROGRESS_FROM = 4   # a progress bar from this many sources on
# A worker process costs a cold start (~0.5 s: imports, the reference document, pandoc), some five
# reports' worth: a batch gets a second worker from twice that many reports on (parallel.py).
REPORTS_PER_WORKER = 10


def output_stem(source: Path, out: Path) -> Path:
    """sources/2022/enterprise-association.yaml → build/2022/enterprise-association"""
    return out / source.parent.name / source.stem


def generator_files() -> list[Path]:
    """The pipeline's own code and data: a change to them may change every output."""
    package = ROOT / "generator"
    return sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yaml") and "__pycache__" not in p.parts)


@dataclass
class Outcome:
    source: Path
    status: str                      # "built", "skipped", "failed"
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # A problem that is not about the source's content (a folder that cannot be written).
    failure: str | None = None

    @property
    def messages(self) -> list[str]:
        """What to print: the failure, or the diagnostics, those that stopped the build first."""
        if self.failure:
            return [self.failure]
        ordered = sorted(self.diagnostics, key=lambda d: not d.blocks_document) if self.status == "failed" \
            else self.diagnostics
        return [d.format() for d in ordered]


def _make_rule(target: Path, deps: list[Path]) -> str:
    def rel(p: Path) -> str:
        try:
            return str(p.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(p.resolve())
    return f"{rel(target)}: {' '.join(rel(d) for d in deps)}\n"


def up_to_date(source: Path, out: Path, generator: list[Path] | None = None) -> bool:
    """The outputs exist and are newer than the source, the generator and the templates they
    were made from (as recorded in their .d file). `generator`: generator_files(), when the
    caller has listed them already (a batch lists them once, not once per source)."""
    stem = output_stem(source, out)
    outputs, dep = [stem.with_suffix(s) for s in OUTPUTS], stem.with_suffix(".d")
    if not dep.exists() or not all(o.exists() for o in outputs):
        return False
    recorded = dep.read_text(encoding="utf-8").split(":", 1)[-1].split()
    deps = [source, *(generator_files() if generator is None else generator), *(Path(p) for p in recorded)]
    built = min(o.stat().st_mtime for o in outputs)
    return all(p.exists() and p.stat().st_mtime <= built for p in deps)


OUTPUTS = (".docx", ".xlsx")   # the report, and its 自评表 as a workbook


DRAFT_SUFFIX = "-草稿"   # build/<year>/<slug>-草稿.docx: never the name of a document to hand in


def draft_path(path: Path, out: Path) -> Path:
    stem = output_stem(path, out)
    return stem.with_name(stem.name + DRAFT_SUFFIX).with_suffix(".docx")


def build_one(path: Path, out: Path, strict: bool = False, draft: bool = False) -> Outcome:
    """No wrong document leaves the build: an error in the document's own content (weights that do
    not add up, a score below full without a reason, a figure that cannot be computed) stops it, and
    the previous output stays as it was. Errors about an earlier printed report (E-PUBLISHED) do not:
    the new document prints the computed figures. `strict` stops on those too.

    With `draft`, a source that would stop is built anyway into <slug>-草稿.docx, a 草稿 watermark on
    every page and its problems listed on a last page; the document of its own name is left alone,
    so a draft can never pass for the report."""
    from .pipeline import evaluate   # here, not above: a no-op build imports no pipeline
    try:
        result = evaluate(path)
    except SourceError as e:
        return Outcome(path, "failed", e.diagnostics)
    found = list(result.diagnostics)
    stopped = any(d.blocks_document for d in found) or (strict and any(d.is_error for d in found))
    if stopped and draft:
        return _build_draft(path, out, result, found)
    if stopped:
        return Outcome(path, "failed", found)
    from .render.document import render_docx, templates_used, typeset
    from .render.pandoc import PandocError
    try:
        narrative = typeset(result.evaluation, result.figures, result.texts)  # pandoc runs meanwhile:
        from .layout import score_table                                       # imports, table, workbook
        from .render.xlsx import workbook_bytes
        grid = score_table(result.evaluation, result.figures)
        xlsx = workbook_bytes(grid)
        docx = render_docx(result.evaluation, result.figures, result.texts, grid=grid, narrative=narrative)
    except SourceError as e:  # template errors in the narrative: point into the source
        return Outcome(path, "failed", [result.source.locate(d) for d in e.diagnostics])
    except PandocError as e:  # pandoc missing or failing: a message, not a traceback
        return Outcome(path, "failed", found, f"{path}: {e}")
    stem = output_stem(path, out)
    try:
        write_bytes(stem.with_suffix(".docx"), docx)
        write_bytes(stem.with_suffix(".xlsx"), xlsx)
        write_text(stem.with_suffix(".d"), _make_rule(stem.with_suffix(".docx"), templates_used(result.evaluation)))
    except OSError as e:  # read-only folder, full disk: the previous output is still intact
        return Outcome(path, "failed", found, _("{source}: cannot write {target}: {reason} (the previous output is "
                                                "unchanged)").format(source=path, target=stem.with_suffix(".docx"),
                                                                     reason=e.strerror or e))
    return Outcome(path, "built", found)


def _build_draft(path: Path, out: Path, result, found: list[Diagnostic]) -> Outcome:
    from .layout import score_table
    from .render.document import render_docx
    problems = [d.format() for d in sorted(found, key=lambda d: not d.blocks_document) if d.is_error]
    target = draft_path(path, out)
    try:
        grid = score_table(result.evaluation, result.figures)
        docx = render_docx(result.evaluation, result.figures, result.texts, grid=grid, draft=problems)
    except SourceError as e:
        return Outcome(path, "failed", [result.source.locate(d) for d in e.diagnostics])
    try:
        write_bytes(target, docx)
    except OSError as e:
        return Outcome(path, "failed", found, _("{source}: cannot write {target}: {reason} (the previous output is "
                                                "unchanged)").format(source=path, target=target,
                                                                     reason=e.strerror or e))
    return Outcome(path, "draft", found)


def _build_task(job: tuple[Path, Path, bool, bool]) -> Outcome:
    """build_one for a worker process (parallel.ordered hands each task one argument)."""
    return build_one(*job)


def build_all(args: list[str], out: Path, strict: bool = False, force: bool = False, draft: bool = False) -> int:
    """Out-of-date sources are built over one worker per core when there are enough of them; the
    outcomes are reported in the sources' order whichever worker built them."""
    from .parallel import ordered, workers
    paths = discover(args)
    generator = None if force else generator_files()
    is_stale = [force or not up_to_date(p, out, generator) for p in paths]
    stale = [p for p, s in zip(paths, is_stale) if s]
    built: list[Outcome] = []
    progress = _progress(len(stale))
    with progress:
        task = progress.add_task(_("building"), total=len(stale)) if progress else None
        jobs = [(p, out, strict, draft) for p in stale]
        try:
            for outcome in ordered(_build_task, jobs, workers(len(jobs), REPORTS_PER_WORKER), chunk=2):
                built.append(outcome)
                if progress:
                    progress.update(task, description=f"{outcome.source.parent.name}/{outcome.source.stem}")
                    progress.advance(task)
        except BaseException:   # an interrupt, a worker that died: no temporary file stays behind
            _sweep(stale[len(built):], out)
            raise
    in_order = iter(built)
    outcomes = [next(in_order) if s else Outcome(p, "skipped") for p, s in zip(paths, is_stale)]
    _report(outcomes, verbose=len(paths) < PROGRESS_FROM, out=out)
    return 2 if any(o.status == "failed" for o in outcomes) else 0


def _sweep(unfinished: list[Path], out: Path) -> None:
    """Remove the temporary files (write.py's `.<name>.*.tmp`) a killed worker may have left for
    the sources it had not finished; their previous outputs were never touched."""
    for source in unfinished:
        stem = output_stem(source, out)
        for suffix in (*OUTPUTS, ".d"):
            for tmp in stem.parent.glob(f".{stem.name}{suffix}.*.tmp"):
                tmp.unlink(missing_ok=True)


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __bool__(self):
        return False


def _progress(n: int):
    if n < PROGRESS_FROM or not sys.stderr.isatty():
        return _NoProgress()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    return Progress(TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(), transient=True)


def _report(outcomes: list[Outcome], verbose: bool, out: Path) -> None:
    """All diagnostics for a few sources; for a batch, one screen: counts and each failure's first line."""
    for o in outcomes:
        if verbose or o.status == "failed":
            for m in (o.messages if verbose else o.messages[:1]):
                print(m, file=sys.stderr)
    count = {s: sum(o.status == s for o in outcomes) for s in ("built", "skipped", "failed")}
    print(_("built {built}, up to date {skipped}, failed {failed} (into {out}/)").format(
        out=out, **count), file=sys.stderr)
    if any(d.about == PUBLISHED for o in outcomes if o.status == "built" for d in o.diagnostics):
        _say_once(out, published_note())
    for o in outcomes:
        if o.status == "failed":
            print(_("  failed: {source}").format(source=o.source), file=sys.stderr)
        elif o.status == "draft":
            print(_("  draft (草稿, not to be handed in): {target}").format(target=draft_path(o.source, out)),
                  file=sys.stderr)


def published_note() -> str:
    """The sample sources re-author published reports, mistakes included, so a newcomer's first
    build prints E-PUBLISHED lines that are not the newcomer's doing."""
    return _("E-PUBLISHED lines are the errors the report was published with (the figures under "
             "'published:' in its source, as printed then); the documents just built are corrected: "
             "they carry the computed figures.")


NOTE_SHOWN = ".published-note-shown"


def _say_once(out: Path, note: str) -> None:
    """Print `note` under the summary the first time an output folder sees it: `make build` runs one
    process per report, and a dozen copies of the same explanation would bury it again."""
    marker = out / NOTE_SHOWN
    if marker.exists():
        return
    print(note, file=sys.stderr)
    try:
        write_text(marker, note + "\n")
    except OSError:  # a read-only build folder has already been reported
        pass


def pdf_all(args: list[str], out: Path) -> int:
    """Convert the built .docx of each source (build them first) to PDF beside it."""
    from .render.pdf import PdfError, convert
    paths = discover(args)
    documents = [output_stem(p, out).with_suffix(".docx") for p in paths]
    missing = [d for d in documents if not d.exists()]
    if missing:
        print(_("not built yet: {files} (run make build)").format(files=", ".join(map(str, missing))),
              file=sys.stderr)
        return 2
    try:
        written = convert(documents)
    except PdfError as e:
        print(_("pdf: {error}").format(error=e), file=sys.stderr)
        return 2
    print(ngettext("wrote {n} PDF file into {out}/", "wrote {n} PDF files into {out}/", len(written)).format(
        n=len(written), out=out), file=sys.stderr)
    return 0
