"""Chart geometry for the site's inline SVG: where each bar, dot and line sits, in pixels.

Only geometry is computed here: every number printed on a chart is a figure of compute.Figures
formatted by the templates with compute.fmt_*; the positions are derived from those figures by
scaling, rounded to a tenth of a pixel so the same figures give the same bytes. The drawing
itself (colours, labels, titles) is in templates/site/charts.html.j2.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import vocabulary as vocab

WIDTH = 480          # the viewBox width of every chart: text stays legible scaled to a phone
LABEL_W = 170        # room for the row labels left of the bars (12 characters)
RIGHT = 64           # room for the value printed after a bar
ROW_H = 28
TOP = 26             # room for the axis labels above the first row
RATE_LINE = Decimal(90)   # forms ask for a reason when 执行率 is below 90 %


def px(x: float) -> str:
    """A coordinate as printed in the SVG: one decimal, so output is byte-stable."""
    return f"{x:.1f}"


@dataclass(frozen=True)
class Bar:
    label: str
    href: str | None
    y: str
    width: str
    value: object          # the figure (Decimal or None), formatted by the template
    low: bool = False      # below the line the chart marks (执行率 under 90 %)


def _scale(top: Decimal) -> float:
    return (WIDTH - LABEL_W - RIGHT) / float(top) if top > 0 else 0.0


def _axis_top(values, floor: Decimal) -> Decimal:
    """The axis end: at least `floor`, else the largest value rounded up to a multiple of 10."""
    top = max([v for v in values if v is not None] + [floor])
    return Decimal(int((top + 9) // 10 * 10))


def rate_bars(items: list[tuple[str, str | None, Decimal | None]]) -> dict:
    """执行率 by fund: (label, link, rate in percent) → bars, the 90 % line and the axis ticks."""
    top = _axis_top([r for _, _, r in items], Decimal(100))
    k = _scale(top)
    bars = [Bar(label, href, px(TOP + i * ROW_H), px(float(rate) * k if rate is not None else 0), rate,
                rate is not None and rate < RATE_LINE) for i, (label, href, rate) in enumerate(items)]
    ticks = [(px(LABEL_W + float(t) * k), t) for t in range(0, int(top) + 1, 20 if top <= 140 else 50)]
    return {"bars": bars, "height": px(TOP + len(items) * ROW_H + 8), "x0": px(LABEL_W),
            "line": px(LABEL_W + float(RATE_LINE) * k), "line_value": RATE_LINE, "ticks": ticks,
            "width": WIDTH, "row_h": ROW_H}


def money_bars(items: list[tuple[str, str, str | None, Decimal | None, Decimal | None]]) -> dict:
    """全年预算数 beside 全年执行数, by 专项资金 then project: (fund, project, link, 预算数, 执行数),
    in the order given. Each fund's name heads its projects when the year has several funds."""
    top = max([v for *_, a, e in items for v in (a, e) if v is not None] + [Decimal(0)])
    k = _scale(top)
    grouped = len({fund for fund, *_ in items}) > 1
    rows, groups, y, current = [], [], TOP, object()
    for fund, label, href, adjusted, executed in items:
        if grouped and fund != current:
            groups.append({"fund": fund, "y": px(y + 18)})
            y += ROW_H
            current = fund
        rows.append({"label": label, "href": href, "y": px(y), "adjusted": adjusted, "executed": executed,
                     "w_adjusted": px(float(adjusted or 0) * k), "w_executed": px(float(executed or 0) * k)})
        y += ROW_H
    return {"rows": rows, "groups": groups, "height": px(y + 8), "x0": px(LABEL_W), "width": WIDTH}


def score_dots(items: list[tuple[str, str | None, Decimal | None]]) -> dict:
    """总分 of every fund as a dot on a 0–100 axis over the 等级 bands; equal scores stack up."""
    lo, hi, left, right = 0, 100, 20.0, WIDTH - 20.0
    k = (right - left) / (hi - lo)
    bands, upper = [], Decimal(hi)
    for name, lowest, _ in vocab.grade_bands():         # best first: 优 90–100, 良 80–90 …
        bands.append({"grade": name, "x": px(left + float(lowest) * k), "width": px(float(upper - lowest) * k),
                      "mid": px(left + float(lowest + upper) / 2 * k)})
        upper = lowest
    placed: list[tuple[float, int]] = []     # (x, level) of the dots so far
    dots = []
    for label, href, total in items:
        if total is None:
            continue
        x = left + float(min(max(total, Decimal(lo)), Decimal(hi))) * k
        level = sum(1 for other, _ in placed if abs(other - x) < 12)   # close dots stack up
        placed.append((x, level))
        dots.append({"label": label, "href": href, "x": px(x), "y": px(96 - level * 14), "total": total})
    ticks = [(px(left + t * k), t) for t in range(lo, hi + 1, 10)]
    height = 130 + max(0, max((lv for _, lv in placed), default=0) - 4) * 14
    return {"bands": bands, "dots": dots, "ticks": ticks, "width": WIDTH, "height": height,
            "left": px(left), "right": px(right)}


def grade_counts(grades: list[str | None]) -> dict:
    """How many funds have each 等级, in the order of the bands; funds without a 总分 count apart."""
    names = [name for name, _, _ in vocab.grade_bands()]
    counts = [(name, sum(g == name for g in grades)) for name in names]
    most = max([n for _, n in counts] + [1])
    k = (WIDTH - 60 - RIGHT) / most
    bars = [{"grade": name, "count": n, "y": px(TOP + i * ROW_H), "width": px(n * k)}
            for i, (name, n) in enumerate(counts)]
    return {"bars": bars, "ungraded": sum(g is None for g in grades), "width": WIDTH, "x0": 60,
            "height": px(TOP + len(bars) * ROW_H + 8)}


def tier1_bars(subtotals) -> dict:
    """A fund's 得分 against 分值 per 一级指标 (compute.Subtotal): the full bar is the 分值."""
    top = max([s.label_weight for s in subtotals] + [Decimal(1)])
    k = _scale(top)
    rows = [{"tier1": s.tier1, "y": px(TOP + i * ROW_H), "weight": s.label_weight, "score": s.score,
             "w_weight": px(float(s.label_weight) * k), "w_score": px(float(s.score or 0) * k)}
            for i, s in enumerate(subtotals)]
    return {"rows": rows, "height": px(TOP + len(rows) * ROW_H + 8), "x0": px(LABEL_W), "width": WIDTH}
