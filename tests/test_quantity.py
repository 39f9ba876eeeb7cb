from decimal import Decimal

import pytest

from generator.quantity import Quantity, base_unit, in_unit_of, parse_value


@pytest.mark.parametrize("text, comparator, value, unit", [
    ("≥800人", "≥", "800", "人"),
    ("》1000家", "≥", "1000", "家"),           # a mis-typed ≥ seen on real forms
    ("≤10万元/公里", "≤", "10", "万元/公里"),
    (">90%", ">", "90", "%"),
    ("＞90％", ">", "90", "%"),                # full-width forms
    ("80%以上", "≥", "80", "%"),
    ("100%", "=", "100", "%"),
    ("5-10个工作日", "≤", "10", "个工作日"),   # a range must not exceed its upper end
    ("10个以内", "≤", "10", "个"),
    ("24小时内", "≤", "24", "小时"),
    ("不低于95%", "≥", "95", "%"),
    ("1,200人", "=", "1200", "人"),
    ("≥3 场", "≥", "3", "场"),
    ("4.5万", "=", "4.5", "万"),
])
def test_quantitative_values(text, comparator, value, unit):
    q = parse_value(text)
    assert (q.comparator, q.value, q.unit) == (comparator, Decimal(value), unit)


@pytest.mark.parametrize("text", [
    "及时", "明显提升", "建立服务企业的长效机制", "10个县市区，80余家单位部门", "平均补助资金27万/个",
    "验收合格（%）", "24小时内交办，5-10个工作日办结", "6场沙龙、1场企业家年会", "", None, "≥90%以下",
])
def test_qualitative_values(text):
    assert parse_value(text) is None


def test_a_full_stop_after_the_value_is_not_part_of_it():
    assert parse_value("≥90%。") == Quantity("≥", Decimal(90), "%")
    assert parse_value("30场.") == Quantity("=", Decimal(30), "场")


@pytest.mark.parametrize("text", ["90%以上以下", "90%以下以上", "10天内以上"])
def test_a_value_that_states_two_directions_is_left_to_a_person(text):
    """One suffix is read; a second one left in the unit ("%以上", "天内") makes the value qualitative."""
    assert parse_value(text) is None


def test_a_bare_multiplier_is_a_unit_of_its_own():
    assert base_unit("万") == ("万", Decimal(1))
    assert base_unit("万元") == ("元", Decimal(10000))
    assert base_unit("亿元") == ("元", Decimal(100000000))
    assert base_unit("百分比") == ("%", Decimal(1))


@pytest.mark.parametrize("actual, target, value", [
    ("95", "≥90%", "95"),            # a value written without a unit takes the other's
    ("120人", "≥100", "120"),
    ("120人", "≥100人", "120"),
    ("15000万元", "≥2亿元", "1.5"),   # 亿 is not 万: converted by the right factor
    ("2.5万人", "≥20000人", "25000"),
])
def test_actual_in_the_targets_unit(actual, target, value):
    assert in_unit_of(parse_value(actual), parse_value(target)) == Decimal(value)


@pytest.mark.parametrize("actual, target", [("120人次", "≥100人"), ("2万", "≥1亿"), ("3家", "≥3个")])
def test_units_that_cannot_be_compared(actual, target):
    assert in_unit_of(parse_value(actual), parse_value(target)) is None
