"""Placing each document: its stored chunk when an earlier build made one from the
same inputs, otherwise its opened PDF (and a key to store the chunk under).

The key names everything that shapes a chunk: the prepared PDF's content (and the
unredacted one its bookmarks come from), the page selection and turns, what the
corner check looked for, the versions of bundler and pypdf, and what the chunk was
sanitised against: the sanitiser's code and the protected terms (an image whose bytes
spell a term newly registered must be cleaned again, not taken from the store).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pypdf
from pypdf import PdfReader

from bundler import __version__
from bundler.core.anonymise.spread import page_count
from bundler.core.anonymise.terms import Target
from bundler.core.anonymise.versions import redactor_version
from bundler.core.build.assemble import Placed
from bundler.core.build.chunks.make import make_chunks
from bundler.core.build.chunks.store import Chunk, ChunkStore
from bundler.core.build.context import BuildContext
from bundler.core.build.corners import CornerChecks, widest_label
from bundler.core.convert.chain import Prepared
from bundler.core.fsutil import KnownHashes
from bundler.core.model import Bundle, Document
from bundler.core.pdf.sources import open_pdf, parse_page_selection
from bundler.core.pdf.stamp import StampStyle

__all__ = ["find_chunks", "place_documents", "ready_documents"]

_FORMAT = 3  # bump when what goes into a chunk changes (3: its digest is stored with it)


def _contents(docs: list[Document], paths: list[Path], base: Path, hashes: KnownHashes) -> dict[Path, str]:
    """The content hash of each path: a source's is known (``verify_sources``), the others'
    (converted, OCR'd, redacted copies in the cache) are hashed or known by ``hashes``."""
    known = {base / doc.path: doc.sha256 for doc in docs}
    todo = sorted({path for path in paths if path not in known})
    return known | dict(zip(todo, hashes.digests(todo), strict=True))


def _sanitised(targets: list[Target]) -> str:
    """What a chunk was sanitised against (``sanitise_pages``): the code and the terms."""
    terms = sorted((t.text, t.category) for t in targets)
    return hashlib.sha256(json.dumps([redactor_version(), terms]).encode()).hexdigest()


def _key(
    doc: Document,
    pdf: Path,
    outline: Path,
    contents: dict[Path, str],
    bundle: Bundle,
    style: StampStyle,
    sanitised: str,
) -> str:
    shape = [
        _FORMAT,
        __version__,
        pypdf.__version__,
        sanitised,
        contents[pdf],
        contents[outline] if outline != pdf else "",
        hashlib.sha256((doc.password or "").encode()).hexdigest(),
        doc.pages,
        doc.rotation % 360,
        sorted((int(p), a % 360) for p, a in doc.page_rotations.items()),
        widest_label(bundle),
        style.size,
        style.right,
        style.bottom,
        style.pad,
    ]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:40]


def _open(doc: Document, prepared: Prepared, unredacted: Prepared, key: str, notes: list[str]) -> Placed:
    """The document, to be opened and parsed when its chunk is made (``Placed.opener``)."""

    def opener() -> tuple[PdfReader, PdfReader | None, list[int]]:
        reader = open_pdf(prepared.pdf, doc.password, notes)
        pages = parse_page_selection(doc.pages, len(reader.pages), Path(doc.path).name)
        outline = open_pdf(unredacted.pdf, doc.password) if unredacted.pdf != prepared.pdf else None
        return reader, outline, pages

    return Placed(
        doc.id,
        None,
        [],
        doc.rotation % 360,
        {int(page) - 1: angle % 360 for page, angle in doc.page_rotations.items()},
        key=key,
        notes=notes,
        name=Path(doc.path).name,
        opener=opener,
        pages_hint=_pages_hint(doc, prepared),
    )


def _pages_hint(doc: Document, prepared: Prepared) -> int:
    """About how many pages ``doc`` brings (PDFium's count, cheap), for progress only."""
    count = page_count(prepared.pdf, doc.password)
    try:
        return len(parse_page_selection(doc.pages, count, Path(doc.path).name))
    except Exception:  # noqa: BLE001 - a selection the real count will judge when the PDF is parsed
        return count


def find_chunks(
    bundle: Bundle,
    base: Path,
    prepared: dict[str, Prepared],
    unredacted: dict[str, Prepared],
    store: ChunkStore,
    style: StampStyle,
    targets: list[Target],
    hashes: KnownHashes,
) -> dict[str, tuple[str, Chunk | None]]:
    """Each document's chunk key, and its stored chunk when an earlier build made one
    (``hashes``: what is known of the prepared files' hashes)."""
    found, sanitised = {}, _sanitised(targets)
    docs = [d for _, d in bundle.documents() if d.id in prepared]
    paths = [p[d.id].pdf for d in docs for p in (prepared, unredacted)]
    contents = _contents(docs, paths, base, hashes)
    for doc in docs:
        key = _key(doc, prepared[doc.id].pdf, unredacted[doc.id].pdf, contents, bundle, style, sanitised)
        found[doc.id] = (key, store.load(key))
    return found


def place_documents(
    bundle: Bundle,
    prepared: dict[str, Prepared],
    unredacted: dict[str, Prepared],
    found: dict[str, tuple[str, Chunk | None]],
) -> dict[str, Placed]:
    """Every document, in bundle order, ready for ``assemble``: only those without a stored
    chunk are opened and parsed, each when its chunk is made."""
    placed = {}
    for doc in (d for _, d in bundle.documents() if d.id in found):
        key, chunk = found[doc.id]
        placed[doc.id] = (
            _open(doc, prepared[doc.id], unredacted[doc.id], key, [])
            if chunk is None
            else Placed(doc.id, None, chunk.source_pages, inked=frozenset(chunk.inked), chunk=chunk, key=key)
        )
    return placed


def ready_documents(
    ctx: BuildContext,
    prepared: dict[str, Prepared],
    unredacted: dict[str, Prepared],
    store: ChunkStore,
    style: StampStyle,
    made: Callable[[Chunk], None] = lambda chunk: None,
) -> dict[str, Placed]:
    """The documents of ``prepared``, each with its chunk: found in the store, or parsed, cloned,
    checked for ink in the stamp corner (in other processes, while they are cloned) and stored;
    ``made`` is told of each new chunk once it is stored."""
    bundle, base, cache, progress = ctx.bundle, ctx.base, ctx.cache, ctx.progress
    if not prepared:
        return {}
    found = find_chunks(bundle, base, prepared, unredacted, store, style, ctx.targets, ctx.hashes)
    placed = place_documents(bundle, prepared, unredacted, found)  # PDFium, before the checks' thread runs it
    corners = CornerChecks(bundle, prepared, style, cache, {i for i, (_, chunk) in found.items() if chunk is None})
    try:
        make_chunks([p for p in placed.values() if p.chunk is None], store, progress, corners, ctx.targets, made)
    except BaseException:
        corners.abandon()
        raise
    corners.close()
    return placed
