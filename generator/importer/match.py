"""A 自评表 cell matrix → source data, matched by the labels the form's own data declares.

The form is recognised by laying out its empty Grid (layout.score_table, the same Grid every view
of a table reads) and counting how many of its printed labels the document's table carries. Rows
are then found by those labels (`form_labels`, the one place that says where a form's labels come
from), never by Chinese words spelled here, so Word's quirks are handled once in `norm`: stray
spaces and line breaks, full-width digits and brackets, 分值 labels typed "产出指标(50分)".

Everything the importer had to decide rather than read is recorded as a guess (data path → why),
every value read keeps its table position (data path → row, column label) so `check` can point
at the printed cell.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .. import vocabulary as vocab
from ..compute import compute, score_entry
from ..grid import LABEL, Grid
from ..i18n import _
from ..layout import forms, score_table
from ..model import Evaluation, Group, Indicator, Scoring
from .matrix import ImportProblem, Table

# Which source field each header label of a form fills (keys of the form data, not labels).
HEADER_FIELDS = {"project": "project", "department": "department", "unit": "unit", "dept_name": "unit",
                 "spending_name": "project", "fund_name": "fund", "period": "period"}
# The report outline that goes with each form in the published samples (a guess when importing).
OUTLINE_OF_FORM = {"national": "short", "city2020": "reference", "provincial": "provincial"}
INDICATOR_KEYS = ("tier1", "tier2", "tier3", "target", "actual", "weight", "score", "reason")
# The scoring rules a source may choose (model.Scoring), tried against the printed scores; default first.
SCORING_CHOICES = ({}, {"over_rule": "proportional"}, {"reverse_rule": "deviation"},
                   {"over_rule": "proportional", "reverse_rule": "deviation"})
CJK = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
BLANKS = {"", "—", "——", "-", "－", "/", "／", "无"}
# Comparators typed with the input method's look-alikes: the first character of a 年度指标值.
LOOKALIKES = {"》": "≥", "《": "≤", "＞": ">", "＜": "<"}


def form_labels(form: str) -> dict:
    """Every label a form prints, by key: the one place the importer reads a form's vocabulary."""
    return forms()[form]


def norm(text: str) -> str:
    """A cell's text for comparing with a label: NFKC (full-width digits and brackets), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def value_text(text: str, joiner: str = "") -> str | None:
    """A value cell as the source holds it: lines joined, full-width digits made ASCII, a dash or
    an empty cell read as blank (None)."""
    lines = [line.strip() for line in (text or "").replace("\r", "\n").split("\n")]
    joined = joiner.join(line for line in lines if line)
    joined = joined.translate({0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF0E: "."})
    joined = re.sub(r"[ \u3000]+", " ", joined).strip()
    joined = re.sub(f"(?<={CJK}) (?={CJK})", "", joined)      # Word's stray space between two characters
    return None if joined in BLANKS else joined


def number(text: str | None) -> Decimal | None:
    """A printed number ('239.4', '8.99', '10分'), as written; None when the cell holds none."""
    t = norm(text or "").replace(",", "").removesuffix("分").removesuffix("万元")
    if not t or t in BLANKS:
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


@lru_cache(maxsize=None)
def empty_grid(form: str) -> Grid:
    """The form's table with nothing typed in it: the labels (and their columns) it prints."""
    ev = Evaluation.model_validate({"year": 2000, "fund": "", "project": "", "department": "", "unit": "",
                                    "title": "", "outline": OUTLINE_OF_FORM.get(form, "reference"),
                                    "form": form, "budget": {}, "indicators": {}})
    return score_table(ev, compute(ev))


def _tier1_names() -> set[str]:
    return {norm(t) for t in vocab.tier1_names()}


def printed_labels(form: str) -> set[str]:
    """The labels of the form's empty Grid, normalised; 一级 labels (which carry weights) left out."""
    return {norm(c.text) for c in empty_grid(form).cells
            if c.role == LABEL and c.text and not any(norm(c.text).startswith(t) for t in _tier1_names())}


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

    candidates = [f for f in forms() if headed(f)]
    best = max(candidates or forms(), key=share)
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


