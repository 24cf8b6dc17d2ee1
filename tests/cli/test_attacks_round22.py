"""Round 22: attacks on 25c7082's screen for columns (``layout.spread_apart``), which sends a page
to reading order only when gutters (spaces in PDFium's text standing for gaps wider than half a
line height) on two different PDFium lines overlap.

A failing test here is a real leak: pdftotext shows the name in the public bundle built through
the CLI with the gate passing, or (unit level, ``Target("Farida Khanum")`` only) the gate and the
redactor miss a name pdftotext shows whole. The three leaks found (``test_fixed_*``) are fixed:
``spread_apart`` now sends a page to reading order for any gutter unless the lines directly above
and below it (within 1.2 line heights) both run on past it with no gutter there themselves, in
which case poppler's block holds the whole line and reads it in turn.

The claim attacked: "poppler never reads columns (changing which text is adjacent) unless
gutters line up on two lines". It is false. poppler forms a block from the left text's lines
and leaves out a word lying further than about 0.7 font sizes beyond the block's right side
(or left of its left side), whether or not any other line has a gap level with it. So ONE
line's gutter is enough for poppler to read the lines of the left part in turn, joining a
hyphenated name down them, when the lines above and below do not reach across that gutter
(short lines, the ordinary case for a paragraph's last lines or a hyphenated name).

LEAKS
1. One gutter on one line, rows drawn top down, each row one PDFium piece (``_single_gutter``):
   "The claimant makes a statement" / "in support of Fari-" + "The decision was made on" at
   x 340 (same baseline, drawn right after it) / "da Kha-" / "num against the defendant.", Helvetica
   11 pt, 14 pt apart (or the right-hand text on the "da Kha-" row instead). PDFium reads
   "in support of Fari- The decision was made on" / "da Kha\\x02num ...": no "Farida Khanum".
   pdftotext (default) reads "in support of Farida Khanum against the defendant." ``reading_order``
   itself finds the name, but ``needs_visual`` is False: every row is a piece below the one before
   in order (``out_of_order`` False) and there is one gutter only (``spread_apart`` False). Unit
   level (the whole name registered): the gate (``leak_scan``) passes and ``locate_hits`` places
   no spot; on /Rotate 0 and 270 (90 and 180 hold: PDFium's order there is not in turn).
   Through the CLI (the words registered alone too) PDFium's "Kha\\x02num" is found as "Khanum"
   and the page is redacted, so this form alone does not reach the bundle; 2 does.
2. The same, with the join PDFium keeps broken by a word in the left margin on another row
   (``_margin_word``): "Note" at x 20 drawn before "num against the defendant." on its row. The
   second gutter ("Note" .. "num", x 45-72) lies nowhere near the first ("Fari-" .. x 340): not
   lined up, so ``spread_apart`` is False. PDFium reads "Fari- The decision was made on" and
   "Kha\\x02Note num": neither "Farida" nor "Khanum", and not even the loose screen's letters
   (a digit label such as "13" instead of "Note" is caught by ``loose_screen``, which lets digits
   lie between letters). poppler puts "Note" in a block of its own and reads the left block
   "in support of Farida Khanum against the defendant.". Full CLI build, /Rotate 0: the gate
   passes ("searched for 3 protected names ... none found") and pdftotext reads "Farida Khanum"
   in the public bundle.
3. Two gutters on two lines that do NOT overlap (``_unaligned``): row 1 "in support of the claim
   made on behalf of Fari-" (to x 296) + "The decision" at x 316; row 2 "da Kha-" (to x 110) +
   "Page 2" at x 250. poppler joins "Fari-" / "da" ("... on behalf of Farida KhaPage 2") while
   PDFium reads "Fari- The decision" / "da Kha- Page 2". Full CLI build (/Rotate 0): the bundle
   shows the registered word "Farida" (pdftotext default), the gate passing. (/Rotate 90 held.)

Where: ``layout.spread_apart`` (the "two overlapping gutters" rule) and so ``locate.needs_visual``;
``reading_order`` itself reads the name (its ``bands`` grouping) in 1 and 2.

HELD (``test_held_*``)
- The single-gutter page on /Rotate 90 and 180 (PDFium's order is not in turn there).
- A digit line number ("13") in the margin instead of a word: ``loose_screen`` (registered words
  alone) lets digits lie between letters, so "Kha-13 num" passes the screen and reading order runs.
- Gutters that do overlap across two rows, wherever poppler reads the whole name across them.
- ``_placed_ends``: a piece whose boxed ends ("." at y 625) lie below its letters raised by ``Ts``
  onto the name's line: PDFium breaks lines at each rise, the page is out of order.
- Not tried to the end (time): gutters with no space in PDFium's text (PDFium put a space at every
  gap tried: ``Td`` between two ``Tj``; a zero-width glyph either side gave no boxless non-space
  character), ``_placed_ends`` with far boxed ends, U+0002 placement, three columns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bundler.core.anonymise.pdf.locate import loose_screen, needs_visual, visual_text
from bundler.core.anonymise.terms import Target, find_matches
from tests.cli.test_attacks_round3 import _built_shows_no_name, _flat, _project, _readings, build_holds
from tests.cli.test_attacks_round21 import WHOLE, _line, _make, _opened, _screen_holds, _w, page

_LEFT = (b"The claimant makes a statement", b"in support of Fari-", b"da Kha-", b"num against the defendant.")
_RIGHT = b"The decision was made on"


def _single_gutter(row: int = 1) -> bytes:
    """The left column's rows top down, one of them (``row``) with text at x 340 drawn after it."""
    content = b""
    for n, text in enumerate(_LEFT):
        content += _line(700 - 14 * n, 72, text)
        if n == row:
            content += _line(700 - 14 * n, 340, _RIGHT)
    return content


