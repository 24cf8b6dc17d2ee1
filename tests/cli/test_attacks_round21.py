"""Round 21: attacks on the reading-order screen's two latest changes (a9f6933: text searched
backwards; 583d741: pages PDFium reads from their last line up, ``layout.upward_pieces``).

A failing test here is a real leak: pdftotext shows the name in the public bundle built through
the CLI with the gate passing, or (unit level, ``Target("Farida Khanum")`` only) the gate and the
redactor miss a name pdftotext shows whole. Checked against 1cb403c (before both changes) with
``leak_scan``. The four leaks found (``test_fixed_*``), all fixed in ``layout`` and kept as tests:

- 1: ``_piece_frame`` places a piece by its first and last characters that have a box
  (``_placed_ends``);
- 2: ``reading_order`` reads upright text mirrored too, as it reads turned text;
- 3: ``spread_apart``: gutters lined up on two of pdfium's lines (gaps wider than a word's at
  spaces, whichever way the text runs) send the page to reading order, whose poppler grouping
  reads the columns; a single TJ or a word spacing making the gutter inside one text object too;
- 4: ``reading_order`` reads pdfium's U+0002 as the hyphen it stands for, where it lies.

LEAKS (as found)
1. A piece whose first and last characters have no box (``_piece_frame`` looks only at those
   two: None, "not read by reading order", and ``_read_in_turn`` skips it wherever its letters
   sit). Construction: /F3 = Helvetica with /Widths giving 0xA0 (no-break space) width 0; the
   top line "Statement of Far" at y 700; "\xa0ida Kha\xa0" and "\xa0num\xa0" (F3) drawn right
   after it on the same line, each separated in content order by a filler line (600, 650), so
   PDFium breaks each into a piece of its own. pdftotext (default, -layout) reads "Statement of
   Farida Khanum"; ``reading_order`` does too; ``needs_visual`` says False. Drawn bottom line
   first (PDFium's pieces upward; /Rotate 0 or 90) this is 583d741's REGRESSION (1cb403c reads
   it in reading order and refuses); drawn top first (/Rotate 0 or 270) the in-order screen
   (``out_of_order``) has the same hole, older than both changes. Full CLI build: the bundle
   shows "Statement of Farida Khanum".
2. Vertically mirrored text on a turned page: ``/Rotate 90|180|270`` with
   ``1 0 0 -1 300 400 Tm (munahK adiraF) Tj`` (or the flip in ``cm``, or the text in two
   objects). poppler works in device space, where the page's turn makes the flip run the
   other way: pdftotext (default, -layout) reads "Farida Khanum". PDFium sees the characters
   at angle 0; a9f6933's backwards screen does send the page to reading order, but
   ``reading_order`` reads only turned text (quarters 1-3) mirrored, so nothing is found. Not
   a regression (1cb403c leaks it); a9f6933's fix is incomplete. Full CLI build leaks the name.
3. Two columns drawn row by row, the name hyphenated down the left column ("in support of
   Fari-" / "da Kha-" / "num against the defendant.", right column at x 340). PDFium: one piece
   per row, two runs in order; ``_one_line`` ignores the gutter, so the page is "in order" (or
   "upward" when drawn bottom row first). pdftotext reads "in support of Farida Khanum against
   the defendant."; reading order's poppler grouping (``bands``) finds it too, but is never
   asked. Upward: 583d741's REGRESSION (1cb403c refuses); in order: older hole. The claim
   "reading order reads exactly those pieces in that order" is false: it also reads poppler's
   blocks. Full CLI build leaks "Farida Khanum".
4. A real line-end hyphen on a page drawn bottom line first: "Statement of Far-" / "ida Kha-" /
   "num said so." (drawn num, ida, Statement). The line after "Kha-" in PDFium's order is the
   line above, so PDFium makes that hyphen U+0002 (no line break): ``upward_pieces`` cuts there
   and ``reading_order`` drops U+0002, both read "ida Kha" / "num", while pdftotext reads
   "Statement of Farida Khanum said so.". Full CLI build: "Farida" is found and boxed, the
   bundle shows "FK Khanum said so." (pdftotext), gate passing. The whole-name miss is in
   reading order itself (1cb403c misses it too with the name alone registered).

HELD (passing tests ``test_held_*``)
- Mirrored text PDFium sees turned (-1 0 0 1, 0 1 1 0, 0 -1 -1 0) on every /Rotate where
  pdftotext reads it as the name, whole or in two text objects: gate and redactor find it.
- ``-100 Tz`` alone (``moves_back``); mirrored words on two lines drawn upward; a name across
  three hyphenated lines drawn bottom first where PDFium keeps the hyphens (screen and CLI).
- Not counted: pdftotext -raw reading "Far" / "ida" on consecutive lines (no word joined), and
  two lines closer than the drop check allows: poppler never merged lines that the drop
  check (0.5 x the taller box) keeps apart, in sizes 6-20 pt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject
from reportlab.pdfbase.pdfmetrics import getFont

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.pdf.layout import out_of_order, upward_pieces
from bundler.core.anonymise.pdf.locate import locate_hits, loose_screen, needs_visual, page_chars, visual_text
from bundler.core.anonymise.terms import Target, find_matches
from tests.cli.test_attacks_round3 import _flat, _readings, build_holds

WHOLE = [Target("Farida Khanum", "FK", "p1", "person")]  # the name only whole: the screen's own test
_WIDTHS = getFont("Helvetica").widths  # WinAnsi code -> width (1/1000 em)
_NBSP = 0xA0


def _font(writer: PdfWriter, base: str, widths: dict[int, int] | None = None) -> object:
    entries = {
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject(base),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }
    if widths is not None:
        table = [widths.get(code, _WIDTHS[code]) for code in range(32, 256)]
        entries[NameObject("/FirstChar")] = NumberObject(32)
        entries[NameObject("/LastChar")] = NumberObject(255)
        entries[NameObject("/Widths")] = ArrayObject([NumberObject(w) for w in table])
    return writer._add_object(DictionaryObject(entries))


def page(path: Path, content: bytes, rotate: int = 0) -> None:
    """One 612 x 792 page drawing ``content``: /F1 Helvetica; /F3 Helvetica whose no-break space
    (0xA0) is zero wide (pdfium then gives it no box at all: neither loose nor tight)."""
    writer = PdfWriter()
    blank = writer.add_blank_page(612, 792)
    fonts = DictionaryObject(
        {NameObject("/F1"): _font(writer, "/Helvetica"), NameObject("/F3"): _font(writer, "/Helvetica", {_NBSP: 0})}
    )
    blank[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(content)
    blank[NameObject("/Contents")] = writer._add_object(stream)
    if rotate:
        blank[NameObject("/Rotate")] = NumberObject(rotate)
    writer.write(str(path))


def _make(content: bytes, rotate: int = 0) -> Callable[[Path], None]:
    return lambda path: page(path, content, rotate)


def _w(text: str, size: float = 11) -> float:
    return sum(_WIDTHS[ord(ch)] for ch in text) * size / 1000


def _line(y: float, x: float, text: bytes, font: bytes = b"/F1", size: float = 11) -> bytes:
    return b"BT %s %.2f Tf 1 0 0 1 %.3f %.3f Tm (%s) Tj ET\n" % (font, size, x, y, text)


@contextmanager
def _opened(pdf: Path) -> Iterator[tuple[pdfium.PdfPage, pdfium.PdfTextPage]]:
    doc = pdfium.PdfDocument(pdf)
    first = doc[0]
    textpage = first.get_textpage()
    try:
        yield first, textpage
    finally:
        textpage.close()
        first.close()
        doc.close()


def _poppler_shows(pdf: Path) -> list[str]:
    return [reader for reader, text in _readings(pdf).items() if "faridakhanum" in _flat(text)]


def _screen_holds(pdf: Path) -> None:
    """Unit level, the name alone registered: wherever pdftotext shows it whole, the gate reports
    the page and the redactor places spots."""
    assert _poppler_shows(pdf), "guard: poppler does not show the name"
    with _opened(pdf) as (shown, _):
        hits = locate_hits(shown, WHOLE)
    assert hits.spots, "the redactor places no box over the name pdftotext reads"
    assert leak_scan(pdf, WHOLE, file_name="x.pdf"), "the gate passes a page pdftotext reads the name on"


# --- 1. a piece whose first and last characters have no box is not placed at all ----------------

_FILLERS = (
    b"The claimant makes this statement in support of the claim for review.",
    b"And the decision of the defendant is challenged on three grounds below.",
)
_STEM = b"Statement of Far"  # "Far" ends the top line; the rest of the name is drawn after it


def _boxless_ends(order: str) -> bytes:
    """The top line "Statement of Far" + "ida Kha" + "num", the two last drawn as text objects of
    their own, each between zero-wide no-break spaces (no box: ``_piece_frame`` returns None and
    ``_read_in_turn`` skips the piece, wherever its letters sit), with the filler lines drawn
    between them so that PDFium breaks each into a piece of its own. ``order``: "up" draws the
    bottom line first (PDFium's pieces run upward), "down" the top line first (in order)."""
    x = 72 + _w(_STEM.decode())
    top = _line(700, 72, _STEM)
    middle, bottom = _line(650, 72, _FILLERS[1]), _line(600, 72, _FILLERS[0])
    ida = _line(700, x, b"\xa0ida Kha\xa0", b"/F3")
    num = _line(700, x + _w("ida Kha"), b"\xa0num\xa0", b"/F3")
    return ida + bottom + num + middle + top if order == "up" else top + middle + ida + bottom + num


_BOXLESS = {
    # 583d741's regression: PDFium's pieces run upward; before it such a page was always read in
    # reading order (the gate at 1cb403c reports both)
    "upward": ("up", 0),
    "upward-rotate-90": ("up", 90),
    # the same hole in the in-order screen, older than both changes (1cb403c leaks it too)
    "in-order": ("down", 0),
    "in-order-rotate-270": ("down", 270),
}


@pytest.mark.parametrize(("order", "rotate"), list(_BOXLESS.values()), ids=list(_BOXLESS))
def test_fixed_boxless_ends_piece_is_not_in_the_bundle(tmp_path: Path, order: str, rotate: int) -> None:
    """End to end: pdftotext (default and -layout) reads "Statement of Farida Khanum"; PDFium's
    text holds "Far", " ida Kha ", " num " in three pieces apart, no word of the register."""
    build_holds(tmp_path, _make(_boxless_ends(order), rotate), readers=("pdftotext", "pdftotext -layout"))


@pytest.mark.parametrize(("order", "rotate"), list(_BOXLESS.values()), ids=list(_BOXLESS))
def test_fixed_boxless_ends_piece_screen_gate_and_redactor(tmp_path: Path, order: str, rotate: int) -> None:
    """Unit level: ``needs_visual`` says False, so neither the redactor nor the gate reads the
    page in reading order, which itself reads "Statement of Farida Khanum"."""
    pdf = tmp_path / "source.pdf"
    page(pdf, _boxless_ends(order), rotate)
    with _opened(pdf) as (shown, textpage):
        assert find_matches(visual_text(shown, textpage).text, WHOLE), "reading order itself reads the name"
        assert needs_visual(shown, textpage.get_text_range(), loose_screen(WHOLE), textpage=textpage)
    _screen_holds(pdf)


# --- 2. mirrored text PDFium sees upright, on a turned page ---------------------------------------

_VFLIP = {
    # glyphs flipped top to bottom by the text matrix
    "tm": b"BT /F1 12 Tf 1 0 0 -1 300 400 Tm (munahK adiraF) Tj ET\n",
    # by the page's matrix, the text matrix plain
    "cm": b"q 1 0 0 -1 0 792 cm BT /F1 12 Tf 300 400 Td (munahK adiraF) Tj ET Q\n",
    # in two text objects
    "split": b"BT /F1 12 Tf 1 0 0 -1 300 400 Tm (munahK) Tj ( adiraF) Tj ET\n",
}
_PLAIN = b"BT /F1 11 Tf 72 760 Td (The claimant makes this statement in support of the claim for review.) Tj ET\n"


@pytest.mark.parametrize("rotate", [90, 180, 270])
@pytest.mark.parametrize("flip", list(_VFLIP.values()), ids=list(_VFLIP))
def test_fixed_vertically_mirrored_name_on_a_turned_page_is_not_in_the_bundle(
    tmp_path: Path, rotate: int, flip: bytes
) -> None:
    """``1 0 0 -1 Tm (munahK adiraF) Tj`` on a /Rotate page: pdftotext (default and -layout)
    reads "Farida Khanum" (poppler works in device space, where the page's turn makes this
    flip run the other way); PDFium sees the characters upright (angle 0), and reading order
    reads only turned text mirrored (``layout.reading_order``: quarters other than 0). The
    screen itself holds (the text reversed holds the name); reading order does not read it."""
    build_holds(tmp_path, _make(_PLAIN + flip, rotate), readers=("pdftotext", "pdftotext -layout"))


@pytest.mark.parametrize("rotate", [90, 180, 270])
@pytest.mark.parametrize("flip", list(_VFLIP.values()), ids=list(_VFLIP))
def test_fixed_vertically_mirrored_name_on_a_turned_page_gate_and_redactor(
    tmp_path: Path, rotate: int, flip: bytes
) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, flip, rotate)
    with _opened(pdf) as (shown, textpage):
        assert needs_visual(shown, textpage.get_text_range(), loose_screen(WHOLE), textpage=textpage)  # holds
    _screen_holds(pdf)


