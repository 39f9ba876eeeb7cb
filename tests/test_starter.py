"""`new`: a starter source for every form, valid from the start, and a document once filled in."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import starter
from generator.cli import main
from generator.pipeline import evaluate
from generator import profile as profiles
from generator.vocabulary import placeholder

FORMS = starter.form_names()
PLACEHOLDER = placeholder()


def new(tmp_path: Path, form: str, *extra: str) -> Path:
    target = tmp_path / "sources" / "2024" / f"{form}-fund.yaml"
    assert main(["new", str(target), "--form", form, *extra]) == 0
    return target


def test_every_form_of_the_templates_has_a_starter():
    assert set(FORMS) == {"national", "city2020", "provincial", "sichuan", "target80", "anhui"}  # templates/forms/


@pytest.mark.parametrize("form", FORMS)
def test_starter_checks_with_warnings_only_one_per_placeholder(tmp_path, form, capsys):
    target = new(tmp_path, form)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    capsys.readouterr()
    assert main(["check", str(target)]) == 0
    err = capsys.readouterr().err
    assert ": E-" not in err, err
    unfilled = [line for line in err.splitlines() if " W-UNFILLED " in line]
    placeholders = sum(line.count(f" {PLACEHOLDER}") for line in text.splitlines() if not line.lstrip().startswith("#"))
    actuals = len(re.findall(r"^\s+actual:$", text, re.M))
    assert len(unfilled) == placeholders + actuals + 1 + (form == "provincial"), err  # + 全年预算数, 资金管理得分
    assert all(line.split(":")[1].isdigit() for line in unfilled)  # every one at its line


@pytest.mark.parametrize("form", FORMS)
def test_starter_has_every_field_of_the_form_each_explained(tmp_path, form):
    target = new(tmp_path, form)
    lines = target.read_text(encoding="utf-8").splitlines()
    data = evaluate(target).source.data
    P = profiles.find(form)
    assert list(data["budget"]["lines"]) == P.budget_lines()
    assert list(data["indicators"]) == [t for t in P.tier1_names() if P.default_weight(t)]
    assert list(data.get("form_texts") or {}) == [r.key for r in P.text_rows()]
    for key in ("year", "fund", "project", "department", "unit", "title", "outline", "form", "budget", "goals",
                "indicators"):
        assert key in data
    assert ("narrative" in data) == (data["outline"] != "none")   # a table-only evaluation has no report text
    for i, line in enumerate(lines):
        if re.match(r"^\s*(- )?[a-z_]+:", line) and not line.lstrip().startswith("#"):
            above = lines[i - 1].strip()
            assert above.startswith("# ") and re.search(r"[\u4e00-\u9fff]", above), (i + 1, line)
    comments = [line for line in lines if line.lstrip().startswith("# ")]
    assert sum("例：" in c for c in comments) >= 20


def test_outline_follows_the_form_unless_given(tmp_path):
    assert evaluate(new(tmp_path, "city2020")).evaluation.outline == "reference"
    target = tmp_path / "sources" / "2024" / "x.yaml"
    assert main(["new", str(target), "--form", "national", "--outline", "reference"]) == 0
    assert evaluate(target).evaluation.outline == "reference"


def test_never_overwrites_without_force(tmp_path, capsys):
    target = new(tmp_path, "national")
    target.write_text("# my work\n", encoding="utf-8")
    assert main(["new", str(target), "--form", "national"]) == 2
    assert "--force" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "# my work\n"
    assert main(["new", str(target), "--form", "national", "--force"]) == 0
    assert PLACEHOLDER in target.read_text(encoding="utf-8")


def test_year_comes_from_the_folder(tmp_path, capsys):
    assert main(["new", str(tmp_path / "fund.yaml"), "--form", "national"]) == 2
    assert "--year" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "fund.yaml"), "--form", "national", "--year", "2025"]) == 0
    assert evaluate(tmp_path / "fund.yaml").evaluation.year == 2025


FILLED = {"fund": "经济信息产业发展专项资金", "project": "企业服务活动专项经费", "department": "市工业和信息化局",
          "unit": "市中小微企业服务发展中心", "title": "2024年度市经济信息产业发展专项资金绩效自评报告",
          "subtitle": "（企业服务活动专项经费）", "period": "2024年1月—2024年12月",
          "expected": "组织企业家专题培训3期", "actual": "举办企业家研修班3期"}


def fill(text: str) -> str:
    """What an officer does with the starter: replace each placeholder, write the amounts and the
    actuals; nothing else (no key added, none removed)."""
    for key, value in FILLED.items():
        text = re.sub(rf"^(\s*{key}): {PLACEHOLDER}$", rf"\1: {value}", text, flags=re.M)
    text = re.sub(rf"- name: {PLACEHOLDER}", "- name: 培训企业家人数", text)
    text = re.sub(rf"target: {PLACEHOLDER}", "target: ≥800人", text)
    text = re.sub(r"^(\s+)actual:$", r"\1actual: 860人", text, flags=re.M)
    first = True

    def amounts(m):
        nonlocal first
        value = "{initial: 100, adjusted: 100, executed: 90}" if first else "{}"
        first = False
        return m.group(1) + value
    text = re.sub(r"^(    \S+: )\{\}$", amounts, text, flags=re.M)
    text = text.replace("  weight: 20\n", "  weight: 20\n  score: 18\n", 1) if "fund_management:" in text else text
    text = re.sub(rf"^(\s+\S+): {PLACEHOLDER}$", r"\1: 本节正文。", text, flags=re.M)
    return text.replace(f"{{situation: {PLACEHOLDER}, improvement: {PLACEHOLDER}}}", "{situation: 合规, improvement: 无}")


@pytest.mark.parametrize("form", FORMS)
def test_new_then_fill_the_fields_then_build_gives_a_document(tmp_path, form, capsys):
    target = new(tmp_path, form)
    target.write_text(fill(target.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()
    status = main(["check", "--strict", str(target)])
    values = [line for line in target.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    assert status == 0 and not any(PLACEHOLDER in line for line in values), capsys.readouterr().err
    out = tmp_path / "build"
    assert main(["build", str(target), "--out", str(out)]) == 0
    docx = out / "2024" / f"{form}-fund.docx"
    assert docx.read_bytes().startswith(b"PK")
    from generator.render.inspect import dump
    text = dump(docx.read_bytes())
    assert "企业服务活动专项经费" in text and "培训企业家人数" in text and PLACEHOLDER not in text


def test_schema_modeline_points_at_the_schema(tmp_path, monkeypatch):
    """Inside a checkout the path is computed; elsewhere it assumes the sources/<year>/ layout."""
    repo = tmp_path / "repo"
    monkeypatch.setattr(starter, "ROOT", repo)
    monkeypatch.setattr(starter, "SCHEMA", repo / "schema" / "evaluation.schema.json")
    for target in (repo / "sources" / "2024" / "a.yaml", tmp_path / "elsewhere" / "2024" / "b.yaml"):
        assert main(["new", str(target), "--form", "national"]) == 0
        first = target.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/evaluation.schema.json"
    deeper = repo / "sources" / "2024" / "county" / "c.yaml"
    assert main(["new", str(deeper), "--form", "national", "--year", "2024"]) == 0
    assert deeper.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../../schema/")
