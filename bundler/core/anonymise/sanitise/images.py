"""Image metadata out, and no bytes that spell a protected name.

A JPEG keeps EXIF, XMP and IPTC in APPn segments and comments, and a decoder skips
more: fill and stray bytes, data after the image's end, a second image appended. Only
what draws the picture is kept (``jpeg.rebuilt_jpeg``), losslessly, and the JPEG is
stored plain (/DCTDecode alone: an ASCII85 wrapper only made it larger). In a PDF the
colour space comes from the image dictionary; the image's own ``/Metadata`` stream
goes with its other extras.

Pixels are not text, but their bytes can spell a name for anyone who reads the file's
raw bytes, and the leak gate reads them so (``gate.streams.image_bytes``). Where they
spell a target, raw samples have the low bit of each such byte flipped (one level in
256: invisible) and a coded image (JPEG, JPEG 2000, fax, JBIG2) is drawn again as a
new JPEG.

An inline image (``BI … ID … EI`` in a content stream) is cleaned as the image XObject it
stands for (``gate.inline``), and written back ASCIIHex-wrapped: binary data in a content
stream could end the image early for a reader that looks for ``EI``.
"""

from __future__ import annotations

import bisect
import io
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from pypdf.filters import decode_stream_data
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
)

from bundler.core.anonymise.gate.finder import holds_target
from bundler.core.anonymise.gate.inline import holds_inline_image, image_stream, inline_operations
from bundler.core.anonymise.gate.streams import image_bytes
from bundler.core.anonymise.gate.syntax import Run, printable_runs, printable_spans
from bundler.core.anonymise.jpeg import rebuilt_jpeg
from bundler.core.anonymise.pdf.scan import draws_content
from bundler.core.anonymise.pdf.stream import serialise
from bundler.core.anonymise.terms import Target, find_matches

__all__ = ["clean_image", "clean_inline_images"]