# --- 3. two columns drawn row by row, a name hyphenated down the left column ---------------------

_LEFT = (b"The claimant makes a statement", b"in support of Fari-", b"da Kha-", b"num against the defendant.")
_RIGHT = (
    b"The decision was made on",
    b"the first of May by the",
    b"officer named in the file",
    b"and it is challenged.",
)


def _columns(upward: bool) -> bytes:
    """Each row drawn left column then right (PDFium: one piece a row, two runs in order, each
    row below the one before); ``upward``: the bottom row first. pdftotext reads the columns one
    after the other and joins the hyphens: "in support of Farida Khanum against the defendant."
    Reading order's poppler-like grouping (``bands``) finds it too, but the screen never asks
    for reading order: every row passes ``_one_line`` whatever gutter lies inside it."""
    rows = [
        _line(700 - 14 * n, 72, left) + _line(700 - 14 * n, 340, right)
        for n, (left, right) in enumerate(zip(_LEFT, _RIGHT, strict=True))
    ]
    return b"".join(rows[::-1] if upward else rows)


_COLUMNS = {
    "upward": (True, 0),
    "upward-rotate-90": (True, 90),
    "in-order": (False, 0),
    "in-order-rotate-90": (False, 90),
}


@pytest.mark.parametrize(("upward", "rotate"), list(_COLUMNS.values()), ids=list(_COLUMNS))
def test_fixed_name_hyphenated_down_a_column_drawn_row_by_row_is_not_in_the_bundle(
    tmp_path: Path, upward: bool, rotate: int
) -> None:
    build_holds(tmp_path, _make(_columns(upward), rotate), readers=("pdftotext",))


