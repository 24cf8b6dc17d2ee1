"""Round 26: attacks on the reading-order screen as it stands at 5d1ad08 (``locate.needs_visual``,
``layout.out_of_order`` / ``spread_apart``, ``glyphs.vectors.moves_back``: content setting ``Tc``/``Tw``
at all, or moving text back, is read in reading order; comments, NUL and split streams no longer hide it).

The leak found is fixed (``test_fixed_*``): such a page is one in doubt (``glyphs.advance``,
``GAP_DOUBT``), made a picture or, without OCR, refused. A failing test here is a real leak:
pdftotext (default mode) shows the name in the public bundle built through the CLI, or (unit
level, ``Target("Farida Khanum")`` only) the gate (``leak_scan``) misses a name pdftotext shows.

The page is round 24's gutter (two columns whose left one reads "in support of Fari-" / "da Kha-" /
"num against the defendant."), the gutter now made with no ``Tc``/``Tw``: a horizontal scaling
(``Tz``) and a ``TJ`` number.

LEAK
1. ``Tz`` magnifies a ``TJ`` gap PDFium judges unscaled. After "in support of Fari" one text object
   ``BT /F9 11 Tf 11700 Tz ... [(-) -130 (No)] TJ 100 Tz ET`` (likewise "da Kha" + ``(-Ex)``, ``Tz``
   chosen per row so "N" and "E" both start at x 340). /F9 is Helvetica whose /Widths are 5/1000 em for
   every glyph but the space (278, Helvetica's), so at 117x scaling the glyphs advance about a
   letter's width each. The ``-130`` moves on 130/1000 em times the size times the horizontal
   scaling (PDF 9.4.4): 167 pt, a gutter, in PDFium's boxes as in poppler's. But PDFium
   (``CPDF_TextPage::ProcessTextObject``) decides whether a ``TJ`` number is a space from
   ``-GetFontSizeH() * number / 1000``, the font size and text matrix without ``Tz``: 1.43 pt, under
   its threshold of half the space's width (1.53 pt), so it puts no space there. PDFium's text reads
   "in support of Fari-No" / "da Kha-Ex" / "num against the defendant.": no target forwards or
   backwards; ``moves_back`` False (``Tz`` above zero is not looked at, the ``TJ`` number moves
   forwards); not scattered; each piece below the one before, its two runs on one line, sizes equal,
   in order (``_one_line``); no space inside a piece, so ``spread_apart`` measures nothing.
   ``needs_visual`` is False, the redactor places no spot and the gate passes the page; pdftotext
   reads the left column down: "in support of Farida Khanum against the defendant.".
   Where: ``layout.spread_apart`` finds gutters only at a space PDFium's text shows, and
   ``vectors.moves_back`` (``_BACK_SPACING``) ignores a ``Tz`` above zero; a ``Tz`` other than 100
   with a ``TJ`` number in the same text state shows a gap PDFium does not weigh.
   Reading order does not save it either: ``locate_hits(..., backward=True)`` places no spot and
   ``visual_text`` reads no target. PDFium's loose box of a scaled glyph is the font program's
   advance times the scaling, not /F9's /Widths: "-" spans x 154-552 and "N" 340-1227, so in
   PDFium's boxes the gutter is covered and the poppler-like grouping reads "Fari-" / "N" / "o" /
   "da Kha-". A fix must therefore do both: send such a page to reading order (``moves_back`` or a
   sibling True where content sets ``Tz`` to anything but 100, as round 24 did for ``Tc``/``Tw``),
   and not trust PDFium's loose boxes where /Widths and the font program disagree (boxes from the
   advances /Widths gives, as poppler places them, or the page read from its pixels).

HELD (``test_held_*``)
- The same construction at ``Tz 300`` with plain Helvetica widths: PDFium again shows no space and
  the screen passes, but the gap (4.3 pt) is only a word gap to poppler: "Fari- No", no name.
- Larger ``Tz`` with Helvetica's own widths (1000, 3000): PDFium's lines break apart around the
  wide object (``-No`` read as a line of its own) and ``out_of_order`` sends the page to reading
  order (and poppler does not read the name either).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from tests.cli.test_attacks_round3 import build_holds
from tests.cli.test_attacks_round21 import WHOLE, _font, _line, _w
from tests.cli.test_attacks_round24 import _screen_says

_GUTTER = 340  # where the right column starts
_BACK = 130  # the TJ number: 130/1000 em, under PDFium's space threshold (139) when Tz is left out
_NARROW = 5  # /F9's width of every glyph but the space (1/1000 em)


def _page(path: Path, content: bytes) -> None:
    """One 612 x 792 page drawing ``content``: /F1 Helvetica; /F9 Helvetica whose glyphs are
    ``_NARROW`` wide but the space (278, so PDFium's space threshold is Helvetica's)."""
    writer = PdfWriter()
    blank = writer.add_blank_page(612, 792)
    narrow = {code: _NARROW for code in range(33, 256)}
    fonts = DictionaryObject(
        {NameObject("/F1"): _font(writer, "/Helvetica"), NameObject("/F9"): _font(writer, "/Helvetica", narrow)}
    )
    blank[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(content)
    blank[NameObject("/Contents")] = writer._add_object(stream)
    writer.write(str(path))


def _scaled_row(y: float, left: bytes, tail: bytes) -> bytes:
    """``left``, then one object ``[(-) -130 (tail)] TJ`` in /F9 whose ``Tz`` carries ``tail`` to ``_GUTTER``."""
    x = 72 + _w(left.decode())
    scale = (_GUTTER - x) * 1000 / (11 * (_NARROW + _BACK))  # the hyphen's advance and the gap, scaled
    return _line(y, 72, left) + b"BT /F9 11 Tf %.3f Tz 1 0 0 1 %.3f %.3f Tm [(-) %d (%s)] TJ 100 Tz ET\n" % (
        scale * 100,
        x,
        y,
        -_BACK,
        tail,
    )


def _plain_row(y: float, left: bytes, tail: bytes, tz: int) -> bytes:
    """``left``, then ``[(-) -130 (tail)] TJ`` in /F1 (Helvetica's widths) at ``tz``."""
    x = 72 + _w(left.decode())
    return _line(y, 72, left) + b"BT /F1 11 Tf %d Tz 1 0 0 1 %.3f %.3f Tm [(-) %d (%s)] TJ 100 Tz ET\n" % (
        tz,
        x,
        y,
        -_BACK,
        tail,
    )


def _columns(row: Callable[[float, bytes, bytes], bytes]) -> bytes:
    return b"".join(
        [
            _line(714, 72, b"The claimant makes a statement to the court"),
            row(700, b"in support of Fari", b"No"),
            row(686, b"da Kha", b"Ex"),
            _line(672, 72, b"num against the defendant."),
        ]
    )


def _scaled(path: Path) -> None:
    _page(path, _columns(_scaled_row))


def _plain(tz: int) -> Callable[[Path], None]:
    return lambda path: _page(path, _columns(lambda y, left, tail: _plain_row(y, left, tail, tz)))


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pdfium_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[0].get_textpage()
        return str(textpage.get_text_range())
    finally:
        doc.close()


def test_fixed_horizontal_scaling_gutter_is_a_page_in_doubt(tmp_path: Path) -> None:
    """The screen and reading order work from PDFium's boxes, which cover the gap: the page is not
    theirs to read. The glyphs' standard widths pass their /Widths by far more than the gap a
    reader needs at this scaling (``advance.GAP_DOUBT``), so the page is one in doubt: the gate
    reports it and the build makes it a picture or, without OCR, refuses."""
    from pypdf import PdfReader

    from bundler.core.anonymise.gate.gate import leak_scan
    from bundler.core.anonymise.glyphs.advance import GAP_DOUBT, advance_doubt

    pdf = tmp_path / "source.pdf"
    _scaled(pdf)
    assert "Farida Khanum" in _pdftotext(pdf), "guard: pdftotext reads the name"
    assert "Fari-No" in _pdfium_text(pdf), "guard: PDFium shows no space at the gutter"
    assert advance_doubt(PdfReader(pdf).pages[0]) == GAP_DOUBT
    assert leak_scan(pdf, WHOLE, file_name="x.pdf"), "the gate passes a page pdftotext reads the name on"


def test_fixed_horizontal_scaling_gutter_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _scaled, readers=("pdftotext",))


