"""Strip metadata from embedded images without re-encoding them.

Photos carry EXIF (Artist, XPAuthor, comments), XMP and IPTC blocks, PNGs carry
text chunks: any of them can name a person and may be copied as-is into the
PDF. JPEG segments and PNG chunks are filtered losslessly; the EXIF
orientation is kept (rebuilt as a one-entry EXIF block) so photos do not turn.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

__all__ = ["clean_image", "image_texts"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = frozenset(
    {
        b"IHDR",
        b"PLTE",
        b"IDAT",
        b"IEND",
        b"tRNS",
        b"gAMA",
        b"cHRM",
        b"sRGB",
        b"iCCP",
        b"sBIT",
        b"pHYs",
        b"bKGD",
    }
)
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_SOS, _EOI, _APP1 = 0xDA, 0xD9, 0xE1
_ORIENTATION = 0x0112


class _Malformed(ValueError):
    pass


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes, bytes]]:
    """(marker, whole segment, entropy-coded data after it) up to EOI; trailing bytes dropped."""
    i, n = 2, len(data)
    while i + 1 < n:
        if data[i] != 0xFF:
            raise _Malformed("marker expected")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == _EOI or marker in _STANDALONE:
            yield marker, data[i : i + 2], b""
            i += 2
            if marker == _EOI:
                return
            continue
        if i + 4 > n:
            raise _Malformed("truncated segment")
        end = i + 2 + int.from_bytes(data[i + 2 : i + 4], "big")
        scan_end = _scan_end(data, end) if marker == _SOS else end
        yield marker, data[i:end], data[end:scan_end]
        i = scan_end
    raise _Malformed("no end of image")


def _scan_end(data: bytes, i: int) -> int:
    """Index of the first real marker after entropy-coded data (skips stuffing and RSTn)."""
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= len(data):
            raise _Malformed("unterminated scan")
        follower = data[i + 1]
        if follower == 0xFF:
            i += 1
        elif follower == 0 or 0xD0 <= follower <= 0xD7:
            i += 2
        else:
            return i


def _orientation(segment: bytes) -> int | None:
    tiff = segment[10:]  # after marker, length and b"Exif\0\0"
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return None
    ifd = struct.unpack(order + "I", tiff[4:8])[0]
    count = struct.unpack(order + "H", tiff[ifd : ifd + 2])[0] if ifd + 2 <= len(tiff) else 0
    for k in range(count):
        entry = tiff[ifd + 2 + 12 * k : ifd + 14 + 12 * k]
        if len(entry) == 12 and struct.unpack(order + "H", entry[:2])[0] == _ORIENTATION:
            value = int(struct.unpack(order + "H", entry[8:10])[0])
            return value if 1 <= value <= 8 else None
    return None


def _orientation_only(value: int) -> bytes:
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHIHH", _ORIENTATION, 3, 1, value, 0) + struct.pack(">I", 0)
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _keep_jpeg(marker: int, segment: bytes) -> bool:
    if marker == 0xE0:
        return segment[4:9] == b"JFIF\x00"  # JFXX and friends carry thumbnails
    if marker == 0xE2:
        return segment[4:16] == b"ICC_PROFILE\x00"
    if marker == 0xEE:
        return segment[4:9] == b"Adobe"  # colour transform flag: needed to decode CMYK
    return not (0xE0 <= marker <= 0xEF or marker == 0xFE)


def _clean_jpeg(data: bytes) -> bytes:
    out = [data[:2]]
    for marker, segment, scan in _jpeg_segments(data):
        if marker == _APP1 and segment[4:10] == b"Exif\x00\x00":
            value = _orientation(segment)
            if value is not None:
                out.append(_orientation_only(value))
        elif _keep_jpeg(marker, segment):
            out.append(segment + scan)
    return b"".join(out)


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    i = len(_PNG_SIGNATURE)
    while i + 8 <= len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        chunk = data[i : i + 12 + length]
        if len(chunk) != 12 + length:
            raise _Malformed("truncated chunk")
        yield kind, chunk
        i += 12 + length
        if kind == b"IEND":
            return
    raise _Malformed("no IEND")


def _clean_png(data: bytes) -> bytes:
    kept = [chunk for kind, chunk in _png_chunks(data) if kind in _PNG_KEEP]
    return _PNG_SIGNATURE + b"".join(kept)


def clean_image(data: bytes) -> bytes:
    """``data`` without metadata (JPEG, PNG); other formats and damaged files unchanged."""
    try:
        if data.startswith(b"\xff\xd8"):
            return _clean_jpeg(data)
        if data.startswith(_PNG_SIGNATURE):
            return _clean_png(data)
    except (_Malformed, struct.error):
        return data
    return data


def _decodings(blob: bytes) -> list[str]:
    # Names hide as Latin-1/UTF-8 bytes or as UTF-16 (EMF text, EXIF XPAuthor).
    return [
        blob.decode("latin-1"),
        blob.decode("utf-16-le", "replace"),
        blob[1:].decode("utf-16-le", "replace"),
    ]


def image_texts(data: bytes) -> list[str]:
    """Everything in an image that is not pixel data, as text, for the leak sweep."""
    try:
        if data.startswith(b"\xff\xd8"):
            blob = b"".join(seg for marker, seg, _ in _jpeg_segments(data) if marker != _SOS)
            return _decodings(blob)
        if data.startswith(_PNG_SIGNATURE):
            return _decodings(b"".join(c for k, c in _png_chunks(data) if k != b"IDAT"))
    except (_Malformed, struct.error):
        pass
    return _decodings(data)  # unknown layout (GIF, TIFF, EMF, WMF...): look at every byte
