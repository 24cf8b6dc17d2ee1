"""Detection over many documents: each read once, in one process per core, and kept.

A document whose detection is stored (``detected.py``) for its bytes, these targets and
this detector is not read at all. The others are read and matched in worker processes
(spawned, so a frozen app starts itself: ``packaging/`` calls ``freeze_support``), the
biggest first; a small job stays in this process, where starting workers would cost
more than it saves. A worker reads the file into memory once and reports the sha256 of
the very bytes it read, which is what the stored result names. Anything a worker cannot
do (a damaged file, a wrong password) is done again here, so the user gets the same
one-line message as without workers.

A PDF source not yet proven sound (``chain.source_pdf``: pypdf parses it whole, and qpdf
repairs what pypdf cannot read) is proven where it is read, in the workers, instead of
one by one before they start; its repair, when it needs one, is what is then read.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from bundler.core.anonymise.detect import Hit, detect_text, page_texts, pdfium_texts
from bundler.core.anonymise.detected import DetectedStore, Found
from bundler.core.anonymise.terms import Target, targets_from_register
from bundler.core.children import collect_for_one_job
from bundler.core.convert.chain import SourceJob, source_pdf
from bundler.core.fsutil import sha256_file
from bundler.core.model import Register
from bundler.core.progress import NullProgress, Progress, check_cancel

__all__ = ["detect_documents", "detect_one"]

Item = tuple[str, str, Path]  # document id, title, PDF
Unproven = dict[str, SourceJob]  # by document id: PDF sources to prove sound before reading
Keep = Callable[[int, Found], None]  # takes each document's result (by its place in the items)
_POOL_FROM_BYTES = 4_000_000  # below this, starting processes costs more than it saves
_MAX_WORKERS = 4


def _needs_password(data: bytes) -> bool:
    """Whether the file opens only with a password (a stored result must then not open it without)."""
    try:
        pdfium.PdfDocument(data).close()
        return False
    except pdfium.PdfiumError:
        return True


def detect_one(document_id: str, title: str, path: Path, password: str | None, targets: list[Target]) -> Found:
    """One document read and matched; its digest is empty when pypdf had to read it
    (such a result is not stored: it was not read from the bytes the digest names)."""
    data = path.read_bytes()
    try:
        pages, digest = pdfium_texts(data, password), hashlib.sha256(data).hexdigest()
    except pdfium.PdfiumError:
        pages, digest = page_texts(path, password), ""  # pypdf reads it, or names the problem
    encrypted = password is not None and bool(digest) and _needs_password(data)
    return Found(digest, detect_text(document_id, title, pages, targets), encrypted)


def _proven_one(
    item: Item, password: str | None, targets: list[Target], job: SourceJob | None, cache: Path | None
) -> Found:
    """``detect_one``, after proving an unproven source sound (``job``): its repair is read if it needs one."""
    document_id, title, path = item
    if job is not None and cache is not None:
        path = source_pdf(job, job.password, cache, []).pdf
    return detect_one(document_id, title, path, password, targets)


def _in_worker(
    item: Item, password: str | None, targets: list[Target], job: SourceJob | None, cache: Path | None
) -> Found | None:
    """``_proven_one`` in a worker; None when it failed (done again in the parent, which says why)."""
    try:
        return _proven_one(item, password, targets, job, cache)
    except Exception:  # noqa: BLE001 - our exceptions do not cross the process boundary well
        return None


def _opens(path: Path, password: str | None) -> bool:
    try:
        pdfium.PdfDocument(path, password=password).close()
        return True
    except pdfium.PdfiumError:
        return False


def _stored(store: DetectedStore, item: Item, password: str | None, targets: list[Target]) -> Found | None:
    document_id, title, path = item
    found = store.load(sha256_file(path), document_id, title, targets)
    if found is not None and found.encrypted and not _opens(path, password):
        return None  # read it again: without its password that fails as a fresh detect does
    return found


def _workers(todo: dict[int, Item]) -> int:
    """Processes to read with: one per core for a big enough job, none for a small one."""
    if len(todo) < 2 or sum(path.stat().st_size for _, _, path in todo.values()) < _POOL_FROM_BYTES:
        return 0
    return min(os.cpu_count() or 1, len(todo), _MAX_WORKERS)


def _result(future: Future[Found | None]) -> Found | None:
    try:
        return future.result()
    except Exception:  # noqa: BLE001 - a worker that died (a crash in a PDF library): done again here
        return None


@dataclass(frozen=True)
class _Reading:
    """What every document's reading shares: the passwords, targets and sources still to prove."""

    passwords: Callable[[Path], str | None]
    targets: list[Target]
    unproven: Unproven
    cache: Path | None

    def args(self, item: Item) -> tuple[Item, str | None, list[Target], SourceJob | None, Path | None]:
        return item, self.passwords(item[2]), self.targets, self.unproven.get(item[0]), self.cache


