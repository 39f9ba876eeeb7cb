"""The typed evaluation: what an officer types; nothing here is derived, nothing knows files.

Shape and types are pydantic's job (it also gives us the JSON Schema for editors). What depends
on sibling fields (the form's vocabulary, the outline's narrative sections) is checked by
`validate`, which turns a Source into an Evaluation with located diagnostics.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, PrivateAttr,
                      SkipValidation, Tag, WithJsonSchema)

from . import vocabulary as vocab
from .i18n import _


def _as_text(value: Any) -> Any:
    """Numbers typed where the form has text ('actual: 30') are kept as the text written."""
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return str(value)
    return value


# Characters XML 1.0 cannot carry (and so no .docx can): C0 controls but tab and newline, DEL,
# the non-characters U+FFFE/U+FFFF and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


class ControlCharacter(ValueError):
    """A character no document can carry: its own class, so validation names it E-CONTROL."""


def _printable(value: str) -> str:
    bad = _UNPRINTABLE.search(value)
    if bad:
        raise ControlCharacter(_("the text holds the control character U+{code} at character {at}, which no "
                                 "document can carry; delete it").format(code=f"{ord(bad.group()):04X}",
                                                                         at=bad.start() + 1))
    return value


def _as_tier(value: Any) -> Any:
    return vocab.tier_names().get(str(value).strip(), value) if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_as_text), AfterValidator(_printable)]
# A cell of the 自评表 must fit on a page: a pasted page of text in 三级指标 is a mistake, not content.
CellText = Annotated[str, BeforeValidator(_as_text), Field(max_length=500), AfterValidator(_printable)]
LongCellText = Annotated[str, BeforeValidator(_as_text), Field(max_length=2000), AfterValidator(_printable)]
Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False, description="万元, as written on the form"),
                  WithJsonSchema({"type": "number", "minimum": 0, "description": "万元, as written on the form"})]
Points = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False),
                   WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100})]
TierName = Annotated[Literal["达成", "部分达成", "未达成"], BeforeValidator(_as_tier)]
# 一级指标 names: the form's profile lists them (validate checks), so the type is a plain name here.
Tier1 = Annotated[str, Field(min_length=1)]
Direction = Literal["≥", "≤", "=", "正向", "反向"]


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
    direction: Direction | None = Field(None, title="指标性质 (≥ ≤ = or 正向/反向), when the target is a bare number")
    unit: CellText | None = Field(None, title="度量单位, when the form has its own unit column")
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
    direction: Direction | None = Field(None, title="指标性质 (≥ ≤ = or 正向/反向)")
    unit: CellText | None = Field(None, title="度量单位")


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
    reverse_rule: Literal["ratio", "deviation"] = Field(
        "ratio", title="≤ indicators missed: ratio = 分值×目标/实际 (the forms' rule), deviation = 分值×(1−(实际−目标)/目标)")
    over_threshold: Annotated[Decimal, Field(gt=100, le=1000)] = Field(
        Decimal(130), title="% of target from which over-achievement needs a 偏差原因")
    over_rule: Literal["full", "proportional"] = Field(
        "full", title="over-achievement past the threshold: full, or 分值×阈值×目标/实际")


class Survey(Strict):
    """How 满意度 was measured: a reviewer's first question about a 满意度 at 100% or full marks."""
    method: CellText = Field(title="调查方式")
    sample: Annotated[int, Field(ge=1)] | None = Field(None, title="样本量")


class Published(Strict):
    """Figures as printed in an existing report, to be checked against the computed ones."""
    execution_rate: Text | None = None
    budget_score: Decimal | None = None
    weights: dict[Tier1, Decimal] | None = Field(None, title="一级指标分值 as printed (产出指标（50分）)")
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


# A section may be written as its text alone ("other: 无"): the schema says so too.
Section = Annotated[SectionBody, BeforeValidator(_as_section, json_schema_input_type=Union[str, SectionBody])]


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


class NoNarrative(Strict):
    """outline: none — the 自评表 alone, as many units publish it: no report text."""


Narrative = ReferenceNarrative | ShortNarrative | ProvincialNarrative | NoNarrative

NARRATIVES: dict[str, type[Strict]] = {
    "reference": ReferenceNarrative, "short": ShortNarrative, "provincial": ProvincialNarrative,
    "none": NoNarrative}


class Evaluation(Strict):
    year: Annotated[int, Field(ge=2000, le=2100)] = Field(title="年度")
    fund: Text = Field(title="专项名称")
    project: Text = Field(title="项目名称 / 支出方向名称")
    department: Text = Field(title="主管部门")
    unit: Text = Field(title="实施单位")
    title: Text = Field(title="报告标题")
    subtitle: Text | None = Field(None, title="副标题")
    attachment: Annotated[int, Field(ge=1, le=99)] = Field(1, title="附件编号")
    outline: Literal["reference", "short", "provincial", "none"] = Field(title="报告提纲 (none: the 自评表 alone)")
    form: Annotated[str, Field(min_length=1)] = Field(title="自评表格式: a form profile (national, city2020, "
                                                        "provincial, sichuan, target80, anhui, or forms/<name>.yaml)")
    period: Text | None = Field(None, title="项目总实施期")
    date: dt.date | None = Field(None, title="成文日期 (the 落款's date, YYYY-MM-DD)")
    budget: Budget
    fund_management: FundManagement | None = None
    goals: Goals = Field(default_factory=Goals)
    weights: dict[Tier1, Points] = Field(default_factory=dict, title="一级指标分值 when not 50/30/10")
    indicators: dict[Tier1, dict[str, list[Entry]]] = Field(title="绩效指标")
    scoring: Scoring = Field(default_factory=Scoring)
    # The sections depend on `outline`, a sibling field, so pydantic accepts the mapping as it is and
    # `validate` replaces it with the outline's model: after validation this is always a Narrative.
    narrative: SkipValidation[Narrative | None] = Field(None, title="报告正文 (keys depend on outline)")
    survey: Survey | None = Field(None, title="满意度调查 (method and 样本量)")
    form_texts: dict[str, LongCellText] = Field(default_factory=dict, title="texts the form prints in its own rows "
                                                "(评价结论, 偏差原因分析 …), keyed as its profile names them")
    published: Published | None = None
    # The form's profile, attached by `validate` (never read from the file).
    _profile: Any = PrivateAttr(None)

    @property
    def profile(self):
        """The generator.profile.Profile of `form`."""
        if self._profile is None:
            raise RuntimeError("an Evaluation gets its profile from generator.validate")
        return self._profile

    def entry(self, path: tuple) -> Indicator | Group:
        """The indicator (or group) at a data path ("indicators", 一级, 二级, index), as Figures name it."""
        _, tier1, tier2, i = path[:4]
        return self.indicators[tier1][tier2][i]

    def weight_of(self, tier1: str) -> Decimal:
        """The 一级 weight as labelled on the form ("产出指标（50分）")."""
        return self.weights.get(tier1, self.profile.default_weight(tier1))


def json_schema() -> dict:
    schema = Evaluation.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "项目支出绩效自评 source (one evaluation)"
    return schema


def walk_values(node: Any, path: tuple):
    """(data path, value) of every scalar under a model, as the source file nests them."""
    if hasattr(type(node), "model_fields"):
        for key in type(node).model_fields:
            yield from walk_values(getattr(node, key), path + (key,))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from walk_values(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_values(value, path + (i,))
    else:
        yield path, node
