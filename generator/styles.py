"""templates/styles.yaml read as data: page, fonts and paragraph styles of the report.

Its own module, without python-docx, because more than the Word document reads it: the workbook,
the year summary, and the check that every character of a source is in the body font's set
(glyphs.py), which `check` runs as `build` does.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

from .paths import TEMPLATES
from .yaml_nodes import load_data

STYLES_PATH = TEMPLATES / "styles.yaml"


def load_styles(path: Path = STYLES_PATH) -> dict[str, Any]:
    """The parsed styles.yaml (page, fonts, styles): a fresh copy, parsed once per content of
    the file (ruamel.yaml took some 40 ms for it, and every report and workbook asks)."""
    return copy.deepcopy(_parse(Path(path).read_bytes()))


@lru_cache(maxsize=8)
def _parse(content: bytes) -> dict[str, Any]:
    """Shared between callers: read it, never change it (load_styles hands out copies)."""
    return load_data(content.decode("utf-8"))


def body_font(path: Path = STYLES_PATH) -> str:
    """The font the report's text is set in (fonts: fangsong)."""
    return _parse(Path(path).read_bytes())["fonts"]["fangsong"]
