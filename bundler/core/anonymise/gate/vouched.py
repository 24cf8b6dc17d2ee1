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
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader

from bundler.core.anonymise.gate.found import get
from bundler.core.anonymise.gate.verdicts import VerdictStore
from bundler.core.anonymise.terms import Target

__all__ = ["Run", "Claims", "Vouched", "vouched", "chunk_digest"]

_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def chunk_digest(blob: bytes, objects: Sequence[tuple[int, int, Sequence[int]]], pages: Sequence[int]) -> str:
    """What a verdict names: a chunk's bytes together with how they are cut into objects and pages."""
    table = json.dumps([[start, end, list(refs)] for start, end, refs in objects] + [list(pages)]).encode()
    return hashlib.sha256(len(table).to_bytes(8, "big") + table + blob).hexdigest()


def _refs_before_streams(blob: bytes, objects: Sequence[tuple[int, int, Sequence[int]]]) -> bool:
    """Whether every reference sits before its object's stream data (where the serialiser puts
    them): numbers spliced into a stream's bytes would change what the verdict read."""
    for start, end, refs in objects:
        data = blob.find(b"\nstream\n", start, end)
        if data >= 0 and any(start + offset > data for offset in refs[0::2]):
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

    def render(self, blob: bytes, index: int) -> bytes:
        """Object ``index`` as the writer writes it into the file."""
        start, end, refs = self.objects[index]
        parts, pos = [b"%d 0 obj\n" % (self.base + index)], start
        for k in range(0, len(refs), 2):
            number = self.base + refs[k + 1] if refs[k + 1] >= 0 else self.outside(refs[k + 1])
            parts += (blob[pos : start + refs[k]], b"null" if number is None else b"%d 0 R" % number)
            pos = start + refs[k]
        return b"".join((*parts, blob[pos:end], b"\nendobj"))


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


def _in_place(reader: PdfReader, data: bytes, run: Run, blob: bytes, index: int) -> bool:
    number = run.base + index
    offsets = [table[number] for table in reader.xref.values() if number in table]
    if number in reader.xref_objStm or offsets != [reader.xref.get(0, {}).get(number)]:
        return False
    expected = run.render(blob, index)
    return data[offsets[0] : offsets[0] + len(expected)] == expected


def _inherits(page: Any) -> bool:
    """Whether the page takes anything from its page tree (which the chunk's verdict never saw)."""
    node, seen = page.get("/Parent"), 0
    while node is not None and seen < 64:
        node, seen = node.get_object(), seen + 1
        if any(get(node, key) is not None for key in _INHERITED):
            return True
        node = node.get("/Parent")
    return node is not None


def _pages(reader: PdfReader, run: Run, numbers: dict[int, int]) -> set[int] | None:
    pages = {numbers.get(run.base + local) for local in run.pages}
    if None in pages or any(_inherits(reader.pages[n - 1]) for n in pages if n is not None):
        return None
    return {n for n in pages if n is not None}


def _run_vouched(
    reader: PdfReader, data: bytes, run: Run, clean: Callable[[str], bool], numbers: dict[int, int]
) -> Vouched:
    blob = bytes(run.data())
    if not clean(chunk_digest(blob, run.objects, run.pages)) or not _refs_before_streams(blob, run.objects):
        return Vouched()
    if not all(_in_place(reader, data, run, blob, index) for index in range(len(run.objects))):
        return Vouched()
    pages = _pages(reader, run, numbers)
    if pages is None:
        return Vouched()
    return Vouched(set(range(run.base, run.base + len(run.objects))), pages)


def vouched(reader: PdfReader, data: bytes, claims: Claims | None, targets: Sequence[Target]) -> Vouched:
    """What the claimed runs' verdicts (on ``targets``, the gate's own) stand in for in this file;
    nothing when in any doubt."""
    found = Vouched()
    if claims is None or reader.is_encrypted:
        return found
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1) if page.indirect_reference}
    for run in claims.runs:
        try:
            one = _run_vouched(reader, data, run, lambda digest: claims.store.is_clean(digest, targets), numbers)
        except Exception:  # noqa: BLE001 - a claim that cannot be checked vouches for nothing
            continue
        found.objects |= one.objects
        found.pages |= one.pages
    return found
