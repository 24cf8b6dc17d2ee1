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
from collections.abc import Callable, Iterator
from typing import NamedTuple

from bundler.core.anonymise.jpeg import Part, is_metadata, jpeg_parts

__all__ = [
    "decode_string",
    "text_operands",
    "looks_binary",
    "printable_runs",
    "plain_text",
    "xml_text",
    "jpeg_metadata",
    "printable_spans",
    "Run",
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


def _operands(data: bytes) -> str:
    groups = [[decode_string(s) for s in group] for group in _text_objects(data)]
    return "\n".join("".join(g) for g in groups) + "\n\n" + "\n".join(" ".join(g) for g in groups)


class _Remembered:
    """Answers for short streams, by their bytes, up to ``budget`` bytes of them (then forgotten)."""

    def __init__(self, longest: int, budget: int) -> None:
        self._texts: dict[bytes, str] = {}
        self._longest, self._budget, self._held = longest, budget, 0

    def __call__(self, data: bytes, work: Callable[[bytes], str]) -> str:
        if len(data) > self._longest:
            return work(data)
        text = self._texts.get(data)
        if text is None:
            text = work(data)
            if self._held > self._budget:
                self._texts.clear()
                self._held = 0
            self._texts[data] = text
            self._held += len(data) + 2 * len(text) + 100
        return text


_remembered = _Remembered(2048, 16 << 20)  # a page stamp's stream is about 120 bytes


def text_operands(data: bytes) -> str:
    """Each text object's strings joined (kerned pieces of a word) and spaced (separate words).

    Short streams' answers are remembered by their bytes: the gate reads every page stamp
    twice, to see whether it could join a verified page's text into a target (``joins``)
    and in the object walk. Same bytes, same answer: nothing is read less."""
    return _remembered(data, _operands)


def without_inline_images(data: bytes) -> bytes:
    """Content with inline image data (``BI … ID <bytes> EI``) taken out: pixels, not text."""
    return _INLINE_IMAGE.sub(b" ", data) if b"BI" in data else data


def decoded_names(data: bytes) -> str:
    """Content with every ``#xx`` escape in a name decoded, e.g. in ``/Farida#20Khanum BDC``."""
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data).decode("latin-1")


def looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    return len(sample.translate(None, _TEXT_BYTES)) > 0.3 * len(sample)


_PRINTABLE_RUN = re.compile(rb"[\x20-\x7e]{4,}")  # what a run is; found by the faster means below
# Each byte marked printable (1) or not (0): runs of four marks are then a literal prefix, which the
# regex engine skips to at C speed, where the character class is tried at every byte (5x slower,
# and an image's bytes are megabytes). The same runs as ``_PRINTABLE_RUN``, at the same offsets.
_MARKS = bytes(1 if 0x20 <= b <= 0x7E else 0 for b in range(256))
_MARKED_RUN = re.compile(rb"\x01\x01\x01\x01\x01*")
_NOT_ZERO = re.compile(rb"[^\x00]")


class Run(NamedTuple):
    """Text spelled by bytes: its first letter at byte ``start``, one letter every ``step`` bytes."""

    start: int
    step: int
    text: str


def _printable(
    data: bytes, pos: int = 0, endpos: int | None = None, marks: bytes | None = None
) -> Iterator[tuple[int, int]]:
    """(start, end) of each ``_PRINTABLE_RUN`` in ``data[pos:endpos]``, as ``finditer`` gives them
    (``marks``: ``data.translate(_MARKS)``, when the caller looks at many parts of one ``data``)."""
    marks = data.translate(_MARKS) if marks is None else marks
    for m in _MARKED_RUN.finditer(marks, pos, len(marks) if endpos is None else endpos):
        yield m.span()


def _zero_runs(data: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of four or more zero bytes: found with ``bytes.find``."""
    pos = data.find(b"\x00\x00\x00\x00")
    while pos >= 0:
        after = _NOT_ZERO.search(data, pos + 4)
        end = len(data) if after is None else after.start()
        yield pos, end
        pos = data.find(b"\x00\x00\x00\x00", end)


def _wide_runs(data: bytes) -> list[Run]:
    """Runs of four or more printable ASCII letters as UTF-16, little- or big-endian, at either
    alignment: each letter's byte beside a zero. Found through the zeros, at C speed: slices of
    every other byte, and a search for runs of zeros in one of them."""
    runs = []
    even, odd = data[0::2], data[1::2]  # a strided slice copies byte by byte: two, not eight
    every = {0: even, 1: odd, 2: even[1:]}  # data[2::2] is even[1:]
    marked = {k: every[k].translate(_MARKS) for k in every}  # once: a picture has thousands of zero runs
    for first, zero in ((0, 1), (1, 2), (1, 0), (2, 1)):  # LE at even/odd bytes, BE at odd/even
        letters = every[first]
        for start, end in _zero_runs(every[zero]):
            for r_start, r_end in _printable(letters, start, min(end, len(letters)), marked[first]):
                runs.append(Run(first + 2 * r_start, 2, letters[r_start:r_end].decode("ascii")))
    return runs


def printable_spans(data: bytes) -> list[Run]:
    """The runs ``printable_runs`` reads, in its order, with where their letters are."""
    runs = [Run(start, 1, data[start:end].decode("ascii")) for start, end in _printable(data)]
    return runs + (_wide_runs(data) if b"\x00" in data else [])


def printable_runs(data: bytes) -> str:
    """Runs of four or more printable ASCII characters, a line each, as bytes spell them one
    to a byte or as UTF-16 (a name in a picture's samples, a JPEG 2000 box, an ICC profile)."""
    ascii_runs = "\n".join(data[start:end].decode("ascii") for start, end in _printable(data))
    wide = _wide_runs(data) if b"\x00" in data else []
    return ascii_runs + "".join("\n" + run.text for run in wide)


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
    text = data.decode("utf-16", "replace") if data[:2] in _BOMS_16 else data.decode("utf-8", "replace")
    return html.unescape(text)


def _utf16_runs(data: bytes) -> str:
    """Runs of UTF-16 text (EXIF's XPAuthor, XPComment), either byte order, either alignment."""
    return "\n".join(run.text for run in _wide_runs(data))


def _segment_text(part: Part, data: bytes) -> str:
    body = part.body(data)
    if part.marker == 0xFE or body.startswith(b"http://ns.adobe.com/xap/1.0/"):
        return xml_text(body)  # a comment or XMP: text throughout
    return printable_runs(body) + "\n" + _utf16_runs(body)  # EXIF and IPTC mix text with binary


def jpeg_metadata(data: bytes) -> str:
    """Comment and APPn segments (EXIF, XMP, IPTC) of a JPEG as text, wherever they are; and
    every byte no decoder reads (fill, stray bytes, data after the end) as printable runs."""
    if data[:2] != b"\xff\xd8":
        return ""
    texts = []
    for part in jpeg_parts(data):
        if is_metadata(part):
            texts.append(_segment_text(part, data))
        elif part.kind in ("stray", "after"):
            texts.append(xml_text(part.body(data)) + "\n" + _utf16_runs(part.body(data)))
    return "\n".join(texts)
