"""The 项目支出绩效自评表 as a Grid: where every cell sits and what it spans, for each form.

Pure: (Evaluation, Figures) → Grid, with no file format in sight, so the Word table, the
workbook and the review dump are renderings of one decision about merges. Labels come from
templates/forms.yaml and numbers from Figures through the compute.fmt_* functions only: the
layout places figures, it never derives one (a table that disagreed with `check` would be worse
than no table). Each numeric cell also carries the Decimal it shows and its kind, so the workbook
stores that very figure as a number instead of parsing the text back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ruamel.yaml import YAML

from . import vocabulary as vocab
from .compute import Figures, IndicatorFigures, fmt_weight
from .grid import FORMATS, LABEL, MONEY, PERCENT, SCORE, TEXT, VALUE, WEIGHT, Cell, Grid
from .model import Evaluation, Group
from .paths import TEMPLATES

FORMS_FILE = TEMPLATES / "forms.yaml"


@lru_cache(maxsize=1)
def forms() -> dict:
    """Every form's labels, widths and row blocks, read once from templates/forms.yaml."""
    with open(FORMS_FILE, encoding="utf-8") as f:
        return YAML(typ="safe").load(f)


def _text(value) -> str:
    """A typed text as printed: None is a blank cell; surrounding whitespace is not content."""
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class _Figure:
    """A figure of Figures as a cell holds it: the printed text and the number behind it."""
    text: str
    number: Decimal | None
    kind: str


def _fig(x: Decimal | None, kind: str) -> _Figure:
    """Place a figure as it is (no arithmetic here): its text from the compute.fmt_* of its kind."""
    return _Figure(FORMATS[kind](x), x, kind)


@dataclass
class _Rows:
    """Cells placed top to bottom; `line` fills one row left to right and moves down."""
    cells: list[Cell] = field(default_factory=list)
    row: int = 0

    def put(self, col: int, text: str | _Figure, role: str = VALUE, rowspan: int = 1, colspan: int = 1) -> None:
        if isinstance(text, _Figure):
            self.cells.append(Cell(self.row, col, text.text, rowspan, colspan, role, text.number, text.kind))
        else:
            self.cells.append(Cell(self.row, col, text, rowspan, colspan, role))

    def line(self, col: int, *items: tuple) -> None:
        """items: (text, role) or (text, role, colspan), placed from `col` on; text may be a _Figure."""
        for text, role, *span in items:
            colspan = span[0] if span else 1
            self.put(col, text, role, colspan=colspan)
            col += colspan
        self.row += 1


# --- row blocks -----------------------------------------------------------------------------


def _project(b: _Rows, ev: Evaluation, fig: Figures, L: dict) -> None:
    b.line(0, (L["project"], LABEL), (_text(ev.project), VALUE, 8))
    b.line(0, (L["department"], LABEL), (_text(ev.department), VALUE, 4),
           (L["unit"], LABEL), (_text(ev.unit), VALUE, 3))


def _city_header(b: _Rows, ev: Evaluation, fig: Figures, L: dict) -> None:
    """The 2020 city form names the fund and the sub-project instead of 项目名称 / 主管部门."""
    first = fig.lines.get(_budget_lines(ev)[0])
    b.line(0, (L["dept_name"], LABEL), (_text(ev.unit), VALUE, 8))
    b.line(0, (L["spending_name"], LABEL), (_text(ev.project), VALUE, 8))
    b.line(0, (L["fund_name"], LABEL), (_text(ev.fund), VALUE, 4),
           (L["investment"], LABEL, 2), (_fig(fig.budget.adjusted, MONEY), VALUE, 2))
    b.line(0, (L["direction"], LABEL), (_text(ev.project), VALUE, 4),
           (L["of_which_fiscal"], LABEL, 2), (_fig(first.adjusted if first else None, MONEY), VALUE, 2))
    b.line(0, (L["period"], LABEL), (_text(ev.period), VALUE, 8))


def _budget_lines(ev: Evaluation) -> list[str]:
    """The form's funding lines in print order: every one gets a row, typed or not."""
    return list(vocab.vocabulary()["budget_lines"][ev.form])


def _money(b: _Rows, ev: Evaluation, fig: Figures, L: dict) -> None:
    names = _budget_lines(ev)
    b.put(0, L["money"], LABEL, rowspan=2 + len(names))
    b.line(1, ("", LABEL, 2), *((L[k], LABEL) for k in
                                ("initial", "adjusted", "executed", "weight", "rate", "budget_score")))
    t = fig.budget
    b.line(1, (L["annual_total"], LABEL, 2), (_fig(t.initial, MONEY), VALUE), (_fig(t.adjusted, MONEY), VALUE),
           (_fig(t.executed, MONEY), VALUE), (_fig(fig.budget_weight, WEIGHT), VALUE),
           (_fig(fig.execution_rate, PERCENT), VALUE), (_fig(fig.budget_score, SCORE), VALUE))
    for i, name in enumerate(names):
        a = fig.lines.get(name)
        amounts = (None, None, None) if a is None else (a.initial, a.adjusted, a.executed)
        label = L["first_line"].format(line=name) if i == 0 else name
        b.line(1, (label, LABEL, 2), *((_fig(x, MONEY), VALUE) for x in amounts),
               *((L["not_applicable"], VALUE) for _ in range(3)))


def _goals(b: _Rows, ev: Evaluation, fig: Figures, L: dict) -> None:
    b.put(0, L["goals"], LABEL, rowspan=2)
    b.line(1, (L["expected"], LABEL, 4), (L["actual_goals"], LABEL, 4))
    b.line(1, (_text(ev.goals.expected), TEXT, 4), (_text(ev.goals.actual), TEXT, 4))


