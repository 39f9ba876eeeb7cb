"""Narrative → Markdown: the officer's filled texts (generator.narrative_text) laid into an outline.

The outline templates in templates/outlines/ number the sections ("一、", "（一）", "1.") so nobody
retypes them; they run sandboxed with undefined names as errors, like the officer's text.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.bccache
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import cache
from ..compute import Figures, fmt_money, fmt_percent
from ..diagnostics import SourceError
from ..model import Evaluation
from ..paths import TEMPLATES
from ..narrative_text import RenderedNarrative, context

_NUMERALS = "一二三四五六七八九十"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+|!~^$@])")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for any outline)."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUMERALS[tens - 1]) + "十" + (_NUMERALS[ones - 1] if ones else "")


def md_escape(text: str | None) -> str:
    """Plain text (a title, a table cell) made inert inside Markdown."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text or "")).replace("\n", " ")


TITLE_LINE = 20          # 2号 (22 pt) characters in the 156 mm type area
TITLE_BREAKS = ("绩效自评报告", "绩效评价报告", "自评报告", "绩效自评表")


def display_width(text: str) -> float:
    """Width in full-width characters: ASCII digits and letters are half as wide."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def title_lines(title: str, limit: float = TITLE_LINE) -> list[str]:
    """A long title in lines that keep words whole (GB/T 9704 7.3.3): break before "绩效自评报告"
    when both lines fit, as the published reports do; else at the most balanced point."""
    title = title.strip()
    if display_width(title) <= limit:
        return [title]
    for word in TITLE_BREAKS:
        at = title.rfind(word)
        if at > 0 and display_width(title[:at]) <= limit and display_width(title[at:]) <= limit:
            return [title[:at], title[at:]]
    best = min(range(1, len(title)), key=lambda i: abs(display_width(title[:i]) - display_width(title[i:]))
               + (100 if title[i - 1].isdigit() and title[i].isdigit() else 0))
    return [title[:best]] + title_lines(title[best:], limit)


def chinese_date(day) -> str:
    """2026-03-09 → 2026年3月9日: Arabic numerals without leading zeros (GB/T 9704 7.3.5.2)."""
    return f"{day.year}年{day.month}月{day.day}日"


class _CompiledOutlines(jinja2.BytecodeCache):
    """The outline templates compiled once and kept in the cache folder (generator/cache.py):
    compiling an outline and its macros was ~12 ms of every cold build. jinja names an entry by
    the template and checks the template's source before using it; the name here also carries
    what else the compiled code depends on (jinja's version, the environment's kind and options),
    so an edited template or an upgraded jinja is compiled afresh, never served stale."""

    def __init__(self, env: jinja2.Environment):
        options = sorted((k, v) for k, v in vars(env).items() if isinstance(v, (str, bool, int)))
        self.salt = f"{jinja2.__version__}|{type(env).__qualname__}|{options!r}|"

    def _name(self, bucket: jinja2.bccache.Bucket) -> str:
        return hashlib.sha256((self.salt + bucket.key).encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = cache.kept("jinja", self._name(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)   # a stale or foreign entry is ignored by jinja

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        cache.keep("jinja", self._name(bucket), bucket.bytecode_to_string())


@lru_cache(maxsize=4)
def _outline_env(templates: Path) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(loader=jinja2.FileSystemLoader(templates / "outlines"),
                                        undefined=jinja2.StrictUndefined, autoescape=False,
                                        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.bytecode_cache = _CompiledOutlines(env)
    env.filters["md"] = md_escape
    env.filters["cn"] = chinese_number
    env.filters["title_lines"] = title_lines
    env.filters["cn_date"] = chinese_date
    return env


def markdown(ev: Evaluation, fig: Figures, texts: RenderedNarrative, templates: Path = TEMPLATES) -> str:
    """The whole narrative as pandoc Markdown; raises SourceError on any template error."""
    if texts.problems:
        raise SourceError(texts.problems)
    # Goals are cells of the 自评表 too, printed there as typed: plain text, not templates.
    goals = {"expected": md_escape(ev.goals.expected.strip()), "actual": md_escape(ev.goals.actual.strip())}
    lines = [{"label": label, "initial": fmt_money(a.initial), "adjusted": fmt_money(a.adjusted),
              "executed": fmt_money(a.executed), "rate": fmt_percent(fig.line_rates[label])}
             for label, a in fig.lines.items()]
    template = _outline_env(templates).get_template(f"{ev.outline}.md.j2")
    return template.render(ev=ev, fig=context(ev, fig), s=texts.sections, goals=goals,
                           fund_rows=texts.fund_rows, lines=lines, met=fig.met, unmet=fig.unmet)
