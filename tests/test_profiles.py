"""Form profiles (templates/forms/, a unit's forms/<name>.yaml): data, not code.

A unit's own profile beside its sources/ builds with no code change; a broken profile is reported
in its own words at its own file:line:column; every shipped profile lays out a whole table for any
evaluation; a table-only evaluation (outline: none) is the table alone."""
from __future__ import annotations

import io
import shutil
import subprocess
import textwrap

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, ROOT
from generator import profile as profiles
from generator.cli import main
from generator.compute import compute
from generator.forms_command import demonstration
from generator.layout import score_table
from generator.pipeline import evaluate
from test_layout import coverage

SHIPPED = sorted(profiles.available())

COUNTY = """\
# A county's own form: the national one with 分值 before 年度指标值 and its own reason heading.
follows: 某县2022年项目支出绩效自评表
extends: national
indicators:
  columns:
    - {key: tier1, heading: 一级指标}
    - {key: tier2, heading: 二级指标}
    - {key: name, heading: 三级指标}
    - {key: weight, heading: 分值}
    - {key: target, heading: 年度指标值}
    - {key: actual, heading: 实际完成值}
    - {key: score, heading: 得分}
    - {key: reason, heading: 未完成原因及拟采取的改进措施}
"""


def repository(tmp_path, profile_text: str | None, name: str = "county", source: str = MINIMAL):
    """<tmp>/sources/2024/case.yaml, and forms/<name>.yaml beside sources/ when given."""
    src = tmp_path / "sources" / "2024" / "case.yaml"
    src.parent.mkdir(parents=True)
    src.write_text(source.replace("form: national", f"form: {name}"), encoding="utf-8")
    if profile_text is not None:
        (tmp_path / "forms").mkdir()
        (tmp_path / "forms" / f"{name}.yaml").write_text(textwrap.dedent(profile_text), encoding="utf-8")
    return src


def test_a_units_own_profile_builds_with_no_code_change(tmp_path, capsys):
    src = repository(tmp_path, COUNTY)
    out = tmp_path / "build"
    assert main(["build", str(src), "--out", str(out)]) == 0
    r = evaluate(src)
    assert r.evaluation.profile.name == "county" and r.evaluation.profile.origin.endswith("forms/county.yaml")
    grid = score_table(r.evaluation, r.figures)
    heading = next(c.row for c in grid.cells if c.text == "三级指标")
    assert [c.text for c in grid.cells if c.row == heading][1:] == [
        "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分", "未完成原因及拟采取的改进措施"]
    table = Document(io.BytesIO((out / "2024" / "case.docx").read_bytes())).tables[-1]
    assert "未完成原因及拟采取的改进措施" in [c.text for c in table.rows[0].cells]
    # the build depends on the profile and the one it extends
    deps = (out / "2024" / "case.d").read_text(encoding="utf-8")
    assert "forms/county.yaml" in deps and "templates/forms/national.yaml" in deps


def test_forms_lists_a_units_profile_beside_the_shipped_ones(tmp_path, capsys):
    repository(tmp_path, COUNTY)
    assert main(["forms", "--root", str(tmp_path / "sources")]) == 0
    listing = capsys.readouterr().out
    assert "county" in listing and "某县2022年项目支出绩效自评表" in listing and "national" in listing
    assert main(["forms", "county", "--root", str(tmp_path / "sources")]) == 0
    assert "未完成原因及拟采取的改进措施" in capsys.readouterr().out


def test_a_units_profile_of_a_shipped_name_takes_its_place(tmp_path):
    src = repository(tmp_path, "follows: 本单位的国家格式\nextends: national\ngoals: {label: 年度目标, expected: 预期, actual: 实际}\n",
                     name="national")
    r = evaluate(src)
    assert r.evaluation.profile.follows == "本单位的国家格式"
    assert "年度目标" in [c.text for c in score_table(r.evaluation, r.figures).cells]


@pytest.mark.parametrize("text, where, words", [
    ("follows: x\nextends: national\nheader:\n  - [{label: 项目名称}, {field: project, span: 7}]\n",
     "4:5", "header row 1 spans 8 columns, but widths_mm has 9"),
    ("follows: x\nextends: nationl\n", "2:10", "extends: 'nationl' is not a profile"),
    ("follows: x\nextends: national\ntitel: 表\n", "3:1", "unknown key 'titel'"),
    ("follows: x\nextends: national\nbudget_weight: ten\n", "3:16", "must be a number"),
])
def test_a_broken_profile_is_reported_in_its_own_file(tmp_path, capsys, text, where, words):
    src = repository(tmp_path, text)
    assert main(["--lang", "en", "check", str(src)]) == 2
    err = capsys.readouterr().err
    assert f"forms/county.yaml:{where}: E-FORM" in err and words in err, err
    assert "Traceback" not in err


