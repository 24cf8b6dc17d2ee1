"""A page read as it is laid out: lines top to bottom, each left to right, in the text's own frame.

pdfium keeps the order in which the content stream shows text. A stream may draw one line in
pieces with other lines drawn between them ("Statement of Far", a line below, "ida Kha", …):
pdfium then reads "Far\\n<the other line>\\nida Kha" and no matcher sees the name, while every
reader that orders by position (poppler's ``pdftotext``, OCR, the eye) reads it whole.

``reading_order`` groups pdfium's characters into lines: characters of the same direction
(upright, or turned a quarter, half or three quarters by the page's matrix) whose middles sit
within half a line height of each other, read along that direction. Characters turned by other
angles are left to the content-order reading. A gap wider than ``_COLUMN_GAP`` line heights
ends a piece of the line with ``COLUMN_BREAK``, which no matcher reads across: two columns side
by side never join their words into a name. The page is also read with its lines grouped as
poppler's ``pdftotext`` groups them (``bands``), and, where lines drift or mix sizes, grouped
letter to letter or within the shorter height: each grouping not read already is read after a
column break, so a name any of these readers sees whole is found whole.

Reading every character's box and angle costs about 1.5 microseconds a character (2.6 through
pypdfium2's helpers: ``char_boxes`` and ``_quarters`` call pdfium directly), so most pages are
only screened (``out_of_order``): pdfium breaks its text where a new line starts, and a page
whose pieces each sit below the one before reads the same both ways.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, reduce
from itertools import pairwise
from typing import cast

import pypdfium2 as pdfium
from pypdfium2 import PdfiumError

from bundler.core.anonymise.pdf.bands import poppler_lines
from bundler.core.anonymise.pdf.geometry import Rect, union

__all__ = [
    "COLUMN_BREAK",
    "LINE_BREAKS",
    "char_box",
    "char_boxes",
    "drawn_again",
    "drawn_twice",
    "out_of_order",
    "reading_order",
    "spread_apart",
    "type3_font",
    "upward_pieces",
]

LINE_BREAKS = "\r\n\x02"
COLUMN_BREAK = "\n\ufffc\n"  # an object replacement character: no form of any target spans it
_GAP = 0.5  # a gap wider than this many line heights separates words
_COLUMN_GAP = 1.5  # and one wider than this separates columns, or one wider than _GAP
# between text pdfium read apart (two columns' lines level across a narrow gutter)
_SPACED = 0.1  # a space pdfium reads (with no box of its own) counts where the gap is this wide
_SKEW = math.atan(0.1)  # radians: text turned further from a quarter turn is not read here (poppler:
# text whose tangent is within 0.1 of a quarter turn is read as lines; further, as diagonal text)
_Placed = tuple[int, str, Rect]  # pdfium index, character, box in the text's own frame


def char_box(textpage: pdfium.PdfTextPage, i: int) -> Rect | None:
    """The line-height box of a character, else its ink box (a font may claim zero widths)."""
    return char_boxes(textpage, (i,))[0]


def char_boxes(textpage: pdfium.PdfTextPage, indices: Iterable[int]) -> list[Rect | None]:
    """``char_box`` of each index: the loose box, else the tight one, else None; a
    ``PdfiumError`` for an index pdfium has no character for. pdfium is called directly and one
    rectangle reused (pypdfium2's ``get_charbox`` makes new ctypes objects on every call)."""
    raw, loose_box, tight_box = textpage.raw, pdfium.raw.FPDFText_GetLooseCharBox, pdfium.raw.FPDFText_GetCharBox
    rect = pdfium.raw.FS_RECTF()
    loose = ctypes.byref(rect)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    tight = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    found: list[Rect | None] = []
    for i in indices:
        if not loose_box(raw, i, loose):
            raise PdfiumError("Failed to get charbox.")
        box = (rect.left, rect.bottom, rect.right, rect.top)
        if not (box[2] - box[0] > 0.01 and box[3] - box[1] > 0.01):
            if not tight_box(raw, i, *tight):  # left, right, bottom, top: pdfium's order
                raise PdfiumError("Failed to get charbox.")
            box = (left.value, bottom.value, right.value, top.value)
            if not (box[2] - box[0] > 0.01 and box[3] - box[1] > 0.01):
                found.append(None)
                continue
        found.append(box)
    return found


def _turns(angle: float) -> int | None:
    if angle < 0:
        return None  # pdfium could not tell
    turns = round(angle / (math.pi / 2))
    return turns % 4 if abs(angle - turns * math.pi / 2) <= _SKEW else None


def _quarter(textpage: pdfium.PdfTextPage, i: int) -> int | None:
    """How many quarter turns (clockwise, as pdfium measures) the character is drawn at."""
    return _turns(float(pdfium.raw.FPDFText_GetCharAngle(textpage, i)))


def _quarters(textpage: pdfium.PdfTextPage, indices: Iterable[int]) -> dict[int, int | None]:
    """``_quarter`` of each index, pdfium called directly."""
    raw, angle = textpage.raw, pdfium.raw.FPDFText_GetCharAngle
    return {i: _turns(float(angle(raw, i))) for i in indices}


def _in_frame(box: Rect, quarter: int) -> Rect:
    """``box`` in the frame where the text runs left to right and up is up."""
    left, bottom, right, top = box
    if quarter == 1:  # running down the page
        return (-top, left, -bottom, right)
    if quarter == 2:  # upside down
        return (-right, -top, -left, -bottom)
    if quarter == 3:  # running up the page
        return (bottom, -right, top, -left)
    return box


_MIXED = 2.0  # a line whose tallest letter is more than this many times its shortest
# a line of several text objects whose largest letter is more than this many times its smallest (in
# font size as poppler takes it) is not read as one line by the screen: poppler takes a word into a
# block's line while their sizes differ by at most 0.6 of the block's (18 pt beside 11 pt is left
# out, 17 pt is not; round 23), so from 1.6 times on either way. A redaction's label is drawn at
# 0.75 of its box's height: 1.5 times smaller than pdflatex's text, whose boxes are short
_SIZES = 1.55


def _lines(placed: list[_Placed], strict: bool = False, seen: list[bool] | None = None) -> list[list[_Placed]]:
    """Characters grouped into lines (by the middle of their boxes), top line first: a character
    joins the line when its middle lies within half the taller (``strict``: the shorter) of its
    height and the line's first character's.

    ``seen`` ([drifts, mixed]) is told when a line starts within half a height of the letter
    read before it (a line drifting down may have been cut: ``_chains``), and when a line holds
    letters more than ``_MIXED`` times apart in height."""
    lines: list[list[_Placed]] = []
    middle = height = low = high = before = before_size = 0.0  # before: the character read before
    near = min if strict else max
    for item in sorted(placed, key=lambda p: -(p[2][1] + p[2][3])):
        box = item[2]
        centre, size = (box[1] + box[3]) / 2, box[3] - box[1]
        if lines and abs(centre - middle) <= 0.5 * near(height, size):
            lines[-1].append(item)
            if size < low:
                low = size
            elif size > high:
                high = size
        else:
            if seen is not None and lines:
                seen[0] = seen[0] or abs(centre - before) <= 0.5 * max(before_size, size)
                seen[1] = seen[1] or high > _MIXED * low
            lines.append([item])
            middle = height = low = high = size
            middle = centre
        before, before_size = centre, size
    if seen is not None and lines:
        seen[1] = seen[1] or high > _MIXED * low
    return [sorted(line, key=lambda p: p[2][0]) for line in lines]


_CHAIN_GAP = 3.0  # heights: the widest gap along a line a letter may follow the one before across


def _chains(placed: list[_Placed]) -> list[list[_Placed]]:
    """Characters grouped into lines letter to letter: left to right, each joins the line whose
    last letter ends just before it (within ``_CHAIN_GAP`` heights, overlapping it by less than
    half the narrower width) with its middle within half the taller height of that letter's and
    nearest in height; otherwise it starts a line. A line drawn sloping down stays one, and a line
    below it, starting further left, is not drawn in."""
    lines: list[list[_Placed]] = []
    for item in sorted(placed, key=lambda p: p[2][0]):
        box = item[2]
        centre, size = (box[1] + box[3]) / 2, box[3] - box[1]
        best: tuple[float, list[_Placed]] | None = None
        for line in lines:
            last = line[-1][2]
            height = max(size, last[3] - last[1])
            off = abs(centre - (last[1] + last[3]) / 2)
            step = box[0] - last[2]
            if off > 0.5 * height or step > _CHAIN_GAP * height or 2 * step < -min(box[2] - box[0], last[2] - last[0]):
                continue
            if best is None or off < best[0]:
                best = (off, line)
        if best is None:
            lines.append([item])
        else:
            best[1].append(item)
    return sorted(lines, key=lambda line: -(line[0][2][1] + line[0][2][3]))


def _apart(last: int, i: int, chars: list[str]) -> bool:
    """pdfium did not read ``i`` right after (or right before) ``last``: more than spaces lie
    between them. Right before: glyphs stepped back one by one read back to front in pdfium's
    order, and each is still the neighbour of the one beside it."""
    low, high = min(last, i), max(last, i)
    return not (low >= 0 and all(ch.isspace() and ch not in LINE_BREAKS for ch in chars[low + 1 : high]))


def _column(gap: float, height: float, last: int, i: int, chars: list[str]) -> bool:
    """Whether a gap separates columns: very wide, or wide between text pdfium read apart."""
    return gap > _COLUMN_GAP * height or (_apart(last, i, chars) and gap > _GAP * height)


def _read_line(
    line: list[_Placed],
    chars: list[str],
    spaced: set[int],
    parts: list[str],
    index: list[int],
    again: Callable[[int, int], bool] | None = None,
) -> None:
    """One line left to right: a space at a word's gap, ``COLUMN_BREAK`` at a column's.

    ``spaced``: characters pdfium reads a space after that has no box (most PDFs' word
    spaces): a space there too if the gap shows one (a space of no width joins the word).
    ``again``: whether a character is the one read before it drawn again on it
    (``drawn_again``): it is then not read, as poppler discards such a copy and the eye sees
    one letter ("Far" + "r" a hair right of the "r" + "ida" is "Farida" to both)."""
    end: float | None = None  # where the character before ended
    last = -1
    before = ""  # the character read before
    add, place = parts.append, index.append  # run for every character of every reading
    for i, ch, box in line:
        if ch == before and again is not None and end is not None and again(last, i):
            end = max(end, box[2])  # its copy's ink reaches on: a gap is measured from there
            continue
        gap = box[0] - end if end is not None else 0.0
        height = box[3] - box[1]
        # a boxless space counts only between characters pdfium read one after the other: glyphs
        # placed one by one out of order ("a", "d", "i" … by their own Tm) still read as a word
        if gap > _GAP * height or (last in spaced and gap > _SPACED * height and not _apart(last, i, chars)):
            between = COLUMN_BREAK if _column(gap, height, last, i, chars) else " "
            parts.extend(between)
            index.extend([i] * len(between))
        add(" " if ch.isspace() else ch)
        place(i)
        end, last, before = box[2], i, ch
    add("\n")
    place(line[-1][0])


_SLANT = 4  # the "quarter" of text at a slant (in its own frame): none of the four, not upright to ``bands``


def _slanted(slants: list[tuple[float, int]], chars: list[str], boxes: list[Rect | None]) -> list[list[_Placed]]:
    """Text at a slant in groups of angles within ``_SKEW`` of the group's first, each letter's
    box in the group's frame: turned by the group's first angle (pdfium's, clockwise) so that
    its line runs left to right, the box the one about the letter's box turned so (a glyph's
    box, turned, is about as wide as its own and centred on it)."""
    groups: list[list[_Placed]] = []
    start = -math.inf
    for angle, i in sorted(slants):
        if angle - start > _SKEW:
            start, cos, sin = angle, math.cos(angle), math.sin(angle)
            groups.append([])
        left, bottom, right, top = cast(Rect, boxes[i])
        xs = [x * cos - y * sin for x in (left, right) for y in (bottom, top)]
        ys = [x * sin + y * cos for x in (left, right) for y in (bottom, top)]
        groups[-1].append((i, "-" if chars[i] == "\x02" else chars[i], (min(xs), min(ys), max(xs), max(ys))))
    return groups


# poppler discards text drawn again within 0.1 of a font size along its line and 0.2 across
# (``dupMaxPriDelta``, ``dupMaxSecDelta``: fake bold, drop shadows); pdfium only within about 0.07
_AGAIN_ALONG, _AGAIN_ACROSS = 0.1, 0.2
_THIN, _TOUCH = 0.1, 0.05  # ``_overlap``: a box this thin for its length; letters that only touch
_REPEATED = re.compile(r"(.)(?:\1|\s\1)")  # a character after itself, or after itself and a space


def drawn_again(textpage: pdfium.PdfTextPage, before: int, after: int) -> bool:
    """Whether the character at ``after`` is the one at ``before`` drawn again where poppler
    takes the two for one: origins within ``_AGAIN_ALONG`` of a font size (the larger of the
    two, as poppler takes it) along the line and ``_AGAIN_ACROSS`` across it, whichever way
    the line runs (pdfium's angle). The caller has compared the characters. The letters
    of one ligature glyph ("ff" in "different": pdfium gives each the glyph's box) are not."""
    if after == before + 1 and len(set(char_boxes(textpage, (before, after)))) == 1:
        return False
    raw, origin = textpage.raw, pdfium.raw.FPDFText_GetCharOrigin
    x, y = ctypes.c_double(), ctypes.c_double()
    if not origin(raw, before, ctypes.byref(x), ctypes.byref(y)):
        return False
    x0, y0 = x.value, y.value
    if not origin(raw, after, ctypes.byref(x), ctypes.byref(y)):
        return False
    angle = float(pdfium.raw.FPDFText_GetCharAngle(raw, before))
    if angle < 0:
        return False  # pdfium could not tell how the text runs
    size = max(_font_sizes(textpage, [before, after]))  # 0 where pdfium cannot tell: the very same place only
    # measured along the line and across it, whichever way it runs: a quarter turn or a slant
    # (round 31: "Far" + "r" a hair on, on a line turned 0.3 rad, is "Farida" to poppler and the eye)
    dx, dy, cos, sin = x.value - x0, y.value - y0, math.cos(angle), math.sin(angle)
    along, across = abs(dx * cos - dy * sin), abs(dx * sin + dy * cos)
    return along <= _AGAIN_ALONG * size and across <= _AGAIN_ACROSS * size


def drawn_twice(textpage: pdfium.PdfTextPage, chars: list[str]) -> bool:
    """Whether a letter is drawn again on itself (``drawn_again``) right after itself in
    pdfium's text, or after a space: pdfium keeps both copies ("Farrida") where they lie
    further apart than it merges, poppler reads one ("Farida"), and so does ``reading_order``.
    Only identical characters side by side are looked at (a few dozen a page: "ll", "ss"), and
    only those whose boxes overlap (``_overlap``) are measured. A copy of two or more letters
    steps back over the first copy's letters: ``out_of_order`` (several text objects) or
    ``moves_back`` (one) sends that page."""
    text = "".join(chars)
    if len(text) != len(chars):
        return True  # not one character an index: no cheap answer, read in reading order
    raw, loose_box = textpage.raw, pdfium.raw.FPDFText_GetLooseCharBox
    rect = pdfium.raw.FS_RECTF()
    held = ctypes.byref(rect)
    for found in _REPEATED.finditer(text):  # pdfium called directly: this runs on every page
        a, b = found.start(), found.end() - 1
        if found[1].isspace() or not loose_box(raw, a, held):
            continue
        first = (rect.left, rect.bottom, rect.right, rect.top)
        if not loose_box(raw, b, held):
            continue
        second = (rect.left, rect.bottom, rect.right, rect.top)
        if second != first and _overlap(first, second) and drawn_again(textpage, a, b):
            return True  # (the same box: a ligature's letters, or a copy pdfium merges itself)
    return False


def _overlap(a: Rect, b: Rect) -> bool:
    """Whether two boxes may be one letter drawn twice: they overlap by more than a twentieth of
    their width and height, or one is too thin to tell (a copy 0.1 of a size along lies off a
    letter narrower than that). Letters side by side only touch."""
    wide, high = min(a[2] - a[0], b[2] - b[0]), min(a[3] - a[1], b[3] - b[1])
    if min(wide, high) < _THIN * max(a[2] - a[0], a[3] - a[1], b[2] - b[0], b[3] - b[1]):
        return True
    along = min(a[2], b[2]) - max(a[0], b[0])
    across = min(a[3], b[3]) - max(a[1], b[1])
    return along > _TOUCH * wide and across > _TOUCH * high


def _near_slants(
    slants: list[tuple[float, int]], others: list[tuple[float, int]], boxes: list[Rect | None]
) -> list[tuple[float, int]]:
    """Those of ``others`` whose box lies within two of the tallest slanted letter's box sizes of
    a letter at a slant (a page of upright text is not chained letter to letter for a label)."""
    reach = 2 * max((max(b[2] - b[0], b[3] - b[1]) for b in (cast(Rect, boxes[i]) for _, i in slants)), default=0.0)
    if reach <= 0:
        return []
    cells = {(int(b[0] // reach), int(b[1] // reach)) for b in (cast(Rect, boxes[i]) for _, i in slants)}
    near = []
    for angle, i in others:
        box = cast(Rect, boxes[i])
        cx, cy = int(box[0] // reach), int(box[1] // reach)
        if any((cx + dx, cy + dy) in cells for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            near.append((angle, i))
    return near


_ARC_TURN = 0.35  # radians: the most a letter turns from the one before along a curved line
_ARC_STEP, _ARC_OFF = 1.6, 0.35  # heights: how far on the next letter's middle may lie, and how far off the line


def _arcs(
    slants: list[tuple[float, int]], others: list[tuple[float, int]], chars: list[str], boxes: list[Rect | None]
) -> list[list[_Placed]]:
    """Text at a slant read letter to letter along a line that turns (a name lettered on an arc,
    as a stamp's is, each letter turned to the curve: no one angle group holds it, round 30).
    Each letter is followed by the nearest letter ahead of it along its direction, within
    ``_ARC_STEP`` of its height ahead and ``_ARC_OFF`` across, turned at most ``_ARC_TURN`` from
    it (a letter claimed twice goes to the nearer). Each chain is one line, its letters placed
    along it at the distance walked, each as wide and high as its box turned to its angle.
    ``others``: text at a quarter turn, taken in where it lies near text at a slant (an arc
    passes through a quarter turn: its letters there are pdfium's upright or turned ones)."""
    placed = []
    for angle, i in [*slants, *_near_slants(slants, others, boxes)]:
        left, bottom, right, top = cast(Rect, boxes[i])
        cos, sin = math.cos(angle), math.sin(angle)
        xs = [x * cos - y * sin for x in (left, right) for y in (bottom, top)]
        ys = [x * sin + y * cos for x in (left, right) for y in (bottom, top)]
        width, height = max(xs) - min(xs), max(ys) - min(ys)
        placed.append((i, angle, (left + right) / 2, (bottom + top) / 2, width, height))
    heights = sorted(item[5] for item in placed)
    cell = max(2 * heights[len(heights) // 2], 1.0) if heights else 1.0  # a letter's step, about
    grid: dict[tuple[int, int], list[int]] = {}
    for k, item in enumerate(placed):
        grid.setdefault((int(item[2] // cell), int(item[3] // cell)), []).append(k)
    best: dict[int, tuple[float, int]] = {}  # follower -> (distance, letter it follows)
    turns = [(math.cos(item[1]), math.sin(item[1])) for item in placed]
    for k, (_, angle, x, y, _, height) in enumerate(placed):
        found: tuple[float, int] | None = None
        gx, gy, reach = int(x // cell), int(y // cell), math.ceil(_ARC_STEP * height / cell)
        near = range(-reach, reach + 1)  # the cells a follower may lie in: more for a big letter
        cos, sin = turns[k]  # ahead and across measured at this letter's angle: within 2% of the
        step, off_line = _ARC_STEP * height, _ARC_OFF * height  # mean's at the largest turn
        for other in (o for dx in near for dy in near for o in grid.get((gx + dx, gy + dy), ())):
            _, other_angle, other_x, other_y, _, _ = placed[other]
            dx_, dy_ = other_x - x, other_y - y
            ahead = dx_ * cos - dy_ * sin
            if not 0 < ahead <= step or abs(dx_ * sin + dy_ * cos) > off_line or (found and ahead >= found[0]):
                continue
            if abs((other_angle - angle + math.pi) % (2 * math.pi) - math.pi) <= _ARC_TURN:
                found = (ahead, other)
        if found is not None and (found[1] not in best or found[0] < best[found[1]][0]):
            best[found[1]] = (found[0], k)
    follows = {k: (other, ahead) for other, (ahead, k) in best.items()}
    lines: list[list[_Placed]] = []
    visited: set[int] = set()
    # chains from letters nothing follows first; then from any letter left (a closed ring)
    for start in [*(k for k in range(len(placed)) if k not in best), *range(len(placed))]:
        line: list[_Placed] = []
        walked, at = 0.0, start
        while at not in visited:
            visited.add(at)
            i, _, _, _, width, height = placed[at]
            letter = "-" if chars[i] == "\x02" else chars[i]
            line.append((i, letter, (walked - width / 2, -height / 2, walked + width / 2, height / 2)))
            if at not in follows:
                break
            at, step = follows[at]
            walked += step
        if len(line) > 1:
            lines.append(line)
    return lines


def reading_order(textpage: pdfium.PdfTextPage, chars: list[str], boxes: list[Rect | None]) -> tuple[str, list[int]]:
    """The page's characters as placed, and the pdfium index of each character of that text.

    ``chars`` and ``boxes``: pdfium's character and (user space) box at each index."""
    by_quarter: dict[int, list[_Placed]] = {}
    # A space is where a gap is, not where its glyph is drawn: a space drawn over the next word
    # ("Kha", " " drawn on "num") must not split the word a reader by position sees whole. So a
    # space, boxed or not, only marks the character before it as followed by one (``_read_line``).
    spaced = {i - 1 for i, ch in enumerate(chars) if ch.isspace() and ch not in LINE_BREAKS}
    pairs = enumerate(zip(chars, boxes, strict=True))
    # U+0002 is pdfium's mark for a hyphen it took to end a line, in the hyphen's own box: read
    # as the hyphen where it lies, since pdfium's next line ("Kha-" above "num" drawn first) need
    # not be the line reading order puts after it, where "Kha-" / "num" still joins
    placed = [i for i, (ch, box) in pairs if box is not None and ch not in "\r\n" and not ch.isspace()]
    raw, char_angle = textpage.raw, pdfium.raw.FPDFText_GetCharAngle
    slants: list[tuple[float, int]] = []  # (angle, index) of text at a slant
    upright: list[tuple[float, int]] = []  # and of text at a quarter turn
    for i in placed:
        angle = float(char_angle(raw, i))
        quarter = _turns(angle)
        box = boxes[i]
        ch = "-" if chars[i] == "\x02" else chars[i]
        if quarter is not None and box is not None:
            by_quarter.setdefault(quarter, []).append((i, ch, box if quarter == 0 else _in_frame(box, quarter)))
            upright.append((angle, i))
        elif angle >= 0:
            slants.append((angle, i))
    # Text at a slant (a stamp, a label, or a name drawn in pieces along a sloping line, out of
    # order: "num", "da Kha", "Fari" at 30 degrees, round 29) is read along its own line: each
    # run of angles within ``_SKEW`` of one another in its own frame, after the quarter turns.
    slanted = _slanted(slants, chars, boxes)
    groups = [*(by_quarter[q] for q in sorted(by_quarter)), *slanted]
    kinds = [*sorted(by_quarter), *([_SLANT] * len(slanted))]
    parts: list[str] = []
    index: list[int] = []
    dropped: list[int] = []  # characters not read, as drawn again on the one before (``_read_line``)

    @cache
    def copied(before: int, after: int) -> bool:
        if drawn_again(textpage, before, after):
            dropped.append(after)
            return True
        return False

    read: set[tuple[tuple[int, ...], ...]] = set()  # the groupings read: one read before is not read again

    def _read_again(again: Sequence[list[_Placed] | None], seen_as: list[str] = chars) -> None:
        """Lines read after a column break; None: a column break between two of them. ``seen_as``:
        pdfium's characters as this reading takes them (what lies between two letters)."""
        grouping = tuple(() if line is None else tuple(i for i, _, _ in line) for line in again)
        if grouping in read:
            return
        read.add(grouping)
        for line in [None, *again]:
            if line is None:
                parts.extend(COLUMN_BREAK)
                index.extend([index[-1] if index else 0] * len(COLUMN_BREAK))
            else:
                _read_line(line, seen_as, spaced, parts, index, copied)

    # Read twice: with pdfium's boxless spaces (word spaces of most PDFs) and without them
    # (letters placed one by one a little apart, where pdfium also guesses a space: "Far i da"
    # is one word to the eye). A column break keeps the two readings apart.
    seen = [False, False]  # a line drifts into the next; a line of mixed heights
    lines = [line for group in groups for line in _lines(group, seen=seen)]  # once
    read.add(tuple(tuple(i for i, _, _ in line) for line in lines))
    for honoured in (spaced, set()):
        for line in lines:
            _read_line(line, chars, honoured, parts, index, copied)
        if honoured and index:
            parts.extend(COLUMN_BREAK)
            index.extend([index[-1]] * len(COLUMN_BREAK))
        elif not spaced:
            break  # no boxless space on the page: the second reading would be the first
    # A line that holds letters of very different heights (40 pt letters drawn beside a 12 pt
    # line) may have taken in a line above or below it by their height, interleaving the two
    # ("FFoaortiedra…" for a name over a footer), which no reader by position does: read again
    # with lines joined only within the shorter height, after a column break.
    if seen[1]:
        _read_again([line for group in groups for line in _lines(group, strict=True)])
    # A line drawn sloping down a little per letter is cut wherever it has drifted half a height
    # from its first letter ("FaridaK" / "hanum"), while poppler follows it letter by letter: where
    # a line starts within half a height of the letter read before it, read lines chained letter to
    # letter too (``_chains``).
    if seen[0]:
        _read_again([line for group in groups for line in _chains(group)])
    # And as poppler reads lines (``bands``): in blocks, each line from the left within a band
    # about its first word's baseline; letters of another size or a line crossing it are kept
    # apart, and a line leaving its band goes on as lines of its own.
    banded = [poppler_lines(textpage, group, kind) for group, kind in zip(groups, kinds, strict=True)]
    for way in range(max((len(ways) for ways in banded), default=0)):
        _read_again([line for ways in banded for line in ways[min(way, len(ways) - 1)]])
    # text at a slant may turn along a curve, past a quarter too, or go on from upright text
    # beside it ("The statement of Fari" upright, "da Khanum" turned 0.1 rad: one line to poppler,
    # round 40): letters chained one to the next, whatever their group
    if slanted:
        _read_again(_arcs(slants, upright, chars, boxes))
    # A Type3 font's size is another to poppler (its "m" width and matrix: ``glyphs.vectors._type3``),
    # which may keep its words out of a block or line that pdfium's sizes put them in: read the
    # page again without them, as by line and as poppler groups lines ("Fari-" / "da Kha-" /
    # "num" down the left once the Type3 "Note" beside each is left out; "FariXda" without "X").
    type3 = _type3_letters(textpage, [i for group in groups for i, _, _ in group])
    if type3:
        kept = [[item for item in group if item[0] not in type3] for group in groups]
        gone = [" " if i in type3 else ch for i, ch in enumerate(chars)]  # a space where they were
        _read_again([line for group in kept for line in _lines(group)], gone)
        banded = [poppler_lines(textpage, group, kind) for group, kind in zip(kept, kinds, strict=True) if group]
        for way in range(max((len(ways) for ways in banded), default=0)):
            _read_again([line for ways in banded for line in ways[min(way, len(ways) - 1)]], gone)
    # Text may be mirrored (drawn with a negative scale, "munahK adiraF" shows the name to the eye),
    # which a reader by position reads the other way round: pdfium then sees it turned, or upright
    # when it is flipped top to bottom (what a page's /Rotate shows, poppler reads on the turned
    # page: "1 0 0 -1 Tm (munahK adiraF)" on a page turned half a turn). So all text is read the
    # other way too, after a column break.
    for group, kind in zip(groups, kinds, strict=True):
        if kind == _SLANT:  # turned half a turn in its own frame
            mirrored = [(i, ch, (-box[2], -box[3], -box[0], -box[1])) for i, ch, box in group]
        else:
            mirrored = [(i, ch, _in_frame(cast(Rect, boxes[i]), (kind + 2) % 4)) for i, ch, _ in group]  # placed
        parts.extend(COLUMN_BREAK)
        index.extend([index[-1] if index else 0] * len(COLUMN_BREAK))
        for line in _lines(mirrored):
            _read_line(line, chars, set(), parts, index, copied)
    # A letter drawn again on itself is not read (poppler discards the copy), but poppler keeps
    # a copy that is not a word of its own ("Han" + "n" + "ah" drawn on each other is "Hannah"):
    # where a letter was dropped, the lines are read once more with every letter, after a break.
    if dropped:
        parts.extend(COLUMN_BREAK)
        index.extend([index[-1]] * len(COLUMN_BREAK))
        for line in lines:
            _read_line(line, chars, spaced, parts, index)
    return "".join(parts), index


def type3_font(font: ctypes.c_void_p, known: dict[int | None, bool]) -> bool:
    """Whether pdfium's ``font`` is a Type3 font: one it calls embedded but holds no program of."""
    key = ctypes.cast(font, ctypes.c_void_p).value
    if key not in known:
        size = ctypes.c_size_t(0)
        held = pdfium.raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size)) and size.value > 0
        known[key] = bool(pdfium.raw.FPDFFont_GetIsEmbedded(font)) and not held
    return known[key]


def _draws_type3(objects: Iterable[ctypes.c_void_p], known: dict[int | None, bool], depth: int = 0) -> bool:
    """Whether any of the page ``objects`` (forms opened) is text in a Type3 font."""
    raw = pdfium.raw
    for obj in objects:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT and type3_font(raw.FPDFTextObj_GetFont(obj), known):
            return True
        if kind == raw.FPDF_PAGEOBJ_FORM:
            inner = (raw.FPDFFormObj_GetObject(obj, k) for k in range(raw.FPDFFormObj_CountObjects(obj)))
            if depth >= 12 or _draws_type3(inner, known, depth + 1):
                return True
    return False


def _type3_letters(textpage: pdfium.PdfTextPage, indices: list[int]) -> set[int]:
    """Which of ``indices`` pdfium draws in a Type3 font (none, cheaply, on a page without one)."""
    raw, page = pdfium.raw, textpage.page.raw
    known: dict[int | None, bool] = {}
    if not _draws_type3((raw.FPDFPage_GetObject(page, k) for k in range(raw.FPDFPage_CountObjects(page))), known):
        return set()
    text_object, font_of = raw.FPDFText_GetTextObject, raw.FPDFTextObj_GetFont
    found = set()
    for i in indices:
        obj = text_object(textpage.raw, i)
        if obj and type3_font(font_of(obj), known):
            found.add(i)
    return found


_PIECE = re.compile(f"[^{LINE_BREAKS}]+")


def _pieces(chars: list[str]) -> list[tuple[int, int]]:
    """First and last index of each run of characters between pdfium's line breaks."""
    text = "".join(chars)
    if len(text) == len(chars):  # one character at each index (as ``locate.page_chars`` gives)
        return [(m.start(), m.end() - 1) for m in _PIECE.finditer(text)]
    pieces: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate([*chars, "\n"]):
        if ch in LINE_BREAKS:
            if start is not None:
                pieces.append((start, i - 1))
            start = None
        elif start is None:
            start = i
    return pieces


def _piece_frame(textpage: pdfium.PdfTextPage, first: int, last: int) -> tuple[int, Rect] | None:
    """The direction and extent of a piece, from its first and last character; None if mixed.
    A piece whose last character starts before its first, in its own direction (glyphs
    stepped back by a negative character or word spacing), is "turned within" too (-1)."""
    ends = _placed_ends(textpage, first, last)
    if ends is None:
        return None  # no character with an extent: nothing of it is read by ``reading_order``
    first, last = ends
    quarters = {_quarter(textpage, first), _quarter(textpage, last)}
    found = char_boxes(textpage, (first, last))
    boxes = [box for box in found if box is not None]
    if not boxes:
        return None
    if quarters == {None}:
        return _SLANT, boxes[0]  # text at a slant: read in its own frame by ``reading_order``
    quarter = quarters.pop() if len(quarters) == 1 else None
    if quarter is None:
        return -1, boxes[0]  # turned within the piece
    if len(boxes) == 2 and _in_frame(boxes[1], quarter)[0] < _in_frame(boxes[0], quarter)[0]:
        return -1, boxes[0]  # read back to front
    return quarter, _in_frame(union(boxes[0], boxes[-1]), quarter)


def _font_sizes(textpage: pdfium.PdfTextPage, indices: list[int]) -> list[float]:
    """Each character's font size as poppler takes it: the size times the text's vertical scale
    (``bands._bases``); 0 where pdfium cannot tell."""
    raw, font_size, char_matrix = textpage.raw, pdfium.raw.FPDFText_GetFontSize, pdfium.raw.FPDFText_GetMatrix
    matrix = pdfium.raw.FS_MATRIX()
    held = ctypes.byref(matrix)
    return [font_size(raw, i) * math.hypot(matrix.c, matrix.d) if char_matrix(raw, i, held) else 0.0 for i in indices]


def _placed_ends(textpage: pdfium.PdfTextPage, first: int, last: int) -> tuple[int, int] | None:
    """The first and last character of a piece that have a box (what ``reading_order`` places):
    a piece that starts or ends in characters of no width ("\u00a0ida Kha\u00a0", a no-break
    space of width 0) is placed where its letters are, not skipped. None if none has a box."""
    start = next((i for i in range(first, last + 1) if char_box(textpage, i) is not None), None)
    if start is None:
        return None
    end = next(i for i in range(last, start - 1, -1) if char_box(textpage, i) is not None)
    return start, end


def _one_line(
    textpage: pdfium.PdfTextPage, chars: list[str], first: int, last: int, quarter: int | None
) -> tuple[bool, Rect | None]:
    """(whether, the extent of its placed characters in its frame): whether the characters of a
    piece pdfium draws in more than one run (text object) read in pdfium's order in
    ``reading_order``: all placed at the piece's turn, their middles within half the smallest
    height of one another (one line, whichever of them starts it), and each starting no further
    back along the line than the one before. pdfium keeps an object in the piece when it starts
    within the height of the one before, so big letters on a lower line drawn between the parts
    of a name ("Far", "ZZ", "ida") are one piece of pdfium's. The extent holds the tallest
    character: a line's height, in reading order, may be its."""
    indices = [i for i in range(first, last + 1) if chars[i] not in LINE_BREAKS]
    turns = _quarters(textpage, indices)
    placed = [(i, box) for i, box in zip(indices, char_boxes(textpage, indices), strict=True) if box is not None]
    if quarter is None or any(turns[i] != quarter for i, _ in placed):
        only_left_out = not any(turns[i] is not None for i, _ in placed)  # characters reading order leaves out
        return only_left_out, None
    framed = [_in_frame(box, quarter) for _, box in placed]
    if not framed:
        return True, None
    middles = [(box[1] + box[3]) / 2 for box in framed]
    if max(middles) - min(middles) > 0.5 * min(box[3] - box[1] for box in framed):
        return False, None
    sizes = _font_sizes(textpage, [i for i, _ in placed])
    if min(sizes) <= 0 or max(sizes) > _SIZES * min(sizes):
        # letters of very different sizes on one line: poppler keeps a word far from its block's
        # size out of it (and may read the rest of the line down as a column), pdfium does not
        return False, None
    return all(before[0] <= after[0] for before, after in pairwise(framed)), reduce(union, framed)


def _runs(textpage: pdfium.PdfTextPage, first: int, last: int) -> int:
    """How many rectangles pdfium makes of a piece: one per text object on each line."""
    return int(pdfium.raw.FPDFText_CountRects(textpage.raw, first, last - first + 1))


def _screened_pieces(chars: list[str], last_apart: str | None) -> list[tuple[int, int]]:
    """``_pieces``, but the last when it is exactly ``last_apart`` (``out_of_order``)."""
    pieces = _pieces(chars)
    if last_apart is not None and pieces and "".join(chars[pieces[-1][0] : pieces[-1][1] + 1]) == last_apart:
        pieces.pop()
    return pieces


def out_of_order(textpage: pdfium.PdfTextPage, chars: list[str], last_apart: str | None = None) -> bool:
    """Whether ``reading_order`` may read the page differently from pdfium's ``chars``: some
    piece of its text is not on a line of its own below the piece before (same direction), or
    is read back to front, or draws in several runs that reading order would not read in
    pdfium's order (``_one_line``).

    ``last_apart``: the text of a piece drawn after the page (a stamp) that no target can
    hold a character of (``joins.never_joins``). When the last piece is exactly that text it
    is not screened: wherever it sits, reading order only puts its characters beside others,
    and a name found so would hold one of them. Only the last piece: taking one out from
    between two others would put those two side by side, which the page does not."""
    return not _read_in_turn(textpage, chars, _screened_pieces(chars, last_apart))


# a run of spaces inside a piece, between two characters that are not (line breaks end pieces)
_BETWEEN = re.compile("(?<=[^\\s\x02])[^\\S\r\n]+(?=[^\\s\x02])")


def spread_apart(textpage: pdfium.PdfTextPage, chars: list[str]) -> bool:
    """Whether a gutter lies inside one of pdfium's lines: a space whose neighbours lie further
    apart than a word's gap (0.5 line heights, in any of the four directions text runs), or
    whose neighbour has no box to measure from.

    poppler builds a block from lines one above the other and leaves out of it a word more than
    about 0.7 of a size past its edge (or of a size far from the block's): it may then read the
    part before a gutter down with the lines below it, as a column ("in support of Fari-" /
    "da Kha-" / "num" down the left, whatever lies right of the gutter), which neither order of
    pdfium's pieces shows. Rounds 22 and 23 showed that which lines poppler takes into the block
    (the lines beside, their sizes, what lies level with the gutter) cannot be told from a few
    boxes: any gutter sends the page to reading order, whose poppler grouping reads the columns.
    pdfium puts a space (its own, with no box, or the page's) wherever text moves on by more than
    about a seventh of an em (a ``TJ`` number, word or character spacing, the next text object),
    so a gutter is found at a space."""
    text = "".join(chars)
    if len(text) != len(chars):
        return True  # not one character an index: no cheap answer, read in reading order
    raw, loose_box = textpage.raw, pdfium.raw.FPDFText_GetLooseCharBox
    rect = pdfium.raw.FS_RECTF()
    held = ctypes.byref(rect)
    for space in _BETWEEN.finditer(text):  # pdfium called directly: every space of every page is looked at
        a, b = space.start() - 1, space.end()
        if not loose_box(raw, a, held):
            return True
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
        if not loose_box(raw, b, held):
            return True
        on_left, on_bottom, on_right, on_top = rect.left, rect.bottom, rect.right, rect.top
        if min(right - left, top - bottom, on_right - on_left, on_top - on_bottom) <= 0.01:
            boxes = char_boxes(textpage, (a, b))  # a box of no area: as ``char_box`` looks again
            if boxes[0] is None or boxes[1] is None:
                return True  # a character with no extent beside a space: what lies beyond it is not measured
            (left, bottom, right, top), (on_left, on_bottom, on_right, on_top) = boxes[0], boxes[1]
        high = _GAP * min(top - bottom, on_top - on_bottom)  # a line's height, upright or upside down
        wide = _GAP * min(right - left, on_right - on_left)  # turned a quarter: the line runs up or down
        if on_left - right > high or left - on_right > high or bottom - on_top > wide or on_bottom - top > wide:
            return True
    return False


def upward_pieces(
    textpage: pdfium.PdfTextPage, chars: list[str], last_apart: str | None = None
) -> list[tuple[int, int]] | None:
    """The pieces (first and last index), in the order ``reading_order`` reads them, of a page
    whose pieces each sit on a line of their own *above* the piece before (otherwise as
    ``out_of_order`` asks); else None.

    pdfium orders a page turned by ``/Rotate 90`` as it is shown: its lines from the bottom of
    the page's own space to the top, the last line drawn first. Reading order then reads the
    pieces in the other order, each as pdfium reads it: their texts, last piece first, one line
    each. ``last_apart``'s piece is left out as ``out_of_order`` leaves it out: wherever reading
    order places it, no target can hold a character of it, and leaving it out only puts two
    pieces side by side, so a screen of their text passes more, never less."""
    pieces = _screened_pieces(chars, last_apart)[::-1]
    return pieces if len(pieces) > 1 and _read_in_turn(textpage, chars, pieces) else None


def _read_in_turn(textpage: pdfium.PdfTextPage, chars: list[str], pieces: list[tuple[int, int]]) -> bool:
    """Whether ``pieces``, in the order given, each sit on a line of their own below the one
    before, in one direction, each read along its line as pdfium reads it (``out_of_order``)."""
    previous: tuple[int, Rect] | None = None
    slanted = False
    for first, last in pieces:
        frame = _piece_frame(textpage, first, last)
        if frame is not None and frame[0] == _SLANT:
            if slanted:
                return False  # two pieces at a slant: reading order reads them in place, whatever the order drawn
            slanted = True
            continue
        if _runs(textpage, first, last) > 1:
            turned = frame[0] if frame is not None and frame[0] >= 0 else None
            ordered, extent = _one_line(textpage, chars, first, last, turned)
            if not ordered:
                return False
            if frame is not None and turned is not None and extent is not None:
                frame = (turned, extent)  # its tallest character decides how far the next must drop
        if frame is None:
            continue
        if frame[0] < 0:
            return False
        if previous is not None:
            (turned, above), (quarter, box) = previous, frame
            drop = (above[1] + above[3]) / 2 - (box[1] + box[3]) / 2
            if turned != quarter or drop <= 0.5 * max(above[3] - above[1], box[3] - box[1]):
                return False
        previous = frame
    return True
