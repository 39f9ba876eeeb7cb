"""Source → Evaluation: pydantic's shape and type errors, then the form's vocabulary, as located
diagnostics in the form's own words.

Kept apart from `model` so the model is only types: it knows neither files nor positions. Both
passes collect every problem rather than stopping at the first.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from . import vocabulary as vocab
from .diagnostics import ERROR, Diagnostic, SourceError
from .i18n import N_, _, alternatives, join
from .load import Source
from .model import NARRATIVES, ControlCharacter, Evaluation, ProvincialNarrative, Strict
from .profile import Profile, profile_for


# ---------------------------------------------------------------------------------------------
# pydantic errors → diagnostics


def _message(err: dict, path: tuple) -> tuple[str, str, bool]:
    """(code, sentence, at_key) for one pydantic error, in the form's own words."""
    kind, label = err["type"], vocab.field_label(path)
    value = err.get("input")
    if kind == "extra_forbidden":
        parent_fields = err.get("ctx", {}).get("fields", ())
        return "E-UNKNOWN-KEY", _("unknown key '{key}'").format(key=path[-1]) + vocab.suggest(path[-1], parent_fields), True
    if kind == "missing":
        return "E-MISSING", _("{label} ({key}) is required but missing").format(label=label, key=path[-1]), False
    scalar_kinds = ("decimal", "int", "float", "bool", "string_type", "literal_error")
    if isinstance(value, (list, dict)) and kind.startswith(scalar_kinds):
        message = (_("{label} must be a single value, not a list") if isinstance(value, list) else
                   _("{label} must be a single value, not a mapping"))
        return "E-TYPE", message.format(label=label), False
    if kind.startswith("decimal") or kind in ("int_parsing", "int_type", "float_parsing"):
        if isinstance(value, str) and any(ch.isdigit() for ch in value):
            message = _("{label} must be a number, not '{value}'; write the number alone, without units or "
                        "thousands separators")
        else:
            message = _("{label} must be a number, not '{value}'")
        return "E-TYPE", message.format(label=label, value=value), False
    if kind in _BOUNDS:
        limit = next(iter(err.get("ctx", {}).values()), "")
        return "E-RANGE", _(_BOUNDS[kind]).format(label=label, value=value, limit=limit), False
    if kind == "literal_error":
        return "E-VALUE", _("{label} cannot be '{value}'; expected {expected}").format(
            label=label, value=value, expected=_expected(err)), False
    if kind in ("string_type", "dict_type", "list_type", "model_type", "model_attributes_type"):
        want = {"string_type": _("text"), "dict_type": _("a mapping"), "list_type": _("a list")}.get(kind, _("a mapping"))
        return "E-TYPE", _("{label} must be {want}, not {got}").format(label=label, want=want, got=_kind_of(value)), False
    if kind in ("string_too_long", "too_long") and isinstance(value, str):
        limit = err.get("ctx", {}).get("max_length")
        return "E-TOO-LONG", _("{label} is {n} characters; a cell of the 自评表 holds at most {limit}").format(
            label=label, n=len(value), limit=limit), False
    if kind == "value_error" and isinstance(err.get("ctx", {}).get("error"), ControlCharacter):
        return "E-CONTROL", _("{label}: {problem}").format(label=label, problem=err["ctx"]["error"]), False
    if kind == "too_short":
        return "E-EMPTY", _("{label} must not be empty").format(label=label), False
    return "E-VALUE", f"{label}: {err['msg']}", False


# pydantic's bounds as sentences of the catalog (pydantic's own text is English whatever the language).
_BOUNDS = {"greater_than_equal": N_("{label} is {value}; input should be greater than or equal to {limit}"),
           "less_than_equal": N_("{label} is {value}; input should be less than or equal to {limit}"),
           "greater_than": N_("{label} is {value}; input should be greater than {limit}"),
           "less_than": N_("{label} is {value}; input should be less than {limit}")}


def _expected(err: dict) -> str:
    """pydantic's "'a', 'b' or 'c'" as a list of choices in the officer's language."""
    expected = str(err.get("ctx", {}).get("expected", ""))
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    return alternatives(values) if values else expected


