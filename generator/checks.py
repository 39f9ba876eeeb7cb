"""Consistency checks: what a careful reviewer of a 自评表 would catch, as diagnostics.

Each check is a small function of (evaluation, figures) so that a new rule is one function and
one test. Codes are stable: E-… are errors (exit 2), W-… warnings.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from . import vocabulary as vocab
from .compute import HUNDRED, ZERO, Figures, IndicatorFigures, fmt_percent, fmt_score, fmt_weight, tier_range
from .diagnostics import ERROR, WARNING, Diagnostic
from .model import Evaluation, Group, Indicator, Item, SectionBody


def _entry(ev: Evaluation, f: IndicatorFigures) -> Indicator | Group:
    _, tier1, tier2, i = f.path
    return ev.indicators[tier1][tier2][i]


def weights(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    out = []
    parts = [("预算执行率", fig.budget_weight)]
    if fig.management_weight is not None:
        parts.append(("资金管理", fig.management_weight))
    parts += [(s.tier1, s.label_weight) for s in fig.subtotals]
    if fig.weight_total != HUNDRED:
        listing = " + ".join(f"{name} {fmt_weight(w)}" for name, w in parts)
        out.append(Diagnostic("E-WEIGHT", ERROR, f"the weights sum to {fmt_weight(fig.weight_total)}, not 100: {listing}",
                              ("weights",) if ev.weights else ("indicators",)))
    for s in fig.subtotals:
        if s.label_weight != s.weight:
            where = ("weights", s.tier1) if s.tier1 in ev.weights else ("indicators", s.tier1)
            if s.tier1 not in ev.weights and s.tier1 not in ev.indicators:
                where = ("indicators",)
            hint = "" if s.weight else " (move its weight to another 一级指标 under weights:)"
            out.append(Diagnostic("E-WEIGHT", ERROR, f"{s.tier1} is labelled {fmt_weight(s.label_weight)}分 but its "
                                  f"indicators sum to {fmt_weight(s.weight)}{hint}", where))
    return out


def reasons(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """A score below full, or far above the target, must be explained on the form."""
    out = []
    for f in fig.indicators:
        entry = _entry(ev, f)
        has_reason = bool(entry.reason and entry.reason.strip())
        if f.score is not None and f.score < f.weight and not has_reason:
            out.append(Diagnostic("E-REASON", ERROR, f"{f.name}: 得分 {fmt_score(f.score)} is below its 分值 "
                                  f"{fmt_weight(f.weight)}, so 偏差原因分析及改进措施 must say why", f.path))
        threshold = ev.scoring.over_threshold
        if f.ratio is not None and f.ratio >= threshold and not has_reason:
            out.append(Diagnostic("W-OVER", WARNING, f"{f.name}: 实际完成值 is {fmt_percent(f.ratio)} of the "
                                  f"年度指标值 (from {fmt_weight(threshold)}% on), so 偏差原因分析及改进措施 should say "
                                  "whether the target was set too low", f.path))
    return out


def explicit_scores(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    out = []
    for f in fig.indicators:
        entry = _entry(ev, f)
        if f.basis != "explicit":
            continue
        if entry.tier is not None:
            low, high = tier_range(entry.tier, f.weight)
            if not (low <= f.score <= high):
                out.append(Diagnostic("E-TIER-BAND", ERROR, f"{f.name}: 得分 {fmt_score(f.score)} is outside the band "
                                      f"of 评价档次 {entry.tier} ({low}–{high} of 分值 {fmt_weight(f.weight)})",
                                      f.path + ("score",)))
        if f.rule is not None and f.score > f.rule:
            out.append(Diagnostic("W-OVERRIDE", WARNING, f"{f.name}: 得分 {fmt_score(f.score)} is above what the "
                                  f"rule gives ({fmt_score(f.rule)}) for these values", f.path + ("score",)))
    return out


def values(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    out = []
    for f in fig.indicators:
        entry = _entry(ev, f)
        members = entry.members if isinstance(entry, Group) else [entry]
        for i, m in enumerate(members):
            mpath = f.path + (("members", i) if isinstance(entry, Group) else ()) + ("actual",)
            # A name that is also the target ("年底发放") may honestly be the achievement.
            if m.actual and m.actual.strip() == m.name.strip() != (m.target or "").strip():
                out.append(Diagnostic("W-ACTUAL-NAME", WARNING, f"实际完成值 repeats the 三级指标's name "
                                      f"'{m.name}' instead of stating what was achieved", mpath))
    return out


def budget(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    out = []
    for label, a in fig.lines.items():
        if a.adjusted is not None and a.executed is not None and a.executed > a.adjusted:
            out.append(Diagnostic("W-OVERSPENT", WARNING, f"{label}: 全年执行数 {a.executed} is above 全年预算数 "
                                  f"{a.adjusted}; the budget score is capped at its 分值", ("budget", "lines", label, "executed")))
    return out


def _items(section) -> list[Item]:
    return section.items if isinstance(section, SectionBody) else []


def spending_items(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """Narrative items that name amounts (spending lines) should add up to 全年预算数."""
    out = []
    if fig.budget.adjusted is None:
        return out
    for key in type(ev.narrative).model_fields:
        items = [it for it in _items(getattr(ev.narrative, key)) if it.amount is not None]
        if items:
            total = sum((it.amount for it in items), ZERO)
            if total != fig.budget.adjusted:
                out.append(Diagnostic("W-ITEMS", WARNING, f"the amounts of the items under this section sum to "
                                      f"{total}万元, but 全年预算数 is {fig.budget.adjusted}万元", ("narrative", key)))
    return out


def _percent(text: str) -> Decimal | None:
    try:
        return Decimal(str(text).strip().rstrip("%％"))
    except InvalidOperation:
        return None


def published(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """Every figure printed in an existing report against the computed one, naming both."""
    out = []
    p = ev.published

    def differs(key, label, printed, computed, shown):
        out.append(Diagnostic("E-PUBLISHED", ERROR, f"{label} is printed as {printed} but computes to {shown}",
                              ("published", key)))

    if p is not None:
        if p.execution_rate is not None and fig.execution_rate is not None:
            printed = _percent(p.execution_rate)
            if printed is None or printed != fig.execution_rate:
                differs("execution_rate", "执行率", p.execution_rate, fig.execution_rate, fmt_percent(fig.execution_rate))
        if p.budget_score is not None and fig.budget_score is not None and p.budget_score != fig.budget_score:
            differs("budget_score", "预算执行率得分", p.budget_score, fig.budget_score, fmt_score(fig.budget_score))
        if p.total is not None and fig.total is not None and p.total != fig.total:
            differs("total", "总分", p.total, fig.total, fmt_score(fig.total))
        if p.grade is not None and fig.grade is not None and vocab.normalise_grade(p.grade) != fig.grade:
            differs("grade", "等级", p.grade, fig.grade, fig.grade)
        if p.unmet is not None:
            unmet = {n for f in fig.indicators if f.achieved is False for n in f.names}
            for name in p.unmet:
                f = next((f for f in fig.indicators if name in f.names), None)
                if f is None:
                    out.append(Diagnostic("E-PUBLISHED", ERROR, f"没有完成绩效目标的指标 lists '{name}', which is not "
                                          "an indicator of the table", ("published", "unmet")))
                elif name not in unmet:
                    out.append(Diagnostic("E-PUBLISHED", ERROR, f"没有完成绩效目标的指标 lists '{name}', but the table "
                                          "shows its target met", ("published", "unmet")))
            for name in sorted(unmet - set(p.unmet)):
                out.append(Diagnostic("E-PUBLISHED", ERROR, f"'{name}' missed its target but is not listed under "
                                      "没有完成绩效目标的指标", ("published", "unmet")))
    for f in fig.indicators:
        printed = _entry(ev, f).published_score
        if printed is not None and f.score is not None and printed != f.score:
            out.append(Diagnostic("E-PUBLISHED", ERROR, f"{f.name}: 得分 is printed as {printed} but computes to "
                                  f"{fmt_score(f.score)}", f.path + ("published_score",)))
    return out


_NUMBER_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|%)")


def narrative_texts(ev: Evaluation):
    """(data path, text) of every text an officer typed into the report."""
    yield ("goals", "expected"), ev.goals.expected
    yield ("goals", "actual"), ev.goals.actual

    def walk(node, path):
        for key in ("text", "after"):
            if getattr(node, key, None):
                yield path + (key,), getattr(node, key)
        for i, item in enumerate(getattr(node, "items", [])):
            yield from walk(item, path + ("items", i))

    for key in type(ev.narrative).model_fields:
        value = getattr(ev.narrative, key)
        if isinstance(value, SectionBody):
            yield from walk(value, ("narrative", key))


def narrative_numbers(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """A number typed into the text that nearly matches a table figure is probably a stale copy
    (seed 003: 下拨408万元 beside a table of 508; seed 001: 办结率95.59% beside 95.66%). Only
    near misses are reported, so amounts of sub-items and unrelated percentages stay quiet."""
    money = {fig.budget.initial: "年初预算数", fig.budget.adjusted: "全年预算数",
             fig.budget.executed: "全年执行数", fig.balance: "结余"}
    money.pop(None, None)
    known_money = set(money) | {a for line in fig.lines.values() for a in vars(line).values() if a is not None}
    actual_pct = {}
    for f in fig.indicators:
        entry = _entry(ev, f)
        for m in (entry.members if isinstance(entry, Group) else [entry]):
            text = (m.actual or "").strip()
            if text.endswith("%"):
                value = _percent(text)
                if value is not None:
                    actual_pct.setdefault(value, m.name)
    known_pct = set(actual_pct) | ({fig.execution_rate} if fig.execution_rate is not None else set())
    out = []
    for path, text in narrative_texts(ev):
        for line_no, line in enumerate(str(text).splitlines()):
            for m in _NUMBER_WITH_UNIT.finditer(line):
                value, unit = Decimal(m.group(1)), m.group(2)
                if unit == "万元" and value not in known_money:
                    near = sorted((abs(value - v), v, label) for v, label in money.items() if v and abs(value - v) <= v / 4)
                    if near:
                        _, v, label = near[0]
                        out.append(Diagnostic("W-NARRATIVE", WARNING, f"the text says {m.group(0)}, near but not "
                                              f"the table's {label} {v}万元; write the figure as a template "
                                              "variable or correct it", path, line_offset=line_no))
                if unit == "%" and value not in known_pct:
                    near = sorted((abs(value - v), v, name) for v, name in actual_pct.items() if abs(value - v) <= 1)
                    if near:
                        _, v, name = near[0]
                        out.append(Diagnostic("W-NARRATIVE", WARNING, f"the text says {m.group(0)}, near but not "
                                              f"the table's 实际完成值 {v}% of {name}; correct one of them",
                                              path, line_offset=line_no))
    return out


def todo_markers(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """A source rolled over by new-year carries TODO markers where last year's text was."""
    from .newyear import TODO_MARKER
    count = sum(str(text).count(TODO_MARKER) for _, text in narrative_texts(ev))
    count += sum(str(getattr(row, k)).count(TODO_MARKER) for row in getattr(ev.narrative, "fund_management", {}).values()
                 for k in ("situation", "improvement"))
    if not count:
        return []
    return [Diagnostic("W-TODO", WARNING, f"{count} TODO marker{'s' if count > 1 else ''} remain in the narrative "
                       "(text still to write for this year)", ("narrative",))]


def templates(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """Template errors in the narrative (undefined names, syntax, sandbox refusals), before a build."""
    from .texts import render_narrative
    return render_narrative(ev, fig).problems


CHECKS = (weights, reasons, explicit_scores, values, budget, spending_items, published, narrative_numbers,
          templates, todo_markers)
# The officer's tools: placeholders left from `new` (W-UNFILLED), IME comparators such as 》 (W-IME).
from .starter import unfilled_placeholders  # noqa: E402
from .ime import comparator_marks  # noqa: E402
from .newyear import reused_sections  # noqa: E402
CHECKS += (unfilled_placeholders, comparator_marks, reused_sections)


def run(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """Scoring problems from compute, then every check, in a stable order."""
    found = list(fig.findings)
    for check in CHECKS:
        found.extend(check(ev, fig))
    return found
