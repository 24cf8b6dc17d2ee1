"""Where the protected terms are on a page, as pdfium sees the page.

pdfium reports every character with its box in unrotated user space (the
space of the content stream), so a match in the page text becomes one
rectangle per line it spans. pdfium writes a hyphen that ends a line as
U+0002 with no line break after it; we give it back its hyphen and line
break so ``find_matches`` can join "Kha-" and "num".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium

from bundler.core.anonymise.pdf.geometry import Rect, Spot, union
from bundler.core.anonymise.terms import Match, Target, find_matches

__all__ = ["PageText", "PageHits", "page_text", "locate_hits"]

_LINE_BREAKS = "\r\n\x02"


@dataclass
class PageText:
    """A page's characters: ``text[i]`` came from pdfium character ``index[i]``."""

    text: str
    index: list[int]
    chars: list[str]  # pdfium's own character per index
    boxes: list[Rect | None]  # loose box per pdfium character; None when it has no area


@dataclass
class PageHits:
    spots: list[Spot] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)  # matched text with no box to draw


def _box(textpage: pdfium.PdfTextPage, i: int) -> Rect | None:
    """The line-height box of a character, else its ink box (a font may claim zero widths)."""
    for loose in (True, False):
        left, bottom, right, top = textpage.get_charbox(i, loose=loose)
        if right - left > 0.01 and top - bottom > 0.01:
            return (left, bottom, right, top)
    return None


def page_text(page: pdfium.PdfPage, boxes: bool | range = True) -> PageText:
    """The page's text; character boxes for all characters, none, or a range of them."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        chars = [chr(pdfium.raw.FPDFText_GetUnicode(textpage, i)) for i in range(count)]
        parts: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(chars):
            for out in "-\n" if ch == "\x02" else ch:
                parts.append(out)
                index.append(i)
        wanted = range(count) if boxes is True else boxes or range(0)
        found = [_box(textpage, i) if i in wanted else None for i in range(count)]
        return PageText("".join(parts), index, chars, found)
    finally:
        textpage.close()


def _with_boxes(page: pdfium.PdfPage, text: PageText, matches: list[Match]) -> PageText:
    """Boxes only for the characters of the matches: most of a page has none to look up."""
    if not matches:
        return text
    textpage = page.get_textpage()
    try:
        for match in matches:
            for i in range(text.index[match.start], text.index[match.end - 1] + 1):
                text.boxes[i] = _box(textpage, i)
    finally:
        textpage.close()
    return text


def _same_line(a: Rect, b: Rect) -> bool:
    """Boxes side by side on a horizontal line, or stacked on a vertical (rotated) one."""
    across = min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])
    along = min(a[2], b[2]) - max(a[0], b[0]) > 0.5 * min(a[2] - a[0], b[2] - b[0])
    return across or along


def _line_rects(page: PageText, match: Match) -> list[Rect]:
    """Union of the matched characters' boxes, one rectangle per line."""
    rects: list[Rect] = []
    current: Rect | None = None
    for i in range(page.index[match.start], page.index[match.end - 1] + 1):
        box, ch = page.boxes[i], page.chars[i]
        if box is not None and current is not None and not _same_line(current, box):
            rects.append(current)
            current = None
        if box is not None and ch not in "\r\n":
            current = box if current is None else union(current, box)
        if ch in _LINE_BREAKS and current is not None:
            rects.append(current)
            current = None
    if current is not None:
        rects.append(current)
    return rects


def locate_hits(page: pdfium.PdfPage, targets: list[Target]) -> PageHits:
    text = page_text(page, boxes=False)
    # A page's text may be an OCR layer (a scan, or a page of uncertain text made a picture):
    # identifiers match with OCR's confusions (O/0, I/1/l, S/5, B/8) wherever they are.
    hits = PageHits(matches=find_matches(text.text, targets, ocr=True)) if targets else PageHits()
    text = _with_boxes(page, text, hits.matches)
    for match in hits.matches:
        rects = _line_rects(text, match)
        if not rects:
            hits.unlocated.append(text.text[match.start : match.end])
        replace = match.target.replacement is not None
        hits.spots.extend(Spot(rect, match.target.label, replace=replace) for rect in rects)
    return hits
