"""A 自评表 cell matrix → source data, matched by the labels the form's own data declares.

The form is recognised by laying out its empty Grid (layout.score_table, the same Grid every view
of a table reads) and counting how many of its printed labels the document's table carries. Rows
are then found by those labels (`form_labels`, the one place that says where a form's labels come
from), never by Chinese words spelled here; Word's quirks are handled once, in cells.py. The
绩效指标 block is read by indicators.py.

Everything the importer had to decide rather than read is recorded as a guess (data path → why),
every value read keeps its table position (data path → row, column label) so `check` can point
at the printed cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .. import vocabulary as vocab
from ..compute import compute
from ..grid import LABEL, Grid
from ..i18n import _
from .. import profile
from ..layout import score_table
from ..validate import with_profile
from ..model import Evaluation
from .cells import norm, number, value_text
from .indicators import INDICATOR_KEYS, IndicatorBlock
from .matrix import ImportProblem, Table

# The report outline that goes with each form in the published samples (a guess when importing).
OUTLINE_OF_FORM = {"national": "short", "city2020": "reference", "provincial": "provincial", "anhui": "short"}


@lru_cache(maxsize=None)
def form_labels(form: str) -> dict:
    """Every label a form prints, by key, from its profile: the one place the importer reads a
    form's vocabulary. `header` is the (label, source field) pairs of its header rows."""
    P = profile.find(form)
    L: dict = {"attachment": P.attachment, "title": P.title, "subtitle": P.subtitle,
               "header": [(c.label, nxt.field) for row in P.header for c, nxt in zip(row, row[1:])
                          if c.label is not None and nxt.field is not None]}
    if P.money is not None and "money" in P.blocks:
        L |= {"money": P.money.label or "", "annual_total": P.money.total_label, "first_line": P.money.first_line}
        L |= {("budget_score" if c.key == "score" else c.key): c.heading for c in P.money.columns}
    if "goals" in P.blocks:
        L |= {"goals": P.goals.get("label", ""), "expected": P.goals.get("expected", ""),
              "actual_goals": P.goals.get("actual", "")}
    if P.indicators.label is not None:
        L["indicators"] = P.indicators.label
    L |= {("tier3" if c.key == "name" else c.key): c.heading for c in P.indicators.columns}
    if P.total is not None and "total" in P.blocks:
        L |= {"total": P.total.label, "grade": P.total.grade}
    return L


def importable_forms() -> list[str]:
    """The forms whose table the importer reads: those with the national indicator columns (a form
    with 指标性质 / 度量单位 columns or table-wide reasons is not read yet)."""
    return [name for name in profile.available()
            if all(k in form_labels(name) for k in INDICATOR_KEYS) and not profile.find(name).indicators.reasons
            and not profile.find(name).prints("direction")]


@lru_cache(maxsize=None)
def empty_grid(form: str) -> Grid:
    """The form's table with nothing typed in it: the labels (and their columns) it prints."""
    ev = Evaluation.model_validate({"year": 2000, "fund": "", "project": "", "department": "", "unit": "",
                                    "title": "", "outline": OUTLINE_OF_FORM.get(form, "reference"),
                                    "form": form, "budget": {}, "indicators": {}})
    ev = with_profile(ev, profile.find(form))
    ev._profile = profile.find(form)
    return score_table(ev, compute(ev))


def _tier1_names() -> set[str]:
    return {norm(t) for name in profile.available() for t in profile.find(name).tier1_names()}


@lru_cache(maxsize=None)
def printed_labels(form: str) -> frozenset[str]:
    """The labels of the form's empty Grid, normalised; 一级 labels (which carry weights) left out.
    Kept per form like the Grid itself: recognising a table asks for them once per form and table,
    and the 一级 names cost a look at every profile (a folder of reports paid ~0.2 s a document)."""
    tier1 = _tier1_names()
    return frozenset(norm(c.text) for c in empty_grid(form).cells
                     if c.role == LABEL and c.text and not any(norm(c.text).startswith(t) for t in tier1))


