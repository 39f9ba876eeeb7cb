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
import re
import zipfile
from functools import lru_cache
from typing import Callable

from docx.oxml import OxmlElement
from lxml import etree
from docx.oxml.ns import qn as _qn

# The Clark name of a prefixed tag ("w:p" → "{…/main}p"), worked out once per tag: the helpers below
# ask for the same few dozen names some four thousand times a report.
qn = lru_cache(maxsize=None)(_qn)

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


def set_char_spacing(owner, twips: int) -> None:
    """Character spacing (w:spacing in the run properties, 1/20 pt; negative condenses)."""
    _set(_child(_rpr(owner), "w:spacing", _RPR), val=twips)


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

def set_doc_grid(sect_pr, grid_type: str, line_pitch_twips: int, char_space: int | None = None) -> None:
    """`w:docGrid`: the grid Word lays 22 lines a page on; with type "linesAndChars", `char_space`
    (1/4096 pt added to the body size) sets the character pitch, so a line holds 28 characters."""
    grid = _child(sect_pr, "w:docGrid", _SECTPR)
    for key in list(grid.attrib):
        del grid.attrib[key]
    _set(grid, type=grid_type, linePitch=line_pitch_twips)
    if char_space is not None:
        _set(grid, charSpace=char_space)


# CT_Compat's children in schema order (ECMA-376 §17.15.3), the East Asian layout options of a
# document Word saves in Chinese among them.
_COMPAT = ("w:useSingleBorderforContiguousCells", "w:wpJustification", "w:noTabHangInd", "w:noLeading",
           "w:spaceForUL", "w:noColumnBalance", "w:balanceSingleByteDoubleByteWidth",
           "w:noExtraLineSpacing", "w:doNotLeaveBackslashAlone", "w:ulTrailSpace",
           "w:doNotExpandShiftReturn", "w:spacingInWholePoints", "w:lineWrapLikeWord6",
           "w:printBodyTextBeforeHeader", "w:printColBlack", "w:wpSpaceWidth", "w:showBreaksInFrames",
           "w:subFontBySize", "w:suppressBottomSpacing", "w:suppressTopSpacing",
           "w:suppressSpacingAtTopOfPage", "w:suppressTopSpacingWP", "w:suppressSpBfAfterPgBrk",
           "w:swapBordersFacingPages", "w:convMailMergeEsc", "w:truncateFontHeightsLikeWP6",
           "w:mwSmallCaps", "w:usePrinterMetrics", "w:doNotSuppressParagraphBorders",
           "w:wrapTrailSpaces", "w:footnoteLayoutLikeWW8", "w:shapeLayoutLikeWW8",
           "w:alignTablesRowByRow", "w:forgetLastTabAlignment", "w:adjustLineHeightInTable",
           "w:autoSpaceLikeWord95", "w:noSpaceRaiseLower", "w:doNotUseHTMLParagraphAutoSpacing",
           "w:layoutRawTableWidth", "w:layoutTableRowsApart", "w:useWord97LineBreakRules",
           "w:doNotBreakWrappedTables", "w:doNotSnapToGridInCell", "w:selectFldWithFirstOrLastChar",
           "w:applyBreakingRules", "w:doNotWrapTextWithPunct", "w:doNotUseEastAsianBreakRules",
           "w:useWord2002TableStyleRules", "w:growAutofit", "w:useFELayout", "w:useNormalStyleForList",
           "w:doNotUseIndentAsNumberingTabStop", "w:useAltKinsokuLineBreakRules",
           "w:allowSpaceOfSameStyleInTable", "w:doNotSuppressIndentation",
           "w:doNotAutofitConstrainedTables", "w:autofitToFirstFixedWidthCell",
           "w:underlineTabInNumList", "w:displayHangulFixedWidth", "w:splitPgBreakAndParaMark",
           "w:doNotVertAlignCellWithSp", "w:doNotBreakConstrainedForcedTable",
           "w:doNotVertAlignInTxbx", "w:useAnsiKerningPairs", "w:cachedColBalance", "w:compatSetting")
# CT_Settings children that follow w:compat (ECMA-376 §17.15.1.78).
_SETTINGS = ("w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
             "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
             "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
             "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
             "w:decimalSymbol", "w:listSeparator")
_WORD_URI = "http://schemas.microsoft.com/office/word"


