"""The finished Word report of each seed: deterministic, conformant, and locked as a readable dump."""
from __future__ import annotations

import io
import re
import zipfile

import pypandoc
import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import ROOT
from generator.layout import score_table
from generator.pipeline import evaluate
from generator.render.document import render_docx
from generator.render.inspect import dump

SEEDS = ["2020/warm-enterprise", "2020/it-integration", "2022/enterprise-service-center",
         "2022/enterprise-association", "2023/enterprise-service"]


@pytest.fixture(scope="module")
def rendered() -> dict:
    out = {}
    for slug in SEEDS:
        r = evaluate(ROOT / "sources" / f"{slug}.yaml")
        out[slug] = (r, render_docx(r.evaluation, r.figures, r.texts))
    return out


def test_two_renders_are_byte_identical(rendered):
    r, first = rendered["2022/enterprise-association"]
    assert render_docx(r.evaluation, r.figures, r.texts) == first


@pytest.mark.parametrize("slug", SEEDS)
def test_document_dump_is_locked(rendered, slug, file_regression):
    file_regression.check(dump(rendered[slug][1]), basename=slug.replace("/", "-"), extension=".txt")


@pytest.mark.parametrize("slug", SEEDS)
def test_page_setup_and_footer(rendered, slug):
    document = Document(io.BytesIO(rendered[slug][1]))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)   # A4
        assert [round(x.mm) for x in (section.top_margin, section.bottom_margin,
                                      section.left_margin, section.right_margin)] == [37, 35, 28, 26]
        for footer in (section.footer, section.even_page_footer):
            xml = footer._element.xml
            assert "PAGE" in xml and "—" in xml
    assert document.settings.odd_and_even_pages_header_footer
    assert len(document.sections) == 1   # the attachment continues the page numbering


def east_asia(style) -> str | None:
    rpr = style.element.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


@pytest.mark.parametrize("style, font, size", [
    ("Normal", "仿宋_GB2312", 16), ("Title", "方正小标宋简体", 22), ("Heading 1", "黑体", 16),
    ("Heading 2", "楷体_GB2312", 16), ("Heading 3", "仿宋_GB2312", 16), ("Footer", "宋体", 14),
    ("Attachment Label", "黑体", 16), ("Table Text", "仿宋_GB2312", 10.5),
])
def test_styles_name_chinese_fonts_in_the_east_asian_slot(rendered, style, font, size):
    document = Document(io.BytesIO(rendered["2020/warm-enterprise"][1]))
    s = document.styles[style]
    assert east_asia(s) == font
    assert s.font.size.pt == size


def test_no_theme_fonts_anywhere(rendered):
    for slug in SEEDS:
        with zipfile.ZipFile(io.BytesIO(rendered[slug][1])) as z:
            for name in ("word/styles.xml", "word/document.xml"):
                assert "Theme=" not in z.read(name).decode("utf-8"), (slug, name)


def score_table_cells(data: bytes) -> tuple[int, int, list[tuple]]:
    """(rows, columns, cells) of the 自评表 as the document holds it: the tables after its title,
    their rows numbered on from one table to the next."""
    lines = dump(data).split("[Table Title]", 1)[1].splitlines()
    rows = cols = 0
    cells = []
    for line in lines:
        if m := re.match(r"table \d+: (\d+)x(\d+)$", line):
            top = rows
            rows, cols = rows + int(m[1]), int(m[2])
        elif m := re.match(r"  r(\d+)c(\d+) \[(\d+)x(\d+)\] (.*)$", line):
            cells.append((top + int(m[1]) - 1, int(m[2]) - 1, int(m[3]), int(m[4]), m[5]))
    return rows, cols, cells


@pytest.mark.parametrize("slug", SEEDS)
def test_score_table_matches_the_layout(rendered, slug):
    """The 自评表 is the Grid, cell for cell, span for span; the indicator block is a table of its
    own whose heading row repeats, so a label reaching down from that row (绩效指标) is cut into
    the label and a blank cell under it."""
    r, data = rendered[slug]
    grid = score_table(r.evaluation, r.figures)
    expected = []
    for c in grid.cells:
        text = c.text.replace(chr(10), "⏎")
        if c.row == grid.indicator_row and c.rowspan > 1:
            expected += [(c.row, c.col, 1, c.colspan, text), (c.row + 1, c.col, c.rowspan - 1, c.colspan, "")]
        else:
            expected.append((c.row, c.col, c.rowspan, c.colspan, text))
    rows, cols, cells = score_table_cells(data)
    assert (rows, cols) == (grid.n_rows, grid.n_cols)
    assert sorted(cells) == sorted(expected)


@pytest.mark.parametrize("slug", SEEDS)
def test_indicator_heading_row_repeats(rendered, slug):
    """The table holding the indicator block starts with the heading row (一级指标 …), the one row
    it repeats on continuation pages, and keeps that row with the row under it."""
    r, data = rendered[slug]
    grid = score_table(r.evaluation, r.figures)
    body = Document(io.BytesIO(data)).element.body
    tables = body.findall(qn("w:tbl"))
    indicator_table = tables[-1]
    rows = indicator_table.findall(qn("w:tr"))
    heading = [t.text for t in rows[0].iter(qn("w:t"))]
    assert "一级指标" in heading and "得分" in heading
    repeat = [tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in rows]
    assert repeat == [True] + [False] * (len(rows) - 1)
    assert all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in rows[0].iter(qn("w:p")))
    if grid.indicator_row:   # a block under other rows: its own table, right under the first
        joint = indicator_table.getprevious()
        assert joint.tag == qn("w:p") and joint.getprevious() is tables[-2]


@pytest.mark.parametrize("slug", SEEDS)
def test_attachment_starts_a_new_page_with_its_label(rendered, slug):
    r, data = rendered[slug]
    lines = dump(data).splitlines()
    label = next(i for i, line in enumerate(lines) if line.startswith("[Attachment Label]"))
    assert "⤓" in lines[label] and lines[label].endswith(f"{r.evaluation.attachment}")


def test_pandoc_reads_the_output_back(rendered, tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(rendered["2023/enterprise-service"][1])
    text = pypandoc.convert_file(str(path), "plain", format="docx")
    assert "总得分93.36分" in text and "74.66%" in text
