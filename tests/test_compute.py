"""The arithmetic of docs/scoring.md, rule by rule and edge by edge."""
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from generator.compute import (MoneyRow, achieves, annual_total, balance, budget_score, execution_rate, fmt_money,
                               fmt_percent, fmt_score, fmt_weight, grade, line_rate, portfolio,
                               round_half_up, rule_score, tier_range)
from generator.model import Scoring
from generator.quantity import parse_value

DEFAULT = Scoring()
DEV = Scoring(reverse_rule="deviation")
RATIO = Scoring(reverse_rule="ratio")


def test_round_half_up_not_bankers():
    assert round_half_up(D("8.465")) == D("8.47")
    assert round_half_up(D("0.125")) == D("0.13")
    assert round_half_up(D("2.675")) == D("2.68")   # float rounding would give 2.67


def test_annual_total_keeps_written_precision_and_blanks():
    lines = {"当年财政拨款": MoneyRow(D("193.00"), D("193.00"), D("144.10")),
             "上年结转资金": MoneyRow(D("0.00"), D("0.00"), D("0.00"))}
    total = annual_total(lines)
    assert (str(total.initial), str(total.adjusted), str(total.executed)) == ("193.00", "193.00", "144.10")
    assert annual_total({"x": MoneyRow(None, D(1), None)}).initial is None


def test_balance():
    assert balance(D("239.4"), D("215.2")) == D("24.2")
    assert balance(None, D(1)) is None


def test_budget_score_uses_the_printed_rate():
    """898.49 / 1000 = 89.849% → printed 89.85% → 8.99 (8.98 from the unrounded rate)."""
    rate = execution_rate(D("898.49"), D("1000"))
    assert rate == D("89.85")
    assert budget_score(rate, D(10)) == D("8.99")
    assert budget_score(D("89.849"), D(10)) == D("8.98")   # what an unrounded rate would give


def test_budget_score_with_another_weight():
    assert budget_score(D("74.66"), D(20)) == D("14.93")


@pytest.mark.parametrize("executed, adjusted, rate, score", [
    ("215.2", "239.4", "89.89", "8.99"),     # seed 000
    ("127.38", "135.35", "94.11", "9.41"),   # seed 001 (printed 94%, 9.4)
    ("508", "600", "84.67", "8.47"),         # seed 003 (printed 84.66%, 846.6)
    ("144.10", "193.00", "74.66", "7.47"),   # seed 004
    ("83.5", "83.5", "100.00", "10.00"),
    ("110", "100", "110.00", "10.00"),       # overspending is capped at the 分值
])
def test_execution_rate_and_budget_score(executed, adjusted, rate, score):
    r = execution_rate(D(executed), D(adjusted))
    assert r == D(rate)
    assert budget_score(r, D(10)) == D(score)


def score(target, actual, weight="10", scoring=DEFAULT):
    return rule_score(parse_value(target), parse_value(actual).value, D(weight), scoring)


def test_at_least_met_and_missed():
    assert score("≥800人", "1200人") == D("10.00")
    assert score("≥800人", "800人") == D("10.00")
    assert score("≥800人", "600人") == D("7.50")
    assert score("100%", "95%") == D("9.50")         # "=" scores as 正向


def test_at_most_deviation_rule_is_an_option():
    assert score("≤10天", "8天", scoring=DEV) == D("10.00")
    assert score("≤10天", "12天", scoring=DEV) == D("8.00")       # 10 × (1 − 2/10)
    assert score("≤10天", "19天", scoring=DEV) == D("1.00")
    assert score("≤10天", "20天", scoring=DEV) == D("0.00")       # 0 from 2 × target on
    assert score("≤10天", "25天", scoring=DEV) == D("0.00")


def test_at_most_ratio_rule_is_the_default():
    """The forms print 反向: 年度指标值/全年实际值×该指标分值."""
    assert Scoring().reverse_rule == "ratio"
    assert score("≤10天", "12天") == D("8.33")   # 10 × 10/12
    assert score("≤10天", "25天") == D("4.00")
    assert score("≤10天", "12天", scoring=RATIO) == D("8.33")


@pytest.mark.parametrize("scoring", [DEFAULT, DEV])
def test_zero_target_at_most(scoring):
    assert score("≤0起", "0起", scoring=scoring) == D("10.00")
    assert score("≤0起", "1起", scoring=scoring) == D("0.00")


# One predicate for the score and for "achieved": > reads as ≥ and < as ≤ (the rules know only
# 正向 and 反向), at, below and above the target.
@pytest.mark.parametrize("target, actual, met, points", [
    (">90%", "89%", False, "9.89"), (">90%", "90%", True, "10.00"), (">90%", "91%", True, "10.00"),
    ("≥90%", "89%", False, "9.89"), ("≥90%", "90%", True, "10.00"), ("≥90%", "91%", True, "10.00"),
    ("<5天", "4天", True, "10.00"), ("<5天", "5天", True, "10.00"), ("<5天", "6天", False, "8.33"),
    ("≤5天", "4天", True, "10.00"), ("≤5天", "5天", True, "10.00"), ("≤5天", "6天", False, "8.33"),
    ("=100%", "99%", False, "9.90"), ("=100%", "100%", True, "10.00"), ("=100%", "101%", True, "10.00"),
    ("5-10个工作日", "10个工作日", True, "10.00"), ("5-10个工作日", "11个工作日", False, "9.09"),
])
def test_comparators_at_below_and_above(target, actual, met, points):
    t, a = parse_value(target), parse_value(actual)
    assert achieves(t, a.value) is met
    assert score(target, actual) == D(points)


def test_missed_at_least_is_proportional_and_zero_gives_zero():
    assert score("≥800人", "0人") == D("0.00")
    assert score("≥3场", "1场", weight="8") == D("2.67")    # 8 × 1/3, half up


