from decimal import Decimal

import pytest

from generator.quantity import parse_value


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
