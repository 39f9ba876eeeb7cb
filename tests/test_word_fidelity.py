"""What Word and WPS read differently, checked on every sample's built .docx and .xlsx: the ECMA-376
schemas and Word's own rules (the OOXML validator beside the project), the compatibility settings,
the declared Chinese fonts, the page grid, and column widths that agree between w:gridCol (WPS) and
w:tcW (Word)."""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT
from generator.layout import score_table
from generator.pipeline import evaluate
from generator.render.document import render_docx
from generator.render.finish import fonts_named
from generator.styles import load_styles

try:                                         # the workbook renderer is moving into render/
    from generator.render.xlsx import workbook_bytes
except ImportError:
    from generator.workbook import workbook_bytes

SEEDS = ["2020/warm-enterprise", "2020/it-integration", "2022/enterprise-service-center",
         "2022/enterprise-association", "2023/enterprise-service"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VALIDATOR = Path(__file__).resolve().parents[2] / "shared" / "tools" / "ooxml_validate.py"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    out = tmp_path_factory.mktemp("fidelity")
    files = {}
    for slug in SEEDS:
        r = evaluate(ROOT / "sources" / f"{slug}.yaml")
        grid = score_table(r.evaluation, r.figures)
        docx, xlsx = out / f"{slug.replace('/', '-')}.docx", out / f"{slug.replace('/', '-')}.xlsx"
        docx.write_bytes(render_docx(r.evaluation, r.figures, r.texts, grid=grid))
        xlsx.write_bytes(workbook_bytes(grid))
        files[slug] = (docx, xlsx)
    return files


def part(path: Path, name: str):
    return etree.fromstring(zipfile.ZipFile(path).read(name))


@pytest.mark.skipif(not VALIDATOR.exists(), reason=f"the OOXML validator is not beside the project ({VALIDATOR})")
@pytest.mark.parametrize("slug", SEEDS)
def test_schemas_and_word_rules_hold(built, slug):
    result = subprocess.run([sys.executable, str(VALIDATOR), *map(str, built[slug])],
                            capture_output=True, text=True)
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("ooxml_validate: 0 violations"), result.stdout[-3000:]


@pytest.mark.parametrize("slug", SEEDS)
def test_settings_open_in_the_current_layout_engine(built, slug):
    settings = part(built[slug][0], "word/settings.xml")
    compat = settings.find(f"{W}compat")
    names = [etree.QName(child).localname for child in compat]
    assert {"useFELayout", "balanceSingleByteDoubleByteWidth", "adjustLineHeightInTable"} <= set(names)
    mode = compat.find(f"{W}compatSetting[@{W}name='compatibilityMode']")
    assert mode.get(f"{W}val") == "15"
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"


@pytest.mark.parametrize("slug", SEEDS)
def test_font_table_declares_the_chinese_fonts(built, slug):
    fonts = {f.get(f"{W}name"): f for f in part(built[slug][0], "word/fontTable.xml")}
    for name in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"):
        font = fonts[name]
        assert font.find(f"{W}charset").get(f"{W}val") == "86", name
        assert font.find(f"{W}altName").get(f"{W}val"), name
        assert len(font.find(f"{W}panose1").get(f"{W}val")) == 20, name


def test_every_font_a_style_names_is_declared():
    spec = load_styles()
    assert fonts_named(spec) <= set(spec["fonts"]["declare"])


@pytest.mark.parametrize("slug", SEEDS)
def test_no_dangling_base_style_and_no_stale_app_counts(built, slug):
    styles = part(built[slug][0], "word/styles.xml")
    ids = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
    assert {b.get(f"{W}val") for b in styles.iter(f"{W}basedOn")} <= ids
    app = part(built[slug][0], "docProps/app.xml")
    tags = {etree.QName(child).localname: child.text for child in app}
    assert tags["Application"] == "selfeval"
    assert not {"Pages", "Words", "Lines", "Characters", "AppVersion"} & set(tags)


@pytest.mark.parametrize("slug", SEEDS)
def test_page_grid_is_22_lines_and_the_body_closes_up_to_28_characters(built, slug):
    document = part(built[slug][0], "word/document.xml")
    for grid in document.iter(f"{W}docGrid"):
        assert grid.get(f"{W}linePitch") == "579"
    normal = next(s for s in part(built[slug][0], "word/styles.xml").iter(f"{W}style")
                  if s.get(f"{W}styleId") == "Normal")
    # 156 mm (8844 twips) / 28 = 15.79 pt a character: 3号 (16 pt) closed up by 0.25 pt
    assert normal.find(f"{W}rPr/{W}spacing").get(f"{W}val") == "-5"


@pytest.mark.parametrize("slug", SEEDS)
def test_grid_columns_equal_cell_widths(built, slug):
    """WPS takes column widths from w:gridCol, Word from w:tcW: every cell's tcW is the sum of the
    gridCol widths it spans, in every table."""
    document = part(built[slug][0], "word/document.xml")
    tables = list(document.iter(f"{W}tbl"))
    assert tables
    for tbl in tables:
        cols = [int(c.get(f"{W}w")) for c in tbl.find(f"{W}tblGrid")]
        assert int(tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w")) == sum(cols)
        for tr in tbl.iter(f"{W}tr"):
            at = 0
            for tc in tr.iter(f"{W}tc"):
                span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                width = tc.find(f"{W}tcPr/{W}tcW")
                assert width.get(f"{W}type") == "dxa" and int(width.get(f"{W}w")) == sum(cols[at:at + span])
                at += span
            assert at == len(cols)


def test_a_bureau_printing_in_fangsong_changes_one_line(tmp_path):
    """fonts.fangsong in styles.yaml names the body font everywhere, and the font table follows."""
    import shutil
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    styles = templates / "styles.yaml"
    text = styles.read_text(encoding="utf-8")
    assert "fangsong: &fangsong 仿宋_GB2312" in text
    styles.write_text(text.replace("fangsong: &fangsong 仿宋_GB2312", "fangsong: &fangsong 仿宋"), encoding="utf-8")
    r = evaluate(ROOT / "sources" / "2022" / "enterprise-association.yaml")
    path = tmp_path / "fangsong.docx"
    path.write_bytes(render_docx(r.evaluation, r.figures, r.texts, templates=templates))
    normal = next(s for s in part(path, "word/styles.xml").iter(f"{W}style") if s.get(f"{W}styleId") == "Normal")
    assert normal.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "仿宋"
    fonts = {f.get(f"{W}name"): f for f in part(path, "word/fontTable.xml")}
    assert fonts["仿宋"].find(f"{W}altName").get(f"{W}val") == "FangSong" and "仿宋_GB2312" not in fonts
