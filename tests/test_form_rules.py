"""The scoring and reason rules a form profile sets (rules: in templates/forms/, a unit's forms/),
pinned finding by finding: the tier bands and grades of the form, not the usual ones; the form's
full marks; the table-wide reason cells of a form without a reason column; the reason a low 执行率
needs on the Sichuan form; the length a form allows a 偏差原因. Each test states the finding an officer
sees (code, severity, message, line:column) or the figure printed, so a wrong rule fails it."""
from __future__ import annotations

import textwrap
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from conftest import FIRST_INDICATOR, MINIMAL, shown
from generator.compute import quantities, score_entry
from generator.model import Indicator, Scoring
from generator.pipeline import evaluate
from generator.quantity import EQ, GE, GT, LT, Quantity


def evaluated(tmp_path, source: str, profile: str | None = None, name: str = "county"):
    """Evaluate a source of <tmp>/sources/2024/, with forms/<name>.yaml beside sources/ when given."""
    src = tmp_path / "sources" / "2024" / "case.yaml"
    src.parent.mkdir(parents=True)
    src.write_text(textwrap.dedent(source), encoding="utf-8")
    if profile is not None:
        (tmp_path / "forms").mkdir()
        (tmp_path / "forms" / f"{name}.yaml").write_text(textwrap.dedent(profile), encoding="utf-8")
    return evaluate(src)


# --- tier bands, grades and full marks of the form -------------------------------------------------

# A county form whose 部分达成 band is 40–70% of the 分值 (the usual one is 60–80%), whose 等级 are
# 合格 from 70 and 不合格 below, and which scores out of 90 (no 满意度 block).
BANDS = """\
follows: 某县2023年项目支出绩效自评表
extends: national
tier1:
  满意度指标: {weight: 0}
rules:
  full_marks: 90
  tiers:
    部分达成: {low: 40, high: 70}
  grades:
    - {grade: 合格, low: 70}
    - {grade: 不合格, low: 0}
"""

BANDED = (MINIMAL.replace("form: national", "form: county")
          .replace("""  满意度指标:
    服务对象满意度指标:
      - name: 企业满意度
        target: ≥90%
        actual: 95%
        weight: 10
""", ""))


def test_a_tier_without_a_score_names_the_band_of_the_form(tmp_path):
    r = evaluated(tmp_path, BANDED.replace("tier: 达成", "tier: 部分达成"), BANDS)
    assert shown(r, "E-TIER-SCORE") == [
        "25:15 E-TIER-SCORE error 评价档次 部分达成 needs a 得分 chosen between 12.00 and 21.00 (its band of the 分值 30)"]


def test_a_score_outside_the_band_of_the_form_is_an_error(tmp_path):
    """75% of the 分值 is in the usual 部分达成 band (60–80%) but not in this form's (40–70%)."""
    r = evaluated(tmp_path, BANDED.replace("tier: 达成", "tier: 部分达成\n        score: 22.5"), BANDS)
    assert shown(r, "E-TIER-BAND") == [
        "26:16 E-TIER-BAND error 营商环境: 得分 22.50 is outside the band of 评价档次 部分达成 (12.00–21.00 of 分值 30)"]
    inside = evaluated(tmp_path / "inside", BANDED.replace("tier: 达成", "tier: 部分达成\n        score: 13"), BANDS)
    assert shown(inside, "E-TIER-BAND") == []   # 43% of the 分值: below the usual band, inside this one


def test_the_grade_and_full_marks_are_the_forms(tmp_path):
    """Weights 10 + 50 + 30 = 90 are the form's full marks: graded, with the form's 等级."""
    r = evaluated(tmp_path, BANDED, BANDS)
    assert r.figures.weight_total == D(90) and r.figures.full_marks == D(90) and r.figures.graded
    assert shown(r, "E-WEIGHT") == []
    assert (r.figures.total, r.figures.grade) == (D("89.00"), "合格")
    low = evaluated(tmp_path / "low", BANDED.replace("actual: 120人", "actual: 70人"), BANDS)
    assert (low.figures.total, low.figures.grade) == (D("74.00"), "合格")


