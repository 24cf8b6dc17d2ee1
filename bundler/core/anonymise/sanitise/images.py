"""Image metadata out, pixels untouched: a photo's EXIF, XMP and IPTC can name a person.

A JPEG keeps them in APPn segments and comments before its pixels. In a PDF the
colour space comes from the image dictionary, so only the JFIF (APP0) and Adobe
(APP14) segments, which say how to decode the pixels, are kept; the rest go,
losslessly. The image's own ``/Metadata`` stream is dropped with its other extras.
"""

from __future__ import annotations

from typing import Any

from pypdf.generic import ArrayObject, NameObject

__all__ = ["strip_jpeg_metadata", "clean_image"]

_KEEP = (0xE0, 0xEE)  # APP0 (JFIF) and APP14 (Adobe colour transform)
_SOS = 0xDA


def strip_jpeg_metadata(data: bytes) -> bytes:
    """``data`` without its APP1–APP13, APP15 and comment segments; unchanged if not a JPEG."""
    if data[:2] != b"\xff\xd8":
        return data
    kept, pos = [data[:2]], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF and data[pos + 1] != _SOS:
        marker, length = data[pos + 1], int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        if not (marker == 0xFE or 0xE0 <= marker <= 0xEF) or marker in _KEEP:
            kept.append(segment)
        pos += 2 + max(length, 2)
    return b"".join(kept) + data[pos:]


def _last_filter(image: Any) -> str | None:
    value = image.get("/Filter")
    if isinstance(value, ArrayObject):
        return str(value[-1]) if value else None
    return str(value) if value is not None else None


def clean_image(image: Any) -> bool:
    """Strip a JPEG image XObject's metadata in place; True when something went.

    Filters before the JPEG one (ASCII85, Flate) are undone, leaving plain /DCTDecode."""
    if image.get("/Subtype") != "/Image" or _last_filter(image) != "/DCTDecode":
        return False
    jpeg = image.get_data()  # pypdf undoes the other filters and leaves the JPEG as it is
    stripped = strip_jpeg_metadata(jpeg)
    if stripped == jpeg:
        return False
    parms = image.get("/DecodeParms")
    if isinstance(parms, ArrayObject):
        image[NameObject("/DecodeParms")] = parms[-1]
    image[NameObject("/Filter")] = NameObject("/DCTDecode")
    image._data = stripped  # pypdf writes /Length from the data
    return True
