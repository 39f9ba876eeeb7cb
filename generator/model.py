"""The typed evaluation: what an officer types, validated; nothing here is derived.

Shape and types are pydantic's job (it also gives us the JSON Schema for editors). The form's
vocabulary (which 二级 belongs to which 一级, which funding lines a form has, which narrative
sections an outline has) depends on sibling fields, so a second pass checks it and reports with
exact data paths. Both passes collect every problem rather than stopping at the first.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag,
                      TypeAdapter, ValidationError)

from . import vocabulary as vocab
from .diagnostics import ERROR, Diagnostic, SourceError
from .load import Source


def _as_text(value: Any) -> Any:
    """Numbers typed where the form has text ('actual: 30') are kept as the text written."""
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return str(value)
    return value


# Characters XML 1.0 cannot carry (and so no .docx can): C0 controls but tab and newline, DEL,
# the non-characters U+FFFE/U+FFFF and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _printable(value: str) -> str:
    bad = _UNPRINTABLE.search(value)
    if bad:
        raise ValueError(f"the text holds the control character U+{ord(bad.group()):04X} at character "
                         f"{bad.start() + 1}, which no document can carry; delete it")
    return value


def _as_tier(value: Any) -> Any:
    return vocab.tier_names().get(str(value).strip(), value) if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_as_text), AfterValidator(_printable)]
# A cell of the 自评表 must fit on a page: a pasted page of text in 三级指标 is a mistake, not content.
CellText = Annotated[str, BeforeValidator(_as_text), Field(max_length=500), AfterValidator(_printable)]
LongCellText = Annotated[str, BeforeValidator(_as_text), Field(max_length=2000), AfterValidator(_printable)]
Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False, description="万元, as written on the form")]
Points = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]
TierName = Annotated[Literal["达成", "部分达成", "未达成"], BeforeValidator(_as_tier)]
Tier1 = Literal["产出指标", "效益指标", "满意度指标"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Amounts(Strict):
    """One 项目资金 row: 年初预算数, 全年预算数, 全年执行数; a blank cell is left out."""
    initial: Money | None = Field(None, title="年初预算数")
    adjusted: Money | None = Field(None, title="全年预算数")
    executed: Money | None = Field(None, title="全年执行数")


class Budget(Strict):
    weight: Points = Field(Decimal(10), title="预算执行率分值")
    lines: dict[str, Amounts] = Field(default_factory=dict, title="项目资金（万元）")


class FundManagement(Strict):
    """The provincial form's 资金管理 block: counted in the total, not printed on 附表1."""
    weight: Points = Field(title="分值")
    score: Points | None = Field(None, title="得分 (blank until the year is evaluated)")


class Goals(Strict):
    expected: LongCellText = Field("", title="预期目标")
    actual: LongCellText = Field("", title="实际完成情况")


class Indicator(Strict):
    name: CellText = Field(title="三级指标")
    target: CellText | None = Field(None, title="年度指标值")
    actual: CellText | None = Field(None, title="实际完成值")
    weight: Points = Field(title="分值")
    tier: TierName | None = Field(None, title="评价档次 (qualitative)")
    score: Points | None = Field(None, title="得分 (explicit)")
    reason: LongCellText | None = Field(None, title="偏差原因分析及改进措施")
    published_score: Decimal | None = Field(None, title="得分 as printed in an existing report")


class Member(Strict):
    """An indicator inside a group that shares one score: no 分值 of its own."""
    name: CellText = Field(title="三级指标")
    target: CellText | None = Field(None, title="年度指标值")
    actual: CellText | None = Field(None, title="实际完成值")


class Group(Strict):
    """Several indicators under one merged 分值/得分 cell (seed 002's 数量指标)."""
    members: list[Member] = Field(min_length=1)
    weight: Points = Field(title="分值")
    tier: TierName | None = None
    score: Points | None = None
    reason: LongCellText | None = None
    published_score: Decimal | None = None


def _entry_kind(value: Any) -> str:
    return "group" if isinstance(value, dict) and "members" in value else "indicator"