def test_score_entry_without_a_profile_uses_the_usual_bands():
    """The importer scores a probe with no profile: the usual 部分达成 band, 60–80% of the 分值."""
    entry = Indicator(name="营商环境", target="明显提升", actual="有所提升", weight=D(10), tier="部分达成")
    fig, problems = score_entry(entry, ("indicators", "效益指标", "社会效益指标", 0), "效益指标", "社会效益指标",
                                Scoring())
    assert fig.score is None and fig.basis == "undecided"
    assert [p.message for p in problems] == [
        "评价档次 部分达成 needs a 得分 chosen between 6.00 and 8.00 (its band of the 分值 10)"]


# --- the table-wide reason cells of a form without a reason column (target80) ---------------------

TARGET80 = """\
year: 2024
fund: 测试专项资金
project: 测试项目
department: 测试主管部门
unit: 测试实施单位
title: 2024年度测试专项资金项目支出绩效自评表
outline: none
form: target80
budget:
  lines:
    年度财政资金总额: {adjusted: 100, executed: 100}
indicators:
  产出指标:
    数量指标:
      - {name: 培训人数, target: ≥100人, actual: 80人, weight: 60}
  效益指标:
    社会效益指标:
      - {name: 培训覆盖率, target: ≥90%, actual: 45%, weight: 20}
"""


def test_table_wide_reason_missing_is_an_error_at_the_indicators(tmp_path):
    r = evaluated(tmp_path, TARGET80)
    assert shown(r, "E-REASON") == [
        "12:1 E-REASON error 培训人数、培训覆盖率: 得分 below its 分值, so 偏差大或目标未完成原因分析 must say why"]


def test_table_wide_reason_that_says_nothing_is_an_error_at_its_cell(tmp_path):
    r = evaluated(tmp_path, TARGET80 + "form_texts:\n  deviation: 无\n  measures: 加强培训组织。\n")
    assert shown(r, "E-REASON") == [
        "20:14 E-REASON error 培训人数、培训覆盖率: 得分 below its 分值, so 偏差大或目标未完成原因分析 must say why"]


def test_table_wide_reason_is_read_from_the_first_cell_only(tmp_path):
    """The second cell (改进措施) does not explain the shortfall: the first one must."""
    said = evaluated(tmp_path, TARGET80 + "form_texts:\n  deviation: 报名人数不足，培训推迟到下年。\n")
    assert shown(said, "E-REASON") == []
    measures = evaluated(tmp_path / "measures", TARGET80 + "form_texts:\n  measures: 报名人数不足，培训推迟到下年。\n")
    assert shown(measures, "E-REASON") == [
        "12:1 E-REASON error 培训人数、培训覆盖率: 得分 below its 分值, so 偏差大或目标未完成原因分析 must say why"]


def test_table_wide_reason_names_only_the_indicators_below_full(tmp_path):
    one = evaluated(tmp_path, TARGET80.replace("actual: 45%", "actual: 95%"))
    assert shown(one, "E-REASON") == [
        "12:1 E-REASON error 培训人数: 得分 below its 分值, so 偏差大或目标未完成原因分析 must say why"]
    full = evaluated(tmp_path / "full", TARGET80.replace("actual: 45%", "actual: 95%").replace("actual: 80人",
                                                                                             "actual: 100人"))
    assert shown(full, "E-REASON") == []


# --- the reason of a low 执行率 (sichuan: "预算执行率未达到90%的需说明原因") ---------------------------

SICHUAN = """\
year: 2024
fund: 测试专项资金
project: 测试项目
department: 测试主管部门
unit: 测试实施单位
title: 2024年度测试专项资金项目支出绩效自评表
outline: none
form: sichuan
budget:
  lines:
    财政资金: {initial: 100, adjusted: 100, executed: 85}
indicators:
  产出指标:
    数量指标:
      - {name: 培训人数, direction: ≥, target: "100", unit: 人, actual: "120", weight: 50}
  效益指标:
    社会效益指标:
      - {name: 培训覆盖率, direction: ≥, target: "90", unit: "%", actual: "95", weight: 30}
  满意度指标:
    服务对象满意度指标:
      - {name: 学员满意度, direction: ≥, target: "90", unit: "%", actual: "96", weight: 10}
"""


