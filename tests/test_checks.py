"""Each check, on the minimal source with one mutation."""
import pytest
from decimal import Decimal as D

from conftest import FIRST_INDICATOR, MINIMAL, codes, shown


def mutate(old: str, new: str) -> str:
    assert old in MINIMAL, old
    return MINIMAL.replace(old, new, 1)


def test_minimal_source_is_clean(evaluate):
    assert codes(evaluate().diagnostics) == []


def test_weights_not_summing_to_100(evaluate):
    r = evaluate(mutate("        weight: 50\n", "        weight: 40\n") + "weights: {产出指标: 40}\n")
    assert codes(r.diagnostics) == ["E-WEIGHT"]
    assert "sum to 90, not 100" in r.diagnostics[0].message


def test_label_differs_from_rows(evaluate):
    r = evaluate(mutate("        weight: 50\n", "        weight: 40\n"))
    d = [d for d in r.diagnostics if "labelled" in d.message]
    assert d and d[0].message == "产出指标 is labelled 50分 but its indicators sum to 40"


def test_missing_tier1_keeps_its_weight_label(evaluate):
    text = MINIMAL[: MINIMAL.index("  满意度指标:")]
    r = evaluate(text)
    messages = [d.message for d in r.diagnostics]
    assert any("满意度指标 is labelled 10分 but its indicators sum to 0" in m for m in messages)


def test_score_below_full_needs_reason(evaluate):
    r = evaluate(mutate("actual: 120人", "actual: 80人"))
    assert codes(r.diagnostics) == ["E-REASON"]
    assert "偏差原因分析及改进措施" in r.diagnostics[0].message
    assert (r.diagnostics[0].line, r.diagnostics[0].column) == (15, 9)   # the indicator entry


def test_reason_satisfies(evaluate):
    r = evaluate(mutate("actual: 120人\n", "actual: 80人\n        reason: 疫情影响，下半年补足。\n"))
    assert codes(r.diagnostics) == []
    assert str(r.figures.indicators[0].score) == "40.00"


def test_tier_score_out_of_band(evaluate):
    r = evaluate(mutate("        tier: 达成\n", "        tier: 部分达成\n        score: 25\n        reason: 部分完成。\n"))
    assert "E-TIER-BAND" in codes(r.diagnostics)


def test_tier_without_score_needs_one(evaluate):
    r = evaluate(mutate("        tier: 达成\n", "        tier: 部分达成\n"))
    assert codes(r.diagnostics)[0] == "E-TIER-SCORE"
    assert "18.00 and 24.00" in r.diagnostics[0].message
    assert r.blocking


def test_explicit_score_above_weight(evaluate):
    r = evaluate(mutate("        tier: 达成\n", "        score: 31\n"))
    assert "E-SCORE-MAX" in codes(r.diagnostics)
    assert r.figures.total is None


def test_qualitative_without_tier_or_score(evaluate):
    r = evaluate(mutate("        tier: 达成\n", ""))
    assert codes(r.diagnostics) == ["E-UNDECIDED"]
    assert r.blocking


def test_over_achievement_needs_reason_from_threshold(evaluate):
    r = evaluate(mutate("actual: 120人", "actual: 130人"))
    assert codes(r.diagnostics) == ["W-OVER"]
    assert "130.00%" in r.diagnostics[0].message
    assert codes(evaluate(mutate("actual: 120人", "actual: 129人")).diagnostics) == []


def test_overspent_is_a_warning_and_caps(evaluate):
    r = evaluate(mutate("executed: 90", "executed: 110"))
    assert codes(r.diagnostics) == ["W-OVERSPENT"]
    assert str(r.figures.budget_score) == "10.00"


def test_zero_budget_is_an_input_error(evaluate):
    r = evaluate(mutate("adjusted: 100", "adjusted: 0"))
    assert codes(r.diagnostics)[0] == "E-BUDGET"
    assert r.blocking and r.figures.execution_rate is None


def test_unit_mismatch(evaluate):
    r = evaluate(mutate("actual: 120人", "actual: 120人次"))
    assert "E-UNIT" in codes(r.diagnostics)


def test_actual_repeating_the_name(evaluate):
    r = evaluate(mutate("        actual: 明显提升\n", "        actual: 营商环境\n"))
    assert codes(r.diagnostics) == ["W-ACTUAL-NAME"]


def test_unfilled_actual_is_a_warning(evaluate):
    r = evaluate(mutate("        actual: 120人\n", ""))
    assert codes(r.diagnostics) == ["W-UNFILLED"]
    assert r.figures.total is None and not r.blocking