def test_an_unknown_form_names_the_forms_there_are(tmp_path, capsys):
    src = repository(tmp_path, None, name="county")
    assert main(["--lang", "en", "check", str(src)]) == 2
    err = capsys.readouterr().err
    assert "E-VALUE 自评表格式 cannot be 'county'; the forms are anhui, city2020, national" in err


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_profile_lays_out_a_whole_table(name):
    ev = demonstration(profiles.find(name))
    grid = score_table(ev, compute(ev))
    coverage(grid)
    labels = {c.text for c in grid.cells}
    P = ev.profile
    assert {c.heading for c in P.indicators.columns} <= labels
    assert {r.label for r in P.text_rows()} <= labels


@st.composite
def evaluations(draw):
    """Any shipped profile, any subset of its suggested 二级, one to three indicators each."""
    P = profiles.find(draw(st.sampled_from(SHIPPED)))
    ev = demonstration(P)
    indicators = {}
    for t1 in P.tier1_names():
        for t2 in P.tier2_names(t1):
            n = draw(st.integers(0, 2))
            if n:
                indicators.setdefault(t1, {})[t2] = [
                    {"name": f"{t2}{i}", "target": f"≥{draw(st.integers(1, 99))}", "actual": str(draw(st.integers(0, 150))),
                     "weight": draw(st.integers(1, 9))} for i in range(n)]
    data = ev.model_dump(exclude={"narrative"}) | {"indicators": indicators}
    out = type(ev).model_validate(data)
    out._profile = P
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations())
def test_any_evaluation_under_any_profile_tiles_its_grid(ev):
    grid = score_table(ev, compute(ev))
    coverage(grid)
    assert grid.n_cols == len(ev.profile.widths_mm)


def test_table_only_document_is_the_table_alone():
    r = evaluate(ROOT / "examples" / "2024" / "target80-rural-roads.yaml")
    from generator.render.document import render_docx
    doc = Document(io.BytesIO(render_docx(r.evaluation, r.figures, r.texts)))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[:3] == ["附件1", "项目支出绩效自评表", "（2024年度）"]
    assert not any(t.startswith("一、") for t in texts)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler render the examples (.ci/run installs them)")
def test_examples_render_as_their_forms(tmp_path):
    """Each new profile's example, rendered: its own labels are on the page."""
    from generator.render.document import render_docx
    from generator.render.pdf import convert
    want = {"target80-rural-roads": ["预算执行情况（20分）", "年度绩效目标（80分）", "偏差大或目标未完成原因分析",
                                     "单位主要负责人签批意见"],
            "sichuan-smart-manufacturing": ["指标性质", "度量单位", "评价结论", "预算执行率未达到90%的原因说明"],
            "anhui-small-business-services": ["其中：本年财政拨款", "满意度指标"]}
    docs = []
    for stem in want:
        r = evaluate(ROOT / "examples" / "2024" / f"{stem}.yaml")
        path = tmp_path / f"{stem}.docx"
        path.write_bytes(render_docx(r.evaluation, r.figures, r.texts))
        docs.append(path)
    for pdf in convert(docs):
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout
        squeezed = "".join(text.split())   # pdftotext spaces digits from Chinese; cells break lines
        for label in want[pdf.stem]:       # a label broken before its "（…）" is found in its two parts
            assert all(part in squeezed for part in label.replace("（", "\n（").split("\n")), (pdf.stem, label)


def test_a_tier1_without_indicators_or_weight_prints_nothing(tmp_path):
    """A unit without a 满意度 block moves its weight elsewhere; the national form, which prints
    every suggested 二级, then prints no "满意度指标（0分）" rows."""
    text = MINIMAL[: MINIMAL.index("  满意度指标:")].replace("        weight: 50\n", "        weight: 60\n", 1)
    src = tmp_path / "2024" / "case.yaml"
    src.parent.mkdir()
    src.write_text(text + "weights: {产出指标: 60, 满意度指标: 0}\n", encoding="utf-8")
    r = evaluate(src)
    assert not r.blocking, [d.message for d in r.diagnostics]
    labels = [c.text for c in score_table(r.evaluation, r.figures).cells]
    assert not any(t.startswith("满意度指标") for t in labels) and "服务对象满意度指标" not in labels
    assert r.figures.grade is not None
