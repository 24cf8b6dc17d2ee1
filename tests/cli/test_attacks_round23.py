"""Round 23: attacks on 4ec52bf's screen for columns (``layout.spread_apart``): a gutter (a run of
spaces in PDFium's text whose neighbouring characters lie more than 0.5 line heights apart) sends
the page to reading order unless the PDFium pieces directly before and after it lie within 1.2
line heights, run on past it both ways (first to last boxed character) and have no gutter there.

A failing test here is a real leak: pdftotext (default mode) shows the name in the public bundle
built through the CLI with the gate passing, or (unit level, ``Target("Farida Khanum")`` only) the
gate (``leak_scan``) and the redactor (``locate_hits``) miss a name pdftotext shows. The three
leaks found (``test_fixed_*``) are fixed in ``layout``: ``spread_apart`` sends a page with any
gutter to reading order, the lines beside it whatever they are, and one whose space has a
neighbour with no box; ``_one_line`` does not read text objects as one line when their letters'
heights differ by more than 1.3 times.
In all three ``reading_order`` itself reads the name (``visual_text`` finds it): the miss is
``locate.needs_visual`` answering False, so neither the redactor nor the gate asks it.

The claim attacked: "poppler reads a line apart (as a column) only at a gutter, and where the
lines above and below run on past it, poppler's block holds the whole line". Both halves are
false because poppler's blocks do not mix font sizes (TextOutputDev's ``coalesce``, as recalled:
a line above or below joins a block only within 5% of its font size, a word overlapping it only
within 60%; observed here: a 20 or 18 pt word beside 11 pt text is left out, 17 pt is read in,
and so is 14 pt a 5 pt gap after a short line). Text of another size is left out of the block
wherever it lies, with or without a gap before it, and so are the words beyond it.

LEAKS
1. A word of another size beside the name, no gutter at all (``_beside_another_size``): rows 14 pt
   apart, Helvetica 11 pt: "The claimant makes a statement ..." / "in support of Fari-" + "Note"
   in 20 pt a word's gap (3 pt) after it / "da Kha-" + "Note" (20 pt) likewise / "num against the
   defendant and ..." The 20 pt words are centred on their rows (baseline lowered 3.25 pt), so
   PDFium reads each row as one piece, in turn ("in support of Fari- Note" / "da Kha- Note":
   neither "Farida" nor "Khanum", the hyphens not at a line's end), with no gutter (3 pt < 0.5 x
   12.9 pt). pdftotext (default): "in support of Farida Khanum against the defendant ..." then
   "Note" / "Note" as blocks of their own (20 pt is 82% off 11 pt; from 18 pt up, 17 pt is read
   in). ``out_of_order`` False (each row below the last; ``_one_line``'s middles agree),
   ``spread_apart`` False (no gutter): ``needs_visual`` False. Unit: gate passes, no spot, the
   words registered alone too; /Rotate 0 and 270, and drawn bottom row first (``upward_pieces``)
   on /Rotate 0 and 90. Full CLI build (/Rotate 0): the public bundle reads "Farida Khanum".
2. The lines beside a gutter run past it only by a word of another size (``_spanned``): row 1
   "in support of Fari-" + "The decision was made on" at x 340 (a gutter); row 0 "The claimant
   makes a" + "NOTE" (20 pt) + "statement to the court in this claim" and row 2 "da Kha-" +
   "CONFIDENTIAL" (20 pt) + "the officer of the police and the court", word gaps of 3 pt, so
   rows 0 and 2 are PDFium lines spanning the gutter with no gutter of their own: exactly
   ``_runs_past``'s case. poppler leaves the 20 pt words out of the 11 pt block, and with them the
   words beyond (too far from the block to be pulled in), so the block is "The claimant makes a" /
   "in support of Fari-" / "da Kha-" / "num against the defendant." and reads "Farida Khanum".
   Full CLI build leaks; unit (whole name; also split "Farida" / "Khanum against the") on /Rotate
   0, 90 and 270.
3. A gutter whose neighbour has no box (``_zero_width_lead``): two columns drawn row by row (the
   name hyphenated down the left, right column at x 340) as round 21's leak 3 / round 22, but
   each right-hand run starts with a zero-width, inkless character that is not a space: code 0xA0
   of a Helvetica whose /Widths gives it 0 and whose /ToUnicode maps it to U+200B (zero width
   space, not whitespace to Python's ``\\s``). PDFium reads "Fari-
   \\u200bThe decision ..." / "da Kha- \\u200bthe day ...": each gutter's run of spaces ends at
   U+200B, which has neither loose nor tight box, and ``spread_apart`` skips such a run
   (``continue``: "a character with no extent: reading order does not place it") instead of
   measuring to the next character that has one. No gutter is seen, though the two rows' gaps
   overlap (round 21's rule alone would catch the page). pdftotext reads "in support of Farida
   Khanum against the defendant." Unit (/Rotate 0, 270; the words registered too) and full CLI
   build leak.

Where: ``layout.spread_apart`` (1, 2: gutters and neighbours judged by geometry alone, never by
font size; 3: the ``continue`` for a boxless neighbour) and so ``locate.needs_visual``.

HELD (``test_held_*``)
- The same pages where PDFium's order is not in turn: 1 on /Rotate 90, 180 (upward: 180, 270);
  2 on /Rotate 180; 3 on /Rotate 90, 180. And 3 without the boxless character (guard).
- A word in a much smaller size (4 pt) beside the name part: its own height makes the 3 pt gap a
  gutter, and the rows 14 pt away are not within 1.2 of its line heights: reading order.
- The 20 pt words a column's distance (40 pt) after the name parts: overlapping gutters on two
  rows, reading order.
- A gutter filled by one wide glyph mapped to a whitespace code point (U+00A0, U+2002): PDFium
  breaks its line after "Fari-" there and the page is out of order.
Not leaks (poppler does not read the name, so no test): a gutter filled by a wide glyph mapped to
U+180E, U+200B, U+2060 or U+FEFF (poppler 22.12 treats none of them as a space: "Fari-\\u180eThe");
a hyphen with a huge /Widths entry and a negative ``Tc`` (poppler's box is as wide as PDFium's);
a 17 pt word beside 11 pt text (within poppler's 60%: read into the line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.pdf.locate import locate_hits, loose_screen, needs_visual, visual_text
from bundler.core.anonymise.terms import Target, find_matches
from tests.cli.test_attacks_round3 import build_holds
from tests.cli.test_attacks_round21 import WHOLE, _font, _line, _make, _opened, _screen_holds, _w, page

REGISTERED = [*WHOLE, Target("Farida", "FK", "p1", "person"), Target("Khanum", "FK", "p1", "person")]
_CENTRE = 3.95  # an 11 pt Helvetica line's box (PDFium's loose box) is centred this far above its baseline


def _big(y: float, x: float, text: bytes, size: float) -> bytes:
    """``text`` in ``size`` pt, its box centred on the 11 pt line at baseline ``y`` (PDFium reads one line)."""
    return _line(y + _CENTRE - 0.36 * size, x, text, size=size)


def _screen_says(pdf: Path, targets: list[Target]) -> tuple[bool, bool]:
    """(needs_visual, reading order finds a target)."""
    with _opened(pdf) as (shown, textpage):
        return (
            needs_visual(shown, textpage.get_text_range(), loose_screen(targets), textpage=textpage),
            bool(find_matches(visual_text(shown, textpage).text, targets)),
        )


def _holds_registered(pdf: Path) -> None:
    """``_screen_holds`` with the words registered alone too, as the CLI registers them."""
    with _opened(pdf) as (shown, _):
        assert locate_hits(shown, REGISTERED).spots, "the redactor places no box over the name pdftotext reads"
    assert leak_scan(pdf, REGISTERED, file_name="x.pdf"), "the gate passes a page pdftotext reads the name on"


# --- 1. a word of another size beside the name: no gutter, poppler leaves it out of the block ------


def _beside_another_size(size: float = 20, gap: float = 3, word: bytes = b"Note", upward: bool = False) -> bytes:
    """Rows 14 pt apart, ``word`` in ``size`` pt a word's gap after "Fari-" and after "da Kha-";
    ``upward``: the rows drawn bottom first (PDFium's pieces read upward, ``upward_pieces``)."""
    rows = [_line(714, 72, b"The claimant makes a statement to the court in this claim for review of it")]
    for y, text in ((700, b"in support of Fari-"), (686, b"da Kha-")):
        rows.append(_line(y, 72, text) + _big(y, 72 + _w(text.decode()) + gap, word, size))
    rows.append(_line(672, 72, b"num against the defendant and the officer in the matter of the claim"))
    rows.append(_line(658, 72, b"and the decision of the court."))
    return b"".join(rows[::-1] if upward else rows)


def test_fixed_word_of_another_size_beside_the_name_unit(tmp_path: Path) -> None:
    """pdftotext: "in support of Farida Khanum against the defendant ..."; PDFium: "in support of
    Fari- Note" / "da Kha- Note" / "num ...", rows in turn, no gutter: ``needs_visual`` False."""
    pdf = tmp_path / "source.pdf"
    page(pdf, _beside_another_size())
    visual, found = _screen_says(pdf, WHOLE)
    assert found, "reading order itself reads the name"
    assert visual, "needs_visual: the page is not read in reading order"


_BESIDE_LEAKS = {"down": (False, 0), "down-rotate-270": (False, 270), "up": (True, 0), "up-rotate-90": (True, 90)}
_BESIDE_HELD = {
    "down-rotate-90": (False, 90),
    "down-rotate-180": (False, 180),
    "up-rotate-180": (True, 180),
    "up-rotate-270": (True, 270),
}


@pytest.mark.parametrize(("upward", "rotate"), list(_BESIDE_LEAKS.values()), ids=list(_BESIDE_LEAKS))
def test_fixed_word_of_another_size_beside_the_name_gate(tmp_path: Path, upward: bool, rotate: int) -> None:
    """Rows drawn top down (``out_of_order`` False) or bottom up (``upward_pieces``), /Rotate
    where PDFium's order is in turn: gate and redactor miss the name."""
    pdf = tmp_path / "source.pdf"
    page(pdf, _beside_another_size(upward=upward), rotate)
    _screen_holds(pdf)


@pytest.mark.parametrize(("upward", "rotate"), list(_BESIDE_HELD.values()), ids=list(_BESIDE_HELD))
def test_held_word_of_another_size_where_pdfium_reads_out_of_turn(tmp_path: Path, upward: bool, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _beside_another_size(upward=upward), rotate)
    _screen_holds(pdf)


def test_fixed_word_of_another_size_beside_the_name_registered_words(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _beside_another_size())
    _holds_registered(pdf)


def test_fixed_word_of_another_size_beside_the_name_cli(tmp_path: Path) -> None:
    """Full build: the gate passes and pdftotext reads "Farida Khanum" in the public bundle."""
    build_holds(tmp_path, _make(_beside_another_size()), readers=("pdftotext",))


def test_held_a_much_smaller_word_beside_the_name(tmp_path: Path) -> None:
    """4 pt "note" 3 pt after each part: a gutter in the small word's height, and the rows 14 pt
    away are not beside it: the page is read in reading order."""
    pdf = tmp_path / "source.pdf"
    page(pdf, _beside_another_size(size=4, word=b"note"))
    _screen_holds(pdf)
    _holds_registered(pdf)


def test_held_words_of_another_size_a_column_away(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _beside_another_size(gap=40))
    _screen_holds(pdf)
    _holds_registered(pdf)


# --- 2. the lines beside a gutter span it only by a word of another size ---------------------------


def _spanned_row(y: float, left: bytes, word: bytes, right: bytes, size: float = 20, gap: float = 3) -> bytes:
    """One PDFium line with no gutter: ``left`` (11 pt), ``word`` in ``size`` pt, ``right`` (11 pt)."""
    x1 = 72 + _w(left.decode()) + gap
    x2 = x1 + _w(word.decode(), size) + gap
    return _line(y, 72, left) + _big(y, x1, word, size) + _line(y, x2, right)


def _spanned(hyphenated: bool) -> bytes:
    """Row 1 has a gutter (text at x 340); rows 0 and 2 run past it only through a 20 pt word."""
    content = _spanned_row(714, b"The claimant makes a", b"NOTE", b"statement to the court in this claim")
    if hyphenated:  # neither word whole in PDFium's text: through the CLI
        content += _line(700, 72, b"in support of Fari-") + _line(700, 340, b"The decision was made on")
        content += _spanned_row(686, b"da Kha-", b"CONFIDENTIAL", b"the officer of the police and the court")
        return content + _line(672, 72, b"num against the defendant.")
    content += _line(700, 72, b"in support of Farida") + _line(700, 340, b"The decision was made on")
    content += _spanned_row(686, b"Khanum against the", b"COPY", b"defendant and the officer of the police")
    return content + _line(672, 72, b"and the decision of the court.")


@pytest.mark.parametrize("hyphenated", [False, True])
def test_fixed_gutter_spanned_only_by_a_word_of_another_size_unit(tmp_path: Path, hyphenated: bool) -> None:
    """pdftotext: "The claimant makes a" / "in support of Farida" / "Khanum against the" as one
    block (or "... Farida Khanum against the defendant."), the 20 pt words and all right of them
    apart. ``spread_apart``: the gutter's neighbours run past it with no gutter: False."""
    pdf = tmp_path / "source.pdf"
    page(pdf, _spanned(hyphenated))
    visual, found = _screen_says(pdf, WHOLE)
    assert found, "reading order itself reads the name"
    assert visual, "needs_visual: the page is not read in reading order"


@pytest.mark.parametrize("rotate", [0, 90, 270])
@pytest.mark.parametrize("hyphenated", [False, True])
def test_fixed_gutter_spanned_by_a_word_of_another_size_gate(tmp_path: Path, hyphenated: bool, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _spanned(hyphenated), rotate)
    _screen_holds(pdf)


@pytest.mark.parametrize("hyphenated", [False, True])
def test_held_gutter_spanned_by_another_size_rotate_180(tmp_path: Path, hyphenated: bool) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _spanned(hyphenated), 180)
    _screen_holds(pdf)


