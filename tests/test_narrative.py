"""The narrative stage: figures in text, the sandbox, located template errors, outline numbering."""
import pytest

from conftest import MINIMAL
from generator.cli import main
from generator.diagnostics import SourceError
from generator.render.narrative import chinese_number, markdown, md_escape


def md(evaluate, narrative: str, base: str = MINIMAL) -> str:
    r = evaluate(base + narrative)
    return markdown(r.evaluation, r.figures, r.texts)


@pytest.mark.parametrize("n, text", [(1, "一"), (7, "七"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_md_escape_makes_text_inert():
    assert md_escape("a*b_[c]<d>#|$") == r"a\*b\_\[c\]\<d\>\#\|\$"


def test_figures_in_text(evaluate):
    out = md(evaluate, "narrative:\n  budget: 预算{{ budget.adjusted }}万元，支出{{ budget.executed }}万元，"
                       "结余{{ balance }}万元，执行率{{ execution_rate }}，总分{{ total }}，等级{{ grade }}。\n")
    assert "预算100万元，支出90万元，结余10万元，执行率90.00%，总分99.00，等级优。" in out


def test_empty_sections_print_wu(evaluate):
    out = md(evaluate, "narrative:\n  budget: 文字。\n")
    assert out.count("无。") == 1 and "# 二、项目支出绩效情况\n\n无。" in out


def test_numbering_from_the_template(evaluate):
    out = md(evaluate, """narrative:
  performance:
    items:
      - {title: 工作经费, amount: 60, text: 用于日常工作。}
      - title: 宣传类
        items:
          - {title: 短视频, text: 拍摄。}
""")
    assert "## （一）工作经费（60万元）\n\n用于日常工作。" in out
    assert "## （二）宣传类" in out and "### 1．短视频\n\n拍摄。" in out


def test_plain_items_under_a_top_heading_are_arabic(evaluate):
    out = md(evaluate, "narrative:\n  performance:\n    items:\n      - {title: 工作经费}\n      - {title: 宣传经费}\n")
    assert "### 1．工作经费" in out and "### 2．宣传经费" in out


def test_heading_override_and_after(evaluate):
    out = md(evaluate, "narrative:\n  budget:\n    title: 预算收支出情况\n    text: 前。\n    items: [{title: 甲}]\n    after: 后。\n")
    assert out.index("# 一、预算收支出情况") < out.index("前。") < out.index("### 1．甲") < out.index("后。")


def test_template_error_stops_the_build(capsys, write_source):
    path = write_source(MINIMAL + "narrative:\n  budget: |\n    第一行。\n    总分{{ totl }}。\n")
    out = path.parent / "out"
    assert main(["build", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "case.yaml:35:11: E-TEMPLATE “totl”不是正文可以引用的数字" in err
    assert not list(out.rglob("*.docx"))


def test_undefined_name_message(evaluate):
    r = evaluate(MINIMAL + "narrative:\n  budget: |\n    第一行。\n    总分{{ totl }}。\n")
    with pytest.raises(SourceError) as e:
        markdown(r.evaluation, r.figures, r.texts)
    d = r.source.locate(e.value.diagnostics[0])
    assert d.code == "E-TEMPLATE" and d.message.startswith("'totl' is not a figure the text can use")
    assert d.line == 35   # the second line of the block scalar whose mark (|) is on line 33


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ budget.__class__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{% import 'os' as os %}",
    "{{ budget.update({'x': 1}) }}",
])
def test_sandbox_refuses(evaluate, attack):
    r = evaluate(MINIMAL + f"narrative:\n  budget: \"{attack}\"\n")
    with pytest.raises(SourceError) as e:
        markdown(r.evaluation, r.figures, r.texts)
    assert e.value.diagnostics[0].code in ("E-TEMPLATE", "E-TEMPLATE-UNSAFE")


def test_every_template_error_is_reported(evaluate):
    r = evaluate(MINIMAL + "narrative:\n  preamble: '{{ a }}'\n  budget: '{{ b }}'\n")
    with pytest.raises(SourceError) as e:
        markdown(r.evaluation, r.figures, r.texts)
    assert [d.path for d in e.value.diagnostics] == [("narrative", "preamble", "text"), ("narrative", "budget", "text")]


@pytest.mark.parametrize("title, lines", [
    ("2022年度市经济信息产业发展专项资金绩效自评报告", ["2022年度市经济信息产业发展专项资金", "绩效自评报告"]),
    ("2022年度专项资金绩效自评报告", ["2022年度专项资金绩效自评报告"]),
    ("一二三四五六七八九十一二三四五六七八九十一二三四", ["一二三四五六七八九十一二", "三四五六七八九十一二三四"]),
])
def test_title_lines(title, lines):
    from generator.render.narrative import title_lines
    assert title_lines(title) == lines


def test_signature_names_the_unit_and_the_date_without_leading_zeros(evaluate):
    out = md(evaluate, 'date: "2026-03-09"\n')
    assert out.rstrip().endswith('::: {custom-style="Signature"}\n测试实施单位\\\n2026年3月9日\n:::')


def test_signature_without_a_date_names_the_unit(evaluate):
    out = md(evaluate, "")
    assert out.rstrip().endswith('::: {custom-style="Signature"}\n测试实施单位\n:::')
