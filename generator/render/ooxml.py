"""The one place that touches raw WordprocessingML (as python-docx keeps its own in docx/oxml).

python-docx covers most of what the report needs, but not the parts Chinese typesetting depends on:
the w:eastAsia font slot (`font.name` fills only the Latin slots), theme-font attributes that
override named fonts, indents in characters, the line grid, row flags, cell borders and fields.
Everything else in the project speaks in domain terms and calls these helpers; each takes a
python-docx oxml element (or proxy's element) and knows the schema order of what it inserts, so
the output stays valid for Word, WPS and LibreOffice.
"""
from __future__ import annotations

import copy
import io
import zipfile
from functools import lru_cache
from typing import Callable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Schema order of the children we insert (ECMA-376 Part 1, §17): Word rejects out-of-order files.
_PPR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
        "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
        "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
        "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
        "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
        "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
        "w:sectPr", "w:pPrChange")
_RPR = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
        "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
        "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
        "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
        "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
_TBLPR = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
          "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
          "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
          "w:tblPrChange")
_TCPR = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
         "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
         "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
_TRPR = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
         "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
         "w:ins", "w:del", "w:trPrChange")
_SECTPR = ("w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
           "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols",
           "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
           "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
_SIDES = ("top", "left", "bottom", "right")


def _child(parent, tag: str, order: tuple[str, ...]):
    """The `tag` child of `parent`, created in its schema position if missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    return _insert(parent, OxmlElement(tag), tag, order)


def _insert(parent, new, tag: str, order: tuple[str, ...]):
    """`new`, a `tag` element, put among the children of `parent` in its schema position."""
    later = _later(tag, order)
    for i, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(i, new)
            return new
    parent.append(new)
    return new


@lru_cache(maxsize=None)
def _later(tag: str, order: tuple[str, ...]) -> frozenset[str]:
    """The Clark names of the elements that come after `tag` in `order`."""
    return frozenset(qn(t) for t in order[order.index(tag) + 1:])


def _set(el, **attrs) -> None:
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), str(value))


def _ppr(owner):
    """pPr of a paragraph, a style or pPrDefault (or pPr itself)."""
    if owner.tag == qn("w:pPr"):
        return owner
    if hasattr(owner, "get_or_add_pPr"):          # w:p and w:style know their schema order
        return owner.get_or_add_pPr()
    return _child(owner, "w:pPr", ("w:pPr",))     # w:pPrDefault


def _rpr(owner):
    """rPr of a run, a style or rPrDefault (or rPr itself)."""
    if owner.tag == qn("w:rPr"):
        return owner
    if hasattr(owner, "get_or_add_rPr"):          # w:r and w:style
        return owner.get_or_add_rPr()
    return _child(owner, "w:rPr", ("w:rPr",))     # w:rPrDefault


# -- fonts and styles ------------------------------------------------------------------------------

def set_fonts(owner, latin: str, east_asia: str) -> None:
    """Name all four font slots and drop theme fonts, which would override the names.

    `w:hint="eastAsia"` makes Word take the Chinese font for characters both scripts share
    (“ ” — …), as Word itself does when such text is typed with a Chinese input method.
    """
    fonts = _child(_rpr(owner), "w:rFonts", _RPR)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    _set(fonts, ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")


def east_asia_font(owner) -> str | None:
    """The w:eastAsia font named directly on a style, run or rPr, if any."""
    rpr = owner if owner.tag == qn("w:rPr") else owner.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def strip_theme(root) -> None:
    """Remove every theme font and theme colour under `root` (styles part, docDefaults, a run).

    Theme attributes win over named fonts and colours, and pandoc's defaults carry Aptos and blue
    headings through them.
    """
    for fonts in list(root.iter(qn("w:rFonts"))):
        for key in [k for k in fonts.attrib if k.lower().endswith("theme")]:
            del fonts.attrib[key]
        if not len(fonts.attrib):
            fonts.getparent().remove(fonts)
    for color in root.iter(qn("w:color")):
        for key in [k for k in color.attrib if "theme" in k.lower()]:
            del color.attrib[key]


def reset_style(style, keep: tuple[str, ...] = ("w:outlineLvl",)) -> None:
    """Empty a style's paragraph and run properties, so the YAML alone defines it."""
    for tag in ("w:pPr", "w:rPr"):
        props = style.find(qn(tag))
        if props is None:
            continue
        for child in list(props):
            if child.tag not in {qn(k) for k in keep}:
                props.remove(child)


def sync_linked_character_style(styles, style) -> None:
    """Give a paragraph style's linked character style (Heading1Char …) the same run properties.

    Word shows the linked style when part of a heading is selected; left alone it keeps pandoc's
    blue Aptos.
    """
    link = style.find(qn("w:link"))
    if link is None:
        return
    for other in styles.findall(qn("w:style")):
        if other.get(qn("w:styleId")) == link.get(qn("w:val")):
            old = other.find(qn("w:rPr"))
            if old is not None:
                other.remove(old)
            rpr = style.find(qn("w:rPr"))
            if rpr is not None:
                other.append(copy.deepcopy(rpr))


def set_doc_defaults(styles, latin: str, east_asia: str, size_pt: float) -> None:
    """docDefaults: named fonts, size, no spacing after (pandoc's default is 10 pt after)."""
    defaults = _child(styles, "w:docDefaults", ("w:docDefaults", "w:latentStyles", "w:style"))
    rpr_default = _child(defaults, "w:rPrDefault", ("w:rPrDefault", "w:pPrDefault"))
    ppr_default = _child(defaults, "w:pPrDefault", ("w:rPrDefault", "w:pPrDefault"))
    rpr = _rpr(rpr_default)
    strip_theme(rpr)
    set_fonts(rpr, latin, east_asia)
    half_points = str(round(size_pt * 2))
    _set(_child(rpr, "w:sz", _RPR), val=half_points)
    _set(_child(rpr, "w:szCs", _RPR), val=half_points)
    spacing = _child(_ppr(ppr_default), "w:spacing", _PPR)
    for key in list(spacing.attrib):
        del spacing.attrib[key]
    _set(spacing, before=0, after=0)


def set_size_cs(owner, size_pt: float) -> None:
    """Complex-script size beside python-docx's w:sz, so both slots agree."""
    _set(_child(_rpr(owner), "w:szCs", _RPR), val=round(size_pt * 2))


def set_indent_chars(owner, first_line: int | None = None, left: int | None = None,
                     right: int | None = None) -> None:
    """Indents in hundredths of a character (200 = 2 characters), beside python-docx's twips.

    Word and WPS scale `*Chars` with the font size; applications that ignore them fall back on
    the twips python-docx writes.
    """
    ind = _child(_ppr(owner), "w:ind", _PPR)
    for name, value in (("firstLineChars", first_line), ("leftChars", left), ("rightChars", right)):
        if value is not None:
            _set(ind, **{name: value})
    if first_line is not None:
        ind.attrib.pop(qn("w:hangingChars"), None)
        ind.attrib.pop(qn("w:hanging"), None)


def set_snap_to_grid(owner, on: bool) -> None:
    """Whether a paragraph snaps to the page's line grid; small table text must not (each line
    would take a full 28.95 pt grid line)."""
    _set(_child(_ppr(owner), "w:snapToGrid", _PPR), val=1 if on else 0)


# -- sections and settings -------------------------------------------------------------------------

def set_doc_grid(sect_pr, grid_type: str, line_pitch_twips: int) -> None:
    """`w:docGrid`: the line grid Word lays 22 lines a page on (type "lines")."""
    grid = _child(sect_pr, "w:docGrid", _SECTPR)
    for key in list(grid.attrib):
        del grid.attrib[key]
    _set(grid, type=grid_type, linePitch=line_pitch_twips)


def clear_content(story) -> None:
    """Remove all content of a w:body, w:ftr or w:hdr but a body's final sectPr."""
    for child in list(story):
        if child.tag != qn("w:sectPr"):
            story.remove(child)


def add_page_field(paragraph) -> None:
    """Append a PAGE field (begin, instruction, separator, cached "1", end) as runs.

    A complex field rather than w:fldSimple: every application updates it on layout.
    """
    def run(*children):
        r = paragraph.add_run()._r
        for child in children:
            r.append(child)

    def fld_char(kind: str):
        el = OxmlElement("w:fldChar")
        _set(el, fldCharType=kind)
        return el

    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    cached = OxmlElement("w:t")
    cached.text = "1"
    run(fld_char("begin"))
    run(instr)
    run(fld_char("separate"))
    run(cached)
    run(fld_char("end"))


def fill_east_asia(root, font_of_style: Callable[[str | None], str | None]) -> None:
    """Runs that name only a Latin font (python-docx `font.name`) get the East Asian font of their
    paragraph's style, and lose theme fonts; otherwise Word falls back on its own Chinese font."""
    for p in list(root.iter(qn("w:p"))):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        east_asia = font_of_style(style.get(qn("w:val")) if style is not None else None)
        for r in p.iter(qn("w:r")):
            rpr = r.find(qn("w:rPr"))
            if rpr is None:
                continue
            strip_theme(rpr)
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None or fonts.get(qn("w:eastAsia")) or east_asia is None:
                continue
            if fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi")):
                _set(fonts, eastAsia=east_asia)


# -- tables ----------------------------------------------------------------------------------------

def _border(parent, size_eighths: int) -> None:
    for side in (*_SIDES, "insideH", "insideV"):
        if parent.tag == qn("w:tcBorders") and side.startswith("inside"):
            continue
        edge = _child(parent, f"w:{side}", tuple(f"w:{s}" for s in ("top", "left", "start", "bottom",
                                                                     "right", "end", "insideH",
                                                                     "insideV", "tl2br", "tr2bl")))
        _set(edge, val="single", sz=size_eighths, space=0, color="000000")


def set_table_frame(tbl, width_twips: int, border_eighths: int, margin_twips: dict[str, int]) -> None:
    """Total width, thin single borders inside and out, cell margins, and no conditional
    formatting from the table style (pandoc's "Table" bottom-aligns and rules its first row)."""
    tbl_pr = tbl.tblPr
    width = _child(tbl_pr, "w:tblW", _TBLPR)
    _set(width, w=width_twips, type="dxa")
    set_table_borders(tbl, border_eighths)
    margins = _child(tbl_pr, "w:tblCellMar", _TBLPR)
    for side in _SIDES:
        _set(_child(margins, f"w:{side}", tuple(f"w:{s}" for s in _SIDES)),
             w=margin_twips[side], type="dxa")
    look = _child(tbl_pr, "w:tblLook", _TBLPR)
    for key in list(look.attrib):
        del look.attrib[key]
    _set(look, val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0, noHBand=1, noVBand=1)


def set_table_borders(tbl, border_eighths: int) -> None:
    """Thin single rules round the table and between all its cells, as direct formatting (not
    every application applies a table style's borders)."""
    _border(_child(tbl.tblPr, "w:tblBorders", _TBLPR), border_eighths)


def set_cells(tbl, column_twips: list[int], border_eighths: int) -> None:
    """tcW (the sum of the spanned columns) and borders on every w:tc, the covered parts of
    vertical merges included: Word checks tcW against the grid and draws each tc's own edges."""
    new_borders = OxmlElement("w:tcBorders")       # what _border makes of a new w:tcBorders,
    _border(new_borders, border_eighths)            # built once and copied into each cell
    for tr in tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc_pr = tc.get_or_add_tcPr()
            _set(_child(tc_pr, "w:tcW", _TCPR), w=sum(column_twips[col:col + span]), type="dxa")
            borders = tc_pr.find(qn("w:tcBorders"))
            if borders is None:
                _insert(tc_pr, copy.deepcopy(new_borders), "w:tcBorders", _TCPR)
            else:
                _border(borders, border_eighths)
            col += span


def set_rows(tbl, header_rows: int) -> None:
    """Every row stays on one page (cantSplit); the first `header_rows` repeat (tblHeader)."""
    for i, tr in enumerate(tbl.tr_lst):
        tr_pr = tr.get_or_add_trPr()
        _child(tr_pr, "w:cantSplit", _TRPR)
        if i < header_rows:
            _child(tr_pr, "w:tblHeader", _TRPR)


_STYLE = ("w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
          "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked", "w:personal",
          "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr",
          "w:tcPr", "w:tblStylePr")


def set_table_style(style, border_eighths: int, margin_twips: dict[str, int]) -> None:
    """A table style (pandoc's "Table") ruled on every edge, centred on the page, cells centred
    vertically, without the first-row rule and bottom alignment pandoc gives it."""
    for conditional in style.findall(qn("w:tblStylePr")):
        style.remove(conditional)
    tbl_pr = _child(style, "w:tblPr", _STYLE)
    _set(_child(tbl_pr, "w:jc", _TBLPR), val="center")
    _border(_child(tbl_pr, "w:tblBorders", _TBLPR), border_eighths)
    margins = _child(tbl_pr, "w:tblCellMar", _TBLPR)
    for side in _SIDES:
        _set(_child(margins, f"w:{side}", tuple(f"w:{s}" for s in _SIDES)),
             w=margin_twips[side], type="dxa")
    tc_pr = _child(style, "w:tcPr", _STYLE)
    _set(_child(tc_pr, "w:vAlign", _TCPR), val="center")


# -- package ---------------------------------------------------------------------------------------

_EPOCH = (1980, 1, 1, 0, 0, 0)
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def normalize_package(data: bytes) -> bytes:
    """Rewrite a .docx zip with a fixed entry order, fixed times and fixed compression, so equal
    documents give equal bytes (python-docx stamps entries with the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = [n for n in _FIRST if n in names] + sorted(n for n in names if n not in _FIRST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def table_cells(table) -> list[list[tuple[int, int, bool, str]]]:
    """Each row's cells as (first grid column, columns spanned, continues a vertical merge, text):
    w:gridBefore, w:gridSpan and w:vMerge read once, for readers that resolve merges themselves
    (python-docx's Row.cells loses the link between rows when asked row by row)."""
    from docx.table import _Cell
    out = []
    for tr in table._tbl.tr_lst:
        col, row = tr.grid_before, []
        for tc in tr.tc_lst:
            row.append((col, tc.grid_span, tc.vMerge == "continue", _Cell(tc, table).text))
            col += tc.grid_span
        out.append(row)
    return out