Entry = Annotated[Union[Annotated[Indicator, Tag("indicator")], Annotated[Group, Tag("group")]],
                  Discriminator(_entry_kind)]


class Scoring(Strict):
    reverse_rule: Literal["deviation", "ratio"] = Field(
        "deviation", title="≤ indicators missed: deviation = 分值×(1−(实际−目标)/目标), ratio = 分值×目标/实际")
    over_threshold: Annotated[Decimal, Field(gt=100, le=1000)] = Field(
        Decimal(130), title="% of target from which over-achievement needs a 偏差原因")
    over_rule: Literal["full", "proportional"] = Field(
        "full", title="over-achievement past the threshold: full, or 分值×阈值×目标/实际")


class Published(Strict):
    """Figures as printed in an existing report, to be checked against the computed ones."""
    execution_rate: Text | None = None
    budget_score: Decimal | None = None
    total: Decimal | None = None
    grade: Text | None = None
    unmet: list[Text] | None = None


class Item(Strict):
    title: Text
    amount: Money | None = Field(None, title="万元, printed after the title as （80万元）")
    text: Text | None = None
    items: list[Item] = Field(default_factory=list)
    after: Text | None = Field(None, title="Markdown after the nested items")


def _as_section(value: Any) -> Any:
    return {"text": value} if isinstance(value, (str, Decimal)) else value


class SectionBody(Strict):
    title: Text | None = Field(None, title="heading, when it differs from the outline's")
    text: Text | None = Field(None, title="Markdown before the items")
    items: list[Item] = Field(default_factory=list)
    after: Text | None = Field(None, title="Markdown after the items")


Section = Annotated[SectionBody, BeforeValidator(_as_section)]


class FundRow(Strict):
    situation: Text = Field("", title="情况说明")
    improvement: Text = Field("", title="存在问题和改进措施")


class ReferenceNarrative(Strict):
    overview: Section | None = None
    goals: Section | None = None
    scope: Section | None = None
    method: Section | None = None
    process: Section | None = None
    conclusion: Section | None = None
    decision: Section | None = None
    management: Section | None = None
    output: Section | None = None
    benefit: Section | None = None
    experience: Section | None = None
    suggestions: Section | None = None
    other: Section | None = None


class ShortNarrative(Strict):
    preamble: Section | None = None
    budget: Section | None = None
    performance: Section | None = None


class ProvincialNarrative(Strict):
    overview: Section | None = None
    fund_management: dict[str, FundRow] = Field(default_factory=dict)
    conclusion: Section | None = None
    problems: Section | None = None
    suggestions: Section | None = None


NARRATIVES: dict[str, type[Strict]] = {
    "reference": ReferenceNarrative, "short": ShortNarrative, "provincial": ProvincialNarrative}


class Evaluation(Strict):
    year: Annotated[int, Field(ge=2000, le=2100)] = Field(title="年度")
    fund: Text = Field(title="专项名称")
    project: Text = Field(title="项目名称 / 支出方向名称")
    department: Text = Field(title="主管部门")
    unit: Text = Field(title="实施单位")
    title: Text = Field(title="报告标题")
    subtitle: Text | None = Field(None, title="副标题")
    attachment: Annotated[int, Field(ge=1, le=99)] = Field(1, title="附件编号")
    outline: Literal["reference", "short", "provincial"] = Field(title="报告提纲")
    form: Literal["national", "city2020", "provincial"] = Field(title="自评表格式")
    period: Text | None = Field(None, title="项目总实施期")
    date: dt.date | None = Field(None, title="成文日期 (the 落款's date, YYYY-MM-DD)")
    budget: Budget
    fund_management: FundManagement | None = None
    goals: Goals = Field(default_factory=Goals)
    weights: dict[Tier1, Points] = Field(default_factory=dict, title="一级指标分值 when not 50/30/10")
    indicators: dict[Tier1, dict[str, list[Entry]]] = Field(title="绩效指标")
    scoring: Scoring = Field(default_factory=Scoring)
    narrative: dict[str, Any] = Field(default_factory=dict, title="报告正文 (keys depend on outline)")
    published: Published | None = None

    def weight_of(self, tier1: str) -> Decimal:
        """The 一级 weight as labelled on the form ("产出指标（50分）")."""
        return self.weights.get(tier1, vocab.default_weight(tier1))


