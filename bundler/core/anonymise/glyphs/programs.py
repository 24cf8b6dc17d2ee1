"""What an embedded font program says its character codes are, through fontTools.

A simple font with no ``/ToUnicode`` and no standard encoding is read through
its program: a Type 1 font's built-in ``/Encoding``, a CFF font's encoding and
charset, a TrueType font's ``cmap`` and ``post`` glyph names. The text is known
for certain only when every glyph those tables reach has a Unicode value (its
name is in the Adobe glyph list, or a Unicode ``cmap`` points at it); readers
such as PDFium and pdfminer.six then agree on it.
"""

from __future__ import annotations

import io
import re
from typing import Any

from fontTools import agl
from fontTools.ttLib import TTFont, TTLibError
from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

__all__ = ["program_doubt"]

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
