"""The arithmetic of DOMAIN.md §3, rule by rule and edge by edge."""
from decimal import Decimal as D

import pytest

from generator.compute import (Amounts, annual_total, balance, budget_score, execution_rate, grade,
                               round_half_up, rule_score, tier_range)
from generator.model import Scoring
from generator.quantity import parse_value

DEV = Scoring()
RATIO = Scoring(reverse_rule="ratio")


def test_round_half_up_not_bankers():
    assert round_half_up(D("8.465")) == D("8.47")
    assert round_half_up(D("0.125")) == D("0.13")
    assert round_half_up(D("2.675")) == D("2.68")   # float rounding would give 2.67


def test_annual_total_keeps_written_precision_and_blanks():
    lines = {"当年财政拨款": Amounts(D("193.00"), D("193.00"), D("144.10")),
             "上年结转资金": Amounts(D("0.00"), D("0.00"), D("0.00"))}
    total = annual_total(lines)
    assert (str(total.initial), str(total.adjusted), str(total.executed)) == ("193.00", "193.00", "144.10")
    assert annual_total({"x": Amounts(None, D(1), None)}).initial is None


def test_balance():
    assert balance(D("239.4"), D("215.2")) == D("24.2")
    assert balance(None, D(1)) is None


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


def score(target, actual, weight="10", scoring=DEV):
    return rule_score(parse_value(target), parse_value(actual).value, D(weight), scoring)


def test_at_least_met_and_missed():
    assert score("≥800人", "1200人") == D("10.00")
    assert score("≥800人", "800人") == D("10.00")
    assert score("≥800人", "600人") == D("7.50")
    assert score("100%", "95%") == D("9.50")         # "=" scores as 正向


def test_at_most_deviation_rule():
    assert score("≤10天", "8天") == D("10.00")
    assert score("≤10天", "12天") == D("8.00")       # 10 × (1 − 2/10)
    assert score("≤10天", "20天") == D("0.00")       # 0 from 2 × target on
    assert score("≤10天", "25天") == D("0.00")


def test_at_most_ratio_rule():
    assert score("≤10天", "12天", scoring=RATIO) == D("8.33")   # 10 × 10/12
    assert score("≤10天", "25天", scoring=RATIO) == D("4.00")


def test_zero_target_at_most():
    assert score("≤0起", "0起") == D("10.00")
    assert score("≤0起", "1起") == D("0.00")


def test_over_achievement_full_or_proportional():
    assert score("≥10场", "30场") == D("10.00")
    prop = Scoring(over_rule="proportional")
    assert score("≥10场", "13场", scoring=prop) == D("10.00")     # at the threshold: full
    assert score("≥10场", "20场", scoring=prop) == D("6.50")      # 10 × 1.30 / 2.00


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
