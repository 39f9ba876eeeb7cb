"""One function per rule of advice.yaml: the weaknesses a reviewer questions in one evaluation.

Every figure comes from compute.Figures (score, weight, ratio, execution_rate, 全年预算数) and every
quantity from quantity.parse_value; these rules read texts, never re-derive a score. Each returns
warnings located at the field the reviewer would circle, named in the form's labels.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..checks import narrative_texts
from ..compute import ZERO, Figures, IndicatorFigures, fmt_money, fmt_percent, fmt_score, fmt_weight
from ..diagnostics import WARNING, Diagnostic
from ..i18n import _, join, ngettext
from ..model import Evaluation, Group
from ..quantity import EQ, parse_value
from .config import Config


@dataclass(frozen=True)
class Context:
    ev: Evaluation
    fig: Figures
    config: Config

    def rule(self, code: str) -> dict:
        return self.config.rules[code]

    def words(self, name: str) -> tuple[str, ...]:
        return self.config.words[name]


def plain(text) -> str:
    """A cell's text as compared: full-width folded, spaces and the final 。 dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).rstrip("。.")


def members(ev: Evaluation, f: IndicatorFigures):
    """(indicator or group member, its data path) of one scored row."""
    entry = ev.entry(f.path)
    if isinstance(entry, Group):
        return [(m, f.path + ("members", k)) for k, m in enumerate(entry.members)]
    return [(entry, f.path)]


def _entry(ev: Evaluation, f: IndicatorFigures):
    return ev.entry(f.path)


def warn(code: str, message: str, path: tuple) -> Diagnostic:
    return Diagnostic(code, WARNING, message, path)


def has_number(text: str | None) -> bool:
    """A 年度指标值 is measurable when it is a comparison with a number or names a number at all
    ("完成7800家上云指标"); "助推株洲经济发展" is not."""
    return parse_value(text) is not None or bool(re.search(r"\d", str(text or "")))


def vague_target(c: Context) -> list[Diagnostic]:
    """W-VAGUE-TARGET: "明显提升", "提高", "有效": only a verb of improvement, nothing to measure."""
    spec = c.rule("W-VAGUE-TARGET")
    fillers = sorted(set(c.words("improvement_verbs")) | set(c.words("intensifiers")), key=len, reverse=True)
    pattern = re.compile("(?:" + "|".join(map(re.escape, fillers)) + ")+")
    out = []
    for f in c.fig.indicators:
        if f.tier1 not in spec["tier1"]:
            continue
        for m, path in members(c.ev, f):
            text = re.sub(r"[\W_]+", "", plain(m.target))
            if text and pattern.fullmatch(text):
                out.append(warn("W-VAGUE-TARGET", _(
                    "{name}: 年度指标值 '{target}' is only a verb of improvement; a {tier2} should state a number, "
                    "a unit or an observable state (≥N, N%, 完成时限)").format(
                        name=m.name, target=m.target, tier2=f.tier2), path + ("target",)))
    return out


def no_quantity(c: Context) -> list[Diagnostic]:
    """W-NO-QUANTITY: an 产出指标 block with no 数量指标 at all."""
    output = c.ev.indicators.get("产出指标")
    if not output or "数量指标" in output:
        return []
    return [warn("W-NO-QUANTITY", _("产出指标 has no 数量指标 (only {present}); the guidance expects the quantity "
                                    "delivered to be measured").format(present=join(output)),
                 ("indicators", "产出指标"))]


def qualitative_only(c: Context) -> list[Diagnostic]:
    """W-QUALITATIVE-ONLY: every 年度指标值 of a 一级指标 without a number."""
    out = []
    for tier1 in c.rule("W-QUALITATIVE-ONLY")["tier1"]:
        targets = [m.target for f in c.fig.indicators if f.tier1 == tier1
                   for m, _ in members(c.ev, f) if m.target and m.target.strip()]
        if targets and not any(has_number(t) for t in targets):
            out.append(warn("W-QUALITATIVE-ONLY", ngettext(
                "every 年度指标值 of {tier1} is qualitative ({n} indicator, none with a number): a reviewer "
                "cannot tell whether the targets were met",
                "every 年度指标值 of {tier1} is qualitative ({n} indicators, none with a number): a reviewer "
                "cannot tell whether the targets were met", len(targets)).format(tier1=tier1, n=len(targets)),
                ("indicators", tier1)))
    return out


