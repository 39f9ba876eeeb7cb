"""The static site: its numbers are the computed figures, its 自评表 is the Grid, hostile text stays
text, nothing is fetched, and the same sources give the same bytes."""
from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys

import pytest
from lxml import html

from conftest import MINIMAL, ROOT
from generator import i18n
from generator.compute import fmt_money, fmt_percent, fmt_score, portfolio
from generator.layout import score_table
from generator.pipeline import discover, evaluate
from generator.review import diff_figures
from generator.site import build as site


def copy_year(root, year, slugs=None):
    for path in sorted((ROOT / "sources" / str(year)).glob("*.yaml")):
        if slugs is None or path.stem in slugs:
            (root / str(year)).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, root / str(year) / path.name)


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    """The sample years built into a fresh folder: (sources root, output folder)."""
    root, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("out")
    for year in (2020, 2022, 2023):
        copy_year(root, year)
    i18n.set_language("zh")     # the pages are Chinese, their findings too
    try:
        assert site.build_site([], root, out) == 0
    finally:
        i18n.set_language("en")
    return root, out


def page(path):
    return html.fromstring(path.read_bytes())


def texts(cells) -> list[str]:
    return [c.text_content().strip() for c in cells]


@pytest.mark.parametrize("year", [2020, 2022, 2023])
def test_year_table_prints_the_computed_figures(samples, year):
    root, out = samples
    doc = page(out / str(year) / "index.html")
    rows = doc.cssselect("#funds tbody tr")
    results = {p.stem: evaluate(p) for p in discover([str(root / str(year))])}
    assert sorted(r.get("data-slug") for r in rows) == sorted(results)
    for tr in rows:
        r = results[tr.get("data-slug")]
        f = r.figures
        cells = texts(tr.cssselect("td"))
        assert cells[1:] == [fmt_money(f.budget.adjusted), fmt_money(f.budget.executed), fmt_money(f.balance),
                             fmt_percent(f.execution_rate), fmt_score(f.budget_score), fmt_score(f.total),
                             f.grade, str(len(r.errors)), str(len(r.diagnostics) - len(r.errors))]
        assert cells[0] == f"{r.evaluation.fund} — {r.evaluation.project}"
        assert tr.cssselect("a")[0].get("href") == f"{tr.get('data-slug')}.html"
    amounts, balance, rate = portfolio([r.figures for r in results.values()])
    total = texts(doc.cssselect("#funds tfoot td"))
    assert total[:5] == ["合计", fmt_money(amounts.adjusted), fmt_money(amounts.executed), fmt_money(balance),
                         fmt_percent(rate)]
    assert total[8:] == [str(sum(len(r.errors) for r in results.values())),
                         str(sum(len(r.diagnostics) - len(r.errors) for r in results.values()))]


def test_funds_with_errors_come_first_and_are_listed(samples):
    root, out = samples
    doc = page(out / "2022" / "index.html")
    errors = [int(t) for t in texts(doc.cssselect("#funds tbody td:nth-child(9)"))]
    assert errors == sorted(errors, reverse=True) and errors[0] > 0
    attention = doc.cssselect("section.attention")[0].text_content()
    assert "E-PUBLISHED" in attention and "第154行第10列" in attention   # seed 002's 总分 of 10


def test_charts_are_inline_labelled_svg_with_the_90_line(samples):
    doc = page(samples[1] / "2020" / "index.html")
    svgs = doc.cssselect("svg.chart")
    assert len(svgs) == 4
    for svg in svgs:
        assert svg.get("role") == "img"
        title = doc.get_element_by_id(svg.get("aria-labelledby").split()[0])
        assert title.tag == "title" and title.text_content().strip()
    rate = svgs[0]
    assert rate.cssselect("line.line90") and "90%" in rate.cssselect("text.line90-label")[0].text_content()
    # 2020: it-integration 84.67% and warm-enterprise 89.89% are both below the line
    assert len(rate.cssselect("rect.bar.low")) == 2
    titles = texts(rate.cssselect("g > title"))
    assert any(t.endswith("84.67%") for t in titles) and any(t.endswith("89.89%") for t in titles)


def grid_of(root, year, slug):
    r = evaluate(root / str(year) / f"{slug}.yaml")
    return r, score_table(r.evaluation, r.figures)


@pytest.mark.parametrize("year,slug", [(2020, "it-integration"), (2022, "enterprise-association"),
                                       (2023, "enterprise-service")])
def test_fund_table_is_the_grid_with_its_merges(samples, year, slug):
    root, out = samples
    _, grid = grid_of(root, year, slug)
    table = page(out / str(year) / f"{slug}.html").get_element_by_id("score-table")
    rows = table.cssselect("tbody > tr")
    assert len(rows) == grid.n_rows
    shown = [(i, c.text_content(), int(c.get("rowspan", 1)), int(c.get("colspan", 1)))
             for i, tr in enumerate(rows) for c in tr if "findings" not in (c.get("class") or "")]
    expected = [(c.row, c.text, c.rowspan, c.colspan) for c in sorted(grid.cells, key=lambda c: (c.row, c.col))]
    assert shown == expected
    assert any(rs > 1 for _, _, rs, _ in shown)
    assert any(cs > 1 for _, _, _, cs in shown) or year == 2023   # the provincial sheet merges no columns


