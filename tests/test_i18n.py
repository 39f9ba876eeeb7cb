"""Messages in Chinese by default, English on request, and a catalog that is complete and compiled.

The catalog tests read the shipped files the way a user's installation does: a message missing from
the .po, left untranslated, or translated in the .po but not compiled into the .mo would reach the
officer in English, so each is listed by name here."""
from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from generator import i18n
from generator.cli import main

babel = pytest.importorskip("babel", reason="Babel (the dev extra) reads the catalog")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PO = ROOT / "generator" / "locale" / "zh_CN" / "LC_MESSAGES" / "selfeval.po"
MO = PO.with_suffix(".mo")


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language()


@pytest.fixture(scope="module")
def catalog():
    with open(PO, "rb") as f:
        return read_po(f)


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_no_untranslated_entry(catalog):
    untranslated = [_ids(m)[0] for m in catalog if m.id and (not all(_strings(m)) or m.fuzzy)]
    assert untranslated == [], "translate these in " + str(PO.relative_to(ROOT)) + ": " + repr(untranslated)


def test_every_message_in_the_code_is_in_the_catalog(catalog):
    """A `_()` added since the last `make messages` would print in English: list it."""
    method_map = [("generator/**.py", "python")]
    in_code = {m[2] if isinstance(m[2], str) else m[2][0]
               for m in extract_from_dir(str(ROOT), method_map=method_map)}
    in_catalog = {_ids(m)[0] for m in catalog if m.id}
    assert sorted(in_code - in_catalog) == [], "run make messages and translate these"
    assert sorted(in_catalog - in_code) == [], "no longer in the code: run make messages"


