"""Is the page-number corner of a source page already inked?

We render just the stamp's corner (plus a small margin) with pdfium and look
for non-white pixels: it catches text, lines, images and form content alike,
and costs about 0.1 ms a page because only the corner is rasterised.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from bundler.core.stamp import Box

__all__ = ["inked_corners"]

_MARGIN = 4.0  # points of clear space wanted around the stamp
_SCALE = 1.0  # 72 dpi is plenty to see ink
_WHITE = 235  # grey levels at or above this count as paper


def _corner_inked(page: pdfium.PdfPage, rect: Box, rotation: int) -> bool:
    width, height = page.get_size()
    if rotation % 180:
        width, height = height, width
    x0, y0, x1, y1 = rect
    crop = (max(0.0, x0 - _MARGIN), max(0.0, y0 - _MARGIN),
            max(0.0, width - x1 - _MARGIN), max(0.0, height - y1 - _MARGIN))
    bitmap = page.render(scale=_SCALE, rotation=rotation, crop=crop, grayscale=True,
                         may_draw_forms=True, draw_annots=True)
    image = bitmap.to_pil()
    low, _ = image.getextrema()
    return bool(low < _WHITE)


def inked_corners(
    pdf: Path, password: str | None, pages: list[int], rects: list[Box], rotation: int
) -> list[bool]:
    """For each 0-based source page, whether its viewed stamp rectangle has ink.

    ``rects`` are viewed-coordinate stamp rectangles (one per page in ``pages``);
    ``rotation`` is the extra clockwise rotation the bundle applies.
    """
    doc = pdfium.PdfDocument(str(pdf), password=password)
    try:
        result = []
        for index, rect in zip(pages, rects):
            page = doc[index]
            try:
                result.append(_corner_inked(page, rect, rotation))
            finally:
                page.close()
        return result
    finally:
        doc.close()
