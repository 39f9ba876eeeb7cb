"""A character the body font lacks is an error before it becomes a box on paper (E-GLYPH)."""
from __future__ import annotations

from conftest import MINIMAL, ROOT
from generator.build import build_one, draft_path, output_stem
from generator.glyphs import charset, missing


def test_the_gb2312_fonts_lack_rare_characters_and_gbk_fonts_have_them(evaluate):
    r = evaluate(MINIMAL.replace("unit: 测试实施单位", "unit: 朱镕基工作室"))
    assert charset("仿宋_GB2312") == "gb2312" and charset("仿宋") == "gbk"
    found = missing(r.evaluation, "仿宋_GB2312")
    assert [(d.code, d.path) for d in found] == [("E-GLYPH", ("unit",))] and "“镕”" in found[0].message
    assert missing(r.evaluation, "仿宋") == []
    assert missing(evaluate().evaluation, "仿宋_GB2312") == []   # the ordinary source has none


def test_a_rare_character_stops_the_build_and_the_draft_lists_it(write_source, tmp_path):
    src = write_source(MINIMAL.replace("project: 测试项目", "project: 喆园项目"))
    out = tmp_path / "out"
    o = build_one(src, out)
    assert o.status == "failed" and any(d.code == "E-GLYPH" and d.line == 3 for d in o.diagnostics)
    assert not output_stem(src, out).with_suffix(".docx").exists()
    assert build_one(src, out, draft=True).status == "draft" and draft_path(src, out).exists()


def test_check_reports_what_build_would_stop_on(write_source, capsys):
    """`make check` clean must mean `make build` writes the report: E-GLYPH is a check, located."""
    from generator.cli import main
    src = write_source(MINIMAL.replace("project: 测试项目", "project: 喆园项目"))
    assert main(["check", str(src)]) == 2
    err = capsys.readouterr().err
    assert f"{src}:3:" in err and "E-GLYPH" in err and "“喆”" in err


def test_the_quick_pass_over_the_whole_source_sees_every_text(evaluate):
    """missing() first looks at the source's JSON dump all at once and walks the fields only when
    that holds a character outside the set: the dump must hold every text the walk would see."""
    from generator.model import walk_values
    for source in (MINIMAL, *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "sources").glob("*/*.yaml")))):
        ev = evaluate(source).evaluation
        dumped = ev.model_dump_json(warnings=False)
        for path, value in walk_values(ev, ()):
            if isinstance(value, str) and value:
                assert all(ch in dumped for ch in set(value) if ord(ch) >= 0x2E80), path   # what the check looks at
