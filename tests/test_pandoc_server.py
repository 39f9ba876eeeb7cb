"""The shared `pandoc lua` process must give the command line's bytes, or it is not worth keeping.

Every sample's narrative and a few dozen synthetic ones (bench/synth.py: the sentences, lists and
tables the benchmark builds) go through both paths, byte for byte; so do short texts that put
every kind of character on either side of a line break, the case the server re-implements
(east_asian_line_breaks)."""
from __future__ import annotations

import itertools
import os

import pytest

from bench.synth import generate
from conftest import ROOT
from generator.pipeline import evaluate
from generator.render import pandoc
from generator.render.narrative import markdown
from generator.render.reference import reference_docx

SAMPLES = sorted((ROOT / "sources").glob("*/*.yaml"))


@pytest.fixture(scope="module")
def reference() -> bytes:
    os.environ.setdefault("SOURCE_DATE_EPOCH", pandoc.EPOCH)   # as to_docx sets it before either path
    return reference_docx()


def served(text: str, reference: bytes) -> bytes:
    out = pandoc._convert(text.encode("utf-8"), pandoc._reference_file(reference))
    assert out is not None, "the shared process declined a document the command line converts quietly"
    return out


def _markdown(path) -> str:
    r = evaluate(path)
    return markdown(r.evaluation, r.figures, r.texts)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_samples_byte_for_byte(path, reference):
    text = _markdown(path)
    assert served(text, reference) == pandoc.command_line(text, reference)


def test_synthetic_narratives_byte_for_byte(reference, tmp_path):
    for i in range(24):
        name, source = generate(i)
        path = tmp_path / "2024" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(source, encoding="utf-8")
        text = _markdown(path)
        assert served(text, reference) == pandoc.command_line(text, reference), name


SIDES = ["中", "，", "。", "a", "1", "“", "）", "—", "ａ", "한", "ア", " ", "*x*"]


def test_line_breaks_between_every_kind_of_character(reference):
    """One document holding every pair of characters around a soft line break."""
    pairs = [f"{a}\n{b}" for a, b in itertools.product(SIDES, repeat=2)]
    text = "\n\n".join(pairs) + "\n"
    assert served(text, reference) == pandoc.command_line(text, reference)


def test_a_warning_goes_to_the_command_line(reference):
    """pandoc warns about a missing image: the server declines, the caller uses the command line."""
    text = "![图](does-not-exist.png)\n"
    assert pandoc._convert(text.encode("utf-8"), pandoc._reference_file(reference)) is None
    # … where the warning is the command line's to say, and the document is still made
    import logging
    with _caught(logging.WARNING) as records:
        out = pandoc.command_line(text, reference)
    assert out[:2] == b"PK" and any("does-not-exist.png" in r.getMessage() for r in records)


class _caught:
    """The records logged under generator.render.pandoc (caplog needs propagation to the root)."""

    def __init__(self, level):
        import logging
        self.level, self.records = level, []
        self.handler = logging.Handler(level)
        self.handler.emit = self.records.append

    def __enter__(self):
        pandoc.log.addHandler(self.handler)
        return self.records

    def __exit__(self, *exc):
        pandoc.log.removeHandler(self.handler)


def test_pandoc_failing_is_a_pandoc_error(reference, monkeypatch):
    monkeypatch.setattr(pandoc, "MARKDOWN", "nosuchformat")
    with pytest.raises(pandoc.PandocError, match="nosuchformat"):
        pandoc.command_line("text\n", reference)


def test_the_pandoc_used_is_the_one_pypandoc_binary_ships(monkeypatch):
    """Found without importing pypandoc; PYPANDOC_PANDOC still chooses another (pypandoc's rule)."""
    import importlib.util
    from pathlib import Path
    shipped = Path(importlib.util.find_spec("pypandoc").submodule_search_locations[0]) / "files" / "pandoc"
    if not shipped.is_file():
        pytest.skip("this pypandoc has no bundled pandoc (pypandoc-binary is what the project installs)")
    pandoc.pandoc_path.cache_clear()
    assert Path(pandoc.pandoc_path()) == shipped
    import pypandoc                                          # PYPANDOC_PANDOC: pypandoc decides
    monkeypatch.setattr(pypandoc, "get_pandoc_path", lambda: "/chosen/by/pypandoc")
    monkeypatch.setenv("PYPANDOC_PANDOC", "/chosen/by/the/user")
    pandoc.pandoc_path.cache_clear()
    try:
        assert pandoc.pandoc_path() == "/chosen/by/pypandoc"
    finally:
        monkeypatch.undo()
        pandoc.pandoc_path.cache_clear()