def full_marks(c: Context) -> list[Diagnostic]:
    """W-FULL-MARKS: a perfect table beside money left unspent."""
    fig, below = c.fig, c.rule("W-FULL-MARKS")["below_rate"]
    if fig.execution_rate is None or not fig.indicators or fig.execution_rate >= below:
        return []
    if any(f.score is None or f.score < f.weight for f in fig.indicators):
        return []
    return [warn("W-FULL-MARKS", _("every indicator is at full marks while 执行率 is {rate} (below {below}%): say in "
                                   "the report how all targets were met with less money, or review the "
                                   "scores").format(rate=fmt_percent(fig.execution_rate), below=fmt_weight(below)),
                 ("indicators",))]


def _all_texts(ev: Evaluation):
    """(section key, text) of every narrative text, the 资金管理情况表 rows and the form's own text
    rows (评价结论, 偏差原因分析 …) included."""
    for path, text in narrative_texts(ev):
        yield path[1] if path[0] == "narrative" else path[0], str(text or "")
    rows = getattr(ev.narrative, "fund_management", {}) or {}
    for row in rows.values():
        yield "fund_management", f"{row.situation}\n{row.improvement}"
    for key, text in ev.form_texts.items():
        yield key, text


def survey(c: Context) -> list[Diagnostic]:
    """W-SURVEY: 满意度 at 100%, or at full marks on a 实际完成值 that is no measured percentage
    ("80%以上", "满意"), and nothing says how it was measured. A measured 95% implies a survey
    took place; switch even_if_measured on to ask for its description every time."""
    if c.ev.survey is not None or any(w in text for _, text in _all_texts(c.ev) for w in c.words("survey")):
        return []
    spec = c.rule("W-SURVEY")
    out = []
    for f in c.fig.indicators:
        if f.tier1 != "满意度指标":
            continue
        full = f.score is not None and f.score == f.weight
        for m, path in members(c.ev, f):
            q = parse_value(m.actual)
            measured = q is not None and q.comparator == EQ and q.unit == "%"
            hundred = measured and q.value >= 100
            if hundred or (full and spec["at_full_marks"] and (spec["even_if_measured"] or not measured)):
                message = (_("{name}: 实际完成值 {actual}, but no 满意度调查 is described; add survey: (method and "
                             "样本量) or describe the survey in the report") if hundred else
                           _("{name}: 得分 {score} of 分值 {weight}, but no 满意度调查 is described; add survey: "
                             "(method and 样本量) or describe the survey in the report"))
                out.append(warn("W-SURVEY", message.format(name=m.name, actual=m.actual, score=fmt_score(f.score),
                                                           weight=fmt_weight(f.weight)), path + ("actual",)))
    return out


def reason_at_full(c: Context) -> list[Diagnostic]:
    """W-REASON-AT-FULL: a 偏差原因 for an indicator with no deviation to explain."""
    out = []
    blank = {plain(w) for w in c.words("no_reason")}
    for f in c.fig.indicators:
        reason = _entry(c.ev, f).reason
        if f.score is None or f.score < f.weight or plain(reason) in blank | {""}:
            continue
        if f.ratio is not None and f.ratio >= c.ev.scoring.over_threshold:
            continue  # over-achievement: W-OVER asks for exactly this text
        out.append(warn("W-REASON-AT-FULL", _("{name}: 偏差原因分析及改进措施 is written but 得分 {score} is the full "
                                              "分值; either the score or the text is wrong").format(
            name=f.name, score=fmt_score(f.score)), f.path + ("reason",)))
    return out


def reason_contradicts(c: Context) -> list[Diagnostic]:
    """W-REASON-CONTRADICTS: "已完成" as the reason for a score below full."""
    out = []
    for f in c.fig.indicators:
        reason = plain(_entry(c.ev, f).reason)
        if f.score is None or f.score >= f.weight or not reason:
            continue
        said = next((w for w in c.words("completion") if w in reason), None)
        if said and not any(w in reason for w in c.words("deduction")):
            out.append(warn("W-REASON-CONTRADICTS", _(
                "{name}: 偏差原因分析及改进措施 says '{said}' but 得分 is {score} of {weight}; say why points were "
                "deducted (e.g. the target was set too low)").format(
                    name=f.name, said=said, score=fmt_score(f.score), weight=fmt_weight(f.weight)),
                f.path + ("reason",)))
    return out


