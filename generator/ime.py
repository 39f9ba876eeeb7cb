"""The Chinese input method's punctuation, found where it breaks the YAML structure.

An officer types keys and values with a Chinese IME switched on: `weight：6` (full-width colon),
`[甲，乙]` (full-width comma), a full-width space in the indentation, `target: >90%` (YAML reads a
leading `>` as a folded block). YAML either fails a line later with parser jargon ("could not find
expected ':'") or, worse, silently reads a different structure (`当年财政拨款：{initial: 100}` becomes
a key named '当年财政拨款：{initial'). `scan` reads the text line by line, outside block texts
(`|`, `>`) where full-width punctuation is ordinary Chinese, and names each mistake at its line and
column. It is deliberately narrow: a full-width colon counts only after an ASCII key of the format or
a label of the form's vocabulary, so '培训：120人' in a value is left alone.

`comparator_marks` is the check for the one IME habit YAML reads without complaint: `》90%` and
`＞90%` at the start of a 年度指标值 are scored as ≥ and > (quantity.py); a warning says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import vocabulary as vocab
from .diagnostics import WARNING, Diagnostic
from .i18n import _
from .paths import TEMPLATES
from .yaml_nodes import load_data

IDEOGRAPHIC_SPACE = "\u3000"
_BLOCK_HEADER = re.compile(r"^[|>][-+]?[1-9]?[-+]?$")   # what may follow `key: ` to open a block text
_LINE = re.compile(r"^(?P<indent>[ \u3000]*)(?P<dash>-[ \u3000]+)?(?P<rest>.*)$")
_ASCII_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Slip:
    line: int      # 1-based
    column: int    # 1-based, in characters
    message: str


@lru_cache(maxsize=1)
def _known_labels() -> frozenset[str]:
    """The labels officers type as keys: the shipped forms' 一级, 二级 and funding lines, read from
    the profiles as plain YAML (the profile loader itself runs this scan, so it cannot be used here)."""
    labels = set(vocab.vocabulary()["fund_management_rows"])
    for path in (TEMPLATES / "forms").glob("*.yaml"):
        data = load_data(path.read_text(encoding="utf-8")) or {}
        for tier1, spec in (data.get("tier1") or {}).items():
            labels.add(tier1)
            labels.update((spec or {}).get("tier2") or [])
        labels.update(((data.get("money") or {}).get("lines")) or [])
    return frozenset(labels)


def _structural_lines(text: str):
    """(line number, line) of every line that is YAML structure: not inside a `|`/`>` block text,
    not a comment."""
    block_indent: int | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped.strip() or indent > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        yield number, line
        if _BLOCK_HEADER.match(_value(line)[1]):
            block_indent = indent


def _value(line: str) -> tuple[int, str]:
    """The 0-based column and the text (comment dropped) of the value a line holds: after
    `key: `, after `- `, or nothing."""
    m = _LINE.match(line)
    offset = len(m["indent"]) + len(m["dash"] or "")
    key, colon, value = m["rest"].partition(": ")
    if colon:
        offset += len(key) + 2
    elif m["rest"].endswith(":") or not m["dash"]:
        return offset, ""
    else:
        value = m["rest"]
    stripped = value.lstrip(" ")
    offset += len(value) - len(stripped)
    return offset, stripped.split(" #")[0].rstrip()


_NEXT_KEY = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*[:：]")
_KEY_BEFORE = re.compile(r"[{,，]\s*[A-Za-z_][A-Za-z0-9_]*\s*$")


def _flow_slips(number: int, line: str, start: int) -> list[Slip]:
    """Full-width commas and colons inside a [ … ] or { … } that starts at `start`, outside quotes,
    where they act as structure: in a list every "，" (a list of names written 数量指标，质量指标 is one
    name to YAML); in a mapping a "，" before the next key or a "：" right after a key. Chinese
    punctuation inside a mapping's text value ({method: 问卷调查，全部收回}) is the text's own."""
    out: list[Slip] = []
    depth, quote, kinds = 0, None, []
    for i in range(start, len(line)):
        ch = line[i]
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
            kinds.append(ch)
        elif ch in "]}":
            depth -= 1
            kinds.pop() if kinds else None
            if depth == 0:
                break
        elif ch == "，" and (kinds[-1:] == ["["] or _NEXT_KEY.match(line, i + 1)):
            out.append(Slip(number, i + 1, _("full-width comma “，” should be a half-width “,”")))
        elif ch == "：" and _KEY_BEFORE.search(line, start, i):
            out.append(Slip(number, i + 1, _("full-width colon “：” should be a half-width “:”")))
        elif ch == "#" and line[i - 1:i] == " ":
            break
    return out


def scan(text: str) -> list[Slip]:
    """Every IME slip in the structure of a source, in file order."""
    labels = _known_labels()
    slips: list[Slip] = []
    for number, line in _structural_lines(text):
        m = _LINE.match(line)
        indent, dash, rest = m["indent"], m["dash"] or "", m["rest"]
        if IDEOGRAPHIC_SPACE in indent + dash:
            slips.append(Slip(number, (indent + dash).index(IDEOGRAPHIC_SPACE) + 1,
                              _("a full-width space (U+3000) in the indentation; indent with half-width spaces")))
            continue
        offset = len(indent) + len(dash)
        key, colon, _after = rest.partition("：")
        if colon and ":" not in key and (_ASCII_KEY.fullmatch(key.strip()) or key.strip() in labels):
            slips.append(Slip(number, offset + len(key) + 1,
                              _("full-width colon “：” should be a half-width “:” (after '{key}')").format(
                                  key=key.strip())))
            continue
        value_at, value = _value(line)
        if value[:1] in ("[", "{"):
            slips.extend(_flow_slips(number, line, value_at))
        elif value.startswith(">") and not _BLOCK_HEADER.match(value):
            slips.append(Slip(number, value_at + 1, _("a value that starts with “>” must be quoted: write "
                                                      "'{value}'").format(value=value)))
    return slips


# --- the check: IME comparators YAML reads without complaint -------------------------------------

COMPARATOR_MARKS = {"》": "≥", "《": "≤", "＞": ">", "＜": "<"}