def categories(ev: Evaluation, fig: Figures) -> list[tuple[str, list[tuple[str, list[IndicatorFigures]]]]]:
    """(一级, [(二级, scored entries)]) in the form's order, keeping the 二级 the form prints.

    Forms with `empty_tier2_rows` print every 二级 of the vocabulary (a blank row when unused);
    the provincial sheet prints only used 二级, and drops a 一级 left with none.
    """
    keep_empty = forms()[ev.form]["empty_tier2_rows"]
    out = []
    for tier1 in vocab.tier1_names():
        cats = [(tier2, [f for f in fig.indicators if f.tier1 == tier1 and f.tier2 == tier2])
                for tier2 in vocab.tier2_names(tier1)]
        cats = [(t2, fs) for t2, fs in cats if fs or keep_empty]
        if cats:
            out.append((tier1, cats))
    return out


def _entry(ev: Evaluation, f: IndicatorFigures):
    _, tier1, tier2, i = f.path
    return ev.indicators[tier1][tier2][i]


def _height(ev: Evaluation, figs: list[IndicatorFigures]) -> int:
    """Rows a 二级 takes: one per indicator, one per group member, one blank row when empty."""
    return sum(len(e.members) if isinstance(e := _entry(ev, f), Group) else 1 for f in figs) or 1


def tier1_label(ev: Evaluation, fig: Figures, tier1: str) -> str:
    """"产出指标（50分）": the weight as labelled (Subtotal.label_weight), per the form's pattern."""
    weight = next((s.label_weight for s in fig.subtotals if s.tier1 == tier1), ev.weight_of(tier1))
    return forms()[ev.form]["tier1_label"].format(tier1=tier1, weight=fmt_weight(weight))


def _scored_rows(b: _Rows, ev: Evaluation, f: IndicatorFigures, col: int) -> None:
    """One indicator row, or a group's member rows under one merged 分值 / 得分 / 偏差原因."""
    entry = _entry(ev, f)
    members = entry.members if isinstance(entry, Group) else [entry]
    n = len(members)
    b.put(col + 3, _fig(f.weight, WEIGHT), VALUE, rowspan=n)
    b.put(col + 4, _fig(f.score, SCORE), VALUE, rowspan=n)
    b.put(col + 5, _text(entry.reason), TEXT, rowspan=n)
    for m in members:
        b.line(col, (_text(m.name), VALUE), (_text(m.target), VALUE), (_text(m.actual), VALUE))


def _indicators(b: _Rows, ev: Evaluation, fig: Figures, L: dict) -> None:
    """The 绩效指标 block; c1 holds 绩效指标 on forms that print it (not on the provincial sheet)."""
    col = 1 if "indicators" in L else 0
    cats = categories(ev, fig)
    if col:
        b.put(0, L["indicators"], LABEL, rowspan=1 + sum(_height(ev, fs) for _, c in cats for _, fs in c))
    b.line(col, *((L[k], LABEL) for k in ("tier1", "tier2", "tier3", "target", "actual", "weight", "score", "reason")))
    for tier1, tier2s in cats:
        b.put(col, tier1_label(ev, fig, tier1), LABEL, rowspan=sum(_height(ev, fs) for _, fs in tier2s))
        for tier2, figs in tier2s:
            b.put(col + 1, tier2, LABEL, rowspan=_height(ev, figs))
            if not figs:
                b.line(col + 2, *(("", VALUE) for _ in range(5)), ("", TEXT))
            for f in figs:
                _scored_rows(b, ev, f, col + 2)


def _total(b: _Rows, ev: Evaluation, fig: Figures, L: dict) -> None:
    b.line(0, (L["total"], LABEL, 6), (_fig(fig.weight_total, WEIGHT), VALUE),
           (_fig(fig.total, SCORE), VALUE), (L["grade"].format(grade=fig.grade or ""), VALUE))


BLOCKS = {"project": _project, "city_header": _city_header, "money": _money, "goals": _goals,
          "indicators": _indicators, "total": _total}


def score_table(ev: Evaluation, fig: Figures) -> Grid:
    """The 自评表 of `ev` in its form's layout (ev.form), row blocks as forms.yaml lists them."""
    L = forms()[ev.form]
    b = _Rows()
    indicator_row = None
    for block in L["blocks"]:
        if block == "indicators":
            indicator_row = b.row
        BLOCKS[block](b, ev, fig, L)
    return Grid(
        label=f"{L['attachment']}{ev.attachment}",
        title=L["title"].format(year=ev.year),
        subtitle=L["subtitle"].format(year=ev.year),
        widths_mm=tuple(Decimal(str(w)) for w in L["widths_mm"]),
        n_rows=b.row,
        cells=tuple(b.cells),
        header_rows=1,
        notes=tuple(L.get("notes", ())),
        indicator_row=indicator_row,
    )


def dump(grid: Grid) -> str:
    """A review text of a Grid for golden files: one cell a line, 1-based r/c as in DOMAIN.md §2.

    Cells are listed in reading order so a changed merge shows as a one-line diff.
    """
    widths = " ".join(fmt_weight(w) for w in grid.widths_mm)
    out = [line for line in (grid.label, grid.title, grid.subtitle) if line]
    out.append(f"grid {grid.n_rows}x{grid.n_cols}, widths {widths} mm, header rows {grid.header_rows}")
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        text = c.text.replace("\n", "⏎")
        out.append(f"r{c.row + 1}c{c.col + 1} [{c.rowspan}x{c.colspan}] {c.role}: {text}")
    out.extend(f"note: {n}" for n in grid.notes)
    return "\n".join(out) + "\n"
