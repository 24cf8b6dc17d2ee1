"""Where the protected terms are on a page, as pdfium sees the page.

pdfium reports every character with its box in unrotated user space (the
space of the content stream), so a match in the page text becomes one
rectangle per line it spans. pdfium writes a hyphen that ends a line as
U+0002 with no line break after it; we give it back its hyphen and line
break so ``find_matches`` can join "Kha-" and "num".

pdfium keeps the order in which the content stream shows characters. A stream may
show a name's glyphs in any order ("m", "u", "n" … each placed by ``Tm``), or a line
in pieces with other lines drawn between them: every reader that sorts by position
(poppler, OCR, the eye) reads the name. So the page is read a second time in reading
order (``visual_text``, ``layout``): lines top to bottom, characters left to right.
Reading every character's box costs a few microseconds a character, so only pages
that need it are read so (``needs_visual``): pieces of text not each on a line below
the one before (``layout.out_of_order``), glyphs shown as many small text objects,
text moved back to the left inside a line, a letter drawn again on itself
(``layout.drawn_twice``), or a protected term's letters in the text with stray spaces
between them ("Far i da").
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import pypdfium2 as pdfium

from bundler.core.anonymise.glue import inner
from bundler.core.anonymise.pdf.geometry import Rect, Spot, union
from bundler.core.anonymise.pdf.layout import (
    COLUMN_BREAK,
    LINE_BREAKS,
    char_box,
    char_boxes,
    drawn_twice,
    out_of_order,
    reading_order,
    spread_apart,
    upward_pieces,
)
from bundler.core.anonymise.terms import Match, Target, find_matches, normalise

__all__ = [
    "PageText",
    "PageHits",
    "page_chars",
    "page_text",
    "text_page",
    "visual_text",
    "needs_visual",
    "loose_screen",
    "locate_hits",
]

_LINE_BREAKS = LINE_BREAKS
_box = char_box


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
    textless: bool = False  # no text on the page but white space (``ocr.recognise.pages_without_text``)
    text: PageText | None = None  # with ``keep_text``, where there are spots: the page's text, every box read


@contextmanager
def text_page(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None = None) -> Iterator[pdfium.PdfTextPage]:
    """``textpage`` when the caller holds one open, else the page's own, closed after use."""
    if textpage is not None:
        yield textpage
        return
    own = page.get_textpage()
    try:
        yield own
    finally:
        own.close()


_STAND_IN = "\ufffe"


def _chars_one_by_one(textpage: pdfium.PdfTextPage, count: int) -> list[str]:
    return [chr(pdfium.raw.FPDFText_GetUnicode(textpage, i)) for i in range(count)]


def page_chars(textpage: pdfium.PdfTextPage) -> list[str]:
    """pdfium's character at each index: ``chr(FPDFText_GetUnicode(i))`` for every ``i``.

    One call for the whole page (``FPDFText_GetText``, UTF-16) when the decoded text has
    exactly one character per index (no lone surrogate, no pair, nothing added or dropped);
    else one call per character, as before (a few microseconds each: 6,000 on a full page).
    ``FPDFText_GetText`` writes U+FFFE for some characters (U+0002, NUL): those are asked
    one by one. tests/core/anonymise/test_page_chars.py compares both readings.
    """
    count = int(textpage.count_chars())
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer(4 * (count + 1))  # room for a surrogate pair per character
    units = int(pdfium.raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))))
    try:
        text = buffer.raw[: 2 * max(0, units - 1)].decode("utf-16-le")
    except UnicodeDecodeError:
        return _chars_one_by_one(textpage, count)
    if len(text) != count or units - 1 != count:
        return _chars_one_by_one(textpage, count)
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch == _STAND_IN:  # what pdfium writes for a line-end hyphen (U+0002) or a NUL: ask it
            chars[i] = chr(pdfium.raw.FPDFText_GetUnicode(textpage, i))
    return chars


def page_text(page: pdfium.PdfPage, boxes: bool | range = True, textpage: pdfium.PdfTextPage | None = None) -> PageText:
    """The page's text; character boxes for all characters, none, or a range of them."""
    with text_page(page, textpage) as textpage:
        count = textpage.count_chars()
        chars = page_chars(textpage)
        text, index = _joined(chars)
        found: list[Rect | None] = [None] * count
        wanted = [i for i in (range(count) if boxes is True else boxes or range(0)) if 0 <= i < count]
        for i, box in zip(wanted, char_boxes(textpage, wanted), strict=True):
            found[i] = box
        return PageText(text, index, chars, found)