def recognise(table: Table) -> tuple[str, float]:
    """(form, how well it fits): among the forms whose whole 绩效指标 header is printed in one row
    (the columns differ between forms), the one whose labels the table carries best. The fit is the
    share of the form's labels found, plus 1 when its header is there (so 0.5 or more is a 自评表)."""
    texts = {norm(cell.text) for row in table.rows for cell in row}
    rows = [{norm(cell.text) for cell in row} for row in table.rows]

    def share(form: str) -> float:
        return len(printed_labels(form) & texts) / len(printed_labels(form))

    def headed(form: str) -> bool:
        header = {norm(form_labels(form)[k]) for k in INDICATOR_KEYS}
        return any(header <= row for row in rows)

    forms = importable_forms()
    candidates = [f for f in forms if headed(f)]
    best = max(candidates or forms, key=share)
    return best, share(best) + (1 if candidates else 0)


@dataclass
class Imported:
    form: str
    data: dict
    guesses: dict[tuple, str] = field(default_factory=dict)    # data path → what was guessed and why
    where: dict[tuple, tuple[int, str]] = field(default_factory=dict)   # data path → (row, column label)
    unread: list[str] = field(default_factory=list)            # what the table printed and was not read
    read: list[str] = field(default_factory=list)              # what was read, for the summary

    def printed_figures(self) -> int:
        """How many printed figures went under `published` (published_score of each row included)."""
        def count(node) -> int:
            if isinstance(node, dict):
                return sum(1 if k == "published_score" else count(v) for k, v in node.items())
            return sum(count(v) for v in node) if isinstance(node, list) else 0
        published = self.data.get("published", {})
        return count(self.data.get("indicators", {})) + sum(
            len(v) if isinstance(v, dict) else 1 for v in published.values())