def actual_repeats_target(c: Context) -> list[Diagnostic]:
    """W-ACTUAL-REPEATS-TARGET: the 实际完成值 is the 年度指标值 copied, not a result. A number met
    exactly ("5" / "5") is a result; a comparison ("80%以上") or a phrase ("明显提升") is not."""
    out = []
    for f in c.fig.indicators:
        for m, path in members(c.ev, f):
            if not m.actual or plain(m.actual) != plain(m.target):
                continue
            q = parse_value(m.actual)
            if q is not None and q.comparator == EQ:
                continue
            out.append(warn("W-ACTUAL-REPEATS-TARGET", _(
                "{name}: 实际完成值 '{actual}' repeats the 年度指标值 instead of stating what was achieved").format(
                    name=m.name, actual=m.actual), path + ("actual",)))
    return out


def _amounts(text: str, units: dict) -> list[Decimal]:
    """Amounts of money written in a text, in 万元; a rate per unit ("27万/个") is not an amount."""
    spelled = "|".join(map(re.escape, sorted(units, key=len, reverse=True)))
    found = []
    for m in re.finditer(rf"(?<![\d.])\d+(?:\.\d+)?\s*(?:{spelled})(?![/／每])", unicodedata.normalize("NFKC", text)):
        q = parse_value(m.group(0))
        if q is not None and q.unit in units:
            found.append(q.value * units[q.unit])
    return found


def cost_over_budget(c: Context) -> list[Diagnostic]:
    """W-COST-OVER-BUDGET: the 成本指标 targets promise more money than the project has."""
    budget = c.fig.budget.adjusted
    rows = [f for f in c.fig.indicators if f.tier2 == "成本指标"]
    if budget is None or not rows:
        return []
    parts = [(m, _amounts(m.target or "", c.config.money_units)) for f in rows for m, _ in members(c.ev, f)]
    parts = [(m, amounts) for m, amounts in parts if amounts]
    total = sum((a for _, amounts in parts for a in amounts), ZERO)
    if not parts or total <= budget:
        return []
    listing = "、".join(m.name + " " + _("'{value}'").format(value=m.target) for m, _unused in parts)
    return [warn("W-COST-OVER-BUDGET", _(
        "the 成本指标 年度指标值 add up to {total}万元 ({listing}), more than 全年预算数 {budget}万元: a 成本指标 states "
        "what the project itself costs").format(total=fmt_money(total.normalize()), listing=listing,
                                                budget=fmt_money(budget)), ("indicators", rows[0].tier1, "成本指标"))]


def low_rate_unexplained(c: Context) -> list[Diagnostic]:
    """W-LOW-RATE-UNEXPLAINED: the form asks for a reason when 执行率 is below 90%. A section
    explains it when it names a cause together with the money or an activity not carried out."""
    rate, below = c.fig.execution_rate, c.rule("W-LOW-RATE-UNEXPLAINED")["below_rate"]
    if rate is None or rate >= below:
        return []
    sections: dict[str, str] = {}
    for key, text in _all_texts(c.ev):
        sections[key] = sections.get(key, "") + "\n" + text
    for text in sections.values():
        if any(w in text for w in c.words("cause")) and any(w in text for w in c.words("spending")):
            return []
    first = next(iter(c.ev.budget.lines), None)
    return [warn("W-LOW-RATE-UNEXPLAINED", _(
        "执行率 is {rate}, below {below}%, and no part of the report says why (结余 {balance}万元); write the "
        "reason").format(rate=fmt_percent(rate), below=fmt_weight(below), balance=fmt_money(c.fig.balance)),
                 ("budget", "lines", first, "executed") if first else ("budget",))]


RULES = {
    "W-VAGUE-TARGET": vague_target,
    "W-NO-QUANTITY": no_quantity,
    "W-QUALITATIVE-ONLY": qualitative_only,
    "W-FULL-MARKS": full_marks,
    "W-SURVEY": survey,
    "W-REASON-AT-FULL": reason_at_full,
    "W-REASON-CONTRADICTS": reason_contradicts,
    "W-ACTUAL-REPEATS-TARGET": actual_repeats_target,
    "W-COST-OVER-BUDGET": cost_over_budget,
    "W-LOW-RATE-UNEXPLAINED": low_rate_unexplained,
}
