"""Where a protected name can hide in a PDF, as texts to search, each with its place.

Every source yields ``Text`` (search this) or ``Unreadable`` (the gate could not
look here, which blocks the export like a hit). The object walk reads every object
the cross-reference lists; the raw scan then reads, from the file bytes, any object
the cross-reference does not point at (earlier revisions, orphans).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    StreamObject,
)

from bundler.core.anonymise.gate import syntax

__all__ = [
    "Text",
    "Unreadable",
    "Found",
    "document_places",
    "object_places",
    "pdfium_pages",
    "unreadable",
]


class Text(NamedTuple):
    place: str
    page: int | None
    text: str


class Unreadable(NamedTuple):
    place: str
    page: int | None
    reason: str


Found = Text | Unreadable
_FONT_PROGRAMS = ("/Type1C", "/CIDFontType0C", "/OpenType")
_HEADER = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_BODY = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)|endobj")
_NOT_TEXT = re.compile(rb"/(?:Image|Length1|Type1C|CIDFontType0C|OpenType|XRef)\b")


def unreadable(place: str, page: int | None, exc: BaseException) -> Unreadable:
    return Unreadable(place, page, f"could not be read ({type(exc).__name__}: {exc})")


def _get(obj: Any, key: str) -> Any:
    """``obj[key]`` resolved, or None; never raises on odd structures."""
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value


def _text_of(obj: Any) -> str | None:
    if isinstance(obj, ByteStringObject):
        return syntax.decode_string(bytes(obj))
    return str(obj) if isinstance(obj, str) else None  # TextStringObject, NameObject


def _strings(obj: Any, path: str = "", follow: int = 0) -> Iterator[tuple[str, str]]:
    """(key path, text) of the strings and names in ``obj``, following ``follow`` references."""
    if isinstance(obj, IndirectObject):
        if follow <= 0:
            return
        obj, follow = obj.get_object(), follow - 1
        if isinstance(obj, DictionaryObject) and obj.get("/Type") in ("/Page", "/Pages"):
            return
    text = _text_of(obj)
    if text is not None:
        yield path.strip(), text
    elif isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            yield path.strip(), str(key)
            if key not in ("/Parent", "/P", "/Kids"):
                yield from _strings(value, f"{path} {key}", follow)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from _strings(value, path, follow)


def _metadata(reader: PdfReader, root: Any) -> Iterator[Found]:
    for key, text in _strings(reader.trailer.get("/Info"), "", 2):
        yield Text(f"metadata {key}".strip(), None, text)
    xmp = _get(root, "/Metadata")
    if isinstance(xmp, StreamObject):
        yield Text("XMP", None, syntax.xml_text(xmp.get_data()))


def _outline(node: Any, seen: set[int]) -> Iterator[Found]:
    item = node.get("/First") if isinstance(node, DictionaryObject) else None
    while isinstance(item, IndirectObject) and item.idnum not in seen:
        seen.add(item.idnum)
        entry: Any = item.get_object()
        title = _text_of(_get(entry, "/Title")) or ""
        yield Text(f"outline item '{title if len(title) <= 40 else title[:39] + '…'}'", None, title)
        yield from _outline(entry, seen)
        item = entry.get("/Next")


def _annotations(reader: PdfReader) -> Iterator[Found]:
    for number, page in enumerate(reader.pages, start=1):
        for annotation in _get(page, "/Annots") or []:
            for key, text in _strings(annotation, "", 3):
                yield Text(f"annotation on page {number} ({key})", number, text)


def _fields(root: Any) -> Iterator[Found]:
    stack = [(field, "") for field in _get(_get(root, "/AcroForm"), "/Fields") or []]
    while stack:
        field, parent = stack.pop()
        field = field.get_object()
        name = ".".join(filter(None, (parent, _text_of(_get(field, "/T")) or "")))
        for key in ("/T", "/TU", "/TM", "/V", "/DV", "/Opt", "/RV"):
            for _, text in _strings(field.get(key), key, 2):
                yield Text(f"form field '{name}' ({key})", None, text)
        stack.extend((kid, name) for kid in _get(field, "/Kids") or [])


def _pypdf_pages(reader: PdfReader) -> Iterator[Found]:
    for number, page in enumerate(reader.pages, start=1):
        place = f"page {number} text (pypdf)"
        try:
            yield Text(place, number, page.extract_text())
        except Exception as exc:  # noqa: BLE001 - text we cannot extract fails closed, whatever the cause
            yield unreadable(place, number, exc)


def pdfium_pages(pdf: Path, password: str | None) -> Iterator[Found]:
    doc = pdfium.PdfDocument(pdf, password=password)
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            yield Text(f"page {index + 1} text (pypdfium2)", index + 1, textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        doc.close()


def _filters(stream: StreamObject) -> list[str]:
    value = _get(stream, "/Filter")
    return [str(f) for f in value] if isinstance(value, ArrayObject) else [str(value)] if value else []


def _stream(stream: StreamObject, place: str) -> Iterator[Found]:
    kind, subtype = _get(stream, "/Type"), _get(stream, "/Subtype")
    if kind == "/XRef" or "/Length1" in stream or subtype in _FONT_PROGRAMS:
        return  # binary by design; their names are in their dictionaries, searched already
    if subtype == "/Image":
        if _filters(stream)[-1:] == ["/DCTDecode"]:
            yield Text(f"{place} (JPEG metadata)", None, syntax.jpeg_metadata(stream.get_data()))
        return  # pixels, not text
    xml = subtype == "/XML" or kind == "/Metadata"
    yield from _decoded(stream.get_data(), place, kind == "/EmbeddedFile", xml)


def _decoded(data: bytes, place: str, embedded: bool, xml: bool) -> Iterator[Found]:
    if embedded:
        text = syntax.plain_text(data)
        if text is None:
            yield Unreadable(f"embedded file in {place}", None, "is not plain text, so it cannot be checked")
        else:
            yield Text(f"embedded file in {place}", None, text)
    elif xml:
        yield Text(f"{place} (XML)", None, syntax.xml_text(data))
    else:
        yield from _stream_text(syntax.without_inline_images(data), place)


def _stream_text(data: bytes, place: str) -> Iterator[Found]:
    if syntax.looks_binary(data):
        yield Text(f"{place} (decompressed)", None, syntax.printable_runs(data))
        return
    yield Text(f"{place} (decompressed)", None, data.decode("latin-1"))
    yield Text(f"{place} (text operands)", None, syntax.text_operands(data))


def _objects(reader: PdfReader) -> Iterator[Found]:
    """Every object the cross-reference lists, object streams included."""
    ids = {(idnum, gen) for gen, table in reader.xref.items() for idnum in table}
    ids |= {(idnum, 0) for idnum in reader.xref_objStm}
    for idnum, gen in sorted(ids):
        place = f"object {idnum} {gen}"
        try:
            obj = reader.get_object(IndirectObject(idnum, gen, reader))
            yield Text(place, None, "\n".join(text for _, text in _strings(obj)))
            if isinstance(obj, StreamObject):
                yield from _stream(obj, f"stream object {idnum} {gen}")
        except Exception as exc:  # noqa: BLE001 - an object we cannot read fails closed
            yield unreadable(place, None, exc)


def _raw_objects(data: bytes, listed: dict[tuple[int, int], int]) -> Iterator[Found]:
    """Objects in the file bytes that the cross-reference does not point at."""
    pos = 0
    while (m := _HEADER.search(data, pos)) is not None:
        body = _BODY.search(data, m.end())
        has_stream = body is not None and body.group() != b"endobj"
        end = body.end() if body else len(data)
        pos = data.find(b"endstream", end) if has_stream else end
        pos = len(data) if pos < 0 else pos
        ident = (int(m.group(1)), int(m.group(2)))
        if 0 <= m.start() - listed.get(ident, -99) <= 4:
            continue  # the object walk has read this one properly
        place = f"object {ident[0]} {ident[1]} at byte {m.start()} (raw scan)"
        head = data[m.start() : body.start() if body else end]
        yield Text(place, None, head.decode("latin-1") + "\n" + syntax.text_operands(head))
        if has_stream and not _NOT_TEXT.search(head):
            yield from _raw_stream(head, data[end:pos], place)


def _raw_stream(head: bytes, raw: bytes, place: str) -> Iterator[Found]:
    if b"/Filter" in head and b"/FlateDecode" not in head:
        yield Unreadable(place, None, "uses a filter the raw scan cannot read")
        return
    try:
        data = zlib.decompressobj().decompress(raw) if b"/Filter" in head else raw
    except zlib.error as exc:
        yield unreadable(place, None, exc)
        return
    yield from _decoded(data, place, b"/EmbeddedFile" in head, b"/XML" in head)


def document_places(reader: PdfReader) -> Iterator[Found]:
    """What a reader of the document sees: metadata, bookmarks, annotations, fields, text."""
    root = _get(reader.trailer, "/Root")
    yield from _metadata(reader, root)
    yield from _outline(_get(root, "/Outlines"), set())
    yield from _annotations(reader)
    yield from _fields(root)
    yield from (Text("embedded file name", None, name) for name in reader.attachments)
    yield from _pypdf_pages(reader)


def object_places(reader: PdfReader, data: bytes) -> Iterator[Found]:
    """Every object pypdf lists, then the raw bytes it does not account for."""
    yield from _objects(reader)
    if not reader.is_encrypted:  # encrypted bytes are not text; the walk above decrypted them
        listed = {(idnum, gen): offset for gen, table in reader.xref.items() for idnum, offset in table.items()}
        yield from _raw_objects(data, listed)
