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


# One report saved as several documents side by side (`make build` writes X.docx and X.xlsx; an
# officer keeps X.doc beside X.docx): the Word document is read, it carries the report's text too.
PREFERENCE = (".docx", ".doc", ".xlsx", ".xls")


def in_folder(folder: Path) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """The folder's reports, in its subfolders too (hidden ones left out), sorted by path, one per
    report; and the (document, the one read instead) left out as the same report's other copy."""
    found, twins = [], []
    for here, subfolders, files in os.walk(folder):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        by_stem: dict[str, list[Path]] = {}
        for f in files:
            if is_report(f):
                by_stem.setdefault(Path(f).stem, []).append(Path(here) / f)
        for copies in by_stem.values():
            copies.sort(key=lambda p: (PREFERENCE.index(p.suffix.lower()), p.name))
            found.append(copies[0])
            twins += [(other, copies[0]) for other in copies[1:]]
    return sorted(found), sorted(twins)


def documents(paths: list[str]) -> tuple[list[Path], list[Path], list[tuple[Path, Path]]]:
    """The documents to import, in the order given (a file as given, whatever its kind, so that a
    wrong one is named; a folder's reports sorted), each once; the folders that hold none; and the
    documents of a folder left out as another copy of a report read (in_folder)."""
    found: list[Path] = []
    empty: list[Path] = []
    twins: list[tuple[Path, Path]] = []
    seen: set[Path] = set()
    for given in map(Path, paths):
        inside, copies = in_folder(given) if given.is_dir() else ([given], [])
        if given.is_dir() and not inside:
            empty.append(given)
        twins += copies
        for path in inside:
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append(path)
    return found, empty, twins


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
