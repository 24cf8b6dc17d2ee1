"""Where a protected name can hide in a PDF, as texts to search, each with its place.

Every source yields ``Text`` (search this) or ``Unreadable`` (the gate could not
look here, which blocks the export like a hit). The object walk reads every object
the cross-reference lists; the raw scan then reads, from the file bytes, any object
the cross-reference does not point at (earlier revisions, orphans), and the bytes
between objects. There is no skip list: every key of every dictionary is followed
into its direct values, whatever the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
from bundler.core.anonymise.gate.found import Found, Text, Unreadable, get, unreadable
from bundler.core.anonymise.gate.pagetree import PageTree
from bundler.core.anonymise.gate.raw import raw_places
from bundler.core.anonymise.gate.streams import ReadClean, stream_places
from bundler.core.anonymise.glyphs.vectors import shows_text
from bundler.core.anonymise.pdf.locate import needs_visual, visual_text
from bundler.core.pdf import quicktext

__all__ = [
    "Text",
    "Unreadable",
    "Found",
    "document_places",
    "object_places",
    "pdfium_pages",
    "unreadable",
    "PageHook",
    "VouchedHook",
]

_UPWARD = ("/Parent", "/P", "/Kids")  # references back up or across a tree; never direct values
_get = get


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
            if not (key in _UPWARD and isinstance(value, IndirectObject)):  # direct values: always
                yield from _strings(value, f"{path} {key}", follow)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from _strings(value, path, follow)


def _all_strings(obj: Any) -> str:
    return "\n".join(text for _, text in _strings(obj))


def _metadata(reader: PdfReader, root: Any) -> Iterator[Found]:
    for key, text in _strings(reader.trailer.get("/Info"), "", 2):
        yield Text(f"metadata {key}".strip(), None, text, shown=True)
    xmp = _get(root, "/Metadata")
    if isinstance(xmp, StreamObject):
        yield Text("XMP", None, syntax.xml_text(xmp.get_data()), shown=True)


def _outline(node: Any, seen: set[int]) -> Iterator[Found]:
    item = node.get("/First") if isinstance(node, DictionaryObject) else None
    while isinstance(item, IndirectObject) and item.idnum not in seen:
        seen.add(item.idnum)
        entry: Any = item.get_object()
        title = _text_of(_get(entry, "/Title")) or ""
        yield Text(f"outline item '{title if len(title) <= 40 else title[:39] + '…'}'", None, title, shown=True)
        yield from _outline(entry, seen)
        item = entry.get("/Next")


def _annotations(tree: PageTree, skip: set[int]) -> Iterator[Found]:
    for number in range(1, len(tree) + 1):
        if number in skip:
            continue  # a verified chunk's page: its annotations are the chunk's objects, or read as objects
        for annotation in _get(tree.page(number), "/Annots") or []:
            for key, text in _strings(annotation, "", 3):
                yield Text(f"annotation on page {number} ({key})", number, text, shown=True)
            if annotation.get_object().get("/Subtype") != "/Widget" and _appearance_shows_text(annotation.get_object()):
                yield Unreadable(f"annotation on page {number} (its appearance)", number, _APPEARANCE)


# poppler draws an annotation's appearance and pdftotext reads its text as the page's; neither
# text engine of the gate reads it (round 32: a link's appearance spelling the name in a font
# whose glyph names are its letters). A public bundle keeps none (``sanitise``): one is refused.
# A form field's widget is not: its value is read (``_fields``), and a bundle draws its
# appearance into the page (``sanitise.forms``), where both engines read it.
_APPEARANCE = "it draws text that neither text engine reads (an annotation's own appearance)"


def _appearance_shows_text(annotation: Any) -> bool:
    appearances = _get(annotation, "/AP")
    for value in appearances.values() if isinstance(appearances, DictionaryObject) else ():
        value = value.get_object()
        states = (
            value.values() if isinstance(value, DictionaryObject) and not isinstance(value, StreamObject) else [value]
        )
        if any(isinstance(s := state.get_object(), StreamObject) and shows_text(s) for state in states):
            return True
    return False


def _fields(root: Any) -> Iterator[Found]:
    stack = [(field, "") for field in _get(_get(root, "/AcroForm"), "/Fields") or []]
    while stack:
        field, parent = stack.pop()
        field = field.get_object()
        name = ".".join(filter(None, (parent, _text_of(_get(field, "/T")) or "")))
        for key in ("/T", "/TU", "/TM", "/V", "/DV", "/Opt", "/RV"):
            for _, text in _strings(field.get(key), key, 2):
                yield Text(f"form field '{name}' ({key})", None, text, shown=True)
        stack.extend((kid, name) for kid in _get(field, "/Kids") or [])


def _pypdf_pages(tree: PageTree, skip: set[int]) -> Iterator[Found]:
    fonts = quicktext.Reading()  # a font shared by many pages is worked out once (the gate changes nothing)
    for number in range(1, len(tree) + 1):
        if number in skip:
            continue  # a verified chunk's page: read by pypdf when its verdict was made
        place = f"page {number} text (pypdf)"
        try:
            with quicktext.reading(fonts):
                text = tree.page(number).extract_text()
        except Exception as exc:  # noqa: BLE001 - text we cannot extract fails closed, whatever the cause
            yield unreadable(place, number, exc)
            continue
        yield Text(place, number, text, shown=True)


PageHook = Callable[[int, pdfium.PdfPage, pdfium.PdfTextPage], None]
VouchedHook = Callable[[int], None]


def pdfium_pages(
    pdf: Path,
    password: str | None,
    loose: re.Pattern[str] | None = None,
    backward: frozenset[int] = frozenset(),
    on_page: PageHook | None = None,
    *,
    vouched: frozenset[int] = frozenset(),
    on_vouched: VouchedHook | None = None,
    count: int | None = None,
    last_apart: str | None = None,
) -> Iterator[Found]:
    """Each page's text; and in reading order where ``needs_visual`` says it may differ
    (``loose``: ``locate.loose_screen`` of the targets; None reads every page so).

    ``on_page`` is handed each page (0-based index) with its text page, for another
    check that reads the same pages (the stamp read-back) to share this pass.
    ``vouched`` (1-based): pages whose text a verified chunk's verdict stands for
    (``gate._places`` says when); they are not loaded, and ``on_vouched`` is told each.
    ``count``: how many pages pypdf lists; where PDFium counts otherwise, page numbers may
    not name the same pages, so that is a finding and every page is read. ``last_apart``:
    the text of a stamp drawn last on every page that can join no target (``needs_visual``)."""
    doc = pdfium.PdfDocument(pdf, password=password)
    try:
        if vouched and count is not None and count != len(doc):
            yield Unreadable("the page tree", None, f"PDFium counts {len(doc)} pages, pypdf {count}")
            vouched = frozenset()
        for index in range(len(doc)):
            if index + 1 in vouched:
                if on_vouched is not None:
                    on_vouched(index)
                continue
            page = doc[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
                if on_page is not None:
                    on_page(index, page, textpage)
                yield Text(f"page {index + 1} text (pypdfium2)", index + 1, text, shown=True)
                # glyphs placed one by one read as words on the page (poppler, OCR, the eye)
                visual = loose is None or needs_visual(page, text, loose, index in backward, textpage, last_apart)
                placed = visual_text(page, textpage).text if visual else None  # from the same text page
            finally:
                textpage.close()
            if placed is not None:
                yield Text(f"page {index + 1} text in reading order (pypdfium2)", index + 1, placed, shown=True)
            page.close()
    finally:
        doc.close()


def _objects(reader: PdfReader, skip: set[int], read_clean: ReadClean | None = None) -> Iterator[Found]:
    """Every object the cross-reference lists, object streams included, but those ``skip``
    names (proven to be a verified chunk's, generation 0, listed once)."""
    ids = {(idnum, gen) for gen, table in reader.xref.items() for idnum in table}
    ids |= {(idnum, 0) for idnum in reader.xref_objStm}
    for idnum, gen in sorted(ids):
        if gen == 0 and idnum in skip:
            continue
        place = f"object {idnum} {gen}"
        try:
            obj = reader.get_object(IndirectObject(idnum, gen, reader))
            yield Text(place, None, _all_strings(obj))
            if isinstance(obj, StreamObject):
                yield from stream_places(obj, f"stream object {idnum} {gen}", read_clean)
        except Exception as exc:  # noqa: BLE001 - an object we cannot read fails closed
            yield unreadable(place, None, exc)


def document_places(
    reader: PdfReader, tree: PageTree, quiet: set[int] | None = None, vouched: set[int] | None = None
) -> Iterator[Found]:
    """What a reader of the document sees: metadata, bookmarks, annotations, fields, text.

    pypdf's text is read on every page but the ``quiet`` ones, annotations on every page but
    the ``vouched`` ones (whose objects a verdict read, or the object walk reads)."""
    root = _get(reader.trailer, "/Root")
    yield from _metadata(reader, root)
    yield from _outline(_get(root, "/Outlines"), set())
    yield from _annotations(tree, vouched or set())
    yield from _fields(root)
    yield from (Text("embedded file name", None, name, shown=True) for name in reader.attachments)
    yield from _pypdf_pages(tree, quiet or set())


def object_places(
    reader: PdfReader,
    data: bytes,
    vouched: set[int] | None = None,
    proven: dict[int, int] | None = None,
    read_clean: ReadClean | None = None,
) -> Iterator[Found]:
    """Every object pypdf lists (but the ``vouched`` numbers), then the raw bytes it does not account
    for (``proven``: where the vouched objects' bytes are, ``raw_places``; ``read_clean``: image
    bytes already read clean, ``streams.stream_places``)."""
    yield Text("trailer", None, _all_strings(reader.trailer))
    yield from _objects(reader, vouched or set(), read_clean)
    if not reader.is_encrypted:  # encrypted bytes are not text; the walk above decrypted them
        listed = {(idnum, gen): offset for gen, table in reader.xref.items() for idnum, offset in table.items()}
        yield from raw_places(reader, data, listed, _all_strings, proven)