def _kind_of(value: Any) -> str:
    """What was typed, in the officer's words ("a list", not pydantic's "list")."""
    if value is None:
        return _("empty")
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, (int, float, Decimal)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    return _("a mapping") if isinstance(value, dict) else type(value).__name__


def _data_path(data: Any, loc: tuple, model: type[BaseModel] = Evaluation) -> tuple:
    """pydantic's error location as a path into the data: the steps that are keys or indexes of
    what was typed. Steps naming a union member or a validator (whatever pydantic calls them)
    are not in the data, so they are left out; "[key]" (the key itself is wrong) is kept."""
    out, node = [], data
    for step in loc:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        elif step == "[key]" or (isinstance(node, dict) and step in _model_fields_anywhere(model)):
            node = None     # the key itself, or a field that is missing: named, nothing below
        else:
            continue        # a union member's tag or a validator's name: not in the data
        out.append(step)
    return tuple(out)


@lru_cache(maxsize=8)
def _model_fields_anywhere(model: type[BaseModel]) -> frozenset[str]:
    """Every field name of `model` and the models inside it: a location step that is one names a
    (missing) field."""
    seen, stack, names = set(), [model, *(NARRATIVES.values() if model is Evaluation else ())], set()
    while stack:
        m = stack.pop()
        if m in seen:
            continue
        seen.add(m)
        for name, f in m.model_fields.items():
            names.add(name)
            inner = _model_in(f.annotation)
            if inner is not None:
                stack.append(inner)
    return frozenset(names)


def pydantic_problems(exc: ValidationError, model: type[BaseModel], data: Any) -> list[Diagnostic]:
    """pydantic's errors on `data` (validated as `model`) as diagnostics in the form's words."""
    return _from_pydantic(exc, (), model, data)


