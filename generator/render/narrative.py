"""Narrative → Markdown: the officer's text rendered in jinja2's sandbox, laid into an outline.

Two environments, both sandboxed with undefined names as errors: one for the text an officer
types (so `{{ budget.executed }}万元` prints the computed figure and `{{ ''.__class__ }}` is
refused), one for our outline templates in templates/outlines/, which number the sections
("一、", "（一）", "1.") so nobody retypes them.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..compute import Figures, fmt_money, fmt_percent, fmt_score
from ..diagnostics import ERROR, Diagnostic, SourceError
from ..model import Evaluation, Item, SectionBody
from ..paths import TEMPLATES

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


def context(ev: Evaluation, fig: Figures) -> dict:
    """The computed figures an officer may write into the narrative, formatted as the table prints them."""
    return {
        "year": ev.year, "fund": ev.fund, "project": ev.project,
        "department": ev.department, "unit": ev.unit,
        "budget": {"initial": fmt_money(fig.budget.initial), "adjusted": fmt_money(fig.budget.adjusted),
                   "executed": fmt_money(fig.budget.executed)},
        "balance": fmt_money(fig.balance),
        "execution_rate": fmt_percent(fig.execution_rate),
        "budget_score": fmt_score(fig.budget_score),
        "total": fmt_score(fig.total),
        "grade": fig.grade or "",
    }


@lru_cache(maxsize=1)
def _text_env() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                                         keep_trailing_newline=True)


def _template_line(exc: BaseException) -> int | None:
    """The line inside the text where jinja2 failed (frames of compiled templates say '<template>')."""
    line, tb = getattr(exc, "lineno", None), exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


class _TextRenderer:
    """Renders every text of the narrative, collecting all template errors with their positions."""

    def __init__(self, ctx: dict):
        self.ctx = ctx
        self.problems: list[Diagnostic] = []

    def __call__(self, text: str | None, path: tuple) -> str:
        if text is None:
            return ""
        text = str(text)
        if "{" not in text:
            return text
        try:
            return _text_env().from_string(text).render(self.ctx)
        except SecurityError as e:
            self._problem("E-TEMPLATE-UNSAFE", f"the text uses something templates may not touch ({e}); "
                          "only figures such as {{ total }} are available", path, e)
        except jinja2.UndefinedError as e:
            name = re.search(r"'([^']+)' is undefined", str(e))
            what = f"'{name.group(1)}'" if name else str(e)
            self._problem("E-TEMPLATE", f"{what} is not a figure the text can use; available: "
                          f"{', '.join(sorted(self.ctx))}", path, e)
        except jinja2.TemplateError as e:
            self._problem("E-TEMPLATE", f"template syntax: {e.message or e}", path, e)
        except Exception as e:  # noqa: BLE001 — e.g. TypeError from `{{ total + 1 }}` on text
            self._problem("E-TEMPLATE", f"the template failed: {e}", path, e)
        return text

    def _problem(self, code: str, message: str, path: tuple, exc: BaseException) -> None:
        line = _template_line(exc)
        self.problems.append(Diagnostic(code, ERROR, message, path, line_offset=(line - 1) if line else 0))


def _section(render: _TextRenderer, section: SectionBody | None, path: tuple) -> dict | None:
    if section is None:
        return None
    text_path = path + ("text",)
    return {"title": section.title, "text": render(section.text, text_path).strip(),
            "items": [_item(render, it, path + ("items", i)) for i, it in enumerate(section.items)],
            "after": render(section.after, path + ("after",)).strip()}


def _item(render: _TextRenderer, item: Item, path: tuple) -> dict:
    return {"title": item.title, "amount": fmt_money(item.amount) if item.amount is not None else "",
            "text": render(item.text, path + ("text",)).strip(),
            "items": [_item(render, it, path + ("items", i)) for i, it in enumerate(item.items)],
            "after": render(item.after, path + ("after",)).strip()}


@lru_cache(maxsize=4)
def _outline_env(templates: Path) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(loader=jinja2.FileSystemLoader(templates / "outlines"),
                                        undefined=jinja2.StrictUndefined, autoescape=False,
                                        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md_escape
    env.filters["cn"] = chinese_number
    env.filters["title_lines"] = title_lines
    return env


def markdown(ev: Evaluation, fig: Figures, templates: Path = TEMPLATES) -> str:
    """The whole narrative as pandoc Markdown; raises SourceError on any template error."""
    ctx = context(ev, fig)
    render = _TextRenderer(ctx)
    narrative = ev.narrative
    sections = {}
    for key in type(narrative).model_fields:
        value = getattr(narrative, key)
        if isinstance(value, SectionBody) or value is None:
            sections[key] = _section(render, value, ("narrative", key))
    # Goals are cells of the 自评表 too, printed there as typed: plain text, not templates.
    goals = {"expected": md_escape(ev.goals.expected.strip()), "actual": md_escape(ev.goals.actual.strip())}
    fund_rows = [{"label": label, "situation": render(row.situation, ("narrative", "fund_management", label, "situation")),
                  "improvement": render(row.improvement, ("narrative", "fund_management", label, "improvement"))}
                 for label, row in getattr(narrative, "fund_management", {}).items()]
    if render.problems:
        raise SourceError(render.problems)
    lines = [{"label": label, "initial": fmt_money(a.initial), "adjusted": fmt_money(a.adjusted),
              "executed": fmt_money(a.executed), "rate": fmt_percent(fig.line_rates[label])}
             for label, a in fig.lines.items()]
    met = [n for f in fig.indicators if f.achieved for n in f.names]
    unmet = [n for f in fig.indicators if f.achieved is False for n in f.names]
    template = _outline_env(templates).get_template(f"{ev.outline}.md.j2")
    return template.render(ev=ev, fig=ctx, s=sections, goals=goals, fund_rows=fund_rows,
                           lines=lines, met=met, unmet=unmet)
