"""Consistency checks: what a careful reviewer of a 自评表 would catch, as diagnostics.

Each check is a small function of (evaluation, figures) so that a new rule is one function and
one test. Codes are stable: E-… are errors (exit 2), W-… warnings.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from . import vocabulary as vocab
from .compute import (ZERO, Figures, IndicatorFigures, fmt_money, fmt_percent, fmt_score, fmt_weight,
                      tier_range)
from .diagnostics import ERROR, PUBLISHED, WARNING, Diagnostic
from .i18n import _, ngettext
from .ime import COMPARATOR_MARKS
from .model import Evaluation, Group, Indicator, Item, SectionBody, walk_values
from .narrative_text import PERCENT_UNIT, POINTS_UNIT, NamedFigure, catalogue
from .vocabulary import TODO_MARKER


def _entry(ev: Evaluation, f: IndicatorFigures) -> Indicator | Group:
    return ev.entry(f.path)


def weights(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    out = []
    parts = [("预算执行率", fig.budget_weight)]
    if fig.management_weight is not None:
        parts.append(("资金管理", fig.management_weight))
    parts += [(s.tier1, s.label_weight) for s in fig.subtotals]
    if not fig.graded:
        listing = " + ".join(f"{name} {fmt_weight(w)}" for name, w in parts)
        out.append(Diagnostic("E-WEIGHT", ERROR, _("the weights sum to {total}, not {full}: {listing}; the 总分 "
                                                   "is not graded").format(total=fmt_weight(fig.weight_total),
                                                                           full=fmt_weight(fig.full_marks), listing=listing),
                              ("weights",) if ev.weights else ("indicators",), at_key=not ev.weights))
    for s in fig.subtotals:
        if s.label_weight != s.weight:
            if s.tier1 in ev.weights:
                where, at_key = ("weights", s.tier1), False
            elif s.tier1 in ev.indicators:
                where, at_key = ("indicators", s.tier1), True
            else:   # a 一级 with no indicators: the indicators: key, not its first child
                where, at_key = ("indicators",), True
            message = (_("{tier1} is labelled {label}分 but its indicators sum to {weight}") if s.weight else
                       _("{tier1} is labelled {label}分 but its indicators sum to {weight} (move its weight to "
                         "another 一级指标 under weights:)"))
            out.append(Diagnostic("E-WEIGHT", ERROR, message.format(
                tier1=s.tier1, label=fmt_weight(s.label_weight), weight=fmt_weight(s.weight)), where, at_key=at_key))
    return out


def is_reason(text: str | None) -> bool:
    """A 偏差原因 that says something: not blank, and not one of the placeholders officers type
    into a cell that must not stay empty ("0", "无", "-", "/", "同上" …)."""
    if text is None:
        return False
    stripped = text.strip().rstrip("。.")
    return bool(stripped) and stripped not in vocab.vocabulary()["no_reason"]


def reasons(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """A score below full, or far above the target, must be explained on the form."""
    out = []
    if not ev.profile.prints("reason"):
        return table_wide_reasons(ev, fig)
    for f in fig.indicators:
        entry = _entry(ev, f)
        has_reason = is_reason(entry.reason)
        if f.score is not None and f.score < f.weight and not has_reason:
            said = entry.reason.strip() if entry.reason and entry.reason.strip() else ""
            message = (_("{name}: 得分 {score} is below its 分值 {weight}, so 偏差原因分析及改进措施 must say why "
                         "('{said}' says nothing)") if said else
                       _("{name}: 得分 {score} is below its 分值 {weight}, so 偏差原因分析及改进措施 must say why"))
            out.append(Diagnostic("E-REASON", ERROR, message.format(
                name=f.name, score=fmt_score(f.score), weight=fmt_weight(f.weight), said=said),
                f.path + (("reason",) if said else ())))
        threshold = ev.scoring.over_threshold
        if f.ratio is not None and f.ratio >= threshold and not has_reason:
            out.append(Diagnostic("W-OVER", WARNING, _(
                "{name}: 实际完成值 is {ratio} of the 年度指标值 (the threshold is {threshold}%), so 偏差原因分析及改进措施 "
                "should say whether the target was set too low").format(
                    name=f.name, ratio=fmt_percent(f.ratio), threshold=fmt_weight(threshold)), f.path))
    return out


def table_wide_reasons(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """Forms without a reason column explain the table's shortfalls in their first table-wide reason
    cell (偏差大或目标未完成原因分析): it must say something when any score is below full."""
    rows = ev.profile.indicators.reasons
    short = [f for f in fig.indicators if f.score is not None and f.score < f.weight]
    if not rows or not short or is_reason(ev.form_texts.get(rows[0].key)):
        return []
    names = "、".join(f.name for f in short)
    return [Diagnostic("E-REASON", ERROR, _("{names}: 得分 below its 分值, so {label} must say why").format(
        names=names, label=rows[0].label),
                       ("form_texts", rows[0].key) if rows[0].key in ev.form_texts else ("indicators",),
                       at_key=rows[0].key not in ev.form_texts)]


def low_rate_reason(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """Forms that demand it (四川: "预算执行率未达到90%的需说明原因") need the reason of a low 执行率."""
    limit, row = ev.profile.rules.reason_below_rate, ev.profile.money.reason if ev.profile.money else None
    if limit is None or fig.execution_rate is None or fig.execution_rate >= limit:
        return []
    if row is not None and is_reason(ev.form_texts.get(row.key)):
        return []
    where = ("form_texts", row.key) if row is not None and row.key in ev.form_texts else ("budget",)
    label = row.label if row is not None else _("the reason")
    return [Diagnostic("E-REASON", ERROR, _("执行率 is {rate}, below {limit}%, so {label} must say why").format(
        rate=fmt_percent(fig.execution_rate), limit=fmt_weight(limit), label=label), where)]


def reason_length(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """A form that limits its reason cells (“100字以内”) gets no longer text."""
    limit = ev.profile.rules.reason_limit
    out = []
    for f in fig.indicators if limit else ():
        text = (_entry(ev, f).reason or "").strip()
        if len(text) > limit:
            out.append(Diagnostic("E-TOO-LONG", ERROR, _("{name}: 偏差原因分析及改进措施 is {n} characters; the form "
                                                         "allows {limit}").format(name=f.name, n=len(text), limit=limit),
                                  f.path + ("reason",)))
    return out


def tier2_near_misses(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """A 二级 the form does not suggest is allowed (forms add their own), but one a letter away from a
    suggested name is probably a typo that would be printed on the form."""
    out = []
    for tier1, groups in ev.indicators.items():
        allowed = ev.profile.tier2_names(tier1)
        for tier2 in groups:
            hint = vocab.suggest(tier2, allowed) if tier2 not in allowed else ""
            if hint:
                out.append(Diagnostic("W-VOCAB", WARNING, _("'{tier2}' is not a 二级指标 the {form} form suggests for "
                                                            "{tier1}").format(tier2=tier2, form=ev.form, tier1=tier1)
                                      + hint, ("indicators", tier1, tier2), True))
    return out


def explicit_scores(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    out = []
    for f in fig.indicators:
        entry = _entry(ev, f)
        if f.basis != "explicit":
            continue
        if entry.tier is not None:
            low, high = tier_range(entry.tier, f.weight, ev.profile.tier_band(entry.tier))
            if not (low <= f.score <= high):
                out.append(Diagnostic("E-TIER-BAND", ERROR, _(
                    "{name}: 得分 {score} is outside the band of 评价档次 {tier} ({low}–{high} of 分值 {weight})").format(
                        name=f.name, score=fmt_score(f.score), tier=entry.tier, low=low, high=high,
                        weight=fmt_weight(f.weight)), f.path + ("score",)))
        if f.rule is not None and f.score > f.rule:
            out.append(Diagnostic("W-OVERRIDE", WARNING, _(
                "{name}: 得分 {score} is above what the rule gives ({rule}) for these values").format(
                    name=f.name, score=fmt_score(f.score), rule=fmt_score(f.rule)), f.path + ("score",)))
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
                out.append(Diagnostic("W-ACTUAL-NAME", WARNING, _(
                    "实际完成值 repeats the 三级指标's name '{name}' instead of stating what was achieved").format(
                        name=m.name), mpath))
    return out


def budget(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    out = []
    for label, a in fig.lines.items():
        if a.adjusted is not None and a.executed is not None and a.executed > a.adjusted:
            out.append(Diagnostic("W-OVERSPENT", WARNING, _(
                "{label}: 全年执行数 {executed} is above 全年预算数 {adjusted}; the budget score is capped at its "
                "分值").format(label=label, executed=a.executed, adjusted=a.adjusted),
                ("budget", "lines", label, "executed")))
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
                out.append(Diagnostic("W-ITEMS", WARNING, _(
                    "the amounts of the items under this section sum to {total}万元, but 全年预算数 is "
                    "{adjusted}万元").format(total=total, adjusted=fig.budget.adjusted), ("narrative", key)))
    return out


def _percent(text: str) -> Decimal | None:
    try:
        return Decimal(str(text).strip().rstrip("%％"))
    except InvalidOperation:
        return None


def _published_rate(printed: str, computed: Decimal) -> Diagnostic | None:
    """执行率 as printed against the computed one. A printed rate must carry its % sign (a bare
    "20" could be 20% or 0.20); one printed as a whole percentage ("94%" for 94.11%) is said to be so,
    since the budget score was then usually taken from the rounded rate."""
    text = str(printed).strip()
    where = ("published", "execution_rate")
    value = _percent(text)
    if not text.endswith(("%", "％")) or value is None:
        return Diagnostic("E-VALUE", ERROR, _("执行率 is written as '{text}' without its sign %; write it as "
                                              "printed, e.g. '94.11%'").format(text=text), where, about=PUBLISHED)
    if value == computed:
        return None
    message = (_("执行率 is printed as {printed} but computes to {computed}") if "." in text else
               _("执行率 is printed as a whole percentage, {printed}, but computes to {computed}"))
    return Diagnostic("E-PUBLISHED", ERROR, message.format(printed=text, computed=fmt_percent(computed)),
                      where, about=PUBLISHED)


def published(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """Every figure printed in an existing report against the computed one, naming both."""
    out = []
    p = ev.published

    def differs(key, label, printed, shown, path=None):
        out.append(Diagnostic("E-PUBLISHED", ERROR, _("{label} is printed as {printed} but computes to {shown}").format(
                                  label=label, printed=printed, shown=shown),
                              path or ("published", key), about=PUBLISHED))

    if p is not None:
        if p.execution_rate is not None and fig.execution_rate is not None:
            found = _published_rate(p.execution_rate, fig.execution_rate)
            if found:
                out.append(found)
        if p.budget_score is not None and fig.budget_score is not None and p.budget_score != fig.budget_score:
            differs("budget_score", "预算执行率得分", p.budget_score, fmt_score(fig.budget_score))
        for tier1, printed in (p.weights or {}).items():
            s = next(s for s in fig.subtotals if s.tier1 == tier1)
            if printed != s.weight:
                out.append(Diagnostic("E-PUBLISHED", ERROR, _(
                    "{tier1} is printed as {printed}分 but its indicators sum to {weight}").format(
                        tier1=tier1, printed=fmt_weight(printed), weight=fmt_weight(s.weight)),
                    ("published", "weights", tier1), about=PUBLISHED))
        if p.total is not None and fig.total is not None and p.total != fig.total:
            differs("total", "总分", p.total, fmt_score(fig.total))
        if p.grade is not None and fig.grade is not None and vocab.normalise_grade(p.grade) != fig.grade:
            differs("grade", "等级", p.grade, fig.grade)
        if p.unmet is not None:
            unmet = set(fig.unmet)
            for name in p.unmet:
                f = next((f for f in fig.indicators if name in f.names), None)
                if f is None:
                    out.append(Diagnostic("E-PUBLISHED", ERROR, _(
                        "没有完成绩效目标的指标 lists '{name}', which is not an indicator of the table").format(
                            name=name), ("published", "unmet"), about=PUBLISHED))
                elif name not in unmet:
                    out.append(Diagnostic("E-PUBLISHED", ERROR, _(
                        "没有完成绩效目标的指标 lists '{name}', but the table shows its target met").format(
                            name=name), ("published", "unmet"), about=PUBLISHED))
            for name in sorted(unmet - set(p.unmet)):
                out.append(Diagnostic("E-PUBLISHED", ERROR, _(
                    "'{name}' missed its target but is not listed under 没有完成绩效目标的指标").format(name=name),
                    ("published", "unmet"), about=PUBLISHED))
    for f in fig.indicators:
        printed = _entry(ev, f).published_score
        if printed is not None and f.score is not None and printed != f.score:
            out.append(Diagnostic("E-PUBLISHED", ERROR, _("{name}: 得分 is printed as {printed} but computes to "
                                                          "{computed}").format(
                name=f.name, printed=printed, computed=fmt_score(f.score)), f.path + ("published_score",),
                about=PUBLISHED))
    return out


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


# How far a typed number may be from a table figure and still look like a stale copy of it:
# money and counts by a quarter of the figure, percentages and points by one.
_NEAR_RELATIVE, _NEAR_ABSOLUTE = Decimal("0.25"), Decimal(1)
_TARGET_WORDS = re.compile(r"[≥≤>＞<＜》]|不低于|不少于|不超过|不高于|\|(?:及)?以[上下内]")


def _near(value: Decimal, figure: NamedFigure) -> bool:
    if figure.unit == PERCENT_UNIT or figure.unit == POINTS_UNIT:
        return abs(value - figure.value) <= _NEAR_ABSOLUTE
    return abs(value - figure.value) <= abs(figure.value) * _NEAR_RELATIVE


def narrative_numbers(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """A number typed into the text that nearly matches a table figure of the same unit is probably a
    stale copy (seed 003: 下拨408万元 beside a table of 508; seed 001: 办结率95.59% beside 95.66%).

    Every figure the text could print is a candidate (each funding line and column, the rates, every
    indicator's target and actual in its own unit, the scores): a number equal to any of them is
    quiet, and only near misses are reported, naming the figure and the template variable that would
    print it. When several are near, one whose label the sentence names just before the number wins
    ("当年财政拨款750万元" is compared with 当年财政拨款, not with 全年执行数)."""
    figures = catalogue(ev, fig)
    units = sorted({f.unit for f in figures}, key=len, reverse=True)
    if not units:
        return []
    pattern = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(" + "|".join(re.escape(u) for u in units) + ")")
    out = []
    for path, text in narrative_texts(ev):
        for line_no, line in enumerate(str(text).splitlines()):
            for m in pattern.finditer(line):
                value, unit = Decimal(m.group(1)), m.group(2)
                before, after = line[max(0, m.start() - 16):m.start()], line[m.end():m.end() + 3]
                # "目标≥800人", "90%以上" state a target; any other number states a result.
                stated_target = _TARGET_WORDS.search(before[-4:] + "|" + after) is not None or "目标" in before
                same = [f for f in figures if f.unit == unit and f.is_target == stated_target]
                if any(f.value == value for f in same):
                    continue
                near = sorted((f for f in same if _near(value, f)),
                              key=lambda f: (f.label.split(" ")[0] not in before, abs(value - f.value)))
                if near:
                    f = near[0]
                    out.append(Diagnostic(
                        "W-NARRATIVE", WARNING, _(
                            "the text says {said}, near but not the table's {label} {value}; print the figure with "
                            "{variable} or correct it").format(said=m.group(0), label=f.label, value=f"{f.value}{unit}",
                                                               variable="{{ " + f.variable + " }}"),
                        path, line_offset=line_no))
    return out


def todo_markers(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """A source rolled over by new-year carries TODO markers where last year's text was."""
    count = sum(str(text).count(TODO_MARKER) for _, text in narrative_texts(ev))
    count += sum(str(getattr(row, k)).count(TODO_MARKER) for row in getattr(ev.narrative, "fund_management", {}).values()
                 for k in ("situation", "improvement"))
    if not count:
        return []
    return [Diagnostic("W-TODO", WARNING, ngettext(
        "{n} TODO marker remains in the narrative (text still to write for this year)",
        "{n} TODO markers remain in the narrative (text still to write for this year)", count).format(n=count),
        ("narrative",))]


# --- what the officer's tools leave behind (new, new-year, the input method) ---------------------


def unfilled_placeholders(ev, fig) -> list[Diagnostic]:
    """W-UNFILLED for every value that is still the starter's placeholder (待填); a narrative
    section is named by its heading in the outline."""
    todo = vocab.placeholder()
    headings = dict(vocab.outline_sections(ev.outline))
    out = []
    for path, value in walk_values(ev, ()):
        if not (isinstance(value, str) and value.strip() == todo):
            continue
        if path[0] == "narrative" and path[-1] == "text":
            path = path[:-1]
        label = headings.get(path[1]) if path[0] == "narrative" and len(path) == 2 else None
        out.append(Diagnostic("W-UNFILLED", WARNING, _("{label} is not yet filled").format(
            label=label or vocab.field_label(path)), path))
    return out


def comparator_marks(ev, fig) -> list[Diagnostic]:
    """W-IME where a 年度指标值 or 实际完成值 starts with 》, 《, ＞ or ＜: scored, but as what?"""
    out = []
    for tier1, groups in ev.indicators.items():
        for tier2, entries in groups.items():
            for i, entry in enumerate(entries):
                base = ("indicators", tier1, tier2, i)
                members = getattr(entry, "members", None)
                rows = [(base + ("members", j), m) for j, m in enumerate(members)] if members else [(base, entry)]
                for path, row in rows:
                    for key in ("target", "actual"):
                        text = (getattr(row, key) or "").strip()
                        if text[:1] in COMPARATOR_MARKS:
                            meant = COMPARATOR_MARKS[text[0]]
                            written = meant + text[1:]
                            if meant in "<>":
                                written = f"'{written}'"
                            out.append(Diagnostic("W-IME", WARNING, _(
                                "“{mark}” typed with the Chinese input method is scored as “{meant}”; write "
                                "{written}").format(mark=text[0], meant=meant, written=written), path + (key,)))
    return out


def reused_sections(ev, fig) -> list[Diagnostic]:
    """One W-REUSED for the sections new-year kept from last year, until their markers are gone."""
    headings = dict(vocab.outline_sections(ev.outline))
    found = [path for path, value in walk_values(ev.narrative, ("narrative",))
             if isinstance(value, str) and vocab.reused_marker() in value]
    if not found:
        return []
    names = list(dict.fromkeys(f"“{headings.get(p[1], p[1])}”" for p in found))
    return [Diagnostic("W-REUSED", WARNING, ngettext(
        "{n} section is kept from last year ({names}): read it for this year, then delete the marker {marker}",
        "{n} sections are kept from last year ({names}): read them for this year, then delete the marker {marker}",
        len(names)).format(n=len(names), names="、".join(names), marker=vocab.reused_marker()),
        found[0][:2])]


CHECKS = (weights, reasons, low_rate_reason, reason_length, tier2_near_misses, explicit_scores, values, budget, spending_items, published, narrative_numbers,
          todo_markers, unfilled_placeholders, comparator_marks, reused_sections)


def run(ev: Evaluation, fig: Figures) -> list[Diagnostic]:
    """Scoring problems from compute, then every check, in a stable order. (Template errors in the
    narrative come from filling it: generator.narrative_text, run by the pipeline.)"""
    found = list(fig.findings)
    for check in CHECKS:
        found.extend(check(ev, fig))
    return found