def test_published_figures_are_compared(evaluate):
    r = evaluate(MINIMAL + "published: {execution_rate: 90%, budget_score: 9, total: 10, grade: 良}\n")
    messages = [d.message for d in r.diagnostics]
    assert messages == ["总分 is printed as 10 but computes to 99.00", "等级 is printed as 良 but computes to 优"]


def test_published_indicator_score(evaluate):
    r = evaluate(mutate("        weight: 50\n", "        weight: 50\n        published_score: 45\n"))
    assert [d.message for d in r.diagnostics] == ["培训人数: 得分 is printed as 45 but computes to 50.00"]


def test_published_unmet_list(evaluate):
    r = evaluate(MINIMAL + "published: {unmet: [培训人数]}\n")
    assert [d.message for d in r.diagnostics] == [
        "没有完成绩效目标的指标 lists '培训人数', but the table shows its target met"]


def test_group_score(evaluate):
    r = evaluate(mutate(FIRST_INDICATOR, """      - weight: 50
        members:
          - {name: 培训人数, target: ≥100人, actual: 120人}
          - {name: 培训场次, target: ≥2场, actual: 2场}
"""))
    assert codes(r.diagnostics) == []
    assert r.figures.indicators[0].name == "培训人数、培训场次"
    assert str(r.figures.indicators[0].score) == "50.00"


def test_group_with_a_missed_member_needs_a_score(evaluate):
    r = evaluate(mutate(FIRST_INDICATOR, """      - weight: 50
        members:
          - {name: 培训人数, target: ≥100人, actual: 20人}
          - {name: 培训场次, target: ≥2场, actual: 2场}
"""))
    assert shown(r) == ["15:9 E-UNDECIDED error these indicators' values are not a comparison with a number, so the "
                        "得分 needs a tier (达成 / 部分达成 / 未达成) or an explicit score (a group's score follows the "
                        "rule only when every member meets its target)"]


def test_spending_items_sum(evaluate):
    r = evaluate(MINIMAL + """narrative:
  performance:
    items:
      - {title: 工作经费, amount: 60}
      - {title: 宣传经费, amount: 30}
""")
    assert codes(r.diagnostics) == ["W-ITEMS"]


def test_narrative_number_near_a_table_figure(evaluate):
    r = evaluate(MINIMAL + "narrative:\n  budget: |\n    安排资金100万元。\n    下拨资金80万元，满意度95.5%。\n")
    found = [(d.code, d.message, d.line) for d in r.diagnostics]
    assert found == [
        ("W-NARRATIVE", "the text says 80万元, near but not the table's 年度资金总额 全年执行数 90万元; print the "
                        "figure with {{ budget.executed }} or correct it", 35),
        ("W-NARRATIVE", "the text says 95.5%, near but not the table's 企业满意度 实际完成值 95%; print the figure "
                        "with {{ indicator['企业满意度'].actual }} or correct it", 35)]


TWO_LINES = MINIMAL.replace("    当年财政拨款: {initial: 100, adjusted: 100, executed: 90}\n",
                            "    当年财政拨款: {initial: 750, adjusted: 760, executed: 700}\n"
                            "    上年结转资金: {initial: 0, adjusted: 40, executed: 40}\n")


def _narrative_warnings(evaluate, source, text):
    r = evaluate(source + f"narrative:\n  budget: {text}\n")
    return r, [d.message for d in r.diagnostics if d.code == "W-NARRATIVE"]


def test_narrative_number_equal_to_any_figure_of_its_unit_is_fine(evaluate):
    # 750 is 当年财政拨款's 年初预算数, 40 the 上年结转资金, 800 the 年度资金总额 全年预算数.
    _, found = _narrative_warnings(evaluate, TWO_LINES, "当年财政拨款750万元，上年结转40万元，合计800万元。")
    assert found == []


def test_narrative_number_is_compared_with_the_figure_it_names(evaluate):
    _, found = _narrative_warnings(evaluate, TWO_LINES, "当年财政拨款758万元。")
    assert len(found) == 1 and "当年财政拨款 全年预算数 760万元" in found[0]
    assert "{{ lines.当年财政拨款.adjusted }}" in found[0]


def test_narrative_counts_are_compared_in_their_unit(evaluate):
    _, found = _narrative_warnings(evaluate, MINIMAL, "共培训110人。")
    assert found == ["the text says 110人, near but not the table's 培训人数 实际完成值 120人; print the figure "
                     "with {{ indicator['培训人数'].actual }} or correct it"]
    _, found = _narrative_warnings(evaluate, MINIMAL, "共培训120人，走访110户。")   # no 户 in the table
    assert found == []


