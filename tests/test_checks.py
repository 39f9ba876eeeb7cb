"""Each check, on the minimal source with one mutation."""
import pytest
from decimal import Decimal as D

from conftest import FIRST_INDICATOR, MINIMAL, codes


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
    assert codes(r.diagnostics) == ["E-UNDECIDED"]


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