def set_compat(settings, options: list[str], mode: int = 15) -> None:
    """`w:compat` with the given on/off options (names without "w:") and compatibilityMode `mode`
    (15: Word 2013 and later), so Word lays the document out with its current engine instead of
    opening it in 兼容模式; the options are written in schema order whatever order they come in."""
    old = settings.find(qn("w:compat"))
    if old is not None:
        settings.remove(old)
    compat = _insert(settings, OxmlElement("w:compat"), "w:compat", _SETTINGS)
    for name in sorted(options, key=lambda n: _COMPAT.index(f"w:{n}")):
        compat.append(OxmlElement(f"w:{name}"))
    setting = OxmlElement("w:compatSetting")
    _set(setting, name="compatibilityMode", uri=_WORD_URI, val=mode)
    compat.append(setting)


def set_theme_font_lang(settings, latin: str, east_asia: str) -> None:
    """`w:themeFontLang`: the languages whose theme fonts Word picks (a Chinese document names zh-CN
    for East Asian text)."""
    lang = _child(settings, "w:themeFontLang", _SETTINGS)
    _set(lang, val=latin, eastAsia=east_asia)


# -- font table ------------------------------------------------------------------------------------

_FONT = ("w:altName", "w:panose1", "w:charset", "w:family", "w:notTrueType", "w:pitch", "w:sig")


def declare_fonts(fonts, declared: dict[str, dict]) -> None:
    """Write a w:font entry for each name of `declared` ({name: {alt_name, panose, charset, family,
    pitch}}) in the font table, replacing an entry of that name: with the alternative name, the GB2312
    charset (86) and the PANOSE class, Word and WPS substitute a similar font where one is missing."""
    for name, spec in declared.items():
        for old in fonts.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                fonts.remove(old)
        font = OxmlElement("w:font")
        _set(font, name=name)
        for tag, key in (("w:altName", "alt_name"), ("w:panose1", "panose"), ("w:charset", "charset"),
                         ("w:family", "family"), ("w:pitch", "pitch")):
            if spec.get(key) is not None:
                _set(_child(font, tag, _FONT), val=spec[key])
        fonts.append(font)


def drop_dangling_based_on(styles) -> list[str]:
    """Remove every w:basedOn naming a style the part does not define (pandoc's "Table" is based
    on a TableNormal it never writes); the ids of the styles changed."""
    ids = {style.get(qn("w:styleId")) for style in styles.findall(qn("w:style"))}
    changed = []
    for style in styles.findall(qn("w:style")):
        based_on = style.find(qn("w:basedOn"))
        if based_on is not None and based_on.get(qn("w:val")) not in ids:
            style.remove(based_on)
            changed.append(style.get(qn("w:styleId")))
    return changed


_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def app_properties(application: str) -> bytes:
    """docProps/app.xml naming the application and nothing stale: no page, word or line counts
    (nothing here lays out pages, and a count from pandoc's template would be wrong), no
    AppVersion of another program."""
    root = etree.Element(f"{{{_EXTENDED}}}Properties", nsmap={None: _EXTENDED})
    for tag, text in (("Application", application), ("DocSecurity", "0"), ("ScaleCrop", "false"),
                      ("LinksUpToDate", "false"), ("SharedDoc", "false"), ("HyperlinksChanged", "false")):
        etree.SubElement(root, f"{{{_EXTENDED}}}{tag}").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def parse_part(blob: bytes):
    """A part's XML as an element tree root (for parts python-docx keeps as bytes: the font table)."""
    return etree.fromstring(blob)


def serialize_part(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


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

_EDGES = tuple(f"w:{s}" for s in ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV",
                                  "tl2br", "tr2bl"))


def _border(parent, size_eighths: int) -> None:
    for side in (*_SIDES, "insideH", "insideV"):
        if parent.tag == qn("w:tcBorders") and side.startswith("inside"):
            continue
        edge = _child(parent, f"w:{side}", _EDGES)
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
    """tcW (the sum of the spanned columns), borders and vertical centring on every w:tc, the
    covered parts of vertical merges included: Word checks tcW against the grid and draws each tc's
    own edges, and a merged label is centred over all its rows only if every part says so."""
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
            _set(_child(tc_pr, "w:vAlign", _TCPR), val="center")
            col += span


