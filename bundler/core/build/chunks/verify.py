"""Gate verdicts per chunk: each stored chunk searched once, on its own, by the full leak gate.

A chunk without a verdict (for its bytes, these targets, this gate, this stamp style) is
placed alone in a small PDF — its objects exactly as a bundle writes them, each page
stamped with a probe label (``PROBE``) — and that file goes through ``leak_scan`` like any
bundle: both text engines, every object and stream, the raw bytes; and every page's
probe must read back from its stamp box (``readback``). Only a clean result, read back
in full, is stored: it says the chunk's pages hold no target and do not spoil a stamp
drawn after them, so a rebuild need not read those pages with PDFium again (``gate``).
The bundle's own gate then reads again everything that is not a verified chunk, and checks each verified chunk's
objects byte for byte in the written file before its verdict counts (``gate.vouched``).
A chunk that is not clean simply has no verdict: the bundle's gate reads it in full,
finds what is there and refuses the bundle, naming the page. A first build searches
its chunks in one process per core; each worker reads the chunk from the store and
reports the hash of the very bytes it searched, which is what the verdict names.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import cache
from pathlib import Path

from pypdf import PdfWriter

from bundler import __version__
from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.gate.joins import never_joins
from bundler.core.anonymise.gate.verdicts import ImagesRead, VerdictStore
from bundler.core.anonymise.gate.vouched import chunk_digest
from bundler.core.anonymise.terms import Target
from bundler.core.anonymise.versions import code_version
from bundler.core.build import readback
from bundler.core.build.chunks import splice
from bundler.core.build.chunks.splice import attach
from bundler.core.build.chunks.store import Chunk, ChunkStore
from bundler.core.build.readback import PROBE, Expected, StampReadback
from bundler.core.children import collect_for_one_job, stop_pool, wait_any
from bundler.core.pdf import pagework, stamp
from bundler.core.pdf.pagework import new_font, new_stream
from bundler.core.pdf.stamp import StampStyle
from bundler.core.progress import Progress, check_cancel

__all__ = ["ChunkSearch", "verdict_store"]

_POOL_FROM_PAGES = 200  # below this, starting processes costs more than it saves
_MAX_WORKERS = 4


@cache
def _maker() -> str:
    """This module's, the splicer's, the stamp's and the read-back's source, and bundler's
    version: how a chunk is laid out and stamped for its search."""
    sources = (__file__, splice.__file__, pagework.__file__, stamp.__file__, readback.__file__)
    code = code_version(*(Path(s) for s in sources))  # a frozen app has no .py files
    return hashlib.sha256(f"{__version__}\x00{code}".encode()).hexdigest()[:16]


def verdict_store(cache_dir: Path, style: StampStyle | None = None) -> VerdictStore:
    """The verdicts kept beside the chunks of ``cache_dir``, for stamps drawn in ``style``
    (a verdict says the stamp read back: another size or place is another verdict)."""
    style = style or StampStyle()
    return VerdictStore(cache_dir / "verdicts", hashlib.sha256(f"{_maker()}\x00{style!r}".encode()).hexdigest()[:16])


def _alone(chunk: Chunk, style: StampStyle, pdf: Path) -> None:
    """``chunk`` written as a PDF of its own, laid out as in a bundle, each stamp the probe."""
    writer = PdfWriter()
    attach(writer, chunk, [PROBE] * len(chunk.pages), style, new_font(writer), new_stream(writer, b"q\n"))
    with open(pdf, "wb") as fh:
        writer.write(fh)


def _searched(chunk: Chunk, targets: Sequence[Target], style: StampStyle, work: Path, cache: Path) -> bool:
    """Whether ``chunk``, written alone, passes the full leak gate and reads back every stamp
    (image bytes the sanitiser read clean, ``ImagesRead`` in ``cache``, are not read again)."""
    pdf = work / f"chunk-verdict-{os.getpid()}-{uuid.uuid4().hex}.pdf"
    try:
        _alone(chunk, style, pdf)
        readback = StampReadback([Expected(box, rotate, PROBE) for box, rotate in chunk.geometry], style)
        images = ImagesRead(cache, targets)
        # the probe, drawn last, is no reason to read a page in reading order if it can join no target
        apart = PROBE if never_joins(PROBE, targets) else None
        leaks = leak_scan(pdf, list(targets), file_name="", on_page=readback.page, read_clean=images, last_apart=apart)
        return not leaks and not readback.unreadable(pdf)
    finally:
        pdf.unlink(missing_ok=True)


def _search_stored(path: str, targets: list[Target], style: StampStyle, work: str) -> tuple[str, bool]:
    """In a worker: (sha256, clean?) of the chunk stored at ``path``, read and hashed here."""
    cache = Path(path).parent.parent
    chunk = ChunkStore(cache).load(Path(path).stem)
    if chunk is None:
        return "", False
    blob = bytes(chunk.data())
    clean = _searched(dataclasses.replace(chunk, blob=blob, path=None), targets, style, Path(work), cache)
    return chunk_digest(blob, chunk.objects, chunk.pages), clean


def _unverified(
    chunks: list[Chunk], targets: Sequence[Target], store: VerdictStore, clean: set[int] | None = None
) -> list[Chunk]:
    """The chunks without a verdict; ``clean`` gains the ``id`` of the others.

    With targets the digest the store kept with the chunk is taken at its word: a chunk
    whose bytes no longer give it goes unsearched here, and the bundle's gate, which
    hashes what it vouches for itself, finds no verdict for it and reads it in full. A
    plain build trusts a verdict to spare its stamps' read-back, so it hashes the bytes."""
    todo = []
    for chunk in chunks:
        if targets and chunk.digest:
            digest = chunk.digest
        else:
            digest = chunk_digest(chunk.data(), chunk.objects, chunk.pages)
            chunk.release()
        if not store.is_clean(digest, targets):
            todo.append(chunk)
        elif clean is not None:
            clean.add(id(chunk))
    return todo


