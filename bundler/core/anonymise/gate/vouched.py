"""What a stored verdict may stand in for in a finished file: only bytes proven to be there.

The build claims that a stored chunk's objects sit in the file from object ``base``
on (a ``Run``). The gate believes none of it on trust: it hashes the chunk's bytes
itself, with the table that cuts them into objects and pages (``chunk_digest``), and
asks the verdict store about that hash; it then rebuilds each object as
the writer lays it out (``N 0 obj``, the chunk's bytes with this file's object
numbers spliced in, ``endobj``) and compares it with the file's own bytes at the
offset the cross-reference gives — the offset every reader of the file uses. Only
objects that match, every one of a run, are vouched for; a run with any doubt (no
verdict, a byte out of place, an object also in an object stream, an encrypted
file, a page inheriting from its page tree) is read in full like everything else.

A vouched page is one whose page object is vouched for: the gate then skips its
pypdf text and its font doubts (both were read on the chunk by the same code),
but PDFium still reads every page of the file in full, stamps included.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from pypdf import PdfReader

from bundler.core.anonymise.gate.pagetree import PageTree, page_tree
from bundler.core.anonymise.gate.verdicts import VerdictStore
from bundler.core.anonymise.terms import Target

__all__ = ["Run", "Claims", "Vouched", "vouched", "chunk_digest"]


def chunk_digest(
    blob: bytes | memoryview, objects: Sequence[tuple[int, int, Sequence[int]]], pages: Sequence[int]
) -> str:
    """What a verdict names: a chunk's bytes together with how they are cut into objects and pages.

    The table is written as 64-bit big-endian integers, each object as its start, end, number
    of reference entries and those entries, then -1, the number of pages and the pages: one
    table gives one sequence and one sequence one table. (Hashed in parts, as one string:
    the chunk's bytes are not copied.)"""
    table = array("q")
    for start, end, refs in objects:
        table.extend((start, end, len(refs)))
        table.extend(refs)
    table.extend((-1, len(pages)))
    table.extend(pages)
    if sys.byteorder == "little":
        table.byteswap()
    packed = table.tobytes()
    digest = hashlib.sha256(b"chunk-table-2" + len(packed).to_bytes(8, "big") + packed)
    digest.update(blob)
    return digest.hexdigest()


_STREAM = b"\nstream\n"


def _refs_before_streams(blob: bytes | memoryview, objects: Sequence[tuple[int, int, Sequence[int]]]) -> bool:
    """Whether every reference sits before its object's stream data (where the serialiser puts
    them): numbers spliced into a stream's bytes would change what the verdict read. (Only the
    bytes up to an object's last reference are looked at: a stream that starts there or later
    has every reference before it.)"""
    for start, end, refs in objects:
        if refs:
            last = start + max(refs[0::2])
            if bytes(blob[start : min(end, last + len(_STREAM) - 1)]).find(_STREAM) >= 0:
                return False
    return True


@dataclass(frozen=True)
class Run:
    """A build's claim: the stored chunk read by ``data`` is in the file from object ``base`` on."""

    data: Callable[[], bytes | memoryview]  # the chunk's stored bytes
    objects: Sequence[tuple[int, int, Sequence[int]]]  # per object: start, end, [offset, slot, …]
    base: int  # object number of the chunk's object 0
    outside: Callable[[int], int | None]  # the number a shared slot (< 0) was given; None: null
    pages: Sequence[int]  # the chunk's page objects (local indices)

    def ends(self, data: bytes, at: int, blob: bytes | memoryview, index: int) -> int | None:
        """Where object ``index`` ends in ``data`` if it is there from ``at`` exactly as the writer
        writes it (``N 0 obj``, the chunk's bytes with this file's numbers spliced in, ``endobj``);
        else None. Compared piece by piece, nothing joined: ``blob`` is best a memoryview."""
        if at < 0:  # ``startswith`` would count it from the end
            return None
        start, end, refs = self.objects[index]
        pieces: list[bytes | memoryview] = [b"%d 0 obj\n" % (self.base + index)]
        pos = start
        for k in range(0, len(refs), 2):
            number = self.base + refs[k + 1] if refs[k + 1] >= 0 else self.outside(refs[k + 1])
            pieces += (blob[pos : start + refs[k]], b"null" if number is None else b"%d 0 R" % number)
            pos = start + refs[k]
        pieces += (blob[pos:end], b"\nendobj")
        here = at
        for piece in pieces:
            if not data.startswith(piece, here):
                return None
            here += len(piece)
        return here


@dataclass(frozen=True)
class Claims:
    """The runs a build claims, and where their verdicts are kept."""

    store: VerdictStore
    runs: list[Run]


@dataclass
class Vouched:
    """Object numbers and 1-based pages a verdict stands in for."""

    objects: set[int] = field(default_factory=set)
    pages: set[int] = field(default_factory=set)
    outside: dict[int, set[int]] = field(default_factory=dict)  # per page: objects outside its chunk
    spans: dict[int, int] = field(default_factory=dict)  # each vouched object's bytes: start -> end


def _single_offsets(reader: PdfReader) -> dict[int, int]:
    """Where each object listed once in the cross-reference, at generation 0 and not in an object
    stream, starts: only such an object can be a chunk's (made once for the whole file)."""
    offsets = dict(reader.xref.get(0, {}))
    for generation, table in reader.xref.items():
        if generation != 0:
            for number in table:
                offsets.pop(number, None)
    for number in reader.xref_objStm:
        offsets.pop(number, None)
    return offsets


def _hashed(run: Run) -> tuple[bytes | memoryview, str]:
    """The run's chunk bytes, read once, and their ``chunk_digest``: what is hashed is what is
    compared. A plain view of bytes (which cannot change) is used as it is; anything else is copied."""
    data = run.data()
    plain = isinstance(data, memoryview) and type(data.obj) is bytes and data.c_contiguous and data.format == "B"
    blob = data if plain else bytes(data)
    return blob, chunk_digest(blob, run.objects, run.pages)


def _run_objects(
    offsets: dict[int, int],
    data: bytes,
    run: Run,
    hashed: tuple[bytes | memoryview, str],
    clean: Callable[[str], bool],
) -> dict[int, int] | None:
    """Where each object of ``run`` sits (start -> end), if every one is the verified chunk's,
    byte for byte, where the file says (``offsets``: ``_single_offsets``); else None.
    ``hashed``: ``_hashed(run)``."""
    blob, digest = hashed
    if not clean(digest) or not _refs_before_streams(blob, run.objects):
        return None
    spans, view = {}, memoryview(blob)  # slices of a view are not copies
    for index in range(len(run.objects)):
        start = offsets.get(run.base + index)
        end = None if start is None else run.ends(data, start, view, index)
        if start is None or end is None:
            return None
        spans[start] = end
    return spans


def _pages(tree: PageTree, numbers: dict[int, int], run: Run) -> set[int] | None:
    """The run's page numbers, or None when a page is not in the tree or takes anything from it
    (which the chunk's verdict never saw)."""
    pages = {numbers.get(run.base + local) for local in run.pages}
    if None in pages or any(tree.inherits(n) for n in pages if n is not None):
        return None
    return {n for n in pages if n is not None}


def _outside(run: Run) -> list[set[int]]:
    """Per page of the run, the objects outside the chunk it may draw: those its page object
    refers to, and those any of the run's other objects refer to."""
    pages = set(run.pages)
    shared = {slot for index, (_, _, refs) in enumerate(run.objects) if index not in pages for slot in refs[1::2]}
    slots = [shared | set(run.objects[local][2][1::2]) for local in run.pages]
    return [{n for slot in page if slot < 0 and (n := run.outside(slot)) is not None} for page in slots]


_AHEAD_BYTES = 96 << 20  # chunk bytes read and hashed ahead of the comparison, at most (one chunk at least)


def _size(run: Run) -> int:
    return max((end for _, end, _ in run.objects), default=0)


def _ahead(runs: Sequence[Run]) -> Iterator[tuple[Run, Future[tuple[bytes | memoryview, str]]]]:
    """Each run with its ``_hashed`` bytes, later runs read and hashed in two threads while this
    one is compared (reading and hashing let go of the interpreter): as many as fit in
    ``_AHEAD_BYTES``, so the comparison seldom waits and memory stays bounded."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque[tuple[Run, Future[tuple[bytes | memoryview, str]], int]] = deque()
        held, following = 0, iter(runs)
        upcoming = next(following, None)
        while pending or upcoming is not None:
            while upcoming is not None and (not pending or held + _size(upcoming) <= _AHEAD_BYTES):
                size = _size(upcoming)
                pending.append((upcoming, pool.submit(_hashed, upcoming), size))
                held += size
                upcoming = next(following, None)
            run, future, size = pending.popleft()
            yield run, future
            held -= size


def vouched(
    reader: PdfReader, data: bytes, claims: Claims | None, targets: Sequence[Target]
) -> tuple[Vouched, PageTree]:
    """What the claimed runs' verdicts (on ``targets``, the gate's own) stand in for in this file,
    nothing when in any doubt; and the file's pages, listed without reading the vouched ones."""
    found = Vouched()
    runs = []
    if claims is not None and not reader.is_encrypted:
        offsets = _single_offsets(reader)
        for run, hashed in _ahead(claims.runs):
            try:
                spans = _run_objects(
                    offsets, data, run, hashed.result(), lambda digest: claims.store.is_clean(digest, targets)
                )
            except Exception:  # noqa: BLE001 - a claim that cannot be checked vouches for nothing
                continue
            if spans is not None:
                runs.append((run, spans))
    tree = page_tree(reader, {run.base + local for run, _ in runs for local in run.pages})
    numbers = tree.numbers
    for run, spans in runs:
        pages = _pages(tree, numbers, run)
        if pages is None:
            continue
        found.objects |= set(range(run.base, run.base + len(run.objects)))
        found.pages |= pages
        found.spans |= spans
        for local, outside in zip(run.pages, _outside(run), strict=True):
            found.outside[numbers[run.base + local]] = outside
    return found, tree
