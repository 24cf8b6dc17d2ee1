"""A document's finished PDF objects, serialised once and reused by every rebuild.

Parsing a source and cloning its pages with pypdf is most of a build's time, yet
the result depends only on the document (its prepared PDF, page selection, turns
and shrunk corners), not on where in the bundle it lands. So each document is
serialised with its references left as *slots*: a rebuild splices the bytes with
new object numbers and makes fresh only what depends on the position — the page
tree, the stamp streams and the navigation. The build stays a full rewrite.

Slots hold a local object index (>= 0) or one of the shared objects below.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, StreamObject

from bundler.core.anonymise.gate.vouched import chunk_digest
from bundler.core.errors import BuildError
from bundler.core.fsutil import atomic_output

__all__ = ["Chunk", "ChunkStore", "serialise", "PARENT", "FONT", "OPENER", "NULL", "stamp_slot", "slot_page"]

PARENT, FONT, OPENER, NULL = -1, -2, -3, -4
_STAMP = -100  # _STAMP - i: the stamp stream of the chunk's page i
_MAGIC = b"%bundler-chunk-3\n"  # 3: the description is checked (its sha256, with the key)
_LIMIT = 2 * 1024**3  # bytes of chunks kept; least recently used go first


def stamp_slot(page: int) -> int:
    return _STAMP - page


def slot_page(slot: int) -> int | None:
    """The page whose stamp ``slot`` names, or None for any other slot."""
    return _STAMP - slot if slot <= _STAMP else None


@dataclass
class Chunk:
    """Serialised objects: ``objects[i]`` = (start, end, [offset, slot, offset, slot, …])."""

    objects: list[tuple[int, int, list[int]]]
    pages: list[int]  # local object index of each page, in bundle order
    geometry: list[tuple[tuple[float, float, float, float], int]]  # each page's visible box and /Rotate
    source_pages: list[int]  # 0-based source page of each page
    inked: list[int]  # 0-based source pages that were shrunk to keep the stamp clear
    outline: list[tuple[int, str, int]]  # the source's bookmarks: depth, title, page (index in ``pages``)
    header: str = "%PDF-1.3"
    notes: list[str] = field(default_factory=list)
    blob: bytes | memoryview | None = None  # None until loaded, and again once written out
    path: Path | None = None
    # ``chunk_digest`` of the bytes when they were stored. Read back from the store it is only
    # a claim: the leak gate hashes the bytes it vouches for itself (``gate.vouched``)
    digest: str = ""
    stored_size: int = 0  # the length of the file it is stored in (0: not stored)
    head: bytes = b""  # that file's head (its magic and its description's length and check)

    def data(self) -> bytes | memoryview:
        if self.blob is None:
            assert self.path is not None
            try:
                self.blob = _blob(self.path, self.head, self.stored_size)
            except (OSError, ValueError) as exc:
                raise BuildError(
                    f"A stored document ({self.path.name}) vanished from the cache while the "
                    "bundle was being written, perhaps cleared by another bundler. Build again: "
                    "it will be made afresh."
                ) from exc
        return self.blob

    def release(self) -> None:
        if self.path is not None:  # it can be read back; otherwise keep it
            self.blob = None


class _Serialiser:
    def __init__(self, writer: PdfWriter, slots: dict[int, int]) -> None:
        self.writer, self.slots, self.out = writer, slots, io.BytesIO()
        self.local: dict[int, int] = {}
        self.queue: list[int] = []

    def slot(self, ref: IndirectObject) -> int:
        if ref.pdf is not self.writer:
            raise RuntimeError(f"a cloned page refers to an object outside its writer ({ref!r})")
        if ref.idnum in self.slots:
            return self.slots[ref.idnum]
        if self.writer._objects[ref.idnum - 1] is None:
            return NULL
        if ref.idnum not in self.local:
            self.local[ref.idnum] = len(self.local)
            self.queue.append(ref.idnum)
        return self.local[ref.idnum]

    def write(self, obj: Any, refs: list[int], start: int) -> None:
        out = self.out
        if isinstance(obj, IndirectObject):
            refs += (out.tell() - start, self.slot(obj))
        elif isinstance(obj, StreamObject):
            if isinstance(obj, ContentStream) and not obj._data:
                obj.get_data()
            self.dictionary(obj, refs, start, b"/Length %d\n" % len(obj._data))
            out.write(b"\nstream\n")
            out.write(obj._data)
            out.write(b"\nendstream")
        elif isinstance(obj, DictionaryObject):
            self.dictionary(obj, refs, start)
        elif isinstance(obj, ArrayObject):
            out.write(b"[")
            for item in obj:
                out.write(b" ")
                self.write(item, refs, start)
            out.write(b" ]")
        else:
            obj.write_to_stream(out)

    def dictionary(self, obj: DictionaryObject, refs: list[int], start: int, extra: bytes = b"") -> None:
        self.out.write(b"<<\n" + extra)
        for key, value in obj.items():
            if key == "/Length" and extra or len(key) > 2 and key[1] == "%" and key[-1] == "%":
                continue
            key.write_to_stream(self.out)
            self.out.write(b" ")
            self.write(value, refs, start)
            self.out.write(b"\n")
        self.out.write(b">>")

    def run(self, pages: list[IndirectObject]) -> tuple[list[int], list[tuple[int, int, list[int]]]]:
        order = [self.slot(page) for page in pages]
        objects: list[tuple[int, int, list[int]]] = []
        while len(objects) < len(self.queue):
            obj = self.writer._objects[self.queue[len(objects)] - 1]
            start, refs = self.out.tell(), list[int]()
            self.write(obj, refs, start)
            objects.append((start, self.out.tell(), refs))
        return order, objects


def serialise(writer: PdfWriter, pages: list[IndirectObject], slots: dict[int, int], chunk: Chunk) -> Chunk:
    """Fill ``chunk`` with every object reachable from ``pages``; ``slots`` maps object
    numbers of the shared objects (page tree, font, stamps …) to their slots."""
    serialiser = _Serialiser(writer, slots)
    chunk.pages, chunk.objects = serialiser.run(pages)
    chunk.blob = serialiser.out.getvalue()
    return chunk


def _meta(chunk: Chunk) -> dict[str, Any]:
    return {
        "objects": chunk.objects,
        "pages": chunk.pages,
        "geometry": chunk.geometry,
        "source_pages": chunk.source_pages,
        "inked": chunk.inked,
        "outline": chunk.outline,
        "header": chunk.header,
        "notes": chunk.notes,
        "digest": chunk.digest,
    }


_HEAD = len(_MAGIC) + 8 + 32  # the magic, the length of the JSON that follows, and its check
_SHARED = {PARENT, FONT, OPENER, NULL}
_TURNS = {0, 90, 180, 270}


def _check(key: str, text: bytes) -> bytes:
    """What a stored description is checked by: its bytes, bound to the key it is stored under
    (a chunk file copied under another document's key is not that document's)."""
    return hashlib.sha256(key.encode() + b"\n" + text).digest()


def _stored(key: str, meta: dict[str, Any], blob: bytes | memoryview) -> bytes:
    """The start of a chunk file: the magic, the description's length and check, the description."""
    text = json.dumps({**meta, "size": len(blob)}, separators=(",", ":")).encode()
    return b"".join((_MAGIC, len(text).to_bytes(8, "big"), _check(key, text), text))