def _joined(chars: list[str]) -> tuple[str, list[int]]:
    """The page's text, a line-end hyphen (U+0002) read as "-" and a line break, and the
    index of the character each of its characters came from."""
    if "\x02" not in chars:
        return "".join(chars), list(range(len(chars)))
    parts: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(chars):
        for out in "-\n" if ch == "\x02" else ch:
            parts.append(out)
            index.append(i)
    return "".join(parts), index


def _with_boxes(textpage: pdfium.PdfTextPage, text: PageText, matches: list[Match]) -> PageText:
    """Boxes only for the characters of the matches: most of a page has none to look up."""
    for match in matches:
        for i in range(text.index[match.start], text.index[match.end - 1] + 1):
            text.boxes[i] = _box(textpage, i)
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


def visual_text(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None = None, known: PageText | None = None
) -> PageText:
    """The page's characters as placed (``layout.reading_order``): lines top to bottom, each
    left to right; ``index`` maps each output character to its pdfium index. ``known``: the
    page's ``page_text`` from ``textpage``, every box looked up, when the caller has it."""
    with text_page(page, textpage) as held:
        text = known if known is not None and textpage is not None else page_text(page, boxes=True, textpage=held)
        read, index = reading_order(held, text.chars, text.boxes)
    return PageText(read, index, text.chars, text.boxes)


_SCATTERED = 5  # at least one text object for this many characters: glyphs placed one by one


@cache
def _loose(folded: frozenset[str]) -> re.Pattern[str]:
    between = f"(?: |{inner()}){{0,3}}"
    bodies = [between.join(re.escape(ch) for ch in form if ch.isalnum()) for form in folded]
    return re.compile("|".join(sorted((b for b in bodies if b), key=len, reverse=True)) or "(?!)")


def loose_screen(targets: list[Target]) -> re.Pattern[str]:
    """Passes folded text holding a target's letters in order, maybe with up to three spaces,
    marks or digits between them ("Fari - da": read as laid out, where narrow gaps close up)."""
    return _loose(frozenset(normalise(t.text).strip() for t in targets))


def needs_visual(
    page: pdfium.PdfPage,
    text: str,
    screen: re.Pattern[str],
    backward: bool = False,
    textpage: pdfium.PdfTextPage | None = None,
    last_apart: str | None = None,
    found: frozenset[int] = frozenset(),
) -> bool:
    """Whether reading ``page`` in visual order could find what its text (``text``) does not.

    ``backward``: its content moves text back to the left (``glyphs.vectors.moves_back``).
    ``textpage``: the page's text page when the caller holds one open (not loaded twice).
    ``last_apart``: a stamp's text drawn last that can join no target (``layout.out_of_order``).
    ``found``: pdfium indices of what was found in ``text`` and blanked there (``_unmatched``);
    blanked as well where the page reads upward (``layout.upward_pieces``): its reading order,
    the same pieces last first, is then screened as ``text`` is.
    """
    if backward or _screened(text, screen):
        return True
    with text_page(page, textpage) as held:
        if _scattered(held):
            return True
        chars = page_chars(held)
        if drawn_twice(held, chars):
            return True  # a letter drawn again on itself: pdfium reads it twice, poppler once
        if not out_of_order(held, chars, last_apart):
            return spread_apart(held, chars)
        pieces = upward_pieces(held, chars, last_apart)
        if pieces is None:
            return True
        lines = ("".join(" " if i in found else chars[i] for i in range(first, last + 1)) for first, last in pieces)
        return _screened("\n".join(lines), screen) or spread_apart(held, chars)


# What ``terms.normalise`` folds across characters in plain ASCII: a hyphen ending a line, U+0002
_FOLDS_ACROSS = re.compile("\x02|-[^\\S\r\n]*[\r\n]")


