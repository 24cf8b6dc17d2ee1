"""Whether a font's ``/ToUnicode`` map says what its glyphs draw.

A simple font's encoding names the glyph each code draws (a standard encoding,
``/Differences``); the ``/ToUnicode`` map only says what text readers extract.
When the two disagree on a letter or digit — the glyph "F" drawn, "x" extracted —
every text reader (ours, poppler, pdfminer.six) reads one thing while the page
shows another: a protected name could be on the page and in no text. Such a font
is a doubt like one with no map at all (``doubt.py``): the page is rasterised and
OCR'd, and the gate refuses a bundle still drawing it. A Type0 (CID) font has
no encoding naming glyphs; its embedded program's ``cmap`` and glyph names are
the witness instead (``cidfonts``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fontTools import agl
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject, StreamObject

from bundler.core.anonymise.glyphs.cidfonts import cid_glyph_texts

__all__ = ["drawn_letters", "to_unicode_map", "tounicode_doubt", "tounicode_unverifiable"]

# Letters and digits sit at their ASCII codes in WinAnsi, MacRoman, Standard and PDFDoc encodings.
_ALNUM = [*range(0x30, 0x3A), *range(0x41, 0x5B), *range(0x61, 0x7B)]
_STANDARD = ("/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding", "/PDFDocEncoding")
_STANDARD_14 = re.compile(r"^/(Helvetica|Times|Courier|Arial)")
_SECTION = re.compile(rb"begin(bfchar|bfrange|cidchar|cidrange|notdefchar|notdefrange)(.*?)end\1", re.S)
_NUMBERED = re.compile(rb"<([0-9A-Fa-f\s]*)>|(\d+)")  # a cid or notdef section: codes, then numbers
_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]")
_MAX_RANGE = 256
_ALPHABETS = ("LATIN", "GREEK", "CYRILLIC")
_SIMPLE_LIE = "its ToUnicode map says other letters than the glyphs drawn"
_CID_LIE = "its ToUnicode map contradicts the font's own character map"


def _get(obj: Any, key: str) -> Any:
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value


def _hex(token: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", token).decode()
    return bytes.fromhex(digits + "0" * (len(digits) % 2))


def _utf16(data: bytes) -> str:
    return data.decode("utf-16-be", "replace")


def _ranges(tokens: list[bytes | None], out: dict[int, str]) -> None:
    i = 0
    while i + 2 < len(tokens):
        low, high, dest = tokens[i], tokens[i + 1], tokens[i + 2]
        if low is None or high is None:
            return
        start, end = int.from_bytes(_hex(low), "big"), int.from_bytes(_hex(high), "big")
        if dest is None:  # an array of destinations, one per code
            j = i + 3
            for code in range(start, end + 1):
                if j < len(tokens) and tokens[j] is not None:
                    out[code] = _utf16(_hex(tokens[j] or b""))
                    j += 1
            i = j + 1
            continue
        first = _hex(dest)
        for offset in range(min(end - start, _MAX_RANGE) + 1):
            value = first[:-2] + (int.from_bytes(first[-2:], "big") + offset).to_bytes(2, "big") if first else b""
            out[start + offset] = _utf16(value)
        i += 3


def _numbered(kind: bytes, body: bytes, out: dict[int, str]) -> None:
    """A ``cidchar``/``cidrange`` (or ``notdef``) section of a ToUnicode map: codes, each with a
    number, which poppler reads as the code's character (pdfium ignores the section)."""
    tokens = [
        int.from_bytes(_hex(m.group(1)), "big") if m.group(1) is not None else int(m.group(2))
        for m in _NUMBERED.finditer(body)
    ]
    step = 2 if kind.endswith(b"char") else 3
    for i in range(0, len(tokens) - step + 1, step):
        low, high = (tokens[i], tokens[i]) if step == 2 else (tokens[i], tokens[i + 1])
        for offset in range(min(high - low, _MAX_RANGE) + 1):
            if 0 <= tokens[i + step - 1] + offset <= 0x10FFFF:
                out[low + offset] = chr(tokens[i + step - 1] + offset)


def to_unicode_map(data: bytes) -> dict[int, str]:
    """Code → text of a ``/ToUnicode`` CMap's entries (one-byte codes are enough here): bfchar and
    bfrange, and the cid and notdef sections poppler also reads, each code's number its character
    (round 28: "Qwxyzw" drawn and read by pdfium, "Farida" read by poppler from a cidchar section).
    A map that uses another (``usecmap``) cannot be read here: ``ValueError``."""
    if b"usecmap" in data:
        raise ValueError("the ToUnicode map uses another map")
    out: dict[int, str] = {}
    for kind, body in _SECTION.findall(data):
        if not kind.startswith(b"bf"):
            _numbered(kind, body, out)
            continue
        # hex strings, and None where an array of destinations opens ("]" closes it: dropped)
        tokens = [m.group(1) for m in _TOKEN.finditer(body) if m.group() != b"]"]
        if kind == b"bfchar":
            for code, dest in zip(tokens[::2], tokens[1::2], strict=False):
                if code is not None and dest is not None:
                    out[int.from_bytes(_hex(code), "big")] = _utf16(_hex(dest))
        else:
            _ranges(tokens, out)
    return out


