"""The reviewer's eye (generator/advice): each warning fires on a minimal source and stays quiet on
its near miss; the data file switches rules and sets thresholds; a bureau's file is validated."""
import re
import textwrap

import pytest

from conftest import FIRST_INDICATOR, MINIMAL, ROOT
from generator.cli import main
from generator.pipeline import evaluate as run


def mutate(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.fixture
def repo(tmp_path):
    """A repository: sources/<year>/case.yaml, and optionally a bureau's advice.yaml beside sources/."""
    def write(text: str = MINIMAL, year: int = 2024, advice: str | None = None):
        path = tmp_path / "sources" / str(year) / "case.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if advice is not None:
            (tmp_path / "advice.yaml").write_text(textwrap.dedent(advice), encoding="utf-8")
        return path
    return write


@pytest.fixture
def fires(repo):
    def go(text: str, code: str, advice: str | None = None):
        return [d for d in run(repo(text, advice=advice)).diagnostics if d.code == code]
    return go


def test_minimal_source_draws_no_advice(repo):
    assert [d.code for d in run(repo()).diagnostics] == []


# --- one warning each: fires, and its near miss does not ---------------------------------------

VAGUE = mutate(FIRST_INDICATOR, """      - name: 培训质量
        target: 明显提升
        actual: 学员考核合格率98%
        weight: 50
        tier: 达成
""")


def test_vague_target(fires):
    d = fires(VAGUE, "W-VAGUE-TARGET")
    assert [x.message for x in d] == ["培训质量: 年度指标值 '明显提升' is only a verb of improvement; a 数量指标 "
                                      "should state a number, a unit or an observable state (≥N, N%, 完成时限)"]
    assert (d[0].line, d[0].column) == (16, 17)   # the 年度指标值 itself
    assert fires(mutate("target: 明显提升", "target: 考核合格率提升至95%", VAGUE), "W-VAGUE-TARGET") == []


def test_vague_target_only_on_output_indicators(fires):
    """The 效益 block may say 提升 (it has its own rule); the guidance asks 产出 to be measurable."""
    assert fires(mutate("target: 企业开办时间≤3个工作日", "target: 有效提升"), "W-VAGUE-TARGET") == []


def test_no_quantity(fires):
    d = fires(mutate("    数量指标:\n", "    质量指标:\n"), "W-NO-QUANTITY")
    assert [x.message for x in d] == ["产出指标 has no 数量指标 (only 质量指标); the guidance expects the quantity "
                                      "delivered to be measured"]
    assert fires(MINIMAL, "W-NO-QUANTITY") == []


def test_qualitative_only(fires):
    d = fires(mutate("target: 企业开办时间≤3个工作日", "target: 助推经济发展"), "W-QUALITATIVE-ONLY")
    assert [x.message for x in d] == ["every 年度指标值 of 效益指标 is qualitative (1 indicator, none with a number): "
                                      "a reviewer cannot tell whether the targets were met"]
    assert fires(VAGUE, "W-QUALITATIVE-ONLY")[0].message.startswith("every 年度指标值 of 产出指标")
    # A number written in a sentence is measurable.
    assert fires(mutate("target: 明显提升", "target: 完成7800家上云指标", VAGUE), "W-QUALITATIVE-ONLY") == []


def test_full_marks_with_money_unspent(fires):
    d = fires(mutate("executed: 90", "executed: 80"), "W-FULL-MARKS")
    assert [x.message for x in d] == ["every indicator is at full marks while 执行率 is 80.00% (below 90%): say in "
                                      "the report how all targets were met with less money, or review the scores"]
    assert fires(MINIMAL, "W-FULL-MARKS") == []     # 90.00%: not below
    missed = mutate("executed: 90", "executed: 80", mutate("actual: 120人\n", "actual: 99人\n        reason: 少1人。\n"))
    assert fires(missed, "W-FULL-MARKS") == []


def test_survey_at_100_percent(fires):
    d = fires(mutate("actual: 95%", "actual: 100%"), "W-SURVEY")
    assert [x.message for x in d] == ["企业满意度: 实际完成值 100%, but no 满意度调查 is described; add survey: "
                                      "(method and 样本量) or describe the survey in the report"]
    assert fires(mutate("actual: 95%", "actual: 100%") + "survey: {method: 问卷调查, sample: 120}\n", "W-SURVEY") == []
    in_text = mutate("actual: 95%", "actual: 100%") + "narrative:\n  performance: 发放问卷120份，回收118份。\n"
    assert fires(in_text, "W-SURVEY") == []


def test_survey_at_full_marks_on_an_unmeasured_actual(fires):
    unmeasured = mutate("actual: 95%\n        weight: 10\n", "actual: 满意\n        weight: 10\n        tier: 达成\n")
    assert [x.message for x in fires(unmeasured, "W-SURVEY")] == [
        "企业满意度: 得分 10.00 of 分值 10, but no 满意度调查 is described; add survey: (method and 样本量) or "
        "describe the survey in the report"]
    assert fires(MINIMAL, "W-SURVEY") == []          # a measured 95% at full marks


def test_reason_at_full_marks(fires):
    d = fires(mutate("actual: 120人\n", "actual: 120人\n        reason: 培训延期。\n"), "W-REASON-AT-FULL")
    assert [x.message for x in d] == ["培训人数: 偏差原因分析及改进措施 is written but 得分 50.00 is the full 分值; "
                                      "either the score or the text is wrong"]
    # Over the 130% threshold the text is what W-OVER asks for; "无" is no reason at all.
    assert fires(mutate("actual: 120人\n", "actual: 150人\n        reason: 目标偏低。\n"), "W-REASON-AT-FULL") == []
    assert fires(mutate("actual: 120人\n", "actual: 120人\n        reason: 无\n"), "W-REASON-AT-FULL") == []


PARTLY = "        tier: 部分达成\n        score: 20\n        reason: {}\n"


def test_reason_says_completed_below_full(fires):
    d = fires(mutate("        tier: 达成\n", PARTLY.format("已完成。")), "W-REASON-CONTRADICTS")
    assert [x.message for x in d] == ["营商环境: 偏差原因分析及改进措施 says '已完成' but 得分 is 20.00 of 30; say "
                                      "why points were deducted (e.g. the target was set too low)"]
    explained = mutate("        tier: 达成\n", PARTLY.format("已完成，但覆盖面不足，扣10分。"))
    assert fires(explained, "W-REASON-CONTRADICTS") == []


def test_actual_repeats_target(fires):
    d = fires(mutate("actual: 95%", "actual: ≥90%"), "W-ACTUAL-REPEATS-TARGET")
    assert [x.message for x in d] == ["企业满意度: 实际完成值 '≥90%' repeats the 年度指标值 instead of stating what "
                                      "was achieved"]
    # A number met exactly is a result.
    assert fires(mutate("actual: 120人", "actual: 100人", mutate("≥100人", "100人")), "W-ACTUAL-REPEATS-TARGET") == []


COSTS = mutate(FIRST_INDICATOR, FIRST_INDICATOR.replace("weight: 50", "weight: 40") + """    成本指标:
      - name: 培训费用
        target: 讲课费60万元，场地费50万元
        actual: 符合预算
        weight: 10
        tier: 达成
""")


def test_cost_targets_over_budget(fires):
    d = fires(COSTS, "W-COST-OVER-BUDGET")
    assert [x.message for x in d] == ["the 成本指标 年度指标值 add up to 110万元 (培训费用 '讲课费60万元，场地费50万元'), "
                                      "more than 全年预算数 100万元: a 成本指标 states what the project itself costs"]
    assert fires(mutate("场地费50万元", "场地费40万元", COSTS), "W-COST-OVER-BUDGET") == []
    # A rate per unit is not an amount; 亿 and 元 are converted to 万元.
    assert fires(mutate("讲课费60万元，场地费50万元", "人均≤1.5万元/人", COSTS), "W-COST-OVER-BUDGET") == []
    assert fires(mutate("讲课费60万元，场地费50万元", "≤0.01亿元", COSTS), "W-COST-OVER-BUDGET") == []
    assert len(fires(mutate("讲课费60万元，场地费50万元", "≤1000001元", COSTS), "W-COST-OVER-BUDGET")) == 1


def test_low_rate_unexplained(fires):
    low = mutate("executed: 90", "executed: 80")
    d = fires(low, "W-LOW-RATE-UNEXPLAINED")
    assert [x.message for x in d] == ["执行率 is 80.00%, below 90%, and no part of the report says why (结余 20万元); "
                                      "write the reason"]
    assert (d[0].line, d[0].column) == (11, 53)    # 全年执行数
    explained = low + "narrative:\n  budget: 由于两期培训延期至次年举办，结余{{ balance }}万元。\n"
    assert fires(explained, "W-LOW-RATE-UNEXPLAINED") == []
    unrelated = low + "narrative:\n  budget: 资金使用规范。\n  performance: 培训效果好的原因是师资优秀。\n"
    assert len(fires(unrelated, "W-LOW-RATE-UNEXPLAINED")) == 1


def test_copied_from_last_year(repo):
    repo(mutate("year: 2024", "year: 2023", mutate("executed: 90", "executed: 80")), year=2023)
    d = [x for x in run(repo()).diagnostics if x.code == "W-COPIED"]
    assert [x.message.split(" (")[0] for x in d] == ["营商环境: 年度指标值 '企业开办时间≤3个工作日' is word for word last year's"]
    assert d[0].message.endswith("while 全年执行数 changed from 80万元 to 90万元; state this year's")
    assert d[0].path[-1] == "target"


def test_copied_needs_a_change_in_spending(repo):
    repo(mutate("year: 2024", "year: 2023"), year=2023)
    assert [x for x in run(repo()).diagnostics if x.code == "W-COPIED"] == []


def test_broken_last_year_is_skipped(repo):
    repo("year: 2023\nfund: [unclosed\n", year=2023)
    assert [x.code for x in run(repo()).diagnostics] == []


# --- the data file: switches, thresholds, a bureau's own copy ----------------------------------

def test_switching_a_rule_off_silences_it(fires):
    low = mutate("executed: 90", "executed: 80")
    assert fires(low, "W-LOW-RATE-UNEXPLAINED")
    assert fires(low, "W-LOW-RATE-UNEXPLAINED", advice="rules:\n  W-LOW-RATE-UNEXPLAINED: {enabled: false}\n") == []
    assert fires(low, "W-FULL-MARKS", advice="rules:\n  W-LOW-RATE-UNEXPLAINED: {enabled: false}\n")  # only that one


def test_changing_a_threshold_changes_the_result(fires):
    assert fires(MINIMAL, "W-FULL-MARKS") == []
    d = fires(MINIMAL, "W-FULL-MARKS", advice="rules:\n  W-FULL-MARKS: {below_rate: 95}\n")
    assert "below 95%" in d[0].message
    copied_words = "rules:\n  W-SURVEY:\n    even_if_measured: true\n"
    assert len(fires(MINIMAL, "W-SURVEY", advice=copied_words)) == 1


def test_a_word_list_can_be_replaced(fires):
    assert fires(VAGUE, "W-VAGUE-TARGET", advice="words:\n  improvement_verbs: [提高]\n  intensifiers: [显著]\n") == []


def test_a_bureau_file_with_mistakes_is_located(repo):
    path = repo(advice="""\
        rules:
          W-SURVY: {enabled: false}
          W-FULL-MARKS: {below_rate: 九十}
          W-VAGUE-TARGET: {tier1: [产出]}
        wordz: {}
        """)
    d = [x for x in run(path).diagnostics if x.code == "E-ADVICE"]
    assert [(x.file.name, x.line, x.column, x.message) for x in d] == [
        ("advice.yaml", 2, 3, "unknown rule 'W-SURVY' (did you mean 'W-SURVEY'?)"),
        ("advice.yaml", 3, 30, "W-FULL-MARKS.below_rate must be a number, not '九十'"),
        ("advice.yaml", 4, 27, "W-VAGUE-TARGET.tier1: '产出' is not one of 产出指标, 效益指标, 满意度指标 "
                               "(did you mean '产出指标'?)"),
        ("advice.yaml", 5, 1, "unknown key 'wordz' (did you mean 'words'?); expected rules, words or money_units")]


def test_a_bureau_file_that_is_not_yaml(repo, capsys):
    path = repo(advice="rules:\n  W-SURVEY: {enabled: false\n")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"advice\.yaml:3:1: E-ADVICE YAML 格式错误：expected .,. or .}.", err), err
    assert "Traceback" not in err


