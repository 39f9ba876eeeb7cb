"""templates/styles.yaml → the reference.docx pandoc styles every report with.

Starting from pandoc's own default reference keeps every style pandoc writes (Compact, Table
Caption …) present; the YAML then redefines the ones the report uses, adds ours, names the Chinese
fonts in the w:eastAsia slot and strips the theme fonts and colours that would override them. The
bytes are deterministic, so the file can be compared and cached; finish.py reuses the page setup
and the fixed core properties for the finished document.
"""
from __future__ import annotations

import math
import datetime as dt
import io
import subprocess
import tempfile
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor

from ..paths import TEMPLATES
from . import ooxml
from .pandoc import pandoc_path
from ..styles import STYLES_PATH, _parse

FIXED_TIME = dt.datetime(2000, 1, 1)     # core properties: no build time leaks into the file

_ALIGN = {"left": WD_PARAGRAPH_ALIGNMENT.LEFT, "center": WD_PARAGRAPH_ALIGNMENT.CENTER,
          "right": WD_PARAGRAPH_ALIGNMENT.RIGHT, "justify": WD_PARAGRAPH_ALIGNMENT.JUSTIFY}
_BUILTIN = {"Normal", "Body Text", "Title", "Subtitle", "Footer",
            "Heading 1", "Heading 2", "Heading 3", "Heading 4"}
_BUILTIN_IDS = {"Footer": "Footer"}      # python-docx would derive "footer" from the internal name


def reference_docx(styles_path: Path = STYLES_PATH) -> bytes:
    """The reference.docx for the styles at `styles_path`, built once per content of the file and
    kept in build/.cache (a cold process would otherwise spend ~40 ms on it: a pandoc run and
    python-docx), keyed by the styles, this code, python-docx's version and the pandoc binary."""
    content = Path(styles_path).read_bytes()
    return _cached(content)


@lru_cache(maxsize=8)
def _cached(content: bytes) -> bytes:
    import hashlib

    import docx

    from .. import cache
    pandoc = Path(pandoc_path())
    stat = pandoc.stat()
    h = hashlib.sha256(content)
    for part in (Path(__file__).read_bytes(), Path(ooxml.__file__).read_bytes(),
                 f"{docx.__version__}\0{pandoc.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()):
        h.update(hashlib.sha256(part).digest())
    name = h.hexdigest()
    kept = cache.kept("reference", name)
    if kept is not None and kept.startswith(b"PK"):
        return kept
    built = _build(content)
    cache.keep("reference", name, built)
    return built


@lru_cache(maxsize=8)
def _build(content: bytes) -> bytes:
    spec = _parse(content)
    document = Document(io.BytesIO(_pandoc_default_reference()))
    ooxml.clear_content(document.element.body)     # pandoc's sample text; only the sectPr stays
    apply_styles(document, spec)
    for section in document.sections:
        apply_page_setup(section, spec["page"], spec["styles"]["Normal"]["size"])
    freeze_core_properties(document, title="")
    buffer = io.BytesIO()
    document.save(buffer)
    return ooxml.normalize_package(buffer.getvalue())


def _pandoc_default_reference() -> bytes:
    """pandoc's built-in reference.docx, from the pandoc bundled with pypandoc-binary."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reference.docx"
        subprocess.run([pandoc_path(), "-o", str(out),
                        "--print-default-data-file", "reference.docx"],
                       check=True, capture_output=True)
        return out.read_bytes()


# -- page ------------------------------------------------------------------------------------------

def apply_page_setup(section, page: dict[str, Any], body_size: float) -> None:
    """A4 portrait, GB/T 9704 margins, footer distance and the grid of 22 lines of 28 characters
    of the `body_size` (pt) on one section."""
    apply_margins(section, page)
    section.header_distance = Mm(page["header_distance"])
    section.footer_distance = Mm(page["footer_distance"])
    char_space = None
    if page["grid"] == "linesAndChars":
        char_space = math.floor(_pitch_excess(page, body_size) * 4096)
    ooxml.set_doc_grid(section._sectPr, page["grid"], Pt(page["line_pitch"]).twips, char_space)


def apply_margins(section, page: dict[str, Any]) -> None:
    """A4 portrait and the GB/T 9704 margins."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(page["width"])
    section.page_height = Mm(page["height"])
    section.top_margin = Mm(page["margin_top"])
    section.bottom_margin = Mm(page["margin_bottom"])
    section.left_margin = Mm(page["margin_left"])
    section.right_margin = Mm(page["margin_right"])
    section.gutter = Mm(0)


def body_char_spacing(page: dict[str, Any], body_size: float) -> int:
    """The character spacing (1/20 pt, rounded down) that puts `chars_per_line` characters of
    `body_size` on a line of the type area: -5 (condensed 0.25 pt) for 28 characters of 3号 in
    156 mm, which hold 27 otherwise."""
    return min(0, math.floor(_pitch_excess(page, body_size) * 20))


def _pitch_excess(page: dict[str, Any], body_size: float) -> Fraction:
    """(line width / chars_per_line) - body size, in pt, with the widths in the twips Word stores;
    negative when the characters must close up."""
    twips = Mm(page["width"]).twips - Mm(page["margin_left"]).twips - Mm(page["margin_right"]).twips
    return Fraction(twips, 20) / page["chars_per_line"] - Fraction(str(body_size))


def freeze_core_properties(document, title: str) -> None:
    """Fixed metadata, so two builds of the same source give the same bytes."""
    props = document.core_properties
    props.title = title
    props.author = ""
    props.last_modified_by = ""
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1


# -- styles ----------------------------------------------------------------------------------------

def apply_styles(document, spec: dict[str, Any]) -> None:
    """Define every style of the YAML on `document` (existing ones are reset first)."""
    styles = document.styles
    specs: dict[str, dict[str, Any]] = spec["styles"]
    latin = spec["fonts"]["latin"]
    for name in specs:                              # create first: based_on / next may point ahead
        if name not in styles:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=name in _BUILTIN)
            if name in _BUILTIN_IDS:
                style.style_id = _BUILTIN_IDS[name]
    for name, style_spec in specs.items():
        _apply_style(styles, styles[name], style_spec, _inherited(specs, name, "size"), latin)
    normal = specs["Normal"]
    body_spacing = body_char_spacing(spec["page"], normal["size"])
    for name, style_spec in specs.items():          # 28 characters a line of the body size only
        if "size" in style_spec:
            ooxml.set_char_spacing(styles[name].element, body_spacing if style_spec["size"] == normal["size"] else 0)
    root = styles.element
    ooxml.strip_theme(root)
    ooxml.set_doc_defaults(root, latin, normal["east_asia"], normal["size"])
    for name in specs:
        ooxml.sync_linked_character_style(root, styles[name].element)
    for name, table_spec in spec.get("table_styles", {}).items():
        if name not in styles:
            styles.add_style(name, WD_STYLE_TYPE.TABLE)
        margins = {"top": 0, "bottom": 0,
                   "left": Mm(table_spec["cell_margin_left"]).twips,
                   "right": Mm(table_spec["cell_margin_right"]).twips}
        ooxml.set_table_style(styles[name].element, round(table_spec["border"] * 8), margins)


