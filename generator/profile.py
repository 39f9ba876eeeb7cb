"""Form profiles: everything about one 自评表 form that is data, not code.

A profile is a YAML file: the shipped ones in templates/forms/, a unit's own in `forms/<name>.yaml`
beside its `sources/` folder (found by name, and preferred to a shipped one of the same name). It
declares the labels and header rows, the money block (its funding lines and columns), the indicator
block (columns, headings, the 一级 list with default weights, the 二级 the form suggests), the text
rows, the notes under the table, and the scoring rules (docs/forms.md). A profile may `extends:`
another and change only what differs. It is validated like a source: every problem is reported with
its file:line:column.

The layout (generator.layout) places cells from a Profile; compute and checks read its rules. No
Chinese label of a form is spelled in code.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import vocabulary as vocab
from .diagnostics import ERROR, Diagnostic, SourceError
from .i18n import _, join
from .load import Source, load
from .paths import TEMPLATES, repository_of

SHIPPED = TEMPLATES / "forms"
USER_FOLDER = "forms"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Weight = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]
Percent = Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)]

# What a header cell shows: a label of the form, a field of the source, or a computed amount.
SourceField = Literal["project", "department", "unit", "fund", "period", "year"]
HeaderFigure = Literal["budget.adjusted", "first_line.adjusted"]


class HeaderCell(_Strict):
    label: str | None = None
    field: SourceField | None = None
    figure: HeaderFigure | None = None
    span: Annotated[int, Field(ge=1)] = 1


class TextRow(_Strict):
    """A row of the table holding one text: a table-wide reason cell, 评价结论, a 签批意见."""
    key: str                               # the key under the source's form_texts:
    label: str
    limit: Annotated[int, Field(ge=1)] | None = None   # characters, as the form prints "（200字以内）"
    label_span: Annotated[int, Field(ge=1)] = 1


MoneyKey = Literal["initial", "adjusted", "executed", "weight", "rate", "score"]


class Heading(_Strict):
    key: str
    heading: str


class MoneyColumn(Heading):
    key: MoneyKey


class Money(_Strict):
    """项目资金 rows: 年度资金总额 and the form's funding lines ("其中" rows)."""
    label: str | None = Field(None, description="the block's label in the first column; {weight} is the budget weight")
    corner: str = ""                       # the heading above the row labels
    columns: list[MoneyColumn]
    total_row: bool = True                 # print 年度资金总额 above the lines
    total_label: str = ""
    lines: list[str] = Field(min_length=1)
    first_line: str = "{line}"             # the first line's label, e.g. 其中：{line}
    not_applicable: str = ""               # 分值 / 执行率 / 得分 cells of a funding line
    reason: TextRow | None = None          # a row for the reason of a low 执行率 (四川)


IndicatorKey = Literal["tier1", "tier2", "name", "direction", "target", "unit", "actual", "weight", "score",
                       "reason"]


class IndicatorColumn(Heading):
    key: IndicatorKey


class Indicators(_Strict):
    label: str | None = Field(None, description="the block's label in the first column; {weight} is the "
                                               "sum of the 一级 weights")
    columns: list[IndicatorColumn]
    tier1_label: str = "{tier1}"           # {tier1}, {weight}
    empty_tier2_rows: bool = False         # print every suggested 二级, a blank row when unused
    reasons: list[TextRow] = Field(default_factory=list)   # table-wide reason cells under the block


class Tier1(_Strict):
    weight: Weight
    tier2: list[str] = Field(default_factory=list)   # the form's suggestion, in print order


class Total(_Strict):
    label: str
    columns: list[Literal["weight", "score", "grade"]]
    grade: str = "{grade}"


class Band(_Strict):
    low: Percent
    high: Percent


class Grade(_Strict):
    grade: str
    low: Weight


class Rules(_Strict):
    """How the form scores. A source's `scoring:` overrides the first three for itself."""
    reverse_rule: Literal["ratio", "deviation"] = "ratio"
    over_rule: Literal["full", "proportional"] = "full"
    over_threshold: Annotated[Decimal, Field(gt=100, le=1000)] = Decimal(130)
    full_marks: Weight = Decimal(100)
    tiers: dict[str, Band] | None = None   # None: the bands of vocabulary.yaml
    grades: list[Grade] | None = None
    reason_below_rate: Percent | None = None   # an 执行率 below this needs a written reason (四川: 90)
    reason_limit: Annotated[int, Field(ge=1)] | None = None   # characters of a 偏差原因 cell