class _Reader:
    def __init__(self, table: Table, form: str):
        self.t, self.form, self.L = table, form, form_labels(form)
        self.out = Imported(form, {})
        self.by_rule: list[tuple] = []     # (entry, path, 一级, 二级, printed 得分) of rule-scored rows

    # -- finding cells by label ------------------------------------------------------------------

    def find(self, key: str, rows: range | None = None) -> tuple[int, int] | None:
        """(row, col) of the first cell printing the form's label `key`."""
        want = norm(self.L[key])
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
        for key, field_name in HEADER_FIELDS.items():
            if key not in self.L or ("project",) == (field_name,) and "project" in self.out.data:
                continue
            found = self.find(key)
            if found is None:
                continue
            nxt = self.right_of(*found)
            value = value_text(nxt[1]) if nxt else None
            if value is not None and field_name not in self.out.data:
                self.put((field_name,), value, found[0], self.L[key])

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
        lines = vocab.vocabulary()["budget_lines"][self.form]
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

    def tier1(self, text: str) -> tuple[str | None, Decimal | None]:
        """(一级 name, weight printed in its label) from a cell like "产出指标\n（50分）"."""
        t = norm(text)
        name = next((n for n in vocab.tier1_names() if t.startswith(norm(n))), None)
        if name is None:
            return None, None
        rest = t[len(norm(name)):]
        m = re.search(r"(\d+(?:\.\d+)?)", rest)
        return name, Decimal(m.group(1)) if m else None

    def indicators(self) -> None:
        head = self.find("tier3")
        if head is None:
            raise ImportProblem(_("no row headed {label}: the 绩效指标 block cannot be found").format(label=self.L["tier3"]))
        h = head[0]
        cols = {k: c for k in INDICATOR_KEYS for c, cell in self.t.distinct(h) if norm(cell.text) == norm(self.L[k])}
        missing = [self.L[k] for k in ("tier1", "tier2", "tier3", "weight") if k not in cols]
        if missing:
            raise ImportProblem(_("the 绩效指标 header has no column {labels}").format(labels=" / ".join(missing)), h + 1)
        header = [norm(c.text) for c in self.t.rows[h]]
        total = norm(self.L.get("total", "\0"))
        tier1 = tier2 = None
        label_weights: dict[str, tuple[Decimal, int]] = {}
        groups: list[dict] = []       # consecutive rows under one 分值 cell
        for r in range(h + 1, len(self.t.rows)):
            row = self.t.rows[r]
            if [norm(c.text) for c in row] == header:      # the header repeated on the next page
                continue
            if any(norm(c.text) == total for c in row):
                break
            cell = {k: self.at(r, c) for k, c in cols.items()}
            t1, weight1 = self.tier1(cell["tier1"])
            if t1 is not None:
                tier1 = t1
                if weight1 is not None:
                    label_weights.setdefault(t1, (weight1, r))
            elif norm(cell["tier1"]):
                raise ImportProblem(_("一级指标 '{text}' is none of {names}").format(
                    text=value_text(cell["tier1"]), names=" / ".join(vocab.tier1_names())), r + 1)
            t2 = value_text(cell["tier2"])
            if t2 is not None:
                tier2 = next((n for n in vocab.tier2_names(tier1 or "") if norm(n) == norm(t2)), t2)
            values = [value_text(cell.get(k, "")) for k in ("tier3", "target", "actual", "weight", "score")]
            if not any(values):
                continue           # a 二级 printed with a blank row
            if tier1 is None or tier2 is None:
                raise ImportProblem(_("an indicator row with no 一级 / 二级 label above it"), r + 1)
            origin = row[cols["weight"]].origin
            if groups and groups[-1]["origin"] == origin and groups[-1]["tier2"] == tier2:
                groups[-1]["rows"].append(r)
            else:
                groups.append({"origin": origin, "tier1": tier1, "tier2": tier2, "rows": [r]})
        if not groups:
            raise ImportProblem(_("the 绩效指标 block holds no indicator row"), h + 1)
        for g in groups:
            self.entry(g, cols)
        self.weights(label_weights)
        self.scoring()
        self.out.read.append(_("绩效指标: {n} rows").format(n=sum(len(g["rows"]) for g in groups)))

    def entry(self, g: dict, cols: dict) -> None:
        tier1, tier2, rows = g["tier1"], g["tier2"], g["rows"]
        entries = self.out.data.setdefault("indicators", {}).setdefault(tier1, {}).setdefault(tier2, [])
        path = ("indicators", tier1, tier2, len(entries))
        r0 = rows[0]
        weight = number(self.at(r0, cols["weight"]))
        if weight is None:
            raise ImportProblem(_("{label} '{text}' is not a number").format(
                label=self.L["weight"], text=value_text(self.at(r0, cols["weight"])) or ""), r0 + 1)
        printed = number(self.at(r0, cols.get("score")))
        members = []
        for r in rows:
            m = {"name": value_text(self.at(r, cols["tier3"])) or ""}
            for key, field_name in (("target", "target"), ("actual", "actual")):
                text = value_text(self.at(r, cols.get(key)))
                if text and text[0] in LOOKALIKES:
                    self.guess(path + ((("members", rows.index(r)) if len(rows) > 1 else ()) + (field_name,)),
                               _("'{typed}' read as '{meant}' (the input method's look-alike)").format(
                                   typed=text[0], meant=LOOKALIKES[text[0]]))
                    text = LOOKALIKES[text[0]] + text[1:]
                if text is not None:
                    m[field_name] = text
            members.append(m)
        entry: dict = dict(members[0]) if len(rows) == 1 else {"members": members}
        entry["weight"] = weight
        reason = value_text(self.at(r0, cols.get("reason")), "\n")
        probe = (Indicator if len(rows) == 1 else Group).model_validate(
            {**members[0], "weight": weight} if len(rows) == 1 else {"members": members, "weight": weight})
        if printed is not None and score_entry(probe, path, tier1, tier2, Scoring())[0].basis == "rule":
            entry["published_score"] = printed
            self.by_rule.append((probe, path, tier1, tier2, printed))
        elif printed is not None and weight > 0:
            tiers = self.tiers_of(printed, weight)
            entry["tier"], entry["score"] = tiers[0], printed
            why = _("the printed 得分 {score} of {weight} lies in the band of {tier}").format(
                score=printed, weight=weight, tier=tiers[0])
            if len(tiers) > 1:
                why += _(", on its edge with {other}: change the tier if the author meant that one").format(other=tiers[1])
            self.guess(path + ("tier",), why)
        if reason:
            entry["reason"] = reason
        entries.append(entry)
        col_label = {"published_score": self.L["score"], "score": self.L["score"], "tier": self.L["score"],
                     "weight": self.L["weight"], "reason": self.L["reason"]}
        self.out.where[path] = (r0 + 1, self.L["tier3"])
        for key, label in col_label.items():
            self.out.where[path + (key,)] = (r0 + 1, label)
        for i, r in enumerate(rows):
            base = path + (("members", i) if len(rows) > 1 else ())
            for key in ("name", "target", "actual"):
                self.out.where[base + (key,)] = (r + 1, self.L[{"name": "tier3"}.get(key, key)])

    def scoring(self) -> None:
        """The scoring rules the printed scores follow: the forms' default unless another of the
        rules a source may choose (over_rule, reverse_rule) explains more of the printed 得分."""
        def matches(scoring: Scoring) -> int:
            return sum(score_entry(e, p, t1, t2, scoring)[0].score == printed for e, p, t1, t2, printed in self.by_rule)
        candidates = [Scoring(**c) for c in SCORING_CHOICES]
        best = max(candidates, key=matches)       # the first (the default) on a tie
        if matches(best) > matches(candidates[0]):
            chosen = {k: v for k, v in best.model_dump().items() if v != getattr(Scoring(), k)}
            self.put(("scoring",), chosen)
            self.guess(("scoring",), _("{n} of the {m} printed rule-based scores follow these rules, {d} the "
                                       "default ones").format(n=matches(best), m=len(self.by_rule),
                                                              d=matches(candidates[0])))

    @staticmethod
    def tiers_of(score: Decimal, weight: Decimal) -> list[str]:
        """The tiers whose band (percent of the 分值) holds the score, best first: two on a shared edge."""
        pct = score / weight * 100
        found = [t for t in vocab.vocabulary()["tiers"] if vocab.tier_band(t)[0] <= pct <= vocab.tier_band(t)[1]]
        return found or [list(vocab.vocabulary()["tiers"])[-1]]

    def weights(self, printed: dict[str, tuple[Decimal, int]]) -> None:
        """一级 weights: the label's figure goes under published.weights; the source's `weights`
        take the sum of the rows when it is not the default (so the source adds up as printed)."""
        for tier1, tier2s in self.out.data.get("indicators", {}).items():
            rows = sum((e["weight"] for es in tier2s.values() for e in es), Decimal(0))
            if tier1 in printed:
                label, r = printed[tier1]
                self.put(("published", "weights", tier1), label, r, self.L["tier1"])
                self.out.where[("weights", tier1)] = self.out.where[("published", "weights", tier1)]
                if label != rows:
                    self.guess(("weights", tier1), _("labelled {label}分 but its rows sum to {rows}: the rows are "
                                                     "taken, the label is kept under published").format(label=label, rows=rows))
            elif rows != vocab.default_weight(tier1):
                self.guess(("weights", tier1), _("the form prints no weight on the 一级 label: the sum of its rows"))
            if rows != vocab.default_weight(tier1):
                self.put(("weights", tier1), rows)

    def total(self) -> None:
        if "total" not in self.L:
            return
        found = self.find("total")
        if found is None:
            self.out.unread.append(self.L["total"])
            return
        r = found[0]
        after = [cell.text for c, cell in self.t.distinct(r) if c > found[1]]
        grade_prefix = norm(self.L["grade"].split("{grade}")[0])
        numbers = [n for n in (number(t) for t in after) if n is not None]
        if len(numbers) >= 2:
            self.put(("published", "total"), numbers[1], r, self.L["total"])
        grade = next((norm(t).removeprefix(grade_prefix) for t in after if norm(t).startswith(grade_prefix)), None)
        if grade:
            self.put(("published", "grade"), vocab.normalise_grade(grade), r, self.L["grade"].split("{grade}")[0].rstrip("：:"))


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
