"""The 项目支出绩效自评表 as a Grid: where every cell sits and what it spans, for any form.

Pure: (Evaluation, Figures) → Grid, with no file format in sight, so the Word table, the
workbook, the review copy and the web page are renderings of one decision about merges. What the
form prints and where comes from its profile (generator.profile: labels, header rows, columns,
blocks); numbers come from Figures through the compute.fmt_* functions only: the layout places
figures, it never derives one (a table that disagreed with `check` would be worse than no table).
Each numeric cell also carries the Decimal it shows and its kind, so the workbook stores that very
figure as a number instead of parsing the text back.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

from .compute import Figures, IndicatorFigures, fmt_weight
from .grid import FORMATS, LABEL, MONEY, PERCENT, SCORE, TEXT, VALUE, WEIGHT, Cell, Grid
from .model import Evaluation, Group
from .profile import Profile
from .quantity import parse_value
from .widths import column_widths


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


def _header(b: _Rows, ev: Evaluation, fig: Figures, P: Profile) -> None:
    """Rows of labels, source fields and computed amounts, as the profile lists them."""
    first = fig.lines.get(P.budget_lines()[0]) if P.budget_lines() else None
    figures = {"budget.adjusted": fig.budget.adjusted, "first_line.adjusted": first.adjusted if first else None}
    for row in P.header:
        items = []
        for c in row:
            if c.label is not None:
                items.append((c.label, LABEL, c.span))
            elif c.field is not None:
                items.append((_text(getattr(ev, c.field)), VALUE, c.span))
            else:
                items.append((_fig(figures[c.figure], MONEY), VALUE, c.span))
        b.line(0, *items)


def _money(b: _Rows, ev: Evaluation, fig: Figures, P: Profile) -> None:
    """年度资金总额 and the funding lines; the 分值 / 执行率 / 得分 cells sit on the first row."""
    M = P.money
    names = M.lines
    col = 1 if M.label is not None else 0
    label_span = P.n_cols - col - len(M.columns)
    rows = (1 if M.total_row else 0) + len(names) + (1 if M.reason else 0)
    if M.label is not None:
        b.put(0, M.label.format(weight=fmt_weight(fig.budget_weight)), LABEL, rowspan=1 + rows)
    b.line(col, (M.corner, LABEL, label_span), *((c.heading, LABEL) for c in M.columns))
    scores = {"weight": _fig(fig.budget_weight, WEIGHT), "rate": _fig(fig.execution_rate, PERCENT),
              "score": _fig(fig.budget_score, SCORE)}

    def amounts(a, with_scores: bool):
        for c in M.columns:
            if c.key in scores:
                yield (scores[c.key] if with_scores else M.not_applicable), VALUE
            else:
                yield _fig(getattr(a, c.key) if a is not None else None, MONEY), VALUE

    if M.total_row:
        b.line(col, (M.total_label, LABEL, label_span), *amounts(fig.budget, True))
    for i, name in enumerate(names):
        label = M.first_line.format(line=name) if i == 0 and M.total_row else name
        b.line(col, (label, LABEL, label_span), *amounts(fig.lines.get(name), i == 0 and not M.total_row))
    if M.reason:
        _text_row(b, ev, P, M.reason, col)


def _goals(b: _Rows, ev: Evaluation, fig: Figures, P: Profile) -> None:
    G = P.goals
    half = (P.n_cols - 1) // 2
    rest = P.n_cols - 1 - half
    b.put(0, G.get("label", ""), LABEL, rowspan=2)
    b.line(1, (G.get("expected", ""), LABEL, half), (G.get("actual", ""), LABEL, rest))
    b.line(1, (_text(ev.goals.expected), TEXT, half), (_text(ev.goals.actual), TEXT, rest))


def categories(ev: Evaluation, fig: Figures) -> list[tuple[str, list[tuple[str, list[IndicatorFigures]]]]]:
    """(一级, [(二级, scored entries)]) in the form's order, keeping the 二级 the form prints.

    Forms with `empty_tier2_rows` print every suggested 二级 (a blank row when unused); others print
    only used 二级, and drop a 一级 left with none. A 二级 the form does not suggest follows its own.
    """
    P = ev.profile
    keep_empty = P.indicators.empty_tier2_rows
    out = []
    for tier1 in P.tier1_names():
        used = [f.tier2 for f in fig.indicators if f.tier1 == tier1]
        if not used and not ev.weight_of(tier1):
            continue   # a 一级 the unit does not have (no indicators, no weight): no "满意度指标（0分）" row
        names = P.tier2_names(tier1) + [t for t in dict.fromkeys(used) if t not in P.tier2_names(tier1)]
        cats = [(tier2, [f for f in fig.indicators if f.tier1 == tier1 and f.tier2 == tier2]) for tier2 in names]
        cats = [(t2, fs) for t2, fs in cats if fs or (keep_empty and t2 in P.tier2_names(tier1))]
        if cats:
            out.append((tier1, cats))
    return out


def _height(ev: Evaluation, figs: list[IndicatorFigures]) -> int:
    """Rows a 二级 takes: one per indicator, one per group member, one blank row when empty."""
    return sum(len(e.members) if isinstance(e := ev.entry(f.path), Group) else 1 for f in figs) or 1


def tier1_label(ev: Evaluation, fig: Figures, tier1: str) -> str:
    """"产出指标（50分）": the weight as labelled (Subtotal.label_weight), per the form's pattern."""
    weight = next((s.label_weight for s in fig.subtotals if s.tier1 == tier1), ev.weight_of(tier1))
    return ev.profile.indicators.tier1_label.format(tier1=tier1, weight=fmt_weight(weight))


