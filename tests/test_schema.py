"""The JSON Schema editors use (schema/evaluation.schema.json) agrees with the tool: every source
the tool accepts validates, and what the tool refuses as a misspelt key or a text in a money field
the schema flags too, so an officer's editor underlines it before `check` runs."""
from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest

from conftest import MINIMAL, ROOT
from generator.load import parse

SCHEMA = json.loads((ROOT / "schema" / "evaluation.schema.json").read_text(encoding="utf-8"))
ACCEPTED = sorted((ROOT / "sources").glob("*/*.yaml")) + sorted((ROOT / "examples").glob("*/*.yaml"))


def as_json(value):
    """The loaded data as an editor's YAML plugin hands it to the schema (numbers are numbers)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    return value


def problems(text: str, path=ROOT / "x.yaml") -> list[str]:
    data = as_json(parse(text, path).data)
    return [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(data)]


@pytest.mark.parametrize("path", ACCEPTED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_accepted_source_validates(path):
    assert problems(path.read_text(encoding="utf-8"), path) == []


def test_the_minimal_source_validates():
    assert problems(MINIMAL) == []


@pytest.mark.parametrize("mistake, old, new", [
    ("a misspelt top-level key", "title:", "titel:"),
    ("a misspelt indicator key", "        weight: 50\n", "        wieght: 50\n"),
    ("a misspelt amount key", "executed: 90", "excuted: 90"),
    ("a text in a money field", "executed: 90", "executed: 90万元"),
    ("a text as a weight", "        weight: 50\n", "        weight: 五十\n"),
    ("an unknown outline", "outline: short", "outline: long"),
])
def test_the_schema_flags_what_the_tool_refuses(mistake, old, new):
    assert old in MINIMAL
    assert problems(MINIMAL.replace(old, new, 1)), mistake