def test_compiled_catalog_matches_the_po(catalog):
    with open(MO, "rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for m in catalog:
        if not m.id:
            continue
        ids, strings = _ids(m), _strings(m)
        if len(ids) == 1:
            got = compiled.gettext(ids[0])
        else:
            got = compiled.ngettext(ids[0], ids[1], 1)
        if got != strings[0]:
            stale.append(ids[0])
    assert stale == [], "the .mo is older than the .po: run make messages"


def test_translations_keep_every_parameter(catalog):
    """`_("… {name} …").format(name=…)` must find {name} in the Chinese text too."""
    wrong = []
    for m in catalog:
        for msgid in (_ids(m) if m.id else ()):
            for msgstr in _strings(m):
                fields = set(re.findall(r"\{\w*\}|%\(\w+\)\w|%s", msgid))
                if fields != set(re.findall(r"\{\w*\}|%\(\w+\)\w|%s", msgstr)):
                    wrong.append((msgid, msgstr))
    assert wrong == []


def test_chinese_by_default_whatever_the_locale(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in (i18n.ENV, "LANGUAGE")}
    env.update(LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8")
    out = subprocess.run([sys.executable, "-m", "generator", "check", str(tmp_path / "nope.yaml")],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert "E-FILE 无法读取文件" in out.stderr and "1 个错误，0 个警告" in out.stderr, out.stderr


def test_english_from_the_environment(tmp_path):
    env = dict(os.environ, **{i18n.ENV: "en"})
    out = subprocess.run([sys.executable, "-m", "generator", "check", str(tmp_path / "nope.yaml")],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert "E-FILE cannot read the file" in out.stderr and "1 error, 0 warnings" in out.stderr, out.stderr


def test_english_with_lang_option_and_plurals(capsys, tmp_path):
    try:
        assert main(["--lang", "en", "check", str(tmp_path / "nope.yaml")]) == 2
        err = capsys.readouterr().err
        assert "1 error, 0 warnings" in err      # not "1 errors"
        main(["--lang", "en", "check", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")])
        assert "2 errors, 0 warnings" in capsys.readouterr().err
    finally:
        i18n.set_language()


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "显示本帮助并退出" in out and "检查源文件" in out


def test_help_is_english_on_request(capsys):
    try:
        with pytest.raises(SystemExit):
            main(["--lang", "en", "new", "--help"])
        out = capsys.readouterr().out
        assert out.startswith("usage: ") and "the 自评表 form" in out
    finally:
        i18n.set_language()


def test_parameters_are_formatted_after_translation(english):
    assert i18n._("created {path}").format(path="x.yaml") == "created x.yaml"
    i18n.set_language("zh")
    assert i18n._("created {path}").format(path="x.yaml") == "已创建 x.yaml"
    assert i18n.ngettext("{n} error", "{n} errors", 2).format(n=2) == "2 个错误"


@pytest.mark.chinese
def test_first_build_explains_the_samples_published_errors_once(tmp_path, capsys):
    """A newcomer's first build prints the samples' E-PUBLISHED lines: one plain sentence says
    they are the errors the reports were published with, and that the documents are corrected."""
    from generator.build import build_all
    sample = ROOT / "sources" / "2022" / "enterprise-service-center.yaml"
    out = tmp_path / "build"
    assert build_all([str(sample)], out) == 0
    err = capsys.readouterr().err
    assert err.count("E-PUBLISHED 行是这些报告印发时就有的错误") == 1 and "已更正" in err
    assert err.index("已生成 1 份") < err.index("E-PUBLISHED 行是")   # under the summary line
    assert build_all([str(sample)], out, force=True) == 0
    again = capsys.readouterr().err
    assert ": E-PUBLISHED " in again and "E-PUBLISHED 行是" not in again


# What a Chinese message may still hold in Latin letters: codes, paths and numbers, the input it
# quotes, template variables, and words of another tool quoted inside it (jinja2's refusal).
_LOCATION = re.compile(r"^.*?:(?:\d+:\d+:)? [EW]-[A-Z0-9-]+ ")
_QUOTED = re.compile(r"“[^”]*”|'[^']*'|\"[^\"]*\"|\{\{.*?\}\}|\S*[/\\]\S*")
_THIRD_PARTY = re.compile(r"access to attribute .*? is unsafe\.|expected token .*?, got")
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:-]+[A-Za-z]+){2,}")   # three English words in a row


def english_left(stderr: str) -> list[str]:
    """The lines of a Chinese run that still hold an English phrase of our own."""
    left = []
    for line in stderr.splitlines():
        text = _QUOTED.sub(" ", _THIRD_PARTY.sub(" ", _LOCATION.sub("", line)))
        if _ENGLISH.search(text):
            left.append(line)
    return left


def test_the_english_detector_finds_an_untranslated_sentence():
    assert english_left("a.yaml:3:1: E-VALUE 报告提纲: input should be a valid string\n")
    assert english_left("a.yaml:3:1: E-UNKNOWN-KEY 未知的键“x” (did you mean 'y'?)\n")
    assert not english_left("a.yaml:3:1: E-VALUE 报告提纲不能为“long”；应为“reference”或“short”\n"
                            "sources/2024/a.yaml: E-TYPE 年度应为数字，而不是“two thousand and four”\n")


def test_the_english_detector_finds_every_english_diagnostic_of_the_samples(capsys):
    """The detector below is only as good as what it catches: in English, every line is caught."""
    main(["--lang", "en", "check", str(ROOT / "sources")])
    located = [line for line in capsys.readouterr().err.splitlines() if re.search(r" [EW]-[A-Z-]+ ", line)]
    assert len(located) > 20 and english_left("\n".join(located)) == located


@pytest.mark.parametrize("case", sorted((ROOT / "tests" / "bad").glob("*.yaml")) + [ROOT / "sources"],
                         ids=lambda p: p.stem)
def test_every_diagnostic_reaches_the_officer_in_chinese(case, capsys):
    """Every code path a bad case or a sample reaches: a sentence left out of the catalog (an
    f-string not wrapped in _(), a tail appended in English) shows here as English words."""
    main(["check", "--strict", str(case)])
    err = capsys.readouterr().err
    assert err and english_left(err) == []


def test_a_bureau_advice_file_is_reported_in_chinese(tmp_path, capsys):
    """advice.yaml's own mistakes (E-ADVICE) come from another file and another module: the same
    promise holds for them."""
    from conftest import MINIMAL
    source = tmp_path / "sources" / "2024" / "case.yaml"
    source.parent.mkdir(parents=True)
    source.write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "advice.yaml").write_text(
        "rules:\n  W-SURVY: {enabled: false}\n  W-FULL-MARKS: {below_rate: 九十, below: 1}\n"
        "  W-VAGUE-TARGET: {tier1: [产出]}\n  W-SURVEY: 1\nwords:\n  causes: []\n  survey: 调查\n"
        "money_units: 1\nwordz: {}\n", encoding="utf-8")
    main(["check", str(source)])
    err = capsys.readouterr().err
    assert err.count("E-ADVICE") == 9 and "未知的规则“W-SURVY”（是否应为“W-SURVEY”？）" in err, err
    assert english_left(err) == []