def join_vertically(upper, lower) -> None:
    """No rule between two w:tc, one above the other (the bottom edge of `upper`, the top edge of
    `lower`): they read as one cell while staying separate."""
    for tc, side in ((upper, "w:bottom"), (lower, "w:top")):
        borders = _child(tc.get_or_add_tcPr(), "w:tcBorders", _TCPR)
        edge = _child(borders, side, _EDGES)
        for key in list(edge.attrib):
            del edge.attrib[key]
        _set(edge, val="nil")


def keep_with_next(tbl, rows: int) -> None:
    """Keep the first `rows` rows on the page of the row under them (w:keepNext on their
    paragraphs): a heading row is never left alone at the foot of a page."""
    for tr in tbl.tr_lst[:rows]:
        for p in tr.iter(qn("w:p")):
            _child(_ppr(p), "w:keepNext", _PPR)


def set_hidden_mark(owner) -> None:
    """Hide a paragraph mark (w:vanish in its run properties): an empty paragraph between two
    tables then takes no room, and Word still keeps the tables apart."""
    _child(_rpr(owner), "w:vanish", _RPR)


def set_rows(tbl, header_rows: int) -> None:
    """Every row stays on one page (cantSplit); the first `header_rows` repeat (tblHeader)."""
    for i, tr in enumerate(tbl.tr_lst):
        tr_pr = tr.get_or_add_trPr()
        _child(tr_pr, "w:cantSplit", _TRPR)
        if i < header_rows:
            _child(tr_pr, "w:tblHeader", _TRPR)



def merge_cells(at: list[list], row: int, col: int, rowspan: int, colspan: int):
    """Merge the rectangle of fresh w:tc elements at[row..][col..] into one; the top-left w:tc.

    `at` holds each row's w:tc list as first made (one grid column each, empty). What python-docx's
    _Cell.merge does to such a rectangle, without the searches that make it slow (each locates
    every cell again through XPath): each row's cells swallowed into its first (gridSpan, width),
    the rows joined by vMerge restart / continue. Merges must not overlap.
    """
    rows = [at[row + k][col:col + colspan] for k in range(rowspan)]
    for k, tcs in enumerate(rows):
        first = tcs[0]
        if first.grid_span != 1 or first.vMerge is not None:
            raise ValueError(f"cell ({row + k}, {col}) is already merged")
        for other in tcs[1:]:
            first._add_width_of(other)
            first.grid_span += other.grid_span
            other.getparent().remove(other)
        if rowspan > 1:
            first.vMerge = "restart" if k == 0 else "continue"
    return rows[0][0]


def paragraph_properties(style_id: str | None, align: str | None = None):
    """A new w:pPr naming a paragraph style and a justification ("left", "center" …), to copy into
    many cell paragraphs (building it once skips python-docx's schema-order search per setter)."""
    ppr = OxmlElement("w:pPr")
    if style_id:
        _set(_child(ppr, "w:pStyle", _PPR), val=style_id)
    if align:
        _set(_child(ppr, "w:jc", _PPR), val=align)
    return ppr


_RANGE_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")


def add_text(p, text: str) -> None:
    """A run of `text` at the end of paragraph `p`; the hyphen of a range of numbers ("5-10个工作日")
    becomes a w:noBreakHyphen, so the line cannot break after "5-"."""
    r = p.add_r()
    for i, piece in enumerate(_RANGE_HYPHEN.split(text)):
        if i:
            r.append(OxmlElement("w:noBreakHyphen"))
        if piece:
            t = OxmlElement("w:t")
            t.text = piece
            if piece != piece.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)


def fill_cell(tc, lines: list[str], ppr, v_align: str = "center") -> None:
    """One paragraph per line in `tc` (its existing first paragraph reused), each with a copy of
    `ppr`; the cell vertically aligned."""
    _set(_child(tc.get_or_add_tcPr(), "w:vAlign", _TCPR), val=v_align)
    p = tc.p_lst[0]
    for i, line in enumerate(lines or [""]):
        if i:
            p = tc.add_p()
        old = p.find(qn("w:pPr"))
        if old is not None:
            p.remove(old)
        p.insert(0, copy.deepcopy(ppr))
        if line:
            add_text(p, line)