def test_fixed_gutter_spanned_only_by_a_word_of_another_size_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _make(_spanned(hyphenated=True)), readers=("pdftotext",))


# --- 3. a gutter whose neighbour has no box: skipped ------------------------------------------------

_ZWSP = 0xA0  # drawn with /F4: zero wide, no ink, /ToUnicode U+200B (not a space to Python or poppler)


def _with_f4(path: Path, content: bytes, code: int, width: float, code_point: str, rotate: int = 0) -> None:
    """``page``, with /F4 too: Helvetica whose ``code`` is ``width`` (1/1000 em) wide and maps to
    ``code_point`` (hex) by its /ToUnicode."""
    page(path, content, rotate)
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /F4 def /CIDSystemInfo"
        b" << /Registry (A) /Ordering (B) /Supplement 0 >> def 1 begincodespacerange <00> <FF>"
        b" endcodespacerange 1 beginbfchar <%02X> <%s> endbfchar endcmap"
        b" CMapName currentdict /CMap defineresource pop end end\n" % (code, code_point.encode())
    )
    writer = PdfWriter(clone_from=str(path))
    font = _font(writer, "/Helvetica", {code: round(width)})
    stream = DecodedStreamObject()
    stream.set_data(cmap)
    cast(DictionaryObject, font.get_object())[NameObject("/ToUnicode")] = writer._add_object(stream)
    fonts = cast(DictionaryObject, cast(DictionaryObject, writer.pages[0]["/Resources"])["/Font"])
    fonts[NameObject("/F4")] = font
    writer.write(str(path))