class _Reader(IndicatorBlock):
    """Reads the blocks of one table by the labels of one form into an Imported."""

    def __init__(self, table: Table, form: str):
        self.t, self.form, self.L = table, form, form_labels(form)
        self.out = Imported(form, {})
        self.by_rule: list[tuple] = []     # rule-scored rows, see IndicatorBlock.scoring
        self.columns: dict[str, int] = {}  # the 绩效指标 block's columns by key, once read

    # -- finding cells by label ------------------------------------------------------------------

    def find(self, key: str, rows: range | None = None) -> tuple[int, int] | None:
        """(row, col) of the first cell printing the form's label `key`."""
        return self.find_text(self.L[key], rows)

    def find_text(self, label: str, rows: range | None = None) -> tuple[int, int] | None:
        """(row, col) of the first cell printing `label`."""
        want = norm(label)
        for r in rows or range(len(self.t.rows)):
            for c, cell in self.t.distinct(r):
                if norm(cell.text) == want:
                    return r, c
        return None

    def right_of(self, r: int, c: int) -> tuple[int, str] | None:
        """The printed cell right of the one at (r, c): (its column, its text)."""
        cells = self.t.distinct(r)
        for i, (col, cell) in enumerate(cells):
            if col == c and i + 1 < len(cells):
                nxt = cells[i + 1]
                return nxt[0], nxt[1].text
        return None

    def at(self, r: int, c: int | None) -> str:
        return "" if c is None or c >= len(self.t.rows[r]) else self.t.rows[r][c].text

    def guess(self, path: tuple, why: str) -> None:
        self.out.guesses[path] = f"{self.out.guesses[path]}; {why}" if path in self.out.guesses else why

    def put(self, path: tuple, value, row: int | None = None, column: str | None = None) -> None:
        node = self.out.data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
        if row is not None:
            self.out.where[path] = (row + 1, column or "")

    # -- the blocks ------------------------------------------------------------------------------

    def header(self) -> None:
        """The named fields above the money block: each the cell right of its label; the first
        label read fills a field (项目支出名称 before 支出方向名称 on the 2020 city form)."""
        for label, field_name in self.L["header"]:
            found = self.find_text(label) if field_name not in self.out.data else None
            nxt = self.right_of(*found) if found else None
            value = value_text(nxt[1]) if nxt else None
            if value is not None:
                self.put((field_name,), value, found[0], label)

    def money(self) -> None:
        if "money" not in self.L:
            return
        head = next((r for r in range(len(self.t.rows))
                     if all(any(norm(c.text) == norm(self.L[k]) for _, c in self.t.distinct(r))
                            for k in ("initial", "adjusted", "executed"))), None)
        if head is None:
            self.out.unread.append(_("the 项目资金 block (no row headed {labels})").format(
                labels=" / ".join(self.L[k] for k in ("initial", "adjusted", "executed"))))
            return
        cols = {k: c for k in ("initial", "adjusted", "executed", "weight", "rate", "budget_score")
                for c, cell in self.t.distinct(head) if norm(cell.text) == norm(self.L[k])}
        lines = profile.find(self.form).budget_lines()
        first_prefix = norm(self.L["first_line"].split("{line}")[0])
        labels = {norm(self.L["annual_total"]): None} | {norm(name): name for name in lines}
        stop = {norm(self.L[k]) for k in ("goals", "indicators", "tier1") if k in self.L}
        for r in range(head + 1, len(self.t.rows)):
            texts = [norm(c.text) for _, c in self.t.distinct(r)]
            if stop & set(texts):
                break
            label = next((t.removeprefix(first_prefix) for t in texts if t.removeprefix(first_prefix) in labels), None)
            if label is None:
                continue
            name = labels[label]
            if name is None:   # 年度资金总额: its amounts are computed; 分值, 执行率 and 得分 are read
                weight = number(self.at(r, cols.get("weight")))
                if weight is not None:
                    self.put(("budget", "weight"), weight, r, self.L["weight"])
                rate = value_text(self.at(r, cols.get("rate")))
                if rate is not None:
                    self.put(("published", "execution_rate"), rate, r, self.L["rate"])
                score = number(self.at(r, cols.get("budget_score")))
                if score is not None:
                    self.put(("published", "budget_score"), score, r, self.L["budget_score"])
                continue
            amounts = {k: number(self.at(r, cols.get(k))) for k in ("initial", "adjusted", "executed")}
            for k, v in amounts.items():
                if v is not None:
                    self.put(("budget", "lines", name, k), v, r, self.L[k])
                elif value_text(self.at(r, cols.get(k))) is not None:
                    raise ImportProblem(_("{label} {column} '{text}' is not a number of 万元").format(
                        label=name, column=self.L[k], text=value_text(self.at(r, cols.get(k)))), r + 1)
        self.out.data.setdefault("budget", {}).setdefault("lines", {})
        self.out.read.append(_("项目资金: {n} funding lines").format(n=len(self.out.data["budget"]["lines"])))

    def goals(self) -> None:
        if "goals" not in self.L:
            return
        r_e, r_a = self.find("expected"), self.find("actual_goals")
        if r_e is None or r_a is None or r_e[0] + 1 >= len(self.t.rows):
            self.out.unread.append(self.L["goals"])
            return
        r = r_e[0] + 1
        for key, col, path in (("expected", r_e[1], ("goals", "expected")), ("actual_goals", r_a[1], ("goals", "actual"))):
            text = value_text(self.at(r, col), "\n")
            if text:
                self.put(path, text, r, self.L[key])

    def total(self) -> None:
        if "total" not in self.L:
            return
        found = self.find("total")
        if found is None:
            self.out.unread.append(self.L["total"])
            return
        r = found[0]
        after = [cell.text for c, cell in self.t.distinct(r) if c > found[1]]
        # 总分 sits under the 得分 column of the 绩效指标 block; else the second number (after 分值).
        score_col = self.columns.get("score")
        numbers = [n for n in (number(t) for t in after) if n is not None]
        total = number(self.at(r, score_col)) if score_col is not None else None
        total = total if total is not None else (numbers[1] if len(numbers) >= 2 else None)
        if total is not None:
            self.put(("published", "total"), total, r, self.L["total"])
        prefix = norm(self.L["grade"].split("{grade}")[0])
        grades = {name for grade, _low, aliases in vocab.grade_bands() for name in (grade, *aliases)}
        grade = next((norm(t).removeprefix(prefix) for t in after
                      if norm(t).startswith(prefix) or norm(t) in grades), None)
        if grade:
            self.put(("published", "grade"), vocab.normalise_grade(grade), r, prefix.rstrip(":"))


def read_table(table: Table, form: str | None = None) -> Imported:
    """The source data of one 自评表 (the form recognised unless given), with its guesses."""
    found, share = recognise(table)
    if form is None:
        if share < 0.5:
            raise ImportProblem(_("no 自评表: the table carries too few of any form's labels"))
        form = found
    reader = _Reader(table, form)
    reader.header()
    reader.money()
    reader.goals()
    reader.indicators()
    reader.total()
    return reader.out
