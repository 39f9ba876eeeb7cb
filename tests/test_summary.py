"""The year summary: the 2022 totals, totals that add up, a broken source kept as a row, the Markdown
locked (tests/test_summary/), and the workbook read back."""
from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.compute import MoneyRow, execution_rate, portfolio
from generator.summary import HEADERS, summarise, summary_markdown, summary_workbook, write_summary

from conftest import MINIMAL, ROOT

YEAR_2022 = sorted((ROOT / "sources" / "2022").glob("*.yaml"))
ALL = sorted((ROOT / "sources").glob("*/*.yaml"))
D = Decimal


def test_2022_totals():
    summary = summarise(YEAR_2022)
    assert summary.year == 2022 and len(summary.rows) == 2
    assert {r.fund for r in summary.rows} == {"经济信息产业发展专项资金"}
    assert [r.figures.budget.adjusted for r in summary.rows] == [D("83.5"), D("135.35")]
    amounts, balance, rate = summary.totals
    assert (amounts.adjusted, amounts.executed, balance, rate) == (D("218.85"), D("210.88"), D("7.97"), D("96.36"))
    assert summary_markdown(summary).splitlines()[-1] == "| 合计 | 218.85 | 210.88 | 7.97 | 96.36% |  |  |  | 4 | 12 |"


def test_totals_add_up_over_every_source():
    summary = summarise(ALL)
    figures = [r.figures for r in summary.rows]
    amounts, balance, rate = summary.totals
    assert amounts.adjusted == sum(f.budget.adjusted for f in figures)
    assert amounts.executed == sum(f.budget.executed for f in figures)
    assert balance == sum(f.balance for f in figures) == amounts.adjusted - amounts.executed
    assert rate == execution_rate(amounts.executed, amounts.adjusted)
    assert summary.year is None                     # several years: no year in the title
    labels = [r.label for r in summary.rows]
    assert labels == sorted(labels, key=lambda s: s.split(" — ")) and summary.left_out == 0


money = st.none() | st.decimals(min_value=0, max_value=10**6, places=2)


@given(st.lists(st.tuples(money, money), max_size=6))
def test_portfolio_counts_projects_with_both_amounts(pairs):
    figures = [SimpleNamespace(budget=MoneyRow(None, a, e)) for a, e in pairs]
    known = [(a, e) for a, e in pairs if a is not None and e is not None]
    amounts, balance, rate = portfolio(figures)
    if not known:
        assert (amounts, balance, rate) == (MoneyRow(), None, None)
        return
    assert amounts.adjusted == sum(a for a, _ in known) and amounts.executed == sum(e for _, e in known)
    assert balance == amounts.adjusted - amounts.executed
    assert rate == (execution_rate(amounts.executed, amounts.adjusted) if amounts.adjusted > 0 else None)


def test_broken_source_is_a_row_and_the_summary_goes_on(write_source):
    good = write_source(MINIMAL, "good.yaml")
    broken = write_source("year: 2024\nfund: [unclosed\n", "broken.yaml")
    summary = summarise([broken, good])
    assert [r.source.name for r in summary.rows] == ["good.yaml", "broken.yaml"]   # unreadable last
    row = summary.rows[1]
    assert row.figures is None and row.fund is None and row.errors >= 1
    amounts, balance, rate = summary.totals
    assert (amounts.adjusted, amounts.executed, balance, rate) == (D(100), D(90), D(10), D("90.00"))
    lines = summary_markdown(summary).splitlines()
    assert f"| broken.yaml（未能读取） |  |  |  |  |  |  |  | {row.errors} | {row.warnings} |" in lines
    assert lines[-1].startswith("注：") and "未计入1个" in lines[-1]
    assert summary.year == 2024


def test_2022_markdown_is_locked(file_regression):
    file_regression.check(summary_markdown(summarise(YEAR_2022)), basename="summary-2022", extension=".md")


def test_workbook_numbers_formats_and_bytes():
    summary = summarise(YEAR_2022)
    data = summary_workbook(summary)
    assert summary_workbook(summarise(YEAR_2022)) == data
    ws = openpyxl.load_workbook(io.BytesIO(data))["汇总"]
    assert ws["A1"].value == "2022年度项目支出绩效自评汇总"
    assert [c.value for c in ws[3]] == list(HEADERS)
    total = ws[6]
    assert total[0].value == "合计"
    assert [(c.value, c.number_format) for c in total[1:5]] == [
        (pytest.approx(218.85), "0.00"), (pytest.approx(210.88), "0.00"), (pytest.approx(7.97), "0.00"),
        (pytest.approx(0.9636), "0.00%")]
    association = ws[4]
    assert [(c.value, c.number_format) for c in association[1:3]] == [(83.5, "0.0"), (83.5, "0.0")]
    assert (association[6].value, association[6].number_format, association[7].value) == (100, "0.00", "优")
    assert (int(ws.page_setup.paperSize), ws.page_setup.orientation, ws.page_setup.fitToWidth or 1) == (9, "landscape", 1)
    assert ws.print_title_rows == "$3:$3"


def test_write_summary(tmp_path):
    write_summary(YEAR_2022, tmp_path / "2022")
    assert (tmp_path / "2022" / "summary.md").read_text(encoding="utf-8") == summary_markdown(summarise(YEAR_2022))
    assert (tmp_path / "2022" / "summary.xlsx").read_bytes() == summary_workbook(summarise(YEAR_2022))
    assert sorted(p.name for p in (tmp_path / "2022").iterdir()) == ["summary.md", "summary.xlsx"]