def _zero_width_lead(lead: bytes = bytes([_ZWSP])) -> bytes:
    content = _line(714, 72, b"The claimant makes a statement to the court")
    for y, left, right in ((700, b"in support of Fari-", b"The decision was made on"), (686, b"da Kha-", b"the day")):
        content += _line(y, 72, left) + _line(y, 340, lead + right, font=b"/F4")
    return content + _line(672, 72, b"num against the defendant.")


def _zero_width_make(lead: bytes = bytes([_ZWSP]), rotate: int = 0) -> Callable[[Path], None]:
    return lambda path: _with_f4(path, _zero_width_lead(lead), _ZWSP, 0, "200B", rotate)


def test_fixed_gutter_beside_a_boxless_character_unit(tmp_path: Path) -> None:
    """PDFium: "in support of Fari- \\u200bThe decision was made on" / "da Kha- \\u200bthe day":
    both gutters end at U+200B, which has no box, and are skipped. pdftotext: "in support of
    Farida Khanum against the defendant."."""
    pdf = tmp_path / "source.pdf"
    _zero_width_make()(pdf)
    visual, found = _screen_says(pdf, WHOLE)
    assert found, "reading order itself reads the name"
    assert visual, "needs_visual: the page is not read in reading order"


@pytest.mark.parametrize("rotate", [0, 270])
def test_fixed_gutter_beside_a_boxless_character_gate(tmp_path: Path, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    _zero_width_make(rotate=rotate)(pdf)
    _screen_holds(pdf)
    _holds_registered(pdf)


@pytest.mark.parametrize("rotate", [90, 180])
def test_held_gutter_beside_a_boxless_character_turned(tmp_path: Path, rotate: int) -> None:
    """PDFium's rows are not in turn on these pages: reading order."""
    pdf = tmp_path / "source.pdf"
    _zero_width_make(rotate=rotate)(pdf)
    _screen_holds(pdf)


def test_fixed_gutter_beside_a_boxless_character_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _zero_width_make(), readers=("pdftotext",))