def _read_meta(path: Path, key: str) -> tuple[dict[str, Any], bytes, int]:
    """A stored chunk's description, the file's head and the whole file's length, without
    reading its bytes. Raises ValueError when it is not one this build can use."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD)
        if len(head) != _HEAD or not head.startswith(_MAGIC):
            raise ValueError("not a chunk")
        size = int.from_bytes(head[len(_MAGIC) : len(_MAGIC) + 8], "big")
        text = fh.read(size)
        if len(text) != size or _check(key, text) != head[-32:]:
            raise ValueError("a changed chunk description")
        meta = json.loads(text)
        total = _HEAD + size + int(meta.pop("size"))
        if os.fstat(fh.fileno()).st_size != total:
            raise ValueError("a truncated chunk")
    _require_sound(meta, total - _HEAD - size)
    return meta, head, total


def _ints(values: Any, low: int, high: int) -> bool:
    return isinstance(values, list) and all(type(v) is int and low <= v < high for v in values)


def _require_sound(meta: dict[str, Any], size: int) -> None:
    """Raise ValueError unless the description fits together: every object within the bytes and
    its references within it, every slot one a rebuild can fill, each page's box and turn.
    Whatever it says, a chunk that passes cannot stop a build with an internal error."""
    objects, pages = meta["objects"], meta["pages"]
    if not isinstance(objects, list) or not _ints(pages, 0, len(objects)) or not pages:
        raise ValueError("no pages")
    if len(set(pages)) != len(pages):
        raise ValueError("a page twice")
    for start, end, refs in objects:  # references out of order would only garble the object: the gate reads it
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= size and type(refs) is list):
            raise ValueError("an object out of place")
        if len(refs) % 2:
            raise ValueError("a reference without its slot")
    if {type(v) for _, _, refs in objects for v in refs} - {int}:
        raise ValueError("a reference that is no number")
    others = {slot for _, _, refs in objects for slot in refs[1::2] if not 0 <= slot < len(objects)} - _SHARED
    if others and (max(others) > _STAMP or min(others) <= _STAMP - len(pages)):  # stamps of its pages only
        raise ValueError("an unknown slot")
    geometry, outline = meta["geometry"], meta["outline"]
    if not isinstance(geometry, list) or len(geometry) != len(pages):
        raise ValueError("a page without its box")
    for box, turn in geometry:
        if turn not in _TURNS or len(box) != 4 or not all(type(v) in (int, float) and math.isfinite(v) for v in box):
            raise ValueError("a page box")
    if not _ints(meta["source_pages"], 0, 1 << 31) or len(meta["source_pages"]) != len(pages):
        raise ValueError("source pages")
    if not _ints(meta["inked"], 0, 1 << 31) or not isinstance(outline, list):
        raise ValueError("inked pages or bookmarks")
    for depth, title, page in outline:
        if not (type(depth) is int and depth >= 0 and isinstance(title, str) and type(page) is int):
            raise ValueError("a bookmark")
        if not 0 <= page < len(pages):
            raise ValueError("a bookmark past the pages")
    header, notes = meta["header"], meta["notes"]
    if not (isinstance(header, str) and re.fullmatch(r"%PDF-\d\.\d", header)):
        raise ValueError("a header")
    if not (isinstance(notes, list) and all(isinstance(n, str) for n in notes) and isinstance(meta["digest"], str)):
        raise ValueError("notes")


def _blob(path: Path, head: bytes, total: int) -> memoryview:
    """A stored chunk's bytes, read when they are needed; ``head`` and ``total`` are the
    file's head and length when its description was read: a file changed since is refused."""
    data = path.read_bytes()
    if len(data) != total or not data.startswith(head):
        raise ValueError("a changed chunk")
    return memoryview(data)[_HEAD + int.from_bytes(head[len(_MAGIC) : len(_MAGIC) + 8], "big") :]


