"""The check cache (build/.cache): an unchanged source's diagnostics come back without the
pipeline, the same as a fresh check; anything a result depends on changes its key."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import MINIMAL, ROOT
from generator import cache
from generator.advice.config import override_path
from generator.cli import main

LOW = MINIMAL.replace("executed: 90", "executed: 80")


@pytest.fixture
def cached(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def repo(tmp_path):
    def write(text: str = MINIMAL, year: int = 2024) -> str:
        path = tmp_path / "repo" / "sources" / str(year) / "case.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


def check(path: str, capsys) -> tuple[int, str]:
    status = main(["check", path])
    return status, capsys.readouterr().err


def test_a_hit_prints_what_a_fresh_check_prints(cached, capsys):
    samples = str(ROOT / "sources")
    fresh = check(samples, capsys)
    assert len([p for p in (cached / "check").rglob("*") if p.is_file()]) == 5
    assert check(samples, capsys) == fresh
    os.environ[cache.ENV] = "off"
    assert check(samples, capsys) == fresh


def test_a_hit_does_not_import_the_pipeline(cached):
    env = {**os.environ, cache.ENV: str(cached)}
    script = ("import sys; from generator.cli import main; main(['check', 'sources']); "
              "print(sorted(m for m in sys.modules if m in ('generator.pipeline', 'pydantic', 'jinja2')))")
    first = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.stdout.strip() == "['generator.pipeline', 'jinja2', 'pydantic']"
    assert again.stdout.strip() == "[]" and again.stderr == first.stderr


def test_an_edited_source_is_checked_again(cached, repo, capsys):
    path = repo()
    assert check(path, capsys)[0] == 0
    repo(MINIMAL.replace("weight: 50", "weight: 40"))
    status, err = check(path, capsys)
    assert status == 2 and "E-WEIGHT" in err


def test_last_years_source_is_part_of_the_key(cached, repo, capsys):
    path = repo()
    assert "W-COPIED" not in check(path, capsys)[1]
    repo(LOW.replace("year: 2024", "year: 2023"), year=2023)       # last year spent 80, this year 90
    assert "W-COPIED" in check(path, capsys)[1]
    os.remove(cache.last_year_file(path))
    assert "W-COPIED" not in check(path, capsys)[1]


def test_the_bureaus_advice_file_is_part_of_the_key(cached, repo, capsys):
    path = repo(LOW)
    assert "W-LOW-RATE-UNEXPLAINED" in check(path, capsys)[1]
    advice = cache.Path(path).parents[2] / "advice.yaml"
    advice.write_text("rules:\n  W-LOW-RATE-UNEXPLAINED: {enabled: false}\n", encoding="utf-8")
    assert "W-LOW-RATE-UNEXPLAINED" not in check(path, capsys)[1]


def test_the_generator_and_the_language_are_part_of_the_key(cached, repo, monkeypatch):
    path = repo()
    before = cache.key(path)
    monkeypatch.setattr(cache, "generator_fingerprint", lambda: b"another version")
    assert cache.key(path) != before
    monkeypatch.undo()
    monkeypatch.setenv(cache.ENV, str(cached))
    from generator.i18n import set_language
    set_language("zh")     # in-process tests run in English (conftest)
    try:
        assert cache.key(path) != before
    finally:
        set_language(None)


@pytest.mark.parametrize("where", ["sources/2024/a.yaml", "x/sources/2024/a.yaml", "2024/a.yaml", "a.yaml",
                                   "sources/draft/a.yaml"])
def test_the_advice_file_looked_up_is_the_rules_own(tmp_path, where):
    source = tmp_path / where
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(MINIMAL, encoding="utf-8")
    for candidate in (tmp_path / "advice.yaml", tmp_path / "x" / "advice.yaml", tmp_path.parent / "advice.yaml"):
        if candidate.parent.exists() and not candidate.exists() and candidate.parent != tmp_path.parent:
            candidate.write_text("rules: {}\n", encoding="utf-8")
    assert cache.advice_file(source) == override_path(source)


def test_off_keeps_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    main(["check", str(ROOT / "sources")])
    assert not (tmp_path / "build").exists()


def test_the_reference_document_kept_is_the_one_built(cached):
    from generator.render import reference
    from generator.styles import STYLES_PATH
    content = STYLES_PATH.read_bytes()
    reference._cached.cache_clear()
    first = reference.reference_docx()
    assert first == reference._build(content)
    [entry] = [p for p in (cached / "reference").rglob("*") if p.is_file()]
    reference._cached.cache_clear()
    entry.write_bytes(b"not a zip")                # a damaged entry is rebuilt and replaced, not used
    assert reference.reference_docx() == first and entry.read_bytes() == first


@pytest.fixture
def outlines(tmp_path):
    """A copy of templates/ whose outlines a test may edit."""
    import shutil
    copy = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", copy)
    return copy


def _markdown(templates) -> str:
    from generator.pipeline import evaluate
    from generator.render import narrative
    narrative._outline_env.cache_clear()          # a fresh environment, as in a new process
    r = evaluate(ROOT / "sources" / "2023" / "enterprise-service.yaml")
    return narrative.markdown(r.evaluation, r.figures, r.texts, templates)


def test_compiled_outlines_are_kept_and_give_the_same_report(cached, outlines, monkeypatch):
    monkeypatch.setenv(cache.ENV, "off")
    fresh = _markdown(outlines)
    monkeypatch.setenv(cache.ENV, str(cached))
    assert _markdown(outlines) == fresh                     # compiled, then kept
    kept = [p for p in (cached / "jinja").rglob("*") if p.is_file()]
    assert len(kept) >= 2                                    # the outline and its macros
    assert _markdown(outlines) == fresh                     # read back
    for entry in kept:
        entry.write_bytes(b"not jinja bytecode")            # a damaged entry is compiled afresh
    assert _markdown(outlines) == fresh


def test_an_edited_outline_is_never_served_from_the_cache(cached, outlines):
    before = _markdown(outlines)
    macros = outlines / "outlines" / "_macros.md.j2"
    macros.write_text(macros.read_text(encoding="utf-8").replace("}}、{%", "}}〔{%", 1), encoding="utf-8")
    after = _markdown(outlines)
    assert after != before and "〔" in after


def test_the_name_of_a_compiled_outline_carries_the_environments_options():
    """jinja checks only the template's source; code compiled under other options (trim_blocks
    here) must not be read back as this environment's."""
    import jinja2.bccache
    from generator.paths import TEMPLATES
    from generator.render import narrative
    narrative._outline_env.cache_clear()
    env = narrative._outline_env(TEMPLATES)
    other = env.overlay(trim_blocks=False)
    bucket = jinja2.bccache.Bucket(env, "short.md.j2", "x")
    assert narrative._CompiledOutlines(env)._name(bucket) != narrative._CompiledOutlines(other)._name(bucket)
    assert narrative._CompiledOutlines(env)._name(bucket) == env.bytecode_cache._name(bucket)


def test_the_top_level_help_loads_no_commands_machinery():
    """`--help` lists the commands; the options of import/new/forms/new-year, which load the
    importer, the form profiles and pydantic (~170 ms), are defined only when that command runs."""
    script = ("import sys\nfrom generator.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m.startswith(('generator.importer', 'generator.starter', "
              "'generator.newyear', 'generator.profile', 'pydantic'))), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert "import" in run.stdout and "new-year" in run.stdout and run.stderr.strip() == "[]"
