"""The five published samples, re-authored as sources: their figures and what `check` finds."""
import json
from pathlib import Path

import pytest

from conftest import ROOT
from generator.cli import main
from generator.export import as_data
from generator.pipeline import evaluate

EXPECTED = {  # 执行率, budget score, 总分, 等级 — from issue 2, recomputed by hand from the seeds
    "2020/warm-enterprise": ("89.89%", "8.99", "95.99", "优"),
    "2022/enterprise-service-center": ("94.11%", "9.41", "99.41", "优"),
    "2022/enterprise-association": ("100.00%", "10.00", "100.00", "优"),
    "2020/it-integration": ("84.67%", "8.47", "96.47", "优"),
    "2023/enterprise-service": ("74.66%", "7.47", "93.36", "优"),
}


def source(slug: str) -> Path:
    return ROOT / "sources" / f"{slug}.yaml"


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_expected_figures(slug):
    r = evaluate(source(slug))
    data = as_data(r.evaluation, r.figures)
    assert (data["execution_rate"], data["budget_score"], data["total"], data["grade"]) == EXPECTED[slug]


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_figures_locked(slug, data_regression):
    r = evaluate(source(slug))
    data_regression.check(as_data(r.evaluation, r.figures), basename=slug.replace("/", "_"))


def messages(slug):
    return [f"{d.code} {d.message}" for d in evaluate(source(slug)).diagnostics]


def test_000_is_consistent():
    assert not [m for m in messages("2020/warm-enterprise") if m.startswith("E-")]


def test_003_errors_are_caught():
    found = messages("2020/it-integration")
    for expected in ["E-PUBLISHED 预算执行率得分 is printed as 846.6 but computes to 8.47",
                     "E-PUBLISHED 总分 is printed as 98 but computes to 96.47",
                     "E-PUBLISHED 产出指标 is printed as 50分 but its indicators sum to 40",
                     "E-PUBLISHED 执行率 is printed as 84.66% but computes to 84.67%"]:
        assert expected in found


def test_002_total_10_is_caught():
    assert "E-PUBLISHED 总分 is printed as 10 but computes to 100.00" in messages("2022/enterprise-association")


def test_001_rounded_rate_is_caught():
    found = messages("2022/enterprise-service-center")
    assert "E-PUBLISHED 执行率 is printed as a whole percentage, 94%, but computes to 94.11%" in found
    assert "E-PUBLISHED 预算执行率得分 is printed as 9.4 but computes to 9.41" in found


def test_004_unmet_list_is_caught():
    found = messages("2023/enterprise-service")
    assert "E-PUBLISHED 没有完成绩效目标的指标 lists '培训和参加论坛人数（人）', but the table shows its target met" in found


def test_figures_command_prints_utf8_json(capsys):
    assert main(["figures", str(source("2020/warm-enterprise"))]) == 0
    out = capsys.readouterr().out
    assert "温暖企业行动" in out   # not \\u-escaped
    assert json.loads(out)["total"] == "95.99"


def test_check_exit_status_on_all_sources(capsys):
    assert main(["check", str(ROOT / "sources")]) == 2   # the seeds carry their published errors
    assert main(["check", str(source("2020/warm-enterprise"))]) == 0


def test_every_source_starts_with_the_schema_modeline():
    for path in sorted((ROOT / "sources").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/evaluation.schema.json", path


def test_committed_schema_is_current():
    from generator.model import json_schema
    committed = json.loads((ROOT / "schema" / "evaluation.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `make schema` and commit schema/evaluation.schema.json"
