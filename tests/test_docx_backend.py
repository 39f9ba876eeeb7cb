"""The Word backend: reference.docx from styles.yaml, the 自评表 table, footers, reproducible bytes."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pypandoc
import pytest
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from lxml import etree

from generator.grid import LABEL, TEXT, Cell, Grid
from generator.render.docx_table import add_score_table, mm_to_twips, style_narrative_tables
from generator.render.finish import finish, to_bytes
from generator.render.reference import reference_docx
from generator.styles import STYLES_PATH, load_styles

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WIDTHS_MM = (20, 30, 40, 50)


def part(data: bytes, name: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def small_grid() -> Grid:
    """3 rows x 4 columns: a 2x2 merge top left, a 1x3 merge at the bottom right."""
    cells = (
        Cell(0, 0, "项目资金", rowspan=2, colspan=2, role=LABEL),
        Cell(0, 2, "年初预算数", role=LABEL), Cell(0, 3, "全年执行数", role=LABEL),
        Cell(1, 2, "135.35"), Cell(1, 3, "第一行\n第二行", role=TEXT),
        Cell(2, 0, "总分", role=LABEL), Cell(2, 1, "偏差原因", colspan=3, role=TEXT),
    )
    return Grid(label="附件2", title="项目支出绩效自评表", subtitle="（2022年度）",
                widths_mm=tuple(Decimal(w) for w in WIDTHS_MM), n_rows=3, cells=cells,
                header_rows=1, notes=("备注：执行率=全年执行数/全年预算数。",))


def build() -> Document:
    document = Document(io.BytesIO(reference_docx()))
    document.add_paragraph("2022年度测试专项资金绩效自评报告", style="Title")
    document.add_paragraph("一、基本情况", style="Heading 1")
    document.add_paragraph(style="Body Text").add_run("正文 text").font.name = "Arial"
    add_score_table(document, small_grid())
    finish(document, "2022年度测试专项资金绩效自评报告")
    return document


@pytest.fixture(scope="module")
def ref() -> bytes:
    return reference_docx()


@pytest.fixture(scope="module")
def built() -> bytes:
    return to_bytes(build())


# -- reference.docx --------------------------------------------------------------------------------

def test_reference_page_setup(ref):
    section = Document(io.BytesIO(ref)).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert section.footer_distance.mm == pytest.approx(25.5, abs=0.05)
    grid = part(ref, "word/document.xml").find(f".//{W}sectPr/{W}docGrid")
    assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}linePitch") == "579"


@pytest.mark.parametrize("name, size, east_asia", [
    ("Normal", 16, "仿宋_GB2312"), ("Body Text", None, None), ("Title", 22, "方正小标宋简体"),
    ("Subtitle", 16, "楷体_GB2312"), ("Heading 1", 16, "黑体"), ("Heading 2", 16, "楷体_GB2312"),
    ("Heading 3", 16, "仿宋_GB2312"), ("Heading 4", 16, "仿宋_GB2312"), ("Footer", 14, "宋体"),
    ("Attachment Label", 16, "黑体"), ("Table Title", 18, "方正小标宋简体"),
    ("Table Text", 10.5, "仿宋_GB2312"), ("Table Note", 10.5, "仿宋_GB2312"),
    ("Table Caption", 14, "黑体"), ("Unit Line", 12, "仿宋_GB2312"), ("Compact", 10.5, "仿宋_GB2312"),
])
def test_reference_styles(ref, name, size, east_asia):
    style = Document(io.BytesIO(ref)).styles[name]
    assert (style.font.size.pt if style.font.size else None) == size
    fonts = style.element.find(f"{W}rPr/{W}rFonts")
    assert (fonts.get(f"{W}eastAsia") if fonts is not None else None) == east_asia
    if fonts is not None:        # digits of page numbers in 宋体 and of "附件2" in 黑体, as the label
        assert fonts.get(f"{W}ascii") == {"Footer": "宋体", "Attachment Label": "黑体"}.get(name, "Times New Roman")


def test_styles_match_the_yaml(ref):
    """Every size and East Asian font written in styles.yaml reaches the reference."""
    styles = Document(io.BytesIO(ref)).styles
    for name, spec in load_styles(STYLES_PATH)["styles"].items():
        if "size" in spec:
            assert styles[name].font.size.pt == spec["size"], name
        if "east_asia" in spec:
            assert styles[name].element.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == spec["east_asia"]


def test_reference_has_no_theme_fonts_or_colours(ref):
    styles = part(ref, "word/styles.xml")
    for rpr in styles.iter(f"{W}rPr"):
        for el in rpr.iter():
            assert not [k for k in el.attrib if "theme" in k.lower()], etree.tostring(el)
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "仿宋_GB2312"


def test_body_and_heading_paragraph_format(ref):
    styles = Document(io.BytesIO(ref)).styles
    normal = styles["Normal"].paragraph_format
    assert normal.line_spacing.pt == pytest.approx(28.95) and normal.space_after.pt == 0
    for name in ("Body Text", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        ind = styles[name].element.find(f"{W}pPr/{W}ind")
        assert ind.get(f"{W}firstLineChars") == "200" and ind.get(f"{W}firstLine") == "640", name
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = styles[name]
        assert style.font.bold is False and str(style.font.color.rgb) == "000000"
        # titles keep with their text; numbered sentences (1．, （1）) do not chain down a page
        assert style.paragraph_format.keep_with_next is (name in ("Heading 1", "Heading 2"))


def test_reference_is_deterministic(ref):
    assert reference_docx() == ref
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zipfile.ZipFile(io.BytesIO(ref)).infolist())
    assert not Document(io.BytesIO(ref)).paragraphs            # pandoc's sample text is gone


# -- the 自评表 --------------------------------------------------------------------------------------

def test_score_table_structure(built):
    body = part(built, "word/document.xml").find(f"{W}body")
    tbl = body.find(f"{W}tbl")
    tbl_pr = tbl.find(f"{W}tblPr")
    assert tbl_pr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    assert tbl_pr.find(f"{W}jc").get(f"{W}val") == "center"
    twips = [mm_to_twips(w) for w in small_grid().widths_mm]   # the layout decides widths; Word prints them
    assert tbl_pr.find(f"{W}tblW").get(f"{W}w") == str(sum(twips))
    assert [int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol")] == twips
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert tbl_pr.find(f"{W}tblBorders/{W}{edge}").get(f"{W}val") == "single"

    rows = tbl.findall(f"{W}tr")
    def shape(tc):
        pr = tc.find(f"{W}tcPr")
        span = pr.find(f"{W}gridSpan")
        merge = pr.find(f"{W}vMerge")
        return (int(span.get(f"{W}val")) if span is not None else 1,
                None if merge is None else merge.get(f"{W}val", "continue"))
    assert [[shape(tc) for tc in tr.findall(f"{W}tc")] for tr in rows] == [
        [(2, "restart"), (1, None), (1, None)],
        [(2, "continue"), (1, None), (1, None)],
        [(1, None), (3, None)],
    ]
    assert [int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for tc in rows[2].findall(f"{W}tc")] == [
        twips[0], sum(twips[1:])]
    for tc in tbl.iter(f"{W}tc"):
        for edge in ("top", "left", "bottom", "right"):
            assert tc.find(f"{W}tcPr/{W}tcBorders/{W}{edge}").get(f"{W}val") == "single"
    assert [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows] == [True, False, False]
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)


def test_score_table_content():
    document = Document(io.BytesIO(reference_docx()))
    add_score_table(document, small_grid())
    label, title, subtitle = document.paragraphs[:3]
    assert [p.style.name for p in (label, title, subtitle)] == ["Attachment Label", "Table Title", "Table Subtitle"]
    assert label.paragraph_format.page_break_before is True
    assert document.paragraphs[-1].style.name == "Table Note"
    table = document.tables[0]
    cells = table._cells
    merged = cells[0]
    assert merged.text == "项目资金" and cells[1] is merged and cells[4] is merged and cells[5] is merged
    assert merged.paragraphs[0].alignment == WD_PARAGRAPH_ALIGNMENT.CENTER
    two_lines = cells[7]
    assert [p.text for p in two_lines.paragraphs] == ["第一行", "第二行"]
    assert all(p.style.name == "Table Text" for p in two_lines.paragraphs)
    assert cells[9].paragraphs[0].alignment == WD_PARAGRAPH_ALIGNMENT.LEFT
    assert all(c.vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER for c in cells)


def test_cell_outside_the_grid_is_an_error():
    grid = small_grid()
    bad = Grid(grid.label, grid.title, grid.subtitle, grid.widths_mm, grid.n_rows,
               grid.cells + (Cell(2, 3, "x", colspan=2),))
    with pytest.raises(ValueError):
        add_score_table(Document(io.BytesIO(reference_docx())), bad)


def test_narrative_tables_from_pandoc_are_ruled_and_centred(tmp_path, ref):
    (tmp_path / "ref.docx").write_bytes(ref)
    markdown = "| 项目 | 全年预算数 |\n|---|---:|\n| 年度资金总额 | 135.35 |\n\n: 表1-2-1 年度预算安排及使用情况统计表\n"
    out = tmp_path / "narrative.docx"
    pypandoc.convert_text(markdown, "docx", format="markdown", outputfile=str(out),
                          extra_args=[f"--reference-doc={tmp_path / 'ref.docx'}"])
    document = Document(str(out))
    assert any(p.style.name == "Table Caption" for p in document.paragraphs)
    style_narrative_tables(document)
    tbl = document.tables[0]._tbl
    assert tbl.find(f"{W}tblPr/{W}jc").get(f"{W}val") == "center"
    assert tbl.find(f"{W}tblPr/{W}tblBorders/{W}insideV").get(f"{W}val") == "single"
    rows = tbl.findall(f"{W}tr")
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert Document(io.BytesIO(to_bytes(document))).tables[0].cell(1, 1).text == "135.35"


# -- finish and bytes ------------------------------------------------------------------------------

def test_footers_and_settings(built):
    document = Document(io.BytesIO(built))
    assert document.settings.odd_and_even_pages_header_footer is True
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_PARAGRAPH_ALIGNMENT.RIGHT and round(odd.paragraph_format.right_indent.pt) == 14
    assert even.alignment == WD_PARAGRAPH_ALIGNMENT.LEFT and round(even.paragraph_format.left_indent.pt) == 14
    for paragraph in (odd, even):
        assert paragraph.style.name == "Footer"
        assert paragraph.text.startswith("\u2014 ") and paragraph.text.endswith(" \u2014")
        xml = etree.tostring(paragraph._p, encoding="unicode")
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    assert not section.header.paragraphs or not section.header.paragraphs[0].text
    assert round(section.footer_distance.mm, 1) == 25.5


def test_runs_get_east_asian_font_and_properties_are_fixed(built):
    document = Document(io.BytesIO(built))
    run = next(p for p in document.paragraphs if p.style.name == "Body Text").runs[0]
    fonts = run._r.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == "Arial" and fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    props = document.core_properties
    assert props.title == "2022年度测试专项资金绩效自评报告" and props.author == ""
    assert props.created.year == 2000 and props.modified.year == 2000 and props.revision == 1


def test_to_bytes_is_reproducible(built):
    assert to_bytes(build()) == built
    names = zipfile.ZipFile(io.BytesIO(built)).namelist()
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]


def test_finish_twice_changes_nothing(built):
    document = build()
    finish(document, "2022年度测试专项资金绩效自评报告")
    assert to_bytes(document) == built


def test_output_reopens_and_pandoc_reads_it(built, tmp_path):
    path = tmp_path / "out.docx"
    path.write_bytes(built)
    assert Document(str(path)).tables[0].rows[2].cells[1].text == "偏差原因"
    text = pypandoc.convert_file(str(path), "plain", format="docx")
    assert "项目支出绩效自评表" in text and "偏差原因" in text and "135.35" in text