def cell_paragraphs(tc) -> list:
    """The w:p children of a w:tc, in order (nested tables left out)."""
    return list(tc.iterchildren(qn("w:p")))


def table_cells(tbl) -> list[tuple[int, int, int, int, object]]:
    """(row, col, rowspan, colspan, tc) of every cell that starts at its position, in reading
    order: vertical merges (vMerge restart / continue) folded into the starting cell's rowspan."""
    starts: dict[tuple[int, int], list] = {}
    running: dict[int, tuple[int, int]] = {}      # grid column → start of the merge running in it
    for r, tr in enumerate(tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue" and c in running:
                starts[running[c]][0] += 1
            else:
                starts[(r, c)] = [1, span, tc]
                if tc.vMerge == "restart":
                    running[c] = (r, c)
                else:
                    running.pop(c, None)
            c += span
    return [(r, c, rs, cs, tc) for (r, c), (rs, cs, tc) in sorted(starts.items())]


def grid_widths(tbl) -> list[int]:
    """The w:gridCol widths of a table, in twips (0 where a column has none)."""
    return [int(col.get(qn("w:w")) or 0) for col in tbl.tblGrid.gridCol_lst]


def set_grid_widths(tbl, widths: list[int]) -> None:
    """w:gridCol widths in twips: WPS lays columns out by these, Word by each cell's tcW
    (set_cells), so both are written from the same list."""
    for col, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
        _set(col, w=width)


def center_header_rows(tbl) -> None:
    """Centre every paragraph of the rows marked as repeating headers (w:tblHeader)."""
    for tr in tbl.tr_lst:
        tr_pr = tr.trPr
        if tr_pr is None or tr_pr.find(qn("w:tblHeader")) is None:
            continue
        for p in tr.iter(qn("w:p")):
            _set(_child(_ppr(p), "w:jc", _PPR), val="center")


def cell_elements(tbl) -> list[list]:
    """Each row's w:tc elements, looked up once (python-docx's Table.cell() rebuilds the whole
    cell list on every call); each stays valid while non-overlapping merges swallow its
    neighbours."""
    return [list(tr.tc_lst) for tr in tbl.tr_lst]


def grid_columns(tbl) -> int:
    """How many w:gridCol the table's w:tblGrid declares."""
    return len(tbl.tblGrid.gridCol_lst)


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


# -- draft watermark -------------------------------------------------------------------------------

_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"
# Word's own WordArt text-path shape type (spt 136), as its 水印 (watermark) dialog writes it.
_TEXT_PATH_TYPE = (
    '<v:shapetype xmlns:v="{v}" xmlns:o="{o}" id="_x0000_t136" coordsize="21600,21600" o:spt="136" '
    'adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>')


def add_watermark(paragraph, text: str, font: str, color: str, number: int) -> None:
    """Append to a header paragraph the diagonal text Word's 水印 dialog makes: a VML text path
    behind the page's text, centred on the margins, light and half transparent, on every page the
    header shows on. `number` tells the shapes of one document apart (one per header part)."""
    r = paragraph.add_r()
    _child(r.get_or_add_rPr(), "w:noProof", _RPR)
    pict = OxmlElement("w:pict")
    r.append(pict)
    pict.append(etree.fromstring(_TEXT_PATH_TYPE.format(v=_V, o=_O)))
    shape = etree.SubElement(pict, f"{{{_V}}}shape", nsmap={"v": _V, "o": _O})
    shape.set("id", f"PowerPlusWaterMarkObject{number}")       # the name Word gives its watermarks
    shape.set(f"{{{_O}}}spid", f"_x0000_s{2048 + number}")
    shape.set("type", "#_x0000_t136")
    shape.set("style", "position:absolute;margin-left:0;margin-top:0;width:415pt;height:207pt;rotation:315;"
                       "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
                       "mso-position-vertical:center;mso-position-vertical-relative:margin")
    shape.set(f"{{{_O}}}allowincell", "f")
    shape.set("fillcolor", f"#{color}")
    shape.set("stroked", "f")
    etree.SubElement(shape, f"{{{_V}}}fill").set("opacity", ".5")
    path = etree.SubElement(shape, f"{{{_V}}}textpath")
    path.set("style", f'font-family:"{font}";font-size:1pt')
    path.set("string", text)


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


def row_cells(table) -> list[list[tuple[int, int, bool, str]]]:
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
