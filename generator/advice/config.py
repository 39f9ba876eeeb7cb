"""The reviewer's rules as data: generator/advice.yaml, overridden by a bureau's own advice.yaml.

A bureau reviews with its own checklist, so the rules, their switches, thresholds and word lists
live in a data file, and a repository may hold an `advice.yaml` beside its `sources/` folder that
changes only what it names (one rule's switch, one threshold, one word list). Its mistakes are
reported like a source's: file:line:column, code E-ADVICE, and the shipped value is used instead.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ..diagnostics import ERROR, REVIEW_RULES, Diagnostic, SourceError
from ..i18n import _, join, language
from ..load import Source, load
from ..paths import repository_of
from .. import profile
from ..vocabulary import suggest

SHIPPED = Path(__file__).resolve().parent.parent / "advice.yaml"
OVERRIDE_NAME = "advice.yaml"


@dataclass(frozen=True)
class Config:
    rules: dict            # code → {"enabled": bool, threshold or list: value}
    words: dict            # list name → tuple of words
    money_units: dict      # unit → Decimal (万元 per unit)
    origin: Path           # the file the bureau's values came from (the shipped one when none)

    def on(self, code: str) -> bool:
        return bool(self.rules[code]["enabled"])


def override_path(source_path: Path) -> Path | None:
    """`<repo>/advice.yaml` for a source at `<repo>/sources/<year>/<fund>.yaml`: beside the folder
    of year folders (not inside it, where `check sources/` would read it as a source)."""
    repo = repository_of(source_path)
    candidate = repo / OVERRIDE_NAME if repo is not None else None
    return candidate if candidate is not None and candidate.is_file() else None


@lru_cache(maxsize=1)
def shipped() -> Config:
    src = load(SHIPPED)
    return Config(dict(src.data["rules"]), {k: tuple(v) for k, v in src.data["words"].items()},
                  {u: Decimal(v) for u, v in src.data["money_units"].items()}, SHIPPED)


def _kind(value) -> str:
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, Decimal):
        return _("a number")
    if isinstance(value, list):
        return _("a list of words")
    return _("a mapping")


def _fits(default, value) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, Decimal):
        return isinstance(value, Decimal) and not value.is_nan() and value >= 0
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    return isinstance(value, dict) and all(isinstance(v, Decimal) and v > 0 for v in value.values())


# Settings whose words must be the form's own (a misspelt 一级指标 would silently match nothing).
def _tier1_names() -> list[str]:
    """Every 一级 of the shipped forms."""
    return list(dict.fromkeys(t for name in profile.available() for t in profile.find(name).tier1_names()))


_CHOICES = {"tier1": _tier1_names, "fields": lambda: ["target", "actual"]}


def _merge(base: Config, src: Source) -> tuple[Config, list[Diagnostic]]:
    problems: list[Diagnostic] = []

    def problem(message: str, path: tuple, at_key: bool = False) -> None:
        problems.append(src.locate(Diagnostic("E-ADVICE", ERROR, message, path, at_key, about=REVIEW_RULES)))

    data = src.data
    if not isinstance(data, dict):
        problem(_("advice.yaml must be a mapping with rules:, words: or money_units:"), ())
        return base, problems
    shipped_top = {"rules": base.rules, "words": {k: list(v) for k, v in base.words.items()},
                   "money_units": dict(base.money_units)}
    rules = {code: dict(spec) for code, spec in base.rules.items()}
    words = dict(base.words)
    units = dict(base.money_units)
    for top, value in data.items():
        if top not in shipped_top:
            problem(_("unknown key '{key}'{suggestion}; expected rules, words or money_units").format(
                key=top, suggestion=suggest(top, shipped_top)), (top,), True)
        elif not isinstance(value, dict):
            problem(_("{key} must be a mapping").format(key=top), (top,))
        elif top == "money_units":
            if _fits(units, value):
                units = {u: v for u, v in value.items()}
            else:
                problem(_("money_units maps a unit to its value in 万元, a positive number each"), (top,))
        elif top == "words":
            for name, listed in value.items():
                if name not in words:
                    problem(_("unknown word list '{name}'").format(name=name) + suggest(name, words), (top, name), True)
                elif not _fits([], listed):
                    problem(_("words.{name} must be a list of words").format(name=name), (top, name))
                else:
                    words[name] = tuple(listed)
        else:
            for code, spec in value.items():
                if code not in rules:
                    problem(_("unknown rule '{code}'").format(code=code) + suggest(code, rules), (top, code), True)
                elif not isinstance(spec, dict):
                    problem(_("rule {code} must be a mapping such as {example}").format(code=code, example="{enabled: false}"),
                            (top, code))
                else:
                    for key, setting in spec.items():
                        if key not in rules[code]:
                            problem(_("rule {code} has no setting '{key}'{suggestion}; it has {settings}").format(
                                code=code, key=key, suggestion=suggest(key, rules[code]),
                                settings=join(rules[code])), (top, code, key), True)
                        elif not _fits(base.rules[code][key], setting):
                            problem(_("{code}.{key} must be {kind}, not '{setting}'").format(
                                code=code, key=key, kind=_kind(base.rules[code][key]), setting=setting),
                                (top, code, key))
                        elif key in _CHOICES and (bad := [v for v in setting if v not in _CHOICES[key]()]):
                            problem(_("{code}.{key}: '{value}' is not one of {choices}").format(
                                code=code, key=key, value=bad[0], choices=join(_CHOICES[key]()))
                                + suggest(bad[0], _CHOICES[key]()), (top, code, key))
                        else:
                            rules[code][key] = setting
    return Config(rules, words, units, src.path), problems


@lru_cache(maxsize=16)
def _override(path: str, mtime_ns: int, lang: str) -> tuple[Config, tuple[Diagnostic, ...]]:
    """`lang` is part of the key: the problems are sentences in the language asked for."""
    try:
        src = load(Path(path))
    except SourceError as e:
        return shipped(), tuple(dataclasses.replace(d, code="E-ADVICE", severity=ERROR, about=REVIEW_RULES)
                                for d in e.diagnostics)
    config, problems = _merge(shipped(), src)
    return config, tuple(problems)


def config_for(source_path: Path) -> tuple[Config, tuple[Diagnostic, ...]]:
    """The rules that apply to a source, and the located problems of the bureau's file, if any."""
    path = override_path(source_path)
    if path is None:
        return shipped(), ()
    return _override(str(path), path.stat().st_mtime_ns, language())
