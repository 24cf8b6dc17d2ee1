"""Bookmarks, index links, page labels and the open action — all from the page map.

Destinations use ``/XYZ left top null`` so the reader keeps its zoom
(PRODUCT.md §2.2); the document opens on page 1 at 100%.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
)

from bundler.core.build.chunks.splice import ChunkPage
from bundler.core.build.frontmatter import IndexLink
from bundler.core.build.pagemap import PageMap
from bundler.core.pdf.sources import destination_page
from bundler.core.pdf.stamp import viewed_to_user, visible_box

__all__ = ["xyz_destination", "add_bookmarks", "add_index_links", "finish_catalog", "source_outline", "OutlineItem"]

OutlineItem = tuple[int, str, int]  # depth, title, page (index into the document's pages)


def _geometry(page: Any) -> tuple[tuple[float, float, float, float], int]:
    """The page's visible box and its /Rotate; a stored page carries them."""
    if isinstance(page, ChunkPage):
        return page.box, page.rotate
    crop = page.cropbox if "/CropBox" in page else None
    media = tuple(float(v) for v in page.mediabox)
    box = visible_box(media, tuple(float(v) for v in crop) if crop is not None else None)  # type: ignore[arg-type]
    return box, page.rotation % 360


def xyz_destination(writer: PdfWriter, index: int) -> ArrayObject:
    """[page /XYZ left top null]: the viewed top-left of the page, zoom unchanged."""
    page = writer.pages[index]
    box, rotate = _geometry(page)
    a, b, c, d, e, f = viewed_to_user(box, rotate)
    height = box[3] - box[1] if rotate % 180 == 0 else box[2] - box[0]
    left, top = c * height + e, d * height + f
    ref = page.indirect_reference
    return ArrayObject([ref, NameObject("/XYZ"), FloatObject(left), FloatObject(top), NullObject()])


def _outline_item(writer: PdfWriter, title: str, index: int, parent: Any) -> Any:
    dest = xyz_destination(writer, index)
    item = writer.add_outline_item(title=title, page_number=dest[0], parent=parent)
    node = cast(DictionaryObject, item.get_object())
    node.pop("/A", None)  # pypdf adds a /Fit GoTo action; /Dest alone keeps the reader's zoom
    node[NameObject("/Dest")] = dest
    return item


def source_outline(reader: PdfReader, pages: list[int]) -> list[OutlineItem]:
    """A source's own bookmarks as (depth, title, index in ``pages``), in order.

    A bookmark to a page left out is dropped with everything nested under it;
    so is a broken one."""
    where = {src: i for i, src in enumerate(pages)}
    items: list[OutlineItem] = []

    def walk(nodes: list[Any], depth: int) -> None:
        last = None
        for node in nodes:
            if isinstance(node, list):
                if last is not None:
                    walk(node, depth + 1)
                continue
            try:
                last = where.get(destination_page(reader, node))
            except Exception:  # a broken source bookmark is skipped, not fatal
                last = None
            if last is not None:
                items.append((depth, str(node.title), last))

    walk(reader.outline, 0)
    return items


def add_bookmarks(
    writer: PdfWriter,
    page_map: PageMap,
    sources: dict[str, list[OutlineItem]],
    retitle: Callable[[str], str] = str,
) -> None:
    """One bookmark per section and per document, each carrying its page number.

    ``sources`` gives each document's own bookmarks (from the unredacted file:
    redaction drops outlines), nested under it; ``retitle`` anonymises their titles.
    """
    section_item = None
    for entry in page_map.entries:
        if entry.kind == "section":
            section_item = _outline_item(writer, page_map.bookmark_title(entry), entry.first - 1, None)
        elif entry.kind == "document" and entry.document is not None:
            item = _outline_item(writer, page_map.bookmark_title(entry), entry.first - 1, section_item)
            parents = [item]
            for depth, title, page in sources.get(entry.document.id, []):
                del parents[depth + 1 :]
                parents.append(_outline_item(writer, retitle(title), entry.first - 1 + page, parents[depth]))


def add_index_links(writer: PdfWriter, links: list[IndexLink]) -> None:
    for link in links:
        page = writer.pages[link.page - 1]
        annot = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in link.rect]),
                NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
                NameObject("/Dest"): xyz_destination(writer, link.target - 1),
            }
        )
        annots = page.get("/Annots")
        if annots is None:
            page[NameObject("/Annots")] = annots = ArrayObject()
        cast(ArrayObject, annots.get_object()).append(writer._add_object(annot))


def finish_catalog(writer: PdfWriter, page_map: PageMap) -> None:
    """Page labels = stamps, open at page 1 and 100%, show bookmarks. (Metadata: sanitise.)"""
    numbering = page_map.numbering
    start = 1 if numbering.decimal_base is not None else numbering.first_number
    writer.set_page_label(
        0, page_map.total_pages - 1, style=PageLabelStyle.DECIMAL, prefix=page_map.label_prefix or None, start=start
    )
    first: IndirectObject = writer.pages[0].indirect_reference  # type: ignore[assignment]
    root = writer._root_object
    root[NameObject("/OpenAction")] = ArrayObject(
        [first, NameObject("/XYZ"), NullObject(), NullObject(), NumberObject(1)]
    )
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    names = root.get("/Names")
    if names is not None and "/Dests" in names.get_object():
        del names.get_object()["/Dests"]  # every link was made explicit; names could collide
