"""Which fonts on a page draw text whose characters are not known for certain.

A reader turns character codes into text through the font's ``/ToUnicode``
map, else its encoding (a standard one, or ``/Differences`` glyph names from
the Adobe glyph list), else the embedded font program's own tables. PDFium,
which our redactor and gate read pages with, does not always take that last
step; pdfminer.six does, and read a protected name that we saw as noise. So a
font whose text rests on the embedded program (or on nothing) is a *doubt*:
the page is rasterised and OCR'd before redaction, and the gate refuses a
bundle in which such a font is still drawn. So is a map that contradicts the
encoding, letters drawn and letters extracted differing (``tounicode``), and a
Type0 font's map that contradicts its embedded program's own ``cmap`` or glyph
names (``cidfonts``). Only the reason is returned, never the font's name, which
could itself be protected text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fontTools import agl
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject, StreamObject

from bundler.core.anonymise.glyphs.advance import advance_doubt, cid_runs
from bundler.core.anonymise.glyphs.programs import program_doubt, truetype_misdrawn
from bundler.core.anonymise.glyphs.tounicode import tounicode_doubt, tounicode_unverifiable
from bundler.core.anonymise.glyphs.vectors import resource_forms, too_deep, unread_text

__all__ = ["document_doubts", "font_doubt", "page_doubts", "page_unverifiable"]

_STANDARD_ENCODINGS = ("/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding", "/PDFDocEncoding")
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_MAX_DEPTH = 12


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _get(obj: Any, key: str) -> Any:
    return _resolved(obj.get(key) if isinstance(obj, DictionaryObject) else None)


def _embedded(font: DictionaryObject) -> bool:
    descriptor = _get(font, "/FontDescriptor")
    return isinstance(descriptor, DictionaryObject) and any(k in descriptor for k in _FONT_FILES)


def _differences_doubt(encoding: DictionaryObject) -> str:
    """A glyph name that is not one character's standard name. A name of several characters
    ("uni004600610072", "F_a_r") is read as those characters by poppler, and by pdfium (which
    takes "uni" with four digits only) as the raw code: text the readers disagree on (round 28)."""
    for item in _get(encoding, "/Differences") or ArrayObject():
        item = item.get_object()
        if isinstance(item, NameObject) and item != "/.notdef" and len(agl.toUnicode(item[1:])) != 1:
            return "its glyph names are not standard"
    return ""


def _simple_doubt(font: DictionaryObject) -> str:
    encoding = _get(font, "/Encoding")
    base = _get(encoding, "/BaseEncoding") if isinstance(encoding, DictionaryObject) else encoding
    if base is not None and base not in _STANDARD_ENCODINGS:
        return "its encoding is not standard"
    if isinstance(encoding, DictionaryObject) and (reason := _differences_doubt(encoding)):
        return reason
    if base is None and _embedded(font):  # the font program's built-in encoding decides
        return program_doubt(font)
    if font.get("/Subtype") == "/TrueType" and _embedded(font):  # its cmap decides what is drawn
        return truetype_misdrawn(font, _encoded_letters(font))
    return ""  # a standard encoding, or a standard font with its own


_CODECS = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman", "/PDFDocEncoding": "latin-1"}


def _encoded_letters(font: DictionaryObject) -> dict[int, str]:
    """Code → the letter or digit the font's encoding names for it, every code (accented ones
    too: a Mac cmap may send "à" to another letter's glyph, round 36), /Differences applied."""
    encoding = _get(font, "/Encoding")
    base = _get(encoding, "/BaseEncoding") if isinstance(encoding, DictionaryObject) else encoding
    codec = _CODECS.get(str(base), "ascii")  # StandardEncoding's letters and digits are ASCII's
    letters = {code: bytes([code]).decode(codec, "ignore") for code in range(256)}
    code = 0
    for item in _get(encoding, "/Differences") or ArrayObject() if isinstance(encoding, DictionaryObject) else ():
        item = item.get_object()
        if isinstance(item, int):
            code = int(item)
        elif isinstance(item, NameObject):
            letters[code] = agl.toUnicode(item[1:])
            code += 1
    return {code: text for code, text in letters.items() if len(text) == 1 and text.isalnum()}


_MOST_WIDTH = 10_000  # thousandths of an em: ten ems; no real glyph is wider


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, (bool, float))