def test_the_same_widths_with_no_scaling_are_not_in_doubt(tmp_path: Path) -> None:
    """Helvetica's own widths are not, at any scaling (the page lists no narrow font: which font
    shows which string is not asked, so a narrow font a page lists counts)."""
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.advance import advance_doubt
    from tests.cli.test_attacks_round21 import page

    for tz in (300, 1000, 11700):
        pdf = tmp_path / f"plain-{tz}.pdf"
        page(pdf, _columns(lambda y, left, tail, tz=tz: _plain_row(y, left, tail, tz)))
        assert advance_doubt(PdfReader(pdf).pages[0]) == "", tz


def test_held_small_horizontal_scaling_is_only_a_word_gap(tmp_path: Path) -> None:
    """Tz 300, Helvetica's widths: PDFium shows no space and the screen passes, but poppler reads a
    word gap only ("Fari- No"): no name to leak."""
    pdf = tmp_path / "source.pdf"
    _plain(300)(pdf)
    assert "Fari-No" in _pdfium_text(pdf)
    assert "Farida" not in _pdftotext(pdf)


@pytest.mark.parametrize("tz", [1000, 3000])
def test_held_wide_glyphs_break_pdfium_lines(tmp_path: Path, tz: int) -> None:
    """Larger Tz with Helvetica's own widths: the wide object is read as a line of its own and the
    page goes to reading order (poppler does not read the name either)."""
    pdf = tmp_path / "source.pdf"
    _plain(tz)(pdf)
    visual, _ = _screen_says(pdf, WHOLE)
    assert visual
    assert "Farida" not in _pdftotext(pdf)
