"""Every derived figure of an evaluation: pure functions on Decimal, rounded half up.

Scores are rounded to two decimals per cell and the 总分 is the sum of the rounded cells, so the
table a reader adds up by hand agrees with the total printed under it. The budget score uses the
printed 执行率 (89.89%, not 0.898913…) for the same reason: "得分（执行率×分值）" must check out.
Problems that leave a figure undetermined are returned as findings here; every consistency check
lives in `checks`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import vocabulary as vocab
from .diagnostics import ERROR, WARNING, Diagnostic
from .i18n import _
from .model import Evaluation, Group, Indicator, Scoring
from .quantity import EQ, GE, GT, LE, LT, Quantity, in_unit_of, parse_value

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def round_half_up(x: Decimal, places: Decimal = CENT) -> Decimal:
    return x.quantize(places, rounding=ROUND_HALF_UP)


# --- money ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyRow:
    """The three amounts of one 项目资金 row as computed (a funding line, or 年度资金总额)."""
    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None


def column_sum(values) -> Decimal | None:
    """年度资金总额 of one column; blank when every line is blank, so a blank form stays blank."""
    present = [v for v in values if v is not None]
    return sum(present[1:], present[0]) if present else None


def annual_total(lines: dict[str, MoneyRow]) -> MoneyRow:
    return MoneyRow(*(column_sum(getattr(a, col) for a in lines.values())
                     for col in ("initial", "adjusted", "executed")))


def balance(adjusted: Decimal | None, executed: Decimal | None) -> Decimal | None:
    """结余 = 全年预算数 − 全年执行数."""
    if adjusted is None or executed is None:
        return None
    return adjusted - executed


def execution_rate(executed: Decimal, adjusted: Decimal) -> Decimal:
    """执行率 in percent, two decimals: 全年执行数 / 全年预算数 (the adjusted budget)."""
    return round_half_up(executed / adjusted * HUNDRED)


def line_rate(a: MoneyRow) -> Decimal | None:
    """执行率 of one funding line for 表1-2-1. A line with nothing budgeted and nothing spent prints
    0.00%, as the provincial system does; spending on a zero budget has no rate."""
    if a.adjusted is None or a.executed is None:
        return None
    if a.adjusted == 0:
        return ZERO.quantize(CENT) if a.executed == 0 else None
    return execution_rate(a.executed, a.adjusted)


def budget_score(rate_percent: Decimal, weight: Decimal) -> Decimal:
    """min(执行率, 100%) × 分值: spending more than the budget earns nothing extra."""
    return round_half_up(min(rate_percent, HUNDRED) / HUNDRED * weight)


# --- indicators -------------------------------------------------------------------------------


def is_reverse(target: Quantity) -> bool:
    """反向 (≤, <: cost, time, incidents): less is better. Everything else is 正向 (≥, >, =)."""
    return target.comparator in (LE, LT)


def achieves(target: Quantity, actual: Decimal) -> bool:
    """The one predicate behind both the 得分 and "achieved": the official rules know only 正向
    (≥) and 反向 (≤), so ">90%" is met by 90% and "<5天" by 5天; a score of full marks and a row
    listed as not achieved can then never meet. "=" is 正向 with equality: reaching it is enough."""
    return actual <= target.value if is_reverse(target) else actual >= target.value


def rule_score(target: Quantity, actual: Decimal, weight: Decimal, scoring: Scoring) -> Decimal:
    """The score of a quantitative indicator by the form's rules, before any author override
    (docs/scoring.md): met → full 分值 (or, with over_rule proportional, reduced past the
    over-achievement threshold); 正向 missed → 分值 × 实际/目标; 反向 missed → 分值 × 目标/实际
    (the rule printed on the forms) or, as an option, the linear deviation rule."""
    t = target.value
    if achieves(target, actual):
        if not is_reverse(target) and scoring.over_rule == "proportional" and t > ZERO:
            ratio_pct = actual / t * HUNDRED
            if ratio_pct > scoring.over_threshold:
                return round_half_up(weight * scoring.over_threshold / ratio_pct)
        return round_half_up(weight)
    if not is_reverse(target):          # missed, so 0 ≤ actual < t
        return round_half_up(weight * actual / t)
    if scoring.reverse_rule == "ratio":  # missed, so actual > t ≥ 0
        return round_half_up(weight * t / actual)
    if t == ZERO:
        return ZERO.quantize(CENT)
    return round_half_up(weight * max(ZERO, 1 - (actual - t) / t))


def tier_range(tier: str, weight: Decimal, band: tuple[Decimal, Decimal] | None = None) -> tuple[Decimal, Decimal]:
    """The 得分 a qualitative tier allows: its band (percent of the 分值; the form's, else the usual one)."""
    low, high = band or vocab.tier_band(tier)
    return round_half_up(weight * low / HUNDRED), round_half_up(weight * high / HUNDRED)


@dataclass(frozen=True)
class IndicatorFigures:
    """One scored row (or one group of rows sharing a score) of the 绩效指标 block."""
    path: tuple
    tier1: str
    tier2: str
    names: tuple[str, ...]
    weight: Decimal
    score: Decimal | None
    # How the score was decided: "rule", "tier", "explicit", "unfilled", "undecided".
    basis: str
    rule: Decimal | None = None       # what the rule gives, when the values are quantitative
    achieved: bool | None = None      # the target is met (None: unknown)
    ratio: Decimal | None = None      # 实际 / 目标 in percent, for ≥ indicators
    quantitative: bool = False

    @property
    def name(self) -> str:
        return "、".join(self.names)


# 指标性质 as forms print it in a column of its own: the comparison a bare target number means.
DIRECTIONS = {"≥": GE, "正向": GE, "≤": LE, "反向": LE, "=": EQ}


def quantities(m) -> tuple[Quantity | None, Quantity | None]:
    """The target and actual of an indicator (or group member) as comparisons. On forms with 指标性质
    and 度量单位 columns the target may be a bare number: its direction and unit come from those
    fields; a comparator or unit written in the target itself must then agree with them."""
    target, actual = parse_value(m.target), parse_value(m.actual)
    direction = getattr(m, "direction", None)
    unit = getattr(m, "unit", None)
    if target is not None and (direction or unit):
        comparator = DIRECTIONS[direction] if direction else target.comparator
        written = target.comparator != EQ or any(c in str(m.target) for c in "=＝")
        if direction and written:
            if target.comparator not in (comparator, GT if comparator == GE else LT if comparator == LE else EQ):
                return None, actual    # "≤5" under 指标性质 ≥: a person must decide
            comparator = target.comparator
        target = Quantity(comparator, target.value, target.unit or (unit or "").strip())
    if actual is not None and unit and not actual.unit:
        actual = Quantity(actual.comparator, actual.value, unit.strip())
    return target, actual


def score_entry(entry: Indicator | Group, path: tuple, tier1: str, tier2: str,
                scoring: Scoring, profile=None) -> tuple[IndicatorFigures, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    band = profile.tier_band if profile is not None else vocab.tier_band
    weight = entry.weight
    members = entry.members if isinstance(entry, Group) else [entry]
    names = tuple(m.name for m in members)
    rules, achieved, ratios, quantitative, unfilled = [], [], [], True, False
    for i, m in enumerate(members):
        mpath = path + (("members", i) if isinstance(entry, Group) else ())
        if m.actual is None or not str(m.actual).strip():
            unfilled = True
            quantitative = False
            continue
        target, actual = quantities(m)
        if target is None or actual is None:
            quantitative = False
            continue
        value = in_unit_of(actual, target)
        if value is None:
            quantitative = False
            problems.append(Diagnostic(
                "E-UNIT", ERROR, _("年度指标值 '{target}' is in {target_unit} but 实际完成值 '{actual}' is in "
                "{actual_unit}, which cannot be converted; write both in the same unit").format(
                    target=m.target, target_unit=target.unit, actual=m.actual, actual_unit=actual.unit),
                mpath + ("actual",)))
            continue
        achieved.append(achieves(target, value))
        rules.append(rule_score(target, value, weight, scoring))
        if not is_reverse(target) and target.value > 0:
            ratios.append(value / target.value * HUNDRED)
    rule = rules[0] if quantitative and len(members) == 1 else (
        round_half_up(weight) if quantitative and all(achieved) else None)
    ratio = round_half_up(max(ratios)) if ratios else None
    is_achieved = (all(achieved) if quantitative else
                   (entry.tier == "达成" if entry.tier else None))

    def figures(score, basis):
        return IndicatorFigures(path, tier1, tier2, names, weight, score, basis, rule,
                                is_achieved, ratio, quantitative)

    if entry.score is not None:
        if entry.score > weight:
            problems.append(Diagnostic("E-SCORE-MAX", ERROR, _("得分 {score} is above its 分值 {weight}").format(
                score=entry.score, weight=weight),
                                       path + ("score",)))
            return figures(None, "undecided"), problems
        if is_achieved is None and entry.tier is None:
            is_achieved = entry.score >= weight * band("达成")[0] / HUNDRED
        return figures(round_half_up(entry.score), "explicit"), problems
    if rule is not None:
        return figures(rule, "rule"), problems
    if entry.tier == "达成":
        return figures(round_half_up(weight), "tier"), problems
    if entry.tier is not None:
        low, high = tier_range(entry.tier, weight, band(entry.tier))
        problems.append(Diagnostic(
            "E-TIER-SCORE", ERROR, _("评价档次 {tier} needs a 得分 chosen between {low} and {high} "
            "(its band of the 分值 {weight})").format(tier=entry.tier, low=low, high=high, weight=weight),
            path + ("tier",)))
        return figures(None, "undecided"), problems
    if unfilled:
        problems.append(Diagnostic("W-UNFILLED", WARNING, _("{label} is not yet filled").format(label="实际完成值"), path))
        return figures(None, "unfilled"), problems
    if not any(p.code == "E-UNIT" for p in problems):
        if isinstance(entry, Group) and len(members) > 1 and quantitative:
            message = _("these indicators' values are not a comparison with a number, so the 得分 needs a tier "
                        "(达成 / 部分达成 / 未达成) or an explicit score (a group's score follows the rule only "
                        "when every member meets its target)")
        elif isinstance(entry, Group) and len(members) > 1:
            message = _("these indicators' values are not a comparison with a number, so the 得分 needs a tier "
                        "(达成 / 部分达成 / 未达成) or an explicit score")
        else:
            message = _("年度指标值 '{target}' / 实际完成值 '{actual}' is not a comparison with a number, so the "
                        "得分 needs a tier (达成 / 部分达成 / 未达成) or an explicit score").format(
                            target=members[0].target or "", actual=members[0].actual)
        problems.append(Diagnostic("E-UNDECIDED", ERROR, message, path))
    return figures(None, "undecided"), problems


# --- the whole evaluation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Subtotal:
    tier1: str
    label_weight: Decimal   # as printed in "产出指标（50分）"
    weight: Decimal         # the sum of its rows' 分值
    score: Decimal | None


@dataclass(frozen=True)
class Figures:
    lines: dict[str, MoneyRow]
    line_rates: dict[str, Decimal | None]
    budget: MoneyRow                      # 年度资金总额
    balance: Decimal | None              # 结余
    execution_rate: Decimal | None       # percent, 2 decimals
    budget_weight: Decimal
    budget_score: Decimal | None
    management_weight: Decimal | None
    management_score: Decimal | None
    indicators: tuple[IndicatorFigures, ...]
    subtotals: tuple[Subtotal, ...]
    weight_total: Decimal                # the 分值 on the 总分 row: all weights as labelled
    total: Decimal | None
    grade: str | None
    full_marks: Decimal = Decimal(100)   # what the form scores out of (its profile's rules)
    findings: tuple[Diagnostic, ...] = field(default=())

    @property
    def met(self) -> list[str]:
        """三级指标 names whose target is met (a group's members share its verdict)."""
        return [n for f in self.indicators if f.achieved for n in f.names]

    @property
    def unmet(self) -> list[str]:
        """三级指标 names whose target is missed: the narrative's 没有完成绩效目标的指标."""
        return [n for f in self.indicators if f.achieved is False for n in f.names]

    @property
    def graded(self) -> bool:
        """A 总分 gets a 等级 only on a table whose weights add up to the form's full marks."""
        return self.weight_total == self.full_marks


def grade(total: Decimal, bands: list[tuple[str, Decimal]] | None = None) -> str:
    """等级: 90 and above 优, 80 良, 60 中, below 差 (each band includes its lower edge)."""
    bands = bands or [(name, lowest) for name, lowest, _ in vocab.grade_bands()]
    for name, lowest in bands:
        if total >= lowest:
            return name
    return bands[-1][0]


def ordered_entries(ev: Evaluation):
    """(tier1, tier2, index, entry) in the order the form prints them."""
    for tier1 in ev.profile.tier1_names():
        groups = ev.indicators.get(tier1, {})
        order = ev.profile.tier2_names(tier1)
        for tier2 in sorted(groups, key=lambda t: order.index(t) if t in order else len(order)):
            for i, entry in enumerate(groups[tier2]):
                yield tier1, tier2, i, entry


def compute(ev: Evaluation) -> Figures:
    findings: list[Diagnostic] = []
    lines = {label: MoneyRow(a.initial, a.adjusted, a.executed) for label, a in ev.budget.lines.items()}
    total_amounts = annual_total(lines)
    rate = score_b = None
    first = next(iter(ev.budget.lines), None)
    where = ("budget", "lines", first) if first else ("budget",)
    if total_amounts.adjusted is None or total_amounts.executed is None:
        missing = "全年预算数" if total_amounts.adjusted is None else "全年执行数"
        findings.append(Diagnostic("W-UNFILLED", WARNING, _("{label} is not yet filled").format(label=missing), where))
    elif total_amounts.adjusted <= 0:
        findings.append(Diagnostic("E-BUDGET", ERROR, _("全年预算数 is 0, so 执行率 cannot be computed; enter the "
                                   "adjusted budget"), where + ("adjusted",)))
    else:
        rate = execution_rate(total_amounts.executed, total_amounts.adjusted)
        score_b = budget_score(rate, ev.budget.weight)

    scored = []
    for tier1, tier2, i, entry in ordered_entries(ev):
        fig, problems = score_entry(entry, ("indicators", tier1, tier2, i), tier1, tier2, ev.scoring, ev.profile)
        scored.append(fig)
        findings.extend(problems)

    subtotals = []
    for tier1 in ev.profile.tier1_names():
        rows = [f for f in scored if f.tier1 == tier1]
        score = None if any(f.score is None for f in rows) else sum((f.score for f in rows), ZERO)
        subtotals.append(Subtotal(tier1, ev.weight_of(tier1), sum((f.weight for f in rows), ZERO), score))

    mgmt = ev.fund_management
    mgmt_score = mgmt.score if mgmt else None
    if mgmt is not None and mgmt.score is None:
        findings.append(Diagnostic("W-UNFILLED", WARNING, _("{label} is not yet filled").format(label="资金管理得分"),
                                   ("fund_management",)))
    elif mgmt is not None and mgmt.score > mgmt.weight:
        findings.append(Diagnostic("E-SCORE-MAX", ERROR, _("资金管理得分 {score} is above its 分值 {weight}").format(
            score=mgmt.score, weight=mgmt.weight),
                                   ("fund_management", "score")))
        mgmt_score = None
    parts = [score_b] + [s.score for s in subtotals] + ([mgmt_score] if mgmt else [])
    total = None if any(p is None for p in parts) else round_half_up(sum(parts, ZERO))
    full_marks = ev.profile.rules.full_marks
    weight_total = ev.budget.weight + (mgmt.weight if mgmt else ZERO) + sum((s.label_weight for s in subtotals), ZERO)
    return Figures(
        lines=lines, line_rates={label: line_rate(a) for label, a in lines.items()}, budget=total_amounts,
        balance=balance(total_amounts.adjusted, total_amounts.executed),
        execution_rate=rate, budget_weight=ev.budget.weight, budget_score=score_b,
        management_weight=mgmt.weight if mgmt else None, management_score=mgmt_score,
        indicators=tuple(scored), subtotals=tuple(subtotals), weight_total=weight_total, total=total,
        grade=grade(total, ev.profile.grade_bands()) if total is not None and weight_total == full_marks else None,
        full_marks=full_marks,
        findings=tuple(findings))


# --- how figures are written ------------------------------------------------------------------


def fmt_money(x: Decimal | None) -> str:
    """Money as the user wrote it: 239.4 stays 239.4, 193.00 stays 193.00."""
    return "" if x is None else format(x, "f")


def fmt_percent(x: Decimal | None) -> str:
    return "" if x is None else f"{round_half_up(x)}%"


def fmt_score(x: Decimal | None) -> str:
    return "" if x is None else str(round_half_up(x))


def fmt_weight(x: Decimal | None) -> str:
    """分值 as labelled: 10, 7.5 (no trailing zeros: weights are typed, not computed)."""
    return "" if x is None else format(x.normalize(), "f")


# --- a year's portfolio -----------------------------------------------------------------------


def counted(fig: Figures) -> bool:
    """Whether a project counts in a year's 合计: both its 全年预算数 and 全年执行数 are known."""
    return fig.budget.adjusted is not None and fig.budget.executed is not None


def portfolio(figures: list[Figures]) -> tuple[MoneyRow, Decimal | None, Decimal | None]:
    """The 合计 row of a year summary: (Σ 年初/全年预算数/全年执行数, 结余, 执行率 in percent).

    A project counts only when both its 全年预算数 and 全年执行数 are known: a budget whose spending
    is not yet filled in is not unspent money, and counting it would lower the 执行率 and raise the
    结余 of the whole year. So the row always adds up (结余 = Σ全年预算数 − Σ全年执行数, 执行率 =
    Σ全年执行数 / Σ全年预算数, rounded once, as each project's is); a summary should say when it
    left a project out. With no such project, or a zero Σ全年预算数, the figures it cannot compute
    are None.
    """
    known = [f.budget for f in figures if counted(f)]
    totals = MoneyRow(*(column_sum(getattr(a, col) for a in known) for col in ("initial", "adjusted", "executed")))
    rate = (execution_rate(totals.executed, totals.adjusted)
            if totals.adjusted is not None and totals.adjusted > 0 else None)
    return totals, balance(totals.adjusted, totals.executed), rate
