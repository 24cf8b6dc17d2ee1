"""The corner-check stage: which pages have ink where their number will go.

It runs on its own thread while pypdf merges (pdfium releases the GIL while it
renders), and always on one thread: pdfium must never be entered by two at once,
so no other pdfium work may run until ``wait`` has returned.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from bundler.core.assemble import Placed, page_box
from bundler.core.convert import Prepared
from bundler.core.model import Bundle, Document
from bundler.core.occupancy import inked_corners
from bundler.core.progress import Progress
from bundler.core.stamp import StampStyle, is_tiny, stamp_rect

__all__ = ["CornerChecks"]

_WIDEST_NUMBER = "88888"  # the widest stamp up to 99,999 pages: answers do not depend on the number


def _check_document(placed: Placed, prepared: Prepared, doc: Document, prefix: str, style: StampStyle,
                    cache: Path) -> None:
    label = prefix + _WIDEST_NUMBER
    pages, rects = [], []
    for index in placed.pages:
        page = placed.reader.pages[index]
        if is_tiny(page_box(page)):
            continue  # fitted onto A4 with clear margins instead
        rotate = (page.rotation + placed.rotation) % 360
        pages.append(index)
        rects.append(stamp_rect(page_box(page), rotate, label, style))
    key = f"{prepared.pdf.name}:{doc.sha256}"
    inked = inked_corners(prepared.pdf, doc.password, pages, rects, placed.rotation,
                          cache=cache, source_key=key)
    placed.inked = frozenset(i for i, ink in zip(pages, inked) if ink)


class CornerChecks:
    """Start the checks for every document; ``wait`` before stamping."""

    def __init__(self, bundle: Bundle, placed: dict[str, Placed], prepared: dict[str, Prepared],
                 style: StampStyle, cache: Path, progress: Progress) -> None:
        self._progress = progress
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundler-corners")
        self._future: Future[None] = self._pool.submit(
            self._run, bundle, placed, prepared, style, cache)

    def _run(self, bundle: Bundle, placed: dict[str, Placed], prepared: dict[str, Prepared],
             style: StampStyle, cache: Path) -> None:
        for _, doc in bundle.documents():
            if self._progress.cancelled():
                return  # the main thread raises Cancelled at its next check
            _check_document(placed[doc.id], prepared[doc.id], doc, bundle.options.page_prefix, style, cache)

    def wait(self) -> None:
        """Block until done; re-raises anything the checks raised."""
        try:
            self._future.result()
        finally:
            self._pool.shutdown(wait=True)
