"""Making a document's chunk: clone its pages with pypdf, turn them, sanitise them,
fit or shrink them for the stamp, and serialise everything they reach.

Cloning runs while the corner checks do; the rest needs their answers, document by document.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from pypdf import PdfReader, PdfWriter
from pypdf.generic import IndirectObject, NullObject

from bundler.core.anonymise.gate.verdicts import ImagesRead
from bundler.core.anonymise.sanitise.document import sanitise_pages
from bundler.core.anonymise.sanitise.images import ReadClean
from bundler.core.anonymise.sanitise.layers import drop_hidden_content, hidden_groups
from bundler.core.anonymise.terms import Target
from bundler.core.build.assemble import Placed
from bundler.core.build.chunks.store import FONT, NULL, OPENER, PARENT, Chunk, ChunkStore, serialise, stamp_slot
from bundler.core.build.navigation import source_outline
from bundler.core.errors import BundlerError, SourceError
from bundler.core.pdf.pagework import explicit_link_dests, new_font, new_stream, stamp_page
from bundler.core.pdf.stamp import Box
from bundler.core.progress import Progress, check_cancel

__all__ = ["clone_document", "finish_chunk", "make_chunks"]


def clone_document(reader: PdfReader, pages: list[int], rotation: int, page_rotations: dict[int, int]) -> PdfWriter:
    """The selected pages in a writer of their own, each turned as the bundle asks."""
    scratch = PdfWriter()
    explicit_link_dests(reader, pages)
    scratch.merge(None, reader, pages=pages, import_outline=False)
    drop_hidden_content(scratch, hidden_groups(reader, scratch))  # before the layers go
    for page, src in zip(scratch.pages, pages, strict=True):
        angle = (rotation + page_rotations.get(src, 0)) % 360
        if angle:
            page.rotate(angle)
    return scratch


def finish_chunk(
    scratch: PdfWriter,
    pages: list[int],
    inked: frozenset[int],
    outline_from: PdfReader,
    notes: list[str],
    name: str,
    targets: Sequence[Target] = (),
    read_clean: ReadClean | None = None,
) -> Chunk:
    """The chunk of a cloned document; ``inked`` source pages are shrunk to keep the stamp clear.
    ``notes`` (what opening it found) and what sanitising removed are kept with it, for the
    report of every build."""
    scratch._resolve_links()  # links between its own pages now point at the clones
    notes = notes + [f"{name}: {note}" for note in sanitise_pages(scratch, targets, read_clean)]
    font, opener = new_font(scratch), new_stream(scratch, b"q\n")
    slots = {
        scratch._pages.idnum: PARENT,
        font.idnum: FONT,
        opener.idnum: OPENER,
        scratch.root_object.indirect_reference.idnum: NULL,  # type: ignore[union-attr]
        scratch._info.indirect_reference.idnum: NULL,  # type: ignore[union-attr]
    }

    def stamp_slot_for(index: int) -> Callable[[Box, int], IndirectObject]:
        def closer(_box: Box, _turn: int) -> IndirectObject:  # the stamp stream is made per build
            ref = scratch._add_object(NullObject())
            slots[ref.idnum] = stamp_slot(index)
            return ref

        return closer

    geometry = [
        stamp_page(scratch, page, stamp_slot_for(index), (font, opener), src in inked)
        for index, (page, src) in enumerate(zip(scratch.pages, pages, strict=True))
    ]
    outline = source_outline(outline_from, pages) if outline_from.outline else []
    chunk = Chunk([], [], geometry, list(pages), sorted(inked & set(pages)), outline, scratch.pdf_header, notes)
    return serialise(scratch, [p.indirect_reference for p in scratch.pages], slots, chunk)  # type: ignore[misc]


@contextmanager
def _damage_named(name: str) -> Iterator[None]:
    """pypdf meets a damaged object only when it walks it: that names the file, never a traceback."""
    try:
        yield
    except (BundlerError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - any library failure on a source's objects is damage in it
        raise SourceError(
            Path(name),
            f"has a damaged part that cannot be copied ({exc.__class__.__name__})",
            "Re-save it (e.g. print it to a new PDF), add it again, then build",
        ) from exc


class Corners(Protocol):
    """The corner checks' answers, document by document (``corners.CornerChecks``)."""

    def done(self, doc_id: str) -> bool: ...

    def inked(self, doc_id: str) -> frozenset[int]: ...


_HELD_PAGES = 400  # cloned pages waiting for their corner answers before the merge waits too


def make_chunks(
    todo: list[Placed],
    store: ChunkStore,
    progress: Progress,
    corners: Corners,
    targets: Sequence[Target] = (),
    made: Callable[[Chunk], None] = lambda chunk: None,
) -> None:
    """Make and store the chunks of ``todo``: clone each while the corner checks run, and
    finish each (stamped, serialised, stored, let go) as soon as its corners are known, in
    order; once more than a few hundred cloned pages wait, wait for the oldest. Memory then
    holds a few documents' pages, not the bundle's. ``targets``: a public build's, so that
    links to a protected address go. ``made`` is told of each chunk once it is stored,
    before its bytes are let go (the leak gate's search starts on it then)."""
    progress.stage("Merging documents", sum(p.pages_hint or len(p.pages) for p in todo), "page")
    # image bytes the sanitiser reads clean need not be read again by the chunk's search
    read_clean = ImagesRead(store.folder.parent, targets).record if targets else None
    waiting: deque[tuple[Placed, PdfWriter]] = deque()
    for doc in todo:
        check_cancel(progress)
        if doc.reader is None and doc.opener is not None:
            doc.reader, doc.outline_reader, doc.pages = doc.opener()
        assert doc.reader is not None
        with _damage_named(doc.name):
            waiting.append((doc, clone_document(doc.reader, doc.pages, doc.rotation, doc.page_rotations)))
        progress.advance(len(doc.pages))
        while waiting and (corners.done(waiting[0][0].doc_id) or _held(waiting) > _HELD_PAGES):
            _finish(*waiting.popleft(), store, corners, targets, made, read_clean)
    while waiting:
        check_cancel(progress)
        _finish(*waiting.popleft(), store, corners, targets, made, read_clean)


def _held(waiting: deque[tuple[Placed, PdfWriter]]) -> int:
    return sum(len(doc.pages) for doc, _ in waiting)


def _finish(
    doc: Placed,
    scratch: PdfWriter,
    store: ChunkStore,
    corners: Corners,
    targets: Sequence[Target],
    made: Callable[[Chunk], None],
    read_clean: ReadClean | None = None,
) -> None:
    assert doc.reader is not None
    doc.inked = corners.inked(doc.doc_id)
    with _damage_named(doc.name):
        doc.chunk = finish_chunk(
            scratch,
            doc.pages,
            doc.inked,
            doc.outline_reader or doc.reader,
            doc.notes,
            doc.name,
            targets,
            read_clean,
        )
    doc.reader = doc.outline_reader = None  # parsed objects can go
    store.save(doc.key, doc.chunk)
    made(doc.chunk)
    doc.chunk.release()  # read back from the store when written: one chunk in memory at a time
