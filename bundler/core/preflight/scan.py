"""The page scan and the per-run context every preflight rule reads.

``PreflightContext`` holds the two open engines and computes the expensive facts
once, on first use: ``scan_page`` makes one pypdfium2 pass over a page for its
stamp corner, text and images, and the rules read the ``PageFacts`` it returns.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader

__all__ = ["Box", "PageFacts", "PreflightContext", "StampHit", "corner_box", "scan_page"]


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF user space
CORNER_WIDTH = 160.0  # where a stamp is looked for: the bottom-right corner as viewed
CORNER_HEIGHT = 60.0
MAX_FORM_DEPTH = 15  # as pdfium's own helpers: deeper nesting is a malformed file
MIN_IMAGE_AREA = 72.0 * 72.0  # square points; smaller images (logos, signatures) don't weigh
# A prefix ("", "HB", "A-" …: whatever stands before the number) and the number
_STAMP_TOKEN = re.compile(r"[^\d\s]{0,6}(\d+)")
_IMAGE_OR_FORM = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)


@dataclass(frozen=True)
class StampHit:
    """A token in the stamp corner that ends in this page's own number."""

    token: str
    upright: bool  # reads upright as the page is viewed (``/Rotate`` honoured)
    covers_text: bool  # other text lies under the stamp


@dataclass(frozen=True)
class PageFacts:
    """What one pass over a page with pypdfium2 found; every page rule reads these."""

    number: int  # 1-based
    rotation: int  # /Rotate, normalised to 0, 90, 180 or 270
    visible: Box  # CropBox ∩ MediaBox
    corner_tokens: tuple[str, ...]
    stamps: tuple[StampHit, ...]
    body_chars: int  # characters of text outside the stamp corner
    image_dpi: float  # highest effective dpi of a large image as placed; 0 when none


def corner_box(visible: Box, rotation: int) -> Box:
    """The bottom-right corner *as viewed*, mapped back to user space."""
    x0, y0, x1, y1 = visible
    w, h = CORNER_WIDTH, CORNER_HEIGHT
    if rotation == 90:  # viewed bottom is the user-space right edge, viewed right is the top
        return (x1 - h, y1 - w, x1, y1)
    if rotation == 180:
        return (x0, y1 - h, x0 + w, y1)
    if rotation == 270:
        return (x0, y0, x0 + h, y0 + w)
    return (x1 - w, y0, x1, y0 + h)


def scan_page(page: pdfium.PdfPage, number: int) -> PageFacts:
    rotation = page.get_rotation() % 360
    visible = _intersect(page.get_mediabox(), page.get_cropbox())
    corner = corner_box(visible, rotation)
    textpage = page.get_textpage()
    try:
        corner_text = textpage.get_text_bounded(*corner)
        tokens = tuple(corner_text.split())
        own = [t for t in tokens if _ends_in(t, number)]
        stamps = tuple(_stamp_hit(textpage, t, corner, rotation) for t in own)
        body = max(0, textpage.count_chars() - len(corner_text))
    finally:
        textpage.close()
    return PageFacts(number, rotation, visible, tokens, stamps, body, _max_image_dpi(page))


def _ends_in(token: str, number: int) -> bool:
    m = _STAMP_TOKEN.fullmatch(token)
    return m is not None and m.group(1) == str(number)


def _intersect(a: Sequence[float], b: Sequence[float]) -> Box:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    return (x0, y0, max(x0, min(a[2], b[2])), max(y0, min(a[3], b[3])))


def _stamp_hit(textpage: pdfium.PdfTextPage, token: str, corner: Box, rotation: int) -> StampHit:
    # Searched from the end: a stamp is usually drawn last, so it is usually found first.
    last = max(0, textpage.count_chars() - 1)
    searcher = textpage.search(token, index=last, match_case=True, match_whole_word=True)
    try:
        while (found := searcher.get_prev()) is not None:
            x0, y0, x1, y1 = textpage.get_charbox(found[0])
            if _inside((x0 + x1) / 2, (y0 + y1) / 2, corner):
                box = _span_box(textpage, *found)
                upright = _upright(textpage, found[0], rotation)
                return StampHit(token, upright, _covers_text(textpage, box, token))
    finally:
        searcher.close()
    return StampHit(token, upright=True, covers_text=False)  # not located again: assume fine