@pytest.mark.parametrize(("upward", "rotate"), list(_COLUMNS.values()), ids=list(_COLUMNS))
def test_fixed_name_down_a_column_screen_gate_and_redactor(tmp_path: Path, upward: bool, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _columns(upward), rotate)
    with _opened(pdf) as (shown, textpage):
        assert find_matches(visual_text(shown, textpage).text, WHOLE), "reading order itself reads the name"
        assert needs_visual(shown, textpage.get_text_range(), loose_screen(WHOLE), textpage=textpage)
    _screen_holds(pdf)


# --- what held ------------------------------------------------------------------------------------

_TURNED_MIRRORS = [  # (matrix, /Rotate) where pdftotext reads "munahK adiraF" as the name; PDFium sees it turned
    (b"-1 0 0 1", 0), (b"0 1 1 0", 0), (b"0 -1 -1 0", 0),
    (b"-1 0 0 1", 90), (b"0 -1 -1 0", 90),
    (b"0 1 1 0", 180), (b"0 -1 -1 0", 180),
    (b"-1 0 0 1", 270), (b"0 1 1 0", 270),
]  # fmt: skip


@pytest.mark.parametrize(("matrix", "rotate"), _TURNED_MIRRORS)
def test_held_mirror_pdfium_sees_turned_on_any_page_turn(tmp_path: Path, matrix: bytes, rotate: int) -> None:
    """a9f6933 holds wherever PDFium sees the mirrored text turned (whole or in two text objects)."""
    for n, shown in enumerate((b"(munahK adiraF) Tj", b"(munahK) Tj ( adiraF) Tj")):
        pdf = tmp_path / f"source{n}.pdf"
        page(pdf, _PLAIN + b"BT /F1 12 Tf " + matrix + b" 300 400 Tm " + shown + b" ET\n", rotate)
        _screen_holds(pdf)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_held_negative_horizontal_scaling_alone(tmp_path: Path, rotate: int) -> None:
    """``-100 Tz`` alone mirrors the line: ``moves_back`` calls the page backward, reading order reads it."""
    pdf = tmp_path / "source.pdf"
    page(pdf, b"BT /F1 12 Tf -100 Tz 300 400 Td (munahK adiraF) Tj ET\n", rotate)
    _screen_holds(pdf)


