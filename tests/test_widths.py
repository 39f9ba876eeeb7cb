"""Column widths from the 自评表's content: within the type area, labels whole, room for the text."""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import ROOT
from generator.grid import LABEL, TEXT, VALUE, Cell, Grid
from generator.layout import score_table
from generator.pipeline import evaluate
from generator.widths import TYPE_AREA_MM, column_widths, needs_lines
SEEDS = ["2020/warm-enterprise", "2020/it-integration", "2022/enterprise-service-center",
         "2022/enterprise-association", "2023/enterprise-service"]


def grid(*cells: Cell, n_cols: int = 3) -> Grid:
    return Grid("附件1", "项目支出绩效自评表", "", tuple(Decimal(1) for _ in range(n_cols)),
                n_rows=max(c.row + c.rowspan for c in cells), cells=cells)


def holds(width: Decimal, text: str) -> bool:
    """`text` sits on one line in a column of `width` mm."""
    return needs_lines(Cell(0, 0, text), width) == 1


@pytest.fixture(scope="module")
def seeds() -> dict[str, Grid]:
    out = {}
    for slug in SEEDS:
        r = evaluate(ROOT / "sources" / f"{slug}.yaml")
        out[slug] = score_table(r.evaluation, r.figures)
    return out


@pytest.mark.parametrize("slug", SEEDS)
def test_widths_fill_the_type_area_in_tenths(seeds, slug):
    widths = column_widths(seeds[slug])
    assert sum(widths) == TYPE_AREA_MM and len(widths) == seeds[slug].n_cols
    assert all(w == w.quantize(Decimal("0.1")) and w > 0 for w in widths)


@pytest.mark.parametrize("slug", SEEDS)
def test_numbers_and_short_values_are_never_broken(seeds, slug):
    g = seeds[slug]
    widths = column_widths(g)
    for cell in g.cells:
        if cell.colspan == 1 and cell.role == VALUE and cell.text and cell.text.replace(".", "").replace("%", "").isdigit():
            assert holds(widths[cell.col], cell.text), (slug, cell)


@pytest.mark.parametrize("slug, texts", [
    ("2022/enterprise-service-center", ("项目名称", "其中：当年财政拨款", "等级：优", "分值", "一级指标")),
    ("2020/warm-enterprise", ("部门名称", "其中：当年财政拨款", "等级：优", "分值", "数量指标")),
    ("2023/enterprise-service", ("分值", "得分", "一级指标")),
])
def test_labels_kept_whole_where_the_page_allows(seeds, slug, texts):
    g = seeds[slug]
    widths = column_widths(g)
    for text in texts:
        cell = next(c for c in g.cells if text in c.text.split("\n"))
        assert holds(sum(widths[cell.col:cell.col + cell.colspan]), text), text


def test_the_column_with_more_text_gets_more_room():
    reason = "还有可提升的空间，需进一步优化营商环境。" * 3
    g = grid(Cell(0, 0, "分值", role=LABEL), Cell(0, 1, "得分", role=LABEL), Cell(0, 2, "偏差原因", role=LABEL),
             Cell(1, 0, "10"), Cell(1, 1, "9.00"), Cell(1, 2, reason, role=TEXT))
    widths = column_widths(g)
    assert widths[2] > widths[0] + widths[1]


def test_a_label_over_two_columns_is_kept_whole():
    g = grid(Cell(0, 0, "其中：当年财政拨款", colspan=2, role=LABEL), Cell(0, 2, "说明", role=TEXT),
             Cell(1, 0, "1"), Cell(1, 1, "2"), Cell(1, 2, "很长的说明文字" * 10, role=TEXT))
    widths = column_widths(g, total=Decimal(80))
    assert holds(widths[0] + widths[1], "其中：当年财政拨款") and sum(widths) == 80


def test_a_range_of_days_is_one_piece():
    assert needs_lines(Cell(0, 0, "5-10个工作日"), Decimal("11")) == 3     # 5-10 / 个工 / 作日
    assert needs_lines(Cell(0, 0, "5-10"), Decimal("11")) == 1


def test_too_narrow_a_page_shrinks_evenly_rather_than_overflowing():
    g = grid(Cell(0, 0, "123456789012"), Cell(0, 1, "123456789012"), Cell(0, 2, "123456789012"))
    widths = column_widths(g, total=Decimal(30))
    assert sum(widths) == 30 and len(set(widths)) == 1


@pytest.mark.parametrize("slug", SEEDS)
def test_the_running_estimate_is_the_tables_height(seeds, slug):
    """The hand-out trusts _Estimate.trial to equal _height, which prices every cell afresh; the
    estimate's shortcuts (remembered costs, only changed rows redone) must not change a number."""
    import random

    from generator.widths import _Estimate, _height
    g = seeds[slug]
    rng = random.Random(slug)
    width = [20.0 + 0.5 * rng.randrange(40) for _ in range(g.n_cols)]
    estimate = _Estimate(g, width)
    assert estimate.height == _height(g, width)
    for _ in range(300):
        cols = tuple(sorted(rng.sample(range(g.n_cols), rng.choice((1, 2)))))
        trial = width.copy()
        for k in cols:
            trial[k] = max(3.0, trial[k] + 0.5 * rng.randrange(-30, 31))
        assert estimate.trial(trial, cols) == _height(g, trial), (cols, trial)
        if rng.random() < 0.3:       # move on, as the hand-out does after a step
            width = trial
            assert estimate.set(width) == _height(g, width)


def test_a_short_value_once_broken_is_not_broken_further_for_little():
    """The anhui example's 三级指标 (服务企业数量, 咨询问题按时办结率 …) got a column two characters wide
    while 年度指标值 had room to spare: a broken short value cost the same over two lines or five.
    Each further line is priced now."""
    r = evaluate(ROOT / "examples" / "2024" / "anhui-small-business-services.yaml")
    g = score_table(r.evaluation, r.figures)
    from generator.widths import SHORT_VALUE
    tier3 = [c for c in g.cells if c.row > g.indicator_row and c.col == 3 and 0 < len(c.text) <= SHORT_VALUE]
    lines = {c.text: needs_lines(c, g.widths_mm[3]) for c in tier3}
    assert len(lines) >= 6 and lines["服务企业数量"] == 2 and max(lines.values()) == 3     # they were 3 and 4