def _margin_word(label: bytes = b"Note") -> bytes:
    """``_single_gutter`` (right-hand text on the "Fari-" row), and ``label`` in the left margin
    drawn before the last row: PDFium's "Kha-" / "num" join is broken by it."""
    content = b""
    for n, text in enumerate(_LEFT):
        if n == 3:
            content += _line(700 - 14 * n, 20, label)
        content += _line(700 - 14 * n, 72, text)
        if n == 1:
            content += _line(700 - 14 * n, 340, _RIGHT)
    return content


_UNALIGNED = (
    b"The claimant makes a statement to the court",
    b"in support of the claim made on behalf of Fari-",
    b"da Kha-",
    b"num against the defendant and the officer.",
)


def _unaligned(x2: float = 250, gap1: float = 20) -> bytes:
    """Gutters on two rows, the lower one (x 110 .. ``x2``) ending left of where the upper starts."""
    content = b""
    for n, text in enumerate(_UNALIGNED):
        content += _line(700 - 14 * n, 72, text)
        if n == 1:
            content += _line(700 - 14 * n, 72 + _w(text.decode()) + gap1, b"The decision")
        if n == 2:
            content += _line(700 - 14 * n, x2, b"Page 2")
    return content


def _screen_says(pdf: Path, targets: list[Target]) -> tuple[bool, bool]:
    """(needs_visual, reading order finds a target)."""
    with _opened(pdf) as (shown, textpage):
        return (
            needs_visual(shown, textpage.get_text_range(), loose_screen(targets), textpage=textpage),
            bool(find_matches(visual_text(shown, textpage).text, targets)),
        )


# --- 1. one gutter on one line: poppler reads the left part as a column --------------------------


@pytest.mark.parametrize("rotate", [0, 270])
@pytest.mark.parametrize("row", [1, 2])
def test_fixed_one_gutter_on_one_line_unit(tmp_path: Path, row: int, rotate: int) -> None:
    """pdftotext: "in support of Farida Khanum against the defendant."; PDFium: "Fari- The
    decision was made on" (or "Kha- The decision ..."). The screen calls the page in order."""
    pdf = tmp_path / "source.pdf"
    page(pdf, _single_gutter(row), rotate)
    _screen_holds(pdf)  # found so: one gutter (spread_apart False), rows in turn (out_of_order False)
    visual, found = _screen_says(pdf, WHOLE)
    assert found, "reading order itself reads the name"
    assert visual, "needs_visual: the page is not read in reading order"


