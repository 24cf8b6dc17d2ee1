"""Assembling the bundle: each document's chunk, the front matter, stamps, navigation.

Every document is a chunk by now (``placing.ready_documents``): stored by an earlier
build, or made from its parsed PDF in this one. The result is an in-memory
``PdfWriter`` that the pipeline writes out atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.generic import IndirectObject

from bundler.core.build.chunks.splice import attach
from bundler.core.build.chunks.store import Chunk
from bundler.core.build.frontmatter import IndexLink
from bundler.core.build.navigation import add_bookmarks, add_index_links, finish_catalog
from bundler.core.build.pagemap import PageMap
from bundler.core.pdf.pagework import new_font, new_stream, stamp_page
from bundler.core.pdf.stamp import StampStyle, stamp_operators
from bundler.core.progress import Progress, check_cancel

__all__ = ["Placed", "assemble"]


@dataclass
class Placed:
    """A document and which of its pages go into the bundle: its stored chunk, or its
    opened PDF to make one from."""

    doc_id: str
    reader: PdfReader | None
    pages: list[int]  # 0-based source pages, in bundle order
    rotation: int = 0  # extra clockwise rotation of every page
    page_rotations: dict[int, int] = field(default_factory=dict)  # 0-based page: its own extra turn
    inked: frozenset[int] = frozenset()  # 0-based source pages whose stamp corner has ink
    outline_reader: PdfReader | None = None  # where its own bookmarks come from, if not ``reader``
    chunk: Chunk | None = None
    key: str = ""  # names the chunk in the store
    notes: list[str] = field(default_factory=list)  # what opening it found, for the build report
    name: str = ""  # its file name, for the build report
    # Opens it when its chunk is made (reader, bookmarks' reader, pages), so that a big
    # bundle's sources are parsed one at a time, not all held at once; ``pages_hint``: its
    # page count meanwhile, for progress only.
    opener: Callable[[], tuple[PdfReader, PdfReader | None, list[int]]] | None = None
    pages_hint: int = 0


def _add_front_page(
    writer: PdfWriter,
    front: PdfReader,
    index: int,
    label: str,
    style: StampStyle,
    shared: tuple[IndirectObject, IndirectObject],
) -> None:
    page = writer.add_page(front.pages[index])
    stamp_page(
        writer, page, lambda box, turn: new_stream(writer, stamp_operators(box, turn, label, style)), shared, False
    )


def assemble(
    front: PdfReader,
    links: list[IndexLink],
    page_map: PageMap,
    placed: list[Placed],
    style: StampStyle,
    progress: Progress,
    retitle: Callable[[str], str] = str,
) -> tuple[PdfWriter, list[int]]:
    """The finished bundle in memory (every document's chunk placed), and the 1-based
    pages that were shrunk."""
    check_cancel(progress)
    progress.stage("Stamping page numbers", 0)
    writer = PdfWriter()
    shared = (new_font(writer), new_stream(writer, b"q\n"))
    by_id = {p.doc_id: p for p in placed}
    front_pages, shrunk = iter(range(len(front.pages))), []
    for entry in sorted(page_map.entries, key=lambda e: (e.first, e.kind != "divider")):
        if entry.kind in ("cover", "index", "divider"):
            for number in range(entry.first, entry.last + 1):
                _add_front_page(writer, front, next(front_pages), page_map.label(number), style, shared)
        elif entry.kind == "document" and entry.document is not None:
            chunk = by_id[entry.document.id].chunk
            assert chunk is not None
            labels = [page_map.label(n) for n in range(entry.first, entry.last + 1)]
            attach(writer, chunk, labels, style, *shared)
            inked = set(chunk.inked)
            shrunk += [entry.first + i for i, src in enumerate(chunk.source_pages) if src in inked]
    add_index_links(writer, links)
    add_bookmarks(writer, page_map, {p.doc_id: p.chunk.outline for p in placed if p.chunk}, retitle)
    finish_catalog(writer, page_map)
    return writer, sorted(shrunk)