# ---------------------------------------------------------------------------------------------
# pydantic errors → diagnostics


def _message(err: dict, path: tuple) -> tuple[str, str, bool]:
    """(code, sentence, at_key) for one pydantic error, in the form's own words."""
    kind, label = err["type"], vocab.field_label(path)
    value = err.get("input")
    if kind == "extra_forbidden":
        parent_fields = err.get("ctx", {}).get("fields", ())
        return "E-UNKNOWN-KEY", f"unknown key '{path[-1]}'{vocab.suggest(path[-1], parent_fields)}", True
    if kind == "missing":
        return "E-MISSING", f"{label} ({path[-1]}) is required but missing", False
    scalar_kinds = ("decimal", "int", "float", "bool", "string_type", "literal_error")
    if isinstance(value, (list, dict)) and kind.startswith(scalar_kinds):
        shape = "a list" if isinstance(value, list) else "a mapping"
        return "E-TYPE", f"{label} must be a single value, not {shape}", False
    if kind.startswith("decimal") or kind in ("int_parsing", "int_type", "float_parsing"):
        hint = ""
        if isinstance(value, str) and any(ch.isdigit() for ch in value):
            hint = "; write the number alone, without units or thousands separators"
        return "E-TYPE", f"{label} must be a number, not '{value}'{hint}", False
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return "E-RANGE", f"{label} is {value}; {err['msg'].lower()}", False
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return "E-VALUE", f"{label} cannot be '{value}'; expected {expected}", False
    if kind in ("string_type", "dict_type", "list_type", "model_type", "model_attributes_type"):
        want = {"string_type": "text", "dict_type": "a mapping", "list_type": "a list"}.get(kind, "a mapping")
        return "E-TYPE", f"{label} must be {want}, not {type(value).__name__ if value is not None else 'empty'}", False
    if kind in ("string_too_long", "too_long") and isinstance(value, str):
        limit = err.get("ctx", {}).get("max_length")
        return "E-TOO-LONG", f"{label} is {len(value)} characters; a cell of the 自评表 holds at most {limit}", False
    if kind == "value_error" and "control character" in err["msg"]:
        return "E-CONTROL", f"{label}: {err['msg'].removeprefix('Value error, ')}", False
    if kind == "too_short":
        return "E-EMPTY", f"{label} must not be empty", False
    return "E-VALUE", f"{label}: {err['msg']}", False