_ENTRY_LEVEL = ("weight", "score", "reason")   # one cell per scored entry, merged over a group's rows


def _member_cells(m, key: str) -> tuple[str, str]:
    """(text, role) of a member-level column: the name, the target, the actual, and, on forms that
    print them apart, the comparison (指标性质) and the unit (度量单位)."""
    if key in ("direction", "unit"):
        q = parse_value(m.target)
        if key == "direction":
            return (m.direction or (q.comparator if q else "")), VALUE
        return _text(m.unit or (q.unit if q else "")), VALUE
    return _text(getattr(m, {"name": "name", "target": "target", "actual": "actual"}[key])), VALUE


def _scored_rows(b: _Rows, ev: Evaluation, f: IndicatorFigures, columns: list[tuple[int, str]]) -> None:
    """One indicator row, or a group's member rows under one merged 分值 / 得分 / 偏差原因."""
    entry = ev.entry(f.path)
    members = entry.members if isinstance(entry, Group) else [entry]
    n = len(members)
    entry_cells = {"weight": (_fig(f.weight, WEIGHT), VALUE), "score": (_fig(f.score, SCORE), VALUE),
                   "reason": (_text(entry.reason), TEXT)}
    for i, m in enumerate(members):
        for col, key in columns:
            if key in _ENTRY_LEVEL:
                if i == 0:
                    text, role = entry_cells[key]
                    b.put(col, text, role, rowspan=n)
            else:
                text, role = _member_cells(m, key)
                b.put(col, text, role)
        b.row += 1


def _indicators(b: _Rows, ev: Evaluation, fig: Figures, P: Profile) -> None:
    """The 绩效指标 block: the heading row, then each 一级 / 二级 with its rows merged down."""
    I = P.indicators
    col = 1 if I.label is not None else 0
    cats = categories(ev, fig)
    weight = sum((s.label_weight for s in fig.subtotals), Decimal(0))
    if I.label is not None:
        b.put(0, I.label.format(weight=fmt_weight(weight)), LABEL,
              rowspan=1 + sum(_height(ev, fs) for _, c in cats for _, fs in c) + len(I.reasons))
    b.line(col, *((c.heading, LABEL) for c in I.columns))
    keys = [c.key for c in I.columns]
    rest = [(col + k, key) for k, key in enumerate(keys) if key not in ("tier1", "tier2")]
    c1, c2 = col + keys.index("tier1"), col + keys.index("tier2")
    for tier1, tier2s in cats:
        b.put(c1, tier1_label(ev, fig, tier1), LABEL, rowspan=sum(_height(ev, fs) for _, fs in tier2s))
        for tier2, figs in tier2s:
            b.put(c2, tier2, LABEL, rowspan=_height(ev, figs))
            if not figs:
                for k, key in rest:
                    b.put(k, "", TEXT if key == "reason" else VALUE)
                b.row += 1
            for f in figs:
                _scored_rows(b, ev, f, rest)
    for r in I.reasons:   # table-wide reason cells: a label, then the text across the rest
        _text_row(b, ev, P, r, col)


def _text_row(b: _Rows, ev: Evaluation, P: Profile, r, col: int = 0) -> None:
    span = P.n_cols - col - r.label_span
    b.line(col, (r.label, LABEL, r.label_span), (_text(ev.form_texts.get(r.key)), TEXT, span))


def _texts(b: _Rows, ev: Evaluation, fig: Figures, P: Profile) -> None:
    for r in P.texts:
        _text_row(b, ev, P, r)


def _total(b: _Rows, ev: Evaluation, fig: Figures, P: Profile) -> None:
    T = P.total
    cells = {"weight": (_fig(fig.weight_total, WEIGHT), VALUE), "score": (_fig(fig.total, SCORE), VALUE),
             "grade": (T.grade.format(grade=fig.grade or ""), VALUE)}
    b.line(0, (T.label, LABEL, P.n_cols - len(T.columns)), *(cells[k] for k in T.columns))


BLOCKS = {"header": _header, "money": _money, "goals": _goals, "indicators": _indicators, "total": _total,
          "texts": _texts}


def score_table(ev: Evaluation, fig: Figures) -> Grid:
    """The 自评表 of `ev` in its form's layout (its profile), row blocks in the profile's order."""
    P = ev.profile
    b = _Rows()
    indicator_row = None
    for block in P.blocks:
        if block == "indicators":
            indicator_row = b.row
        BLOCKS[block](b, ev, fig, P)
    rules = P.rules
    values = {"over_threshold": fmt_weight(rules.over_threshold), "full_marks": fmt_weight(rules.full_marks),
              "reason_below_rate": fmt_weight(rules.reason_below_rate), "budget_weight": fmt_weight(fig.budget_weight)}
    grid = Grid(
        label=f"{P.attachment}{ev.attachment}",
        title=P.title.format(year=ev.year),
        subtitle=P.subtitle.format(year=ev.year),
        widths_mm=tuple(P.widths_mm),
        n_rows=b.row,
        cells=tuple(sorted(b.cells, key=lambda c: (c.row, c.col))),
        header_rows=1,
        notes=tuple(n.format(**values) for n in P.notes),
        indicator_row=indicator_row,
    )
    # The widths follow the content (generator.widths), decided once here so that the Word table,
    # the workbook and the web page give every column the same room.
    return dataclasses.replace(grid, widths_mm=column_widths(grid, sum(P.widths_mm)))


def dump(grid: Grid) -> str:
    """A review text of a Grid for golden files: one cell a line, 1-based rows and columns (r1c1 is the top left).

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
