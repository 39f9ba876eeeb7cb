"""The scoring and reason rules a form profile sets (rules: in templates/forms/, a unit's forms/),
pinned finding by finding: the tier bands and grades of the form, not the usual ones; the form's
full marks; the table-wide reason cells of a form without a reason column; the reason a low 执行率
needs on the Sichuan form; the length a form allows a 偏差原因. Each test states the finding an officer
sees (code, severity, message, line:column) or the figure printed, so a wrong rule fails it."""
from __future__ import annotations

import textwrap
from decimal import Decimal as D

from conftest import MINIMAL, shown
from generator.compute import score_entry
from generator.model import Indicator, Scoring
from generator.pipeline import evaluate


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