def test_low_rate_without_its_reason_is_an_error_at_the_budget(tmp_path):
    r = evaluated(tmp_path, SICHUAN)
    assert shown(r, "E-REASON") == [
        "10:3 E-REASON error 执行率 is 85.00%, below 90%, so 预算执行率未达到90%的原因说明（100字以内） must say why"]


def test_low_rate_reason_that_says_nothing_is_an_error_at_its_cell(tmp_path):
    r = evaluated(tmp_path, SICHUAN + "form_texts:\n  rate_reason: 同上\n")
    assert shown(r, "E-REASON") == [
        "23:16 E-REASON error 执行率 is 85.00%, below 90%, so 预算执行率未达到90%的原因说明（100字以内） must say why"]
    said = evaluated(tmp_path / "said", SICHUAN + "form_texts:\n  rate_reason: 设备采购合同跨年，尾款结转下年支付。\n")
    assert shown(said, "E-REASON") == []


def test_a_rate_at_the_limit_needs_no_reason(tmp_path):
    """90.00% is not below 90%: no reason is asked; 89.99% is."""
    at = evaluated(tmp_path, SICHUAN.replace("executed: 85", "executed: 90"))
    assert shown(at, "E-REASON") == []
    below = evaluated(tmp_path / "below", SICHUAN.replace("adjusted: 100, executed: 85",
                                                          "adjusted: 10000, executed: 8999"))
    assert shown(below, "E-REASON") == [
        "10:3 E-REASON error 执行率 is 89.99%, below 90%, so 预算执行率未达到90%的原因说明（100字以内） must say why"]


# A form that asks for the reason of an 执行率 below 95% but prints no cell for it, and allows a
# 偏差原因 of 12 characters.
TERSE = """\
follows: 某县2024年项目支出绩效自评表
extends: national
rules:
  reason_below_rate: 95
  reason_limit: 12
"""


def test_low_rate_on_a_form_without_a_reason_cell_asks_for_the_reason(tmp_path):
    r = evaluated(tmp_path, MINIMAL.replace("form: national", "form: county"), TERSE)
    assert shown(r, "E-REASON") == ["10:3 E-REASON error 执行率 is 90.00%, below 95%, so the reason must say why"]
    paid = evaluated(tmp_path / "paid", MINIMAL.replace("form: national", "form: county")
                     .replace("executed: 90", "executed: 95"), TERSE)
    assert shown(paid, "E-REASON") == []


def test_a_reason_longer_than_the_form_allows_is_too_long(tmp_path):
    """12 characters fit (after the spaces around them are dropped); 13 do not."""
    source = MINIMAL.replace("form: national", "form: county").replace("executed: 90", "executed: 100")
    fits = source.replace("actual: 120人", "actual: 80人\n        reason: '  报名不足，培训推迟到下年  '")
    assert shown(evaluated(tmp_path, fits, TERSE), "E-TOO-LONG") == []
    over = source.replace("actual: 120人", "actual: 80人\n        reason: 报名不足，培训推迟到下年。")
    assert shown(evaluated(tmp_path / "over", over, TERSE), "E-TOO-LONG") == [
        "18:17 E-TOO-LONG error 培训人数: 偏差原因分析及改进措施 is 13 characters; the form allows 12"]


def test_a_form_without_a_money_block_still_asks_the_reason_of_a_low_rate(tmp_path):
    """provincial prints no 预算执行 block and has no reason cell for it; a unit's form built on it may
    still demand the reason."""
    source = (MINIMAL.replace("form: national", "form: county").replace("outline: short", "outline: provincial")
              .replace("    当年财政拨款: {initial: 100, adjusted: 100, executed: 90}",
                       "    政府预算资金: {initial: 100, adjusted: 100, executed: 90}\n"
                       "fund_management: {weight: 20, score: 18}"))
    r = evaluated(tmp_path, source, "follows: 某县附表1\nextends: provincial\nrules: {reason_below_rate: 95}\n")
    assert shown(r, "E-REASON") == ["10:3 E-REASON error 执行率 is 90.00%, below 95%, so the reason must say why"]


