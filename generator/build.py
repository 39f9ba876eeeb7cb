"""Build every source into build/<year>/<slug>.*: nothing half-written, one failure never stops the rest."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .diagnostics import SourceError
from .figures import as_data
from .pipeline import discover, evaluate
from .write import write_text


def output_stem(source: Path, out: Path) -> Path:
    """sources/2022/enterprise-association.yaml → build/2022/enterprise-association"""
    return out / source.parent.name / source.stem


def build_one(path: Path, out: Path, strict: bool = False) -> bool:
    try:
        result = evaluate(path)
    except SourceError as e:
        for d in e.diagnostics:
            print(d.format(), file=sys.stderr)
        return False
    for d in result.diagnostics:
        print(d.format(), file=sys.stderr)
    if result.undetermined or (strict and result.errors):
        print(f"{path}: not built", file=sys.stderr)
        return False
    stem = output_stem(path, out)
    data = as_data(result.evaluation, result.figures)
    write_text(stem.with_suffix(".figures.json"), json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return True


def build_all(args: list[str], out: Path, strict: bool = False) -> int:
    paths = discover(args)
    failed = [p for p in paths if not build_one(p, out, strict)]
    print(f"built {len(paths) - len(failed)} of {len(paths)}", file=sys.stderr)
    return 2 if failed else 0
