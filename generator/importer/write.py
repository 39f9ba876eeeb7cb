"""Imported data → a source file: round-trip YAML (ruamel) with a comment on every guess.

Numbers are written as the document printed them (193.00 stays 193.00, read back as that Decimal
by load.py); the file is written atomically and never over an existing one without `force`.
"""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from ..i18n import _
from ..write import write_text
from .match import Imported
from .matrix import ImportProblem

HEADER = "# yaml-language-server: $schema=../../schema/evaluation.schema.json\n"


def _decimal(representer, value: Decimal):
    tag = "tag:yaml.org,2002:int" if value == value.to_integral_value() and value.as_tuple().exponent >= 0 \
        else "tag:yaml.org,2002:float"
    return representer.represent_scalar(tag, format(value, "f"))


def _commented(node, path: tuple, guesses: dict[tuple, str]):
    """Plain data → ruamel's commented containers, each guess as an end-of-line comment on its key
    (on a list item's first key when the guess is about the item)."""
    if isinstance(node, dict):
        out = CommentedMap()
        for key, value in node.items():
            out[key] = _commented(value, path + (key,), guesses)
        for key in node:
            note = guesses.pop(path + (key,), None)
            if note:
                out.yaml_add_eol_comment("# " + note, key)
        return out
    if isinstance(node, list):
        out = CommentedSeq(_commented(v, path + (i,), guesses) for i, v in enumerate(node))
        for i, item in enumerate(out):
            note = guesses.pop(path + (i,), None) if isinstance(item, CommentedMap) and item else None
            if note:
                item.yaml_add_eol_comment("# " + note, next(iter(item)))
        return out
    if isinstance(node, str) and "\n" in node:
        return LiteralScalarString(node + ("" if node.endswith("\n") else "\n"))   # a text as a | block
    return node


def to_yaml(imported: Imported, source_name: str) -> str:
    """The source text: a header naming where it came from, then the data with its guesses."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _decimal)
    guesses = dict(imported.guesses)       # each placed guess is taken out
    data = _commented(imported.data, (), guesses)
    stream = io.StringIO()
    yaml.dump(data, stream)
    intro = _("# Imported from {name} by `python -m generator import`: every figure the document printed "
              "is under\n# `published`, so `check` compares it with the computed one; comments mark what was "
              "guessed.\n").format(name=source_name)
    # A guess about a key the data does not hold has no line of its own: it goes on top.
    intro += "".join(f"# {'.'.join(map(str, p))}: {why}\n" for p, why in guesses.items())
    return HEADER + intro + stream.getvalue()


def write_source(text: str, out: Path, force: bool) -> None:
    if out.exists() and not force:
        raise ImportProblem(_("{path} exists; use --force to overwrite it").format(path=out))
    write_text(out, text)
