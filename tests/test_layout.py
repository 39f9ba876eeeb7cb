"""The 自评表 grid: structural invariants on every source, golden dumps, and hand-built cases.

The dumps under tests/test_layout/ are the reviewable record of each table; a changed merge
shows up as a one-line diff there (regenerate with `pytest --force-regen` and read the diff).
"""
from __future__ import annotations

import ast
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import vocabulary as vocab
from generator.compute import compute, fmt_score, fmt_weight
from generator.grid import LABEL, TEXT, VALUE, Grid
from generator import profile as profiles
from generator.layout import dump, score_table
from generator.load import Source, parse
from generator.validate import validate
from generator.pipeline import evaluate

from conftest import MINIMAL, ROOT

# The samples, and one example of every other shipped form profile (examples/).
SOURCES = sorted((ROOT / "sources").glob("*/*.yaml")) + sorted((ROOT / "examples").glob("*/*.yaml"))
TYPE_AREA_MM = Decimal(156)


def coverage(grid: Grid) -> dict[tuple[int, int], object]:
    """Each grid position → the cell covering it; fails on overlap, overflow or a hole."""
    owner: dict[tuple[int, int], object] = {}
    for c in grid.cells:
        assert c.rowspan >= 1 and c.colspan >= 1, c
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                assert 0 <= r < grid.n_rows and 0 <= k < grid.n_cols, f"{c} leaves the grid"
                assert (r, k) not in owner, f"{c} overlaps {owner[(r, k)]}"
                owner[(r, k)] = c
    holes = [(r, k) for r in range(grid.n_rows) for k in range(grid.n_cols) if (r, k) not in owner]
    assert not holes, f"positions covered by no cell: {holes[:5]}"
    return owner


def find(grid: Grid, text: str):
    hits = [c for c in grid.cells if c.text == text]
    assert len(hits) == 1, f"{text!r} found {len(hits)} times"
    return hits[0]


def row_texts(grid: Grid, row: int, from_col: int = 0) -> list[str]:
    return [c.text for c in sorted(grid.cells, key=lambda c: c.col) if c.row == row and c.col >= from_col]


def build(text: str):
    ev = validate(parse(textwrap.dedent(text), Path("x.yaml")))
    fig = compute(ev)
    return ev, fig, score_table(ev, fig)


def table(path: Path) -> Grid:
    result = evaluate(path)
    return score_table(result.evaluation, result.figures)


# --- every source ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_source_grid_is_well_formed(path):
    result = evaluate(path)
    ev, fig = result.evaluation, result.figures
    grid = score_table(ev, fig)
    coverage(grid)
    assert sum(grid.widths_mm) == TYPE_AREA_MM
    assert grid.n_cols == len(ev.profile.widths_mm)
    assert grid.header_rows == 1
    P = ev.profile
    tier2_names = {t2 for t in P.tier1_names() for t2 in P.tier2_names(t)} | {f.tier2 for f in fig.indicators}
    tier1s = [c for c in grid.cells if any(c.text.startswith(t) for t in P.tier1_names()) and c.role == LABEL
              and c.text not in tier2_names]      # anhui's 满意度 二级 is printed 满意度指标 too
    tier2s = [c for c in grid.cells if c.role == LABEL and c.text in tier2_names]
    # each 一级 label spans exactly the rows of its 二级 labels, which tile the indicator block
    for t1 in tier1s:
        inside = [c for c in tier2s if t1.row <= c.row < t1.row + t1.rowspan]
        assert sum(c.rowspan for c in inside) == t1.rowspan
    assert sum(c.rowspan for c in tier1s) == sum(c.rowspan for c in tier2s)
    if P.indicators.label is not None:
        label = P.indicators.label.format(weight=fmt_weight(sum(s.label_weight for s in fig.subtotals)))
        assert find(grid, label).rowspan == 1 + sum(c.rowspan for c in tier1s) + len(P.indicators.reasons)
    if P.blocks[-1] == "total":
        assert grid.cells[-1].row == grid.n_rows - 1
        assert row_texts(grid, grid.n_rows - 1)[0] == P.total.label


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_source_dump_is_locked(path, file_regression):
    file_regression.check(dump(table(path)), basename=f"{path.parent.name}-{path.stem}", extension=".txt")