@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_held_mirrored_lines_drawn_upward(tmp_path: Path, rotate: int) -> None:
    """The name's words on two mirrored lines, the lower drawn first: the upward screen, whose
    text is searched backwards too, sends the page to reading order."""
    content = b"BT /F1 12 Tf -1 0 0 1 300 686 Tm (munahK) Tj -1 0 0 1 300 700 Tm (adiraF) Tj ET\n"
    pdf = tmp_path / "source.pdf"
    page(pdf, _PLAIN + content, rotate)
    if not _poppler_shows(pdf):
        pytest.skip("poppler does not read the name on this turn")
    _screen_holds(pdf)


def _hyphens_upward() -> bytes:
    """ "Statement of Far-" / "ida Kha-" / "num said so." drawn bottom line first (a filler below)."""
    content = _line(600, 72, _FILLERS[0]) + _line(672, 72, b"num said so.") + _line(686, 72, b"ida Kha-")
    return content + _line(700, 72, b"Statement of Far-")


def test_fixed_line_end_hyphen_pdfium_eats_on_an_upward_page_unit(tmp_path: Path) -> None:
    """PDFium reads "num said so.\\r\\nida Kha\\x02Statement of Far-": the line after "Kha-" in its
    order is the line ABOVE, so it makes the hyphen U+0002 (a line-end hyphen, in LINE_BREAKS).
    ``upward_pieces`` cuts the pieces there and ``reading_order`` leaves U+0002 out of what it
    places: both read "ida Kha" / "num", no hyphen, so "Khanum" is never joined, while pdftotext
    reads "Statement of Farida Khanum said so.". The gate, the name alone registered, passes it
    (1cb403c too: reading order itself drops the hyphen)."""
    pdf = tmp_path / "source.pdf"
    page(pdf, _hyphens_upward())
    with _opened(pdf) as (_, textpage):
        chars = page_chars(textpage)
        assert out_of_order(textpage, chars) and upward_pieces(textpage, chars) is not None
    _screen_holds(pdf)


