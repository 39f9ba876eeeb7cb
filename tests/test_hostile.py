"""Hostile text and faults: whatever an officer pastes renders safely, and a failing disk or a
killed build never leaves a broken or lost file."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import pypandoc
import pytest
from docx import Document

from conftest import FIRST_INDICATOR, MINIMAL, ROOT
from generator import write as write_module
from generator.build import build_one, draft_path, output_stem
from generator.cli import main
from generator.render.inspect import dump

HOSTILE = (
    "符号 & < > \" ' 都要原样印出：AT&T <b>不是标签</b> 'quoted' \"double\"\n\n"
    "表情 😀🎉 与生僻字 𠀀𪚥𰻞 以及全角ＡＢＣ１２３和半角ABC123混排。\n\n"
    "Markdown 语法 *星号* _下划线_ `反引号` [链接](javascript:alert(1)) $x$ ~下标~ ^上标^ @引用\n\n"
    "<script>alert('x')</script> {{ '{{' }} 仍是文字 }}\n\n"
    + "很长的段落。" * 3000
)


def hostile_source() -> str:
    many = "".join(f"      - name: 指标{i}\n        target: ≥{i + 1}项\n        actual: {i + 1}项\n        weight: 1\n"
                   for i in range(40))
    text = MINIMAL.replace(FIRST_INDICATOR, many + """      - name: 培训 & <人数> "引号"
        target: ≥100人
        actual: 120人
        weight: 10
""")
    body = "\n".join("    " + line for line in HOSTILE.splitlines())
    return text + "narrative:\n  budget: |\n" + body + "\n"


@pytest.fixture(scope="module")
def hostile_docx(tmp_path_factory) -> bytes:
    tmp = tmp_path_factory.mktemp("hostile")
    src = tmp / "2024" / "hostile.yaml"
    src.parent.mkdir()
    src.write_text(hostile_source(), encoding="utf-8")
    # Emoji and characters beyond GB2312 have no glyph in 仿宋_GB2312: the build refuses them
    # (E-GLYPH, and nothing else), so the text is carried through a draft, which must keep it verbatim.
    outcome = build_one(src, tmp / "build", draft=True)
    assert outcome.status == "draft", outcome.messages
    assert {d.code for d in outcome.diagnostics if d.blocks_document} == {"E-GLYPH"}
    return draft_path(src, tmp / "build").read_bytes()


def test_hostile_text_survives_verbatim(hostile_docx):
    text = dump(hostile_docx)
    for piece in ["AT&T <b>不是标签</b> 'quoted' \"double\"", "😀🎉", "𠀀𪚥𰻞", "全角ＡＢＣ１２３和半角ABC123",
                  "$x$", "<script>alert('x')</script>", "培训 & <人数> \"引号\""]:
        assert piece in text, piece
    assert "语法 星号 下划线 反引号" in text   # the narrative is Markdown by design: emphasis, not asterisks
    assert text.count("很长的段落。") == 3000


def test_hostile_output_reopens_in_python_docx_and_pandoc(hostile_docx, tmp_path):
    document = Document(io.BytesIO(hostile_docx))
    assert len(document.tables[-1].rows) > 45          # the 自评表 runs over pages
    path = tmp_path / "hostile.docx"
    path.write_bytes(hostile_docx)
    plain = pypandoc.convert_file(str(path), "plain", format="docx")
    assert "AT&T" in plain and "javascript" not in pypandoc.convert_file(str(path), "html", format="docx").split("href")[0]


def test_links_to_scripts_are_not_links(hostile_docx):
    assert b"javascript:" not in hostile_docx


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is not installed")
def test_hostile_output_converts_in_libreoffice(hostile_docx, tmp_path):
    from generator.render.pdf import convert
    path = tmp_path / "hostile.docx"
    path.write_bytes(hostile_docx)
    [pdf] = convert([path])
    assert pdf.stat().st_size > 10_000


def test_control_characters_are_refused_with_a_message(capsys, write_source):
    path = write_source(MINIMAL.replace("project: 测试项目", 'project: "测试\\x0b项目"'))
    assert main(["check", str(path)]) == 2
    assert "E-CONTROL 项目名称：文字第 3 个字符是控制字符 U+000B" in capsys.readouterr().err


# --- faults ---------------------------------------------------------------------------------


@pytest.fixture
def built(tmp_path, write_source):
    src = tmp_path / "2024" / "case.yaml"
    src.parent.mkdir()
    src.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "build"
    assert build_one(src, out).status == "built"
    target = output_stem(src, out).with_suffix(".docx")
    return src, out, target, target.read_bytes()


def test_killed_while_writing_leaves_the_old_output(built, monkeypatch):
    src, out, target, before = built
    src.write_text(MINIMAL.replace("测试项目", "改过的项目"), encoding="utf-8")

    def killed(*args):
        raise KeyboardInterrupt   # the moment between writing the temporary file and renaming it
    monkeypatch.setattr(write_module.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        build_one(src, out)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["case.d", "case.docx", "case.xlsx"]


def test_full_disk_gives_a_message(built, monkeypatch, capsys):
    src, out, target, before = built

    def full(fd, *a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(write_module.os, "fdopen", full)
    assert main(["build", "--force", str(src), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err and "No space left on device" in err and "Traceback" not in err
    assert target.read_bytes() == before
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_build_folder_gives_a_message(built, capsys):
    src, out, target, before = built
    target.parent.chmod(0o555)
    try:
        assert main(["build", "--force", str(src), "--out", str(out)]) == 2
        assert "无法写入" in capsys.readouterr().err
    finally:
        target.parent.chmod(0o755)


def test_read_only_output_path_gives_a_message(built, capsys):
    """Also for root: the output folder's place is taken by a file."""
    src, out, target, before = built
    blocked = out / "blocked"
    blocked.write_text("not a folder")
    bad = blocked.parent / "blocked" / "x"
    assert main(["build", "--force", str(src), "--out", str(bad)]) == 2
    assert "无法写入" in capsys.readouterr().err


def test_two_parallel_builds_give_one_correct_file(built):
    src, out, target, before = built
    cmd = [sys.executable, "-m", "generator", "build", "--force", str(src), "--out", str(out)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE) for _ in range(2)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    assert target.read_bytes() == before      # deterministic, whole, and not interleaved
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
