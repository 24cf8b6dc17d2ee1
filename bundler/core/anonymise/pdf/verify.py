"""Read the redacted copy back, independently, and list every way a target survived.

Per page: the text as pdfium and as pypdf extract it, anything pdfium still
finds under a box other than our own label, and every object the page refers
to (raw). Then every object no page reaches. The caller rasterises the pages
named here, or gives up. On a page whose boxes were drawn in its content (the
text objects cut there, ``run.StreamRun.show``), every character outside the
boxes must also be where PDFium read it in the source (``MOVED``): the cut
places the text after it by the redactor's own reckoning, which must not carry
a character a reader placed under a box out from under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from bundler.core.anonymise.glyphs.vectors import moves_back
from bundler.core.anonymise.pdf.draw import label_layout
from bundler.core.anonymise.pdf.geometry import Rect, Spot, contains, union
from bundler.core.anonymise.pdf.locate import PageText, loose_screen, needs_visual, page_text, text_page, visual_text
from bundler.core.anonymise.pdf.scan import LeakScanner
from bundler.core.naming import plural
from bundler.core.pdf import quicktext
from bundler.core.pdf.inmemory import SharedBytes
from bundler.core.pdf.quickreader import QuickReader

__all__ = ["Leaks", "Kept", "kept_characters", "verify", "MOVED", "PDFIUM_TEXT", "PYPDF_TEXT"]

PDFIUM_TEXT = "a target in the page text (pdfium)"
PYPDF_TEXT = "a target in the page text (pypdf)"
MOVED = "text moved where its boxes were drawn"

_MOVE = 0.5  # points: a character further than this from where the source had it has moved
Kept = list[tuple[str, Rect]]  # (character, box) in PDFium's order

_SHRINK = 0.75  # points: a neighbour's box may graze ours; its centre may not


@dataclass
class Leaks:
    pages: dict[int, list[str]] = field(default_factory=dict)  # 0-based page → what leaked
    elsewhere: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.pages or self.elsewhere)


def _centre(box: Rect) -> tuple[float, float]:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def _left_under_boxes(text: PageText, spots: list[Spot], rotate: int) -> list[str]:
    """Characters whose centre is inside a box, other than the label we drew there."""
    inner = [(s.rect[0] + _SHRINK, s.rect[1] + _SHRINK, s.rect[2] - _SHRINK, s.rect[3] - _SHRINK) for s in spots]
    labels = [label_layout(s, rotate) for s in spots]
    label_boxes = [lab.box for lab in labels if lab is not None]
    expected = sum(len(lab.text.replace(" ", "")) for lab in labels if lab is not None)
    stray: list[str] = []
    ours = 0
    left, bottom, right, top = reduce(union, inner) if inner else (0.0, 0.0, -1.0, -1.0)
    for ch, box in zip(text.chars, text.boxes, strict=True):
        if box is None or ch.isspace():
            continue
        x, y = _centre(box)
        if not (left <= x <= right and bottom <= y <= top) or not any(contains(r, x, y) for r in inner):
            continue  # most of a page lies outside every box: one comparison says so
        if any(contains(b, x, y) for b in label_boxes):
            ours += 1
        else:
            stray.append(ch)
    extra = len(stray) + max(0, ours - expected)
    return [f"{plural(extra, 'character')} of text left under a box"] if extra else []


def kept_characters(text: PageText, spots: list[Spot]) -> Kept:
    """The characters of a page's text (``page_text`` with every box) outside ``spots``: what
    redaction keeps, and where. Spaces and line breaks are PDFium's guesses, not compared."""
    kept: Kept = []
    rects = [spot.rect for spot in spots]
    for ch, box in zip(text.chars, text.boxes, strict=True):
        if box is None or ch.isspace() or ch in "\x02\ufffe":
            continue
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2  # its centre (``_centre``), inline: every character
        for left, bottom, right, top in rects:
            if left <= x <= right and bottom <= y <= top:  # ``geometry.contains``
                break
        else:
            kept.append((ch, box))
    return kept


def _moved(text: PageText, spots: list[Spot], source: Kept) -> list[str]:
    """``MOVED`` unless the page keeps exactly the source's characters outside its boxes, each
    where it was: in PDFium's order, or (PDFium orders some text by where it lies: mirrored
    lines) by line and place."""
    kept = kept_characters(text, spots)
    if len(kept) != len(source):
        return [MOVED]
    if _same(kept, source):
        return []
    return [] if _same(sorted(kept, key=_place), sorted(source, key=_place)) else [MOVED]


def _place(item: tuple[str, Rect]) -> tuple[str, int, float]:
    ch, box = item
    return ch, round((box[1] + box[3]) / 2), box[0]


