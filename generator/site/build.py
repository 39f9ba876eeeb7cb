"""`python -m generator site YEAR`: build/<year>/index.html and one page per fund.

Every page is rendered in memory, then written atomically (generator.write): a failure leaves
the previous pages as they were. The output depends only on the sources, the templates and which
report files exist beside the pages, so the same input gives the same bytes.
"""
from __future__ import annotations

import base64
import hashlib
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
import pypandoc
from markupsafe import Markup

from .. import compute, vocabulary as vocab
from ..build import output_stem
from ..diagnostics import Diagnostic, SourceError
from ..grid import FORMATS
from ..i18n import _, ngettext
from ..layout import score_table
from ..paths import TEMPLATES
from ..pipeline import Evaluated, discover, evaluate
from ..render.narrative import markdown
from ..render.pandoc import MARKDOWN
from ..review import diff_figures
from ..summary import COUNT, Row, notes, summarise, table
from ..write import write_text
from . import charts
from .table import rows_with_findings

SITE = TEMPLATES / "site"
DOWNLOADS = (".docx", ".pdf", ".xlsx")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Autoescape on everywhere: every value a source supplies is text, never markup."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(SITE), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(money=compute.fmt_money, percent=compute.fmt_percent, score=compute.fmt_score,
                       weight=compute.fmt_weight, px=charts.px, figure=lambda v, kind: FORMATS[kind](v))
    return env


