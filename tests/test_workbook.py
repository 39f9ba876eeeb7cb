"""The 自评表 workbook, read back with openpyxl: the Grid's merges, numbers with their formats,
text as text, print setup, and identical bytes for an unchanged source."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from generator.grid import FORMATS, MONEY, PERCENT, SCORE, TEXT, VALUE, WEIGHT, Cell, Grid
from generator.layout import score_table
from generator.pipeline import evaluate
from generator.render.xlsx import SHEET, column_width, number_format, row_heights, workbook_bytes

from conftest import ROOT

# The samples, and one example of every other shipped form profile (examples/).
SOURCES = sorted((ROOT / "sources").glob("*/*.yaml")) + sorted((ROOT / "examples").glob("*/*.yaml"))


def grid_of(path: Path) -> Grid:
    result = evaluate(path)
    return score_table(result.evaluation, result.figures)


def read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))[SHEET]


def top_row(grid: Grid) -> int:
    """The sheet row of the grid's first row: label, title and subtitle come first when present."""
    return 1 + sum(1 for t in (grid.label, grid.title, grid.subtitle) if t)


def sheet_cell(ws, grid: Grid, cell: Cell):
    return ws.cell(top_row(grid) + cell.row, cell.col + 1)


def column_widths(ws, n: int) -> list[float]:
    """Each column's width: one <col min max> may cover several equal columns, which openpyxl
    files under the first column's letter only."""
    dims = list(ws.column_dimensions.values())
    return [next(d.width for d in dims if d.min <= k <= d.max) for k in range(1, n + 1)]


def fit_to_width(setup) -> int:
    """pageSetup's fitToWidth; absent means the schema's default, 1."""
    return 1 if setup.fitToWidth is None else int(setup.fitToWidth)