def test_narrative_target_statements_are_compared_with_targets(evaluate):
    _, found = _narrative_warnings(evaluate, MINIMAL, "目标培训100人以上，满意度90%以上。")
    assert found == []
    _, found = _narrative_warnings(evaluate, MINIMAL, "满意度达到95%以上。")   # the target is ≥90%
    assert found == []   # five points apart: not a near miss of a percentage
    _, found = _narrative_warnings(evaluate, MINIMAL, "满意度达到90.5%以上。")
    assert len(found) == 1 and "企业满意度 年度指标值 90%" in found[0]


def test_narrative_scores_in_points(evaluate):
    _, found = _narrative_warnings(evaluate, MINIMAL, "自评得分98.5分。")
    assert len(found) == 1 and "总分 99.00分" in found[0] and "{{ total }}" in found[0]


def test_every_variable_a_warning_names_prints_that_figure(evaluate):
    """The variable in the message exists and prints the figure it names."""
    import re
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from generator.narrative_text import catalogue, context
    r = evaluate(TWO_LINES)
    ctx = context(r.evaluation, r.figures)
    figures = catalogue(r.evaluation, r.figures)
    assert len(figures) > 20
    for f in figures:
        printed = ImmutableSandboxedEnvironment().from_string("{{ " + f.variable + " }}").render(ctx)
        number = re.search(r"\d+(?:\.\d+)?", printed)
        assert number and D(number.group()) == f.value, (f, printed)


def test_narrative_numbers_far_from_the_table_are_fine(evaluate):
    r = evaluate(MINIMAL + "narrative:\n  budget: 其中宣传经费17.5万元，到位率100%，增长3%。\n")
    assert codes(r.diagnostics) == []


# --- the edges the samples do not exercise -------------------------------------------------------


@pytest.mark.parametrize("reason", ["0", "无", "-", "/", "同上", " 无。", "—"])
def test_a_placeholder_is_no_reason(evaluate, reason):
    r = evaluate(mutate("actual: 120人\n", f"actual: 80人\n        reason: \"{reason}\"\n"))
    assert codes(r.diagnostics) == ["E-REASON"]
    assert r.diagnostics[0].path[-1] == "reason" and "says nothing" in r.diagnostics[0].message


def test_a_real_reason_that_starts_like_a_placeholder_counts(evaluate):
    r = evaluate(mutate("actual: 120人\n", "actual: 80人\n        reason: 无法按期开班，次年补足。\n"))
    assert codes(r.diagnostics) == []


@pytest.mark.parametrize("printed, found", [
    ("90%", None), ("90.00%", None), ("90％", None),
    ("89.99%", "E-PUBLISHED 执行率 is printed as 89.99% but computes to 90.00%"),
    ("86%", "E-PUBLISHED 执行率 is printed as a whole percentage, 86%, but computes to 90.00%"),
    ("90", "E-VALUE 执行率 is written as '90' without its sign %; write it as printed, e.g. '94.11%'"),
])
def test_printed_execution_rate(evaluate, printed, found):
    r = evaluate(MINIMAL + f"published:\n  execution_rate: \"{printed}\"\n")
    got = [f"{d.code} {d.message}" for d in r.diagnostics]
    assert got == ([found] if found else [])
    assert not r.blocking   # about the old report, not the new document


def test_rate_divides_by_the_adjusted_budget_not_the_initial(evaluate):
    r = evaluate(mutate("{initial: 100, adjusted: 100, executed: 90}", "{initial: 80, adjusted: 120, executed: 90}"))
    assert r.figures.execution_rate == D("75.00") and r.figures.budget_score == D("7.50")


@pytest.mark.parametrize("target, actual, score", [
    ("≥1万人", "12000人", "50.00"), ("≥10000人", "0.8万人", "40.00"), ("≤30万元", "250000元", "50.00"),
    ("≥90百分比", "95%", "50.00"), ("≥90%", "85百分比", "47.22"),
])
def test_units_are_compared_after_conversion(evaluate, target, actual, score):
    text = mutate("target: ≥100人\n        actual: 120人\n", f"target: {target}\n        actual: {actual}\n")
    r = evaluate(text.replace("        weight: 50\n", "        weight: 50\n        reason: 未达成的原因。\n", 1))
    assert "E-UNIT" not in codes(r.diagnostics)
    assert r.figures.indicators[0].score == D(score)


def test_unit_mismatch_blocks_the_document(evaluate):
    r = evaluate(mutate("actual: 120人", "actual: 120人次"))
    assert codes(r.diagnostics) == ["E-UNIT"] and r.blocking and r.figures.total is None


