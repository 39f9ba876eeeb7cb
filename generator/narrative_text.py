"""The texts an officer types into the narrative, filled with the computed figures.

jinja2's immutable sandbox with undefined names as errors: `{{ budget.executed }}万元` prints the
computed figure, while `{{ ''.__class__ }}` or `{% import %}` is refused with a message. Every text
is filled once per evaluation (by the pipeline) and every error collected with its position, so
`check` reports them all before a build is attempted; the outline (generator.render.narrative)
then lays the filled texts out. Nothing here knows about Markdown or Word.

The figures a text may print are listed once, by `catalogue`: each with the variable that prints
it, so the context the templates see and the check of numbers typed by hand (W-NARRATIVE) cannot
disagree about names. docs/source-format.md documents the variables.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .compute import Figures, fmt_money, fmt_percent, fmt_score, fmt_weight
from .diagnostics import ERROR, Diagnostic
from .i18n import _, join
from .model import Evaluation, Group, Item, SectionBody
from .quantity import parse_value

MONEY_UNIT = "万元"
PERCENT_UNIT = "%"
POINTS_UNIT = "分"


@dataclass(frozen=True)
class NamedFigure:
    """One figure of the table as a text may print it."""
    value: Decimal
    unit: str          # 万元, %, 分, or an indicator's own unit (人, 户, 公里 …)
    label: str         # the table's words for it: "当年财政拨款 全年预算数", "培训人数 实际完成值"
    variable: str      # the template expression that prints it: "lines.当年财政拨款.adjusted"
    is_target: bool = False   # a 年度指标值: what a text states as a goal, not as a result


def _members(entry):
    return entry.members if isinstance(entry, Group) else [entry]


def context(ev: Evaluation, fig: Figures) -> dict:
    """The computed figures an officer may write into the narrative, formatted as the table prints them."""
    money = lambda a: {"initial": fmt_money(a.initial), "adjusted": fmt_money(a.adjusted),
                       "executed": fmt_money(a.executed)}
    indicator = {}
    for f in fig.indicators:
        for m in _members(ev.entry(f.path)):
            indicator[m.name] = {"target": m.target or "", "actual": m.actual or "",
                                 "weight": fmt_weight(f.weight), "score": fmt_score(f.score)}
    return {
        "year": ev.year, "fund": ev.fund, "project": ev.project,
        "department": ev.department, "unit": ev.unit,
        "budget": money(fig.budget),
        "lines": {label: {**money(a), "rate": fmt_percent(fig.line_rates[label])} for label, a in fig.lines.items()},
        "balance": fmt_money(fig.balance),
        "execution_rate": fmt_percent(fig.execution_rate),
        "budget_score": fmt_score(fig.budget_score),
        "indicator": indicator,
        "subtotal": {s.tier1: {"weight": fmt_weight(s.label_weight), "score": fmt_score(s.score)}
                     for s in fig.subtotals},
        "total": fmt_score(fig.total),
        "grade": fig.grade or "",
    }


def catalogue(ev: Evaluation, fig: Figures) -> list[NamedFigure]:
    """Every number of the table a text may repeat, with its unit and the variable printing it."""
    out: list[NamedFigure] = []

    def add(value, unit, label, variable, is_target=False):
        if value is not None:
            out.append(NamedFigure(value, unit, label, variable, is_target))

    columns = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))
    for key, name in columns:
        add(getattr(fig.budget, key), MONEY_UNIT, f"年度资金总额 {name}", f"budget.{key}")
    add(fig.balance, MONEY_UNIT, "结余", "balance")
    for label, a in fig.lines.items():
        for key, name in columns:
            add(getattr(a, key), MONEY_UNIT, f"{label} {name}", f"lines.{label}.{key}")
        add(fig.line_rates[label], PERCENT_UNIT, f"{label} 执行率", f"lines.{label}.rate")
    add(fig.execution_rate, PERCENT_UNIT, "执行率", "execution_rate")
    add(fig.budget_score, POINTS_UNIT, "预算执行率得分", "budget_score")
    for s in fig.subtotals:
        add(s.score, POINTS_UNIT, f"{s.tier1}得分", f"subtotal.{s.tier1}.score")
    add(fig.total, POINTS_UNIT, "总分", "total")
    for f in fig.indicators:
        add(f.score, POINTS_UNIT, f"{f.name} 得分", f"indicator['{f.names[0]}'].score")
        for m in _members(ev.entry(f.path)):
            for key, name in (("target", "年度指标值"), ("actual", "实际完成值")):
                q = parse_value(getattr(m, key))
                if q is not None and q.unit:
                    add(q.value, q.unit, f"{m.name} {name}", f"indicator['{m.name}'].{key}", key == "target")
    return out


class _Refused(Exception):
    """A text asked for another template: texts may print figures, nothing else."""


class _NoTemplates(jinja2.BaseLoader):
    def get_source(self, environment, template):
        raise _Refused(template)


@lru_cache(maxsize=1)
def _text_env() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(loader=_NoTemplates(), undefined=jinja2.StrictUndefined,
                                         autoescape=False, keep_trailing_newline=True)


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
            self._problem("E-TEMPLATE-UNSAFE", _("the text uses something templates may not touch ({error}); "
                                                 "only figures such as {example} are available").format(
                error=e, example="{{ total }}"), path, e)
        except jinja2.UndefinedError as e:
            name = re.search(r"'([^']+)' is undefined", str(e))
            what = _("'{value}'").format(value=name.group(1)) if name else str(e)
            self._problem("E-TEMPLATE", _("{what} is not a figure the text can use; available: {names}").format(
                what=what, names=join(sorted(self.ctx))), path, e)
        except jinja2.TemplateError as e:
            self._problem("E-TEMPLATE", _("template syntax: {error}").format(error=e.message or e), path, e)
        except _Refused as e:   # {% import %}, {% include %}, {% extends %}
            self._problem("E-TEMPLATE-UNSAFE", _("the text may not import, include or extend other templates; "
                                                 "only figures such as {example} are available").format(
                example="{{ total }}"), path, e)
        except Exception as e:  # noqa: BLE001 — e.g. TypeError from `{{ total + 1 }}` on text
            self._problem("E-TEMPLATE", _("the template failed: {error}").format(error=e), path, e)
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


def fill(ev: Evaluation, fig: Figures) -> RenderedNarrative:
    """Every text of the narrative with its figures, and the problems met on the way."""
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
