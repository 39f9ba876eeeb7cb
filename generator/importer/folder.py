"""Which documents an `import` of folders brings in, and where each one's source goes.

An officer starts from last years' reports: a folder (often one per year) of .docx, .xlsx, .xls
and .doc as colleagues saved them. Word leaves `~$` lock files beside an open document, and
synchronised folders hold hidden copies: neither is a report.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import SUFFIXES


def is_report(name: str) -> bool:
    """A document of an importable kind, neither hidden nor Word's lock file of an open one."""
    return not name.startswith((".", "~$")) and Path(name).suffix.lower() in SUFFIXES


def in_folder(folder: Path) -> list[Path]:
    """The folder's reports, in its subfolders too (hidden ones left out), sorted by path."""
    found = []
    for here, subfolders, files in os.walk(folder):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        found += [Path(here) / f for f in files if is_report(f)]
    return sorted(found)


def documents(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """The documents to import, in the order given (a file as given, whatever its kind, so that a
    wrong one is named; a folder's reports sorted), each once; and the folders that hold none."""
    found: list[Path] = []
    empty: list[Path] = []
    seen: set[Path] = set()
    for given in map(Path, paths):
        inside = in_folder(given) if given.is_dir() else [given]
        if given.is_dir() and not inside:
            empty.append(given)
        for path in inside:
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append(path)
    return found, empty


def is_batch(paths: list[str]) -> bool:
    """Several documents or a folder: each report is imported on its own and a summary ends."""
    return len(paths) > 1 or Path(paths[0]).is_dir()


def names_folder(output: str) -> bool:
    """`-o` with one document names the source file, unless it is an existing folder or ends with
    a slash (`-o sources/2023/`)."""
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def target(document: Path, year: int, output: str | None, batch: bool) -> Path:
    """Where the source of `document` is written: `-o` (a file, or a folder for <file name>.yaml),
    else sources/<year>/<file name>.yaml."""
    name = f"{document.stem}.yaml"
    if output is None:
        return Path("sources") / str(year) / name
    if batch or names_folder(output):
        return Path(output) / name
    return Path(output)
