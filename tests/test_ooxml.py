"""Each helper of render/ooxml.py on a small XML snippet, before and after (as python-docx tests its
own oxml layer): the schema position of what it inserts, what it keeps and what it removes."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

from generator.render import ooxml


def el(xml: str):
    """An oxml element from XML whose root is `<w:…>`; the w: namespace is declared for it."""
    tag_end = re.match(r"<[\w:]+", xml).end()
    return parse_xml(xml[:tag_end] + " " + nsdecls("w") + xml[tag_end:])


def same(element, expected: str) -> None:
    """`element` serialises to the XML `expected` (namespaces declared on the root)."""
    assert etree.tostring(element, encoding="unicode") == etree.tostring(el(expected), encoding="unicode")


# -- fonts and styles ------------------------------------------------------------------------------

@pytest.mark.parametrize("before, after", [
    ("<w:rPr/>",
     '<w:rPr><w:rFonts w:ascii="T" w:hAnsi="T" w:eastAsia="仿宋_GB2312" w:cs="T" w:hint="eastAsia"/></w:rPr>'),
    ('<w:rPr><w:b/><w:rFonts w:asciiTheme="minorHAnsi"/></w:rPr>',   # existing slot reused, theme gone
     '<w:rPr><w:b/><w:rFonts w:ascii="T" w:hAnsi="T" w:eastAsia="仿宋_GB2312" w:cs="T" w:hint="eastAsia"/></w:rPr>'),
    ('<w:rPr><w:sz w:val="32"/></w:rPr>',                             # rFonts comes first
     '<w:rPr><w:rFonts w:ascii="T" w:hAnsi="T" w:eastAsia="仿宋_GB2312" w:cs="T" w:hint="eastAsia"/>'
     '<w:sz w:val="32"/></w:rPr>'),
])
def test_set_fonts(before, after):
    rpr = el(before)
    ooxml.set_fonts(rpr, "T", "仿宋_GB2312")
    same(rpr, after)


@pytest.mark.parametrize("xml, expected", [
    ('<w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr>', "黑体"),
    ('<w:style><w:rPr><w:rFonts w:ascii="T"/></w:rPr></w:style>', None),
    ("<w:style/>", None),
])
def test_east_asia_font(xml, expected):
    assert ooxml.east_asia_font(el(xml)) == expected


def test_strip_theme_drops_theme_attributes_and_empty_fonts():
    root = el('<w:styles><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/>'
              '<w:color w:val="0F4761" w:themeColor="accent1"/></w:rPr>'
              '<w:rPr><w:rFonts w:ascii="T" w:hAnsiTheme="minorHAnsi"/></w:rPr></w:styles>')
    ooxml.strip_theme(root)
    same(root, '<w:styles><w:rPr><w:color w:val="0F4761"/></w:rPr>'
               '<w:rPr><w:rFonts w:ascii="T"/></w:rPr></w:styles>')


def test_reset_style_keeps_the_outline_level():
    style = el('<w:style><w:name w:val="heading 1"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr>'
               '<w:rPr><w:b/></w:rPr></w:style>')
    ooxml.reset_style(style)
    same(style, '<w:style><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr/></w:style>')


def test_sync_linked_character_style_copies_run_properties():
    styles = el('<w:styles><w:style w:styleId="H1"><w:link w:val="H1Char"/><w:rPr><w:sz w:val="32"/></w:rPr>'
                '</w:style><w:style w:styleId="H1Char"><w:rPr><w:color w:val="0000FF"/></w:rPr></w:style></w:styles>')
    ooxml.sync_linked_character_style(styles, styles[0])
    same(styles[1], '<w:style w:styleId="H1Char"><w:rPr><w:sz w:val="32"/></w:rPr></w:style>')


def test_set_doc_defaults():
    styles = el('<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:spacing w:after="200" w:line="276"/>'
                '</w:pPr></w:pPrDefault></w:docDefaults><w:style/></w:styles>')
    ooxml.set_doc_defaults(styles, "T", "仿宋_GB2312", 16)
    same(styles, '<w:styles><w:docDefaults><w:rPrDefault><w:rPr>'
                 '<w:rFonts w:ascii="T" w:hAnsi="T" w:eastAsia="仿宋_GB2312" w:cs="T" w:hint="eastAsia"/>'
                 '<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:rPrDefault>'
                 '<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault>'
                 '</w:docDefaults><w:style/></w:styles>')


def test_set_size_cs():
    rpr = el('<w:rPr><w:sz w:val="21"/><w:lang w:val="zh-CN"/></w:rPr>')
    ooxml.set_size_cs(rpr, 10.5)
    same(rpr, '<w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="zh-CN"/></w:rPr>')


def test_set_indent_chars_replaces_a_hanging_indent():
    ppr = el('<w:pPr><w:ind w:left="0" w:hanging="360" w:hangingChars="100"/><w:jc w:val="left"/></w:pPr>')
    ooxml.set_indent_chars(ppr, first_line=200)
    same(ppr, '<w:pPr><w:ind w:left="0" w:firstLineChars="200"/><w:jc w:val="left"/></w:pPr>')


def test_set_snap_to_grid_goes_before_spacing():
    ppr = el('<w:pPr><w:keepNext/><w:spacing w:line="240"/></w:pPr>')
    ooxml.set_snap_to_grid(ppr, False)
    same(ppr, '<w:pPr><w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:line="240"/></w:pPr>')


# -- sections --------------------------------------------------------------------------------------

def test_set_doc_grid_replaces_the_old_grid():
    sect = el('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:docGrid w:linePitch="360"/></w:sectPr>')
    ooxml.set_doc_grid(sect, "lines", 579)
    same(sect, '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr>')


def test_clear_content_keeps_the_body_section():
    body = el('<w:body><w:p/><w:tbl/><w:sectPr/></w:body>')
    ooxml.clear_content(body)
    same(body, "<w:body><w:sectPr/></w:body>")


def test_add_page_field():
    from docx import Document
    paragraph = Document().add_paragraph()
    ooxml.add_page_field(paragraph)
    runs = paragraph._p.findall(f"{{{W}}}r")
    assert [etree.QName(r[0]).localname for r in runs] == ["fldChar", "instrText", "fldChar", "t", "fldChar"]
    assert runs[1][0].text == " PAGE " and runs[3][0].text == "1"


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_fill_east_asia_names_the_style_font_where_only_latin_is_named():
    body = el('<w:body><w:p><w:pPr><w:pStyle w:val="H1"/></w:pPr>'
              '<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsiaTheme="minorEastAsia"/></w:rPr></w:r>'
              '<w:r><w:rPr><w:rFonts w:ascii="A" w:eastAsia="宋体"/></w:rPr></w:r><w:r/></w:p></w:body>')
    ooxml.fill_east_asia(body, lambda style_id: {"H1": "黑体"}.get(style_id))
    same(body, '<w:body><w:p><w:pPr><w:pStyle w:val="H1"/></w:pPr>'
               '<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="黑体"/></w:rPr></w:r>'
               '<w:r><w:rPr><w:rFonts w:ascii="A" w:eastAsia="宋体"/></w:rPr></w:r><w:r/></w:p></w:body>')


# -- tables ----------------------------------------------------------------------------------------

RULE = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'


def tbl(rows: str, cols: int = 2) -> object:
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(cols))
    return el(f"<w:tbl><w:tblPr><w:tblStyle w:val=\"Table\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr>"
              f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>")


def test_set_table_frame():
    table = tbl("")
    ooxml.set_table_frame(table, 2000, 4, {"top": 0, "left": 57, "bottom": 0, "right": 57})
    borders = "".join(f"<w:{s} {RULE}/>" for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    same(table.tblPr, f'<w:tblPr><w:tblStyle w:val="Table"/><w:tblW w:w="2000" w:type="dxa"/>'
                      f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
                      '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
                      '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
                      '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
                      'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>')


def test_set_table_borders_rewrites_existing_edges():
    table = tbl("")
    table.tblPr.append(el('<w:tblBorders><w:top w:val="double" w:sz="12"/></w:tblBorders>'))
    ooxml.set_table_borders(table, 4)
    edges = table.tblPr.find(f"{{{W}}}tblBorders")
    assert [etree.QName(e).localname for e in edges] == ["top", "left", "bottom", "right", "insideH", "insideV"]
    assert {e.get(f"{{{W}}}val") for e in edges} == {"single"}


def test_set_cells_gives_each_tc_the_width_of_its_columns_and_its_own_edges():
    table = tbl('<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc></w:tr>'
                '<w:tr><w:tc><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>')
    ooxml.set_cells(table, [600, 1400], 4)
    edges = "".join(f"<w:{s} {RULE}/>" for s in ("top", "left", "bottom", "right"))
    same(table.tr_lst[0].tc_lst[0].tcPr, f'<w:tcPr><w:tcW w:w="2000" w:type="dxa"/><w:gridSpan w:val="2"/>'
                                        f'<w:tcBorders>{edges}</w:tcBorders><w:vAlign w:val="center"/></w:tcPr>')
    same(table.tr_lst[1].tc_lst[1].tcPr, f'<w:tcPr><w:tcW w:w="1400" w:type="dxa"/><w:vMerge/>'
                                        f'<w:tcBorders>{edges}</w:tcBorders><w:vAlign w:val="center"/></w:tcPr>')


def test_join_vertically_removes_the_rule_between_two_cells():
    table = tbl("<w:tr><w:tc><w:p/></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc></w:tr>", cols=1)
    ooxml.set_cells(table, [1000], 4)
    upper, lower = (tr.tc_lst[0] for tr in table.tr_lst)
    ooxml.join_vertically(upper, lower)
    assert upper.find(f"{{{W}}}tcPr/{{{W}}}tcBorders/{{{W}}}bottom").get(f"{{{W}}}val") == "nil"
    assert lower.find(f"{{{W}}}tcPr/{{{W}}}tcBorders/{{{W}}}top").get(f"{{{W}}}val") == "nil"
    assert upper.find(f"{{{W}}}tcPr/{{{W}}}tcBorders/{{{W}}}top").get(f"{{{W}}}val") == "single"


def test_keep_with_next_marks_the_heading_rows_paragraphs():
    table = tbl("<w:tr><w:tc><w:p/><w:p/></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc></w:tr>", cols=1)
    ooxml.keep_with_next(table, 1)
    keep = [p.find(f"{{{W}}}pPr/{{{W}}}keepNext") is not None for p in table.iter(f"{{{W}}}p")]
    assert keep == [True, True, False]


def test_set_hidden_mark():
    style = el('<w:style w:styleId="TableJoint"><w:name w:val="Table Joint"/><w:rPr><w:sz w:val="2"/></w:rPr></w:style>')
    ooxml.set_hidden_mark(style)
    same(style.rPr, '<w:rPr><w:vanish/><w:sz w:val="2"/></w:rPr>')


@pytest.mark.parametrize("text, runs", [
    ("5-10个工作日", '<w:r><w:t>5</w:t><w:noBreakHyphen/><w:t>10个工作日</w:t></w:r>'),
    ("2019-2020", '<w:r><w:t>2019</w:t><w:noBreakHyphen/><w:t>2020</w:t></w:r>'),
    ("—", "<w:r><w:t>—</w:t></w:r>"),
    (" 5-10 ", '<w:r><w:t xml:space="preserve"> 5</w:t><w:noBreakHyphen/><w:t xml:space="preserve">10 </w:t></w:r>'),
    ("a - b", "<w:r><w:t>a - b</w:t></w:r>"),
])
def test_add_text_keeps_a_range_of_numbers_together(text, runs):
    p = el("<w:p/>")
    ooxml.add_text(p, text)
    same(p, f"<w:p>{runs}</w:p>")


def test_set_rows_marks_every_row_cant_split_and_the_first_as_header():
    table = tbl('<w:tr><w:tc><w:p/></w:tc></w:tr><w:tr><w:trPr><w:jc w:val="center"/></w:trPr><w:tc><w:p/></w:tc></w:tr>')
    ooxml.set_rows(table, header_rows=1)
    same(table.tr_lst[0].trPr, "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
    same(table.tr_lst[1].trPr, '<w:trPr><w:cantSplit/><w:jc w:val="center"/></w:trPr>')


def test_set_table_style_drops_conditional_formats():
    style = el('<w:style w:type="table" w:styleId="Table"><w:name w:val="Table"/>'
               '<w:tblStylePr w:type="firstRow"><w:tcPr/></w:tblStylePr></w:style>')
    ooxml.set_table_style(style, 4, {"top": 0, "left": 57, "bottom": 0, "right": 57})
    assert style.find(f"{{{W}}}tblStylePr") is None
    assert [etree.QName(c).localname for c in style] == ["name", "tblPr", "tcPr"]
    assert style.find(f"{{{W}}}tcPr/{{{W}}}vAlign").get(f"{{{W}}}val") == "center"


def test_merge_cells_spans_columns_and_rows():
    table = tbl("".join("<w:tr>" + '<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr><w:p/></w:tc>' * 3
                        + "</w:tr>" for _ in range(2)), cols=3)
    at = ooxml.cell_elements(table)
    top = ooxml.merge_cells(at, 0, 1, 2, 2)
    assert top is at[0][1]
    cell = '<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr><w:p/></w:tc>'
    merged = ('<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/><w:gridSpan w:val="2"/><w:vMerge{}/>'
              '</w:tcPr><w:p/></w:tc>')
    same(table.tr_lst[0], "<w:tr>" + cell + merged.format(' w:val="restart"') + "</w:tr>")
    same(table.tr_lst[1], "<w:tr>" + cell + merged.format("") + "</w:tr>")     # "continue" is the default
    assert [(r, c, rs, cs) for r, c, rs, cs, _ in ooxml.table_cells(table)] == \
        [(0, 0, 1, 1), (0, 1, 2, 2), (1, 0, 1, 1)]


def test_merge_cells_refuses_an_overlapping_merge():
    table = tbl("<w:tr>" + "<w:tc><w:p/></w:tc>" * 2 + "</w:tr>")
    at = ooxml.cell_elements(table)
    ooxml.merge_cells(at, 0, 0, 1, 2)
    with pytest.raises(ValueError, match="already merged"):
        ooxml.merge_cells(at, 0, 0, 1, 2)


def test_paragraph_properties_and_fill_cell():
    ppr = ooxml.paragraph_properties("TableText", "center")
    same(ppr, '<w:pPr><w:pStyle w:val="TableText"/><w:jc w:val="center"/></w:pPr>')
    tc = el('<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
    ooxml.fill_cell(tc, ["产出指标", "（50分）"], ppr)
    p = '<w:p><w:pPr><w:pStyle w:val="TableText"/><w:jc w:val="center"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>'
    same(tc, '<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
             + p.format("产出指标") + p.format("（50分）") + "</w:tc>")
    assert len(ooxml.cell_paragraphs(tc)) == 2


def test_table_cells_folds_vertical_merges_and_grid_columns():
    table = tbl('<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>'
                '<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>'
                '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc></w:tr>')
    assert [(r, c, rs, cs) for r, c, rs, cs, _ in ooxml.table_cells(table)] == \
        [(0, 0, 2, 1), (0, 1, 1, 1), (1, 1, 1, 1), (2, 0, 1, 2)]
    assert ooxml.grid_columns(table) == 2


# -- package ---------------------------------------------------------------------------------------

def test_normalize_package_fixes_order_and_times():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<d/>")
        z.writestr("_rels/.rels", "<r/>")
        z.writestr("[Content_Types].xml", "<t/>")
    once = ooxml.normalize_package(buffer.getvalue())
    infos = zipfile.ZipFile(io.BytesIO(once)).infolist()
    assert [i.filename for i in infos] == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert ooxml.normalize_package(once) == once


# -- settings, font table, styles part, app.xml (what Word and WPS read differently) ----------------

def test_set_compat_writes_options_in_schema_order_before_rsids():
    settings = el('<w:settings><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:useFELayout/>'
                  '</w:compat><w:rsids/><w:themeFontLang w:val="en-US"/></w:settings>')
    ooxml.set_compat(settings, ["useFELayout", "adjustLineHeightInTable", "balanceSingleByteDoubleByteWidth"])
    same(settings, '<w:settings><w:characterSpacingControl w:val="doNotCompress"/><w:compat>'
                   "<w:balanceSingleByteDoubleByteWidth/><w:adjustLineHeightInTable/><w:useFELayout/>"
                   '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
                   'w:val="15"/></w:compat><w:rsids/><w:themeFontLang w:val="en-US"/></w:settings>')


def test_set_theme_font_lang():
    settings = el('<w:settings><w:rsids/><w:themeFontLang w:val="en-US"/><w:decimalSymbol w:val="."/></w:settings>')
    ooxml.set_theme_font_lang(settings, "en-US", "zh-CN")
    same(settings, '<w:settings><w:rsids/><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
                   '<w:decimalSymbol w:val="."/></w:settings>')


def test_declare_fonts_replaces_an_entry_of_the_same_name():
    fonts = el('<w:fonts><w:font w:name="Aptos"><w:charset w:val="00"/></w:font>'
               '<w:font w:name="黑体"><w:charset w:val="00"/></w:font></w:fonts>')
    ooxml.declare_fonts(fonts, {"黑体": {"alt_name": "SimHei", "panose": "02010609060101010101",
                                       "charset": "86", "family": "modern", "pitch": "fixed"}})
    same(fonts, '<w:fonts><w:font w:name="Aptos"><w:charset w:val="00"/></w:font>'
                '<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/>'
                '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font></w:fonts>')


def test_drop_dangling_based_on():
    styles = el('<w:styles><w:style w:styleId="Normal"/><w:style w:styleId="Table"><w:name w:val="Table"/>'
                '<w:basedOn w:val="TableNormal"/></w:style><w:style w:styleId="Body"><w:basedOn w:val="Normal"/>'
                '</w:style></w:styles>')
    assert ooxml.drop_dangling_based_on(styles) == ["Table"]
    same(styles, '<w:styles><w:style w:styleId="Normal"/><w:style w:styleId="Table"><w:name w:val="Table"/>'
                 '</w:style><w:style w:styleId="Body"><w:basedOn w:val="Normal"/></w:style></w:styles>')


def test_app_properties_carry_no_counts():
    root = ooxml.parse_part(ooxml.app_properties("selfeval"))
    tags = [etree.QName(child).localname for child in root]
    assert root[0].text == "selfeval" and tags[0] == "Application"
    assert not {"Pages", "Words", "Characters", "Lines", "Paragraphs", "AppVersion", "TotalTime"} & set(tags)


def test_parse_and_serialize_part_round_trip():
    blob = ooxml.serialize_part(el('<w:fonts><w:font w:name="宋体"/></w:fonts>'))
    assert blob.startswith(b"<?xml") and ooxml.parse_part(blob)[0].get(f"{{{W}}}name") == "宋体"


def test_set_char_spacing_goes_before_the_size():
    rpr = el('<w:rPr><w:rFonts w:ascii="T"/><w:sz w:val="32"/></w:rPr>')
    ooxml.set_char_spacing(rpr, -5)
    same(rpr, '<w:rPr><w:rFonts w:ascii="T"/><w:spacing w:val="-5"/><w:sz w:val="32"/></w:rPr>')


def test_set_doc_grid_with_a_character_pitch():
    sect = el("<w:sectPr><w:docGrid/></w:sectPr>")
    ooxml.set_doc_grid(sect, "linesAndChars", 579, -842)
    same(sect, '<w:sectPr><w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/></w:sectPr>')


def test_grid_widths_set_and_read():
    table = tbl("", cols=3)
    ooxml.set_grid_widths(table, [1000, 2000, 3000])
    assert ooxml.grid_widths(table) == [1000, 2000, 3000]
    with pytest.raises(ValueError):
        ooxml.set_grid_widths(table, [1000])


def test_center_header_rows_only_touches_repeating_rows():
    table = tbl('<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:pPr><w:jc w:val="left"/></w:pPr></w:p>'
                '</w:tc><w:tc><w:p/></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>')
    ooxml.center_header_rows(table)
    jcs = [p.find(f"{{{W}}}pPr/{{{W}}}jc") for p in table.iter(f"{{{W}}}p")]
    assert [j.get(f"{{{W}}}val") if j is not None else None for j in jcs] == ["center", "center", None, None]


def test_add_watermark_writes_a_text_path_behind_the_text():
    p = el("<w:p/>")
    ooxml.add_watermark(p, "草稿", "黑体", "C0C0C0", number=1)
    v = "{urn:schemas-microsoft-com:vml}"
    pict = p.find(f"{{{W}}}r/{{{W}}}pict")
    assert p.find(f"{{{W}}}r/{{{W}}}rPr/{{{W}}}noProof") is not None
    shapetype, shape = pict
    assert shapetype.tag == f"{v}shapetype" and shapetype.get("id") == "_x0000_t136"
    assert shape.get("type") == "#_x0000_t136" and shape.get("id") == "PowerPlusWaterMarkObject1"
    assert "rotation:315" in shape.get("style") and "z-index:-" in shape.get("style")   # diagonal, behind
    assert shape.get("fillcolor") == "#C0C0C0" and shape.get("stroked") == "f"
    path = shape.find(f"{v}textpath")
    assert path.get("string") == "草稿" and '"黑体"' in path.get("style")


def test_row_cells_keeps_each_rows_cells_and_marks_vertical_continuations():
    """row_cells (the importer's view): per row, (first column, span, continues a vMerge, text)."""
    from docx import Document
    table = Document().add_table(rows=2, cols=3)
    a = table.cell(0, 0).merge(table.cell(1, 0))     # a vertical merge over two rows
    table.cell(0, 1).merge(table.cell(0, 2))         # a horizontal merge in the first row
    a.text = "一级"
    assert ooxml.row_cells(table) == [[(0, 1, False, "一级"), (1, 2, False, "")],
                                      [(0, 1, True, ""), (1, 1, False, ""), (2, 1, False, "")]]