def test_weights_over_full_marks_are_not_graded(evaluate):
    r = evaluate(mutate("        weight: 50\n", "        weight: 60\n") + "weights: {产出指标: 60}\n")
    assert r.figures.total == D("109.00") and r.figures.grade is None
    assert codes(r.diagnostics) == ["E-WEIGHT"] and "not graded" in r.diagnostics[0].message
    assert r.blocking


def test_missing_tier1_weight_error_points_at_the_indicators_key(evaluate):
    r = evaluate(MINIMAL[: MINIMAL.index("  满意度指标:")])
    d = [d for d in r.diagnostics if "满意度指标 is labelled" in d.message][0]
    assert (d.line, d.column) == (12, 1)   # `indicators:`, not the 产出指标 under it


def test_explicit_score_exactly_at_a_band_edge_is_inside(evaluate):
    for score, ok in (("24", True), ("18", True), ("17.99", False), ("24.01", False)):
        r = evaluate(mutate("        tier: 达成\n", f"        tier: 部分达成\n        score: {score}\n"
                                                    "        reason: 部分完成。\n"))
        assert ("E-TIER-BAND" not in codes(r.diagnostics)) is ok, score


def test_over_achievement_of_a_group_takes_its_largest_member(evaluate):
    group = ("      - members:\n          - {name: 培训人数, target: ≥100人, actual: 120人}\n"
             "          - {name: 培训场次, target: ≥10场, actual: 14场}\n        weight: 50\n")
    r = evaluate(mutate(FIRST_INDICATOR, group))
    assert r.figures.indicators[0].ratio == D("140.00")
    assert codes(r.diagnostics) == ["W-OVER"] and "140.00%" in r.diagnostics[0].message


def test_fund_management_score_above_its_weight(evaluate):
    text = mutate("form: national", "form: provincial").replace("outline: short", "outline: provincial")
    text = text.replace("        weight: 50\n", "        weight: 40\n", 1) + "fund_management: {weight: 10, score: 12}\n"
    text += "weights: {产出指标: 40}\n"
    text = text.replace("    当年财政拨款:", "    政府预算资金:")
    r = evaluate(text)
    assert "E-SCORE-MAX" in codes(r.diagnostics) and r.figures.total is None


# --- each finding as the officer reads it: code, severity, words and place ------------------------
# (pinned by mutation testing, docs/mutation.md: a finding that points at the wrong line, counts as
# the wrong severity or drops a figure from its sentence is a wrong finding)

FULL_TRAINING = "target: ≥100人\n        actual: 120人\n        weight: 50\n"


def _first_indicator(target: str, actual: str, extra: str = "") -> str:
    return mutate(FULL_TRAINING, f"target: {target}\n        actual: {actual}\n        weight: 50\n{extra}")


def _group(*members: str, extra: str = "") -> str:
    lines = "".join(f"          - {m}\n" for m in members)
    return mutate(FIRST_INDICATOR, f"      - weight: 50\n        members:\n{lines}{extra}")


def test_every_unit_mismatch_of_a_group_is_located_at_its_member(evaluate):
    r = evaluate(_group("{name: 培训人数, target: ≥100人, actual: 120人次}", "{name: 培训场次, target: ≥2场, actual: 2次}"))
    assert shown(r) == [
        "17:49 E-UNIT error 年度指标值 '≥100人' is in 人 but 实际完成值 '120人次' is in 人次, which cannot be converted; "
        "write both in the same unit",
        "18:47 E-UNIT error 年度指标值 '≥2场' is in 场 but 实际完成值 '2次' is in 次, which cannot be converted; "
        "write both in the same unit"]
    assert r.blocking and r.figures.indicators[0].score is None


def test_a_unit_mismatch_after_an_unfilled_or_qualitative_member_is_still_found(evaluate):
    r = evaluate(_group("{name: 培训人数, target: ≥100人}", "{name: 培训场次, target: ≥2场, actual: 2次}"))
    assert [s.split()[1] for s in shown(r)] == ["E-UNIT", "W-UNFILLED"] and shown(r)[0].startswith("18:")
    r = evaluate(_group("{name: 培训人数, target: 明显提升, actual: 明显提升}", "{name: 培训场次, target: ≥2场, actual: 2次}"))
    assert [s.split()[1] for s in shown(r)] == ["E-UNIT"] and shown(r)[0].startswith("18:")


def test_unfilled_actual_words_and_place(evaluate):
    for actual in ("", "        actual: ' '\n"):
        r = evaluate(mutate("        actual: 120人\n", actual))
        assert shown(r) == ["15:9 W-UNFILLED warning 实际完成值 is not yet filled"]
        assert r.figures.indicators[0].basis == "unfilled"


