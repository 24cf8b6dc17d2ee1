"""What the glyphs of a Type0 (CID) font are, as its own embedded program says.

A Type0 font with the ``/Identity-H`` or ``/Identity-V`` encoding draws two-byte
codes that are CIDs; the descendant font turns a CID into a glyph (through
``/CIDToGIDMap`` for embedded TrueType, through the CFF charset for CFF). The
``/ToUnicode`` map only says what readers extract, so a map that calls the glyph
"F" an "x" hides a name from every text reader. The program's own tables are a
second witness: a TrueType/OpenType ``cmap`` (inverted, glyph → code points,
all of them kept as alternates), else the glyph's name when it is in the Adobe
glyph list (``post`` names, a name-keyed CFF charset).

Limits: another encoding (a predefined or embedded CMap) is not followed, and a
program with no Unicode information at all (a subset with no ``cmap`` and
``cidNNNNN`` or made-up names) says nothing, so its ToUnicode map is trusted; a
program whose own tables lie in step with the map is not caught here either.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from fontTools import agl
from fontTools.ttLib import TTFont, TTLibError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

__all__ = ["cid_glyph_texts"]

_IDENTITY = ("/Identity-H", "/Identity-V")
_ERRORS = (TTLibError, KeyError, IndexError, ValueError, TypeError, AttributeError, AssertionError, EOFError)
_CACHE = 16


def _get(obj: Any, key: str) -> Any:
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value


def _unicode_cmap(font: TTFont) -> dict[str, set[str]]:
    """Glyph name → every character a Unicode ``cmap`` subtable maps to it."""
    by_glyph: dict[str, set[str]] = {}
    for table in font["cmap"].tables if "cmap" in font else []:
        if table.isUnicode():
            for code, glyph in table.cmap.items():
                by_glyph.setdefault(glyph, set()).add(chr(code))
    return by_glyph


def _named(names: list[str], by_glyph: dict[str, set[str]]) -> dict[int, frozenset[str]]:
    """Glyph id → its texts: the cmap's, else its glyph-list name's, else nothing."""
    out: dict[int, frozenset[str]] = {}
    for gid, name in enumerate(names):
        texts = by_glyph.get(name) or ({text} if (text := agl.toUnicode(name)) else set())
        if texts and name != ".notdef":
            out[gid] = frozenset(texts)
    return out


def _truetype(data: bytes) -> tuple[list[str], dict[int, frozenset[str]]]:
    font = TTFont(io.BytesIO(data), lazy=True)
    names = font.getGlyphOrder()
    return names, _named(names, _unicode_cmap(font))


def _cff(data: bytes) -> tuple[list[str], dict[int, frozenset[str]]]:
    from fontTools.cffLib import CFFFontSet  # noqa: PLC0415 - 45 ms to import; few files carry CFF

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    names = list(cff[cff.fontNames[0]].charset)
    return names, _named(names, {})


_Read = tuple[tuple[str, ...], dict[int, frozenset[str]]]
_READ: dict[str, _Read | None] = {}  # sha-256 of a program → what it says (pages share fonts)


def _program_texts(kind: str, data: bytes) -> _Read | None:
    """(glyph names, glyph id → texts) of an embedded program; None when it cannot be read."""
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _READ:
        if len(_READ) >= _CACHE:
            _READ.pop(next(iter(_READ)))
        _READ[digest] = _read_program(kind, data)
    return _READ[digest]


def _read_program(kind: str, data: bytes) -> _Read | None:
    try:
        if kind == "/FontFile2" or data[:4] in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
            names, texts = _truetype(data)
        else:
            names, texts = _cff(data)
    except _ERRORS:
        return None
    return tuple(names), texts


def _program(descendant: DictionaryObject) -> tuple[str, bytes] | None:
    descriptor = _get(descendant, "/FontDescriptor")
    for key in ("/FontFile2", "/FontFile3"):
        stream = _get(descriptor, key)
        if isinstance(stream, StreamObject):
            return key, stream.get_data()
    return None


def _cid_to_gid(descendant: DictionaryObject, names: tuple[str, ...], cids: set[int]) -> dict[int, int]:
    """CID → glyph id for the CIDs asked about (TrueType: /CIDToGIDMap; CFF: its charset's cidNNNNN names)."""
    if descendant.get("/Subtype") == "/CIDFontType2":
        gid_map = _get(descendant, "/CIDToGIDMap")
        if isinstance(gid_map, StreamObject):
            data = gid_map.get_data()
            return {cid: int.from_bytes(data[2 * cid : 2 * cid + 2], "big") for cid in cids if 2 * cid + 2 <= len(data)}
        return {cid: cid for cid in cids}
    if any(name.startswith("cid") for name in names[1:2]):  # a CID-keyed CFF: glyph names are cidNNNNN
        index = {name: gid for gid, name in enumerate(names)}
        return {cid: index[f"cid{cid:05d}"] for cid in cids if f"cid{cid:05d}" in index}
    return {cid: cid for cid in cids}  # a name-keyed CFF: the CID is the glyph id


def cid_glyph_texts(font: DictionaryObject, codes: set[int]) -> dict[int, frozenset[str]]:
    """Code → the texts the embedded program gives its glyph, for the ``codes`` it says anything about.

    {} when the font is not a Type0 font with an Identity encoding and an embedded,
    readable program (nothing then contradicts its ToUnicode map).
    """
    if font.get("/Subtype") != "/Type0" or _get(font, "/Encoding") not in _IDENTITY:
        return {}
    descendants = _get(font, "/DescendantFonts")
    descendant = descendants[0].get_object() if isinstance(descendants, ArrayObject) and descendants else None
    if not isinstance(descendant, DictionaryObject) or (program := _program(descendant)) is None:
        return {}
    kind, data = program
    read = _program_texts(kind, data)
    if read is None:
        return {}
    names, texts = read
    gids = _cid_to_gid(descendant, names, codes)
    return {code: texts[gid] for code, gid in gids.items() if gid in texts}