def test_a_form_with_no_money_at_all_asks_no_reason_of_a_rate(tmp_path):
    """money: null: no funding line, so no 执行率 and nothing to explain, whatever the rules say."""
    source = (MINIMAL.replace("form: national", "form: county").replace("outline: short", "outline: provincial")
              .replace("  lines:\n    当年财政拨款: {initial: 100, adjusted: 100, executed: 90}",
                       "  lines: {}\nfund_management: {weight: 20, score: 18}"))
    r = evaluated(tmp_path, source, "follows: 某县附表1\nextends: provincial\nmoney: null\nrules: {reason_below_rate: 95}\n")
    assert r.figures.execution_rate is None
    assert shown(r, "E-REASON") == [] and shown(r, "W-UNFILLED") == ["10:3 W-UNFILLED warning 全年预算数 is not yet filled"]


def test_an_indicator_without_a_reason_is_never_too_long(tmp_path):
    """However short the limit, a row that gives no 偏差原因 has nothing to measure."""
    r = evaluated(tmp_path, MINIMAL.replace("form: national", "form: county"),
                  "follows: 某县2024年项目支出绩效自评表\nextends: national\nrules: {reason_limit: 1}\n")
    assert shown(r, "E-TOO-LONG") == []
    said = MINIMAL.replace("form: national", "form: county").replace("actual: 120人", "actual: 120人\n        reason: 超额")
    assert shown(evaluated(tmp_path / "said", said, "follows: 某县\nextends: national\nrules: {reason_limit: 1}\n"),
                 "E-TOO-LONG") == ["18:17 E-TOO-LONG error 培训人数: 偏差原因分析及改进措施 is 2 characters; the form allows 1"]


# --- 指标性质 and 度量单位 columns (sichuan): the comparison compute scores -----------------------------

def _row(target, actual, direction=None, unit=None):
    return SimpleNamespace(target=target, actual=actual, direction=direction, unit=unit)


@pytest.mark.parametrize("row, target, actual", [
    # a 度量单位 alone: the comparison is the one written (a bare number is =), in that unit, both sides
    (_row("800", "860", None, "人"), Quantity(EQ, D(800), "人"), Quantity(EQ, D(860), "人")),
    # a 指标性质 alone: its comparison, the units as written (none here: none is invented)
    (_row("800", "860", "≥"), Quantity(GE, D(800), ""), Quantity(EQ, D(860), "")),
    (_row("800人", "860人", "≥"), Quantity(GE, D(800), "人"), Quantity(EQ, D(860), "人")),
    # a strict sign agrees with its direction: < under 反向 (≤), > under 正向 (≥)
    (_row("<5", "4", "≤", "天"), Quantity(LT, D(5), "天"), Quantity(EQ, D(4), "天")),
    (_row(">90", "95", "≥", "%"), Quantity(GT, D(90), "%"), Quantity(EQ, D(95), "%")),
    # a sign that contradicts the direction is left to a person (the actual keeps its own unit)
    (_row("<5", "4", "=", "天"), None, Quantity(EQ, D(4), "")),
    (_row(">5", "6", "≤", "天"), None, Quantity(EQ, D(6), "")),
    (_row("=100", "100", "≥", "%"), None, Quantity(EQ, D(100), "")),     # "=" written is a sign too
    # a qualitative target stays qualitative whatever the columns say
    (_row("达成", "达成", "≥", "人"), None, None),
])
def test_direction_and_unit_columns_give_the_comparison_scored(row, target, actual):
    assert quantities(row) == (target, actual)


def test_a_bare_target_under_a_direction_column_is_scored_by_it(tmp_path):
    """The sichuan row 反向 5 个工作日, done in 6: scored 分值 × 5/6, not as "= 5"."""
    r = evaluated(tmp_path, SICHUAN.replace('{name: 培训人数, direction: ≥, target: "100", unit: 人, actual: "120", '
                                            'weight: 50}',
                                            '{name: 办结时间, direction: 反向, target: "5", unit: 个工作日, actual: "6", '
                                            'weight: 50}'))
    first = r.figures.indicators[0]
    assert (first.name, first.score, first.basis) == ("办结时间", D("41.67"), "rule")


