"""Last touches on a report's Word document, and its reproducible bytes.

Page setup is applied again to every section from styles.yaml (the source of truth), whatever
reference the document was first written with; the first section gets the "— 1 —" footers (odd
pages right, even pages left, one character in from the edge), later sections link to them so the
numbering runs on through the attachment. Runs whose font python-docx named only in the Latin
slots get their paragraph style's Chinese font. Metadata and zip entries are fixed, so the same
source always gives the same file.
"""
from __future__ import annotations

import io
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.shared import Pt

from . import ooxml
from ..styles import STYLES_PATH, load_styles
from .reference import apply_page_setup, freeze_core_properties

EM_DASH = "\u2014"
APPLICATION = "selfeval"     # docProps/app.xml: the program that wrote the file, no version to go stale


def finish(document, title: str, styles_path: Path = STYLES_PATH) -> None:
    """Page setup, page-number footers, Chinese fonts of runs, fixed core properties."""
    spec = load_styles(styles_path)
    char = Pt(spec["styles"]["Footer"]["size"])      # "one character" of the page number
    document.settings.odd_and_even_pages_header_footer = True
    for i, section in enumerate(document.sections):
        apply_page_setup(section, spec["page"], spec["styles"]["Normal"]["size"])
        section.different_first_page_header_footer = False
        for header in (section.header, section.even_page_header, section.first_page_header):
            header.is_linked_to_previous = True      # no header content; drops any definition
        section.first_page_footer.is_linked_to_previous = True
        if i == 0:
            _page_number(section.footer, WD_PARAGRAPH_ALIGNMENT.RIGHT, char)
            _page_number(section.even_page_footer, WD_PARAGRAPH_ALIGNMENT.LEFT, char)
        else:
            section.footer.is_linked_to_previous = True
            section.even_page_footer.is_linked_to_previous = True
    _fill_east_asia(document)
    word_settings(document, spec)
    freeze_core_properties(document, title)


def word_settings(document, spec: dict) -> None:
    """What Word and WPS read differently, written as Word itself writes a Chinese document:
    w:compat (compatibility mode and East Asian layout options), the font table's declarations of
    the fonts the styles name, no style based on a style that is not there, and an app.xml with no
    stale counts."""
    word = spec["word"]
    settings = document.settings.element
    ooxml.set_compat(settings, word["compat"], word["compatibility_mode"])
    ooxml.set_theme_font_lang(settings, word["theme_font_lang"]["latin"], word["theme_font_lang"]["east_asia"])
    ooxml.drop_dangling_based_on(document.styles.element)
    named = fonts_named(spec)
    missing = sorted(named - set(spec["fonts"]["declare"]))
    if missing:
        raise ValueError(f"styles.yaml: fonts.declare has no entry for {', '.join(missing)}")
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            fonts = ooxml.parse_part(part.blob)
            ooxml.declare_fonts(fonts, {n: spec["fonts"]["declare"][n] for n in sorted(named)})
            part._blob = ooxml.serialize_part(fonts)
        elif str(part.partname) == "/docProps/app.xml":
            part._blob = ooxml.app_properties(APPLICATION)


def fonts_named(spec: dict) -> set[str]:
    """Every font a style of styles.yaml names (East Asian and Latin slots)."""
    names = {spec["fonts"]["latin"]}
    for style in spec["styles"].values():
        names.update(style[k] for k in ("east_asia", "latin") if k in style)
    return names


def to_bytes(document) -> bytes:
    """The .docx bytes, identical for equal documents (fixed entry order, times, compression)."""
    buffer = io.BytesIO()
    document.save(buffer)
    return ooxml.normalize_package(buffer.getvalue())


def _page_number(footer, align, char) -> None:
    """"— N —" in the Footer style, one character in from the outer edge."""
    footer.is_linked_to_previous = False
    ooxml.clear_content(footer.part.element)
    paragraph = footer.add_paragraph(style="Footer")
    paragraph.alignment = align
    if align == WD_PARAGRAPH_ALIGNMENT.RIGHT:
        paragraph.paragraph_format.right_indent = char
        ooxml.set_indent_chars(paragraph._p, right=100)
    else:
        paragraph.paragraph_format.left_indent = char
        ooxml.set_indent_chars(paragraph._p, left=100)
    paragraph.add_run(EM_DASH + " ")
    ooxml.add_page_field(paragraph)
    paragraph.add_run(" " + EM_DASH)


def _fill_east_asia(document) -> None:
    styles = document.styles
    default = styles.default(WD_STYLE_TYPE.PARAGRAPH)
    cache: dict[str | None, str | None] = {}

    def font_of(style_id: str | None) -> str | None:
        if style_id not in cache:
            style = styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH) if style_id else default
            found = None
            while style is not None and found is None:
                found = ooxml.east_asia_font(style.element)
                style = style.base_style
            cache[style_id] = found
        return cache[style_id]

    stories = [document.element.body]
    for section in document.sections:
        for footer in (section.footer, section.even_page_footer):
            if not footer.is_linked_to_previous:
                stories.append(footer.part.element)
    for story in stories:
        ooxml.fill_east_asia(story, font_of)
