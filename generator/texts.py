"""The text an officer types into the narrative, rendered with the computed figures.

jinja2's immutable sandbox with undefined names as errors: `{{ budget.executed }}万元` prints the
computed figure, while `{{ ''.__class__ }}` or `{% import %}` is refused with a message. Every text
is rendered and every error collected with its position, so `check` reports them all before a
build is attempted. Nothing here knows about Markdown or Word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .compute import Figures, fmt_money, fmt_percent, fmt_score
from .diagnostics import ERROR, Diagnostic
from .model import Evaluation, Item, SectionBody


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
            if "no loader" in str(e):   # {% import %}, {% include %}, {% extends %}
                self._problem("E-TEMPLATE-UNSAFE", "the text may not import, include or extend other "
                              "templates; only figures such as {{ total }} are available", path, e)
            else:
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


@dataclass
class RenderedNarrative:
    sections: dict = field(default_factory=dict)      # key → {title, text, items, after} or None
    fund_rows: list = field(default_factory=list)     # 表1-2-2 rows
    problems: list[Diagnostic] = field(default_factory=list)


def render_narrative(ev: Evaluation, fig: Figures) -> RenderedNarrative:
    render = _TextRenderer(context(ev, fig))
    out = RenderedNarrative()
    narrative = ev.narrative
    for key in type(narrative).model_fields:
        value = getattr(narrative, key)
        if isinstance(value, SectionBody) or value is None:
            out.sections[key] = _section(render, value, ("narrative", key))
    for label, row in getattr(narrative, "fund_management", {}).items():
        path = ("narrative", "fund_management", label)
        out.fund_rows.append({"label": label, "situation": render(row.situation, path + ("situation",)),
                              "improvement": render(row.improvement, path + ("improvement",))})
    out.problems = render.problems
    return out
