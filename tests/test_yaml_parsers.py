"""The C parser (libyaml through ruamel.yaml.clib) and the pure one give load.py the same nodes at
the same positions, or the C one steps aside: over the bad-input catalogue, the samples, the
synthetic benchmark sources and generated single-line mutations of a valid source. And the
catalogue's messages are the same whichever parser runs (SELFEVAL_YAML=pure)."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode

from conftest import ROOT
from generator import yaml_nodes
from generator.cli import main
from test_bad import CATALOG, expectation
from test_properties import evaluations, mutations

pytestmark = pytest.mark.skipif(yaml_nodes.CParser is None, reason="ruamel.yaml.clib is not installed")

SAMPLES = sorted((ROOT / "sources").rglob("*.yaml"))


def shape(node) -> list:
    """What load.py reads from a node, in document order."""
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        tag = n.tag if isinstance(n.tag, str) else str(n.tag)
        mark = (n.start_mark.line, n.start_mark.column)
        if isinstance(n, ScalarNode):
            out.append(("scalar", tag, n.value, n.style or None, mark))
            continue
        out.append((type(n).__name__, tag, mark))
        children = [c for pair in n.value for c in pair] if isinstance(n, MappingNode) else list(n.value)
        stack.extend(reversed(children))
    return out


def assert_same_or_deferred(text: str) -> bool:
    """True when the C parser took the text (and agreed with the pure one)."""
    c_nodes = yaml_nodes.compose_c(text)
    try:
        pure = yaml_nodes.compose_pure(text)
    except YAMLError:
        assert c_nodes is None, "the C parser accepted what the pure one refuses"
        return False
    if c_nodes is None:
        return False
    assert [shape(n) for n in c_nodes] == [shape(n) for n in pure]
    return True


def test_the_c_parser_is_what_runs():
    assert yaml_nodes.c_available()
    assert yaml_nodes.compose_c(SAMPLES[0].read_text(encoding="utf-8")) is not None


@pytest.mark.parametrize("path", CATALOG + SAMPLES, ids=lambda p: p.stem)
def test_same_nodes_on_catalogue_and_samples(path):
    assert_same_or_deferred(path.read_text(encoding="utf-8-sig"))


def test_same_nodes_on_synthetic_sources(tmp_path):
    from bench.synth import write_sources
    taken = sum(assert_same_or_deferred(p.read_text(encoding="utf-8")) for p in write_sources(tmp_path, 40))
    assert taken == 40   # valid sources: every one goes through the C parser


@settings(max_examples=200, deadline=None)
@given(mutations())
def test_same_nodes_on_mutations(text):
    assert_same_or_deferred(text)


@settings(max_examples=50, deadline=None)
@given(evaluations())
def test_same_nodes_on_generated_evaluations(text):
    assert assert_same_or_deferred(text)      # valid sources: the C parser takes every one


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_same_nodes_on_shuffled_lines(path):
    """Coarser damage than one mutation: two lines of a sample swapped, one re-indented."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    rng = random.Random(15)
    for _ in range(150):
        damaged = list(lines)
        i, j = rng.randrange(len(damaged)), rng.randrange(len(damaged))
        damaged[i], damaged[j] = damaged[j], " " * rng.randrange(4) + damaged[i]
        assert_same_or_deferred("".join(damaged))


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_catalogue_says_the_same_with_the_pure_parser(path, capsys, monkeypatch):
    code, line, col, message = expectation(path)
    monkeypatch.setenv(yaml_nodes.ENV, "pure")
    status = main(["--lang", "en", "check", "--strict", str(path)])   # the header's English expectation
    err = capsys.readouterr().err
    assert f"{path}:{line}:{col}: {code} " in err and message in err, err
    assert status == (1 if code.startswith("W-") else 2)


@pytest.mark.parametrize("parser", ["c", "pure"])
def test_a_folded_narrative_reads_as_folded_text(parser, monkeypatch):
    """ruamel's pure scanner marked each fold with U+0007, which then failed E-CONTROL."""
    from conftest import MINIMAL
    from generator.load import parse
    monkeypatch.setenv(yaml_nodes.ENV, parser)
    source = parse(MINIMAL + "narrative:\n  preamble: >\n    第一行\n    第二行\n\n    第三行\n", ROOT / "x.yaml")
    assert source.data["narrative"]["preamble"] == "第一行 第二行\n第三行\n"


DATA_FILES = sorted((ROOT / "templates").rglob("*.yaml")) + sorted((ROOT / "generator").rglob("*.yaml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_data_file_loads_as_the_safe_loader_gives_it(path):
    """yaml_nodes.load_data (libyaml) must give our data files exactly what YAML(typ="safe") gives."""
    from ruamel.yaml import YAML
    from generator.yaml_nodes import load_data
    text = path.read_text(encoding="utf-8")
    expected = YAML(typ="safe").load(text)
    assert repr(load_data(text)) == repr(expected) and load_data(text) == expected


@pytest.mark.parametrize("text", [
    "a: 1\nb: 1.50\nc: yes\nd: ~\ne: 0o10\nf: 010\ng: 2024-01-01\nh: .inf\ni: -0\nj: 1e3\n",
    "- x\n- [1, 2]\n- {k: v}\n", "", "a: !!str 1\n", "&a x: *a\n", "a: 'x'\n\tb: 2\n", "a: [1\n", "a: 1\na: 2\n",
    "a: |\n  line\n   more\n", "%YAML 1.1\n---\nb: yes\n",
])
def test_data_from_libyaml_and_from_the_safe_loader_agree(text):
    """Values of every implicit type, tabs and directives (left to the safe loader), and errors:
    the same data, or the same complaint."""
    from ruamel.yaml import YAML
    from generator.yaml_nodes import load_data

    def outcome(load):
        try:
            return repr(load(text))
        except Exception as e:  # noqa: BLE001
            return f"{type(e).__name__}: {e}"
    assert outcome(load_data) == outcome(YAML(typ="safe").load)