class Profile(_Strict):
    name: str = ""                         # the file's name, set when loaded
    origin: str = ""                       # the file it was read from
    files: list[str] = Field(default_factory=list)   # that file and those it extends: what a build depends on
    follows: str = Field(description="the published form this profile reproduces")
    extends: str | None = None
    attachment: str                        # 附件 / 附表, printed with the number top left
    title: str                             # {year}
    subtitle: str = ""
    widths_mm: list[Annotated[Decimal, Field(gt=0)]] = Field(min_length=2)
    blocks: list[Literal["header", "money", "goals", "indicators", "total", "texts"]]
    header: list[list[HeaderCell]] = Field(default_factory=list)
    budget_weight: Weight = Decimal(10)
    money: Money | None = None
    goals: dict[Literal["label", "expected", "actual"], str] = Field(default_factory=dict)
    tier1: dict[str, Tier1]
    indicators: Indicators
    total: Total | None = None
    texts: list[TextRow] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    # A 资金管理 block counted in the total but not printed on the table (省级 附表1): its 分值.
    fund_management_weight: Weight | None = None

    # --- what the rest of the pipeline asks -------------------------------------------------------

    @property
    def n_cols(self) -> int:
        return len(self.widths_mm)

    def tier1_names(self) -> list[str]:
        return list(self.tier1)

    def tier2_names(self, tier1: str) -> list[str]:
        spec = self.tier1.get(tier1)
        return list(spec.tier2) if spec else []

    def default_weight(self, tier1: str) -> Decimal:
        spec = self.tier1.get(tier1)
        return spec.weight if spec else Decimal(0)

    def budget_lines(self) -> list[str]:
        return list(self.money.lines) if self.money else []

    def tier_band(self, tier: str) -> tuple[Decimal, Decimal]:
        if self.rules.tiers and tier in self.rules.tiers:
            band = self.rules.tiers[tier]
            return band.low, band.high
        return vocab.tier_band(tier)

    def grade_bands(self) -> list[tuple[str, Decimal]]:
        if self.rules.grades:
            return [(g.grade, g.low) for g in self.rules.grades]
        return [(name, low) for name, low, _ in vocab.grade_bands()]

    def text_rows(self) -> list[TextRow]:
        """Every text row the form prints, in print order: the keys of a source's form_texts."""
        rate = [self.money.reason] if self.money and self.money.reason else []
        return [*rate, *self.indicators.reasons, *self.texts]

    def prints(self, key: str) -> bool:
        """Whether the indicator block has this column (direction, unit, weight, reason …)."""
        return any(c.key == key for c in self.indicators.columns)


# --- finding and reading profiles -------------------------------------------------------------------


def _deep_merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _deep_merge(base[key], value) if key in base else value
        return out
    return over


def folders(source_path: Path | None = None) -> list[Path]:
    """Where profiles are looked for, first match wins: the user's forms/ beside sources/, then ours."""
    repo = repository_of(source_path) if source_path is not None else None
    user = [repo / USER_FOLDER] if repo is not None and (repo / USER_FOLDER).is_dir() else []
    return user + [SHIPPED]


def available(source_path: Path | None = None) -> dict[str, Path]:
    """Every profile name → its file (a user's profile hides a shipped one of the same name)."""
    found: dict[str, Path] = {}
    for folder in reversed(folders(source_path)):
        for path in sorted(folder.glob("*.yaml")):
            found[path.stem] = path
    return dict(sorted(found.items()))


def find(name: str, source_path: Path | None = None) -> Profile | None:
    path = available(source_path).get(name)
    return None if path is None else read(path)


def read(path: Path) -> Profile:
    """The profile in `path` (its `extends:` chain resolved); SourceError with located problems."""
    return _read(Path(path).resolve(), _mtime(path))


