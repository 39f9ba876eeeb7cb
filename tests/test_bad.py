"""The catalog of bad input (tests/bad/*.yaml): each file says in its header what the user must
see, in Chinese (`# 期望:`, the default) and in English (`# expect:`, --lang en). Every one gets a
located message in the form's words and no traceback; an error leaves the previous output
untouched and writes nothing else. tests/bad_headers.py rewrites the headers after a message
changed; the diff is then reviewed like a golden file."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, tally
from generator.build import output_stem
from generator.cli import main

CATALOG = sorted((ROOT / "tests" / "bad").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\S+) (\d+):(\d+) (.+)$", re.M)
EXPECT_ZH = re.compile(r"^# 期望: (\S+) (\d+):(\d+) (.+)$", re.M)


def expectation(path: Path, pattern: re.Pattern = EXPECT) -> tuple[str, int, int, str]:
    m = pattern.search(path.read_text(encoding="utf-8"))
    assert m, f"{path.name} has no '{pattern.pattern[1:10]} CODE line:col message' header"
    return m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)


def test_catalog_is_large_enough():
    assert len(CATALOG) >= 60


def test_both_headers_name_the_same_problem():
    for path in CATALOG:
        assert expectation(path)[:3] == expectation(path, EXPECT_ZH)[:3], path.name


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_check_says_exactly_what_to_fix(path, capsys):
    """In Chinese by default, as an officer runs it."""
    code, line, col, message = expectation(path, EXPECT_ZH)
    status = main(["check", "--strict", str(path)])
    err = capsys.readouterr().err
    tally(err)
    assert "Traceback" not in err
    assert f"{path}:{line}:{col}: {code} " in err and message in err, err
    assert status == (1 if code.startswith("W-") else 2)


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_check_says_it_in_english_on_request(path, capsys):
    code, line, col, message = expectation(path)
    status = main(["--lang", "en", "check", "--strict", str(path)])
    err = capsys.readouterr().err
    assert f"{path}:{line}:{col}: {code} " in err and message in err, err
    assert status == (1 if code.startswith("W-") else 2)


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_build_leaves_previous_output_untouched(path, tmp_path, capsys):
    code = expectation(path)[0]
    out = tmp_path / "build"
    target = output_stem(path, out).with_suffix(".docx")
    target.parent.mkdir(parents=True)
    target.write_bytes(b"previous output")
    status = main(["build", "--strict", "--force", str(path), "--out", str(out)])
    err = capsys.readouterr().err
    tally(err)
    assert "Traceback" not in err
    if code.startswith("W-"):        # warnings are not malformed input: the report is built
        assert status == 0 and target.read_bytes().startswith(b"PK")
    else:
        assert status == 2
        assert target.read_bytes() == b"previous output"
    left = {p.name for p in target.parent.iterdir()}
    assert left <= {target.name, target.with_suffix(".d").name, target.with_suffix(".xlsx").name}, left  # no temp files
