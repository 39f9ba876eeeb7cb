"""No wrong document leaves the build: a source with an error in its own content stops, the
previous output untouched; --draft builds it anyway under a name no one hands in, marked 草稿."""
from __future__ import annotations

import io

from docx import Document

from conftest import MINIMAL
from generator.build import draft_path, output_stem
from generator.cli import main

WRONG = MINIMAL.replace("actual: 120人", "actual: 80人")   # a score below full without a reason


def test_content_error_stops_the_build_and_keeps_the_previous_output(write_source, tmp_path, capsys):
    src = write_source(WRONG)
    out = tmp_path / "out"
    target = output_stem(src, out).with_suffix(".docx")
    target.parent.mkdir(parents=True)
    target.write_bytes(b"previous")
    assert main(["build", str(src), "--out", str(out)]) == 2
    assert target.read_bytes() == b"previous"
    assert "E-REASON" in capsys.readouterr().err
    assert not draft_path(src, out).exists()


def test_draft_is_built_beside_marked_and_lists_its_problems(write_source, tmp_path, capsys):
    src = write_source(WRONG)
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out), "--draft"]) == 0
    err = capsys.readouterr().err
    draft = draft_path(src, out)
    assert draft.name.endswith("-草稿.docx") and str(draft) in err
    assert not output_stem(src, out).with_suffix(".docx").exists()   # never under the report's own name
    doc = Document(io.BytesIO(draft.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert "草稿问题清单" in texts
    assert any("E-REASON" in t for t in texts)
    assert b"\xe8\x8d\x89\xe7\xa8\xbf" in b"".join(p._p.xml.encode() for s in doc.sections
                                                    for p in s.header.paragraphs)   # 草稿 in the header


def test_a_clean_source_with_draft_is_the_ordinary_document(write_source, tmp_path):
    src = write_source(MINIMAL)
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out), "--draft"]) == 0
    assert output_stem(src, out).with_suffix(".docx").exists() and not draft_path(src, out).exists()


def test_published_mismatches_do_not_stop_the_build(write_source, tmp_path):
    src = write_source(MINIMAL + "published:\n  total: 98\n")
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out)]) == 0
    assert output_stem(src, out).with_suffix(".docx").exists()
