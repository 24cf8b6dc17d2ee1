"""Where a detection hit shows on its page, for highlighting it in the preview."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pypdfium2 as pdfium

from bundler.core.anonymise.detect import Hit

__all__ = ["Rect", "hit_rects"]


Rect = tuple[float, float, float, float]


def hit_rects(pdf: Path, hits: Iterable[Hit], password: str | None = None) -> dict[str, list[Rect]]:
    """Where each hit shows on its page, as (x0, y0, x1, y1) in points, by hit key.

    PDFium must never run in two threads at once: call this where the other PDFium
    work runs (the detection worker), not from the UI thread.
    """
    try:
        document = pdfium.PdfDocument(pdf, password=password)
    except (pdfium.PdfiumError, OSError):
        return {}
    try:
        return {hit.key: _rects_on(document, hit) for hit in hits}
    finally:
        document.close()


def _rects_on(document: pdfium.PdfDocument, hit: Hit) -> list[Rect]:
    try:
        textpage = document[hit.page - 1].get_textpage()
        searcher = textpage.search(" ".join(hit.text.split()), match_case=False)
        rects: list[Rect] = []
        while (found := searcher.get_next()) is not None:
            rects += [_rect(textpage.get_rect(i)) for i in range(textpage.count_rects(*found))]
        return rects
    except (pdfium.PdfiumError, IndexError):
        return []


def _rect(box: tuple[float, ...]) -> Rect:
    x0, y0, x1, y1 = box
    return (x0, y0, x1, y1)