def _workers() -> int:
    return min(os.cpu_count() or 1, _MAX_WORKERS)


class ChunkSearch:
    """Chunks searched as the build stores them, in one process per core, while it goes on
    merging; ``finish`` searches the rest and records every clean verdict.

    A chunk handed to ``made`` (stored, its bytes still in memory) without a verdict is
    queued; once the queue holds enough pages to be worth starting processes for, the pool
    starts and every queued chunk goes to it, and later ones go at once. What never reached
    the pool (a small build, a chunk not stored, a stored chunk found without a verdict) is
    searched by ``finish``: in the pool if there is one, or big enough, else here. Leaving
    the ``with`` block by an error or a cancel kills the workers mid-search."""

    def __init__(
        self, targets: Sequence[Target], store: VerdictStore, style: StampStyle, work: Path, progress: Progress
    ) -> None:
        self._targets, self._store, self._style = list(targets), store, style
        self._work, self._progress = work, progress
        self._pool: ProcessPoolExecutor | None = None
        self._queued: list[Chunk] = []
        self._futures: dict[Future[tuple[str, bool]], Chunk] = {}
        self._clean: set[int] = set()  # ``id`` of the chunks known to have their verdict

    def __enter__(self) -> ChunkSearch:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self._pool is None:
            return
        if kind is not None or self._progress.cancelled():
            stop_pool(self._pool)  # a worker mid-search must not finish
        else:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def made(self, chunk: Chunk) -> None:
        """``chunk`` was just stored: search it now, or queue it, unless it has its verdict."""
        if chunk.path is None or chunk.blob is None:
            return  # ``finish`` searches it
        # hashed by ``ChunkStore.save`` from these very bytes, in this process
        if self._store.is_clean(chunk.digest or chunk_digest(chunk.blob, chunk.objects, chunk.pages), self._targets):
            self._clean.add(id(chunk))
            return
        self._queued.append(chunk)
        if self._pool is not None or sum(len(c.pages) for c in self._queued) >= _POOL_FROM_PAGES:
            self._send()

    def _send(self) -> None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=_workers(), mp_context=multiprocessing.get_context("spawn"), initializer=collect_for_one_job
            )
        for chunk in self._queued:
            future = self._pool.submit(_search_stored, str(chunk.path), self._targets, self._style, str(self._work))
            self._futures[future] = chunk
        self._queued.clear()

    def finish(self, chunks: list[Chunk]) -> None:
        """Give each of ``chunks`` without a verdict one if it is clean; wait for every search."""
        sent = {id(c) for c in self._futures.values()} | {id(c) for c in self._queued}
        rest = [c for c in chunks if id(c) not in sent and id(c) not in self._clean]
        todo = _unverified(rest, self._targets, self._store, self._clean) + self._queued
        self._queued = []
        if not todo and not self._futures:
            return  # a rebuild: every chunk has its verdict
        pending_pages = sum(len(c.pages) for c in todo) + sum(len(c.pages) for c in self._futures.values())
        stage = "Leak gate: searching each new document once" if self._targets else "Checking the page numbers"
        self._progress.stage(stage, pending_pages)
        stored = [c for c in todo if c.path is not None]
        pooled = self._pool is not None or sum(len(c.pages) for c in stored) >= _POOL_FROM_PAGES
        pooled = pooled and (self._pool is not None or min(_workers(), len(stored)) > 1)
        if pooled:
            self._queued = stored
            self._send()
        for chunk in (c for c in todo if not pooled or c.path is None):
            check_cancel(self._progress)
            blob = bytes(chunk.data())
            alone = dataclasses.replace(chunk, blob=blob, path=None)
            if _searched(alone, self._targets, self._style, self._work, self._store.folder.parent):
                self._store.record_clean(chunk_digest(blob, chunk.objects, chunk.pages), self._targets)
                self._clean.add(id(chunk))
            chunk.release()
            self._progress.advance(len(chunk.pages))
        self._wait()

    def verified(self, chunk: Chunk) -> bool:
        """Whether ``chunk`` has its verdict (asked after ``finish``): searched alone with
        the probe stamped on each page, it held no target and every probe read back."""
        return id(chunk) in self._clean

    def _wait(self) -> None:
        pending = set(self._futures)
        while pending:
            done = wait_any(pending, self._progress.cancelled)
            check_cancel(self._progress)  # leaving the ``with`` kills the workers mid-search
            for future in done:
                pending.discard(future)
                if _record(future, self._targets, self._store):
                    self._clean.add(id(self._futures[future]))
                self._progress.advance(len(self._futures[future].pages))
        self._futures.clear()


def _record(future: Future[tuple[str, bool]], targets: list[Target], store: VerdictStore) -> bool:
    """Store a worker's clean verdict; a search that failed leaves none (read in full later)."""
    try:
        digest, clean = future.result()
    except Exception:  # noqa: BLE001 - no verdict: the bundle's gate reads the chunk in full
        digest, clean = "", False
    if clean and digest:
        store.record_clean(digest, targets)
    return bool(clean and digest)