def _source(name: str) -> Path:
    path = ROOT / "sources" / name
    assert path.exists(), f"sample source {name} is missing"
    return path


def test_seed_002_group_merges_one_score_over_five_rows():
    grid = table(_source("2022/enterprise-association.yaml"))
    first = find(grid, "2场长株潭企业配套协作活动")
    weight, score, reason = (grid.at(first.row, k) for k in (6, 7, 8))
    assert (weight.text, weight.rowspan, score.text, score.rowspan, reason.rowspan) == ("20", 5, "20.00", 5, 5)
    assert find(grid, "数量指标").rowspan == 5
    assert find(grid, "产出指标\n（50分）").rowspan == 8          # 5 group rows + 质量 + 时效 + 成本
    assert row_texts(grid, grid.n_rows - 1) == ["总分", "100", "100.00", "等级：优"]


def test_seed_000_city_form_blank_tier2_row_and_total():
    grid = table(_source("2020/warm-enterprise.yaml"))
    assert (grid.label, grid.title, grid.subtitle) == ("附件2", "项目支出绩效自评表", "（2020年度）")
    assert [row_texts(grid, r)[0] for r in range(5)] == [
        "部门名称", "项目支出名称", "专项名称", "支出方向名称（子项目）", "项目总实施期"]
    assert row_texts(grid, 2) == ["专项名称", "经济信息产业发展专项资金", "项目总投资（万元）", "239.4"]
    assert find(grid, "年度项目资金（万元）").rowspan == 5
    assert find(grid, "得分（执行率×分值）").col == 8
    assert row_texts(grid, 6) == ["年度资金总额", "239.4", "239.4", "215.2", "10", "89.89%", "8.99"]
    blank = find(grid, "时效指标")
    assert blank.rowspan == 1 and row_texts(grid, blank.row, from_col=3) == [""] * 6
    assert find(grid, "产出指标\n（50分）").rowspan == 8          # 4 + 1 + 1 blank + 2
    assert row_texts(grid, grid.n_rows - 1) == ["总分", "100", "95.99", "等级：优"]
    assert len(grid.notes) == 2 and grid.notes[0].startswith("备注：1.“执行率”")


def test_seed_001_blank_lines_and_categories():
    grid = table(_source("2022/enterprise-service-center.yaml"))
    assert row_texts(grid, 5) == ["上年结转资金", "", "", "", "—", "—", "—"]
    for tier2 in ("成本指标", "经济效益指标", "生态效益指标"):
        assert row_texts(grid, find(grid, tier2).row, from_col=3) == [""] * 6
    assert find(grid, "效益指标\n（30分）").rowspan == 4
    assert row_texts(grid, grid.n_rows - 1) == ["总分", "100", "99.41", "等级：优"]


def test_seed_004_provincial_sheet_prints_indicator_rows_only():
    grid = table(_source("2023/enterprise-service.yaml"))
    assert (grid.label, grid.title, grid.subtitle) == ("附表1", "自评价评分表", "")
    assert row_texts(grid, 0) == ["一级指标", "二级指标", "三级指标", "年度目标值", "实际完成值", "分值", "得分", "偏差原因分析"]
    assert [c.text for c in grid.cells if c.col == 0][1:] == ["产出指标", "效益指标", "满意度指标"]
    assert find(grid, "效益指标").rowspan == 3 and find(grid, "社会效益指标").rowspan == 3
    assert "总分" not in {c.text for c in grid.cells} and grid.n_rows == 10 and not grid.notes


# --- hand-built evaluations -----------------------------------------------------------------


def test_minimal_national_rows_and_roles():
    ev, fig, grid = build(MINIMAL)
    coverage(grid)
    assert grid.n_rows == 2 + 5 + 2 + 1 + 9 + 1
    assert row_texts(grid, 0) == ["项目名称", "测试项目"]
    assert row_texts(grid, 1) == ["主管部门", "测试主管部门", "实施单位", "测试实施单位"]
    assert [(c.col, c.colspan) for c in sorted(grid.cells, key=lambda c: c.col) if c.row == 1] == [(0, 1), (1, 4), (5, 1), (6, 3)]
    assert row_texts(grid, 3)[1:] == ["100", "100", "90", "10", "90.00%", "9.00"]
    assert row_texts(grid, 4)[0] == "其中：当年财政拨款"
    assert find(grid, "年度总体目标").rowspan == 2
    assert {c.role for c in grid.cells if c.row == 8 and c.col > 0} == {TEXT}
    assert find(grid, "培训人数").role == VALUE and find(grid, "偏差原因分析及改进措施").role == LABEL
    assert row_texts(grid, grid.n_rows - 1) == ["总分", "100", fmt_score(fig.total), f"等级：{fig.grade}"]


