"""Image metadata out, pixels untouched: a photo's EXIF, XMP and IPTC can name a person.

A JPEG keeps them in APPn segments and comments before its pixels. In a PDF the
colour space comes from the image dictionary, so only the JFIF (APP0) and Adobe
(APP14) segments, which say how to decode the pixels, are kept; the rest go,
losslessly. The image's own ``/Metadata`` stream is dropped with its other extras.

Those segments come before the pixels, so an ASCII85-wrapped JPEG (reportlab's way) is
judged from the start of its stream alone: decoding a scanned page's whole image just to
find nothing to strip was a third of a first build's time.
"""

from __future__ import annotations

from typing import Any

from pypdf.generic import ArrayObject, EncodedStreamObject, NameObject

from bundler.core.pdf.a85 import a85decode

__all__ = ["strip_jpeg_metadata", "clean_image", "a85_jpeg_head"]

_KEEP = (0xE0, 0xEE)  # APP0 (JFIF) and APP14 (Adobe colour transform)
_SOS = 0xDA
_HEAD = 1 << 16  # encoded bytes decoded first; a JPEG's segments before its pixels are rarely longer
_WHITESPACE = b" \n\r\t\x00\x0c"  # what pypdf's ASCII85 filter ignores
_A85 = bytes(range(ord("!"), ord("u") + 1)) + b"z<~>" + _WHITESPACE


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


def _keeps_all(head: bytes) -> bool | None:
    """Whether ``strip_jpeg_metadata`` returns unchanged a JPEG that starts with ``head``;
    None when ``head`` ends before the segments do (the same walk, over fewer bytes)."""
    if head[:2] != b"\xff\xd8":
        return True
    pos = 2
    while pos + 4 <= len(head):
        if head[pos] != 0xFF or head[pos + 1] == _SOS:
            return True
        marker, length = head[pos + 1], int.from_bytes(head[pos + 2 : pos + 4], "big")
        if length < 2 or marker == 0xFE or (0xE0 <= marker <= 0xEF and marker not in _KEEP):
            return False  # a segment goes (or a malformed one is cut)
        pos += 2 + length
    return None


def a85_jpeg_head(image: Any, size: int) -> bytes | None:
    """The first decoded bytes (from ``size`` encoded ones) of a long ASCII85 + DCT stream;
    None for any other stream, or when its start is anything but plain ASCII85 (then the
    whole stream is decoded)."""
    filters = image.get("/Filter")
    if not isinstance(image, EncodedStreamObject) or image.decoded_self is not None:
        return None
    if not isinstance(filters, ArrayObject) or [str(f) for f in filters] != ["/ASCII85Decode", "/DCTDecode"]:
        return None
    raw = image._data
    if len(raw) <= _HEAD or raw.translate(None, _A85) or not raw.rstrip(_WHITESPACE).endswith(b"~>"):
        return None  # short enough to decode whole, or something the decoder would refuse or warn of
    body = raw[:size].lstrip(_WHITESPACE).removeprefix(b"<~").translate(None, _WHITESPACE)
    groups = body.split(b"z")
    if b"~" in body or any(len(group) % 5 for group in groups[:-1]):
        return None
    body = b"!!!!!".join(groups)
    try:  # the C-speed decoder, which returns what the standard one does
        return a85decode(b"<~" + body[: len(body) // 5 * 5] + b"~>", adobe=True, ignorechars=_WHITESPACE)
    except ValueError:
        return None


def _surely_clean(image: Any) -> bool:
    """True when the stream's start shows every segment before the pixels is kept."""
    for size in (_HEAD // 16, _HEAD):  # a scanner's JPEG header fits the first; a photo's may not
        head = a85_jpeg_head(image, size)
        if head is None:
            return False
        verdict = _keeps_all(head)
        if verdict is not None:
            return verdict
    return False


def _last_filter(image: Any) -> str | None:
    value = image.get("/Filter")
    if isinstance(value, ArrayObject):
        return str(value[-1]) if value else None
    return str(value) if value is not None else None


def clean_image(image: Any) -> bool:
    """Strip a JPEG image XObject's metadata in place; True when something went.

    Filters before the JPEG one (ASCII85, Flate) are undone, leaving plain /DCTDecode."""
    if image.get("/Subtype") != "/Image" or _last_filter(image) != "/DCTDecode" or _surely_clean(image):
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
