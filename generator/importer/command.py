"""`import PATH…`: the command around the importer: which documents, the source each one writes,
what was read, the summary.

One document is imported as it always was, with the details of what was read and guessed. A
folder or several documents are a batch: each report is imported on its own, so a bad one is
reported (its located messages name its file) while the others are still written; a source is
never written twice in one run nor over an existing one without --force; one summary line ends.
The documents are read in this process, or over workers when there are many (parallel.py); the
sources are written here, in the documents' order, so that which report claims a name is fixed.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _, ngettext
from .match import importable_forms
from . import import_file
from .check import problem, validated
from .folder import documents, is_batch, target
from .matrix import ImportProblem
from .write import write_source

# A report imports in some 40 ms, and a worker costs some 0.35 s of cold start (imports, the forms'
# empty tables). Measured on 2 cores (SELFEVAL_JOBS=1 vs 2, built synthetic reports): 20 reports
# 1.2 s either way, 40 within the noise, 100 4.1 → 3.0 s. So a second worker from 100 reports on.
REPORTS_PER_WORKER = 50


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=_("a report (.docx, .doc, .xlsx or .xls) or a folder of them (its subfolders too)"))
    parser.add_argument("-o", "--output",
                        help=_("with one document: the source to write (default: sources/<year>/<file name>.yaml); "
                               "with a folder or several documents, or when it is a folder or ends with /: the folder "
                               "to write each <file name>.yaml into"))
    parser.add_argument("--form", choices=importable_forms(),
                        help=_("the 自评表 layout (default: recognised from the table's labels)"))
    parser.add_argument("--year", type=int, help=_("the year evaluated, when the file prints none"))
    parser.add_argument("--force", action="store_true", help=_("overwrite an existing source"))


@dataclass
class Report:
    """One document's import: its source text and year, or the problems that stop it."""
    document: Path
    text: str = ""
    year: int = 0
    form: str = ""
    problems: list[str] = field(default_factory=list)    # located messages, formatted
    details: list[str] = field(default_factory=list)     # what was read and what guessed
    guesses: int = 0
    unread: list[str] = field(default_factory=list)


def read_report(job: tuple[Path, str | None, int | None, bool]) -> Report:
    """Import one document (in a worker when there are many): nothing is written here. In a batch
    (`contain`), an unexpected failure is that report's alone: the others are still written."""
    path, form, year, contain = job
    try:
        imported = import_file(path, form, year)
        text, invalid = validated(imported, path)
    except ImportProblem as e:
        return Report(path, problems=[problem(path, e).format()])
    except Exception as e:  # noqa: BLE001 — one report's bug must not cost the officer the others
        if not contain:
            raise
        return Report(path, problems=[f"{path}: " + _("internal error: {error} (rerun with --debug and report it)")
                                      .format(error=f"{type(e).__name__}: {e}")])
    if invalid:          # rows that match no form's vocabulary: nothing is written
        return Report(path, problems=[d.format() for d in invalid])
    details = [_("read: {what} ({form} form)").format(what="; ".join(imported.read), form=imported.form),
               _("printed figures kept under published: {n}").format(n=imported.printed_figures()),
               _("guessed ({n}, each marked with a comment):").format(n=len(imported.guesses))]
    details += [f"  {'.'.join(str(k) for k in p)}: {why}" for p, why in imported.guesses.items()]
    return Report(path, text, imported.data["year"], imported.form, details=details,
                  guesses=len(imported.guesses), unread=list(imported.unread))


def _say(lines: list[str]) -> None:
    print("\n".join(lines), file=sys.stderr)


def _reports(docs: list[Path], args, batch: bool) -> Iterator[Report]:
    from ..parallel import ordered, workers
    jobs = [(d, args.form, args.year, batch and not args.debug) for d in docs]
    return ordered(read_report, jobs, workers(len(jobs), REPORTS_PER_WORKER), chunk=10)


def main_import(args) -> int:
    """Write each document's source; 2 when any was not written (a bad document, or its source
    exists without --force), nothing half-written."""
    batch = is_batch(args.paths)
    if batch and args.output and Path(args.output).exists() and not Path(args.output).is_dir():
        print(_("{path} is a file: with a folder or several documents, -o names the folder the sources go "
                "into").format(path=args.output), file=sys.stderr)
        return 2
    docs, empty, twins = documents(args.paths)
    for folder in empty:
        _say([problem(folder, ImportProblem(_("the folder holds no .docx, .doc, .xlsx or .xls file"))).format()])
    for copy, read in twins:
        print(_("{copy}: the same report as {read}, which is read instead").format(copy=copy, read=read),
              file=sys.stderr)
    claimed: dict[Path, Path] = {}       # source → the document it is written from in this run
    count = {"imported": 0, "skipped": 0, "failed": len(empty)}
    failed: list[Path] = list(empty)
    for r in _reports(docs, args, batch):
        status = _write(r, args, batch, claimed)
        count[status] += 1
        if status == "failed":
            failed.append(r.document)
    if batch:
        print(_("imported {imported}, skipped {skipped} (the source exists), failed {failed}").format(**count),
              file=sys.stderr)
        for document in failed:
            print(_("  failed: {source}").format(source=document), file=sys.stderr)
    return 2 if count["failed"] or count["skipped"] else 0


def _write(r: Report, args, batch: bool, claimed: dict[Path, Path]) -> str:
    """Write one report's source and say so: 'imported', 'skipped' (it exists) or 'failed'."""
    if r.problems:
        _say(r.problems)
        return "failed"
    out = target(r.document, r.year, args.output, batch)
    other = claimed.get(out.resolve())
    if other is not None:
        _say([problem(r.document, ImportProblem(_(
            "{other}, imported before it, gives the same source {path}: not overwritten; rename one of the two "
            "files, or import this one on its own with -o").format(other=other, path=out))).format()])
        return "failed"
    claimed[out.resolve()] = r.document
    try:
        write_source(r.text, out, args.force)
    except ImportProblem as e:       # the source exists and --force was not given
        _say([problem(r.document, e).format()])
        return "skipped"
    err = sys.stderr
    if batch:
        print(ngettext("wrote {path} from {document} ({form} form, {n} guess marked with a comment)",
                       "wrote {path} from {document} ({form} form, {n} guesses marked with comments)",
                       r.guesses).format(path=out, document=r.document, form=r.form, n=r.guesses), file=err)
    else:
        print("\n".join(r.details), file=err)
    if r.unread:
        print(("  " if batch else "") + _("could not read: {what}").format(what="; ".join(r.unread)), file=err)
    if not batch:
        print(_("wrote {path}").format(path=out), file=err)
    return "imported"
