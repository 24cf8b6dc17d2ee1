"""A JPEG's bytes walked as a decoder walks them, every byte accounted for.

Text can hide anywhere in a JPEG that a decoder skips: comment and APPn segments
(before the pixels, between progressive scans, after the last), fill bytes (``FF FF``)
before a marker, stray bytes between segments, and whatever follows the end of the
image (a second JPEG, say). Decoders show none of it, but any reader of the PDF's raw
bytes does. ``jpeg_parts`` splits the bytes into parts that together are exactly the
bytes given, so the sanitiser keeps only what draws the picture and the leak gate reads
everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Part", "jpeg_parts", "is_metadata", "picture_bytes", "rebuilt_jpeg"]

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RSTn: a marker without a length
# Segments that draw the picture: frame headers (SOF0–SOF15 but DHT, JPG and DAC), Huffman and
# arithmetic tables, quantisation tables, restart interval, line count, scans.
_PICTURE = frozenset({*range(0xC0, 0xD0), 0xDA, 0xDB, 0xDC, 0xDD}) - {0xC8}
_JFIF_BODY = 14  # "JFIF\0", version, units, densities, thumbnail size: no thumbnail after it
_ADOBE_BODY = 12  # "Adobe", version, two flag words, colour transform


@dataclass(frozen=True)
class Part:
    kind: str  # "soi", "segment", "marker", "scan" (entropy-coded data), "eoi", "fill", "stray", "after"
    start: int
    end: int
    marker: int | None = None  # of a segment or marker

    def body(self, data: bytes) -> bytes:
        """A segment's bytes after its marker and length; any other part whole."""
        return data[self.start + 4 : self.end] if self.kind == "segment" else data[self.start : self.end]


def is_metadata(part: Part) -> bool:
    """A comment or APPn segment: EXIF, XMP, IPTC, ICC, JFIF, Adobe."""
    return part.kind == "segment" and part.marker is not None and (part.marker == 0xFE or 0xE0 <= part.marker <= 0xEF)


def _scan_end(data: bytes, pos: int) -> int:
    """Where a scan's entropy-coded data ends: at the first marker that is not a stuffed zero
    or a restart (fill bytes before it belong to the marker), or at the end of the data."""
    n = len(data)
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= n:
            return n
        follower = data[pos + 1]
        if follower == 0 or 0xD0 <= follower <= 0xD7:
            pos += 2
            continue
        run = pos
        while run + 1 < n and data[run + 1] == 0xFF:
            run += 1
        if run + 1 >= n or data[run + 1] == 0 or 0xD0 <= data[run + 1] <= 0xD7:
            pos = run + 1  # fill bytes before a stuffed zero or a restart: still the scan
            continue
        return pos


def _marker_part(data: bytes, pos: int) -> tuple[Part, int]:
    """The part starting at ``data[pos] == 0xFF`` (no fill byte after it) and where the next starts."""
    marker, n = data[pos + 1], len(data)
    if marker == EOI:
        return Part("eoi", pos, pos + 2, marker), pos + 2
    if marker in _STANDALONE or marker == SOI:
        return Part("marker", pos, pos + 2, marker), pos + 2
    if marker == 0 or pos + 4 > n or int.from_bytes(data[pos + 2 : pos + 4], "big") < 2:
        return Part("stray", pos, pos + 2), pos + 2  # no segment can start here
    end = min(n, pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big"))
    return Part("segment", pos, end, marker), end


def jpeg_parts(data: bytes) -> Iterator[Part]:
    """Every byte of ``data`` (which starts with SOI) in order, as parts; nothing after the
    first EOI is read as JPEG ("after")."""
    yield Part("soi", 0, 2, SOI)
    pos, n = 2, len(data)
    while pos < n:
        if data[pos] != 0xFF or pos + 1 >= n:
            nxt = data.find(b"\xff", pos + 1)
            nxt = n if nxt < 0 else nxt
            yield Part("stray", pos, nxt)
            pos = nxt
            continue
        if data[pos + 1] == 0xFF:
            yield Part("fill", pos, pos + 1)
            pos += 1
            continue
        part, pos = _marker_part(data, pos)
        yield part
        if part.kind == "eoi":
            if pos < n:
                yield Part("after", pos, n)
            return
        if part.marker == SOS and part.kind == "segment":
            end = _scan_end(data, pos)
            if end > pos:
                yield Part("scan", pos, end)
            pos = end


def picture_bytes(part: Part, data: bytes) -> bytes:
    """The bytes of ``part`` the picture needs: all of a picture segment or scan, the fixed
    head of a JFIF or Adobe segment (the colour transform matters), nothing else."""
    if part.kind in ("soi", "scan", "eoi") or (part.kind == "segment" and part.marker in _PICTURE):
        return data[part.start : part.end]
    body = part.body(data)
    if part.kind == "segment" and part.marker == 0xE0 and body[:5] == b"JFIF\x00" and len(body) >= _JFIF_BODY:
        return b"\xff\xe0\x00\x10" + body[:12] + b"\x00\x00"
    if part.kind == "segment" and part.marker == 0xEE and body[:5] == b"Adobe" and len(body) >= _ADOBE_BODY:
        return b"\xff\xee\x00\x0e" + body[:_ADOBE_BODY]
    return b""


def rebuilt_jpeg(data: bytes) -> bytes:
    """``data`` with only what draws the picture: no comments, APPn segments (but a bare JFIF
    and Adobe header), unknown segments, fill or stray bytes, or data after the end; unchanged
    if it is not a JPEG."""
    if data[:2] != b"\xff\xd8":
        return data
    return b"".join(picture_bytes(part, data) for part in jpeg_parts(data))