def _cid_widths_apart(w: Any) -> bool:
    """Whether readers may take a CID's width from ``/W`` differently: a CID not written as a
    whole number (poppler skips a real one, PDFium and pdfminer.six read it), a range backwards,
    or a CID given two different widths (PDFium takes the first, poppler and pdfminer.six the
    last)."""
    runs = []
    for first, last, width in cid_runs(w):
        if not (_whole(first) and _whole(last) and first <= last):
            return True
        runs.append((first, last, width))
    runs.sort(key=lambda run: run[0])
    reach: tuple[int, Any] | None = None  # the furthest CID given so far, and its width
    for first, last, width in runs:
        if reach is not None and first <= reach[0] and width != reach[1]:
            return True
        if reach is None or last > reach[0]:
            reach = (last, width)
    return False


def _width_doubt(font: DictionaryObject) -> str:
    """A width below zero (or absurdly large, or not a number) steps the glyphs after it back
    along the line, and readers disagree on it: poppler honours a negative simple-font width,
    PDFium does not, so a name can show in one reading only."""
    widths = _get(font, "/Widths")
    found = [_resolved(width) for width in widths] if isinstance(widths, ArrayObject) else []
    defaults = [_get(_get(font, "/FontDescriptor"), "/MissingWidth")]
    kids = _get(font, "/DescendantFonts")
    kid = _resolved(kids[0]) if isinstance(kids, ArrayObject) and len(kids) else None
    if isinstance(kid, DictionaryObject):
        if _cid_widths_apart(_get(kid, "/W")):
            return "its widths place glyphs back along the line"
        found += [width for _, _, width in cid_runs(_get(kid, "/W"))]
        defaults += [_get(kid, "/DW"), _get(_get(kid, "/FontDescriptor"), "/MissingWidth")]
    for width in [*found, *(d for d in defaults if d is not None)]:
        if not isinstance(width, (int, float)) or isinstance(width, bool) or not 0 <= width <= _MOST_WIDTH:
            return "its widths place glyphs back along the line"
    return ""


# What a Type3 glyph may do and still draw no shape of its own: set its width, the graphics state
# and colour, and paint a picture (``Do`` of an image, an inline image), which is read as pictures are
_TYPE3_QUIET = frozenset(
    b"d0 d1 q Q cm gs w J j M d ri i g G rg RG k K cs CS sc SC scn SCN Do".split() + [b"INLINE IMAGE"]
)
_SHAPES = "its glyphs are shapes drawn by the file, which no text reader checks"


# What a graphics state may set in a Type3 glyph and still paint no shape of its own: no soft
# mask (a group that may draw the letter: round 30), transfer, halftone or blend
_PLAIN_STATE = frozenset("/Type /LW /LC /LJ /ML /D /RI /OP /op /OPM /FL /SM /SA /CA /ca /AIS /TK /SMask /BM".split())


def _plain_state(state: Any) -> bool:
    """Whether ``state`` (an ExtGState) sets nothing that could shape what a glyph paints."""
    if not isinstance(state, DictionaryObject) or not set(state) <= _PLAIN_STATE:
        return False
    return _get(state, "/SMask") in (None, "/None") and _get(state, "/BM") in (None, "/Normal", "/Compatible")


def _type3_shapes(font: DictionaryObject) -> str:
    """Why a Type3 font's glyphs are shapes that no reader of text checks; "" if none draws one.

    A Type3 glyph is a small content stream: whatever it draws (paths, or text in another font)
    is what the eye and OCR read, while every text reader takes the glyph's name or map: a glyph
    named "q" may draw "F" (round 28). So a font whose glyphs paint paths or show text puts its
    pages in doubt (read from their pixels), as words drawn in outlines are read (``vectors``).
    Glyphs that only paint a picture (the emoji of a Google Docs export) are pictures."""
    procs = _get(font, "/CharProcs")
    xobjects = _get(_get(font, "/Resources"), "/XObject")
    states = _get(_get(font, "/Resources"), "/ExtGState")
    for proc in procs.values() if isinstance(procs, DictionaryObject) else ():
        proc = _resolved(proc)
        if not isinstance(proc, StreamObject):
            continue
        try:
            operations = ContentStream(proc, None).operations
        except Exception:  # noqa: BLE001 - a glyph we cannot parse may draw anything
            return _SHAPES
        for operands, operator in operations:
            if operator not in _TYPE3_QUIET:
                return _SHAPES
            named = operands[0] if operands and isinstance(operands[0], NameObject) else None
            if operator == b"Do":
                image = _get(xobjects, named) if named else None
                if not (isinstance(image, StreamObject) and image.get("/Subtype") == "/Image"):
                    return _SHAPES  # a form (which may draw anything) or a name the font does not hold
            if operator == b"gs" and not (named and _plain_state(_get(states, named))):
                return _SHAPES  # a soft mask (or a name the font does not hold) may be the letter
    return ""


