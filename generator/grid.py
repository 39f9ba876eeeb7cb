"""The 自评表 as a grid of merged cells, in domain terms and free of any file format.

`layout` fills a Grid from an evaluation and its figures; the Word table, the Excel workbook and
the review dump are each a rendering of the same Grid, so a merge decided once is the same
everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .compute import fmt_money, fmt_percent, fmt_score, fmt_weight

LABEL = "label"    # a printed label of the form (项目名称, 一级指标 …): centred, may be bold
VALUE = "value"    # a short value (numbers, names, targets): centred
TEXT = "text"      # running text (年度总体目标, 偏差原因 …): left-aligned, wraps

# What a numeric cell's figure is, so a spreadsheet can store the number and format it as printed.
MONEY = "money"      # 万元 with the decimals the source wrote (239.4, 193.00)
PERCENT = "percent"  # a percent value: 89.89 means 89.89%
SCORE = "score"      # 得分, two decimals
WEIGHT = "weight"    # 分值 as labelled (10, 7.5)
FORMATS = {MONEY: fmt_money, PERCENT: fmt_percent, SCORE: fmt_score, WEIGHT: fmt_weight}  # kind → text


@dataclass(frozen=True)
class Cell:
    row: int                 # 0-based row of the top-left corner
    col: int                 # 0-based column of the top-left corner
    text: str
    rowspan: int = 1
    colspan: int = 1
    role: str = VALUE
    # The figure behind a numeric cell and its kind (MONEY …), passed on from Figures so a
    # workbook stores numbers rather than text. Text cells have neither; a blank figure has a
    # kind and no number.
    number: Decimal | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Grid:
    label: str               # "附件2" / "附表1", printed top left above the title
    title: str               # "项目支出绩效自评表"
    subtitle: str            # "（2022年度）", may be ""
    widths_mm: tuple[Decimal, ...]
    n_rows: int
    cells: tuple[Cell, ...]  # every cell that starts at its position; covered positions have none
    header_rows: int = 1     # the first rows repeat on every page the table continues on
    notes: tuple[str, ...] = field(default=())   # 备注 lines printed under the table
    # The row of the indicator block's heading (一级指标 … 偏差原因分析及改进措施), None on a form
    # without one: the Word table starts a new table there, so that this row is one Word repeats
    # on every page the indicators continue on.
    indicator_row: int | None = None

    @property
    def n_cols(self) -> int:
        return len(self.widths_mm)

    def at(self, row: int, col: int) -> Cell | None:
        """The cell that starts at (row, col), if any."""
        return next((c for c in self.cells if c.row == row and c.col == col), None)
