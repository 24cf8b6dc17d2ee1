"""Inline images (``BI … ID <bytes> EI``) in a content stream, as image streams.

A content stream may carry its own small pictures. Their bytes are written out by
``qpdf --qdf``, decoded by ``pdfimages`` and by pypdf's ``page.images``, so a name they
spell — hex or ASCII85 text that decodes to letters, Flate samples, a JPEG comment — is
in the file for anyone to read. The gate reads them as it reads an image XObject's
(``streams._image``) and the sanitiser cleans them the same way (``sanitise.inline``).

Each inline image is turned into the image stream it stands for: abbreviated keys,
filter and colour-space names written out in full, its encoded bytes as the stream's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    NameObject,
    StreamObject,
)

__all__ = ["holds_inline_image", "inline_operations", "image_stream"]

# ``BI`` as an operator: not inside a longer name or number
_BI = re.compile(rb"(?<![^\s()<>\[\]{}/%])BI(?![^\s()<>\[\]{}/%])")

_KEYS = {
    "/W": "/Width",
    "/H": "/Height",
    "/BPC": "/BitsPerComponent",
    "/CS": "/ColorSpace",
    "/F": "/Filter",
    "/DP": "/DecodeParms",
    "/IM": "/ImageMask",
    "/D": "/Decode",
    "/I": "/Interpolate",
    "/L": "/Length",
}
_FILTERS = {
    "/AHx": "/ASCIIHexDecode",
    "/A85": "/ASCII85Decode",
    "/LZW": "/LZWDecode",
    "/Fl": "/FlateDecode",
    "/RL": "/RunLengthDecode",
    "/CCF": "/CCITTFaxDecode",
    "/DCT": "/DCTDecode",
}
_SPACES = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/I": "/Indexed"}


def holds_inline_image(data: bytes) -> bool:
    """Whether ``data`` may hold an inline image (a cheap test before a full parse)."""
    return b"BI" in data and _BI.search(data) is not None


def inline_operations(data: bytes, pdf: Any = None) -> list[tuple[Any, bytes]]:
    """The content's operations as pypdf parses them; an inline image's operands are a
    dictionary of ``settings`` and ``data`` (its still-encoded bytes)."""
    content = DecodedStreamObject()
    content.set_data(data)
    return list(ContentStream(content, pdf).operations)


def inline_images(data: bytes, pdf: Any = None) -> Iterator[StreamObject]:
    """Each inline image in ``data`` as an image stream."""
    for operands, op in inline_operations(data, pdf):
        if op == b"INLINE IMAGE":
            yield image_stream(operands["settings"], operands["data"])


def _full(key: str, value: Any) -> Any:
    if key == "/Filter":
        names = value if isinstance(value, ArrayObject) else [value]
        full = ArrayObject(NameObject(_FILTERS.get(str(n), str(n))) for n in names)
        return full if isinstance(value, ArrayObject) else full[0]
    if key == "/ColorSpace" and isinstance(value, NameObject):
        return NameObject(_SPACES.get(str(value), str(value)))
    if key == "/ColorSpace" and isinstance(value, ArrayObject) and value:
        return ArrayObject([_full(key, value[0]), *value[1:]])
    return value


def image_stream(settings: DictionaryObject, data: bytes) -> StreamObject:
    """The image XObject an inline image stands for, its bytes still encoded."""
    image = EncodedStreamObject() if ("/F" in settings or "/Filter" in settings) else DecodedStreamObject()
    image[NameObject("/Type")] = NameObject("/XObject")
    image[NameObject("/Subtype")] = NameObject("/Image")
    for key, value in settings.items():
        full = _KEYS.get(str(key), str(key))
        if full != "/Length":
            image[NameObject(full)] = _full(full, value)
    image._data = bytes(data)
    return image