def _screened(text: str, screen: re.Pattern[str]) -> bool:
    """Whether ``text`` may hold a target read forwards or backwards. Reading order also reads
    turned text mirrored, back to front (``layout.reading_order``): a line drawn with a mirrored
    matrix ("-1 0 0 1 Tm (munahK adiraF) Tj") is text pdfium sees upside down and in order, while
    poppler and the eye read "Farida Khanum". Reversed before folding, as reading order reverses
    pdfium's characters, and after, so that a fold that joins or drops characters (a ligature, a
    hyphen at a line's end) cannot hide a name either way."""
    folded = normalise(text)
    if screen.search(folded) is not None or screen.search(folded[::-1]) is not None:
        return True
    if text.isascii() and _FOLDS_ACROSS.search(text) is None:
        return False  # every fold of plain ASCII but these is one character's alone: the same letters
    return screen.search(normalise(text[::-1])) is not None


def _scattered(textpage: pdfium.PdfTextPage) -> bool:
    """At least one text object for every ``_SCATTERED`` characters: glyphs placed one by one."""
    count = int(textpage.count_chars())
    objects = int(pdfium.raw.FPDFText_CountRects(textpage, 0, count))
    return count > 0 and objects * _SCATTERED >= count


def _visual_rects(text: PageText, match: Match) -> list[Rect]:
    """One rectangle per line of a match in ``visual_text`` (its characters need not be in a run)."""
    rects: list[Rect] = []
    current: Rect | None = None
    for k in range(match.start, match.end):
        box = text.boxes[text.index[k]]
        if text.text[k] in COLUMN_BREAK and current is not None:
            rects.append(current)
            current = None
        elif box is not None and not text.text[k].isspace():
            current = box if current is None else union(current, box)
    return rects + ([current] if current is not None else [])


def _spots(hits: PageHits, match: Match, rects: list[Rect], matched: str) -> None:
    if not rects:
        hits.unlocated.append(matched)
    replace = match.target.replacement is not None
    hits.spots.extend(Spot(rect, match.target.label, replace=replace) for rect in rects)


def locate_hits(
    page: pdfium.PdfPage, targets: list[Target], backward: bool = False, keep_text: bool = False
) -> PageHits:
    """Where ``targets`` are on ``page``: one pdfium text page serves every reading of it (and,
    with ``keep_text``, on a page with spots, ``PageHits.text``)."""
    with text_page(page) as textpage:
        hits = _hits(page, textpage, targets, backward)
        hits.textless = not textpage.get_text_range().strip()
        if keep_text and hits.spots:
            hits.text = page_text(page, boxes=True, textpage=textpage)
        return hits


def _hits(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, targets: list[Target], backward: bool) -> PageHits:
    text = page_text(page, boxes=False, textpage=textpage)
    # A page's text may be an OCR layer (a scan, or a page of uncertain text made a picture):
    # identifiers match with OCR's confusions (O/0, I/1/l, S/5, B/8) wherever they are.
    hits = PageHits(matches=find_matches(text.text, targets, ocr=True)) if targets else PageHits()
    text = _with_boxes(textpage, text, hits.matches)
    covered: set[int] = set()
    for match in hits.matches:
        covered.update(text.index[match.start : match.end])
        _spots(hits, match, _line_rects(text, match), text.text[match.start : match.end])
    unmatched = _unmatched(text.text, hits.matches)
    if targets and needs_visual(page, unmatched, loose_screen(targets), backward, textpage, found=frozenset(covered)):
        _locate_visual(page, textpage, targets, hits, covered)
    return hits


def _unmatched(text: str, matches: list[Match]) -> str:
    """``text`` with what was matched blanked out: a name found as it is needs no second reading."""
    parts, last = [], 0
    for match in sorted(matches, key=lambda m: m.start):
        parts += [text[last : match.start], " "]
        last = max(last, match.end)
    return "".join([*parts, text[last:]])


def _locate_visual(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, targets: list[Target], hits: PageHits, covered: set[int]
) -> None:
    """Matches only reading order shows (glyphs shown out of order): boxes over their characters."""
    visual = visual_text(page, textpage)
    for match in find_matches(visual.text, targets, ocr=True):
        chars = {visual.index[k] for k in range(match.start, match.end) if not visual.text[k].isspace()}
        if chars <= covered:
            continue  # found already: as it is, or in another of reading order's readings
        covered |= chars
        hits.matches.append(match)
        _spots(hits, match, _visual_rects(visual, match), visual.text[match.start : match.end])