def drawn_letters(font: DictionaryObject) -> dict[int, str]:
    """Code → the letter or digit its glyph is, as far as the encoding says; {} when it does not say."""
    encoding = _get(font, "/Encoding")
    base = _get(encoding, "/BaseEncoding") if isinstance(encoding, DictionaryObject) else encoding
    standard_font = _STANDARD_14.match(str(font.get("/BaseFont", ""))) is not None and "/FontDescriptor" not in font
    if base in _STANDARD or (base is None and standard_font):
        drawn = {code: chr(code) for code in _ALNUM}
    elif isinstance(encoding, DictionaryObject) and "/Differences" in encoding:
        drawn = {}
    else:
        return {}
    code = 0
    for item in _get(encoding, "/Differences") or ArrayObject():
        item = item.get_object()
        if isinstance(item, NumberObject):
            code = int(item)
        elif isinstance(item, NameObject):
            letter = agl.toUnicode(item[1:])
            drawn.pop(code, None)
            if len(letter) == 1 and letter.isalnum():
                drawn[code] = letter
            code += 1
    return drawn


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _alnum(text: str) -> str:
    """The letters and digits of ``text`` once compatibility forms (ligatures, presentation forms) are unfolded."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum())


def _alphabetic(text: str) -> str:
    """The digits and Latin, Greek and Cyrillic letters of ``_alnum(text)``: scripts drawn a glyph a letter."""
    return "".join(c for c in _alnum(text) if c.isascii() or unicodedata.name(c, "").startswith(_ALPHABETS))


def _lies(said: str, own: frozenset[str]) -> bool:
    """Whether the extracted ``said`` contradicts the texts ``own`` the font program gives the glyph.

    A glyph that is a letter of an alphabet must extract as exactly that letter (a
    ligature as its letters), beside any text of other scripts. A glyph of a
    script drawn in clusters (Arabic, Indic…) may carry its whole cluster or
    nothing (a neighbour carries it): producers map them so.
    """
    letters = {_alphabetic(text) for text in own}
    if any(letters):
        return _alphabetic(said) not in letters
    cluster = {_alnum(text) for text in own} - {""}
    return bool(cluster) and bool(_alnum(said)) and not any(part in _alnum(said) for part in cluster)


def _simple_contradiction(font: DictionaryObject, extracted: dict[int, str]) -> bool:
    drawn = drawn_letters(font)
    return any(code in extracted and _fold(extracted[code]) != _fold(letter) for code, letter in drawn.items())


def _cid_contradiction(font: DictionaryObject, extracted: dict[int, str]) -> bool:
    """A code whose extracted letters or digits are not those the font's own program gives its glyph."""
    return any(_lies(extracted[code], own) for code, own in cid_glyph_texts(font, set(extracted)).items())


def tounicode_doubt(font: DictionaryObject) -> str:
    """Why ``font``'s ToUnicode map cannot be trusted for its letters; "" when it agrees (or cannot be checked)."""
    cmap = _get(font, "/ToUnicode")
    subtype = font.get("/Subtype")
    # a Type3 font's /Differences names its glyphs as a simple font's do (round 30: a cidchar
    # map saying "Farida" for glyphs named and drawn "qwxyzw", read so by poppler alone)
    simple = subtype in ("/Type1", "/MMType1", "/TrueType", "/Type3")
    if not isinstance(cmap, StreamObject) or not (subtype == "/Type0" or simple and drawn_letters(font)):
        return ""
    try:
        extracted = to_unicode_map(cmap.get_data())
    except (ValueError, TypeError, OverflowError):
        return "its ToUnicode map cannot be read" if simple else ""
    if simple:
        return _SIMPLE_LIE if _simple_contradiction(font, extracted) else ""
    return _CID_LIE if _cid_contradiction(font, extracted) else ""


def tounicode_unverifiable(font: DictionaryObject) -> bool:
    """Whether ``font`` is a Type0 font whose ToUnicode map gives a letter or digit
    to a code the embedded program says nothing about (no ``cmap``, no glyph-list
    name, another encoding than Identity): nothing but the pixels can check it."""
    cmap = _get(font, "/ToUnicode")
    if font.get("/Subtype") != "/Type0" or not isinstance(cmap, StreamObject):
        return False
    try:
        extracted = to_unicode_map(cmap.get_data())
    except (ValueError, TypeError, OverflowError):
        return True
    letters = {code for code, text in extracted.items() if _alnum(text)}
    return bool(letters - set(cid_glyph_texts(font, letters)))