def test_findings_sit_beside_the_rows_they_concern(samples):
    root, out = samples
    table = page(out / "2020" / "it-integration.html").get_element_by_id("score-table")
    rows = table.cssselect("tbody > tr")

    def findings_of(cell_text):
        tr = next(tr for tr in rows if any(td.text_content() == cell_text for td in tr
                                               if "findings" not in (td.get("class") or "")))
        return tr.cssselect("td.findings")[0].text_content()

    assert "执行率印发为 84.66%" in findings_of("84.67%")
    assert "总分印发为 98" in findings_of("96.47")
    assert "W-ACTUAL-REPEATS-TARGET" in findings_of("年底发放")   # an indicator row's finding
    narrative = page(out / "2020" / "it-integration.html").cssselect("section.attention")[0].text_content()
    assert "W-NARRATIVE" in narrative and "408万元" in narrative


def test_the_report_text_is_the_narrative(samples):
    root, out = samples
    report = page(out / "2022" / "enterprise-association.html").cssselect("article.report")[0]
    assert texts(report.cssselect("h2"))[:2] == ["一、基本情况", "二、项目支出绩效情况"]
    assert "专项资金由财政预算安排资金83.5万元" in report.text_content()


HOSTILE = "<script>alert(1)</script>"


def hostile_source() -> str:
    text = MINIMAL.replace("project: 测试项目", f'project: "{HOSTILE}"')
    text = text.replace("- name: 培训人数", f'- name: "培训{HOSTILE}"')
    return text + (f'goals:\n  expected: "{HOSTILE}"\n  actual: 完成\n'
                   "narrative:\n  budget: |\n"
                   f"    正文{HOSTILE}与<b>粗</b>&amp;，[点我](javascript:alert(2))，"
                   "![图](http://example.invalid/x.png)，<img src=x onerror=alert(3)>\n")


def test_hostile_text_is_printed_never_run(tmp_path):
    root, out = tmp_path / "src", tmp_path / "out"
    (root / "2024").mkdir(parents=True)
    (root / "2024" / "hostile.yaml").write_text(hostile_source(), encoding="utf-8")
    assert site.build_site([2024], root, out) == 0
    for name in ("index.html", "hostile.html"):
        raw = (out / "2024" / name).read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<b>粗" not in raw and "<img" not in raw
        assert "javascript:" not in raw and "example.invalid" not in raw
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    fund = page(out / "2024" / "hostile.html")
    assert HOSTILE in fund.cssselect("h1")[0].text_content()
    # Markdown by design: "&amp;" is an entity, a link keeps its words, an image its description
    assert (f"正文{HOSTILE}与<b>粗</b>&，点我，图，<img src=x onerror=alert(3)>"
            in fund.cssselect("article.report")[0].text_content())
    assert HOSTILE in fund.get_element_by_id("score-table").text_content()
    assert not fund.cssselect("script")