def test_zero_target_at_least_is_always_met():
    assert score("≥0个", "0个") == D("10.00")
    prop = Scoring(over_rule="proportional")
    assert score("≥0个", "5个", scoring=prop) == D("10.00")   # no ratio to a zero target


def test_over_achievement_full_or_proportional():
    assert score("≥10场", "30场") == D("10.00")
    prop = Scoring(over_rule="proportional")
    assert score("≥10场", "13场", scoring=prop) == D("10.00")     # at the threshold: full
    assert score("≥10场", "14场", scoring=prop) == D("9.29")      # just past it: 10 × 130/140
    assert score("≥10场", "20场", scoring=prop) == D("6.50")      # 10 × 1.30 / 2.00
    assert score("≤10天", "5天", scoring=prop) == D("10.00")      # 反向: doing better is never reduced
    lower = Scoring(over_rule="proportional", over_threshold=D(150))
    assert score("≥10场", "14场", scoring=lower) == D("10.00")


@pytest.mark.parametrize("tier, low, high", [("达成", "8.00", "10.00"), ("部分达成", "6.00", "8.00"),
                                             ("未达成", "0.00", "6.00")])
def test_tier_bands(tier, low, high):
    assert tier_range(tier, D(10)) == (D(low), D(high))


@pytest.mark.parametrize("total, expected", [
    ("100", "优"), ("90.00", "优"), ("89.99", "良"), ("80.00", "良"), ("79.99", "中"),
    ("60.00", "中"), ("59.99", "差"), ("0", "差"),
])
def test_grade_band_edges(total, expected):
    assert grade(D(total)) == expected


def test_total_is_sum_of_rounded_cells(evaluate):
    r = evaluate()
    fig = r.figures
    cells = [fig.budget_score] + [f.score for f in fig.indicators]
    assert fig.total == sum(cells)
    assert fig.execution_rate == D("90.00") and fig.budget_score == D("9.00")
    assert fig.total == D("99.00") and fig.grade == "优"


# --- forms with 指标性质 and 度量单位 columns (sichuan) ------------------------------------------------

from types import SimpleNamespace  # noqa: E402

from generator.compute import quantities  # noqa: E402


def _row(target, actual, direction=None, unit=None):
    return SimpleNamespace(target=target, actual=actual, direction=direction, unit=unit)


@pytest.mark.parametrize("row, expected", [
    (_row("800", "860", "≥", "人"), ("≥", "800", "人", "860")),
    (_row("5", "6", "≤", "个工作日"), ("≤", "5", "个工作日", "6")),
    (_row("5", "6", "反向", "天"), ("≤", "5", "天", "6")),
    (_row("100", "100", "=", "%"), ("=", "100", "%", "100")),
    (_row("≥800人", "860人"), ("≥", "800", "人", "860")),          # no columns: as written
    (_row(">90", "95", "≥", "%"), (">", "90", "%", "95")),          # > under 正向 keeps its sign
])
def test_direction_and_unit_columns(row, expected):
    t, a = quantities(row)
    assert (t.comparator, str(t.value), t.unit, str(a.value)) == expected
    assert a.unit == t.unit


def test_a_target_that_contradicts_its_direction_is_not_scored_by_rule():
    t, _ = quantities(_row("≤5", "6", "≥", "天"))
    assert t is None


# --- pinned by mutation testing (docs/mutation.md) ----------------------------------------------


@pytest.mark.parametrize("row, rate", [
    (MoneyRow(D(100), D(100), D("89.5")), D("89.50")),
    (MoneyRow(None, D(0), D(0)), D("0.00")),      # nothing budgeted, nothing spent: 0.00%, as the system prints
    (MoneyRow(None, D(0), D(5)), None),           # spending on a zero budget has no rate
    (MoneyRow(None, None, D(5)), None),           # blank cells: no rate
    (MoneyRow(None, D(5), None), None),
    (MoneyRow(None, D(10), D(0)), D("0.00")),
])
def test_line_rate_of_a_funding_line(row, rate):
    assert line_rate(row) == rate


def test_below_the_lowest_band_is_the_lowest_grade():
    assert grade(D("-0.01")) == "差"


def test_blank_figures_print_as_blank_cells():
    assert (fmt_money(None), fmt_percent(None), fmt_score(None), fmt_weight(None)) == ("", "", "", "")


def test_figures_print_as_plain_digits():
    """Decimal arithmetic can hold 1000 as 1E+3 (and a weight of 10 normalises to 1E+1): the cell
    prints digits, never an exponent."""
    assert fmt_money(D("1E+3")) == "1000"
    assert fmt_weight(D("10.0")) == "10" and fmt_weight(D("7.50")) == "7.5"


def _project(adjusted, executed, initial=None):
    return SimpleNamespace(budget=MoneyRow(None if initial is None else D(initial),
                                           None if adjusted is None else D(adjusted),
                                           None if executed is None else D(executed)))


def test_portfolio_adds_the_projects_with_both_amounts():
    amounts, left, rate = portfolio([_project("83.5", "83.5", "80"), _project("135.35", "127.38", "135.35"),
                                     _project("50", None, "50"), _project(None, "10")])
    assert amounts == MoneyRow(D("215.35"), D("218.85"), D("210.88"))
    assert left == D("7.97") and rate == D("96.36")


def test_portfolio_without_a_budget_has_no_rate():
    assert portfolio([]) == (MoneyRow(), None, None)
    assert portfolio([_project("0", "0")]) == (MoneyRow(None, D(0), D(0)), D(0), None)
    assert portfolio([_project("0.5", "0.5")])[2] == D("100.00")