class ChunkStore:
    """Chunks on disk under the cache folder, named by everything that shaped them."""

    def __init__(self, cache: Path) -> None:
        self.folder = cache / "chunks"
        self.used: set[Path] = set()
        self.saved = 0  # chunks this build stored: only then can the store outgrow its limit

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.chunk"

    def load(self, key: str) -> Chunk | None:
        """The chunk, or None when it is not stored (or unreadable: then it is made again)."""
        path = self._path(key)
        try:  # only the description: the bytes are read when they are written out
            meta, head, total = _read_meta(path, key)
            os.utime(path)  # recently used: kept by ``prune``
            chunk = Chunk(
                **{
                    **meta,
                    "objects": [(start, end, refs) for start, end, refs in meta["objects"]],
                    "geometry": [(tuple(box), turn) for box, turn in meta["geometry"]],
                    "outline": [tuple(item) for item in meta["outline"]],
                }
            )
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        chunk.blob, chunk.path, chunk.head, chunk.stored_size = None, path, head, total
        self.used.add(path)
        return chunk

    def save(self, key: str, chunk: Chunk) -> None:
        """Store ``chunk``; a cache that cannot be written only costs the next build time."""
        assert chunk.blob is not None
        chunk.digest = chunk_digest(chunk.blob, chunk.objects, chunk.pages)
        head = _stored(key, _meta(chunk), chunk.blob)
        path = self._path(key)
        try:  # no fsync: a chunk cut short by a crash fails its length check and is made again
            with atomic_output(path, suffix=".part") as tmp, open(tmp, "wb") as fh:
                fh.write(head)
                fh.write(chunk.blob)
        except OSError:
            return
        chunk.path, chunk.head, chunk.stored_size = path, head[:_HEAD], len(head) + len(chunk.blob)
        self.used.add(path)
        self.saved += 1

    def prune(self, limit: int = _LIMIT) -> None:
        """Drop the least recently used chunks beyond ``limit`` bytes, never one this build used."""
        try:
            stored = sorted(
                ((s.st_mtime, s.st_size, p) for p in self.folder.glob("*.chunk") for s in [p.stat()]), reverse=True
            )
        except OSError:
            return
        total = 0
        for _, size, path in stored:
            total += size
            if total > limit and path not in self.used:
                path.unlink(missing_ok=True)