def _pooled(todo: dict[int, Item], reading: _Reading, progress: Progress, keep: Keep) -> None:
    """Each document detected in a worker, the biggest first; a failed one again here."""
    pool = ProcessPoolExecutor(
        max_workers=_workers(todo), mp_context=multiprocessing.get_context("spawn"), initializer=collect_for_one_job
    )
    try:
        biggest = sorted(todo, key=lambda n: -todo[n][2].stat().st_size)
        futures = {pool.submit(_in_worker, *reading.args(todo[n])): n for n in biggest}
        for future in as_completed(futures):
            check_cancel(progress)
            n = futures[future]
            keep(n, _result(future) or _proven_one(*reading.args(todo[n])))
            progress.advance()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _detected(todo: dict[int, Item], reading: _Reading, progress: Progress, keep: Keep) -> None:
    """Each document of ``todo`` read and matched, in workers when it is worth it; ``keep`` gets each result."""
    if _workers(todo) > 1:
        _pooled(todo, reading, progress, keep)
        return
    for n, item in todo.items():
        check_cancel(progress)
        keep(n, _proven_one(*reading.args(item)))
        progress.advance()


def detect_documents(
    items: list[Item],
    register: Register,
    *,
    password_for: Callable[[Path], str | None] = lambda path: None,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    unproven: Unproven | None = None,
) -> list[Hit]:
    """Hits in each (document id, title, PDF), in order — DOCX callers pass the converted PDF.

    With ``cache_dir``, each document's result is kept there and reused while its bytes,
    the register's targets and the detector are unchanged. Rejected hits are returned too;
    ``Register.rejected_hits`` tells the caller which. A document in ``unproven`` (only with
    ``cache_dir``: its proof and repair are kept there) is given as its source PDF, and
    ``chain.source_pdf`` proves it sound before it is read.
    """
    unproven = unproven if unproven is not None and cache_dir is not None else {}
    progress = progress or NullProgress()
    targets = targets_from_register(register)
    store = DetectedStore(cache_dir) if cache_dir is not None else None
    progress.stage("Finding names and identifiers", len(items), "document")
    found: dict[int, Found] = {}
    readable = store is not None and store.readable()  # an empty cache: the sources need not be hashed here
    for n, item in enumerate(items):
        check_cancel(progress)
        # what an unproven source will read is not known yet: it is read, not looked up
        known = readable and item[0] not in unproven
        stored = _stored(store, item, password_for(item[2]), targets) if store is not None and known else None
        if stored is not None:
            found[n] = stored
            progress.advance()

    def keep(n: int, result: Found) -> None:  # stored as each one is done: a cancelled run keeps them
        found[n] = result
        if store is not None and result.digest:
            store.save(items[n][0], items[n][1], targets, result)

    reading = _Reading(password_for, targets, unproven, cache_dir)
    _detected({n: item for n, item in enumerate(items) if n not in found}, reading, progress, keep)
    return [hit for n in range(len(items)) for hit in found[n].hits]
