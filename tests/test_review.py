"""Review copies and figure diffs, for reviewers reading changes in git."""
import subprocess

import pytest

from conftest import ROOT
from generator.cli import main
from generator.pipeline import evaluate
from generator.review import diff_figures, review_markdown

SEEDS = ["2020/warm-enterprise", "2020/it-integration", "2022/enterprise-service-center",
         "2022/enterprise-association", "2023/enterprise-service"]


EXAMPLES = ["2024/anhui-small-business-services", "2024/sichuan-smart-manufacturing", "2024/target80-rural-roads"]


@pytest.mark.parametrize("slug", SEEDS + [f"examples/{e}" for e in EXAMPLES])
def test_review_markdown_is_locked(slug, file_regression):
    r = evaluate(ROOT / ("" if slug.startswith("examples/") else "sources") / f"{slug}.yaml")
    slug = slug.removeprefix("examples/")
    file_regression.check(review_markdown(r), basename=slug.replace("/", "-"), extension=".md")


def test_review_has_no_pandoc_styling():
    r = evaluate(ROOT / "sources" / "2022" / "enterprise-association.yaml")
    text = review_markdown(r)
    assert ":::" not in text and "custom-style" not in text
    assert "- 总分 | 100 | 100.00 | 等级：优" in text


def test_diff_of_two_evaluations(tmp_path):
    old = ROOT / "sources" / "2022" / "enterprise-association.yaml"
    new = tmp_path / "2023" / "enterprise-association.yaml"
    new.parent.mkdir()
    new.write_text(old.read_text(encoding="utf-8").replace("executed: 83.5", "executed: 80.0")
                   .replace("actual: 80%以上", "actual: 85%"), encoding="utf-8")
    lines = diff_figures(evaluate(old), evaluate(new))
    assert "  执行率: 100.00% → 95.81%" in lines
    assert "  总分: 100.00 → 99.58" in lines
    assert "  满意度指标/服务对象满意度指标/企业满意度 实际完成值: 80%以上 → 85%" in lines


def test_diff_command_takes_year_and_slug(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["diff", "2022/enterprise-association", "2022/enterprise-association"]) == 0
    assert capsys.readouterr().out.strip() == "没有数字变化"


def test_dump_command_for_git_textconv(tmp_path):
    out = tmp_path / "build"
    assert main(["build", str(ROOT / "sources" / "2022" / "enterprise-association.yaml"), "--out", str(out)]) == 0
    text = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "generator", "dump",
                           str(out / "2022" / "enterprise-association.docx")],
                          capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert text.startswith("[Title] 2022年度市经济信息产业发展专项资金⏎绩效自评报告")
