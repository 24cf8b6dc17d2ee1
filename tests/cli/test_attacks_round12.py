"""Round 12 attacks on reading order's line grouping (``layout._lines``: first-letter, ``strict``
and ``chained`` groupings), after 1722c5c; end to end through the CLI as in round 11 ("Farida
Khanum" registered, pseudonym FK, ``--no-ocr``; a build must refuse with the leak code or write a
bundle in which no reader -- ``pdftotext``, ``pdftotext -layout``, pdfminer.six -- shows "farida"
or "khanum", case folded, spaces and hyphens removed; the source must show the name to at least
one of them). A FAILING test here is a real leak.

Finding (leaks on 1722c5c; the leak gate passes):

1. chained into the line below: round 11's staircase (each glyph of the name by its own ``Tm``,
   0.75-2 pt lower than the one before) with an ordinary 12 pt line ("Xo Xo …", starting at the
   name's left edge) 2-7 pt below the name's last glyph. The first-letter grouping cuts the name
   where it has drifted half a height ("Farid" / "aKha" / …), as in round 11; the chained
   grouping round 11 added follows the slope letter by letter -- and then on into the line below,
   since that line's first letter is within half a height of the name's last: the name's tail and
   the line are one line, sorted left to right, interleaved ("Xo Xo Xo XnoumXo Xo …"). No reading
   holds the name; poppler keeps the line below apart (it groups by baseline and font size, not
   by a chain through it) and ``pdftotext`` reads "Farid / a Kha / num / Xo Xo …". Shuffled, so
   PDFium's content order holds no name either. The page is no doubt (standard font, no step back).

What held (count of builds; "screened" = ``reading_order`` run on the source page, no build):
- the same staircase drawn in order, 1.5 and 2 pt a glyph, 2 pt gap (2 built): refused, though
  the screen's reading order and content order missed it, the build's gate finds it;
- the same line below moved right of the name (x = 200), so it does not interleave: 72 screened,
  one built;
- the same staircase and line below at other gaps (7-10 pt, most drops): reading order reads the
  name (60+ screened);
- staircases going UP (1-3 pt a glyph, with a line above or below at 3-7 pt) and zig-zags: where
  poppler reads the name at all (up 1 pt, down-then-up 1 pt) reading order does too (2 built);
- a slope (0.5-1 pt) with a tall letter (24-40 pt "Z" at x = 400) between it and a line below
  (mixed heights, so ``strict`` and ``chained`` both read): 108 screened, all read the name.

Mended in ``layout._chains``: the letter-to-letter grouping now follows a line as poppler does,
left to right, each letter joining the line whose last letter ends just before it and sits
nearest in height; a line below that starts further left is not drawn into the name's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_attacks_round3 import _FILLER
from tests.cli.test_attacks_round9 import _holds
from tests.cli.test_attacks_round11 import _SHUFFLE, NAME, _pdf, _unit_doubts, _w

_OTHER = b"Xo Xo Xo Xo Xo Xo Xo Xo Xo"
_IN_ORDER = list(range(len(NAME)))


def _stair_over(drop: float, gap: float, order: list[int] = _SHUFFLE, other_x: float = 72, up: bool = False) -> bytes:
    """The name as a staircase (``drop`` pt a glyph, down, or ``up``), drawn in ``order``; an
    ordinary line at ``other_x`` ``gap`` pt below the lowest glyph."""
    xs = [72 + _w(NAME[:k]) for k in range(len(NAME))]
    ys = [600 + k * drop if up else 600 - k * drop for k in range(len(NAME))]
    line = b"BT /F1 12 Tf "
    for k in order:
        line += b"1 0 0 1 %.3f %.3f Tm (%s) Tj " % (xs[k], ys[k], NAME[k].encode())
    line += b"1 0 0 1 %.3f %.3f Tm (%s) Tj " % (other_x, min(ys) - gap, _OTHER)
    return _pdf(_FILLER + line + b"ET\n")


# --- 1. a staircase chained on into the line below -------------------------------------------------


@pytest.mark.parametrize("drop, gap", [(0.75, 4.0), (1.5, 3.0), (1.75, 2.0), (2.0, 2.0), (2.0, 7.0)])
def test_staircase_chained_into_the_line_below(tmp_path: Path, drop: float, gap: float) -> None:
    """LEAK on 1722c5c: pdftotext reads "Farid / a Kha / num" (1.5 pt, 3 pt gap); reading order's
    chained grouping interleaves the name's tail with the line below."""
    _holds(tmp_path, _stair_over(drop, gap))


@pytest.mark.parametrize("drop, gap", [(1.5, 2.0), (2.0, 2.0)])
def test_staircase_in_order_into_the_line_below_held(tmp_path: Path, drop: float, gap: float) -> None:
    """Held: drawn in order the build's gate finds the name."""
    _holds(tmp_path, _stair_over(drop, gap, _IN_ORDER))


def test_staircase_over_a_line_is_no_doubt(tmp_path: Path) -> None:
    """Records why nothing else stops it."""
    assert _unit_doubts(tmp_path, _stair_over(1.5, 3.0)) == []


# --- what held ----------------------------------------------------------------------------------------


def test_staircase_over_a_line_to_the_right_held(tmp_path: Path) -> None:
    """Held: the line below starts right of the name, so chaining into it interleaves nothing."""
    _holds(tmp_path, _stair_over(1.5, 3.0, other_x=200))


def test_staircase_over_a_line_further_down_held(tmp_path: Path) -> None:
    """Held: 8 pt below, the chain does not reach the line."""
    _holds(tmp_path, _stair_over(1.5, 8.0))


def test_staircase_going_up_held(tmp_path: Path) -> None:
    """Held: a staircase rising 1 pt a glyph (a line far below it) reads whole when chained."""
    _holds(tmp_path, _stair_over(1.0, 40.0, up=True))
