"""Binary parts of a PDF that still carry words: font programs and JPEG 2000 images.

A font program names itself (TrueType ``name`` table, CFF Name INDEX and top
dictionary, a Type 1 font's ``/FontName``, ``/FullName`` and ``/FamilyName``) and its
glyphs; a font made for a document can be named after the person it was made for,
and those names are what a reader shows. The foundry's legal text (copyright,
trademark, designer, licence) is the same in every copy of the font and names
real type designers (Computer Modern's "David M. Jones" would block every LaTeX
document for a protected Jones), so it is not read.
A JPEG 2000 image carries XML and UUID boxes (XMP, IPTC) and codestream comments.
Each is read as the words it holds, never as raw bytes: random bytes would spell
short names by chance. A program fontTools cannot parse is still read, as runs of
printable characters, so nothing is skipped.
"""

from __future__ import annotations

import io
import logging
import re

from fontTools.ttLib import TTFont

from bundler.core.anonymise.gate import syntax
from bundler.core.anonymise.gate.syntax import printable_runs, xml_text

__all__ = ["font_program_text", "jpx_metadata"]

_EEXEC_KEY = 55665
_FOUNDRY_NAME_IDS = frozenset({0, 7, 8, 9, 10, 11, 12, 13, 14})  # copyright … licence URL
_TYPE1_NAMES = re.compile(rb"/(?:FontName|FullName|FamilyName|Weight)\s*(?:\((.*?)\)|/(\S+))", re.S)
_TYPE1_GLYPHS = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+\d+\s+(?:RD|-\|)\s")
_JPX_PIXELS = (b"jp2c", b"jp2h", b"ftyp", b"jP  ", b"jp2i")  # header, pixels: no words
_COM = b"\xff\x64"  # a codestream comment marker


def _truetype(data: bytes) -> str:
    font = TTFont(io.BytesIO(data), lazy=True, fontNumber=0)
    records = font["name"].names if "name" in font else []
    names = [r.toUnicode(errors="replace") for r in records if r.nameID not in _FOUNDRY_NAME_IDS]
    return "\n".join(names + font.getGlyphOrder())


def _cff(data: bytes) -> str:
    from fontTools.cffLib import CFFFontSet  # noqa: PLC0415 - 45 ms to import; few files carry CFF

    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(data), None)
    found = list(fonts.fontNames)
    for top in fonts.topDictIndex:
        found += [str(getattr(top, key, "")) for key in ("FullName", "FamilyName", "Weight", "FontName")]
        found += list(getattr(top, "charset", None) or [])
    return "\n".join(found)


def _type1(data: bytes, clear: int) -> str:
    """The names in the cleartext part, and the glyph names in the eexec-encrypted part."""
    from fontTools.misc.eexec import decrypt  # noqa: PLC0415 - only Type 1 fonts need it

    private, _ = decrypt(data[clear:], _EEXEC_KEY)
    names = [m.group(1) or m.group(2) for m in _TYPE1_NAMES.finditer(data[:clear])]
    glyphs = _TYPE1_GLYPHS.findall(private)
    return "\n".join(syntax.decode_string(raw) for raw in names + glyphs)


def font_program_text(data: bytes, kind: str, clear: int = 0) -> str:
    """The words in an embedded font program; ``kind`` is "truetype", "cff" or "type1"."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # a broken font is read raw below
    try:
        if kind == "type1":
            return _type1(data, clear or len(data))
        return _cff(data) if kind == "cff" else _truetype(data)
    except Exception:  # noqa: BLE001 - an odd program is still read, as printable runs
        return printable_runs(data)


def _codestream_comments(data: bytes) -> list[str]:
    """Comments in the main header (before the first tile: pixels cannot hold a marker)."""
    start = data.find(b"\xff\x4f\xff\x51")
    data = data[start : data.find(b"\xff\x90", start)] if start >= 0 else b""
    found, pos = [], data.find(_COM)
    while pos >= 0 and pos + 4 <= len(data):
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        found.append(printable_runs(data[pos + 6 : pos + 2 + length]))
        pos = data.find(_COM, pos + 2 + max(length, 2))
    return found


def jpx_metadata(data: bytes) -> str:
    """The boxes of a JPEG 2000 file other than its header and pixels, and its comments."""
    found, pos = [], 0
    while pos + 8 <= len(data):
        length, kind = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8]
        head = 16 if length == 1 else 8
        if length == 1:
            length = int.from_bytes(data[pos + 8 : pos + 16], "big")
        end = len(data) if length == 0 else pos + max(length, head)
        if kind not in _JPX_PIXELS:
            found.append(
                xml_text(data[pos + head : end]) if kind == b"xml " else printable_runs(data[pos + head : end])
            )
        pos = end
    return "\n".join(found + _codestream_comments(data))