def test_undecided_words_name_the_values(evaluate):
    r = evaluate(mutate("        tier: 达成\n", ""))
    assert shown(r) == ["21:9 E-UNDECIDED error 年度指标值 '企业开办时间≤3个工作日' / 实际完成值 '明显提升' is not a "
                        "comparison with a number, so the 得分 needs a tier (达成 / 部分达成 / 未达成) or an explicit score"]
    assert r.figures.indicators[1].basis == "undecided"
    r = evaluate(mutate("        target: 企业开办时间≤3个工作日\n", "").replace("        tier: 达成\n", ""))
    assert "年度指标值 '' / 实际完成值 '明显提升' is not" in r.diagnostics[0].message


def test_undecided_group_words(evaluate):
    r = evaluate(_group("{name: 培训人数, target: 明显提升, actual: 明显提升}", "{name: 培训场次, target: 及时, actual: 及时}"))
    assert shown(r) == ["15:9 E-UNDECIDED error these indicators' values are not a comparison with a number, so the "
                        "得分 needs a tier (达成 / 部分达成 / 未达成) or an explicit score"]
    r = evaluate(_group("{name: 培训人数, target: ≥100人, actual: 20人}", "{name: 培训场次, target: ≥2场, actual: 2场}"))
    assert r.diagnostics[0].message.endswith(
        "or an explicit score (a group's score follows the rule only when every member meets its target)")
    r = evaluate(_group("{name: 培训人数, target: 明显提升, actual: 明显提升}"))   # a group of one reads as its row
    assert "年度指标值 '明显提升' / 实际完成值 '明显提升' is not" in r.diagnostics[0].message


def test_a_zero_target_has_no_over_achievement_ratio(evaluate):
    r = evaluate(_first_indicator("≥0人", "5人"))
    assert codes(r.diagnostics) == [] and r.figures.indicators[0].score == D("50.00")


def test_over_achievement_of_a_target_of_one(evaluate):
    r = evaluate(_first_indicator("≥1场", "2场"))
    assert shown(r) == ["15:9 W-OVER warning 培训人数: 实际完成值 is 200.00% of the 年度指标值 (the threshold is 130%), so "
                        "偏差原因分析及改进措施 should say whether the target was set too low"]


def test_doing_worse_on_an_at_most_target_is_not_over_achievement(evaluate):
    r = evaluate(_first_indicator("≤10天", "14天", "        score: 50\n"))
    assert shown(r) == ["19:16 W-OVERRIDE warning 培训人数: 得分 50.00 is above what the rule gives (35.71) for these values"]
    assert r.figures.unmet == ["培训人数"]


def test_an_explicit_score_equal_to_the_rule_is_no_override(evaluate):
    r = evaluate(_first_indicator("≥100人", "80人", "        score: 40\n        reason: 疫情影响。\n"))
    assert codes(r.diagnostics) == [] and r.figures.indicators[0].basis == "explicit"


def test_a_tier_below_achieved_is_listed_as_unmet(evaluate):
    r = evaluate(mutate("        tier: 达成\n", "        tier: 部分达成\n        score: 20\n        reason: 部分完成。\n"))
    assert r.figures.unmet == ["营商环境"]


@pytest.mark.parametrize("score, met", [("24", True), ("23.99", False), ("20", False)])
def test_an_explicit_score_without_tier_is_achieved_from_the_top_band(evaluate, score, met):
    """No tier and no number to compare: 80 % of the 分值 (the 达成 band's floor) counts as achieved."""
    r = evaluate(mutate("        tier: 达成\n", f"        score: {score}\n        reason: 尚有差距。\n"))
    assert (r.figures.unmet == []) is met and codes(r.diagnostics) == []


def test_score_max_leaves_the_row_undecided(evaluate):
    r = evaluate(mutate("        tier: 达成\n", "        score: 31\n"))
    assert shown(r) == ["25:16 E-SCORE-MAX error 得分 31 is above its 分值 30"]
    assert r.figures.indicators[1].basis == "undecided"


def test_undecided_tier_is_undecided(evaluate):
    r = evaluate(mutate("        tier: 达成\n", "        tier: 部分达成\n"))
    assert r.figures.indicators[1].basis == "undecided" and r.figures.indicators[1].score is None


def test_indicators_follow_the_forms_order_of_categories(evaluate):
    r = evaluate(mutate("    数量指标:\n", "    质量指标:\n      - {name: 合格率, target: ≥90%, actual: 95%, weight: 10}\n"
                                       "    数量指标:\n").replace("        weight: 50\n", "        weight: 40\n", 1))
    assert [f.name for f in r.figures.indicators] == ["培训人数", "合格率", "营商环境", "企业满意度"]


