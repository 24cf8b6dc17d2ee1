"""A chunk placed in the bundle's pypdf writer: its objects write themselves by splicing
their stored bytes with this bundle's object numbers, instead of being parsed and
re-serialised. Each page gets a fresh stamp stream for its place in the bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject, PdfObject

from bundler.core.anonymise.gate.vouched import Run
from bundler.core.build.chunks.store import FONT, NULL, OPENER, PARENT, Chunk, slot_page
from bundler.core.pdf.stamp import Box, StampStyle, stamp_operators

__all__ = ["ChunkObject", "ChunkPage", "attach", "chunk_references", "chunk_runs"]


@dataclass
class _Placement:
    """Where a chunk's objects landed: local object i is number ``base + i``."""

    chunk: Chunk
    base: int
    shared: dict[int, int | None]  # PARENT, FONT, OPENER: their numbers; NULL: None
    stamps: int  # number of the stamp stream of the chunk's page 0

    def number(self, slot: int) -> int | None:
        if slot >= 0:
            return self.base + slot
        page = slot_page(slot)
        return self.shared[slot] if page is None else self.stamps + page

    def ref(self, slot: int) -> bytes:
        number = self.number(slot)
        return b"null" if number is None else b"%d 0 R" % number

    def render(self, index: int) -> bytes:
        start, end, refs = self.chunk.objects[index]
        blob = self.chunk.data()
        parts: list[bytes | memoryview] = []
        pos = start
        for k in range(0, len(refs), 2):
            at = start + refs[k]
            parts += (blob[pos:at], self.ref(refs[k + 1]))
            pos = at
        parts.append(blob[pos:end])
        if index == len(self.chunk.objects) - 1:
            self.chunk.release()  # written in order: this chunk is done
        return b"".join(parts)


class ChunkObject(PdfObject):
    """One stored object of a chunk. It is opaque: nothing edits it once placed."""

    def __init__(self, placement: _Placement, index: int) -> None:
        self.placement, self.index = placement, index

    def write_to_stream(self, stream: Any, encryption_key: Any = None) -> None:
        stream.write(self.placement.render(self.index))


class ChunkPage(ChunkObject):
    """A stored page; navigation reads its viewed geometry from here."""

    def __init__(self, placement: _Placement, index: int, box: Box, rotate: int) -> None:
        super().__init__(placement, index)
        self.box, self.rotate = box, rotate


class _Stream(PdfObject):
    def __init__(self, data: bytes) -> None:
        self.data = data

    def write_to_stream(self, stream: Any, encryption_key: Any = None) -> None:
        stream.write(b"<<\n/Length %d\n>>\nstream\n%s\nendstream" % (len(self.data), self.data))


def chunk_references(obj: ChunkObject) -> tuple[range, set[int]]:
    """The numbers of ``obj``'s whole chunk, and of the objects outside it that the chunk
    refers to (page tree, font, stamps). A chunk holds only what its pages reach."""
    placement = obj.placement
    slots = {s for _, _, refs in placement.chunk.objects for s in refs[1::2] if s < 0}
    numbers = {placement.number(s) for s in slots}
    return range(placement.base, placement.base + len(placement.chunk.objects)), {n for n in numbers if n is not None}


def chunk_runs(writer: PdfWriter) -> list[Run]:
    """Each placed chunk as the leak gate's ``Run``: a claim it checks against the written file."""
    placements = {id(obj.placement): obj.placement for obj in writer._objects if isinstance(obj, ChunkObject)}
    return [Run(_once(p.chunk), p.chunk.objects, p.base, p.number, p.chunk.pages) for p in placements.values()]


def _once(chunk: Chunk) -> Callable[[], bytes | memoryview]:
    def data() -> bytes | memoryview:  # read from the store again, and let go once used
        blob = chunk.data()
        chunk.release()
        return blob

    return data


def _header(*headers: str) -> str:
    return max(headers, key=lambda h: tuple(int(p) for p in h[5:].split(".") if p.isdigit()))


def attach(
    writer: PdfWriter, chunk: Chunk, labels: list[str], style: StampStyle, font: IndirectObject, opener: IndirectObject
) -> list[ChunkPage]:
    """Append ``chunk``'s pages to ``writer``, stamped with ``labels``; return them."""
    pages_ref = writer._pages
    shared = {PARENT: pages_ref.idnum, FONT: font.idnum, OPENER: opener.idnum, NULL: None}
    base = len(writer._objects) + 1
    placement = _Placement(chunk, base, shared, base + len(chunk.objects))
    where = {local: i for i, local in enumerate(chunk.pages)}
    for index in range(len(chunk.objects)):
        page = where.get(index)
        writer._add_object(
            ChunkObject(placement, index) if page is None else ChunkPage(placement, index, *chunk.geometry[page])
        )
    for (box, rotate), label in zip(chunk.geometry, labels, strict=True):
        writer._add_object(_Stream(stamp_operators(box, rotate, label, style)))
    tree = cast(DictionaryObject, pages_ref.get_object())
    added = [cast(ChunkPage, writer._objects[base - 1 + local]) for local in chunk.pages]
    kids = cast(ArrayObject, tree["/Kids"])
    kids.extend(page.indirect_reference for page in added)
    tree[NameObject("/Count")] = NumberObject(len(kids))
    assert writer.flattened_pages is not None
    writer.flattened_pages.extend(added)  # type: ignore[arg-type]
    writer.pdf_header = _header(writer.pdf_header, chunk.header)
    return added