def test_strict_fails_on_advice(repo, capsys):
    path = repo(mutate("executed: 90", "executed: 80"))
    assert main(["check", str(path)]) == 0
    assert main(["check", "--strict", str(path)]) == 1
    assert "W-LOW-RATE-UNEXPLAINED 警告" in capsys.readouterr().err


def test_every_rule_is_documented():
    from generator.advice.config import shipped
    docs = (ROOT / "docs" / "advice.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in shipped().rules:
        assert f"## {code}" in docs, code
        assert code in readme, code


ON_SAMPLES = {   # what the reviewer's eye finds in the five published samples (docs/advice.md says why)
    "2020/it-integration": ["W-ACTUAL-REPEATS-TARGET"],
    "2020/warm-enterprise": ["W-ACTUAL-REPEATS-TARGET", "W-COST-OVER-BUDGET"],
    "2022/enterprise-association": ["W-ACTUAL-REPEATS-TARGET"] * 6 + ["W-QUALITATIVE-ONLY", "W-SURVEY"],
    "2022/enterprise-service-center": ["W-QUALITATIVE-ONLY"],
    "2023/enterprise-service": ["W-LOW-RATE-UNEXPLAINED", "W-REASON-CONTRADICTS", "W-REASON-CONTRADICTS",
                                "W-SURVEY", "W-VAGUE-TARGET"],
}


@pytest.mark.parametrize("slug", sorted(ON_SAMPLES))
def test_advice_on_the_samples(slug):
    from generator.advice.config import shipped
    codes = [d.code for d in run(ROOT / "sources" / f"{slug}.yaml").diagnostics if d.code in shipped().rules]
    assert sorted(codes) == ON_SAMPLES[slug]


def test_new_year_drops_last_years_survey(tmp_path):
    src = tmp_path / "sources" / "2024"
    src.mkdir(parents=True)
    (src / "case.yaml").write_text(MINIMAL + "survey: {method: 问卷调查, sample: 120}\n", encoding="utf-8")
    assert main(["new-year", "2024", "2025", "--root", str(tmp_path / "sources")]) == 0
    rolled = (tmp_path / "sources" / "2025" / "case.yaml").read_text(encoding="utf-8")
    assert "survey" not in rolled and "营商环境" in rolled
