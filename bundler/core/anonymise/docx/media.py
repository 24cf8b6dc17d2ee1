"""Strip metadata from embedded images without re-encoding them.

Photos carry EXIF (Artist, XPAuthor, comments), XMP and IPTC blocks, PNGs carry
text chunks: any of them can name a person and may be copied as-is into the
PDF. JPEG segments and PNG chunks are filtered losslessly (a JPEG walked as a decoder
walks it, ``jpeg.jpeg_parts``, so stray bytes or a second image after the end neither
stop the cleaning nor survive it); the EXIF orientation is kept (rebuilt as a one-entry
EXIF block) so photos do not turn.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from bundler.core.anonymise.jpeg import jpeg_parts, picture_bytes

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
_APP1, _APP2 = 0xE1, 0xE2
_ORIENTATION = 0x0112


class _Malformed(ValueError):
    pass


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


def _clean_jpeg(data: bytes) -> bytes:
    """Only what draws the picture (``jpeg.picture_bytes``: no comments, APPn, stray bytes or
    data after the end), with the colour profile and the EXIF orientation, which Word uses."""
    out = []
    for part in jpeg_parts(data):
        segment = data[part.start : part.end]
        if part.kind == "segment" and part.marker == _APP1 and segment[4:10] == b"Exif\x00\x00":
            value = _orientation(segment)
            out.append(_orientation_only(value) if value is not None else b"")
        elif part.kind == "segment" and part.marker == _APP2 and segment[4:16] == b"ICC_PROFILE\x00":
            out.append(segment)
        else:
            out.append(picture_bytes(part, data))
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
            blob = b"".join(data[p.start : p.end] for p in jpeg_parts(data) if p.kind != "scan")
            return _decodings(blob)
        if data.startswith(_PNG_SIGNATURE):
            return _decodings(b"".join(c for k, c in _png_chunks(data) if k != b"IDAT"))
    except (_Malformed, struct.error):
        pass
    return _decodings(data)  # unknown layout (GIF, TIFF, EMF, WMF...): look at every byte