def _inherited(specs: dict[str, dict[str, Any]], name: str, key: str) -> Any:
    """A key of a style or of the nearest style it is based on, in the YAML."""
    while name in specs:
        if key in specs[name]:
            return specs[name][key]
        name = specs[name].get("based_on")
    return None


def _apply_style(styles, style, spec: dict[str, Any], size: float, latin: str) -> None:
    ooxml.reset_style(style.element)
    style.hidden = False
    style.quick_style = True
    if "based_on" in spec:
        style.base_style = styles[spec["based_on"]]
    if "next" in spec:
        style.next_paragraph_style = styles[spec["next"]]

    font = style.font
    if "east_asia" in spec:
        ooxml.set_fonts(style.element, spec.get("latin", latin), spec["east_asia"])
    if "size" in spec:
        font.size = Pt(spec["size"])
        ooxml.set_size_cs(style.element, spec["size"])
    for key in ("bold", "italic"):
        if key in spec:
            setattr(font, key, spec[key])
    if "color" in spec:
        font.color.rgb = RGBColor.from_string(spec["color"])

    fmt = style.paragraph_format
    if "align" in spec:
        fmt.alignment = _ALIGN[spec["align"]]
    if "first_line_chars" in spec:
        chars = spec["first_line_chars"]
        fmt.first_line_indent = Pt(chars * size)
        ooxml.set_indent_chars(style.element, first_line=round(chars * 100))
    if spec.get("line_spacing") == "single":
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    elif "line_spacing" in spec:
        fmt.line_spacing = Pt(spec["line_spacing"])
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    for key in ("space_before", "space_after"):
        if key in spec:
            setattr(fmt, key, Pt(spec[key]))
    for key in ("keep_with_next", "keep_together", "widow_control"):
        if key in spec:
            setattr(fmt, key, spec[key])
    if "snap_to_grid" in spec:
        ooxml.set_snap_to_grid(style.element, spec["snap_to_grid"])
    if spec.get("hidden_mark"):
        ooxml.set_hidden_mark(style.element)

