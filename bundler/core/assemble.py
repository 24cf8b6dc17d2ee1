"""Assembling the bundle with pypdf: merge, rotate, stamp, navigate.

The sources were opened and checked before this stage; this stage only builds
an in-memory ``PdfWriter`` that the pipeline writes out atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
)

from bundler.core.frontmatter import IndexLink
from bundler.core.navigation import add_bookmarks, add_index_links, finish_catalog
from bundler.core.pagemap import PageMap
from bundler.core.progress import Progress, check_cancel
from bundler.core.stamp import (
    FONT_RESOURCE,
    StampStyle,
    fit_to_a4,
    is_tiny,
    map_rect,
    shrink_operators,
    stamp_operators,
    visible_box,
)

__all__ = ["Placed", "assemble", "page_box", "STAMP_STRIP"]

STAMP_STRIP = 40.0  # viewed points kept free at the bottom of a shrunk page


@dataclass
class Placed:
    """A document's opened PDF and which of its pages go into the bundle."""

    doc_id: str
    reader: PdfReader
    pages: list[int]  # 0-based source pages, in bundle order
    rotation: int = 0  # extra clockwise rotation of every page
    page_rotations: dict[int, int] = field(default_factory=dict)  # 0-based page: its own extra turn
    inked: frozenset[int] = frozenset()  # 0-based source pages whose stamp corner has ink
    outline_reader: PdfReader | None = None  # where its own bookmarks come from, if not ``reader``


def page_box(page: Any) -> tuple[float, float, float, float]:
    media = tuple(float(v) for v in page.mediabox)
    crop = tuple(float(v) for v in page.cropbox) if "/CropBox" in page else None
    return visible_box(media, crop)  # type: ignore[arg-type]


def _explicit_link_dests(reader: PdfReader, pages: list[int]) -> None:
    """Named destinations of two sources can collide in one file: make them explicit.

    This edits only the reader's in-memory objects; the source file is untouched.
    """
    named = reader.named_destinations
    for index in pages:
        for ref in reader.pages[index].get("/Annots") or []:
            annot = ref.get_object()
            holder = annot["/A"].get_object() if "/A" in annot else annot
            key = "/D" if holder is not annot else "/Dest"
            name = holder.get(key)
            if isinstance(name, str) and str(name) in named:
                dest = named[str(name)]
                left, top = dest.get("/Left"), dest.get("/Top")
                holder[NameObject(key)] = ArrayObject([
                    dest.page, NameObject("/XYZ"),
                    FloatObject(left) if left is not None else NullObject(),
                    FloatObject(top) if top is not None else NullObject(), NullObject(),
                ])


def _font(writer: PdfWriter) -> Any:
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }))


def _stream(writer: PdfWriter, data: bytes) -> Any:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _add_font(page: Any, font: Any) -> None:
    resources = page.get("/Resources")
    if resources is None:
        page[NameObject("/Resources")] = resources = DictionaryObject()
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        resources[NameObject("/Font")] = fonts = DictionaryObject()
    fonts.get_object()[NameObject(FONT_RESOURCE)] = font


def _move_annotations(page: Any, matrix: tuple[float, ...]) -> None:
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        if "/Rect" in annot:
            rect = tuple(float(v) for v in annot["/Rect"])
            annot[NameObject("/Rect")] = ArrayObject(FloatObject(v) for v in map_rect(matrix, rect))  # type: ignore[arg-type]


def _fit_tiny_page(page: Any) -> tuple[bytes, tuple[float, ...]]:
    ops, matrix, box = fit_to_a4(page_box(page))
    for key in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
        if key in page:
            del page[key]
    page[NameObject("/MediaBox")] = ArrayObject(FloatObject(v) for v in box)
    return ops, matrix


def _stamp_page(writer: PdfWriter, page: Any, label: str, style: StampStyle, opener: Any, shrink: bool) -> None:
    if is_tiny(page_box(page)):
        ops, matrix = _fit_tiny_page(page)
        opener = _stream(writer, ops)
        _move_annotations(page, matrix)
    box, rotate = page_box(page), page.rotation % 360
    if shrink:
        ops, matrix = shrink_operators(box, rotate, STAMP_STRIP)
        opener = _stream(writer, ops)
        _move_annotations(page, matrix)
    contents = page.get("/Contents")
    existing = [] if contents is None else contents.get_object()
    parts = list(existing) if isinstance(existing, ArrayObject) else ([contents] if contents is not None else [])
    closer = _stream(writer, stamp_operators(box, rotate, label, style))
    page[NameObject("/Contents")] = ArrayObject([opener, *parts, closer])


def _merge_documents(writer: PdfWriter, placed: list[Placed], page_map: PageMap,
                     front: PdfReader, progress: Progress) -> dict[str, dict[int, int]]:
    """Append every page in page-map order; return each source page's bundle index."""
    by_id = {p.doc_id: p for p in placed}
    front_pages = iter(range(len(front.pages)))
    mapping: dict[str, dict[int, int]] = {}
    for entry in sorted(page_map.entries, key=lambda e: (e.first, e.kind != "divider")):
        if entry.kind in ("cover", "index", "divider"):
            for _ in range(entry.last - entry.first + 1):
                writer.add_page(front.pages[next(front_pages)])
        elif entry.kind == "document" and entry.document is not None:
            check_cancel(progress)
            doc = by_id[entry.document.id]
            start = len(writer.pages)
            _explicit_link_dests(doc.reader, doc.pages)
            writer.merge(None, doc.reader, pages=doc.pages, import_outline=False)
            mapping[doc.doc_id] = {src: start + i for i, src in enumerate(doc.pages)}
            for i, src in zip(range(start, len(writer.pages)), doc.pages, strict=True):
                angle = (doc.rotation + doc.page_rotations.get(src, 0)) % 360
                if angle:
                    writer.pages[i].rotate(angle)
            progress.advance(len(doc.pages))
    return mapping


def assemble(
    front: PdfReader, links: list[IndexLink], page_map: PageMap, placed: list[Placed],
    style: StampStyle, progress: Progress, retitle: Callable[[str], str] = str,
    before_stamping: Callable[[], None] = lambda: None,
) -> tuple[PdfWriter, list[int]]:
    """The finished bundle in memory, and the 1-based pages that were shrunk.

    ``before_stamping`` waits for the corner checks, which may run while we merge."""
    writer = PdfWriter()
    progress.stage("Merging documents", page_map.total_pages)
    mapping = _merge_documents(writer, placed, page_map, front, progress)
    before_stamping()
    check_cancel(progress)
    shrunk = {mapping[p.doc_id][src] for p in placed for src in p.inked}
    font, opener = _font(writer), _stream(writer, b"q\n")
    progress.stage("Stamping page numbers", page_map.total_pages)
    for index, page in enumerate(writer.pages):
        _add_font(page, font)
        _stamp_page(writer, page, page_map.label(index + 1), style, opener, index in shrunk)
    add_index_links(writer, links)
    outlines = {p.doc_id: (p.outline_reader or p.reader, mapping[p.doc_id]) for p in placed}
    add_bookmarks(writer, page_map, outlines, retitle)
    finish_catalog(writer, page_map)
    return writer, sorted(i + 1 for i in shrunk)
