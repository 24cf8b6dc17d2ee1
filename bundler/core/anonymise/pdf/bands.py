"""A page's lines as poppler's ``pdftotext`` groups them: words, blocks, then lines in bands.

``layout.reading_order`` groups letters into lines its own way (by the first letter's middle);
a reader by position that groups otherwise can read a name it does not: a line drifting down
glyph by glyph, crossed by a line rising, or letters of another size among its own. This module
reads the page again the way poppler does (``TextOutputDev``: ``addChar``, ``TextPage::coalesce``,
``TextBlock::coalesce``; its rules restated here from its behaviour and constants, not its code):

- **words**: letters in the order the page shows them, one word while each starts within
  -0.2 .. 0.1 font sizes of the last one's end, on the word's baseline (0.5 pt) and at its size;
- **pools**: words by baseline in 4 pt buckets, each bucket left to right by middle;
- **blocks**: from the leftmost word among the four highest buckets, taking lines above and below
  (1.5 sizes, the block's size), words on its lines (0.5 size, within 0.7 size of its sides,
  sizes within 0.6) and, when nothing else joins, one outlying word left or right;
- **lines** in a block: from its leftmost highest word, a band of half its size about its
  baseline that never moves; the next word is the leftmost within 1.5 sizes right of the last,
  of each bucket's first word in the band; one lying half a size left of the last ends the line.

Baselines run down the page from its top edge (poppler's device space), so "highest" is least.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import pypdfium2 as pdfium

from bundler.core.anonymise.pdf.geometry import Rect

__all__ = ["poppler_lines"]

_Placed = tuple[int, str, Rect]  # pdfium index, character, box in the text's own frame
_POOL_STEP = 4.0  # points of baseline in one pool bucket
_EM = 1.17  # a letter's loose box is about this many times its font size high (ascent - descent)
# words
_WORD_SPACE, _WORD_OVERLAP, _WORD_BASE, _DUP = 0.1, 0.2, 0.5, 0.1
# blocks (shares of the block's first word's size)
_LINE_SPACING, _SIZE_ABOVE, _SIZE_ON_LINE, _SIZE_OUTLIER = 1.5, 0.05, 0.6, 0.2
_INTRA_LINE, _COLUMN_SPACING, _OUTLIER_SPACING = 0.5, 0.7, 1.0
# lines (shares of the line's first word's size)
_LINE_BAND, _WORD_SPACING, _BACK = 0.5, 1.5, 0.5


@dataclass(eq=False)
class _Word:
    letters: list[_Placed]
    base: float  # the first letter's baseline, down the page
    size: float
    left: float
    right: float
    middle: float = field(init=False)

    def __post_init__(self) -> None:
        self.middle = (self.left + self.right) / 2


Lines = list[list[_Placed] | None]  # lines in reading order; None: a break no name is read across


def poppler_lines(textpage: pdfium.PdfTextPage, placed: list[_Placed], quarter: int) -> list[Lines]:
    """``placed`` (one direction's letters, boxes in that direction's frame) as poppler's lines,
    three ways:

    - blocks in the order they start, each block's lines by baseline, then from the left;
    - the same lines made with the whole page one block (where a baseline lies on a band's edge,
      a hair's difference in poppler's arithmetic moves a word to another block), a break
      between lines side by side (two columns' lines are not one line);
    - the first way with a line that goes on where the one before it ends (a line sloping out
      of its band, cut by poppler but read by the eye: "Farida Khanu" / "m") read as one.
    """
    words = _words(sorted(placed), _bases(textpage, placed, quarter))
    blocks = [line for block in _blocks(_Pool(words)) for line in _block_lines(block.words)]
    whole: list[list[_Word] | None] = []
    for line in _block_lines(words):
        if whole and _beside(cast(list[_Word], whole[-1]), line):
            whole.append(None)
        whole.append(line)
    ways = [_letters(blocks), _letters(whole)]
    joined = _joined(blocks)
    return ways + [_letters(joined)] if len(joined) < len(blocks) else ways


def _letters(lines: list[list[_Word]] | list[list[_Word] | None]) -> Lines:
    return [None if line is None else [letter for word in line for letter in word.letters] for line in lines]


def _beside(line: list[_Word], after: list[_Word]) -> bool:
    """``after`` starts right of ``line``'s end, on its band: the next column's line."""
    first = line[0]
    return abs(after[0].base - first.base) <= _LINE_BAND * first.size and after[0].left >= line[-1].right


def _joined(lines: list[list[_Word]]) -> list[list[_Word]]:
    """Each line that starts where the line before it ends (within one font size down or up, no
    further right than a word's space) joined to it."""
    out: list[list[_Word]] = []
    for line in lines:
        if out:
            last, first = out[-1][-1], line[0]
            gap = first.left - last.right
            if -_BACK * last.size <= gap < _WORD_SPACING * last.size and abs(first.base - last.base) <= last.size:
                out[-1] = out[-1] + line
                continue
        out.append(line)
    return out


def _bases(textpage: pdfium.PdfTextPage, placed: list[_Placed], quarter: int) -> dict[int, tuple[float, float]]:
    """Each letter's baseline down the page and font size as poppler takes them (the size times
    the text's vertical scale): from pdfium's origin and matrix when upright, else from the box."""
    if quarter != 0:
        return {i: (-(box[1] + box[3]) / 2, (box[3] - box[1]) / _EM) for i, _, box in placed}
    raw = textpage.raw
    top = float(textpage.page.get_cropbox()[3])
    x, y, matrix = ctypes.c_double(), ctypes.c_double(), pdfium.raw.FS_MATRIX()
    origin, font_size, char_matrix = (
        pdfium.raw.FPDFText_GetCharOrigin,
        pdfium.raw.FPDFText_GetFontSize,
        pdfium.raw.FPDFText_GetMatrix,
    )
    bases: dict[int, tuple[float, float]] = {}
    height, size = -1.0, 0.0  # letters of one box height are of one size: asked again when it changes
    for i, _, box in placed:
        if box[3] - box[1] != height:
            height = box[3] - box[1]
            size = font_size(raw, i) * math.hypot(matrix.c, matrix.d) if char_matrix(raw, i, matrix) else 0.0
            size = size if size > 0 else height / _EM
        bases[i] = (top - y.value if origin(raw, i, x, y) else top - (box[1] + box[3]) / 2, size)
    return bases


def _words(placed: list[_Placed], bases: dict[int, tuple[float, float]]) -> list[_Word]:
    """Letters in content order joined into words as poppler's ``addChar`` joins them."""
    words: list[_Word] = []
    word: _Word | None = None
    last = -2
    dup = False
    for item in placed:
        i, _, box = item
        base, size = bases[i]
        if word is not None and i == last + 1 and box == word.letters[-1][2]:
            word.letters.append(item)  # a ligature's letters: pdfium gives each the glyph's box
            last = i
            continue
        if word is not None and i == last + 1 and size == word.size and abs(base - word.base) <= _WORD_BASE:
            space = box[0] - word.right
            now_dup = abs(box[0] - word.letters[-1][2][0]) < _DUP * size and abs(base - word.base) < 0.2 * size
            if not (now_dup or dup) and -_WORD_OVERLAP * size <= space <= _WORD_SPACE * size:
                word.letters.append(item)
                word.right = max(word.right, box[2])
                word.middle = (word.left + word.right) / 2
                last = i
                continue
            dup = now_dup
        else:
            dup = False
        word = _Word([item], base, size, box[0], box[2])
        words.append(word)
        last = i
    return words


class _Pool:
    """Words in buckets of baseline, each bucket left to right by middle."""

    def __init__(self, words: Iterable[_Word]) -> None:
        self.buckets: dict[int, list[_Word]] = {}
        for word in sorted(words, key=lambda w: w.middle):
            self.buckets.setdefault(self.index(word.base), []).append(word)

    @staticmethod
    def index(base: float) -> int:
        return math.floor(base / _POOL_STEP)

    def first(self) -> _Word | None:
        """The leftmost of the first words of the highest non-empty bucket and the three after it."""
        if not self.buckets:
            return None
        top = min(self.buckets)
        return min((self.buckets[b][0] for b in range(top, top + 4) if b in self.buckets), key=lambda w: w.left)

    def within(self, low: float, high: float) -> Iterable[tuple[int, list[_Word]]]:
        for b in range(self.index(low), self.index(high) + 1):
            if b in self.buckets:
                yield b, self.buckets[b]

    def take(self, word: _Word) -> None:
        key = self.index(word.base)
        held = self.buckets[key]
        held.remove(word)
        if not held:
            del self.buckets[key]


@dataclass(eq=False)
class _Block:
    words: list[_Word]
    size: float
    low: float  # the highest and lowest baselines taken in
    high: float
    left: float
    right: float

    def add(self, word: _Word) -> None:
        self.words.append(word)
        self.left, self.right = min(self.left, word.left), max(self.right, word.right)


def _blocks(pool: _Pool) -> Iterable[_Block]:
    while (start := pool.first()) is not None:
        pool.take(start)
        block = _Block([start], start.size, start.base, start.base, start.left, start.right)
        while _grow(pool, block) or _outliers(pool, block):
            pass
        yield block


def _grow(pool: _Pool, block: _Block) -> bool:
    """Lines above and below the block, and words on its lines; whether any joined."""
    size, found = block.size, False
    for above in (True, False):
        edge = block.low if above else block.high
        low, high = (edge - _LINE_SPACING * size, edge) if above else (edge, edge + _LINE_SPACING * size)
        for _, held in list(pool.within(low, high)):
            for word in list(held):
                inside = low <= word.base < edge if above else edge < word.base <= high
                if inside and word.left < block.right and word.right > block.left and _near(word, size, _SIZE_ABOVE):
                    pool.take(word)
                    block.add(word)
                    block.low, block.high = min(block.low, word.base), max(block.high, word.base)
                    found = True
    low, high = block.low - _INTRA_LINE * size, block.high + _INTRA_LINE * size
    for _, held in list(pool.within(low, high)):
        for word in list(held):
            if (
                low <= word.base <= high
                and word.left < block.right + _COLUMN_SPACING * size
                and word.right > block.left - _COLUMN_SPACING * size
                and _near(word, size, _SIZE_ON_LINE)
            ):
                pool.take(word)
                block.add(word)
                found = True
    return found


def _near(word: _Word, size: float, share: float) -> bool:
    return abs(word.size - size) < share * size


def _outliers(pool: _Pool, block: _Block) -> bool:
    """One word just left (else right) of the block on its lines, from one to three buckets."""
    size = block.size
    low, high = block.low - _INTRA_LINE * size, block.high + _INTRA_LINE * size
    for left in (True, False):
        firsts = []
        for _, held in pool.within(low, high):
            for word in held:
                beside = (
                    block.left - _OUTLIER_SPACING * size < word.right <= block.left
                    if left
                    else block.right <= word.left < block.right + _OUTLIER_SPACING * size
                )
                if low <= word.base <= high and beside and _near(word, size, _SIZE_OUTLIER):
                    firsts.append(word)
                    break
        if 1 <= len(firsts) <= 3:
            for word in firsts:
                pool.take(word)
                block.add(word)
                block.low, block.high = min(block.low, word.base), max(block.high, word.base)
            return True
    return False


def _block_lines(words: list[_Word]) -> list[list[_Word]]:
    """A block's words in lines: each from the leftmost highest word, along a fixed band."""
    pool = _Pool(words)
    lines: list[list[_Word]] = []
    while (first := pool.first()) is not None:
        pool.take(first)
        line = [first]
        low, high = first.base - _LINE_BAND * first.size, first.base + _LINE_BAND * first.size
        while True:
            best: _Word | None = None
            for _, held in pool.within(low, high):
                word = next((w for w in held if low <= w.base <= high), None)
                if word is None:
                    continue
                gap = word.left - line[-1].right
                if gap < -_BACK * first.size:
                    best = None
                    break
                if gap < _WORD_SPACING * first.size and (best is None or word.left < best.left):
                    best = word
            if best is None:
                break
            pool.take(best)
            line.append(best)
        lines.append(line)
    return sorted(lines, key=lambda line: (line[0].base, line[0].left))
