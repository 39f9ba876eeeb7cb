"""The IME scan: each slip named at its character, and ordinary Chinese punctuation left alone."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL, ROOT
from generator.diagnostics import SourceError
from generator.ime import scan
from generator.load import parse


def slips(text: str) -> list[tuple[int, int]]:
    return [(s.line, s.column) for s in scan(text)]


@pytest.mark.parametrize("text, where", [
    ("year: 2024\nweight：6\n", [(2, 7)]),
    ("a:\n  - name：培训\n", [(2, 9)]),
    ("budget:\n  lines:\n    当年财政拨款：{}\n", [(3, 11)]),
    ("unmet: [甲，乙，丙]\n", [(1, 10), (1, 12)]),
    ("x: {initial: 1，adjusted：2}\n", [(1, 15), (1, 24)]),
    ("a:\n\u3000\u3000b: 1\n", [(2, 1)]),
    ("a:\n  -\u3000b\n", [(2, 4)]),
    ("target: >90%\n", [(1, 9)]),
    ("- >=90\n", [(1, 3)]),
])
def test_each_slip_at_its_character(text, where):
    assert slips(text) == where


@pytest.mark.parametrize("text", [
    "name: 培训：120人\n",                              # a full-width colon inside a value is Chinese
    "items:\n  - 培训：120人，合格\n",                    # so is a list item's text
    "t: '[甲，乙]'\n",                                  # quoted: the officer meant the comma
    "t: 甲，乙\n",                                      # not a flow list
    "text: |\n  weight：6\n  [甲，乙]\n  \u3000\u3000段首缩进\n  >90%\nnext: 1\n",   # inside a block text
    "text: >\n  folded\nnext: 1\n",                     # a folded block is not a value starting with >
    "text: >-\n  folded\n",
    "# weight：6 in a comment\n",
    "target: '>90%'\n",
    "target: ≥90%\n",
])
def test_ordinary_chinese_is_left_alone(text):
    assert slips(text) == []


@pytest.mark.parametrize("path", sorted((ROOT / "sources").glob("*/*.yaml")), ids=lambda p: p.stem)
def test_no_slip_in_the_samples(path):
    assert scan(path.read_text(encoding="utf-8")) == []


def test_the_slip_replaces_the_parser_jargon_it_caused():
    text = MINIMAL.replace("        weight: 50\n", "        weight：50\n")
    with pytest.raises(SourceError) as e:
        parse(text, Path("case.yaml"))
    [d] = e.value.diagnostics
    assert (d.code, d.line, d.column) == ("E-IME", 18, 15)
    assert "could not find" not in d.message and "“：”" in d.message


def test_a_slip_yaml_accepts_silently_is_still_an_error():
    """'当年财政拨款：{initial: 100…' is valid YAML: one key named '当年财政拨款：{initial'."""
    text = MINIMAL.replace("    当年财政拨款: {", "    当年财政拨款：{")
    with pytest.raises(SourceError) as e:
        parse(text, Path("case.yaml"))
    assert [(d.code, d.line) for d in e.value.diagnostics] == [("E-IME", 11)]
