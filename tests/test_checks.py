"""Each check, on the minimal source with one mutation."""
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
    assert r.undetermined


def test_explicit_score_above_weight(evaluate):
    r = evaluate(mutate("        tier: 达成\n", "        score: 31\n"))
    assert "E-SCORE-MAX" in codes(r.diagnostics)
    assert r.figures.total is None


def test_qualitative_without_tier_or_score(evaluate):
    r = evaluate(mutate("        tier: 达成\n", ""))
    assert codes(r.diagnostics) == ["E-UNDECIDED"]
    assert r.undetermined


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
    assert r.undetermined and r.figures.execution_rate is None


def test_unit_mismatch(evaluate):
    r = evaluate(mutate("actual: 120人", "actual: 120人次"))
    assert "E-UNIT" in codes(r.diagnostics)


def test_actual_repeating_the_name(evaluate):
    r = evaluate(mutate("        actual: 明显提升\n", "        actual: 营商环境\n"))
    assert codes(r.diagnostics) == ["W-ACTUAL-NAME"]


def test_unfilled_actual_is_a_warning(evaluate):
    r = evaluate(mutate("        actual: 120人\n", ""))
    assert codes(r.diagnostics) == ["W-UNFILLED"]
    assert r.figures.total is None and not r.undetermined


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
        ("W-NARRATIVE", "the text says 80万元, near but not the table's 全年执行数 90万元; write the figure as a "
                        "template variable or correct it", 35),
        ("W-NARRATIVE", "the text says 95.5%, near but not the table's 实际完成值 95% of 企业满意度; correct one "
                        "of them", 35)]


def test_narrative_numbers_far_from_the_table_are_fine(evaluate):
    r = evaluate(MINIMAL + "narrative:\n  budget: 其中宣传经费17.5万元，到位率100%，增长3%。\n")
    assert codes(r.diagnostics) == []