def test_only_the_hashed_sort_script_may_run(samples):
    doc = page(samples[1] / "2022" / "index.html")
    scripts = doc.cssselect("script")
    assert len(scripts) == 1 and not scripts[0].get("src")
    digest = base64.b64encode(hashlib.sha256(scripts[0].text.encode("utf-8")).digest()).decode()
    policy = doc.cssselect('meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_pages_fetch_nothing(samples):
    """No CDN, no font, no image: every link is a relative file beside the page."""
    for path in sorted(samples[1].rglob("*.html")):
        doc = page(path)
        assert not doc.xpath("//*[@src]") and not doc.cssselect("link")
        for a in doc.xpath("//@href"):
            assert ":" not in a and not a.startswith("/"), (path, a)
        assert not re.search(r"@import|url\(|@font-face", path.read_text(encoding="utf-8"))


@pytest.mark.chinese
def test_same_sources_same_bytes(samples, tmp_path):
    root, out = samples
    assert site.build_site([], root, tmp_path) == 0
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.html")}
    again = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.html")}
    assert first == again


def test_links_to_the_report_files_that_exist(tmp_path):
    root, out = tmp_path / "src", tmp_path / "out"
    copy_year(root, 2022, {"enterprise-association"})
    (out / "2022").mkdir(parents=True)
    for suffix in (".docx", ".xlsx"):
        (out / "2022" / f"enterprise-association{suffix}").write_bytes(b"x")
    assert site.build_site([2022], root, out) == 0
    links = [a.get("href") for a in page(out / "2022" / "enterprise-association.html").cssselect(".downloads a")]
    assert links == ["enterprise-association.docx", "enterprise-association.xlsx"]   # no .pdf: none built
    (out / "2022" / "enterprise-association.pdf").write_bytes(b"x")
    assert site.build_site([2022], root, out) == 0
    links = [a.get("href") for a in page(out / "2022" / "enterprise-association.html").cssselect(".downloads a")]
    assert links == ["enterprise-association.docx", "enterprise-association.pdf", "enterprise-association.xlsx"]


def test_fund_page_shows_the_diff_against_last_year(tmp_path):
    root, out = tmp_path / "src", tmp_path / "out"
    for year, executed in ((2023, 90), (2024, 80)):
        (root / str(year)).mkdir(parents=True)
        text = MINIMAL.replace("year: 2024", f"year: {year}").replace("executed: 90", f"executed: {executed}")
        (root / str(year) / "fund.yaml").write_text(text, encoding="utf-8")
    assert site.build_site([2023, 2024], root, out) == 0
    expected = diff_figures(evaluate(root / "2023" / "fund.yaml"), evaluate(root / "2024" / "fund.yaml"))
    assert "  执行率: 90.00% → 80.00%" in expected
    shown = page(out / "2024" / "fund.html").cssselect("pre.diff")[0].text_content()
    assert shown.split("\n") == expected
    assert not page(out / "2023" / "fund.html").cssselect("pre.diff")   # nothing earlier to compare with


def test_a_source_that_does_not_load_still_has_its_row_and_page(tmp_path):
    root, out = tmp_path / "src", tmp_path / "out"
    copy_year(root, 2022, {"enterprise-association"})
    (root / "2022" / "broken.yaml").write_text("year: 2022\nfund: [\n", encoding="utf-8")
    assert site.build_site([2022], root, out) == 0
    doc = page(out / "2022" / "index.html")
    first = doc.cssselect("#funds tbody tr")[0]    # a fund with no figures at all needs attention first
    assert first.get("data-slug") == "broken" and "未能读取" in first.text_content()
    broken = page(out / "2022" / "broken.html").text_content()
    assert "E-YAML" in broken and "未能读取" in broken


def test_a_failed_render_leaves_the_previous_pages(tmp_path, monkeypatch):
    root, out = tmp_path / "src", tmp_path / "out"
    copy_year(root, 2022)
    assert site.build_site([2022], root, out) == 0
    before = {p.name: p.read_bytes() for p in (out / "2022").iterdir()}
    (root / "2022" / "enterprise-association.yaml").write_text(
        (root / "2022" / "enterprise-association.yaml").read_text(encoding="utf-8").replace("83.5", "84.5"),
        encoding="utf-8")

    def fail(*args):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(site, "year_page", fail)
    with pytest.raises(RuntimeError):
        site.build_site([2022], root, out)
    assert {p.name: p.read_bytes() for p in (out / "2022").iterdir()} == before


def test_cli_site_and_a_year_without_sources(tmp_path):
    root, out = tmp_path / "src", tmp_path / "out"
    copy_year(root, 2023)
    run = [sys.executable, "-m", "generator", "site", "--root", str(root), "--out", str(out)]
    done = subprocess.run(run + ["2023"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and (out / "2023" / "index.html").exists(), done.stderr
    assert "已生成" in done.stderr and "1 个项目页面" in done.stderr
    missing = subprocess.run(run + ["2019"], capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 2 and "没有 2019 年度的源文件" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_build_writes_the_site_after_the_reports(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    copy_year(src, 2022, {"enterprise-association"})

    def make(*args):
        done = subprocess.run(["make", "-C", str(ROOT), *args, f"SRC={src}", f"OUT={out}"],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr
    make("build")
    index = out / "2022" / "index.html"
    links = [a.get("href") for a in page(out / "2022" / "enterprise-association.html").cssselect(".downloads a")]
    assert links == ["enterprise-association.docx", "enterprise-association.xlsx"]
    assert "Nothing to be done" in make("build")
    stamp = index.stat().st_mtime_ns
    make("site", "YEAR=2022")
    assert index.stat().st_mtime_ns > stamp


def test_a_narrative_template_error_is_shown_where_the_report_text_would_be(tmp_path):
    root, out = tmp_path / "src", tmp_path / "out"
    (root / "2024").mkdir(parents=True)
    (root / "2024" / "typo.yaml").write_text(MINIMAL + "narrative:\n  budget: |\n    执行率{{ rate }}。\n",
                                             encoding="utf-8")
    assert site.build_site([2024], root, out) == 0
    doc = page(out / "2024" / "typo.html")
    assert not doc.cssselect("article.report")
    problems = doc.cssselect("section.attention")[0].text_content()
    assert problems.count("E-TEMPLATE") == 1 and "'rate' is not a figure" in problems and "第33行" in problems
    assert doc.get_element_by_id("score-table") is not None   # the table's figures do not depend on the text