def _from_pydantic(exc: ValidationError, prefix: tuple, model: type[BaseModel], data: Any) -> list[Diagnostic]:
    errors = exc.errors(include_url=False)
    # 'titel: …' is one mistake, not two: when an unknown key is a near miss of a missing field,
    # report only the unknown key, whose message names the field it probably meant.
    unknown = {(tuple(e["loc"][:-1]), e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden"}
    errors = [e for e in errors if not (
        e["type"] == "missing" and any(parent == tuple(e["loc"][:-1]) and
                                       vocab.suggest(key, [e["loc"][-1]]) for parent, key in unknown))]
    out = []
    for err in errors:
        path = prefix + _data_path(data, err["loc"], model)
        at_key = False
        if path and path[-1] == "[key]":
            path = path[:-1]
            at_key = True
        if err["type"] == "extra_forbidden":
            err = dict(err, ctx={"fields": _fields_at(model, path[len(prefix):-1])})
        code, message, key_problem = _message(err, path)
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


def _vocabulary_problems(ev: Evaluation, profile: Profile) -> list[Diagnostic]:
    """What the form's profile allows: its funding lines, its 一级, its text rows. A 二级 is the
    form's suggestion, not a closed list (check warns about a near miss), except that one of another
    一级's 二级 is a mistake."""
    out: list[Diagnostic] = []
    allowed_lines = profile.budget_lines()
    for label in ev.budget.lines:
        if label not in allowed_lines:
            out.append(Diagnostic("E-VOCAB", ERROR, _(
                "'{label}' is not a 项目资金 row of the {form} form; expected one of {allowed}").format(
                    label=label, form=ev.form, allowed=join(allowed_lines)) + vocab.suggest(label, allowed_lines),
                ("budget", "lines", label), True))
    tier1s = profile.tier1_names()
    for where in ("indicators", "weights"):
        for tier1 in getattr(ev, where):
            if tier1 not in tier1s:
                out.append(Diagnostic("E-VALUE", ERROR, _("'{key}' is not a 一级指标; expected {expected}").format(
                    key=tier1, expected=alternatives(tier1s)) + vocab.suggest(tier1, tier1s), (where, tier1), True))
    for tier1, groups in ev.indicators.items():
        others = {t2: t1 for t1 in tier1s if t1 != tier1 for t2 in profile.tier2_names(t1)}
        allowed = profile.tier2_names(tier1)
        for tier2, entries in groups.items():
            if tier2 in others and tier2 not in allowed:
                out.append(Diagnostic("E-VOCAB", ERROR, _("'{tier2}' is not a 二级指标 of {tier1}; expected one of "
                                                          "{allowed}").format(
                    tier2=tier2, tier1=tier1, allowed=join(allowed)) + vocab.suggest(tier2, allowed),
                    ("indicators", tier1, tier2), True))
            elif not entries:
                out.append(Diagnostic("E-EMPTY", ERROR, _("{tier1} / {tier2} has no indicators; remove the key "
                                                          "(the form prints empty categories by itself)").format(
                    tier1=tier1, tier2=tier2), ("indicators", tier1, tier2)))
    if ev.fund_management is not None and profile.fund_management_weight is None:
        out.append(Diagnostic("E-VOCAB", ERROR, _("资金管理 (fund_management) exists only on forms that count it "
                                                  "(the provincial form)"), ("fund_management",), True))
    rows = {t.key: t for t in profile.text_rows()}
    for key, text in ev.form_texts.items():
        row = rows.get(key)
        if row is None:
            out.append(Diagnostic("E-VOCAB", ERROR, _("'{key}' is not a text row of the {form} form; expected one of "
                                                      "{allowed}").format(key=key, form=ev.form,
                                                                          allowed=join(list(rows)) or "—")
                                  + vocab.suggest(key, rows), ("form_texts", key), True))
        elif row.limit is not None and len(text.strip()) > row.limit:
            out.append(Diagnostic("E-TOO-LONG", ERROR, _("{label} is {n} characters; the form allows {limit}").format(
                label=row.label, n=len(text.strip()), limit=row.limit), ("form_texts", key)))
    return out


def with_profile(ev: Evaluation, profile: Profile) -> Evaluation:
    """The form's defaults where the source is silent: the budget weight and the scoring rules."""
    budget = ev.budget if "weight" in ev.budget.model_fields_set else \
        ev.budget.model_copy(update={"weight": profile.budget_weight})
    rules = profile.rules
    scoring = ev.scoring.model_copy(update={k: getattr(rules, k) for k in ("reverse_rule", "over_rule", "over_threshold")
                                            if k not in ev.scoring.model_fields_set})
    return ev.model_copy(update={"budget": budget, "scoring": scoring})


def _narrative(ev: Evaluation) -> tuple[Strict | None, list[Diagnostic]]:
    model = NARRATIVES[ev.outline]
    try:
        narrative = model.model_validate(ev.narrative or {})
    except ValidationError as exc:
        problems = _from_pydantic(exc, ("narrative",), model, ev.narrative)
        # name the outline so "unknown key" makes sense
        problems = [dataclasses.replace(d, message=d.message + _(" for the {outline} outline").format(outline=ev.outline))
                    if d.code == "E-UNKNOWN-KEY" else d for d in problems]
        return None, problems
    out = []
    if isinstance(narrative, ProvincialNarrative):
        rows = vocab.vocabulary()["fund_management_rows"]
        for label in narrative.fund_management:
            if label not in rows:
                out.append(Diagnostic("E-VOCAB", ERROR, _("'{label}' is not a row of 表1-2-2 资金管理情况表; expected "
                                                          "one of {allowed}").format(
                    label=label, allowed=join(rows)) + vocab.suggest(label, rows),
                    ("narrative", "fund_management", label), True))
    return narrative, out


def validate(source: Source) -> Evaluation:
    """Source → Evaluation, or SourceError listing every problem with its position."""
    data = source.data
    if not isinstance(data, dict):
        raise SourceError([source.locate(Diagnostic("E-TYPE", ERROR, _("the file must be a mapping of "
                                                       "keys (year:, fund:, budget: …)"), ()))])
    try:
        ev = Evaluation.model_validate(data)
    except ValidationError as exc:
        raise SourceError([source.locate(d) for d in _from_pydantic(exc, (), Evaluation, data)])
    try:
        profile = profile_for(ev.form, source.path)
    except SourceError as e:   # an unknown form here; a broken profile is located in its own file
        raise SourceError([d if d.file is not None else source.locate(d) for d in e.diagnostics])
    ev = with_profile(ev, profile)
    narrative, problems = _narrative(ev)
    problems = _vocabulary_problems(ev, profile) + problems
    if problems:
        raise SourceError([source.locate(d) for d in problems])
    ev = ev.model_copy(update={"narrative": narrative})
    ev._profile = profile
    return ev