def test_held_the_same_columns_without_the_boxless_character(tmp_path: Path) -> None:
    """Guard for 3: the same page with the right-hand runs starting at their letters is read in
    reading order (the two rows' gutters)."""
    pdf = tmp_path / "source.pdf"
    _zero_width_make(b"")(pdf)
    _screen_holds(pdf)
    _holds_registered(pdf)


# --- a gutter filled by one wide glyph that stands for a space --------------------------------------


def _filled_page(path: Path, code_point: str) -> None:
    """Row "in support of Fari-" then one glyph (code 0x80, /Widths reaching x 340, /ToUnicode
    ``code_point``) and "The decision was made on" in one text object."""
    gap = 340 - 72 - _w("in support of Fari-")
    content = _line(714, 72, b"The claimant makes a statement")
    content += b"BT /F1 11 Tf 1 0 0 1 72 700 Tm (in support of Fari-) Tj /F4 11 Tf (\x80) Tj"
    content += b" /F1 11 Tf (The decision was made on) Tj ET\n"
    content += _line(686, 72, b"da Kha-") + _line(672, 72, b"num against the defendant.")
    _with_f4(path, content, 0x80, gap * 1000 / 11, code_point)


@pytest.mark.parametrize("code_point", ["00A0", "2002"])
def test_held_gutter_filled_by_a_wide_glyph_read_as_a_space(tmp_path: Path, code_point: str) -> None:
    pdf = tmp_path / "source.pdf"
    _filled_page(pdf, code_point)
    _screen_holds(pdf)