def test_fixed_line_end_hyphen_pdfium_eats_on_an_upward_page_cli(tmp_path: Path) -> None:
    """End to end, the whole register ("Farida" alone too)."""
    build_holds(tmp_path, _make(_hyphens_upward()), readers=("pdftotext",))


# --- after the fixes: the gutter inside one text object, and a redaction's label -------------------


def _one_object_rows(spacing: str) -> bytes:
    """The rows of ``_columns``, each one text object: the gutter made by a ``TJ`` number, or by
    word spacing on the one space between the columns (the columns' own spaces no-break ones,
    which word spacing does not widen)."""
    rows = []
    for n, (left, right) in enumerate(zip(_LEFT, _RIGHT, strict=True)):
        gap = 340 - 72 - _w(left.decode())
        y = 700 - 14 * n
        if spacing == "TJ":
            rows.append(
                b"BT /F1 11 Tf 1 0 0 1 72 %.2f Tm [(%s) -%.1f (%s)] TJ ET\n" % (y, left, gap * 1000 / 11, right)
            )
        else:
            gap -= _w(" ")
            shown = left.replace(b" ", b"\xa0") + b" " + right.replace(b" ", b"\xa0")
            rows.append(b"BT /F1 11 Tf 1 0 0 1 72 %.2f Tm %.2f Tw (%s) Tj ET\n" % (y, gap, shown))
    return b"".join(rows)


@pytest.mark.parametrize("spacing", ["TJ", "Tw"])
@pytest.mark.parametrize("rotate", [0, 90])
def test_a_gutter_inside_one_text_object_is_read_as_columns(tmp_path: Path, spacing: str, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _one_object_rows(spacing), rotate)
    _screen_holds(pdf)


@pytest.mark.parametrize("spacing", ["TJ", "Tw"])
def test_a_gutter_inside_one_text_object_is_not_in_the_bundle(tmp_path: Path, spacing: str) -> None:
    build_holds(tmp_path, _make(_one_object_rows(spacing)), readers=("pdftotext",))


def test_a_gap_in_a_line_is_read_in_reading_order_whatever_lies_beside_it(tmp_path: Path) -> None:
    """A redaction's label leaves a gap either side of it. Whether poppler then reads the line in
    turn depends on which lines its block takes in (rounds 22 and 23: lines beside that stop
    short, or hold a word of another size, let it read a column); the screen cannot tell, so
    every such page is read in reading order, full lines beside it or not."""

    def row(y: float, *parts: tuple[float, bytes]) -> bytes:
        return b"".join(_line(y, x, text) for x, text in parts)

    full = b"The defendant disagrees with all of it, in full and at length."
    label = row(700, (72, b"The claimant says that"), (200, b"FK"), (240, b"made the statement"))
    cases = {
        "between full lines": (row(714, (72, full)) + label + row(686, (72, full)), True),
        "the line below short": (row(714, (72, full)) + label + row(686, (72, b"and more.")), True),
        "no line above": (label + row(686, (72, full)), True),
        "the line below gapped there too": (
            row(714, (72, full)) + label + row(686, (72, b"And"), (220, b"so on.")),
            True,
        ),
    }
    for name, (content, read) in cases.items():
        pdf = tmp_path / f"{name}.pdf"
        page(pdf, content)
        with _opened(pdf) as (shown, textpage):
            screen = loose_screen(WHOLE)
            assert needs_visual(shown, textpage.get_text_range(), screen, textpage=textpage) == read, name
