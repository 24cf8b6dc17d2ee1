"""Round 13 attacks on reading order (``layout._lines`` / ``_chains``) and readers' Unicode for
glyphs, after ff2417d; end to end through the CLI as in rounds 6-12 ("Farida Khanum" registered,
pseudonym FK, ``--no-ocr``; a build must refuse with the leak code or write a bundle in which no
reader -- ``pdftotext``, ``pdftotext -layout``, pdfminer.six -- shows "farida" or "khanum", case
folded, spaces and hyphens removed; the source must show the name to at least one of them). A
FAILING test here is a real leak.

Finding (leaks on ff2417d; the leak gate passes; ``page_doubts`` is empty):

1. a staircase crossed by a rising line: round 11's shuffled staircase (the name's glyphs each by
   its own ``Tm``, 1-2 pt lower a glyph) and an ordinary line "Xo Xo …" drawn glyph by glyph in
   the same shuffle, RISING 0.5-1 pt a glyph from beside or just above the name's first letter, so
   the two lines cross. ``_chains`` joins each letter to the line whose last letter is NEAREST in
   height: where the lines cross, the other line's "X" is nearer than the name's own last letter,
   so the chains swap and interleave ("FXarida Khanum", "XoFXaroidaKhanum"); the first-letter
   grouping cuts the staircase as in round 11. poppler keeps the name its own line ("Farida /
   Khanum", "XoFarida / Khanu / m") on the written bundle. Shuffled, so PDFium's content order
   holds no name either; pypdf's text none.

What held (builds unless "screened" = ``reading_order`` and the readers on the source page only):
- a zero-width code mapped by ToUnicode to a space, to nothing, to a line feed or a soft hyphen
  between the letters of the name (4 built): every reader and PDFium read the name; refused.
  (Mapped to U+200B or U+FFFC no reader shows the name flattened: no attack.)
- a 3-4 pt letter drawn inside the name, 2-4 pt above the baseline (4 built, 80 screened):
  reading order reads "FaridaxKhanum" where poppler puts the small letter on its own line, but the
  build refuses: another of the gate's readers finds the name.
- crossing lines: 672 screened (name drop 0.5-2 pt, other line -2..2 pt a glyph, 4 starts x 6
  heights), 13 read by poppler and not by reading order, all with the other line rising; 5 built,
  3 leak (above), 2 held (the other line rising 2 pt a glyph from x = 60: poppler reads no name in
  the bundle). Parallel lines close together (same slope) never got through the screen.
- letters of alternating heights (12/24, 12/25, 12/5.5, 12/20/30, 12/8/4 pt), overlapping by
  0-1.5 pt, sloping 0-1.5 pt a glyph, shuffled or in order: 120 screened, 8 read by a reader and
  not by reading order nor content order; 8 built, all held.

Open at stop 32 (strict expected failures then), mended at stop 33: reading order also groups
lines as poppler does (``pdf.bands``: a line takes letters only within a fixed band about its
first word's baseline, so the rising line's letters are not drawn into the name's), and
``_chains`` no longer joins a letter to one it overlaps by more than half the narrower width.
A name left glued to the other line's letters ("XoFarida") is read apart by ``glue``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from tests.cli.test_attacks_round3 import _FILLER, _stream
from tests.cli.test_attacks_round5 import _page
from tests.cli.test_attacks_round9 import _holds
from tests.cli.test_attacks_round11 import NAME, _pdf, _unit_doubts, _w


def _cmap(entries: list[tuple[int, bytes]]) -> bytes:
    """A one-byte ToUnicode map: each code to the UTF-16BE hex given (empty: to nothing)."""
    body = b"".join(b"<%02X> <%s>\n" % (c, u) for c, u in entries)
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        b"1 begincodespacerange <00> <FF> endcodespacerange %d beginbfchar\n%sendbfchar "
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    ) % (len(entries), body)


_F3 = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 20 0 R >>"


def _mapped(unicode: bytes) -> bytes:
    """ "Far", code 9 (no glyph, no width), "ida Kha", code 9, "num"; code 9 mapped to ``unicode``."""
    line = b"BT /F3 12 Tf 72 700 Td (Far\\011ida Kha\\011num) Tj ET\n"
    return _page(_FILLER + line, {"F3": _F3}, {20: _stream(_cmap([(9, unicode)]))})


@pytest.mark.parametrize("unicode", [b"0020", b"", b"000A", b"00AD"])
def test_tounicode_blank_between_letters_held(tmp_path: Path, unicode: bytes) -> None:
    """Held: a glyph of no width mapped to a space, nothing, a line feed or a soft hyphen."""
    _holds(tmp_path, _mapped(unicode))


# --- a small letter inside the name ------------------------------------------------------------------


def _small_letter(size: float, rise: float, dx: float = 0.5, letter: bytes = b"x") -> bytes:
    """ "Farida", then a ``size`` pt ``letter`` ``dx`` after it, ``rise`` pt above the baseline,
    then " Khanum" placed right after "Farida" (12 pt Helvetica, one BT)."""
    after = 72 + _w("Farida")
    line = (
        b"BT /F1 12 Tf 1 0 0 1 72 700 Tm (Farida) Tj /F1 %.2f Tf 1 0 0 1 %.3f %.3f Tm (%s) Tj "
        b"/F1 12 Tf 1 0 0 1 %.3f 700 Tm ( Khanum) Tj ET\n"
    ) % (size, after + dx, 700 + rise, letter, after)
    return _pdf(_FILLER + line)


@pytest.mark.parametrize("size, rise", [(3.0, 3.0), (4.0, 3.0), (3.0, 4.0), (4.0, 2.0)])
def test_small_letter_inside_the_name(tmp_path: Path, size: float, rise: float) -> None:
    """A 3-4 pt letter between "Farida" and "Khanum", a little above the baseline."""
    _holds(tmp_path, _small_letter(size, rise))


# --- a staircase crossed by another line ---------------------------------------------------------------

_OTHER = "Xo Xo Xo Xo Xo Xo"


def _crossed(drop: float, other_drop: float, ox: float, oy: float) -> bytes:
    """The name as round 11's staircase (``drop`` pt a glyph down) and "Xo Xo …" from (``ox``,
    ``oy``) ``other_drop`` pt a glyph down (negative: up), all glyphs drawn one by one in one
    shuffled order."""
    items = [(72 + _w(NAME[:k]), 600 - k * drop, NAME[k]) for k in range(len(NAME))]
    items += [(ox + _w(_OTHER[:k]), oy - k * other_drop, _OTHER[k]) for k in range(len(_OTHER))]
    items = [item for item in items if item[2] != " "]
    random.Random(1).shuffle(items)
    line = b"".join(b"1 0 0 1 %.3f %.3f Tm (%s) Tj " % (x, y, c.encode()) for x, y, c in items)
    return _pdf(_FILLER + b"BT /F1 12 Tf " + line + b"ET\n")


@pytest.mark.parametrize(
    "drop, other_drop, ox, oy",
    [
        (1.0, -2.0, 60, 598),
        (1.5, -1.0, 60, 598),
        (1.0, -0.5, 72, 606),
        (2.0, -0.5, 72, 606),
        (0.5, -2.0, 60, 598),
    ],
)
def test_staircase_crossed_by_a_rising_line(
    tmp_path: Path, drop: float, other_drop: float, ox: float, oy: float
) -> None:
    """LEAK on ff2417d (to stop 32) for (1.5, -1), (1, -0.5), (2, -0.5): ``_chains`` swapped the
    crossing lines ("FXarida Khanum"); pdftotext reads "Farida / Khanum". Held for the 2 pt rise
    from x = 60."""
    _holds(tmp_path, _crossed(drop, other_drop, ox, oy))


def test_crossed_staircase_is_no_doubt(tmp_path: Path) -> None:
    """Records why nothing else stops it."""
    assert _unit_doubts(tmp_path, _crossed(1.0, -0.5, 72, 606)) == []


# --- letters of alternating heights, overlapping, along a slope --------------------------------------


def _heights(drop: float, sizes: tuple[float, ...], overlap: float, shuffle: bool) -> bytes:
    """Each glyph of the name in turn at the sizes ``sizes`` (cycled), each starting ``overlap`` pt
    before the one before ends, ``drop`` pt below it; drawn one by one (shuffled, or in order)."""
    x, items = 72.0, []
    for k, ch in enumerate(NAME):
        size = sizes[k % len(sizes)]
        items.append((x, 600 - k * drop, ch, size))
        x += stringWidth(ch, "Helvetica", size) - overlap
    items = [item for item in items if item[2] != " "]
    if shuffle:
        random.Random(2).shuffle(items)
    line = b"".join(b"/F1 %.2f Tf 1 0 0 1 %.3f %.3f Tm (%s) Tj " % (s, x, y, c.encode()) for x, y, c, s in items)
    return _pdf(_FILLER + b"BT " + line + b"ET\n")


@pytest.mark.parametrize(
    "drop, sizes, overlap, shuffle",
    [
        (0.5, (12, 5.5), 0.0, True),
        (0.0, (12, 5.5), 1.5, False),
        (0.0, (12, 8, 4), 1.5, False),
        (0.5, (12, 5.5), 1.5, False),
        (0.5, (12, 8, 4), 1.5, False),
        (1.0, (12, 5.5), 1.5, False),
        (1.0, (12, 8, 4), 1.5, False),
        (1.5, (12, 5.5), 1.5, False),
    ],
)
def test_alternating_heights(
    tmp_path: Path, drop: float, sizes: tuple[float, ...], overlap: float, shuffle: bool
) -> None:
    """Letters of two or three heights along one (sloping) line."""
    _holds(tmp_path, _heights(drop, sizes, overlap, shuffle))
