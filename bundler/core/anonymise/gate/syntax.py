"""How the leak gate reads PDF syntax and binary data as text.

Content streams keep text as string operands: literal ``(…)`` with escapes, hex
``<…>``, and kerned arrays ``[(Far) -20 (ida)] TJ`` that split a word in pieces.
``text_operands`` puts each text object's pieces back together. Binary data (image
metadata, odd streams) is read only as runs of printable characters: random bytes
would otherwise spell short names by chance and block an innocent bundle.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "decode_string",
    "text_operands",
    "looks_binary",
    "printable_runs",
    "plain_text",
    "xml_text",
    "jpeg_metadata",
    "holds_jpeg_metadata",
    "without_inline_images",
    "decoded_names",
]

_TOKEN = re.compile(rb"\(|(?<!<)<([0-9A-Fa-f\s]*)>|(?<![^\s()<>\[\]{}/%])(?:BT|ET)(?![^\s()<>\[\]{}/%])")
_PAREN = re.compile(rb"[()\\]")
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_INLINE_IMAGE = re.compile(rb"(?<=\s)ID\s.*?\sEI(?=\s|$)", re.S)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_TEXT_BYTES = bytes([9, 10, 12, 13, *range(32, 127)])
_BOMS_16 = (b"\xfe\xff", b"\xff\xfe")


def decode_string(raw: bytes) -> str:
    """A PDF string's bytes as text: UTF-16/UTF-8 with a byte-order mark, else Latin-1."""
    if raw[:2] in _BOMS_16:
        return raw[2:].decode("utf-16-be" if raw[0] == 0xFE else "utf-16-le", errors="replace")
    if raw[:3] == b"\xef\xbb\xbf":
        return raw[3:].decode("utf-8", errors="replace")
    return raw.decode("latin-1").replace("\x00", "")  # NULs: two-byte codes that equal Unicode


def _unescape(m: re.Match[bytes]) -> bytes:
    if m.group(1):
        return bytes([int(m.group(1), 8) & 0xFF])
    return b"" if m.group(2) else _ESCAPES.get(m.group(3), m.group(3))


def _literal_end(data: bytes, pos: int) -> int:
    """Index just past the ``)`` closing a literal string opened before ``pos``."""
    depth = 1
    while (m := _PAREN.search(data, pos)) is not None:
        pos = m.end() + (1 if m.group() == b"\\" else 0)
        depth += {b"(": 1, b")": -1}.get(m.group(), 0)
        if depth == 0:
            return pos
    return len(data) + 1


def _text_objects(data: bytes) -> list[list[bytes]]:
    """The strings of each text object (``BT … ET``), in order; strings outside one group too."""
    groups: list[list[bytes]] = [[]]
    pos = 0
    while (m := _TOKEN.search(data, pos)) is not None:
        pos = m.end()
        if m.group() == b"(":
            pos = _literal_end(data, pos)
            groups[-1].append(_ESCAPE.sub(_unescape, data[m.end() : pos - 1]))
        elif m.group(1) is not None:
            digits = re.sub(rb"\s", b"", m.group(1))
            groups[-1].append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def text_operands(data: bytes) -> str:
    """Each text object's strings joined (kerned pieces of a word) and spaced (separate words)."""
    groups = [[decode_string(s) for s in group] for group in _text_objects(data)]
    return "\n".join("".join(g) for g in groups) + "\n\n" + "\n".join(" ".join(g) for g in groups)


def without_inline_images(data: bytes) -> bytes:
    """Content with inline image data (``BI … ID <bytes> EI``) taken out: pixels, not text."""
    return _INLINE_IMAGE.sub(b" ", data) if b"BI" in data else data


def decoded_names(data: bytes) -> str:
    """Content with every ``#xx`` escape in a name decoded, e.g. in ``/Farida#20Khanum BDC``."""
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data).decode("latin-1")


def looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    return len(sample.translate(None, _TEXT_BYTES)) > 0.3 * len(sample)


def printable_runs(data: bytes) -> str:
    return "\n".join(run.decode("ascii") for run in re.findall(rb"[\x20-\x7e]{4,}", data))


def plain_text(data: bytes) -> str | None:
    """An attachment's content as text, or None when it is not plain text."""
    if data[:2] in _BOMS_16:
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None if looks_binary(data) else data.decode("latin-1")


def xml_text(data: bytes) -> str:
    """XMP as text with character references resolved: "&#70;arida" is "Farida"."""
    text = data.decode("utf-16") if data[:2] in _BOMS_16 else data.decode("utf-8", "replace")
    return html.unescape(text)


def _segment_text(marker: int, segment: bytes) -> str:
    if marker == 0xFE or segment.startswith(b"http://ns.adobe.com/xap/1.0/"):
        return xml_text(segment)  # a comment or XMP: text throughout
    return printable_runs(segment)  # EXIF and IPTC mix text with binary (even a thumbnail)


def _segments(data: bytes) -> tuple[list[tuple[int, int, int]], int]:
    """(marker, start, end) of each segment before a JPEG's pixels, and where the walk stopped."""
    found, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF and data[pos + 1] != 0xDA:
        marker, length = data[pos + 1], int.from_bytes(data[pos + 2 : pos + 4], "big")
        found.append((marker, pos + 4, pos + 2 + length))
        pos += 2 + max(length, 2)
    return found, pos


def jpeg_metadata(data: bytes) -> str:
    """Comment and APPn segments (EXIF, XMP, IPTC) of a JPEG as text; never its pixels."""
    found, _ = _segments(data)
    return "\n".join(
        _segment_text(marker, data[start:end])
        for marker, start, end in found
        if marker == 0xFE or 0xE0 <= marker <= 0xEF
    )


def holds_jpeg_metadata(head: bytes) -> bool:
    """Whether the start ``head`` of a JPEG's bytes holds everything ``jpeg_metadata`` reads
    of the whole: its walk stops inside ``head`` (at the pixels, or at a byte that is no
    marker), so every segment it read ends there too."""
    _, pos = _segments(head)
    return pos + 4 <= len(head)