def only(grid: Grid, **match) -> Cell:
    hits = [c for c in grid.cells if all(getattr(c, k) == v for k, v in match.items())]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_source_workbook_matches_its_grid(path):
    grid = grid_of(path)
    data = workbook_bytes(grid)
    ws = read(data)
    top = top_row(grid)

    assert [ws.cell(r, 1).value for r in range(1, top)] == [t for t in (grid.label, grid.title, grid.subtitle) if t]
    in_grid = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges
               if top <= m.min_row < top + grid.n_rows}
    spans = {(top + c.row, c.col + 1, top + c.row + c.rowspan - 1, c.col + c.colspan)
             for c in grid.cells if c.rowspan > 1 or c.colspan > 1}
    assert in_grid == spans

    for c in grid.cells:
        got = sheet_cell(ws, grid, c)
        if c.number is not None:
            expected = c.number / 100 if c.kind == PERCENT else c.number
            assert got.data_type == "n" and Decimal(str(got.value)) == expected, c
            # What Excel shows is what the Word table prints: an oracle independent of number_format.
            assert excel_shows(got.value, got.number_format) == c.text, c
        else:
            assert got.value == (c.text or None), c
        assert got.font.name == "仿宋_GB2312" and got.font.size == 10.5
        assert got.alignment.horizontal == ("left" if c.role == TEXT else "center")
        assert got.alignment.wrap_text
        assert all(getattr(got.border, side).style == "thin" for side in ("left", "right", "top", "bottom"))

    for i, note in enumerate(grid.notes):
        assert ws.cell(top + grid.n_rows + i, 1).value == note
    assert column_widths(ws, grid.n_cols) == [column_width(w) for w in grid.widths_mm]
    assert [ws.row_dimensions[top + r].height for r in range(grid.n_rows)] == row_heights(grid, 10.5)

    setup = ws.page_setup
    assert int(setup.paperSize) == 9 and setup.orientation == "portrait"
    assert fit_to_width(setup) == 1 and int(setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.horizontalCentered
    assert ws.print_title_rows == f"${top}:${top + grid.header_rows - 1}"

    assert workbook_bytes(grid) == data


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_layout_numbers_are_the_printed_figures(path):
    """Every numeric cell's number is what its text shows (the text comes from the same figure)."""
    grid = grid_of(path)
    numeric = [c for c in grid.cells if c.kind is not None]
    assert {c.kind for c in numeric} >= {SCORE}   # 分值 (WEIGHT) is not printed on every form (target80)
    for c in numeric:
        assert c.kind in FORMATS and c.role == VALUE
        assert FORMATS[c.kind](c.number) == c.text, c


def test_seed_000_rate_budget_score_and_total():
    grid = grid_of(ROOT / "sources/2020/warm-enterprise.yaml")
    ws = read(workbook_bytes(grid))
    rate = only(grid, kind=PERCENT)
    got = sheet_cell(ws, grid, rate)
    assert (got.value, got.number_format) == (pytest.approx(0.8989), "0.00%")
    score = sheet_cell(ws, grid, grid.at(rate.row, rate.col + 1))
    assert (score.value, score.number_format) == (pytest.approx(8.99), "0.00")
    total = sheet_cell(ws, grid, grid.at(grid.n_rows - 1, 7))
    assert (total.value, total.number_format) == (pytest.approx(95.99), "0.00")
    adjusted = sheet_cell(ws, grid, grid.at(rate.row, 4))
    assert (adjusted.value, adjusted.number_format) == (pytest.approx(239.4), "0.0")
    assert sheet_cell(ws, grid, grid.at(rate.row, 6)).value == 10


def test_seed_002_group_score_merged_over_five_rows():
    grid = grid_of(ROOT / "sources/2022/enterprise-association.yaml")
    ws = read(workbook_bytes(grid))
    score = only(grid, kind=SCORE, rowspan=5)
    cell = sheet_cell(ws, grid, score)
    assert (cell.value, cell.number_format) == (20, "0.00")
    assert f"{cell.coordinate}:{cell.column_letter}{cell.row + 4}" in {str(m) for m in ws.merged_cells.ranges}


def excel_shows(value, fmt: str) -> str:
    """The text Excel displays for a number in the simple formats a 自评表 uses: 0, 0.0…, 0.00%."""
    assert fmt == "0" or fmt.startswith("0.") and set(fmt[2:].rstrip("%")) == {"0"}, fmt
    number = Decimal(str(value)) * (100 if fmt.endswith("%") else 1)
    places = len(fmt.rstrip("%")) - 2 if "." in fmt else 0
    shown = number.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
    return f"{shown}%" if fmt.endswith("%") else str(shown)


def test_excel_shows():
    assert (excel_shows(0.8989, "0.00%"), excel_shows(239.4, "0.0"), excel_shows(10, "0")) == ("89.89%", "239.4", "10")


@pytest.mark.parametrize("kind, number, fmt", [
    (MONEY, "239.4", "0.0"), (MONEY, "193.00", "0.00"), (MONEY, "83", "0"), (MONEY, "1E+2", "0"),
    (WEIGHT, "10", "0"), (WEIGHT, "7.5", "0.0"), (WEIGHT, "7.50", "0.0"), (WEIGHT, "1E+1", "0"),
    (SCORE, "8.99", "0.00"), (PERCENT, "89.89", "0.00%"),
])
def test_number_format(kind, number, fmt):
    assert number_format(kind, Decimal(number)) == fmt


def test_text_that_looks_like_a_formula_stays_text():
    grid = Grid("附件1", "项目支出绩效自评表", "", (Decimal(78), Decimal(78)), 1,
                (Cell(0, 0, "=1+1"), Cell(0, 1, "", kind=MONEY)))
    ws = read(workbook_bytes(grid))
    assert (ws["A3"].value, ws["A3"].data_type) == ("=1+1", "s")
    assert ws["B3"].value is None                       # a blank figure is an empty cell


X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def thin_sides(data: bytes) -> dict[tuple[int, int], set[str]]:
    """Each cell of the sheet XML (row, column from 1) → the sides of its border that are thin,
    read from the file itself: openpyxl's loader remakes a merged range's member cells with the
    edges of its top-left cell, so it cannot show what the file gives them."""
    book = zipfile.ZipFile(io.BytesIO(data))
    styles = etree.fromstring(book.read("xl/styles.xml"))
    borders = [{side for side in ("left", "right", "top", "bottom")
                if (el := border.find(X + side)) is not None and el.get("style") == "thin"}
               for border in styles.find(X + "borders")]
    xf_border = [int(xf.get("borderId", 0)) for xf in styles.find(X + "cellXfs")]
    sheet = etree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    out = {}
    for c in sheet.iter(X + "c"):
        letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", c.get("r")).groups()
        col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(letters)))
        out[int(digits), col] = borders[xf_border[int(c.get("s", 0))]]
    return out


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_cell_of_the_table_has_thin_borders_merged_or_not(path):
    """Excel, WPS and LibreOffice draw a merged cell's edges from the cells on them, so a member
    of a merge without its border leaves a gap in the frame: every position of the grid, merged
    or not, is a cell with a thin line on each side."""
    grid = grid_of(path)
    sides = thin_sides(workbook_bytes(grid))
    top = top_row(grid)
    assert any(c.rowspan > 1 or c.colspan > 1 for c in grid.cells)
    for r in range(top, top + grid.n_rows):
        for k in range(1, grid.n_cols + 1):
            assert sides.get((r, k)) == {"left", "right", "top", "bottom"}, (r, k)
    below = [sides.get((top + grid.n_rows + i, 1)) for i in range(len(grid.notes))]
    assert below == [set()] * len(grid.notes)          # the notes under the table are not boxed


def test_bytes_do_not_depend_on_the_process():
    """Set iteration (merges, styles) must not follow PYTHONHASHSEED."""
    script = ("import hashlib, sys; from pathlib import Path; from generator.pipeline import evaluate; "
              "from generator.layout import score_table; from generator.render.xlsx import workbook_bytes; "
              "r = evaluate(Path(sys.argv[1])); "
              "print(hashlib.sha256(workbook_bytes(score_table(r.evaluation, r.figures))).hexdigest())")
    source = str(ROOT / "sources/2020/warm-enterprise.yaml")
    digests = {subprocess.run([sys.executable, "-c", script, source], cwd=ROOT, check=True, text=True,
                              capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(digests) == 1


def test_writing_a_workbook_does_not_import_openpyxl():
    """openpyxl is for reading (the importer, these tests); a build process that imported it
    would pay ~65 ms more for nothing."""
    script = ("import sys; from pathlib import Path; from generator.pipeline import evaluate; "
              "from generator.layout import score_table; from generator.render.xlsx import workbook_bytes; "
              "from generator.summary import summarise, summary_workbook; r = evaluate(Path(sys.argv[1])); "
              "workbook_bytes(score_table(r.evaluation, r.figures)); summary_workbook(summarise([Path(sys.argv[1])])); "
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'))")
    source = str(ROOT / "sources/2020/warm-enterprise.yaml")
    out = subprocess.run([sys.executable, "-c", script, source], cwd=ROOT, check=True, text=True, capture_output=True)
    assert out.stdout.strip() == "[]"
