"""A character the document's font does not have prints as a box: find it before Word does.

仿宋_GB2312 and 楷体_GB2312, the fonts GB/T 9704 documents are set in, hold the GB2312 character set
only (6763 characters): a rare character in a name (镕, 堃, 喆, 珺 …) has no glyph there. The
check is the character set itself (Python's gb2312 codec), so it needs no font file; a font named
without _GB2312 (仿宋, as some bureaus configure in templates/styles.yaml) has the wider GBK set
and is checked against that.
"""
from __future__ import annotations

from .diagnostics import ERROR, Diagnostic
from .i18n import _
from .model import Evaluation, walk_values


def charset(font: str) -> str:
    """The codec whose characters `font` holds: gb2312 for the *_GB2312 fonts, else gbk."""
    return "gb2312" if font.upper().endswith("_GB2312") else "gbk"


def _outside(text: str, codec: str) -> list[str]:
    """The characters of `text` the codec lacks, in the order they first appear."""
    wide = "".join(ch for ch in set(text) if ord(ch) >= 0x2E80 and not ch.isspace())
    try:
        wide.encode(codec)             # the usual case, all at once
        return []
    except UnicodeEncodeError:
        pass
    out = []
    for ch in dict.fromkeys(text):
        if ord(ch) < 0x2E80 or ch.isspace():
            continue       # Latin, digits and punctuation are set in the Latin font
        try:
            ch.encode(codec)
        except UnicodeEncodeError:
            out.append(ch)
    return out


def missing(ev: Evaluation, body_font: str) -> list[Diagnostic]:
    """E-GLYPH for every text of the source holding a character the body font lacks, at its field."""
    codec = charset(body_font)
    if not _outside(ev.model_dump_json(warnings=False), codec):
        return []          # every text of the source at once: `check` runs this for each source
    found = []
    for path, value in walk_values(ev, ()):
        if isinstance(value, str) and path and path[0] != "published":
            chars = _outside(value, codec)
            if chars:
                found.append(Diagnostic("E-GLYPH", ERROR, _(
                    "“{chars}” is not in the character set of {font}, the body font, and would print as a "
                    "box; set a font that has it (fonts: in templates/styles.yaml, e.g. 仿宋) or write it "
                    "differently").format(chars="”“".join(chars), font=body_font), path))
    return found