def _span_box(textpage: pdfium.PdfTextPage, index: int, count: int) -> Box:
    boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _inside(x: float, y: float, box: Box) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _upright(textpage: pdfium.PdfTextPage, index: int, rotation: int) -> bool:
    # pdfium measures the glyph angle clockwise; the viewer turns the page by /Rotate
    # clockwise, so upright-as-viewed text is turned counter-clockwise by /Rotate.
    angle = pdfium_c.FPDFText_GetCharAngle(textpage, index)
    if angle < 0:
        return True  # unknown: don't accuse
    counter_clockwise = (360.0 - math.degrees(angle)) % 360.0
    off = (counter_clockwise - rotation) % 360.0
    return min(off, 360.0 - off) < 5.0


def _covers_text(textpage: pdfium.PdfTextPage, box: Box, token: str) -> bool:
    pad = 4.0  # the stamp's white box reaches a little beyond its glyphs
    under = textpage.get_text_bounded(box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
    return bool(under.replace(token, "", 1).split())


Linear = tuple[float, float, float, float]  # a, b, c, d of a PDF matrix


def _max_image_dpi(page: pdfium.PdfPage) -> float:
    return _objects_dpi(
        page,
        pdfium_c.FPDFPage_CountObjects,
        pdfium_c.FPDFPage_GetObject,
        (1.0, 0.0, 0.0, 1.0),
        depth=0,
    )


def _objects_dpi(parent: Any, count: Any, get: Any, outer: Linear, depth: int) -> float:
    """Highest image dpi among ``parent``'s objects, descending into forms.

    Raw pdfium calls: a text-heavy page has thousands of objects, and wrapping each
    one in a helper object just to skip it costs more than the text extraction.
    """
    best = 0.0
    for i in range(count(parent)):
        obj = get(parent, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in _IMAGE_OR_FORM:
            continue
        linear = _compose(_linear(obj), outer)  # pdfium gives it relative to its form
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            best = max(best, _image_dpi(obj, linear))
        elif depth < MAX_FORM_DEPTH:
            best = max(
                best,
                _objects_dpi(
                    obj,
                    pdfium_c.FPDFFormObj_CountObjects,
                    pdfium_c.FPDFFormObj_GetObject,
                    linear,
                    depth + 1,
                ),
            )
    return best


def _linear(obj: Any) -> Linear:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0)
    return (m.a, m.b, m.c, m.d)


def _compose(inner: Linear, outer: Linear) -> Linear:
    a, b, c, d = inner
    p, q, r, s = outer
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s)


def _image_dpi(image: Any, linear: Linear) -> float:
    """Pixels per inch as placed, in the image's coarser direction."""
    width, height = math.hypot(linear[0], linear[1]), math.hypot(linear[2], linear[3])
    if width * height < MIN_IMAGE_AREA:
        return 0.0
    px_w, px_h = ctypes.c_uint(), ctypes.c_uint()
    if not pdfium_c.FPDFImageObj_GetImagePixelSize(image, px_w, px_h):
        return 0.0  # an image pdfium cannot decode has no size to judge
    return float(min(px_w.value * 72.0 / width, px_h.value * 72.0 / height))


@dataclass
class PreflightContext:
    """Everything a rule may look at; expensive facts are computed once, on first use."""

    path: Path
    reader: PdfReader
    pdf: pdfium.PdfDocument
    _textpages: dict[int, pdfium.PdfTextPage] = field(default_factory=dict, init=False, repr=False)

    @cached_property
    def pages(self) -> list[PageFacts]:
        facts = []
        for index in range(len(self.pdf)):
            page = self.pdf[index]
            try:
                facts.append(scan_page(page, index + 1))
            finally:
                page.close()  # 5,000 open pages would hold every parsed content stream
        return facts

    @cached_property
    def prefix(self) -> str:
        """The page-number prefix the stamps use ("" or e.g. "HB"); labels when no stamps."""
        votes = Counter(h.token[: -len(str(p.number))] for p in self.pages for h in p.stamps)
        if votes:
            return votes.most_common(1)[0][0]
        labels = self.reader.page_labels
        return labels[0].rstrip("0123456789") if labels and labels[0].endswith("1") else ""

    @cached_property
    def page_of_object(self) -> dict[int, int]:
        """Page number (1-based) by the object number of its page dictionary."""
        return {
            page.indirect_reference.idnum: n
            for n, page in enumerate(self.reader.pages, start=1)
            if page.indirect_reference is not None
        }

    def text_in(self, number: int, box: Box) -> str:
        """Text whose glyph centres lie in ``box`` on page ``number`` (pages kept open)."""
        if number not in self._textpages:
            self._textpages[number] = self.pdf[number - 1].get_textpage()
        return str(self._textpages[number].get_text_bounded(*box))
