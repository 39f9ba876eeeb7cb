"""A year's summary: one row a project, so finance sees the whole year's money and scores at once.

Every figure comes from the same pipeline as the reports (generator.pipeline.evaluate) and the
合计 row from compute.portfolio, so the summary cannot disagree with a report or `check`. A source
that does not load still gets its row, with its error count and blank figures: a summary that
silently dropped a fund would look complete when it is not. The Markdown and the workbook are
written from one list of (value, kind) cells, so the two cannot differ either.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .compute import Figures, MoneyRow, counted, portfolio
from .diagnostics import SourceError
from .grid import FORMATS, MONEY, PERCENT, SCORE
from .pipeline import evaluate
from .styles import load_styles
from .render.xlsx import Sheet, look
from .write import write_bytes, write_text

HEADERS = ("项目", "全年预算数", "全年执行数", "结余", "执行率", "预算执行率得分", "总分", "等级", "错误", "警告")
WIDTHS = (52, 12, 12, 10, 10, 15, 10, 6, 6, 6)     # Excel character widths of the columns
KINDS = (MONEY, MONEY, MONEY, PERCENT, SCORE, SCORE)  # 全年预算数 … 总分
COUNT = "count"                                     # a whole number of diagnostics
UNIT = "金额单位：万元"
TOTAL = "合计"


@dataclass(frozen=True)
class Row:
    source: Path
    fund: str | None            # None: the source did not load
    project: str
    figures: Figures | None
    errors: int
    warnings: int

    @property
    def label(self) -> str:
        return f"{self.fund} — {self.project}" if self.fund is not None else f"{self.source.name}（未能读取）"


@dataclass(frozen=True)
class Summary:
    year: int | None            # None when the sources are of several years (or none loaded)
    rows: tuple[Row, ...]       # by fund, then project; unreadable sources last
    totals: tuple[MoneyRow, Decimal | None, Decimal | None]   # compute.portfolio of the rows

    @property
    def left_out(self) -> int:
        """Rows the 合计 does not count (portfolio counts a project with both amounts known)."""
        return sum(1 for r in self.rows if r.figures is None or not counted(r.figures))


def _row(path: Path) -> tuple[Row, int | None]:
    try:
        result = evaluate(path)
    except SourceError as e:
        errors = sum(d.is_error for d in e.diagnostics)
        return Row(path, None, path.stem, None, errors, len(e.diagnostics) - errors), None
    ev = result.evaluation
    errors = len(result.errors)
    return Row(path, ev.fund, ev.project, result.figures, errors, len(result.diagnostics) - errors), ev.year


def summarise(sources: list[Path]) -> Summary:
    """Evaluate every source; one that fails to load becomes a row of its diagnostics' counts."""
    found = [_row(Path(p)) for p in sources]
    rows = sorted((r for r, _ in found), key=lambda r: (r.fund is None, r.fund or "", r.project, str(r.source)))
    years = {y for _, y in found if y is not None}
    return Summary(years.pop() if len(years) == 1 else None, tuple(rows),
                   portfolio([r.figures for r in rows if r.figures is not None]))


# --- the table, once for both formats -------------------------------------------------------------


def table(summary: Summary) -> list[list[tuple[object, str | None]]]:
    """Body rows then the 合计 row, each cell (value, kind): kind None for text, COUNT for counts,
    else a grid kind (MONEY …) whose value is a Decimal or None (blank)."""
    out = []
    for r in summary.rows:
        f = r.figures
        values = (None,) * len(KINDS) if f is None else (
            f.budget.adjusted, f.budget.executed, f.balance, f.execution_rate, f.budget_score, f.total)
        out.append([(r.label, None), *zip(values, KINDS), ((f and f.grade) or "", None),
                    (r.errors, COUNT), (r.warnings, COUNT)])
    amounts, balance, rate = summary.totals
    out.append([(TOTAL, None), *zip((amounts.adjusted, amounts.executed, balance, rate, None, None), KINDS),
                ("", None), (sum(r.errors for r in summary.rows), COUNT),
                (sum(r.warnings for r in summary.rows), COUNT)])
    return out


def title(summary: Summary) -> str:
    return f"{summary.year}年度项目支出绩效自评汇总" if summary.year else "项目支出绩效自评汇总"


def notes(summary: Summary) -> list[str]:
    """Why the 合计 may not be the sum of the column above it."""
    if not summary.left_out:
        return []
    return [f"注：合计只计入全年预算数和全年执行数都已填写的项目（未计入{summary.left_out}个）。"]


# --- Markdown and xlsx ----------------------------------------------------------------------------


def _md(value, kind) -> str:
    if kind == COUNT:
        return str(value)
    if kind is not None:
        return FORMATS[kind](value)
    return str(value).replace("|", "\\|").replace("\n", " ")


def summary_markdown(summary: Summary) -> str:
    """A GitHub-style table; figures printed exactly as in the reports (compute.fmt_*)."""
    align = ["---"] + ["---:"] * 6 + [":---:"] + ["---:"] * 2
    lines = [f"# {title(summary)}", "", UNIT, "", "| " + " | ".join(HEADERS) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_md(v, k) for v, k in row) + " |" for row in table(summary)]
    extra = notes(summary)
    return "\n".join(lines + ([""] + extra if extra else [])) + "\n"


def summary_workbook(summary: Summary) -> bytes:
    """The same table as one sheet "汇总": numbers as numbers with the reports' formats, A4
    landscape one page wide, the header row repeated; deterministic bytes (render.xlsx.Sheet)."""
    spec = load_styles()
    styles = spec["styles"]
    sheet = Sheet("汇总")
    n = len(HEADERS)
    for r, (text, style, align) in enumerate(((title(summary), "Table Title", "center"),
                                              (UNIT, "Table Note", "right"))):
        above = look(styles[style], align)
        sheet.merge(r, 0, r, n - 1, above)
        sheet.text(r, 0, text, above)
    sheet.height(0, 30)
    body = styles["Table Text"]
    centred, left = (look(body, align, wrap=True, box=True) for align in ("center", "left"))
    rows = [[(h, None) for h in HEADERS]] + table(summary)
    for i, row in enumerate(rows, start=2):
        for k, (value, kind) in enumerate(row):
            cell_look = left if k == 0 and i > 2 else centred
            if kind == COUNT:
                sheet.number(i, k, value, cell_look, "0")
            elif kind is not None:
                sheet.figure(i, k, value, kind, cell_look)
            else:
                sheet.text(i, k, value, cell_look)
    for k, width in enumerate(WIDTHS):
        sheet.width(k, width)
    note = look(styles["Table Note"], "left")
    for j, text in enumerate(notes(summary), start=2 + len(rows)):
        sheet.merge(j, 0, j, n - 1, note)
        sheet.text(j, 0, text, note)
    sheet.page_setup(spec["page"], landscape=True, title_rows=(2, 2))
    return sheet.package()


def write_summary(year_dir_sources: list[Path], out_dir: Path) -> None:
    """summary.md and summary.xlsx in `out_dir`, both rendered before either is written (atomically)."""
    summary = summarise(year_dir_sources)
    markdown, xlsx = summary_markdown(summary), summary_workbook(summary)
    write_text(Path(out_dir) / "summary.md", markdown)
    write_bytes(Path(out_dir) / "summary.xlsx", xlsx)
