"""What an embedded font program says its character codes are, through fontTools.

A simple font with no ``/ToUnicode`` and no standard encoding is read through
its program: a Type 1 font's built-in ``/Encoding``, a CFF font's encoding and
charset, a TrueType font's ``cmap`` and ``post`` glyph names. The text is known
for certain only when every glyph those tables reach has a Unicode value (its
name is in the Adobe glyph list, or a Unicode ``cmap`` points at it); readers
such as PDFium and pdfminer.six then agree on it.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
from functools import lru_cache
from typing import Any

from fontTools import agl
from fontTools.ttLib import TTFont, TTLibError
from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

__all__ = ["program_doubt", "truetype_misdrawn"]

_TYPE1_CODE = re.compile(rb"dup\s+(\d+)\s*/([^\s/\[\]{}()<>]+)\s+put")
_STANDARD = re.compile(rb"/Encoding\s+StandardEncoding\s+def")
_UNREADABLE = "its codes rest on an embedded font program we cannot read"
_UNNAMED = "its embedded font has glyphs with no Unicode value"


def _known(names: list[str]) -> bool:
    return all(name == ".notdef" or agl.toUnicode(name) for name in names)


def _type1_names(data: bytes) -> list[str] | None:
    clear = data.split(b"eexec", 1)[0]
    if _STANDARD.search(clear):
        return []  # StandardEncoding: every name is in the glyph list
    names = [m.group(2).decode("latin-1") for m in _TYPE1_CODE.finditer(clear)]
    return names or None


def _cff_names(data: bytes) -> list[str] | None:
    from fontTools.cffLib import CFFFontSet  # noqa: PLC0415 - 45 ms to import; few files carry CFF

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    top = cff[cff.fontNames[0]]
    encoding = getattr(top, "Encoding", "StandardEncoding")
    if isinstance(encoding, str):  # StandardEncoding / ExpertEncoding: glyph list names
        return list(top.charset) if encoding == "ExpertEncoding" else []
    return [name for name in encoding if name]


def _truetype_doubt(data: bytes) -> str:
    font = TTFont(io.BytesIO(data), lazy=True)
    reached: set[str] = set()
    unicode_glyphs: set[str] = set()
    for table in font["cmap"].tables if "cmap" in font else []:
        if table.isUnicode() and table.platEncID != 0 or (table.platformID, table.platEncID) == (0, 3):
            unicode_glyphs.update(table.cmap.values())
        reached.update(table.cmap.values())
    missing = [g for g in reached - unicode_glyphs if not agl.toUnicode(g) and g != ".notdef"]
    return _UNNAMED if missing or not reached else ""


def _program(font: DictionaryObject) -> tuple[str, bytes] | None:
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if isinstance(descriptor, IndirectObject) else descriptor
    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        stream: Any = descriptor.get(key) if isinstance(descriptor, DictionaryObject) else None
        stream = stream.get_object() if isinstance(stream, IndirectObject) else stream
        if isinstance(stream, StreamObject):
            return key, stream.get_data()
    return None


_MISDRAWN = "its embedded font draws other letters than its encoding names"


def _letter(name: str) -> str:
    """The letter or digit a glyph name stands for, folded; "" for anything else."""
    text = agl.toUnicode(name.split(".", 1)[0]) if name else ""
    return text.casefold() if len(text) == 1 and text.isalnum() else ""


@lru_cache(maxsize=64)
def _truetype_misdrawn(digest: str, data: bytes, drawn: tuple[tuple[int, str], ...]) -> bool:
    """Whether a code whose encoding names a letter (``drawn``: code, letter) reaches, through
    the program's ``cmap`` as a renderer looks it up (the letter's Unicode value, else the code,
    else 0xF000 plus the code), a glyph the program names another letter. ``digest`` keys the
    cache (``data`` is the program)."""
    font = TTFont(io.BytesIO(data), lazy=True)
    if "cmap" not in font:
        return False
    if "post" not in font or font["post"].formatType not in (1.0, 2.0):
        return _one_glyph_two_letters(font, drawn)  # no names: one thing can still be told
    order = set(font.getGlyphOrder())
    for table in font["cmap"].tables:
        unicode = table.platformID == 0 or (table.platformID == 3 and table.platEncID != 0)
        for code, letter in drawn:
            for key in _lookups(table.platformID, table.platEncID, code, letter):
                glyph = table.cmap.get(key)
                if glyph not in order or glyph == ".notdef":
                    continue
                drawn_as = _letter(glyph)
                # a Unicode table's glyph for a letter is that letter ("g41" is not: round 36); a
                # symbol or Mac table's may be a symbol's (a Wingdings bullet at "l"), not another letter
                if drawn_as != letter.casefold() and (unicode or drawn_as):
                    return True
    return False


def _one_glyph_two_letters(font: TTFont, drawn: tuple[tuple[int, str], ...]) -> bool:
    """Whether a Unicode cmap sends two different letters the encoding names to one glyph: a
    program with no glyph names whose "q" is drawn by the glyph "F" has (round 37). One that
    gives the lie a glyph of its own cannot be told from its text: only a look at the page."""
    for table in font["cmap"].tables:
        if not (table.platformID == 0 or (table.platformID == 3 and table.platEncID != 0)):
            continue
        letters: dict[str, str] = {}  # glyph -> the letter (folded) first found drawn by it
        for char in {letter for _, letter in drawn}:
            glyph = table.cmap.get(ord(char))
            if glyph is None or glyph == ".notdef":
                continue
            if letters.setdefault(glyph, char.casefold()) != char.casefold():
                return True
    return False


def _lookups(platform: int, encoding: int, code: int, letter: str) -> list[int]:
    """The keys a renderer may look a code up by in a cmap table: the letter's Unicode value in a
    Unicode table; the code, and 0xF000 plus it, in a (3,0) symbol table (round 36); the letter's
    Mac Roman code in a (1,0) table (poppler maps the glyph name through Mac Roman)."""
    if platform == 0 or (platform == 3 and encoding != 0):
        return [ord(letter)]
    if platform == 3:
        return [code, 0xF000 + code, ord(letter)]
    return list(letter.encode("mac_roman", "ignore")) if platform == 1 else []


def truetype_misdrawn(font: DictionaryObject, drawn: dict[int, str]) -> str:
    """Why an embedded TrueType program draws other letters than the encoding names (its
    ``cmap`` sends "q" to the glyph it names "F": every text reader reads "q", the page shows
    "F", round 33); "" when it does not, or cannot be told (no glyph names in the program: the
    outlines themselves may show anything, which no reader of text can check). ``drawn``:
    code → the letter the encoding names (``tounicode.drawn_letters``)."""
    program = _program(font)
    if program is None or program[0] != "/FontFile2" or not drawn:
        return ""
    data = program[1]
    try:
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        return _MISDRAWN if _truetype_misdrawn(digest, data, tuple(sorted(drawn.items()))) else ""
    except (
        TTLibError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        AttributeError,
        AssertionError,
        EOFError,
        struct.error,
    ):
        return _UNREADABLE


def program_doubt(font: DictionaryObject) -> str:
    """Why the embedded program of ``font`` does not settle its text; "" when it does."""
    program = _program(font)
    if program is None:
        return ""
    kind, data = program
    try:
        if kind == "/FontFile2":
            return _truetype_doubt(data)
        names = _type1_names(data) if kind == "/FontFile" else _cff_names(data)
    except (TTLibError, KeyError, IndexError, ValueError, TypeError, AttributeError, AssertionError, EOFError):
        return _UNREADABLE
    if names is None:
        return _UNREADABLE
    return "" if _known(names) else _UNNAMED
