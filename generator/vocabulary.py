"""The form's official vocabulary, read once from vocabulary.yaml (data, not code)."""
from __future__ import annotations

import difflib
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .i18n import _
from .paths import TEMPLATES
from .yaml_nodes import load_data


# The word new-year writes where last year's text must be rewritten, and `check` counts (W-TODO).
TODO_MARKER = "TODO"


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return load_data(Path(__file__).with_name("vocabulary.yaml").read_text(encoding="utf-8"))


def tier_names() -> dict[str, str]:
    """Every accepted spelling of a qualitative tier → its short name."""
    out = {}
    for short, spec in vocabulary()["tiers"].items():
        out[short] = short
        for alias in spec.get("aliases", []):
            out[alias] = short
    return out


def tier_band(tier: str) -> tuple[Decimal, Decimal]:
    low, high = vocabulary()["tiers"][tier]["band"]
    return Decimal(low), Decimal(high)


def grade_bands() -> list[tuple[str, Decimal, list[str]]]:
    return [(g["grade"], Decimal(g["from"]), g.get("aliases", [])) for g in vocabulary()["grades"]]


def normalise_grade(text: str) -> str:
    text = str(text).strip().removeprefix("等级：").removeprefix("等级:")
    for grade, _, aliases in grade_bands():
        if text == grade or text in aliases:
            return grade
    return text


def field_label(path: tuple) -> str:
    """The form's label for the field at a data path (the most specific one known)."""
    fields = vocabulary()["fields"]
    keys = [k for k in path if isinstance(k, str)]
    if len(keys) >= 2 and f"{keys[-2]}.{keys[-1]}" in fields:
        return fields[f"{keys[-2]}.{keys[-1]}"]
    if keys and keys[-1] in fields:
        return fields[keys[-1]]
    return keys[-1] if keys else "文件"


def suggest(word: str, choices) -> str:
    """A ' (did you mean …?)' tail, or '' when nothing is close."""
    match = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return _(" (did you mean '{match}'?)").format(match=match[0]) if match else ""


def placeholder() -> str:
    """The value `new` writes where the officer has still to write one."""
    return vocabulary()["placeholder"]


def reused_marker() -> str:
    """What new-year puts before a section it kept from last year."""
    return vocabulary()["reused_marker"]


@lru_cache(maxsize=8)
def outline_sections(outline: str) -> list[tuple[str, str]]:
    """(key, heading) of each narrative section, in the order the outline template prints them."""
    text = (TEMPLATES / "outlines" / f"{outline}.md.j2").read_text(encoding="utf-8")
    return [(key, heading) for heading, key in re.findall(r'"([^"]+)",\s*s\.(\w+)', text)]


