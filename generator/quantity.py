"""Read 年度指标值 / 实际完成值 as written on forms ("≥800人", "》1000家", "80%以上", "5-10个工作日").

A value is quantitative only when the whole text is one comparison with one number (or a range);
anything else ("明显提升", "10个县市区，80余家单位部门") is qualitative, and the author then decides
the score. Being strict here is the point: a half-understood value must not be scored silently.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from . import vocabulary as vocab

GE, LE, GT, LT, EQ = "≥", "≤", ">", "<", "="

# Longest spellings first, so "不低于" is not read as "低于".
_PREFIXES = [
    ("大于等于", GE), ("不低于", GE), ("不少于", GE), ("不小于", GE), ("至少", GE), ("达到", GE),
    ("小于等于", LE), ("不高于", LE), ("不超过", LE), ("不多于", LE), ("不大于", LE), ("最多", LE),
    (">=", GE), ("≥", GE), ("≧", GE), ("》", GE), ("<=", LE), ("≤", LE), ("≦", LE), ("《", LE),
    ("高于", GT), ("大于", GT), ("超过", GT), (">", GT), ("低于", LT), ("小于", LT), ("<", LT),
    ("=", EQ),
]
_SUFFIXES = [("及以上", GE), ("以上", GE), ("及以下", LE), ("以下", LE), ("以内", LE), ("之内", LE), ("内", LE)]

_NUMBER = r"\d+(?:\.\d+)?"
_BODY = re.compile(rf"^(?P<low>{_NUMBER})(?:\s*[-~～至]\s*(?P<high>{_NUMBER}))?\s*(?P<unit>[^\d\s,，;；。、]*?)$")


@dataclass(frozen=True)
class Quantity:
    comparator: str
    value: Decimal
    unit: str

    def __str__(self) -> str:
        return f"{self.comparator}{self.value}{self.unit}"


def parse_value(text: str | None) -> Quantity | None:
    """The comparison a value states, or None when it is qualitative (or blank)."""
    if text is None:
        return None
    s = unicodedata.normalize("NFKC", str(text)).strip().rstrip("。.")
    s = re.sub(r"(?<=\d),(?=\d{3})", "", s)  # 1,200人
    comparator = None
    for spelling, comp in _PREFIXES:
        if s.startswith(spelling):
            comparator, s = comp, s[len(spelling):].strip()
            break
    for spelling, comp in _SUFFIXES:
        if s.endswith(spelling) and len(s) > len(spelling):
            if comparator is not None and comparator != comp:
                return None  # "≥90%以下" says two things; let a person decide
            comparator, s = comp, s[: -len(spelling)].strip()
            break
    m = _BODY.match(s)
    if not m:
        return None
    unit = m["unit"]
    if unit.endswith(("内", "以内")) or any(w in unit for w in ("以上", "以下")):
        return None
    if m["high"] is not None:  # a range "5-10个工作日": must not exceed its upper end
        if comparator not in (None, LE):
            return None
        return Quantity(LE, Decimal(m["high"]), unit)
    return Quantity(comparator or EQ, Decimal(m["low"]), unit)


def base_unit(unit: str) -> tuple[str, Decimal]:
    """(the unit without a multiplier, the multiplier): 万元 → (元, 10000), 百分比 → (%, 1).

    A unit that is only a multiplier ("万") keeps it: "10万" is a count in 万.
    """
    units = vocab.vocabulary()["units"]
    unit = units["same"].get(unit, unit)
    for prefix, factor in units["multipliers"].items():
        if unit.startswith(prefix) and len(unit) > len(prefix):
            rest = unit[len(prefix):]
            return units["same"].get(rest, rest), Decimal(factor)
    return unit, Decimal(1)


def in_unit_of(actual: Quantity, target: Quantity) -> Decimal | None:
    """The actual's value in the target's unit, or None when the units cannot be compared.

    A value written without a unit takes the other's ("95" against "≥90%"); 人 and 人次, or 家 and
    个, are different things and are not converted.
    """
    if not actual.unit or not target.unit or actual.unit == target.unit:
        return actual.value
    (a_unit, a_factor), (t_unit, t_factor) = base_unit(actual.unit), base_unit(target.unit)
    if a_unit != t_unit:
        return None
    return actual.value * a_factor / t_factor