# --- what `new` and `new-year` leave for the officer: 待填 and the reused-section marker ----------------

NARRATIVE_TODO = """narrative:
  budget: 待填
  performance:
    text: ' 待填 '
    items:
      - title: 培训
        text: 待填
"""


def test_every_placeholder_is_unfilled_at_its_place_named_as_the_form_names_it(tmp_path):
    """A field by its label, a section by its heading in the outline (its text, or the section when
    the text is under text:), an item as 条目; spaces around 待填 do not hide it."""
    r = evaluated(tmp_path, MINIMAL.replace("project: 测试项目", "project: 待填") + NARRATIVE_TODO)
    assert shown(r) == ["3:10 W-UNFILLED warning 项目名称 is not yet filled",
                        "33:11 W-UNFILLED warning 预算收支情况 is not yet filled",
                        "35:5 W-UNFILLED warning 项目支出绩效情况 is not yet filled",
                        "37:9 W-UNFILLED warning 条目 is not yet filled"]


def test_a_value_that_only_contains_the_placeholder_is_filled(tmp_path):
    r = evaluated(tmp_path, MINIMAL.replace("project: 测试项目", "project: 待填写的测试项目"))
    assert shown(r) == []


MARKER = "【沿用上年，请核对后删去此标记】"


def test_reused_sections_are_one_warning_naming_each_section_once(tmp_path):
    r = evaluated(tmp_path, MINIMAL + f"""narrative:
  budget: {MARKER}上年预算收支。
  performance:
    text: {MARKER}上年绩效。
    items:
      - title: 培训
        text: {MARKER}上年培训。
""")
    assert shown(r) == [f"33:11 W-REUSED warning 2 sections are kept from last year (“预算收支情况”、“项目支出绩效情况”): "
                        f"read them for this year, then delete the marker {MARKER}"]


def test_one_reused_section_is_named_in_the_singular_at_the_section(tmp_path):
    r = evaluated(tmp_path, MINIMAL + f"narrative:\n  performance:\n    text: 本年绩效。\n    after: {MARKER}上年。\n")
    assert shown(r) == [f"34:5 W-REUSED warning 1 section is kept from last year (“项目支出绩效情况”): read it for "
                        f"this year, then delete the marker {MARKER}"]


def test_a_chinese_comparator_mark_in_a_group_member_is_shown_at_the_member(tmp_path):
    group = ("      - weight: 50\n        members:\n          - {name: 培训人数, target: ≥100人, actual: 120人}\n"
             "          - {name: 培训场次, target: 》2场, actual: ＜3场}\n")
    r = evaluated(tmp_path, MINIMAL.replace(FIRST_INDICATOR, group))
    assert shown(r, "W-IME") == [
        "18:34 W-IME warning “》” typed with the Chinese input method is scored as “≥”; write ≥2场",
        "18:47 W-IME warning “＜” typed with the Chinese input method is scored as “<”; write '<3场'"]


def test_a_reused_section_without_a_heading_is_named_by_its_key(tmp_path):
    """The short outline prints the preamble with no heading: the warning names its key."""
    r = evaluated(tmp_path, MINIMAL + f"narrative:\n  preamble: {MARKER}上年概况。\n")
    assert shown(r) == [f"33:13 W-REUSED warning 1 section is kept from last year (“preamble”): read it for this "
                        f"year, then delete the marker {MARKER}"]


def test_a_placeholder_in_a_form_text_is_shown_at_its_own_cell(tmp_path):
    """Only narrative texts are reported at their section: a form's text row keyed `text` (a unit's
    choice) is reported at its value. (Its label is the generic one of a text field, not the row's
    label: not pinned here.)"""
    r = evaluated(tmp_path, MINIMAL.replace("form: national", "form: county") + "form_texts:\n  text: 待填\n",
                  "follows: 某县\nextends: national\ntexts:\n  - {key: text, label: 评价结论, label_span: 2}\n")
    assert [line.split(" is not yet")[0].rsplit(" ", 1)[0] for line in shown(r)] == ["33:9 W-UNFILLED warning"]
