"""Write both expectations into the header of every tests/bad case: `# expect:` (English, --lang en)
and `# 期望:` (Chinese, the default), from what `check` says today.

Run after a message or its translation changed: `.venv/bin/python tests/bad_headers.py`, then read
the diff: each header is what an officer sees, and is reviewed like a golden file. An English
expectation that still matches is kept as written (it may be a reviewed part of the sentence); a
Chinese one likewise. A new or changed one is the whole sentence printed at the case's position.
"""
from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cli import main  # noqa: E402

BAD = ROOT / "tests" / "bad"
EXPECT = re.compile(r"^# expect: (\S+) (\d+):(\d+) (.+)\n", re.M)
EXPECT_ZH = re.compile(r"^# 期望: (\S+) (\d+):(\d+) (.+)\n", re.M)
WARNING_PREFIX = {"en": "warning: ", "zh": "警告："}


def said(path: Path, lang: str, code: str, line: str, col: str) -> str | None:
    """The message `check --lang LANG` prints for `code` at line:col of `path`."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        main(["--lang", lang, "check", "--strict", str(path)])
    head = f"{path}:{line}:{col}: {code} "
    for printed in err.getvalue().splitlines():
        if printed.startswith(head):
            return printed[len(head):].removeprefix(WARNING_PREFIX[lang])
    return None


def rewrite(path: Path) -> bool:
    original = text = path.read_text(encoding="utf-8")
    m = EXPECT.search(text)
    if not m:
        raise SystemExit(f"{path.name} has no '# expect: CODE line:col message' header")
    if not EXPECT_ZH.search(text):  # the new header line moves what is below it down by one (not 1:1)
        code, line, col, old = m.groups()
        text = text[:m.start()] + m.group(0) + m.group(0).replace("# expect:", "# 期望:", 1) + text[m.end():]
        path.write_text(text, encoding="utf-8")
        if said(path, "en", code, str(int(line) + 1), col) is not None:
            line = str(int(line) + 1)
        text = text.replace(m.group(0), f"# expect: {code} {line}:{col} {old}\n", 1)
        m = EXPECT.search(text)
    code, line, col, old = m.groups()
    english = said(path, "en", code, line, col)
    if english is None:
        raise SystemExit(f"{path.name}: check --lang en says nothing for {code} at {line}:{col}")
    english = old if old in english else english
    chinese = said(path, "zh", code, line, col)
    if chinese is None:
        raise SystemExit(f"{path.name}: check says nothing for {code} at {line}:{col}")
    z = EXPECT_ZH.search(text)
    if z and z.group(4) in chinese:
        chinese = z.group(4)
    elif old in chinese:        # the English header held a Chinese text written before the catalog
        chinese = old
    header = f"# expect: {code} {line}:{col} {english}\n# 期望: {code} {line}:{col} {chinese}\n"
    body = EXPECT_ZH.sub("", text[:m.start()] + text[m.end():], count=1)
    new = body[:m.start()] + header + body[m.start():]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != original


if __name__ == "__main__":
    changed = [p.name for p in sorted(BAD.glob("*.yaml")) if rewrite(p)]
    print(f"{len(changed)} headers rewritten" + (": " + ", ".join(changed) if changed else ""))