def font_doubt(font: Any) -> str:
    """Why the text of ``font`` is not known for certain; "" when it is."""
    font = font.get_object() if isinstance(font, IndirectObject) else font
    if not isinstance(font, DictionaryObject):
        return "it is not a font dictionary"
    if reason := _width_doubt(font):
        return reason
    subtype = font.get("/Subtype")
    # a Type3 glyph's shape is looked at first: a map, whatever it says, says nothing of what
    # the glyph draws (round 30: a ToUnicode map, even an empty one, passed the shapes unseen)
    if subtype == "/Type3" and (reason := _type3_shapes(font)):
        return reason
    if isinstance(_get(font, "/ToUnicode"), StreamObject):
        if (reason := tounicode_doubt(font)) or subtype != "/TrueType" or not _embedded(font):
            return reason
        return truetype_misdrawn(font, _encoded_letters(font))  # a map says what is read, not drawn
    if subtype == "/Type0":
        encoding = str(_get(font, "/Encoding") or "")
        unicode_cmap = encoding.startswith("/Uni") and ("UCS2" in encoding or "UTF16" in encoding)
        return "" if unicode_cmap else "it has no ToUnicode map"
    if subtype == "/Type3":
        encoding = _get(font, "/Encoding")
        if not isinstance(encoding, DictionaryObject):
            return "it has no ToUnicode map"
        return _differences_doubt(encoding)
    if subtype in ("/Type1", "/MMType1", "/TrueType"):
        return _simple_doubt(font)
    return "its type is unknown"


def _resource_fonts(resources: Any, depth: int, seen: set[int]) -> Iterator[Any]:
    """Every font entry of ``resources`` (as found: not always a dictionary), Type3 glyphs'
    and forms' resources included."""
    if not isinstance(resources, DictionaryObject) or depth > _MAX_DEPTH:
        return
    fonts = _get(resources, "/Font")
    for value in fonts.values() if isinstance(fonts, DictionaryObject) else ():
        font = value.get_object()
        yield font
        if isinstance(font, DictionaryObject) and font.get("/Subtype") == "/Type3":
            yield from _resource_fonts(_get(font, "/Resources"), depth + 1, seen)
    for form in resource_forms(resources, seen):
        yield from _resource_fonts(_get(form, "/Resources"), depth + 1, seen)


def page_unverifiable(page: DictionaryObject) -> bool:
    """Whether ``page`` draws a Type0 font whose ToUnicode map nothing in the file can check
    (``tounicode_unverifiable``): only a look at the page's pixels can (``stage``)."""
    fonts = _resource_fonts(_get(page, "/Resources"), 0, set())
    return any(tounicode_unverifiable(font) for font in fonts if isinstance(font, DictionaryObject))


_UNREAD = "it draws text through a soft mask or a pattern, which no text reader reads"
_DEEP = "its forms nest deeper than every reader reads"


def page_doubts(page: DictionaryObject) -> list[str]:
    """The distinct reasons some text on ``page`` (forms and Type3 glyphs included) is uncertain,
    or its place order (``advance``), or drawn where no reader of text looks (``unread_text``)."""
    doubts = [font_doubt(font) for font in _resource_fonts(_get(page, "/Resources"), 0, set())]
    unread = _UNREAD if unread_text(page) else _DEEP if too_deep(page) else ""
    return list(dict.fromkeys(reason for reason in [*doubts, advance_doubt(page), unread] if reason))


def document_doubts(pages: Iterable[DictionaryObject]) -> Iterator[tuple[int, str]]:
    """(page number from 1, reason) for every page drawing text not known for certain."""
    for number, page in enumerate(pages, 1):
        for reason in page_doubts(page):
            yield number, reason