def _mtime(path: Path) -> int:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int, chain: tuple[Path, ...] = ()) -> Profile:
    src = load(path)
    data = src.data
    if not isinstance(data, dict):
        raise SourceError([src.locate(Diagnostic("E-FORM", ERROR, _("a form profile must be a mapping of keys "
                                                                    "(follows:, title:, blocks: …)"), ()))])
    reserved = [k for k in ("name", "origin", "files") if k in data]
    if reserved:
        raise SourceError([src.locate(Diagnostic("E-FORM", ERROR, _("'{key}' is set by the tool, not written in a "
                                                   "profile (the name is the file's name)").format(key=k), (k,), True)) for k in reserved])
    parent = data.get("extends")
    if parent is not None:
        # A unit's forms/national.yaml may extend the shipped national: never itself.
        base_path = next((p for p in (path.parent / f"{parent}.yaml", SHIPPED / f"{parent}.yaml")
                          if p.is_file() and p.resolve() != path), None)
        if base_path is None or base_path.resolve() in chain + (path,):
            why = (_("extends: '{name}' is not a profile") if base_path is None
                   else _("extends: '{name}' extends this one (a loop)")).format(name=parent)
            raise SourceError([src.locate(Diagnostic("E-FORM", ERROR, why,
                                                     ("extends",)))])
        base = _read(base_path.resolve(), _mtime(base_path), chain + (path,))
        data = _deep_merge(base.model_dump(exclude={"name", "origin", "extends", "follows", "files"}, mode="python"),
                           data)
        data = {**data, "files": [*base.files]}
    try:
        profile = Profile.model_validate({**data, "name": path.stem, "origin": str(path),
                                          "files": [*data.get("files", []), str(path)]})
    except ValidationError as exc:
        from .validate import pydantic_problems
        raise SourceError([src.locate(dataclasses.replace(d, code="E-FORM"))
                           for d in pydantic_problems(exc, Profile, src.data)])
    problems = _consistency(profile)
    if problems:
        raise SourceError([src.locate(d) for d in problems])
    return profile


def _consistency(p: Profile) -> list[Diagnostic]:
    """What the types cannot say: every row of the table fills the grid's columns exactly."""
    out = []
    n = p.n_cols

    def wrong(message: str, path: tuple) -> None:
        out.append(Diagnostic("E-FORM", ERROR, message, path))

    for i, row in enumerate(p.header):
        spans = sum(c.span for c in row)
        if spans != n:
            wrong(_("header row {row} spans {spans} columns, but widths_mm has {n}").format(row=i + 1, spans=spans, n=n),
                  ("header", i))
        for j, c in enumerate(row):
            if sum(x is not None for x in (c.label, c.field, c.figure)) != 1:
                wrong(_("a header cell has exactly one of label:, field: or figure:"), ("header", i, j))
    label_col = 1 if p.indicators.label is not None else 0
    if label_col + len(p.indicators.columns) != n:
        wrong(_("the indicator block has {used} columns (label and columns), but widths_mm has {n}").format(
            used=label_col + len(p.indicators.columns), n=n), ("indicators", "columns"))
    for need in ("tier1", "tier2", "name"):
        if not p.prints(need):
            wrong(_("the indicator block needs a '{key}' column").format(key=need), ("indicators", "columns"))
    if p.money is not None:
        used = (1 if p.money.label is not None else 0) + len(p.money.columns)
        if used >= n:
            wrong(_("the money block's label and columns take {used} of {n} columns, leaving none for the row "
                    "labels").format(used=used, n=n), ("money", "columns"))
    if "money" in p.blocks and p.money is None:
        wrong(_("blocks lists money but the profile has no money:"), ("blocks",))
    if "total" in p.blocks and p.total is None:
        wrong(_("blocks lists total but the profile has no total:"), ("blocks",))
    return out


def profile_for(form: str, source_path: Path | None = None) -> Profile:
    """The profile named by a source's `form:` (SourceError when there is none)."""
    found = find(form, source_path)
    if found is None:
        names = list(available(source_path))
        raise SourceError([Diagnostic("E-VALUE", ERROR, _("自评表格式 cannot be '{form}'; the forms are {names}").format(
            form=form, names=join(names)) + vocab.suggest(form, names), ("form",))])
    return found
