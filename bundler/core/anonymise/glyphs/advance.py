"""Glyphs whose width readers take differently.

Where a page's text moves back along a line (``vectors.moves_back``), what a
reader reads in place order rests on how far each glyph moves the pen. Readers
agree on that when the font's ``/Widths`` gives it — except pdfminer.six,
which takes the Adobe metrics of the fourteen standard fonts whatever
``/Widths`` says — and when a standard font's own metrics have the glyph. They
do not agree on a code the encoding leaves undefined (poppler moves no width,
PDFium about a quarter of an em), on Symbol and ZapfDingbats without widths,
nor on a code outside ``/Widths``. Such glyphs draw nothing and read as nothing
while they move the glyphs after them: steps back that spell a name in one
reader's place order and not in PDFium's. A page showing one while its text
moves back is a doubt (``doubt.page_doubts``): made a picture before
redaction, refused by the gate while drawn.

Measured with PDFium, poppler and pdfminer.six on every code of every standard
font and encoding (``tests/core/anonymise/test_advance.py`` keeps the check).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject, StreamObject
from reportlab.pdfbase import _fontdata

from bundler.core.anonymise.glyphs.vectors import moves_back

__all__ = ["advance_doubt", "shows_uncertain_advance", "uncertain_codes"]

_MAX_DEPTH = 8
_STANDARD_ENCODINGS = {f"/{name}": name for name in ("WinAnsiEncoding", "MacRomanEncoding", "StandardEncoding")}
_STANDARD_ENCODINGS["/PDFDocEncoding"] = "PDFDocEncoding"
_BUILT_IN = {"Symbol": "SymbolEncoding", "ZapfDingbats": "ZapfDingbatsEncoding"}
# The codes WinAnsiEncoding leaves undefined (a bullet by the spec's note, nothing in PDFium) and its
# soft hyphen (a hyphen to some readers, nothing to others): readers place what follows them apart.
_WIN_ANSI_DISPUTED = (127, 129, 141, 143, 144, 157, 173)
# The Euro is not in the Adobe metrics pdfminer.six and poppler use; PDFium's own metrics differ from
# Adobe's for these glyphs (measured: ``tests/core/anonymise/test_advance.py``).
_DISPUTED = frozenset({"Euro"})
_PDFIUM_OWN = {
    "Helvetica": frozenset({"guillemotleft", "guillemotright", "guilsinglleft", "guilsinglright"}),
    "Helvetica-Bold": frozenset({"at"}),
    "Helvetica-Oblique": frozenset({"at", "guilsinglleft", "guilsinglright"}),
    "Helvetica-BoldOblique": frozenset({"at", "five", "oslash"}),
}
_SAME_WIDTH = 1.0  # thousandths of an em between /Widths and the standard metrics
_ALL = frozenset(range(256))


def _get(obj: Any, key: str) -> Any:
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value


def _number(value: Any) -> float | None:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _glyph_names(font: DictionaryObject, standard: str) -> list[str | None]:
    """The glyph each code names: the base encoding (the font's own for Symbol and ZapfDingbats),
    then ``/Differences``."""
    encoding = _get(font, "/Encoding")
    base = _get(encoding, "/BaseEncoding") if isinstance(encoding, DictionaryObject) else encoding
    name = _STANDARD_ENCODINGS.get(str(base)) if base is not None else None
    name = name or _BUILT_IN.get(standard, "StandardEncoding")
    names: list[str | None] = list(_fontdata.encodings[name])
    if name == "WinAnsiEncoding":
        for code in _WIN_ANSI_DISPUTED:
            names[code] = None
    code = 0
    for item in _get(encoding, "/Differences") or ():
        item = item.get_object() if isinstance(item, IndirectObject) else item
        if isinstance(item, NameObject):
            if 0 <= code < 256:
                names[code] = item[1:]
            code += 1
        elif (number := _number(item)) is not None:
            code = int(number)
    return names


def _known(standard: str, glyph: str | None) -> bool:
    """Whether every reader takes ``glyph``'s width from the same metrics of the standard font."""
    return (
        glyph is not None
        and glyph in _fontdata.widthsByFontGlyph[standard]
        and glyph not in _DISPUTED
        and glyph not in _PDFIUM_OWN.get(standard, ())
    )


def uncertain_codes(font: Any) -> frozenset[int]:
    """The one-byte codes of a simple font whose width readers may take differently (all of them
    for a font we cannot read); none for a Type0 font (its ``/W`` is ``doubt._width_doubt``'s)."""
    font = font.get_object() if isinstance(font, IndirectObject) else font
    if not isinstance(font, DictionaryObject):
        return _ALL
    if font.get("/Subtype") == "/Type0":
        return frozenset()
    base = _get(font, "/BaseFont")
    standard = str(base)[1:] if isinstance(base, NameObject) and str(base)[1:] in _fontdata.widthsByFontGlyph else ""
    widths = _get(font, "/Widths")
    first = _number(_get(font, "/FirstChar"))
    if not isinstance(widths, ArrayObject) or first is None:
        if not standard or standard in _BUILT_IN:
            return _ALL  # metrics the reader makes up, or Symbol's and ZapfDingbats', read apart
        names = _glyph_names(font, standard)
        return frozenset(c for c in range(256) if not _known(standard, names[c]))
    given = {int(first) + at: _number(width) for at, width in enumerate(widths)}
    uncertain = {code for code in range(256) if given.get(code) is None}
    if standard:  # pdfminer.six takes the standard metrics over /Widths
        metrics = _fontdata.widthsByFontGlyph[standard]
        names = _glyph_names(font, standard)
        for code, width in given.items():
            glyph = names[code] if 0 <= code < 256 else None
            if not _known(standard, glyph) or abs(metrics[glyph or ""] - (width or 0)) > _SAME_WIDTH:
                uncertain.add(code)
    return frozenset(c for c in uncertain if 0 <= c < 256)


def _bytes(operand: Any) -> bytes:
    original = getattr(operand, "original_bytes", None)
    if isinstance(original, bytes):
        return original
    return bytes(operand) if isinstance(operand, bytes) else b""


class _Scan:
    """One page's content read for the strings each font shows."""

    def __init__(self) -> None:
        self.uncertain: dict[int, frozenset[int]] = {}
        self.seen: set[int] = set()

    def codes(self, font: Any) -> frozenset[int]:
        key = id(font.get_object() if isinstance(font, IndirectObject) else font)
        if key not in self.uncertain:
            self.uncertain[key] = uncertain_codes(font)
        return self.uncertain[key]

    def shows(self, owner: Any, resources: Any, depth: int) -> bool:
        contents = owner if isinstance(owner, StreamObject) else _get(owner, "/Contents")
        if contents is None:
            return False
        parts = contents if isinstance(contents, ArrayObject) else [contents]
        data = b"\n".join(part.get_data() for part in (p.get_object() for p in parts) if isinstance(part, StreamObject))
        return self._operations(data, resources, depth)

    def _operations(self, data: bytes, resources: Any, depth: int) -> bool:
        stream = ContentStream(None, None)
        stream.set_data(data)
        fonts = _get(resources, "/Font")
        font: Any = None
        stack: list[Any] = []
        for operands, operator in stream.operations:
            if operator == b"Tf" and operands:
                font = _get(fonts, str(operands[0])) if isinstance(fonts, DictionaryObject) else None
            elif operator == b"gs" and operands:
                state = _get(_get(resources, "/ExtGState"), str(operands[0]))
                setting = _get(state, "/Font")
                if isinstance(setting, ArrayObject) and setting:
                    font = setting[0].get_object()
            elif operator == b"q":
                stack.append(font)
            elif operator == b"Q":
                font = stack.pop() if stack else font
            elif operator in (b"Tj", b"'", b'"', b"TJ") and operands:
                shown = operands[-1] if operator != b"TJ" else operands[0]
                strings = shown if isinstance(shown, ArrayObject) else [shown]
                codes = self.codes(font)
                if any(code in codes for string in strings for code in _bytes(string)):
                    return True
            elif operator == b"Do" and operands and depth < _MAX_DEPTH and self._form(resources, operands[0], depth):
                return True
        return False

    def _form(self, resources: Any, name: Any, depth: int) -> bool:
        value = _get(resources, "/XObject")
        value = value.get(str(name)) if isinstance(value, DictionaryObject) else None
        if isinstance(value, IndirectObject):
            if value.idnum in self.seen:
                return False
            self.seen.add(value.idnum)
        form = value.get_object() if value is not None else None
        if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form":
            return False
        own = _get(form, "/Resources")
        return self._operations(form.get_data(), own if own is not None else resources, depth + 1)


def _fonts(resources: Any, depth: int, seen: set[int]) -> Iterator[Any]:
    """Every font ``resources`` (and its forms') name, each once."""
    if not isinstance(resources, DictionaryObject) or depth > _MAX_DEPTH:
        return
    fonts = _get(resources, "/Font")
    yield from (fonts.values() if isinstance(fonts, DictionaryObject) else ())
    states = _get(resources, "/ExtGState")
    for state in states.values() if isinstance(states, DictionaryObject) else ():
        setting = _get(state.get_object(), "/Font")
        if isinstance(setting, ArrayObject) and setting:
            yield setting[0]
    xobjects = _get(resources, "/XObject")
    for value in xobjects.values() if isinstance(xobjects, DictionaryObject) else ():
        if isinstance(value, IndirectObject):
            if value.idnum in seen:
                continue
            seen.add(value.idnum)
        form = value.get_object()
        if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
            yield from _fonts(_get(form, "/Resources"), depth + 1, seen)


def may_show_uncertain_advance(page: DictionaryObject) -> bool:
    """False when no font the page names has a code of uncertain width (the cheap look first)."""
    return any(uncertain_codes(font) for font in _fonts(_get(page, "/Resources"), 0, set()))


def shows_uncertain_advance(page: DictionaryObject) -> bool:
    """Whether the page's content (its forms' included) shows a code whose width readers take
    differently; content we cannot read counts as showing one."""
    try:
        return _Scan().shows(page, _get(page, "/Resources"), 0)
    except Exception:  # noqa: BLE001 - content pypdf cannot parse: nothing about it is certain
        return True


ADVANCE_DOUBT = "its glyphs move the text by widths readers take differently, and the text moves back"


def advance_doubt(page: DictionaryObject, backward: bool | None = None) -> str:
    """The reason the page's place order is not certain (``ADVANCE_DOUBT``), or "".
    ``backward``: whether its text moves back (``moves_back``), when the caller knows."""
    if not may_show_uncertain_advance(page):
        return ""
    if (moves_back(page) if backward is None else backward) and shows_uncertain_advance(page):
        return ADVANCE_DOUBT
    return ""
