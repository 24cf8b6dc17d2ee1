"""Just enough of a PDF font to know where each glyph of a string is drawn.

Redaction decides which glyphs to remove by position, so all we need from a
font is how a string splits into character codes and how far each code moves
the pen. When a font does not tell us (a CMap we do not ship, vertical writing,
a non-embedded font without widths) the font carries a ``problem`` and its
glyph positions are only guessed: a guessed glyph near a redaction box makes
the page fail closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject
from reportlab.pdfbase import pdfmetrics

__all__ = ["Glyph", "GlyphFont", "load_font"]

_GUESS_WIDTH = 0.5  # em; only used for fonts whose widths we cannot know
_STANDARD_FAMILIES = {
    "helvetica": "Helvetica",
    "arial": "Helvetica",
    "arialmt": "Helvetica",
    "times": "Times",
    "timesnewroman": "Times",
    "timesnewromanps": "Times",
    "timesnewromanpsmt": "Times",
    "courier": "Courier",
    "couriernew": "Courier",
    "couriernewpsmt": "Courier",
    "symbol": "Symbol",
    "zapfdingbats": "ZapfDingbats",
}
_STYLE_SUFFIX = {
    ("Helvetica", ""): "",
    ("Helvetica", "b"): "-Bold",
    ("Helvetica", "i"): "-Oblique",
    ("Helvetica", "bi"): "-BoldOblique",
    ("Courier", ""): "",
    ("Courier", "b"): "-Bold",
    ("Courier", "i"): "-Oblique",
    ("Courier", "bi"): "-BoldOblique",
    ("Times", ""): "-Roman",
    ("Times", "b"): "-Bold",
    ("Times", "i"): "-Italic",
    ("Times", "bi"): "-BoldItalic",
}


@dataclass(frozen=True)
class Glyph:
    code: bytes
    width: float  # horizontal advance in em (glyph units / 1000 for most fonts)
    is_space: bool  # single-byte code 32: word spacing (Tw) applies to it


@dataclass(frozen=True)
class GlyphFont:
    name: str
    widths: dict[int, float] = field(default_factory=dict)  # code, or CID for Identity-H
    default_width: float = 0.0
    two_byte: bool = False
    type3: bool = False
    problem: str = ""  # why positions after this font's glyphs are only guessed

    def glyphs(self, data: bytes) -> list[Glyph]:
        if not self.two_byte:
            return [Glyph(bytes([b]), self._width(b), b == 32) for b in data]
        pairs = [data[i : i + 2] for i in range(0, len(data), 2)]
        return [Glyph(p, self._width(int.from_bytes(p, "big")), False) for p in pairs]

    def _width(self, code: int) -> float:
        if self.problem:
            return _GUESS_WIDTH
        return self.widths.get(code, self.default_width)


def _num(value: Any) -> float:
    return float(value.get_object() if hasattr(value, "get_object") else value)


def _simple_widths(font: DictionaryObject, scale: float) -> dict[int, float]:
    first = int(_num(font.get("/FirstChar", 0)))
    widths: Any = font["/Widths"].get_object()
    return {first + i: _num(w) * scale for i, w in enumerate(widths)}


def _missing_width(font: DictionaryObject) -> float:
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return 0.0
    return _num(descriptor.get_object().get("/MissingWidth", 0)) / 1000


def _standard_name(base_font: str) -> str | None:
    """'Arial,Bold' or 'TimesNewRomanPS-ItalicMT' → the standard-14 font readers substitute."""
    name = base_font.lstrip("/").split("+")[-1]
    family, _, style = name.replace(",", "-").partition("-")
    standard = _STANDARD_FAMILIES.get(family.lower())
    if standard is None or standard in ("Symbol", "ZapfDingbats"):
        return standard
    lowered = style.lower()
    key = ("b" if "bold" in lowered else "") + ("i" if "italic" in lowered or "oblique" in lowered else "")
    return standard + _STYLE_SUFFIX[(standard, key)]


def _encoding_vector(font: DictionaryObject, standard: str) -> list[str | None]:
    encoding = font.get("/Encoding")
    encoding = encoding.get_object() if encoding is not None else None
    default = {"Symbol": "SymbolEncoding", "ZapfDingbats": "ZapfDingbatsEncoding"}.get(standard)
    base = default or "StandardEncoding"
    if isinstance(encoding, NameObject):
        base = default or encoding.lstrip("/")
    elif isinstance(encoding, DictionaryObject):
        base = default or str(encoding.get("/BaseEncoding", "/StandardEncoding")).lstrip("/")
    vector: list[str | None] = list(pdfmetrics.getEncoding(base).vector)
    if isinstance(encoding, DictionaryObject):
        code = 0
        for item in encoding.get("/Differences", ArrayObject()):
            item = item.get_object()
            if isinstance(item, NameObject):
                if 0 <= code < 256:
                    vector[code] = item.lstrip("/")
                code += 1
            else:
                code = int(item)
    return vector


def _standard_widths(font: DictionaryObject, standard: str) -> dict[int, float]:
    glyph_widths = pdfmetrics.getTypeFace(standard).glyphWidths
    vector = _encoding_vector(font, standard)
    return {code: glyph_widths.get(name, 0) / 1000 for code, name in enumerate(vector) if name}


def _simple_font(font: DictionaryObject, name: str) -> GlyphFont:
    if "/Widths" in font:
        return GlyphFont(name, _simple_widths(font, 1 / 1000), _missing_width(font))
    standard = _standard_name(name)
    if standard is None:
        return GlyphFont(name, problem="it is not embedded and has no widths")
    return GlyphFont(name, _standard_widths(font, standard))


def _type3_font(font: DictionaryObject, name: str) -> GlyphFont:
    matrix = [_num(v) for v in font.get("/FontMatrix", [0.001, 0, 0, 0.001, 0, 0])]
    if abs(matrix[1]) > 1e-9 or abs(matrix[2]) > 1e-9:
        return GlyphFont(name, type3=True, problem="its glyph matrix is rotated")
    return GlyphFont(name, _simple_widths(font, matrix[0]), type3=True)


def _cid_widths(descendant: DictionaryObject) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = [w.get_object() for w in descendant.get("/W", ArrayObject())]
    i = 0
    while i + 1 < len(items):
        start = int(_num(items[i]))
        if isinstance(items[i + 1], ArrayObject):
            for offset, w in enumerate(items[i + 1]):
                widths[start + offset] = _num(w) / 1000
            i += 2
        elif i + 2 < len(items):
            for cid in range(start, int(_num(items[i + 1])) + 1):
                widths[cid] = _num(items[i + 2]) / 1000
            i += 3
        else:
            break
    return widths


def _type0_font(font: DictionaryObject, name: str) -> GlyphFont:
    encoding = font.get("/Encoding")
    encoding = encoding.get_object() if encoding is not None else None
    if isinstance(encoding, StreamObject) or encoding != "/Identity-H":
        kind = "vertical writing" if encoding == "/Identity-V" else f"the CMap {encoding!s:.40}"
        return GlyphFont(name, two_byte=True, problem=f"it uses {kind}")
    descendants: Any = font["/DescendantFonts"].get_object()
    descendant: Any = descendants[0].get_object()
    default = _num(descendant.get("/DW", 1000)) / 1000
    return GlyphFont(name, _cid_widths(descendant), default, two_byte=True)


def load_font(font: Any) -> GlyphFont:
    """The positioning facts of one font resource; never raises on a malformed font."""
    if not isinstance(font, DictionaryObject):
        return GlyphFont("unnamed", problem="it is not a font dictionary")
    name = str(font.get("/BaseFont", font.get("/Name", "unnamed"))).lstrip("/")
    subtype = font.get("/Subtype")
    try:
        if subtype == "/Type0":
            return _type0_font(font, name)
        if subtype == "/Type3":
            return _type3_font(font, name)
        if subtype in ("/Type1", "/MMType1", "/TrueType"):
            return _simple_font(font, name)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return GlyphFont(name, problem="its dictionary is malformed")
    return GlyphFont(name, problem=f"its type {subtype} is unknown")
