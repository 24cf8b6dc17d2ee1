"""The corner-check stage: which pages have ink where their number will go.

It starts as soon as every source is a PDF and runs while the sources are
opened and cloned. A large bundle is checked in separate processes, one per core
(up to four), a document at a time in the bundle's order: on a thread the checks ran 2x
slower, fighting pypdf's pure-Python merge for the GIL, and a process also keeps
pdfium (never to be entered by two threads) out of this one. Small bundles use a
thread, as a process costs more to start than the checks. Only documents without
a stored chunk are checked at all.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from bundler.core.children import collect_for_one_job, stop_pool
from bundler.core.convert.chain import Prepared
from bundler.core.errors import SourceError
from bundler.core.model import Bundle
from bundler.core.pdf.occupancy import CornerJob, cached_inked_pages, inked_pages
from bundler.core.pdf.stamp import StampStyle

__all__ = ["CornerChecks"]

_WIDEST_NUMBER = "88888"  # the widest stamp up to 99,999 pages: answers do not depend on the number
_PROCESS_FROM_BYTES = 20_000_000  # below this, a thread is quicker than starting a process
_MAX_WORKERS = 4  # processes; once the merge is done they have every core to themselves


def widest_label(bundle: Bundle) -> str:
    return bundle.options.page_prefix + _WIDEST_NUMBER


def _run(jobs: dict[str, CornerJob], cache: str) -> dict[str, list[int] | str]:
    """Each document's inked pages, or why PDFium could not read it (a plain string: it
    crosses the process boundary, where our exceptions do not travel well)."""
    return {doc_id: _inked_or_why(job, Path(cache)) for doc_id, job in jobs.items()}


def _inked_or_why(job: CornerJob, cache: Path) -> list[int] | str:
    try:
        return inked_pages(job, cache)
    except Exception as exc:  # noqa: BLE001 - a file PDFium cannot read is damage in it
        return f"{exc.__class__.__name__}: {exc}"


def _unreadable(pdf: str, why: str) -> SourceError:
    return SourceError(
        Path(pdf),
        f"is damaged: a second reader (PDFium) cannot read it ({why})",
        "Re-save it (e.g. print it to a new PDF), add it again, then build",
    )


class CornerChecks:
    """Start the checks for every document; ``inked`` gives each one's answer (before stamping)."""

    def __init__(
        self, bundle: Bundle, prepared: dict[str, Prepared], style: StampStyle, cache: Path, only: set[str]
    ) -> None:
        label = widest_label(bundle)
        jobs = {
            d.id: CornerJob(
                str(prepared[d.id].pdf),
                d.password,
                d.pages,
                d.rotation % 360,
                label,
                style,
                f"{prepared[d.id].pdf.name}:{d.sha256}",
                tuple(sorted((int(p) - 1, a % 360) for p, a in d.page_rotations.items())),
            )
            for _, d in bundle.documents()
            if d.id in only
        }
        self._jobs = jobs
        self._known = {doc_id: cached_inked_pages(job, cache) for doc_id, job in jobs.items()}
        todo = {doc_id: job for doc_id, job in jobs.items() if self._known[doc_id] is None}
        size = sum(Path(job.pdf).stat().st_size for job in todo.values())
        # A rebuild usually knows every answer already: then no worker starts at all.
        workers = min(os.cpu_count() or 1, _MAX_WORKERS, len(todo))
        self._pool: Executor = (
            ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=collect_for_one_job
            )
            if size >= _PROCESS_FROM_BYTES and workers > 1
            else ThreadPoolExecutor(max_workers=1)
        )
        # One document per task, in the bundle's order: the merge finishes each document as
        # soon as its answer is in, so the cloned pages of the whole bundle are never held at once.
        self._futures: dict[str, Future[dict[str, list[int] | str]]] = {
            doc_id: self._pool.submit(_run, {doc_id: job}, str(cache)) for doc_id, job in todo.items()
        }

    def done(self, doc_id: str) -> bool:
        """Whether ``doc_id``'s answer is in (``inked`` will not wait)."""
        future = self._futures.get(doc_id)
        return future is None or future.done()

    def inked(self, doc_id: str) -> frozenset[int]:
        """The pages of ``doc_id`` (0-based, of its selection) with ink where the number goes;
        waits for the check if it is still running, and re-raises what it raised."""
        known = self._known.get(doc_id)
        pages = known if known is not None else self._futures[doc_id].result()[doc_id]
        if isinstance(pages, str):
            raise _unreadable(self._jobs[doc_id].pdf, pages)
        return frozenset(pages)

    def close(self) -> None:
        """Every answer used: let the workers go."""
        self._pool.shutdown(wait=True)

    def abandon(self) -> None:
        """After a failure or cancel elsewhere: do not wait for the answers."""
        stop_pool(self._pool)  # a worker still rendering corners is killed, not left to finish