GROUP = MINIMAL.replace("""      - name: 培训人数
        target: ≥100人
        actual: 120人
        weight: 50
""", """      - weight: 50
        score: 45
        reason: |
          一项未完成。
          明年加强。
        members:
          - {name: 甲, target: ≥1场, actual: 1场}
          - {name: 乙, target: ≥2场, actual: 1场}
          - {name: 丙, actual: 完成}
""")


def test_group_is_one_row_per_member_under_merged_score_cells():
    _, _, grid = build(GROUP)
    coverage(grid)
    first = find(grid, "甲")
    assert [grid.at(first.row + i, 3).text for i in range(3)] == ["甲", "乙", "丙"]
    assert grid.at(first.row + 2, 4).text == ""                    # a member without a target
    cells = [grid.at(first.row, k) for k in (6, 7, 8)]
    assert [(c.text, c.rowspan) for c in cells] == [("50", 3), ("45.00", 3), ("一项未完成。\n明年加强。", 3)]
    assert find(grid, "数量指标").rowspan == 3
    assert find(grid, "产出指标\n（50分）").rowspan == 6
    assert "[3x1] text: 一项未完成。⏎明年加强。" in dump(grid)


def test_missing_first_line_still_labelled_and_blank():
    text = MINIMAL.replace("当年财政拨款: {initial: 100, adjusted: 100, executed: 90}",
                           "上年结转资金: {initial: 100, adjusted: 100, executed: 90}")
    _, _, grid = build(text)
    assert row_texts(grid, 4) == ["其中：当年财政拨款", "", "", "", "—", "—", "—"]
    assert row_texts(grid, 5) == ["上年结转资金", "100", "100", "90", "—", "—", "—"]


def test_changed_weights_and_empty_tier1_on_national_form():
    text = MINIMAL.replace("""  满意度指标:
    服务对象满意度指标:
      - name: 企业满意度
        target: ≥90%
        actual: 95%
        weight: 10
""", "").replace("        weight: 50\n", "        weight: 60\n").replace(
        "indicators:\n", "weights: {产出指标: 60, 满意度指标: 0}\nindicators:\n")
    _, _, grid = build(text)
    coverage(grid)
    # a 一级 with no indicators and no weight prints nothing (no "满意度指标（0分）" row)
    assert not [c for c in grid.cells if c.text.startswith("满意度指标")]
    assert row_texts(grid, grid.n_rows - 1)[:2] == ["总分", "100"]


def test_unfilled_actual_leaves_score_and_total_blank():
    _, fig, grid = build(MINIMAL.replace("        actual: 120人\n", ""))
    assert fig.total is None
    assert grid.at(find(grid, "培训人数").row, 7).text == ""
    assert row_texts(grid, grid.n_rows - 1) == ["总分", "100", "", "等级："]


CITY = MINIMAL.replace("form: national", "form: city2020\nperiod: 2020—2022年\nattachment: 3")


def test_city2020_header_rows():
    _, _, grid = build(CITY)
    coverage(grid)
    assert row_texts(grid, 0) == ["部门名称", "测试实施单位"]
    assert row_texts(grid, 1) == ["项目支出名称", "测试项目"]
    assert row_texts(grid, 2) == ["专项名称", "测试专项资金", "项目总投资（万元）", "100"]
    assert row_texts(grid, 3) == ["支出方向名称（子项目）", "测试项目", "其中：财政拨款", "100"]
    assert row_texts(grid, 4) == ["项目总实施期", "2020—2022年"]
    assert find(grid, "年度项目资金（万元）").row == 5 and grid.label == "附件3"
    assert grid.notes == tuple(profiles.find("city2020").notes)