# --- budget --------------------------------------------------------------------------------------


@pytest.mark.parametrize("amounts, missing", [("{initial: 100, executed: 90}", "全年预算数"),
                                              ("{initial: 100, adjusted: 100}", "全年执行数"),
                                              ("{initial: 100}", "全年预算数")])
def test_unfilled_budget(evaluate, amounts, missing):
    r = evaluate(mutate("{initial: 100, adjusted: 100, executed: 90}", amounts))
    assert shown(r) == [f"11:13 W-UNFILLED warning {missing} is not yet filled"]


def test_unfilled_budget_without_any_line_points_at_the_budget(evaluate):
    r = evaluate(MINIMAL.replace("  lines:\n    当年财政拨款: {initial: 100, adjusted: 100, executed: 90}\n", "  lines: {}\n"))
    assert shown(r) == ["10:3 W-UNFILLED warning 全年预算数 is not yet filled"]


def test_zero_budget_words_and_place(evaluate):
    r = evaluate(mutate("adjusted: 100", "adjusted: 0"))
    assert shown(r)[0] == "11:38 E-BUDGET error 全年预算数 is 0, so 执行率 cannot be computed; enter the adjusted budget"


def test_a_budget_under_one_wan_yuan_has_a_rate(evaluate):
    r = evaluate(mutate("{initial: 100, adjusted: 100, executed: 90}", "{initial: 0.5, adjusted: 0.5, executed: 0.45}"))
    assert codes(r.diagnostics) == [] and r.figures.execution_rate == D("90.00")


def test_spending_exactly_the_budget_is_not_overspending(evaluate):
    r = evaluate(mutate("executed: 90", "executed: 100"))
    assert codes(r.diagnostics) == [] and r.figures.budget_score == D("10.00")


def test_overspent_words_and_place(evaluate):
    r = evaluate(mutate("executed: 90", "executed: 110"))
    assert shown(r) == ["11:53 W-OVERSPENT warning 当年财政拨款: 全年执行数 110 is above 全年预算数 100; the budget score "
                        "is capped at its 分值"]


PROVINCIAL = (mutate("form: national", "form: provincial").replace("outline: short", "outline: provincial")
              .replace("        weight: 50\n", "        weight: 40\n", 1).replace("    当年财政拨款:", "    政府预算资金:")
              + "weights: {产出指标: 40, 效益指标: 30, 满意度指标: 10}\n")


def test_fund_management_unfilled(evaluate):
    r = evaluate(PROVINCIAL + "fund_management: {weight: 10}\n")
    assert shown(r) == ["33:18 W-UNFILLED warning 资金管理得分 is not yet filled"]
    assert r.figures.total is None and not r.blocking


def test_fund_management_score_above_its_weight_words_and_place(evaluate):
    r = evaluate(PROVINCIAL + "fund_management: {weight: 10, score: 12}\n")
    assert shown(r) == ["33:38 E-SCORE-MAX error 资金管理得分 12 is above its 分值 10"] and r.blocking


def test_weights_listing_names_fund_management(evaluate):
    r = evaluate(PROVINCIAL + "fund_management: {weight: 20, score: 20}\n")
    assert shown(r) == ["32:10 E-WEIGHT error the weights sum to 110, not 100: 预算执行率 10 + 资金管理 20 + 产出指标 40 + "
                        "效益指标 30 + 满意度指标 10; the 总分 is not graded"]


def test_weights_not_summing_without_a_weights_key_point_at_the_indicators(evaluate):
    r = evaluate(mutate("budget:\n", "budget:\n  weight: 20\n"))
    assert shown(r) == ["13:1 E-WEIGHT error the weights sum to 110, not 100: 预算执行率 20 + 产出指标 50 + 效益指标 30 + "
                        "满意度指标 10; the 总分 is not graded"]


def test_a_labelled_weight_differing_from_its_rows_points_at_the_label(evaluate):
    r = evaluate(MINIMAL + "weights: {产出指标: 60, 效益指标: 20}\n")
    assert shown(r) == ["32:17 E-WEIGHT error 产出指标 is labelled 60分 but its indicators sum to 50",
                        "32:27 E-WEIGHT error 效益指标 is labelled 20分 but its indicators sum to 30"]


def test_a_missing_tier1_says_where_its_weight_goes(evaluate):
    r = evaluate(MINIMAL[: MINIMAL.index("  满意度指标:")])
    assert shown(r) == ["12:1 E-WEIGHT error 满意度指标 is labelled 10分 but its indicators sum to 0 (move its weight "
                        "to another 一级指标 under weights:)"]


