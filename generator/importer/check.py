"""`check FILE.docx`: import the 自评表 in memory, check it as a source, and point every finding
at the printed cell ("自评表第12行 得分") rather than at lines of a YAML file nobody wrote."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ..diagnostics import ERROR, Diagnostic, SourceError
from ..load import parse
from ..pipeline import evaluate_source
from ..validate import validate
from . import import_file
from .match import Imported
from .matrix import ImportProblem
from .write import to_yaml


def problem(path: Path, e: ImportProblem) -> Diagnostic:
    """A document that cannot be imported, as the one diagnostic the CLI prints."""
    return Diagnostic("E-IMPORT", ERROR, e.message, (), False, Path(path), cell=(e.row, "") if e.row else None)


def at_cell(d: Diagnostic, imported: Imported, path: Path) -> Diagnostic:
    """The diagnostic located by the table position of its data path (or its nearest parent)."""
    p = tuple(d.path)
    while p and p not in imported.where:
        p = p[:-1]
    return dataclasses.replace(d, file=Path(path), line=None, column=None, line_offset=0,
                               cell=imported.where.get(p) if p else None)


def validated(imported: Imported, path: Path) -> tuple[str, list[Diagnostic]]:
    """The source text of an import and, when it is not a valid evaluation (an unknown 二级, a
    score above its 分值 …), the problems located in the table."""
    text = to_yaml(imported, Path(path).name)
    try:
        validate(parse(text, Path(path)))
    except SourceError as e:
        return text, [at_cell(d, imported, path) for d in e.diagnostics]
    return text, []


def check_document(path: Path, form: str | None = None) -> list[Diagnostic]:
    """Every finding `check` makes on the source the document imports to, located in the table."""
    try:
        imported = import_file(path, form)
    except ImportProblem as e:
        return [problem(path, e)]
    source = parse(to_yaml(imported, Path(path).name), Path(path))
    try:
        found = evaluate_source(source).diagnostics
    except SourceError as e:
        found = e.diagnostics
    return [at_cell(d, imported, path) for d in found]