PROVINCIAL = MINIMAL.replace("form: national", "form: provincial").replace(
    "当年财政拨款", "政府预算资金").replace("""  效益指标:
    社会效益指标:
      - name: 营商环境
        target: 企业开办时间≤3个工作日
        actual: 明显提升
        weight: 30
        tier: 达成
""", "")


def test_provincial_omits_unused_tiers_and_weights():
    _, _, grid = build(PROVINCIAL)
    coverage(grid)
    assert grid.n_rows == 3 and grid.n_cols == 8
    assert [c.text for c in grid.cells if c.col == 0] == ["一级指标", "产出指标", "满意度指标"]
    assert [c.text for c in grid.cells if c.col == 1][1:] == ["数量指标", "服务对象满意度指标"]


def test_dump_format():
    grid = build(MINIMAL)[2]
    lines = dump(grid).splitlines()
    assert lines[:4] == ["附件1", "项目支出绩效自评表", "（2024年度）",
                         f"grid 20x9, widths {' '.join(fmt_weight(w) for w in grid.widths_mm)} mm, header rows 1"]
    assert sum(grid.widths_mm) == TYPE_AREA_MM
    assert lines[4] == "r1c1 [1x1] label: 项目名称"
    assert lines[5] == "r1c2 [1x8] value: 测试项目"
    assert len(lines) == 4 + len(grid.cells)


def test_every_shipped_profile_fills_the_type_area():
    shipped = profiles.available()
    assert {"national", "city2020", "provincial", "sichuan", "target80", "anhui"} <= set(shipped)
    for name in shipped:
        form = profiles.find(name)
        assert sum(form.widths_mm) == TYPE_AREA_MM, name


def test_no_chinese_label_in_layout_code():
    """Labels live in the form profiles; the code may only mention them in docstrings/comments."""
    tree = ast.parse((ROOT / "generator" / "layout.py").read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
               and id(n) not in docstrings]
    assert not [s for s in strings if re.search(r"[\u4e00-\u9fff（）：—]", s)]


# --- any shape ------------------------------------------------------------------------------


@st.composite
def shapes(draw):
    """A random evaluation: which 二级 are used, how many entries, which are groups of how many."""
    form = draw(st.sampled_from(["national", "city2020", "provincial"]))
    P = profiles.find(form)
    line = P.budget_lines()[draw(st.integers(0, 2))]
    indicators: dict = {}
    n = 0
    for tier1 in P.tier1_names():
        for tier2 in P.tier2_names(tier1):
            for _ in range(draw(st.integers(0, 2))):
                members = draw(st.integers(0, 3))
                n += 1
                entry = ({"weight": 1, "score": 1, "members": [{"name": f"m{n}-{i}", "actual": "1"} for i in range(members)]}
                         if members else {"name": f"i{n}", "target": "≥1", "actual": "1", "weight": 1})
                indicators.setdefault(tier1, {}).setdefault(tier2, []).append(entry)
    data = {"year": 2024, "fund": "f", "project": "p", "department": "d", "unit": "u", "title": "t",
            "outline": "short", "form": form, "indicators": indicators,
            "budget": {"lines": {line: {"initial": Decimal(1), "adjusted": Decimal(1), "executed": Decimal(1)}}}}
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shapes())
def test_any_shape_tiles_the_grid(data):
    ev = validate(Source(Path("x.yaml"), data))
    grid = score_table(ev, compute(ev))
    coverage(grid)
    header = next(c.row for c in grid.cells if c.text == "三级指标")
    last = grid.n_rows - (0 if ev.form == "provincial" else 1)
    score_col = grid.n_cols - 2
    scores = [c for c in grid.cells if c.col == score_col and header < c.row < last]
    blank = 0 if ev.form == "provincial" else sum(
        1 for t1 in ev.profile.tier1_names() for t2 in ev.profile.tier2_names(t1) if not ev.indicators.get(t1, {}).get(t2))
    entries = sum(len(v) for groups in ev.indicators.values() for v in groups.values())
    assert len(scores) == entries + blank
    rows = sum(len(getattr(e, "members", [e])) for groups in ev.indicators.values() for v in groups.values() for e in v)
    assert last - header - 1 == rows + blank
