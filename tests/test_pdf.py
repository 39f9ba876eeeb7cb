"""Rendering as a person sees it: LibreOffice turns each seed's report into a PDF, and we read it
back. Skipped, with the reason, where LibreOffice or poppler is missing; .ci/run installs them."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from generator.build import build_one
from generator.render.pdf import convert, soffice

SEEDS = {  # slug → figures and headings that must appear in the PDF, in this order
    "2020/warm-enterprise": ["一、基本情况", "239.4", "215.2", "24.2", "七、其他需要说明的问题",
                             "附件2", "项目支出绩效自评表", "89.89%", "8.99", "95.99", "等级：优"],
    "2020/it-integration": ["一、基本情况", "五、主要经验及做法", "附件2", "84.67%", "8.47", "96.47"],
    "2022/enterprise-service-center": ["一、预算收支出情况", "135.35", "127.38", "7.97",
                                       "二、项目支出绩效情况", "附件14", "94.11%", "9.41", "99.41"],
    "2022/enterprise-association": ["一、基本情况", "二、项目支出绩效情况", "（一）协作配套类",
                                    "附件12", "100.00%", "10.00", "100.00"],
    "2023/enterprise-service": ["一、项目基本情况", "表1-2-1", "74.66%", "表1-2-2", "总得分93.36分",
                                "三、存在的问题和建议", "附表1", "自评价评分表", "7.09", "4.80"],
}

pytestmark = [
    pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs "
                       "libreoffice-writer-nogui for CI"),
    pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                       reason="poppler-utils (pdftotext, pdffonts) is not installed"),
]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("build")
    for slug in SEEDS:
        assert build_one(ROOT / "sources" / f"{slug}.yaml", out).status == "built"
    documents = [out / f"{slug}.docx" for slug in SEEDS]
    convert(documents)
    return {slug: out / f"{slug}.pdf" for slug in SEEDS}


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_figures_and_headings_in_order(pdfs, slug):
    text = re.sub(r"[ \t]+", "", text_of(pdfs[slug]))
    at = 0
    for expected in SEEDS[slug]:
        found = text.find(expected, at)
        assert found >= 0, f"{expected!r} missing (or out of order) in {slug}"
        at = found


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_page_count_is_sane(pdfs, slug):
    info = subprocess.run(["pdfinfo", str(pdfs[slug])], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 3 <= pages <= 12


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_fonts_embedded_and_cjk(pdfs, slug):
    """No tofu: every font is embedded, and the Chinese text is set in CJK fonts."""
    rows = subprocess.run(["pdffonts", str(pdfs[slug])], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    names = [row.split()[0] for row in rows]
    assert rows and all(" yes " in row for row in rows), rows
    assert any(re.search(r"Fandol|Noto.*CJK|UKai|Song|Hei|Kai|Fang", n) for n in names), names
    assert not any("LastResort" in n for n in names)


def test_page_numbers_odd_right_even_left(pdfs):
    pages = text_of(pdfs["2020/warm-enterprise"]).split("\f")
    odd = next(line for line in pages[0].splitlines() if re.fullmatch(r"\s*—\s*1\s*—\s*", line))
    even = next(line for line in pages[1].splitlines() if re.fullmatch(r"\s*—\s*2\s*—\s*", line))
    assert len(odd) - len(odd.lstrip()) > 20      # pushed to the right
    assert len(even) - len(even.lstrip()) < 5     # at the left
