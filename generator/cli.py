"""Command line: `python -m generator COMMAND`. Bad input → a located message and exit 2, never a
traceback; an unexpected failure → one line naming it and exit 3 (rerun with --debug for details)."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .diagnostics import SourceError, worst_exit
from .i18n import ENV, N_, _, ngettext, set_language

EXIT_INTERNAL = 3


def _report(diagnostics, stream=None) -> None:
    stream = stream or sys.stderr
    for d in diagnostics:
        print(d.format(), file=stream)


# A check takes a few milliseconds and a worker's cold start some 300 ms: a second worker pays for
# itself from some 500 sources on, when a core is free (parallel.py).
SOURCES_PER_WORKER = 250


def check_source(job: tuple[Path, str | None]) -> list:
    """Every diagnostic of one source, located, kept in the cache under `name` (what a worker
    process sends back)."""
    from . import cache
    from .pipeline import evaluate
    path, name = job
    from .importer import SUFFIXES
    if path.suffix.lower() in SUFFIXES:   # a document: import its 自评表 in memory, then check
        from .importer.check import check_document
        return list(check_document(path))
    try:
        found = list(evaluate(path).diagnostics)
    except SourceError as e:
        found = list(e.diagnostics)
    cache.put(name, found)
    return found


def _check_all(paths: list[Path]):
    """Each source's diagnostics in order: from the cache when unchanged, else checked (over
    worker processes when there are many)."""
    from . import cache
    from .parallel import ordered, workers
    names = [cache.key(p) for p in paths]
    known = [cache.get(n) for n in names]
    todo = [(p, n) for p, n, k in zip(paths, names, known) if k is None]
    checked = ordered(check_source, todo, workers(len(todo), SOURCES_PER_WORKER), chunk=25)
    for k in known:
        yield k if k is not None else next(checked)


def cmd_check(args) -> int:
    from .sources import discover
    status, count = 0, {"error": 0, "warning": 0}
    for found in _check_all(discover(args.sources)):
        _report(found)
        for d in found:
            count[d.severity] += 1
        status = max(status, worst_exit(found, args.strict))
    print(counts(count["error"], count["warning"]), file=sys.stderr)
    return status


def counts(errors: int, warnings: int) -> str:
    """'1 error, 2 warnings' (「1 个错误，2 个警告」)."""
    return ngettext("{n} error", "{n} errors", errors).format(n=errors) + _(", ") + \
        ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)


def cmd_figures(args) -> int:
    from .export import as_data
    from .pipeline import evaluate
    try:
        result = evaluate(Path(args.source))
    except SourceError as e:
        _report(e.diagnostics)
        return 2
    if result.blocking:   # the same rule as the build: no wrong figure leaves the tool
        _report(result.blocking)
        return 2
    json.dump(as_data(result.evaluation, result.figures), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_schema(args) -> int:
    from .model import json_schema
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        from .write import write_text
        write_text(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_build(args) -> int:
    from .build import build_all
    return build_all(args.sources, Path(args.out), strict=args.strict, force=args.force, draft=args.draft)


def cmd_pdf(args) -> int:
    from .build import pdf_all
    return pdf_all(args.sources, Path(args.out))


def cmd_review(args) -> int:
    from .build import output_stem
    from .pipeline import discover, evaluate
    from .review import review_markdown
    from .write import write_text
    status = 0
    for path in discover(args.sources):
        try:
            r = evaluate(path)
            text = review_markdown(r)
        except SourceError as e:
            _report(e.diagnostics)
            status = 2
            continue
        write_text(output_stem(path, Path(args.out)).with_suffix(".md"), text)
    return status


def cmd_summary(args) -> int:
    from .pipeline import discover
    from .summary import write_summary
    year_dir = Path(args.root) / str(args.year)
    sources = discover([str(year_dir)]) if year_dir.is_dir() else []
    if not sources:
        print(_("no sources for {year} in {folder}/").format(year=args.year, folder=year_dir), file=sys.stderr)
        return 2
    out = Path(args.out) / str(args.year)
    write_summary(sources, out)
    print(ngettext("wrote {md} and {xlsx} ({n} fund)", "wrote {md} and {xlsx} ({n} funds)", len(sources)).format(
        md=out / "summary.md", xlsx=out / "summary.xlsx", n=len(sources)), file=sys.stderr)
    return 0


def cmd_site(args) -> int:
    from .site.build import build_site
    return build_site(args.years, Path(args.root), Path(args.out))


def cmd_dump(args) -> int:
    from .render.inspect import dump
    sys.stdout.write(dump(Path(args.docx).read_bytes()))
    return 0


def _source_arg(text: str) -> Path:
    """A file, or '2022/enterprise-association' meaning sources/2022/enterprise-association.yaml."""
    path = Path(text)
    return path if path.suffix in (".yaml", ".yml") or path.exists() else Path("sources") / f"{text}.yaml"


def cmd_diff(args) -> int:
    from .pipeline import evaluate
    from .review import diff_figures
    old, new = evaluate(_source_arg(args.old)), evaluate(_source_arg(args.new))
    lines = diff_figures(old, new)
    print("\n".join(lines) if lines else _("no figure changed"))
    return 0


def _sources(p: argparse.ArgumentParser, out: str | None = "") -> None:
    p.add_argument("sources", nargs="*", help=_("files or folders (default: sources/)"))
    if out is not None:
        p.add_argument("--out", default="build", help=out or _("output folder (default: build)"))


# argparse's own words (usage:, options, its error lines), translated through our catalog.
ARGPARSE_TEXTS = (N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
                  N_("%(prog)s: error: %(message)s\n"), N_("the following arguments are required: %s"),
                  N_("unrecognized arguments: %s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
                  N_("invalid %(type)s value: %(value)r"), N_("expected one argument"))


def _prog() -> str:
    """`selfeval` when run as the console command, else how it was started."""
    return "selfeval" if Path(sys.argv[0]).stem.lower() == "selfeval" else "python -m generator"


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line. The options of `import`, `new`, `forms` and `new-year` are defined
    only when that `command` runs: they import the importer and the form profiles, starter.py and
    newyear.py (~170 ms together), which no other command needs, and the top-level --help lists
    the commands, not their options."""
    argparse._ = _  # argparse looks its words up at call time
    p = argparse.ArgumentParser(prog=_prog(), description=_("Build and check 项目支出绩效自评报告 from YAML sources."))
    p.add_argument("--debug", action="store_true", help=_("show a traceback on an internal error"))
    p.add_argument("--lang", choices=("zh", "en"),
                   help=_("language of messages and help: zh (default) or en; also the environment "
                          "variable {env}").format(env=ENV))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("check", help=_("check sources: arithmetic, weights, reasons, published figures"),
                       description=_("Check sources and print file:line:column diagnostics. Exit 0 clean "
                                     "(warnings allowed), 1 warnings with --strict, 2 errors."))
    _sources(c, out=None)
    c.add_argument("--strict", action="store_true",
                   help=_("treat warnings as errors, the reviewer's W- advice included (exit 1); see docs/advice.md"))
    c.set_defaults(func=cmd_check)

    i = sub.add_parser("import", help=_("read the 自评表 of a .docx, .doc, .xlsx or .xls into a source"),
                       description=_("Read an existing report's 自评表 into a source: every printed figure "
                                     "under published (so check compares it), every guess commented. "
                                     "Never overwrites a file unless --force."))
    if command == "import":
        from .importer.command import add_arguments as add_import_arguments, main_import
        add_import_arguments(i)
        i.set_defaults(func=main_import)

    w = sub.add_parser("new", help=_("start a new source with every field of a form, each explained"),
                       description=_("Write a starter source: every field of the chosen 自评表 form, each with a "
                                     "comment saying what goes there and an example, and placeholders that "
                                     "check reports as W-UNFILLED. Never overwrites a file unless --force."))
    if command == "new":
        from .starter import add_arguments as add_new_arguments, main_new
        add_new_arguments(w)
        w.set_defaults(func=main_new)

    f = sub.add_parser("figures", help=_("print the computed figures of one source as JSON"),
                       description=_("Print execution_rate, budget_score, balance, total, grade and "
                                     "every indicator's score as JSON (UTF-8)."))
    f.add_argument("source")
    f.set_defaults(func=cmd_figures)

    s = sub.add_parser("schema", help=_("print the JSON Schema of a source file"),
                       description=_("Print (or write) the JSON Schema editors use to check sources."))
    s.add_argument("-o", "--output", help=_("write to this file instead of stdout"))
    s.set_defaults(func=cmd_schema)

    b = sub.add_parser("build", help=_("build the Word report of each source into build/"),
                       description=_("Build build/<year>/<slug>.docx and .xlsx for each source that changed since "
                                     "its output (sources, templates and the generator are dependencies)."))
    _sources(b)
    b.add_argument("--strict", action="store_true", help=_("refuse to build a source with check errors"))
    b.add_argument("--draft", action="store_true",
                   help=_("build a source with errors anyway, as <slug>-草稿.docx: a 草稿 watermark on every page "
                          "and its problems on a last page"))
    b.add_argument("--force", action="store_true", help=_("rebuild even what is up to date"))
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("review", help=_("write build/<year>/<slug>.md: the report as plain Markdown for review"),
                       description=_("The whole report as plain Markdown, the table one fact per line, "
                                     "so reviewers can diff two builds or two years."))
    _sources(r)
    r.set_defaults(func=cmd_review)

    m = sub.add_parser("summary", help=_("write build/<year>/summary.md and summary.xlsx: one row per fund"),
                       description=_("One row per fund of a year: 全年预算数, 全年执行数, 结余, 执行率, budget "
                                     "score, 总分, 等级, errors and warnings, with a 合计 row."))
    m.add_argument("year", type=int)
    m.add_argument("--root", default="sources", help=_("sources folder (default: sources)"))
    m.add_argument("--out", default="build", help=_("output folder (default: build)"))
    m.set_defaults(func=cmd_summary)

    w = sub.add_parser("site", help=_("write build/<year>/index.html and a page per fund: the year at a glance"),
                       description=_("Static HTML pages that open from disk: the year's funds with their "
                                     "figures, charts and findings, and each fund's report and 自评表."))
    w.add_argument("years", nargs="*", type=int, help=_("years to build (default: every year under --root)"))
    w.add_argument("--root", default="sources", help=_("sources folder (default: sources)"))
    w.add_argument("--out", default="build", help=_("output folder (default: build)"))
    w.set_defaults(func=cmd_site)

    fo = sub.add_parser("forms", help=_("list the 自评表 form profiles, or show one's table"),
                        description=_("The form profiles: the shipped ones (templates/forms/) and a unit's own "
                                      "(forms/<name>.yaml beside sources/), with the published form each follows; "
                                      "'forms show NAME' prints the table it lays out."))
    if command == "forms":
        from .forms_command import add_arguments as add_forms_arguments
        add_forms_arguments(fo)

    g = sub.add_parser("diff", help=_("list the figures that changed between two sources"),
                       description=_("Targets, actuals, scores, total and grade that differ between two "
                                     "sources, e.g. 2022/enterprise-association 2023/enterprise-association."))
    g.add_argument("old", help=_("a source file or <year>/<slug>"))
    g.add_argument("new", help=_("a source file or <year>/<slug>"))
    g.set_defaults(func=cmd_diff)

    n = sub.add_parser("new-year", help=_("start next year's sources from this year's"),
                       description=_("Create sources/<TO>/ from sources/<FROM>/: structure, targets, weights "
                                     "and comments kept; actuals, executed amounts, scores, reasons and "
                                     "published figures removed; the evaluated year in the period, titles, "
                                     "goals and headings moved on (each change listed); narrative texts "
                                     "replaced by TODO markers, except the sections a unit reuses every year; "
                                     "comments quoting last year's figures listed for review. Never overwrites "
                                     "a file unless --force."))
    if command == "new-year":
        from .newyear import add_arguments, main_new_year
        add_arguments(n)
        n.set_defaults(func=main_new_year)

    t = sub.add_parser("dump", help=_("print a .docx as text (used by git's textconv diff driver)"),
                       description=_("Print a .docx one fact per line: paragraphs with their style, "
                                     "tables one cell per line."))
    t.add_argument("docx")
    t.set_defaults(func=cmd_dump)

    d = sub.add_parser("pdf", help=_("convert built reports to PDF with LibreOffice"),
                       description=_("Convert build/<year>/<slug>.docx to PDF beside it (LibreOffice "
                                     "headless, fonts mapped by templates/fonts.conf)."))
    _sources(d, _("build folder (default: build)"))
    d.set_defaults(func=cmd_pdf)
    return p


def _language(argv: list[str]) -> None:
    """Choose the language before the parser is built, so --help is already translated."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _rest = pre.parse_known_args(argv)
    set_language(known.lang)


COMMANDS = ("check", "import", "new", "figures", "schema", "build", "review", "summary", "site", "forms", "diff", "new-year",
            "dump", "pdf")


def _command(argv: list[str]) -> str | None:
    """The subcommand named on the command line, if any (the first word that is one)."""
    return next((a for a in argv if a in COMMANDS), None)


def main(argv: list[str] | None = None) -> int:
    """The command line; run as a program (no `argv` given), the process then ends quickly."""
    if argv is None:
        from . import collector
        collector.program()
    argv = sys.argv[1:] if argv is None else argv
    _language(argv)
    args = parser(_command(argv)).parse_args(argv)
    try:
        return args.func(args)
    except SourceError as e:
        _report(e.diagnostics)
        return 2
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as e:  # noqa: BLE001 — the promise is: no traceback for users
        if args.debug:
            raise
        print(_("internal error: {error} (rerun with --debug and report it)").format(
            error=f"{type(e).__name__}: {e}"), file=sys.stderr)
        return EXIT_INTERNAL
