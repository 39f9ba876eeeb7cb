"""Malformed sources: a located message in the form's words, exit 2, never a traceback."""
import pytest

from conftest import MINIMAL
from generator.cli import main


def run(capsys, path, *args):
    status = main(["check", str(path), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


@pytest.mark.parametrize("text, expected", [
    ("year: 2024\n\tfund: x\n", "case.yaml:2:1: E-YAML YAML 格式错误：此处有制表符（Tab）（请用空格缩进，不要用 Tab）"),
    ("year: 2024\nfund: 'unclosed\n", "E-YAML YAML 格式错误："),
    ("year: 2024\n  fund: x\n", "case.yaml:2:7: E-YAML YAML 格式错误：此处不能再写“键: 值”（检查缩进是否与上一行对齐"),
    ("year: 2024\nyear: 2025\n", "case.yaml:2:1: E-YAML-DUPLICATE 键“year”在此重复出现（第一次在第 1 行）"),
    ("year: !!python/object/apply:os.system [echo]\n", "case.yaml:1:7: E-YAML-TAG 不允许使用标签 !!python/object/apply:os.system"),
    ("", "E-YAML 文件是空的"),
    ("- a\n- b\n", "E-TYPE 文件应由键值组成"),
])
def test_yaml_level(capsys, write_source, text, expected):
    status, err = run(capsys, write_source(text))
    assert status == 2
    assert expected in err


def test_unknown_key_with_suggestion(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("        weight: 50\n", "        wieght: 50\n")))
    assert status == 2
    assert "case.yaml:18:9: E-UNKNOWN-KEY 未知的键“wieght”（是否应为“weight”？）" in err
    assert "E-MISSING" not in err   # one mistake, one message: the near miss names the field


def test_wrong_type_money_with_unit(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("executed: 90}", "executed: 90万元}")))
    assert status == 2
    assert "case.yaml:11:53: E-TYPE 全年执行数应为数字，而不是“90万元”；只写数字，不带单位和千分位逗号" in err


def test_thousands_separator(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("adjusted: 100,", "adjusted: '1,000',")))
    assert status == 2 and "全年预算数应为数字，而不是“1,000”" in err


def test_negative_money(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("executed: 90}", "executed: -5}")))
    assert status == 2 and "E-RANGE 全年执行数为 -5；应不小于 0" in err


def test_missing_field(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("unit: 测试实施单位\n", "")))
    assert status == 2 and "case.yaml:1:1: E-MISSING 缺少实施单位（unit），此项必填" in err


def test_near_miss_of_a_suggested_tier2_is_a_warning(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("    数量指标:", "    数量指数:")))
    assert status == 0
    assert "case.yaml:14:5: W-VOCAB" in err and "数量指数" in err
    assert "（是否应为“数量指标”？）" in err


def test_another_tier1s_tier2_is_an_error(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("    数量指标:", "    社会效益指标:", 1)))
    assert status == 2
    assert "case.yaml:14:5: E-VOCAB “社会效益指标”不是产出指标下的二级指标" in err


def test_a_tier2_of_the_units_own_is_accepted(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("    数量指标:", "    培训规模指标:")))
    assert status == 0 and "VOCAB" not in err


def test_wrong_tier1(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("  效益指标:", "  效果指标:")))
    assert status == 2 and "case.yaml:19:3: E-VALUE “效果指标”不是一级指标" in err


def test_wrong_literal(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL.replace("outline: short", "outline: long")))
    assert status == 2 and "case.yaml:7:10: E-VALUE 报告提纲不能为“long”；应为“reference”、“short”、“provincial”或“none”" in err


def test_unknown_narrative_section(capsys, write_source):
    status, err = run(capsys, write_source(MINIMAL + "narrative:\n  overveiw: 文字\n"))
    assert status == 2
    assert "E-UNKNOWN-KEY 未知的键“overveiw”" in err and "（short 提纲没有此项）" in err


def test_every_problem_reported_at_once(capsys, write_source):
    text = MINIMAL.replace("year: 2024", "year: 二〇二四").replace("outline: short", "outline: long")
    status, err = run(capsys, write_source(text))
    assert status == 2 and "E-TYPE 年度" in err and "E-VALUE 报告提纲" in err


def test_missing_file(capsys, tmp_path):
    status, err = run(capsys, tmp_path / "nope.yaml")
    assert status == 2 and "E-FILE 无法读取文件" in err


def test_not_utf8(capsys, write_source, tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("year: 2024\nfund: 测试\n".encode("gbk"))
    status, err = run(capsys, path)
    assert status == 2 and "E-ENCODING 文件不是 UTF-8 编码" in err


def test_strict_exit_1_on_warnings_only(capsys, write_source):
    path = write_source(MINIMAL.replace("actual: 120人", "actual: 200人"))
    assert run(capsys, path)[0] == 0
    assert run(capsys, path, "--strict")[0] == 1


def test_figures_refuses_undetermined(capsys, write_source):
    path = write_source(MINIMAL.replace("        tier: 达成\n", ""))
    assert main(["figures", str(path)]) == 2
    assert "E-UNDECIDED" in capsys.readouterr().err
