"""A draft (render_docx(..., draft=[…])): a 草稿 watermark behind every page and the problems on a
last page, still a valid document; without `draft`, no trace of either."""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from conftest import ROOT
from generator.pipeline import evaluate
from generator.render.document import render_docx

V = "{urn:schemas-microsoft-com:vml}"
VALIDATOR = Path(__file__).resolve().parents[2] / "shared" / "tools" / "ooxml_validate.py"
PROBLEMS = ["sources/2020/it-integration.yaml:58:3: E-WEIGHT the weights sum to 110, not 100",
            "sources/2020/it-integration.yaml:95:9: E-REASON 得分 9.00 is below its 分值 10"]


@pytest.fixture(scope="module")
def source():
    return evaluate(ROOT / "sources" / "2020" / "it-integration.yaml")


@pytest.fixture(scope="module")
def draft(source) -> bytes:
    return render_docx(source.evaluation, source.figures, source.texts, draft=PROBLEMS)


def watermarks(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [path.get("string") for name in z.namelist() if name.startswith("word/header")
                for path in etree.fromstring(z.read(name)).iter(f"{V}textpath") if path.get("string")]


def test_every_page_carries_the_watermark(draft):
    document = Document(io.BytesIO(draft))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for header in (section.header, section.even_page_header):       # odd and even pages
        assert not header.is_linked_to_previous
    assert not section.different_first_page_header_footer
    assert watermarks(draft) == ["草稿", "草稿"]


def test_last_page_lists_the_problems(draft):
    paragraphs = Document(io.BytesIO(draft)).paragraphs
    title = next(i for i, p in enumerate(paragraphs) if p.text == "草稿问题清单")
    assert paragraphs[title].paragraph_format.page_break_before
    assert [p.text for p in paragraphs[title + 1:]] == [f"{n}．{text}" for n, text in enumerate(PROBLEMS, 1)]


def test_a_draft_without_problems_still_says_so(source):
    paragraphs = Document(io.BytesIO(render_docx(source.evaluation, source.figures, source.texts, draft=[]))).paragraphs
    assert [p.text for p in paragraphs[-2:]] == ["草稿问题清单", "无。"]


def test_a_report_is_no_draft(source):
    data = render_docx(source.evaluation, source.figures, source.texts)
    assert watermarks(data) == [] and "草稿问题清单" not in [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_drafts_are_reproducible(source, draft):
    assert render_docx(source.evaluation, source.figures, source.texts, draft=PROBLEMS) == draft


@pytest.mark.skipif(not VALIDATOR.exists(), reason=f"the OOXML validator is not beside the project ({VALIDATOR})")
def test_draft_validates(draft, tmp_path):
    path = tmp_path / "draft.docx"
    path.write_bytes(draft)
    result = subprocess.run([sys.executable, str(VALIDATOR), str(path)], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1].startswith("ooxml_validate: 0 violations"), result.stdout[-3000:]
