"""Round 24: attacks on the reading-order screen as it stands at 46e86f4 (``locate.needs_visual``:
``out_of_order`` / ``upward_pieces``, ``_one_line`` and ``spread_apart``).

A failing test here is a real leak: pdftotext (default mode) shows the name in the public bundle
built through the CLI with the gate passing, or (unit level, ``Target("Farida Khanum")`` only) the
gate (``leak_scan``) and the redactor (``locate_hits``, asked with ``moves_back`` as the redactor
asks it) miss a name pdftotext shows. The two leaks found (``test_fixed_*``) are fixed in
``glyphs.vectors``: a page whose content sets a word or character spacing other than zero (``Tw``,
``Tc``, or ``"``) is read in reading order, as one that moves text back already was.

The claim attacked: "PDFium puts a space wherever text moves on by more than about a seventh of an
em (a ``TJ`` number, word or character spacing, the next text object), so a gutter is found at a
space" (``spread_apart``'s docstring). False for word spacing: PDFium's ``ProcessTextObject``
measures the move between two characters of one text object from the character spacing (``Tc``)
and ``TJ`` numbers only, never from the word spacing (``Tw``). ``Tw`` moves the text on after
every single-byte code 32 (PDF 9.3.3, done by PDFium's ``CalcPositionData`` and by poppler),
whatever glyph and Unicode that code has. A font whose code 32 is a visible hyphen
(``/Differences [32 /hyphen]``) draws "-" and then jumps ``Tw`` on: PDFium's text shows "-" and
the next letter side by side with no space at all, so no gutter is ever looked for there.

LEAKS
1. A gutter made by word spacing after a hyphen that is code 32 (``_tw_columns``): rows 14 pt
   apart, Helvetica 11 pt: "The claimant makes a statement to the court" / "in support of Fari"
   + (/F5, ``Tw`` to x 340) code 32 = "-" then "The" + " decision was made on" / "da Kha" + "-"
   (code 32, ``Tw``) + "the" + " day of the hearing" / "num against the defendant.". PDFium reads
   "in support of Fari-The decision was made on" / "da Kha-the day of the hearing" / "num
   against ..." (three runs a row, in order, one height: ``_one_line`` True; rows in turn:
   ``out_of_order`` False; no whitespace between "-" and "T": ``spread_apart`` False), so
   ``needs_visual`` is False, though ``reading_order`` itself reads the name (``visual_text``
   finds it). pdftotext (default) reads "in support of Farida Khanum against the defendant."
   (the 180 pt gap after each hyphen is a gutter to poppler, which reads the left column down).
   Unit level: gate passes and no spot, whole name and the words registered, on /Rotate 0 and
   270, and drawn bottom row first (``upward_pieces``) on /Rotate 0 and 90. Full CLI build
   (/Rotate 0): the gate passes and the public bundle reads "Farida Khanum" (pdftotext; -layout
   keeps the columns side by side and does not show it).
2. The same gutter made by character spacing, plain Helvetica (``_tc_columns``): after "in
   support of Fari" one text object ``(-No) Tj`` with ``Tc`` set so that "N" starts at x 340
   (and "o" as far again), likewise "da Kha" + ``(-Ex)``. PDFium's ``CalculateBaseSpace`` takes
   the whole ``Tc`` as the object's base spacing when it has 3 or more characters and no ``TJ``
   number, and subtracts it from every gap: no space anywhere in the object. PDFium reads "in
   support of Fari-No" / "da Kha-Ex" / "num against ..."; pdftotext (default) reads "in support
   of Farida Khanum against the defendant." then "N", "E", "o", "x" as blocks of their own. Same
   screen answers (``out_of_order``/``upward_pieces`` in turn, ``spread_apart`` False), same
   results: unit (whole name, and the words registered) on /Rotate 0 and 270, upward on 0 and 90;
   full CLI build (/Rotate 0) leaks "Farida Khanum". No special font or encoding is needed.

Where (both): ``layout.spread_apart`` looks for gutters only at whitespace in PDFium's text, and
PDFium makes no space for a move by ``Tw`` (never counted) or by a ``Tc`` it takes as base
spacing; so ``locate.needs_visual`` answers False. ``reading_order`` itself reads the name
(``visual_text`` finds it) in every leaking case. A fix would have to measure gaps between every
pair of neighbouring characters of a piece, not only at spaces (or send pages with non-zero
``Tw``/``Tc`` to reading order).

HELD (``test_held_*``)
- The same page on /Rotate 90 and 180 (drawn upward: 180 and 270): PDFium's order is not in
  turn there, reading order runs.
- The same gutter made by ``Tw`` after a real space (code 32 a space): the space is in PDFium's
  text and ``spread_apart`` measures the gutter.
- The ``Tc`` page on /Rotate 90 and 180 (upward: 180, 270): out of turn, reading order runs.
- Tried, not pursued to a leak: a huge ``Tf`` scaled down by ``Tm`` with the next text object a
  column away (PDFium's gap test between objects works in the previous object's text space
  consistently: it makes a space, ``spread_apart`` catches it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.glyphs.vectors import moves_back
from bundler.core.anonymise.pdf.locate import locate_hits, loose_screen, needs_visual, visual_text
from bundler.core.anonymise.terms import Target, find_matches
from tests.cli.test_attacks_round3 import build_holds
from tests.cli.test_attacks_round21 import WHOLE, _line, _make, _opened, _poppler_shows, _w, page
from tests.cli.test_attacks_round23 import REGISTERED


def _backward(pdf: Path) -> bool:
    """What the redactor and the gate ask of the page's content before the screen (``moves_back``):
    since round 24 a word or character spacing set at all sends the page to reading order."""
    return moves_back(PdfReader(pdf).pages[0])


def _screen_says(pdf: Path, targets: list[Target]) -> tuple[bool, bool]:
    """(needs_visual as the redactor and the gate ask it, reading order finds a target)."""
    with _opened(pdf) as (shown, textpage):
        return (
            needs_visual(shown, textpage.get_text_range(), loose_screen(targets), _backward(pdf), textpage),
            bool(find_matches(visual_text(shown, textpage).text, targets)),
        )


def _screen_holds(pdf: Path, targets: list[Target] = WHOLE) -> None:
    """Wherever pdftotext shows the name whole, the redactor (asked as it asks, ``backward`` from the
    content) places spots and the gate reports the page."""
    assert _poppler_shows(pdf), "guard: poppler does not show the name"
    with _opened(pdf) as (shown, _):
        assert locate_hits(shown, targets, _backward(pdf)).spots, "the redactor places no box over the name"
    assert leak_scan(pdf, targets, file_name="x.pdf"), "the gate passes a page pdftotext reads the name on"


def _holds_registered(pdf: Path) -> None:
    _screen_holds(pdf, REGISTERED)


_GUTTER = 340  # where the right column starts


def _with_f5(path: Path, content: bytes, rotate: int = 0, glyph: str = "/hyphen") -> None:
    """``page``, with /F5 too: Helvetica whose code 32 draws ``glyph`` (``/Differences``)."""
    page(path, content, rotate)
    writer = PdfWriter(clone_from=str(path))
    encoding = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Encoding"),
            NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/Differences"): ArrayObject([NumberObject(32), NameObject(glyph)]),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): encoding,
        }
    )
    fonts = cast(DictionaryObject, cast(DictionaryObject, writer.pages[0]["/Resources"])["/Font"])
    fonts[NameObject("/F5")] = writer._add_object(font)
    writer.write(str(path))


def _tw_row(y: float, left: bytes, right: bytes, hyphen: float) -> bytes:
    """``left`` (/F1), then in /F5 code 32 (width ``hyphen`` em/1000) and the first word of
    ``right``, word spacing carrying that word to ``_GUTTER``; then the rest of ``right`` (/F1)."""
    x = 72 + _w(left.decode())
    first, rest = right.split(b" ", 1)
    spacing = _GUTTER - x - hyphen * 11 / 1000
    out = _line(y, 72, left)
    out += b"BT /F5 11 Tf %.3f Tw 1 0 0 1 %.3f %.3f Tm ( %s) Tj 0 Tw ET\n" % (spacing, x, y, first)
    return out + _line(y, _GUTTER + _w(first.decode()), b" " + rest)


def _tw_columns(upward: bool = False) -> bytes:
    """The four rows; ``upward``: drawn bottom row first (PDFium's pieces read upward)."""
    rows = [
        _line(714, 72, b"The claimant makes a statement to the court"),
        _tw_row(700, b"in support of Fari", b"The decision was made on", 333),
        _tw_row(686, b"da Kha", b"the day of the hearing", 333),
        _line(672, 72, b"num against the defendant."),
    ]
    return b"".join(rows[::-1] if upward else rows)


def _tw_make(rotate: int = 0, upward: bool = False) -> Callable[[Path], None]:
    return lambda path: _with_f5(path, _tw_columns(upward), rotate)


def test_fixed_word_spacing_gutter_unit(tmp_path: Path) -> None:
    """PDFium: "in support of Fari-The decision was made on" / "da Kha-the day of the hearing":
    no whitespace at either gutter, rows in turn: ``needs_visual`` False. pdftotext: "in support
    of Farida Khanum against the defendant."; ``reading_order`` finds it too."""
    pdf = tmp_path / "source.pdf"
    _tw_make()(pdf)
    visual, found = _screen_says(pdf, WHOLE)
    assert found, "reading order itself reads the name"
    assert visual, "needs_visual: the page is not read in reading order"


@pytest.mark.parametrize(("upward", "rotate"), [(False, 0), (False, 270), (True, 0), (True, 90)])
def test_fixed_word_spacing_gutter_gate(tmp_path: Path, upward: bool, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    _tw_make(rotate, upward)(pdf)
    _screen_holds(pdf)
    _holds_registered(pdf)


def test_fixed_word_spacing_gutter_cli(tmp_path: Path) -> None:
    """Full build, the whole register: pdftotext reads "Farida Khanum" in the public bundle."""
    build_holds(tmp_path, _tw_make(), readers=("pdftotext",))


# --- 2. the same gutter made by character spacing: plain Helvetica, no TJ number ------------------


def _tc_row(y: float, left: bytes, tail: bytes) -> bytes:
    """``left``, then one text object "-" + ``tail`` whose character spacing carries the letter
    after the hyphen to ``_GUTTER`` (and each later letter as far again)."""
    x = 72 + _w(left.decode())
    spacing = _GUTTER - x - _w("-")
    return _line(y, 72, left) + b"BT /F1 11 Tf %.3f Tc 1 0 0 1 %.3f %.3f Tm (-%s) Tj 0 Tc ET\n" % (spacing, x, y, tail)


def _tc_columns(upward: bool = False) -> bytes:
    """Four rows; ``upward``: drawn bottom row first (PDFium's pieces read upward)."""
    rows = [
        _line(714, 72, b"The claimant makes a statement to the court"),
        _tc_row(700, b"in support of Fari", b"No"),
        _tc_row(686, b"da Kha", b"Ex"),
        _line(672, 72, b"num against the defendant."),
    ]
    return b"".join(rows[::-1] if upward else rows)


def test_fixed_character_spacing_gutter_unit(tmp_path: Path) -> None:
    """PDFium: "in support of Fari-No" / "da Kha-Ex": no space at either gutter (``Tc`` is taken
    whole as the object's "base space"); pdftotext: "in support of Farida Khanum against ..."."""
    pdf = tmp_path / "source.pdf"
    page(pdf, _tc_columns())
    visual, found = _screen_says(pdf, WHOLE)
    assert found, "reading order itself reads the name"
    assert visual, "needs_visual: the page is not read in reading order"


@pytest.mark.parametrize(("upward", "rotate"), [(False, 0), (False, 270), (True, 0), (True, 90)])
def test_fixed_character_spacing_gutter_gate(tmp_path: Path, upward: bool, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _tc_columns(upward), rotate)
    _screen_holds(pdf)
    _holds_registered(pdf)


def test_fixed_character_spacing_gutter_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _make(_tc_columns()), readers=("pdftotext",))


@pytest.mark.parametrize(("upward", "rotate"), [(False, 90), (False, 180), (True, 180), (True, 270)])
def test_held_character_spacing_gutter_turned(tmp_path: Path, upward: bool, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    page(pdf, _tc_columns(upward), rotate)
    _screen_holds(pdf)


# --- held ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("upward", "rotate"), [(False, 90), (False, 180), (True, 180), (True, 270)])
def test_held_word_spacing_gutter_turned(tmp_path: Path, upward: bool, rotate: int) -> None:
    pdf = tmp_path / "source.pdf"
    _tw_make(rotate, upward)(pdf)
    _screen_holds(pdf)
    _holds_registered(pdf)


def test_held_word_spacing_gutter_after_a_real_space(tmp_path: Path) -> None:
    """Code 32 a space (``/space``), the hyphen drawn before it: PDFium's text has the space and
    ``spread_apart`` measures "-" to "T"."""
    content = _line(714, 72, b"The claimant makes a statement to the court")
    content += _tw_row(700, b"in support of Fari-", b"The decision was made on", 278)
    content += _tw_row(686, b"da Kha-", b"the day of the hearing", 278)
    content += _line(672, 72, b"num against the defendant.")
    pdf = tmp_path / "source.pdf"
    _with_f5(pdf, content, glyph="/space")
    _screen_holds(pdf)