_CODED = frozenset({"/DCTDecode", "/DCT", "/JPXDecode", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode"})
_TRIES = 3
_ABBREVIATED = {
    "/Width": "/W",
    "/Height": "/H",
    "/BitsPerComponent": "/BPC",
    "/ColorSpace": "/CS",
    "/ImageMask": "/IM",
    "/Decode": "/D",
    "/Interpolate": "/I",
}
_SPACES = {"/DeviceGray": "/G", "/DeviceRGB": "/RGB", "/DeviceCMYK": "/CMYK"}


def _filters(image: Any) -> list[str]:
    value = image.get("/Filter")
    if isinstance(value, ArrayObject):
        return [str(f) for f in value]
    return [str(value)] if value is not None else []


def _store(image: Any, data: bytes, codec: str, parms: Any = None) -> None:
    """Give ``image`` new bytes under one filter; pypdf writes /Length from them."""
    image[NameObject("/Filter")] = NameObject(codec)
    if parms is None:
        image.pop("/DecodeParms", None)
    else:
        image[NameObject("/DecodeParms")] = parms
    image._data = data
    if hasattr(image, "decoded_self"):
        image.decoded_self = None  # pypdf's cache of the old decoded bytes


def _strip_jpeg(image: Any) -> bool:
    """Keep only what draws a JPEG image's picture, stored as plain /DCTDecode."""
    filters = _filters(image)
    if filters[-1:] != ["/DCTDecode"]:
        return False
    jpeg = image_bytes(image)
    rebuilt = rebuilt_jpeg(jpeg)
    if rebuilt == jpeg and filters == ["/DCTDecode"]:
        return False
    parms = image.get("/DecodeParms")  # the JPEG's own (its colour transform) are the last filter's
    parms = parms.get_object() if parms is not None else None
    if isinstance(parms, ArrayObject):
        parms = parms[-1] if len(parms) == len(filters) else None
    elif len(filters) > 1:
        parms = None
    _store(image, rebuilt, "/DCTDecode", parms)
    return True


def _spelled(data: bytes, targets: Sequence[Target]) -> list[tuple[int, int]]:
    """The bytes of ``data`` whose printable runs (one letter a byte, or UTF-16), read as the
    gate reads them, hold a target: each match's letters; failing that (a target only another
    reading finds), each run that holds one alone; failing that, every run's."""
    text = printable_runs(data)
    if not holds_target(text, targets):
        return []
    runs = printable_spans(data)
    starts, at = [], 0
    for run in runs:
        starts.append(at)
        at += len(run.text) + 1  # the run and its line break
    found = []
    for match in find_matches("\n".join(run.text for run in runs), list(targets), ocr=True):
        for i in range(match.start, match.end):
            index = bisect.bisect_right(starts, i) - 1
            run, offset = runs[index], i - starts[index]
            if offset < len(run.text):
                found.append(_letter(run, offset))
    alone = [_letter(run, k) for run in runs if holds_target(run.text, targets) for k in range(len(run.text))]
    # once each: a letter two readings share (UTF-16 read at both pairings) must flip once
    return sorted(set(found or alone or [_letter(run, k) for run in runs for k in range(len(run.text))]))


def _letter(run: Run, k: int) -> tuple[int, int]:
    at = run.start + k * run.step
    return at, at + 1


def _flip_samples(image: Any, targets: Sequence[Target]) -> bool:
    """Flip the low bit of every sample byte that helps spell a target; stored Flate-encoded."""
    samples = bytearray(image_bytes(image))
    for _ in range(_TRIES):
        spans = _spelled(bytes(samples), targets)
        if not spans:
            break
        for start, end in spans:
            for i in range(start, end):
                samples[i] ^= 1
    _store(image, zlib.compress(bytes(samples)), "/FlateDecode")
    return True


def _stencil(image: Any, picture: Any) -> None:
    """A coded stencil mask stored again as plain one-bit samples (0 paints, as its decode)."""
    image.pop("/Decode", None)
    image[NameObject("/BitsPerComponent")] = NumberObject(1)
    _store(image, zlib.compress(picture.convert("1").tobytes()), "/FlateDecode")


def _redrawn(image: Any, targets: Sequence[Target]) -> bool:
    """Draw a coded image again as a new JPEG whose bytes spell nothing; False if it cannot be read."""
    try:
        picture = image.decode_as_image()
    except Exception:  # noqa: BLE001 - an image pypdf cannot draw stays; the gate then refuses it
        return False
    if image.get("/ImageMask"):
        _stencil(image, picture)
        return _flip_samples(image, targets)
    picture = picture.convert("L" if picture.mode in ("1", "L", "LA", "I", "I;16", "F") else "RGB")
    for quality in (92, 85, 75)[:_TRIES]:
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality)
        if not _spelled(out.getvalue(), targets):
            break
    for key in ("/Decode", "/DecodeParms", "/ImageMask"):
        image.pop(key, None)
    image[NameObject("/ColorSpace")] = NameObject("/DeviceGray" if picture.mode == "L" else "/DeviceRGB")
    image[NameObject("/BitsPerComponent")] = NumberObject(8)
    _store(image, out.getvalue(), "/DCTDecode")
    return True


ReadClean = Callable[[bytes], None]  # told of image bytes the gate's reading found clean (``ImagesRead``)


def _unspell(image: Any, targets: Sequence[Target], read_clean: ReadClean | None = None) -> bool:
    """Make an image's bytes spell no target, as the gate reads them; ``read_clean`` is told of
    bytes that, read exactly so, hold none."""
    if not targets:
        return False
    data = image_bytes(image)
    if not holds_target(printable_runs(data), targets):
        if read_clean is not None:
            read_clean(data)
        return False
    if any(name in _CODED for name in _filters(image)):
        return _redrawn(image, targets)
    return _flip_samples(image, targets)


def clean_image(image: Any, targets: Sequence[Target] = (), read_clean: ReadClean | None = None) -> bool:
    """Strip an image XObject's metadata in place and make its bytes spell no target; True
    when it changed. ``read_clean``: as ``_unspell``."""
    if image.get("/Subtype") != "/Image":
        return False
    stripped = _strip_jpeg(image)
    return _unspell(image, targets, read_clean) or stripped


def _content_bytes(stream: StreamObject) -> bytes | None:
    """A content stream's decoded bytes; None for other streams. Kept with the stream (pypdf's
    own cache, let go with the document): a page's content is decoded again when its stamp
    isolates it (``pagework``)."""
    if not draws_content(stream):
        return None
    try:
        if "/Filter" not in stream:
            return bytes(stream._data)
        if isinstance(stream, EncodedStreamObject):  # pypdf keeps what it decodes with the stream
            return bytes(stream.get_data())
        return decode_stream_data(stream)  # bytes stored under a filter in a decoded object
    except Exception:  # noqa: BLE001 - undecodable: the gate judges it
        return None


def _inline_settings(image: Any) -> DictionaryObject:
    """An inline image's dictionary for ``image``, its data ASCIIHex-wrapped."""
    settings = DictionaryObject()
    for key, short in _ABBREVIATED.items():
        if key in image:
            value = image[key]
            if key == "/ColorSpace" and isinstance(value, NameObject):
                value = NameObject(_SPACES.get(str(value), str(value)))
            settings[NameObject(short)] = value
    codec = "/DCT" if _filters(image) == ["/DCTDecode"] else "/Fl"
    settings[NameObject("/F")] = ArrayObject([NameObject("/AHx"), NameObject(codec)])
    parms = image.get("/DecodeParms")
    if parms is not None:
        settings[NameObject("/DP")] = ArrayObject([NullObject(), parms])
    return settings


def clean_inline_images(stream: StreamObject, targets: Sequence[Target] = ()) -> bool:
    """Clean every inline image in a content stream as ``clean_image`` cleans an image
    XObject; True when the stream changed. A stream pypdf cannot parse is left to the gate."""
    data = _content_bytes(stream)
    if data is None or not holds_inline_image(data):
        return False
    try:
        operations = inline_operations(data)
    except Exception:  # noqa: BLE001 - unreadable here is unreadable to the gate: it refuses
        return False
    changed = False
    for operands, op in operations:
        if op != b"INLINE IMAGE":
            continue
        image = image_stream(operands["settings"], operands["data"])
        if clean_image(image, targets):
            operands["settings"] = _inline_settings(image)
            operands["data"] = bytes(image._data).hex().encode() + b">"
            changed = True
    if changed:
        if isinstance(stream, DecodedStreamObject):  # its bytes are written as they are: keep them so
            stream.set_data(serialise(operations))
        else:
            _store(stream, zlib.compress(serialise(operations)), "/FlateDecode")
    return changed