def sort_script() -> tuple[Markup, str]:
    """The table's inline sorting script and its CSP source ('sha256-…'): only it may run."""
    text = (SITE / "sort.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"'sha256-{digest}'"


def narrative_html(markdown_text: str) -> Markup:
    """The report's Markdown as HTML by pandoc: text escaped by its writer, raw HTML off in the
    reader, links and images reduced to their words (templates/site/inert.lua)."""
    html = pypandoc.convert_text(markdown_text, "html5", format=MARKDOWN,
                                 extra_args=["--wrap=none", "--shift-heading-level-by=1", f"--lua-filter={SITE / 'inert.lua'}"])
    return Markup(html)


@dataclass(frozen=True)
class Fund:
    source: Path
    row: Row                        # the summary's row: figures and counts
    cells: list                     # the summary table's cells of that row: (value, kind)
    evaluated: Evaluated | None     # None: the source did not load
    problems: tuple[Diagnostic, ...]  # the load errors, when it did not

    @property
    def slug(self) -> str:
        return self.source.stem

    @property
    def href(self) -> str:
        return f"{self.slug}.html"


def _evaluate(path: Path) -> tuple[Evaluated | None, tuple[Diagnostic, ...]]:
    try:
        return evaluate(path), ()
    except SourceError as e:
        return None, tuple(e.diagnostics)


def _sort_key(value, kind) -> str:
    """What the table sorts a cell by: the figure itself (not its text), '' for a blank."""
    if value is None or value == "":
        return ""
    if kind is None and value in {g for g, _, _ in vocab.grade_bands()}:
        return str(next(low for g, low, _ in vocab.grade_bands() if g == value))
    return str(value)


def _cell(value, kind) -> dict:
    text = str(value) if kind in (None, COUNT) else FORMATS[kind](value)
    return {"text": text, "sort": _sort_key(value, kind), "numeric": kind is not None}


def collect(sources: list[Path]) -> tuple[list[Fund], object]:
    """The year's funds, those with errors first (unreadable ones, then most errors first), else in
    the summary's order."""
    summary = summarise(sources)
    body = table(summary)[:-1]
    funds = []
    for row, cells in zip(summary.rows, body):
        evaluated, problems = _evaluate(row.source)
        funds.append(Fund(row.source, row, cells, evaluated, problems))
    funds.sort(key=lambda f: (f.row.errors == 0, f.evaluated is not None, -f.row.errors, -f.row.warnings))
    return funds, summary


def _downloads(out_year: Path, slug: str) -> list[dict]:
    return [{"suffix": s[1:], "href": f"{slug}{s}"} for s in DOWNLOADS if (out_year / f"{slug}{s}").exists()]


def previous_source(root: Path, year: int, slug: str) -> Path | None:
    """The same fund's source in the latest earlier year that has one (a year may be skipped)."""
    earlier = sorted((int(d.name), d / f"{slug}.yaml") for d in root.iterdir()
                     if d.is_dir() and d.name.isdigit() and int(d.name) < year and (d / f"{slug}.yaml").is_file())
    return earlier[-1][1] if earlier else None


def fund_page(fund: Fund, year: int, root: Path, out_year: Path) -> str:
    env = environment()
    ctx = {"year": year, "fund": fund, "downloads": _downloads(out_year, fund.slug), "row": fund.row}
    r = fund.evaluated
    if r is None:
        return env.get_template("fund.html.j2").render(**ctx, r=None)
    grid = score_table(r.evaluation, r.figures)
    rows, apart = rows_with_findings(grid, r)
    try:
        narrative, narrative_problems = narrative_html(markdown(r.evaluation, r.figures, r.texts)), ()
    except SourceError as e:   # `check` has usually reported these already: list each once
        known = {d.format() for d in r.diagnostics}
        narrative = None
        narrative_problems = tuple(d for d in (r.source.locate(d) for d in e.diagnostics) if d.format() not in known)
    before = previous_source(root, year, fund.slug)
    diff = None
    if before is not None:
        old, old_problems = _evaluate(before)
        diff = {"source": before, "lines": diff_figures(old, r) if old else None, "problems": old_problems}
    return env.get_template("fund.html.j2").render(
        **ctx, r=r, ev=r.evaluation, fig=r.figures, grid=grid, rows=rows, apart=apart, narrative=narrative,
        narrative_problems=narrative_problems, diff=diff, tier1=charts.tier1_bars(r.figures.subtotals))


def year_page(year: int, funds: list[Fund], summary, out_year: Path) -> str:
    script, script_hash = sort_script()
    items = [(f.row.project, f.href, f.row.figures) for f in funds]   # charts name the project alone
    by_fund = sorted(funds, key=lambda f: (f.row.fund is None, f.row.fund or "", f.row.project))
    total = table(summary)[-1]
    return environment().get_template("year.html.j2").render(
        year=year, funds=funds, cells={f.slug: [_cell(v, k) for v, k in f.cells] for f in funds},
        total=[_cell(v, k) for v, k in total], notes=notes(summary), script=script, script_hash=script_hash,
        summary_files=[n for n in ("summary.xlsx", "summary.md") if (out_year / n).exists()],
        rate_chart=charts.rate_bars([(label, href, fig and fig.execution_rate) for label, href, fig in items]),
        money_chart=charts.money_bars([(f.row.fund or "", f.row.project, f.href, fig and fig.budget.adjusted,
                                        fig and fig.budget.executed)
                                       for f in by_fund for fig in (f.row.figures,)]),
        score_chart=charts.score_dots([(label, href, fig and fig.total) for label, href, fig in items]),
        grade_chart=charts.grade_counts([fig.grade if fig else None for _, _, fig in items]))


class NoSources(Exception):
    pass


def build_year(year: int, root: Path, out: Path) -> int:
    """Render every page of `year`, then write them; the number of pages written."""
    year_dir = root / str(year)
    sources = discover([str(year_dir)]) if year_dir.is_dir() else []
    if not sources:
        raise NoSources(_("no sources for {year} in {folder}/").format(year=year, folder=year_dir))
    out_year = out / str(year)
    funds, summary = collect(sources)
    pages = {output_stem(f.source, out).with_suffix(".html"): fund_page(f, year, root, out_year) for f in funds}
    pages[out_year / "index.html"] = year_page(year, funds, summary, out_year)
    for path, text in pages.items():
        write_text(path, text)
    return len(pages)


def build_site(years: list[int], root: Path, out: Path) -> int:
    """Exit status: 0 when every year's pages are written, 2 when a year has no sources."""
    years = years or sorted(int(d.name) for d in root.iterdir() if d.is_dir() and d.name.isdigit())
    status = 0
    for year in years:
        try:
            n = build_year(year, root, out)
        except NoSources as e:
            print(e, file=sys.stderr)
            status = 2
            continue
        except OSError as e:
            print(_("cannot write {folder}/: {reason} (the previous pages are unchanged)").format(
                folder=out / str(year), reason=e.strerror or e), file=sys.stderr)
            status = 2
            continue
        print(ngettext("wrote {index} and {n} fund page", "wrote {index} and {n} fund pages", n - 1).format(
            index=out / str(year) / "index.html", n=n - 1), file=sys.stderr)
    return status
