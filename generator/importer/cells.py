"""A cell's text as matching needs it: Word's and WPS's quirks handled once, here.

`norm` makes a label comparable (NFKC folds full-width digits and brackets, every space and line
break goes); `value_text` keeps a value as the source holds it (lines joined, full-width digits
made ASCII, a stray space between two characters dropped, a dash read as blank); `number` reads a
printed figure as written. What counts as blank or as a look-alike is data: quirks.yaml.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from ..yaml_nodes import load_data

CJK = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
FULL_WIDTH_DIGITS = {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF0E: ord("."), 0xFF05: ord("%")}


@lru_cache(maxsize=1)
def quirks() -> dict:
    return load_data(Path(__file__).with_name("quirks.yaml").read_text(encoding="utf-8"))


def norm(text: str | None) -> str:
    """A cell's text for comparing with a label: NFKC (full-width digits and brackets), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def value_text(text: str | None, joiner: str = "") -> str | None:
    """A value cell as the source holds it; None when blank. `joiner` joins the cell's lines
    ("" for short values, a line break for running text such as 偏差原因)."""
    lines = [line.strip() for line in (text or "").replace("\r", "\n").split("\n")]
    joined = joiner.join(line for line in lines if line).translate(FULL_WIDTH_DIGITS)
    joined = re.sub(r"[ \u3000]+", " ", joined).strip()
    joined = re.sub(f"(?<={CJK}) (?={CJK})", "", joined)      # Word's stray space between two characters
    return None if not joined or joined in quirks()["blanks"] else joined


def lookalike(text: str) -> tuple[str, str] | None:
    """(typed, meant) when a value starts with an input method's look-alike of a comparator."""
    meant = quirks()["lookalikes"].get(text[:1])
    return (text[0], meant) if meant else None


def number(text: str | None) -> Decimal | None:
    """A printed number ('239.4', '8.99', '10分'), as written; None when the cell holds none."""
    t = norm(text).replace(",", "")
    for unit in quirks()["number_units"]:
        t = t.removesuffix(unit)
    if not t or t in quirks()["blanks"]:
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def year_in(text: str) -> int | None:
    """The year printed in a line ("（2022年度）"), if any."""
    m = re.search(r"((?:19|20)\d\d)" + re.escape(quirks()["year_mark"]), norm(text))
    return int(m.group(1)) if m else None
