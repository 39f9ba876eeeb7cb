"""The report's text around the 自评表: headings matched to the outline's sections, their
paragraphs imported as each section's text.

The outline's headings are read from its template (templates/outlines/<name>.md.j2: the
`m.section(level, n, "title", s.key)` and `m.heading(level, n, "title")` calls, in order), so they
are the ones the build prints. A document heading is matched by its title; failing that, by its
place (the next heading of its level in the outline, its own title then kept as the section's
`title`). A heading deeper than its section's stays in the section's text (a report's numbered
items); text under a heading the outline fills itself (表1-2-1, the 绩效目标 lines) is left out;
text under a heading with no place is reported as not read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..paths import TEMPLATES
from .cells import norm, quirks

CALL = re.compile(r'm\.(section|heading)\(\s*(\d+),\s*\d+,\s*"([^"]+)"(?:,\s*s\.(\w+))?\s*\)')
GOALS = re.compile(r'\s*\}\}\s*\{\{\s*goals\.(expected|actual)\b')
OUTLINES = ("reference", "short", "provincial")


@dataclass(frozen=True)
class Heading:
    level: int
    title: str            # normalised
    key: str | None       # the section it opens; None for a heading the outline fills itself


@lru_cache(maxsize=None)
def outline_headings(outline: str) -> tuple[Heading, ...]:
    """The outline's headings in order; a plain heading the template follows with a goals text
    (`{{ goals.expected … }}`) opens that field, as "goals.expected"."""
    text = (TEMPLATES / "outlines" / f"{outline}.md.j2").read_text(encoding="utf-8")
    out = []
    for m in CALL.finditer(text):
        _kind, level, title, key = m.groups()
        follows = GOALS.match(text, m.end())
        out.append(Heading(int(level), norm(title), key or (f"goals.{follows.group(1)}" if follows else None)))
    return tuple(out)


def heading_level(style: str, text: str) -> int | None:
    """1 for "一、…", 2 for "（一）…" …, or the level of a Heading style; None for body text."""
    if style.startswith("Heading") and style.removeprefix("Heading").strip().isdigit():
        return int(style.removeprefix("Heading"))
    if len(text) > 40 or text.rstrip().endswith(("。", "；", ".")):
        return None
    return next((i + 1 for i, p in enumerate(quirks()["heading_levels"]) if re.match(p, text)), None)


def bare(text: str) -> str:
    """A heading's title without its number."""
    for p in quirks()["heading_levels"]:
        text = re.sub(p, "", text.strip())
    return text.strip()


def best_outline(paragraphs: list[tuple[str, str]], fallback: str) -> tuple[str, int]:
    """The outline whose headings the document's headings match most, and how many match."""
    heads = {norm(bare(t)) for s, t in paragraphs if heading_level(s, t.strip())}

    def hits(outline: str) -> int:
        return len(heads & {h.title for h in outline_headings(outline)})
    best = max(OUTLINES, key=lambda o: (hits(o), o == fallback))
    return best, hits(best)


def sections(paragraphs: list[tuple[str, str]], outline: str) -> tuple[dict, list[str], dict[str, str]]:
    """({section key: text, or {title, text} when its heading differs}, [headings not placed],
    {section key: the heading placed by position})."""
    headings = outline_headings(outline)
    texts: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    unread: list[str] = []
    key: str | None = "preamble" if outline == "short" else None
    level, pos = 0, 0
    for style, text in paragraphs:
        text = text.strip()
        depth = heading_level(style, text) if text else None
        if not text:
            continue
        if depth is None:
            if key is not None:
                texts.setdefault(key, []).append(text)
            continue
        title = norm(bare(text))
        j = next((i for i in range(len(headings)) if headings[i].title == title), None)
        if j is None and key is not None and 0 < level < depth:
            texts.setdefault(key, []).append(text)   # a numbered item of the section
            continue
        if j is None:                                # by place: the next heading of this level
            j = next((i for i in range(pos, len(headings)) if headings[i].level <= depth), None)
            if j is None or headings[j].level != depth or headings[j].key is None:
                key = None
                unread.append(text)
                continue
            titles[headings[j].key] = bare(text)
        key, level, pos = headings[j].key, headings[j].level, j + 1
        if key is not None:
            texts.setdefault(key, [])
    out = {}
    for k, lines in texts.items():
        body = "\n\n".join(lines)
        if k in titles:
            out[k] = {"title": titles[k], "text": body} if body else {"title": titles[k]}
        elif body:
            out[k] = body
    return out, unread, titles