@pytest.mark.parametrize("rotate", [90, 180])
def test_held_one_gutter_on_a_page_turned_90_or_180(tmp_path: Path, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _single_gutter(1), rotate)
    _screen_holds(pdf)


# --- 2. one gutter, and a margin word breaking PDFium's hyphen join: through the CLI -------------


def test_fixed_one_gutter_and_a_margin_word_cli(tmp_path: Path) -> None:
    """Full build, the whole register: the gate passes and pdftotext reads "in support of Farida
    Khanum against the defendant." in the public bundle."""
    build_holds(tmp_path, _make(_margin_word()), readers=("pdftotext",))


def test_fixed_one_gutter_and_a_margin_word_unit(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _margin_word())
    registered = [*WHOLE, Target("Farida", "FK", "p1", "person"), Target("Khanum", "FK", "p1", "person")]
    _screen_holds(pdf)
    visual, found = _screen_says(pdf, registered)  # found so: the two gutters are not lined up
    assert found, "reading order itself reads the name"
    assert visual, "needs_visual: the page is not read in reading order"


def test_held_a_digit_label_in_the_margin_is_screened_loosely(tmp_path: Path) -> None:
    """ "13" instead of "Note": PDFium's "Kha-" / "13 num" passes the loose screen of the
    registered word "Khanum" (digits may lie between letters), so the page is read in order."""
    build_holds(tmp_path, _make(_margin_word(b"13")), readers=("pdftotext",))


# --- 3. two gutters not lined up: "Farida" read whole by poppler -----------------------------------


def test_fixed_gutters_on_two_lines_not_lined_up_cli(tmp_path: Path) -> None:
    """pdftotext reads "... on behalf of Farida KhaPage 2"; PDFium "Fari- The decision" and
    "da Kha- Page 2". The registered word "Farida" is in the public bundle."""
    source = tmp_path / "source.pdf"
    project = _project(tmp_path, _make(_unaligned()))
    assert "farida" in _flat(_readings(source)["pdftotext"]), "guard: pdftotext reads Farida in the source"
    _built_shows_no_name(project, tmp_path)


@pytest.mark.parametrize("x2", [330, 360, 400])
def test_held_gutters_lined_up_where_poppler_reads_the_whole_name(tmp_path: Path, x2: float) -> None:
    """With "Page 2" further right, poppler reads "Farida Khanum" whole; the gutters then overlap
    and ``spread_apart`` sends the page to reading order."""
    pdf = tmp_path / "source.pdf"
    page(pdf, _unaligned(x2, gap1=40))
    _screen_holds(pdf)


# --- _placed_ends: a piece whose boxed ends sit on another line than its letters -------------------


def test_held_piece_raised_by_text_rise_between_low_ends(tmp_path: Path) -> None:
    """ "Statement of Far" at y 700; then one text object at y 625: "." , "ida Khanum" raised
    75 pt by ``Ts`` onto the top line after "Far", "." again. PDFium breaks the line at each rise
    (the pieces are not in turn), so the page is read in reading order."""
    x = 72 + _w("Statement of Far")
    content = _line(700, 72, b"Statement of Far")
    content += _line(650, 72, b"The claimant makes this statement in support of the claim.")
    content += b"BT /F1 11 Tf 1 0 0 1 %.2f 625 Tm (.) Tj 75 Ts (ida Khanum) Tj 0 Ts (.) Tj ET\n" % (x - _w("."))
    content += _line(600, 72, b"And the decision of the defendant is challenged on grounds.")
    pdf = tmp_path / "source.pdf"
    page(pdf, content)
    _screen_holds(pdf)
