"""Which files a command works on. Apart from pipeline.py so that a command whose sources are all
in the check cache finds them without importing the pipeline."""
from __future__ import annotations

from pathlib import Path


def discover(args: list[str], root: Path = Path("sources")) -> list[Path]:
    """Files named, and every *.yaml below folders named; all sources when nothing is named."""
    targets = [Path(a) for a in args] or [root]
    found: list[Path] = []
    for t in targets:
        if t.is_dir():
            found.extend(sorted(p for p in t.rglob("*.yaml") if p.is_file()))
        else:
            found.append(t)
    return found