# --- reasons, names, items -----------------------------------------------------------------------


def test_a_missing_reason_words_and_place(evaluate):
    for reason in ("", "        reason: ' '\n"):
        r = evaluate(mutate("actual: 120人\n", "actual: 80人\n" + reason))
        assert shown(r) == ["15:9 E-REASON error 培训人数: 得分 40.00 is below its 分值 50, so 偏差原因分析及改进措施 must "
                            "say why"]
    r = evaluate(mutate("actual: 120人\n", "actual: 80人\n        reason: 无\n"))
    assert shown(r) == ["18:17 E-REASON error 培训人数: 得分 40.00 is below its 分值 50, so 偏差原因分析及改进措施 must "
                        "say why ('无' says nothing)"]


def test_actual_repeating_the_name_points_at_the_actual(evaluate):
    r = evaluate(mutate("        actual: 明显提升\n", "        actual: 营商环境\n"))
    assert shown(r) == ["23:17 W-ACTUAL-NAME warning 实际完成值 repeats the 三级指标's name '营商环境' instead of stating "
                        "what was achieved"]


def test_actual_repeating_the_name_in_a_group_points_at_the_member(evaluate):
    r = evaluate(_group("{name: 培训人数, target: ≥100人, actual: 120人}", "{name: 年底发放, target: 年底发放, actual: 年底发放}",
                        "{name: 培训场次, target: ≥2场, actual: 培训场次}", extra="        score: 50\n"))
    assert shown(r) == ["19:47 W-ACTUAL-NAME warning 实际完成值 repeats the 三级指标's name '培训场次' instead of stating "
                        "what was achieved"]   # 年底发放 is its own target: honestly the achievement


@pytest.mark.parametrize("amounts, found", [
    ((60, 40), []),
    ((60.5, 30), ["34:5 W-ITEMS warning the amounts of the items under this section sum to 90.5万元, but 全年预算数 is "
                  "100万元"])])
def test_spending_items_words_and_place(evaluate, amounts, found):
    items = "".join(f"      - {{title: 经费{i}, amount: {a}}}\n" for i, a in enumerate(amounts))
    r = evaluate(MINIMAL + f"narrative:\n  performance:\n    items:\n{items}")
    assert shown(r) == found


# --- figures printed in an earlier report: never stop the build ------------------------------------


def test_every_published_figure_is_located_at_its_own_line(evaluate):
    r = evaluate(MINIMAL + "published:\n  execution_rate: 89%\n  budget_score: 8.9\n  weights: {产出指标: 40, 效益指标: 30}\n"
                 "  total: 98\n  grade: 良\n  unmet: [培训人数, 不存在的指标]\n")
    assert shown(r) == [
        "33:19 E-PUBLISHED error 执行率 is printed as a whole percentage, 89%, but computes to 90.00%",
        "34:17 E-PUBLISHED error 预算执行率得分 is printed as 8.9 but computes to 9.00",
        "35:19 E-PUBLISHED error 产出指标 is printed as 40分 but its indicators sum to 50",
        "36:10 E-PUBLISHED error 总分 is printed as 98 but computes to 99.00",
        "37:10 E-PUBLISHED error 等级 is printed as 良 but computes to 优",
        "38:10 E-PUBLISHED error 没有完成绩效目标的指标 lists '培训人数', but the table shows its target met",
        "38:10 E-PUBLISHED error 没有完成绩效目标的指标 lists '不存在的指标', which is not an indicator of the table"]
    assert not r.blocking


def test_an_unmet_indicator_missing_from_the_printed_list(evaluate):
    r = evaluate(mutate("actual: 120人\n", "actual: 80人\n        reason: 疫情影响。\n") + "published:\n  unmet: []\n")
    assert shown(r) == ["34:10 E-PUBLISHED error '培训人数' missed its target but is not listed under 没有完成绩效目标的指标"]
    assert not r.blocking


def test_published_indicator_score_place(evaluate):
    r = evaluate(mutate("        weight: 50\n", "        weight: 50\n        published_score: 45\n"))
    assert shown(r) == ["19:26 E-PUBLISHED error 培训人数: 得分 is printed as 45 but computes to 50.00"]
    assert not r.blocking


def test_printed_rate_without_a_sign_place(evaluate):
    r = evaluate(MINIMAL + "published:\n  execution_rate: '90'\n")
    assert shown(r) == ["33:19 E-VALUE error 执行率 is written as '90' without its sign %; write it as printed, e.g. '94.11%'"]
    assert not r.blocking


