"""Round 27: attacks on the reading-order screen and the font-width doubt as they stand at 0b68d69
(``advance._hides_gaps`` / ``_narrow_codes`` / ``GAP_DOUBT``, ``locate.needs_visual``,
``layout.spread_apart``, ``vectors.moves_back``).

A failing test here is a real leak: pdftotext (default mode) shows the name in the public bundle
built through the CLI, or (unit level, ``Target("Farida Khanum")`` only) the gate (``leak_scan``)
passes a page pdftotext reads the name on. The leak found (``test_fixed_*``) is fixed in
``advance``: a font of any name (or with its own program) is measured against the narrowest the
glyph is in Helvetica, Times and Courier, the doubt no longer waits for a code of uncertain width,
and which font shows each string is asked (``_GapScan``) before a page is doubted.

LEAK
1. Round 26's hidden gap with a BaseFont that is Helvetica to every reader but not by its standard
   name. The page is round 26's (``test_attacks_round26._scaled``): after "in support of Fari" one
   text object ``BT /F9 11 Tf 11700 Tz ... [(-) -130 (No)] TJ 100 Tz ET`` (likewise "da Kha" +
   ``(-Ex)``), /F9 a non-embedded Type1 font whose /Widths are 5/1000 em for every glyph but the
   space. The only change: /F9's /BaseFont is ``/Arial`` (also ``/ArialMT``, ``/Arial,Bold``,
   ``/Helvetica-Narrow``) instead of ``/Helvetica``. PDFium maps these names to its Helvetica
   (base-14 alias table), so its text and boxes are exactly round 26's: "in support of Fari-No" /
   "da Kha-Ex" / "num against the defendant.", no space at the gutter (``TJ`` threshold without
   ``Tz``), loose boxes of the font program's widths covering the gap. poppler moves by /Widths and
   reads the left column down: "in support of Farida Khanum against the defendant.".
   Why the doubt misses it: ``advance._narrow_codes`` (and ``_uncertain_codes``) count a font as
   standard only when ``str(BaseFont)[1:]`` is one of ``_fontdata.widthsByFontGlyph``'s 14 keys;
   ``/Arial`` is not, so it has no narrow codes; and with /Widths for every code 32..255 it has no
   uncertain codes either, so ``advance_doubt`` returns "" before even calling ``_hides_gaps``
   (which it only calls when ``uncertain`` is not empty). ``moves_back`` ignores ``Tz`` above zero,
   ``needs_visual`` is False, the gate passes the page: ``leak_scan`` reports nothing; the CLI build
   (``--no-ocr``) writes a public bundle pdftotext reads "Farida Khanum" in.
   Where: ``glyphs/advance.py`` ``_narrow_codes`` (standard name test) and ``advance_doubt`` (the
   ``if uncertain and _hides_gaps`` short cut). A fix should treat any simple font whose program
   the reader may substitute or embed (not only the 14 names) as one whose own widths may pass
   /Widths: compare /Widths with the widths of the font PDFium actually uses (its alias table:
   Arial*, TimesNewRoman*, CourierNew*, ``,Bold`` suffixes ... ; an embedded program's hmtx /
   charstrings), or doubt any page whose /Widths fall far under any plausible glyph width under a
   large ``Tz``.

HELD (``test_held_*``)
- Hiding the ``Tz`` from ``_SCALING`` (a NUL, or a comment, between the number and ``Tz``) with
  /BaseFont ``/Helvetica``: the doubt still fires, since at scale 1 Helvetica's "N", "o", "E" ...
  already pass their 5/1000 em /Widths by more than 0.4 em, and a letter of that kind is on the page.
- Tails of thin glyphs only ("It", "If": standard widths under 0.4 em): the doubt still fires, as
  ``_hides_gaps`` asks whether any string on the page (in any font) holds a narrow code, and the
  left column's "Fari" does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.glyphs.advance import GAP_DOUBT, advance_doubt
from tests.cli.test_attacks_round3 import build_holds
from tests.cli.test_attacks_round21 import WHOLE, _font, _line, _w
from tests.cli.test_attacks_round26 import _BACK, _GUTTER, _NARROW, _columns, _pdfium_text, _pdftotext, _scaled_row

_ALIASES = ["/Arial", "/ArialMT", "/Arial,Bold", "/Helvetica-Narrow"]


def _page(path: Path, content: bytes, base: str) -> None:
    """Round 26's page, /F9 (narrow /Widths) named ``base``."""
    writer = PdfWriter()
    blank = writer.add_blank_page(612, 792)
    narrow = {code: _NARROW for code in range(33, 256)}
    fonts = DictionaryObject(
        {NameObject("/F1"): _font(writer, "/Helvetica"), NameObject("/F9"): _font(writer, base, narrow)}
    )
    blank[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(content)
    blank[NameObject("/Contents")] = writer._add_object(stream)
    writer.write(str(path))


def _aliased(base: str) -> Callable[[Path], None]:
    return lambda path: _page(path, _columns(_scaled_row), base)


def _guards(pdf: Path) -> None:
    assert "Farida Khanum" in _pdftotext(pdf), "guard: pdftotext reads the name"
    assert "Fari-No" in _pdfium_text(pdf), "guard: PDFium shows no space at the gutter"


@pytest.mark.parametrize("base", _ALIASES)
def test_fixed_helvetica_alias_hides_the_gap_from_the_gate(tmp_path: Path, base: str) -> None:
    pdf = tmp_path / "source.pdf"
    _aliased(base)(pdf)
    _guards(pdf)
    assert leak_scan(pdf, WHOLE, file_name="x.pdf"), f"gate passes a page pdftotext reads the name on ({base})"


def test_fixed_helvetica_alias_doubt_is_empty(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _aliased("/Arial")(pdf)
    assert advance_doubt(PdfReader(pdf).pages[0]) == GAP_DOUBT


def test_fixed_helvetica_alias_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _aliased("/Arial"), readers=("pdftotext",))


def _hidden_tz_row(sep: bytes, tails: dict[bytes, bytes]) -> Callable[[float, bytes, bytes], bytes]:
    def row(y: float, left: bytes, tail: bytes) -> bytes:
        x = 72 + _w(left.decode())
        scale = (_GUTTER - x) * 1000 / (11 * (_NARROW + _BACK))
        return _line(y, 72, left) + b"BT /F9 11 Tf %.3f%sTz 1 0 0 1 %.3f %.3f Tm [(-) %d (%s)] TJ 100 Tz ET\n" % (
            scale * 100,
            sep,
            x,
            y,
            -_BACK,
            tails.get(tail, tail),
        )

    return row


@pytest.mark.parametrize(
    ("sep", "tails"),
    [(b"\x00", {}), (b" %c\n", {}), (b" ", {b"No": b"It", b"Ex": b"If"})],
    ids=["nul-before-Tz", "comment-before-Tz", "thin-tails"],
)
def test_held_standard_name_with_hidden_tz_or_thin_tails(tmp_path: Path, sep: bytes, tails: dict[bytes, bytes]) -> None:
    pdf = tmp_path / "source.pdf"
    _page(pdf, _columns(_hidden_tz_row(sep, tails)), "/Helvetica")
    assert "Farida Khanum" in _pdftotext(pdf), "guard: pdftotext reads the name"
    assert advance_doubt(PdfReader(pdf).pages[0]) == GAP_DOUBT
    assert leak_scan(pdf, WHOLE, file_name="x.pdf")