def _same(kept: Kept, source: Kept) -> bool:
    for (ch, (a0, a1, a2, a3)), (was, (b0, b1, b2, b3)) in zip(kept, source, strict=True):
        # "not within" rather than "beyond": a coordinate that is not a number has moved
        within = abs(a0 - b0) <= _MOVE and abs(a1 - b1) <= _MOVE and abs(a2 - b2) <= _MOVE and abs(a3 - b3) <= _MOVE
        if ch != was or not within:
            return False
    return True


def _pypdf_text(reader: PdfReader, index: int, leaks: Leaks) -> str:
    try:
        return reader.pages[index].extract_text()
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        leaks.notes.append(f"page {index + 1}: pypdf could not extract its text to double-check it")
        return ""


def _page_leaks(
    scanner: LeakScanner,
    document: pdfium.PdfDocument,
    reader: PdfReader,
    index: int,
    spots: list[Spot],
    leaks: Leaks,
    read: bool = True,
    source: Kept | None = None,
) -> tuple[list[str], set[int]]:
    """What leaks on one page, and the objects the page reaches. PDFium and pypdf read its text
    if ``read`` (or ``source``: the characters the page must keep, ``_moved``); otherwise only if
    the objects the page reaches hold a target."""
    page = reader.pages[index]
    visited: set[int] = set()
    raw = scanner.leaks(page, visited)
    if page.indirect_reference is not None:
        visited.add(page.indirect_reference.idnum)
    if not read and not raw and source is None:
        return [], visited
    pdfium_page = document[index]
    try:
        with text_page(pdfium_page) as textpage:  # one text page serves both readings
            text_read = page_text(pdfium_page, boxes=bool(spots), textpage=textpage)
            visual = needs_visual(
                pdfium_page, text_read.text, loose_screen(scanner.targets), moves_back(page), textpage
            ) and scanner.in_text(visual_text(pdfium_page, textpage, text_read if spots else None).text, shown=True)
    finally:
        pdfium_page.close()
    found = [PDFIUM_TEXT] if scanner.in_text(text_read.text, shown=True) or visual else []
    found += _left_under_boxes(text_read, spots, int(page.get("/Rotate", 0) or 0)) if spots else []
    found += _moved(text_read, spots, source) if source is not None and spots else []
    # any finding is answered by rasterising the page, safe only if PDFium can box what pypdf reads
    if (read or found or raw) and scanner.in_text(_pypdf_text(reader, index, leaks), shown=True):
        found.append(PYPDF_TEXT)
    return found + raw, visited


def _all_object_numbers(reader: PdfReader) -> set[int]:
    numbers = {idnum for table in reader.xref.values() for idnum in table}
    return numbers | set(reader.xref_objStm)


def _unreached_leaks(scanner: LeakScanner, reader: PdfReader, reached: set[int]) -> list[str]:
    """The catalog's own tree (minus pages), then any object nothing refers to at all."""
    found = scanner.leaks(reader.trailer, reached)
    for idnum in sorted(_all_object_numbers(reader) - reached):
        try:
            obj = reader.get_object(idnum)
        except (PyPdfError, ValueError, KeyError, TypeError):
            found.append(f"unreadable object {idnum}")
            continue
        if obj is not None and idnum not in reached:
            found += [f"{leak}, unreferenced" for leak in scanner.leaks(obj, reached)]
    return found


def verify(
    data: bytes,
    scanner: LeakScanner,
    spots: dict[int, list[Spot]],
    read: set[int] | None = None,
    kept: dict[int, Kept] | None = None,
) -> Leaks:
    """Every surviving trace of a target in the PDF ``data``, by page where possible.

    ``read``: the pages (0-based) whose text PDFium and pypdf read back; None: all. On the
    others only the objects the page reaches are searched (and its text, if they hold a
    target): for a caller whose own leak gate then reads every page's text with both.
    ``kept``: for pages whose boxes were drawn in their content, the source's characters
    outside the boxes (``kept_characters``), which must all be where they were."""
    kept = kept or {}
    leaks = Leaks()
    reader = QuickReader(SharedBytes(data))
    document = pdfium.PdfDocument(data)
    try:
        reached: set[int] = set()
        with quicktext.reading():  # the check changes nothing: a font shared by pages is worked out once
            for index in range(len(reader.pages)):
                reading = read is None or index in read
                found, visited = _page_leaks(
                    scanner, document, reader, index, spots.get(index, []), leaks, reading, kept.get(index)
                )
                if found:
                    leaks.pages[index] = found
                reached |= visited
        leaks.elsewhere = _unreached_leaks(scanner, reader, reached)
    finally:
        document.close()
    return leaks