# --- numbers typed into the narrative --------------------------------------------------------------


def _said(evaluate, text, source=MINIMAL):
    r = evaluate(source + f"narrative:\n  budget: {text}\n")
    return [d.message.split(", near but not the table's ")[1].split(";")[0] for d in r.diagnostics
            if d.code == "W-NARRATIVE"]


@pytest.mark.parametrize("text, near", [
    ("当年财政拨款745万元。", ["当年财政拨款 年初预算数 750万元"]),   # the line it names wins a tie at the sentence start
    ("上年结转资金745万元。", ["年度资金总额 年初预算数 750万元"]),
])
def test_a_named_line_wins_at_the_start_of_a_sentence(evaluate, text, near):
    assert _said(evaluate, text, TWO_LINES) == near


@pytest.mark.parametrize("text, near", [
    ("安排资金100万元，下拨资金80万元。", ["年度资金总额 全年执行数 90万元"]),   # an exact figure does not end the line
    ("满意度94%。", ["企业满意度 实际完成值 95%"]),        # one point off a percentage is near
    ("共培训150人。", ["培训人数 实际完成值 120人"]),       # a quarter off a count is near
    ("共培训151人。", []),
    ("满意度≥95.5%。", []),                          # a sign within four characters states a target
    ("≥满意度达95.5%。", ["企业满意度 实际完成值 95%"]),    # … five is too far
    ("目标：满意度95.5%。", []),                       # 目标 anywhere in the 16 characters before
    ("目标一二三四五六七八九十一二三四五90.5%。", ["当年财政拨款 执行率 90.00%"]),   # … 17 is too far
    ("满意度95.5%，不低于目标。", ["企业满意度 实际完成值 95%"]),   # only the 3 characters after the number count
])
def test_narrative_number_windows(evaluate, text, near):
    assert _said(evaluate, text) == near


def test_a_longer_unit_is_read_before_its_prefix(evaluate):
    source = mutate("        target: 企业开办时间≤3个工作日\n        actual: 明显提升\n        weight: 30\n        tier: 达成\n",
                    "        target: ≥50人次\n        actual: 60人次\n        weight: 30\n")
    assert _said(evaluate, "服务58人次。", source) == ["营商环境 实际完成值 60人次"]


def test_numbers_are_found_in_every_text_and_located_there(evaluate):
    r = evaluate(MINIMAL + "goals:\n  expected: 培训110人。\n  actual: 培训111人。\nnarrative:\n  budget:\n"
                 "    text: 资金100万元。\n    items:\n      - {title: 工作, text: 培训112人。, items: [{title: 子项, text: 培训113人。}]}\n"
                 "    after: 培训114人。\n")
    assert [(d.line, d.column, d.message.split(",")[0]) for d in r.diagnostics] == [
        (33, 13, "the text says 110人"), (34, 11, "the text says 111人"), (40, 12, "the text says 114人"),
        (39, 27, "the text says 112人"), (39, 62, "the text says 113人")]


def test_todo_markers_are_counted_in_texts_and_fund_management_rows(evaluate):
    r = evaluate(PROVINCIAL + "fund_management: {weight: 10, score: 10}\nnarrative:\n  overview: 项目TODO概况。TODO\n"
                 "  fund_management:\n    安排科学性: {situation: TODO, improvement: 待补TODO}\n")
    assert shown(r) == ["35:3 W-TODO warning 4 TODO markers remain in the narrative (text still to write for this year)"]
    r = evaluate(MINIMAL + "narrative:\n  budget: 预算TODO。\n")
    assert shown(r) == ["33:3 W-TODO warning 1 TODO marker remains in the narrative (text still to write for this year)"]
    r = evaluate(MINIMAL + "narrative:\n  budget: 预算TODO，执行TODO。\n")
    assert [d.message.split(" remain")[0] for d in r.diagnostics] == ["2 TODO markers"]


def test_an_indicator_is_named_by_its_whole_name(evaluate):
    """"培训" does not name the indicator "培训　人数" (a full-width space inside a pasted name), so the
    nearest figure wins: 服务人数 125人, not 培训　人数 120人."""
    source = mutate("      - name: 培训人数\n", "      - name: 培训　人数\n").replace(
        "        target: 企业开办时间≤3个工作日\n        actual: 明显提升\n        weight: 30\n        tier: 达成\n",
        "        target: ≥100人\n        actual: 125人\n        weight: 30\n").replace("- name: 营商环境", "- name: 服务人数")
    assert _said(evaluate, "培训达124人。", source) == ["服务人数 实际完成值 125人"]
