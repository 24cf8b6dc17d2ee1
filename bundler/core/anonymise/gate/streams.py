"""How the gate reads a stream: decoded, and as the kind of thing it is.

Content and other text streams are read as they are, with their string operands
put back together and their names' ``#xx`` escapes decoded; XML as XML; attachments
as plain text (or not at all, which blocks); font programs and JPEG/JPEG 2000 images
for the words they carry (``programs``). Bytes hidden after the end of a Flate
stream's compressed data are read too: no reader shows them, but they are in the file.
So are an image's bytes, inline images' included: a raw reader sees what they spell.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from typing import Any

from pypdf.generic import ArrayObject, EncodedStreamObject, NameObject, StreamObject

from bundler.core.anonymise.gate import inline, programs, syntax
from bundler.core.anonymise.gate.found import Found, Text, Unreadable, get

__all__ = ["stream_places", "decoded_places", "text_places", "image_bytes"]

_CFF = ("/Type1C", "/CIDFontType0C")
_GENERAL = frozenset(
    {"/FlateDecode", "/Fl", "/LZWDecode", "/LZW", "/ASCII85Decode", "/A85", "/ASCIIHexDecode", "/AHx"}
    | {"/RunLengthDecode", "/RL"}
)


def _filters(stream: StreamObject) -> list[str]:
    value = get(stream, "/Filter")
    return [str(f) for f in value] if isinstance(value, ArrayObject) else [str(value)] if value else []


def _font_kind(stream: StreamObject, subtype: Any) -> str | None:
    if "/Length2" in stream or "/Length3" in stream:
        return "type1"
    if "/Length1" in stream or subtype == "/OpenType":
        return "truetype"
    return "cff" if subtype in _CFF else None


def image_bytes(stream: StreamObject) -> bytes:
    """An image's bytes as a raw reader of the file sees them: with the general filters
    (Flate, LZW, ASCII85, ASCIIHex, RunLength) undone, and the image codec's not (the JPEG,
    JPEG 2000, fax or JBIG2 data itself)."""
    filters = _filters(stream)
    general = next((i for i, name in enumerate(filters) if name not in _GENERAL), len(filters))
    if general == len(filters):
        return stream.get_data()
    if general == 0:
        return bytes(stream._data)
    parms = get(stream, "/DecodeParms")
    undo = EncodedStreamObject()
    undo._data = stream._data
    undo[NameObject("/Filter")] = ArrayObject(NameObject(name) for name in filters[:general])
    if isinstance(parms, ArrayObject):
        undo[NameObject("/DecodeParms")] = ArrayObject(parms[:general])
    return undo.get_data()


ReadClean = Callable[[bytes], bool]  # image bytes whose printable runs a verdict found clean


def _image(stream: StreamObject, place: str, read_clean: ReadClean | None = None) -> Iterator[Found]:
    """An image's metadata, and its bytes as printable runs: its pixels are not text (OCR
    reads those), but letters spelled by its bytes are there for any raw reader to see.
    ``read_clean``: bytes this same reading of runs already found clean (``verdicts.ImagesRead``)."""
    last, data = _filters(stream)[-1:], image_bytes(stream)
    if last == ["/DCTDecode"]:
        yield Text(f"{place} (JPEG metadata)", None, syntax.jpeg_metadata(data))
    elif last == ["/JPXDecode"]:
        yield Text(f"{place} (JPEG 2000 metadata)", None, programs.jpx_metadata(data))
    if read_clean is None or not read_clean(data):
        yield Text(f"{place} (image bytes)", None, syntax.printable_runs(data))


def _hidden_tail(stream: StreamObject, place: str) -> Iterator[Found]:
    """Bytes after the end of a Flate stream's compressed data, which readers ignore."""
    if _filters(stream)[:1] != ["/FlateDecode"]:
        return
    inflate = zlib.decompressobj()
    try:
        inflate.decompress(bytes(stream._data))
    except zlib.error:
        return  # get_data() judges the stream itself
    if inflate.unused_data.strip():
        yield from text_places(inflate.unused_data, f"{place} (after its compressed data)")


def stream_places(stream: StreamObject, place: str, read_clean: ReadClean | None = None) -> Iterator[Found]:
    """Every text in ``stream``: nothing is skipped but pixels and cross-reference offsets
    (and an image's runs of bytes that ``read_clean`` says were read clean before)."""
    kind, subtype = get(stream, "/Type"), get(stream, "/Subtype")
    yield from _hidden_tail(stream, place)
    font = _font_kind(stream, subtype)
    if kind == "/XRef":
        return  # offsets; its dictionary is searched with the object
    if font is not None:
        clear = int(get(stream, "/Length1") or 0)
        yield Text(f"{place} (font program)", None, programs.font_program_text(stream.get_data(), font, clear))
    elif subtype == "/Image":
        yield from _image(stream, place, read_clean)
    else:
        xml = subtype == "/XML" or kind == "/Metadata"
        yield from decoded_places(stream.get_data(), place, kind == "/EmbeddedFile", xml)


def decoded_places(data: bytes, place: str, embedded: bool, xml: bool) -> Iterator[Found]:
    if embedded:
        text = syntax.plain_text(data)
        if text is None:
            yield Unreadable(f"embedded file in {place}", None, "is not plain text, so it cannot be checked")
        else:
            yield Text(f"embedded file in {place}", None, text)
    elif xml:
        yield Text(f"{place} (XML)", None, syntax.xml_text(data))
    else:
        yield from text_places(syntax.without_inline_images(data), place)
        if inline.holds_inline_image(data):
            yield from _inline_images(data, place)


def _inline_images(data: bytes, place: str) -> Iterator[Found]:
    """Each inline image read as an image XObject is; and the content read again with its
    inline images left in, in case a crafted one made the strip above take text with it."""
    unstripped = syntax.printable_runs(data) + "\n" + syntax.text_operands(data)
    yield Text(f"{place} (with its inline images)", None, unstripped)
    try:
        images = list(inline.inline_images(data))
    except Exception as exc:  # noqa: BLE001 - what cannot be parsed cannot be checked: fail closed
        yield Unreadable(f"inline image in {place}", None, f"cannot be read ({type(exc).__name__})")
        return
    for number, image in enumerate(images, 1):
        yield from _image(image, f"{place} inline image {number}")


def text_places(data: bytes, place: str) -> Iterator[Found]:
    if syntax.looks_binary(data):
        yield Text(f"{place} (decompressed)", None, syntax.printable_runs(data))
        return
    yield Text(f"{place} (decompressed)", None, data.decode("latin-1"))
    yield Text(f"{place} (text operands)", None, syntax.text_operands(data))
    if b"#" in data:  # names may spell letters as #xx: /Farida#20Khanum
        yield Text(f"{place} (names decoded)", None, syntax.decoded_names(data))
