"""What `check` found in a source, kept under build/.cache/ by the content it was found from.

A province checks thousands of sources of which a handful changed since the last run; like a
linter's cache, an unchanged source is not parsed, validated or checked again, and a run whose
sources are all unchanged does not even import the pipeline (pydantic, jinja2: most of a cold
`check`'s time).

The key is a hash of everything a source's diagnostics depend on, so a stale entry is never
read, only left unused:
- the source's bytes and the path it is named by (messages print that path);
- last year's source with the same name (W-COPIED compares with it), or its absence;
- the bureau's advice.yaml beside `sources/` (its rules and its own E-ADVICE problems), or its absence;
- the generator itself: every file of the package (code, vocabulary, advice rules, catalogs) and
  the form profiles and outlines under templates/, by content;
- the language of the messages, the YAML parser chosen (SELFEVAL_YAML), the Python version.

The same folder keeps the reference document pandoc styles reports with (render/reference.py),
which a cold process would otherwise make again (~40 ms: a pandoc run and python-docx).

SELFEVAL_CACHE=off turns it off; SELFEVAL_CACHE=<folder> puts it elsewhere. A cache that cannot
be written (a read-only folder) is simply not kept; one that cannot be read is a miss.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from .diagnostics import Diagnostic
from .paths import ROOT, TEMPLATES, repository_of

ENV = "SELFEVAL_CACHE"
DEFAULT = Path("build") / ".cache"
FORMAT = 1   # the entry's layout; bump when Diagnostic changes shape


def folder() -> Path | None:
    chosen = os.environ.get(ENV, "").strip()
    if chosen.lower() in ("off", "0", "no"):
        return None
    return Path(chosen) if chosen else DEFAULT


@lru_cache(maxsize=1)
def generator_fingerprint() -> bytes:
    """The package's code and data and the templates' form data, by content (a few ms, once)."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    files = [p for p in (ROOT / "generator").rglob("*") if p.suffix in (".py", ".yaml", ".mo")
             and "__pycache__" not in p.parts]
    files += [p for p in TEMPLATES.glob("*.yaml")] + [p for p in (TEMPLATES / "outlines").glob("*")]
    files += [p for p in (TEMPLATES / "forms").glob("*.yaml")]          # the shipped form profiles
    for p in sorted(files):
        h.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.digest()


def user_forms(source: Path) -> list[Path]:
    """The unit's own form profiles a source may use (generator.profile looks there first)."""
    repo = repository_of(source)
    return sorted((repo / "forms").glob("*.yaml")) if repo is not None else []


def advice_file(source: Path) -> Path | None:
    """advice/config.py's override_path, repeated here so that a cache hit imports no rules (the
    two are compared in tests/test_cache.py)."""
    year_dir = Path(source).resolve().parent
    if not (year_dir.name.isdigit() and len(year_dir.name) == 4):
        return None
    candidate = year_dir.parent.parent / "advice.yaml"
    return candidate if candidate.is_file() else None


def last_year_file(source: Path) -> Path | None:
    """Where advice/copied.py looks for last year's source (it also requires the folder to be the
    evaluated year, which only parsing tells: hashing the file whenever it exists is a superset)."""
    source = Path(source)
    if not source.parent.name.isdigit():
        return None
    candidate = source.parent.parent / str(int(source.parent.name) - 1) / source.name
    return candidate if candidate.is_file() else None


def _content(path: Path | None) -> bytes:
    return b"-" if path is None else b"+" + hashlib.sha256(path.read_bytes()).digest()


def key(source: Path) -> str | None:
    """The entry's name for this source as it is now; None when it cannot be read (no caching)."""
    from .i18n import language
    from .yaml_nodes import ENV as PARSER
    try:
        h = hashlib.sha256(generator_fingerprint())
        h.update(f"{source}\0{language()}\0{os.environ.get(PARSER, '')}\0".encode())
        h.update(_content(Path(source)))
        h.update(_content(last_year_file(source)))
        h.update(_content(advice_file(source)))
        for profile in user_forms(source):        # a unit's own form profiles (forms/ beside sources/)
            h.update(profile.name.encode() + _content(profile))
    except (OSError, ValueError):
        return None
    return h.hexdigest()


def _entry(root: Path, name: str) -> Path:
    return root / name[:2] / name[2:]


def get(name: str | None) -> list[Diagnostic] | None:
    root = folder()
    if name is None or root is None:
        return None
    try:
        rows = json.loads(_entry(root / "check", name).read_text(encoding="utf-8"))
        return [Diagnostic(**{**row, "path": tuple(row["path"]),
                              "file": None if row["file"] is None else Path(row["file"])}) for row in rows]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def put(name: str | None, found: list[Diagnostic]) -> None:
    if name is None:
        return
    rows = [{**d.__dict__, "path": list(d.path), "file": None if d.file is None else str(d.file)} for d in found]
    keep("check", name, json.dumps(rows, ensure_ascii=False).encode("utf-8"))


def kept(kind: str, name: str) -> bytes | None:
    """An entry of the cache's `kind` folder, or None."""
    root = folder()
    try:
        return None if root is None else _entry(root / kind, name).read_bytes()
    except OSError:
        return None


def keep(kind: str, name: str, data: bytes) -> None:
    """Written to a temporary file and renamed, so a reader sees a whole entry or none; not synced
    to disk: an entry lost in a crash is only a miss."""
    root = folder()
    if root is None:
        return
    target = _entry(root / kind, name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=target.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        if not isinstance(sys.exc_info()[1], OSError):
            raise
