"""The rendered pages measured, as a reviewer's ruler would: every character of the 自评表 inside
its cell and clear of the rules, the indicator heading on top of every page the table continues
on, no heading row left at a page foot, 28 characters to a body line, and a contact sheet of every
report. LibreOffice renders; pdfplumber reads the characters and the ruling lines back."""
from __future__ import annotations

import shutil
from collections import defaultdict

import pytest

from conftest import ROOT
from generator.layout import score_table
from generator.pipeline import evaluate
from generator.render.document import render_docx
from generator.render.pdf import convert, soffice

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber is in the dev extra: pip install -e '.[dev]'")

SEEDS = ["2020/warm-enterprise", "2020/it-integration", "2022/enterprise-service-center",
         "2022/enterprise-association", "2023/enterprise-service"]
CLEAR_V = 0.8      # pt between a character's box and the rule above or below it
CLEAR_H = 0.3      # pt between a character's box and the rule beside it
HEADING = "一级指标"

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run "
                                "installs libreoffice-writer-nogui for CI")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("geometry")
    docs = {}
    for slug in SEEDS:
        r = evaluate(ROOT / "sources" / f"{slug}.yaml")
        path = out / f"{slug.replace('/', '-')}.docx"
        path.write_bytes(render_docx(r.evaluation, r.figures, r.texts, grid=score_table(r.evaluation, r.figures)))
        docs[slug] = path
    convert(list(docs.values()))
    return {slug: path.with_suffix(".pdf") for slug, path in docs.items()}


def table_pages(pdf) -> list:
    """The pages of the 自评表: from the one with its title (项目支出绩效自评表 / 自评价评分表) on."""
    for i, page in enumerate(pdf.pages):
        text = (page.extract_text() or "").replace(" ", "")
        if "项目支出绩效自评表" in text or "自评价评分表" in text:
            return pdf.pages[i:]
    raise AssertionError("no 自评表 title in the PDF")


def tables_of(page) -> list:
    return page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})


def rows_of(page, table) -> list[str]:
    """The text of each row band of a table, top to bottom (row bands from the horizontal rules)."""
    bands = sorted({(round(c[1], 1), round(c[3], 1)) for c in table.cells})
    rows = []
    for top, bottom in bands:
        chars = [ch for ch in page.chars if top <= (ch["top"] + ch["bottom"]) / 2 <= bottom
                 and table.bbox[0] <= ch["x0"] <= table.bbox[2]]
        rows.append("".join(ch["text"] for ch in sorted(chars, key=lambda ch: (ch["x0"], ch["top"]))))
    return rows


@pytest.mark.parametrize("slug", SEEDS)
def test_every_character_sits_inside_its_cell_clear_of_the_rules(pdfs, slug):
    with pdfplumber.open(pdfs[slug]) as pdf:
        problems = []
        for page in table_pages(pdf):
            for table in tables_of(page):
                x0, top, x1, bottom = table.bbox
                for ch in page.chars:
                    if ch["text"].isspace():
                        continue
                    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
                    if not (x0 < cx < x1 and top < cy < bottom):
                        continue
                    holding = [c for c in table.cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]]
                    assert holding, f"{slug} p{page.page_number}: {ch['text']!r} in no cell"
                    cell = min(holding, key=lambda c: (c[2] - c[0]) * (c[3] - c[1]))
                    gaps = (ch["top"] - cell[1], cell[3] - ch["bottom"], ch["x0"] - cell[0], cell[2] - ch["x1"])
                    if min(gaps[:2]) < CLEAR_V or min(gaps[2:]) < CLEAR_H:
                        problems.append(f"p{page.page_number} {ch['text']!r} gaps {[round(g, 1) for g in gaps]}")
        assert not problems, f"{slug}: characters touching or crossing a rule: {problems[:10]}"


@pytest.mark.parametrize("slug", SEEDS)
def test_indicator_heading_tops_every_continuation_page_and_never_ends_one(pdfs, slug):
    with pdfplumber.open(pdfs[slug]) as pdf:
        pages = table_pages(pdf)
        seen_heading = False
        for n, page in enumerate(pages):
            tables = tables_of(page)
            if not tables:
                continue
            rows = [row for table in tables for row in rows_of(page, table)]
            if n and seen_heading:                       # the table continues on this page
                assert HEADING in rows[0], f"{slug} p{page.page_number} starts with {rows[0][:30]!r}"
            assert HEADING not in rows[-1], f"{slug} p{page.page_number} ends with the heading row"
            seen_heading = seen_heading or any(HEADING in row for row in rows)
        assert seen_heading, f"{slug}: no indicator heading row found"


@pytest.mark.parametrize("slug", SEEDS)
def test_a_body_line_holds_28_characters(pdfs, slug):
    """GB/T 9704: 28 characters of 3号 a line. The lines of Chinese characters only (no digits to
    stretch or squeeze them) on the body pages hold 28 inside the type area, never more (a closing
    。 may hang beyond it, as Word and WPS let it)."""
    with pdfplumber.open(pdfs[slug]) as pdf:
        counts = []
        for page in pdf.pages[:2]:
            right = page.width - 26 * 72 / 25.4                  # the right margin, 26 mm
            lines = defaultdict(list)
            for ch in page.chars:
                if round(ch["size"]) == 16 and not ch["text"].isspace() and ch["x1"] <= right + 1:
                    lines[round(ch["top"])].append(ch["text"])
            counts += [len(line) for line in lines.values() if all(ord(c) > 0x2E80 for c in line)]
        assert max(counts) == 28, f"{slug}: the fullest all-Chinese line holds {max(counts)} characters"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_contact_sheet_shows_every_page_side_by_side(pdfs, tmp_path):
    from PIL import Image

    from generator.render.proof import COLUMNS, proof_all
    year = tmp_path / "2020"
    year.mkdir()
    shutil.copy(pdfs["2020/it-integration"], year / "it-integration.pdf")
    [sheet] = proof_all(tmp_path)
    assert sheet == tmp_path / "proof" / "2020-it-integration.png"
    with pdfplumber.open(pdfs["2020/it-integration"]) as pdf:
        pages = len(pdf.pages)
    image = Image.open(sheet)
    rows = -(-pages // COLUMNS)
    assert image.width > image.height * (min(pages, COLUMNS) / rows) * 0.5    # pages side by side
    assert image.height > 300 * rows                                         # one A4 page tall a row


def test_proof_without_pdfs_says_what_to_do(tmp_path, capsys):
    from generator.render.proof import main
    assert main([str(tmp_path)]) == 2
    assert "make pdf" in capsys.readouterr().err