def _from_pydantic(exc: ValidationError, prefix: tuple, model: type[BaseModel]) -> list[Diagnostic]:
    errors = exc.errors(include_url=False)
    # 'titel: …' is one mistake, not two: when an unknown key is a near miss of a missing field,
    # report only the unknown key, whose message names the field it probably meant.
    unknown = {(tuple(e["loc"][:-1]), e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden"}
    errors = [e for e in errors if not (
        e["type"] == "missing" and any(parent == tuple(e["loc"][:-1]) and
                                       vocab.suggest(key, [e["loc"][-1]]) for parent, key in unknown))]
    out = []
    for err in errors:
        path = prefix + tuple(p for p in err["loc"] if p not in ("indicator", "group", "function-before[_as_section(), SectionBody]"))
        at_key = False
        if path and path[-1] == "[key]":
            path = path[:-1]
            at_key = True
        if err["type"] == "extra_forbidden":
            err = dict(err, ctx={"fields": _fields_at(model, path[len(prefix):-1])})
        code, message, key_problem = _message(err, path)
        if at_key and err["type"] == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            message = f"'{path[-1]}' is not a 一级指标; expected {expected}{vocab.suggest(path[-1], vocab.tier1_names())}"
        out.append(Diagnostic(code, ERROR, message, path, at_key or key_problem))
    return out


def _fields_at(model: type[BaseModel], path: tuple) -> list[str]:
    """The field names of the model found at `path`, for 'did you mean' suggestions.

    Steps that are not fields (dict keys such as 产出指标, list indexes) stay on the current model.
    """
    current: Any = model
    for step in path:
        fields = getattr(current, "model_fields", {})
        if isinstance(step, str) and step in fields:
            current = _model_in(fields[step].annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """The BaseModel class inside an annotation such as `Budget | None` or `list[Item]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) + tuple(getattr(annotation, "__metadata__", ())):
        found = _model_in(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _model_in(origin) if origin is not None and origin is not annotation else None


# ---------------------------------------------------------------------------------------------
# the vocabulary pass


def _vocabulary_problems(ev: Evaluation) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    allowed_lines = vocab.vocabulary()["budget_lines"][ev.form]
    for label in ev.budget.lines:
        if label not in allowed_lines:
            out.append(Diagnostic("E-VOCAB", ERROR, f"'{label}' is not a 项目资金 row of the {ev.form} form; "
                                  f"expected one of {', '.join(allowed_lines)}{vocab.suggest(label, allowed_lines)}",
                                  ("budget", "lines", label), True))
    for tier1, groups in ev.indicators.items():
        allowed = vocab.tier2_names(tier1)
        for tier2, entries in groups.items():
            if tier2 not in allowed:
                out.append(Diagnostic("E-VOCAB", ERROR, f"'{tier2}' is not a 二级指标 of {tier1}; expected one of "
                                      f"{', '.join(allowed)}{vocab.suggest(tier2, allowed)}",
                                      ("indicators", tier1, tier2), True))
            elif not entries:
                out.append(Diagnostic("E-EMPTY", ERROR, f"{tier1} / {tier2} has no indicators; remove the key "
                                      "(the form prints empty categories by itself)", ("indicators", tier1, tier2)))
    if ev.fund_management is not None and ev.form != "provincial":
        out.append(Diagnostic("E-VOCAB", ERROR, "资金管理 (fund_management) exists only on the provincial form",
                              ("fund_management",), True))
    return out


def _narrative(ev: Evaluation) -> tuple[Strict | None, list[Diagnostic]]:
    model = NARRATIVES[ev.outline]
    try:
        narrative = model.model_validate(ev.narrative)
    except ValidationError as exc:
        problems = _from_pydantic(exc, ("narrative",), model)
        for d in problems:  # name the outline so "unknown key" makes sense
            if d.code == "E-UNKNOWN-KEY":
                object.__setattr__(d, "message", d.message + f" for the {ev.outline} outline")
        return None, problems
    out = []
    if isinstance(narrative, ProvincialNarrative):
        rows = vocab.vocabulary()["fund_management_rows"]
        for label in narrative.fund_management:
            if label not in rows:
                out.append(Diagnostic("E-VOCAB", ERROR, f"'{label}' is not a row of 表1-2-2 资金管理情况表; expected "
                                      f"one of {', '.join(rows)}{vocab.suggest(label, rows)}",
                                      ("narrative", "fund_management", label), True))
    return narrative, out


def validate(source: Source) -> Evaluation:
    """Source → Evaluation, or SourceError listing every problem with its position."""
    data = source.data
    if not isinstance(data, dict):
        raise SourceError([source.locate(Diagnostic("E-TYPE", ERROR, "the file must be a mapping of "
                                                     "keys (year:, fund:, budget: …)", ()))])
    try:
        ev = Evaluation.model_validate(data)
    except ValidationError as exc:
        raise SourceError([source.locate(d) for d in _from_pydantic(exc, (), Evaluation)])
    narrative, problems = _narrative(ev)
    problems = _vocabulary_problems(ev) + problems
    if problems:
        raise SourceError([source.locate(d) for d in problems])
    return ev.model_copy(update={"narrative": narrative})


def json_schema() -> dict:
    schema = Evaluation.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "项目支出绩效自评 source (one evaluation)"
    return schema
