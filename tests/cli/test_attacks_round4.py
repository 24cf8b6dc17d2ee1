"""Round 4 attacks on the reading-order screen (``layout.out_of_order``, commit 847e409), end to
end through the CLI, as in ``test_attacks_round3``: "Farida Khanum" registered (pseudonym FK),
``--no-ocr``; a build must refuse with the leak code (no file written) or write a bundle in which
neither ``pdftotext`` nor ``pdftotext -layout`` shows "farida" or "khanum" (case folded, spaces
and hyphens removed). Each found a leak on 847e409 (and before it); all are mended:
``moves_back`` reads negative ``Tc``/``Tw``, ``Tz`` at or below zero and ``TJ`` numbers added up
between shown strings; reading order reads turned text the other way round too, places a space
where a gap is rather than where its glyph is drawn, and counts glyphs read back to front as
neighbours; a piece drawn in runs is measured by its tallest character.

1. One text object (one ``TJ``: one rectangle of ``FPDFText_CountRects``) whose glyphs step back
   in the middle, by means ``moves_back`` does not read: a negative ``Tw`` on a byte-32 space, a
   run of ``TJ`` numbers each at most 300 (alone or between empty strings), a negative ``Tc``.
   The piece is one run, so ``_one_line`` is not asked, and ``_piece_frame`` compares only its
   first and last character: a last glyph far right (a "." after a big forward ``TJ`` shift)
   makes it "in order". pdfium and pypdf read "ida KhaFar num ." or "munahK adiraF ."; reading
   order, poppler and the eye "Farida Khanum". No word of the name is whole in content order, so
   nothing is matched or redacted and no later reading sees a changed page.
2. Mirrored text (``-1 0 0 1 Tm``, or ``-100 Tz``): pdfium gives the glyphs a half turn, so
   ``reading_order`` reads them right to left in the page, i.e. in content order ("munahK
   adiraF"); the screen does call such a page out of order, but the reading finds nothing.
   poppler reads the glyphs by position, left to right: "Farida Khanum".
3. A tall glyph inside a piece: ``_one_line`` bounds the middles of a piece's characters but not
   their heights, and ``_lines`` measures a line by its top character. A 60 pt "W" among 12 pt
   "Far" … "num" (middles level) makes that line 70 pt tall in reading order, so "ida Kha" drawn
   7.2 pt lower (a piece of its own, more than half a 12 pt line below: "in order" to the screen)
   is read into it: reading order says "Farida Khanum", the screen never asks for it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bundler.core.anonymise.glyphs.vectors import moves_back
from bundler.core.anonymise.pdf.layout import char_boxes, out_of_order, reading_order
from bundler.core.anonymise.pdf.locate import page_chars
from tests.cli.test_attacks_round3 import _FILLER, _FOOTER, _flat, build_holds, page_pdf
from tests.conftest import require

PROTECTED = ("farida", "khanum")
Make = Callable[[Path], None]

_HELVETICA = {"F": 611, "a": 556, "r": 333, "i": 222, "d": 556, " ": 278, "K": 667, "h": 556, "n": 556, "u": 556}
_HELVETICA |= {"m": 833, ".": 278}
X0 = 72.0


def _width(text: str, size: float = 12) -> float:
    return sum(_HELVETICA[ch] for ch in text) * size / 1000


def _make(line: bytes, footer: bool = False, rotate: int = 0) -> Make:
    return lambda path: page_pdf(path, _FILLER + line + (_FOOTER if footer else b""), rotate)


# --- the lines --------------------------------------------------------------------------------

_START = X0 + _width("Far")  # where "ida" starts
_KHA_END = _START + _width("ida") + 3.6 + _width("Kha")  # after "ida", a 300 shift, "Kha"
_TO_NUM = (_KHA_END - _START) * 1000 / 12  # from after "Far" forward to "num", in thousandths


def _tw_back() -> bytes:
    """[(ida) -300 (Kha) ( Far) -n (num) -20000 (.)] TJ, Tw so negative the space lands "Far" first."""
    tw = X0 - _KHA_END - _width(" ")
    return b"BT /F1 12 Tf %.3f Tw 1 0 0 1 %.3f 700 Tm [(ida) -300 (Kha) ( Far) -%.3f (num) -20000 (.)] TJ 0 Tw ET\n" % (
        tw,
        _START,
        _TO_NUM,
    )


def _tj_small_numbers(between: bytes) -> Callable[[], bytes]:
    """Back from "Kha" to the left margin by several TJ numbers, none above 300."""

    def line() -> bytes:
        back = (_KHA_END - X0) * 1000 / 12
        steps = int(back // 300) + 1
        numbers = between.join(b"%.3f" % (back / steps) for _ in range(steps))
        return b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm [(ida) -300 (Kha) %s (Far) -%.3f (num) -20000 (.)] TJ ET\n" % (
            _START,
            numbers,
            _TO_NUM,
        )

    return line


def _tc_back() -> bytes:
    """Courier (7.2 pt a glyph at 12 pt) with Tc -14.4: each glyph lands just left of the one before."""
    return b"BT /F2 12 Tf -14.4 Tc 1 0 0 1 %.3f 700 Tm [(munahK adiraF) -40000 (.)] TJ 0 Tc ET\n" % (X0 + 12 * 7.2)


def _mirrored_tm() -> bytes:
    return b"BT /F1 12 Tf -1 0 0 1 %.3f 700 Tm (munahK adiraF) Tj ET\n" % (X0 + _width("Farida Khanum"))


def _mirrored_tz() -> bytes:
    return b"BT /F1 12 Tf -100 Tz 1 0 0 1 %.3f 700 Tm (munahK adiraF) Tj 100 Tz ET\n" % (X0 + _width("Farida Khanum"))


def _tall_glyph(drop: float = 7.2, big: int = 60) -> bytes:
    """Piece 1: "Far", "num" (after where "Kha" ends), a 60 pt "W" whose box middle is 0.3 pt above
    theirs, "." — four runs, middles level, lefts rising. Piece 2: "ida Kha", ``drop`` lower.
    A Helvetica loose box's middle is 0.361 of the size above the baseline."""
    w_base = 700 + 0.361 * 12 - 0.361 * big + 0.3
    first = b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm (Far) Tj 1 0 0 1 %.3f 700 Tm (num) Tj " % (X0, X0 + _width("Farida Kha"))
    first += b"/F1 %d Tf 1 0 0 1 400 %.3f Tm (W) Tj /F1 12 Tf 1 0 0 1 520 700 Tm (.) Tj ET\n" % (big, w_base)
    return first + b"BT /F1 12 Tf 1 0 0 1 %.3f %.3f Tm (ida Kha) Tj ET\n" % (_START, 700 - drop)


STEPPED_BACK = {
    "negative-Tw-on-space": _tw_back,
    "TJ-numbers-each-300-or-less": _tj_small_numbers(b" "),
    "TJ-numbers-between-empty-strings": _tj_small_numbers(b" () "),
    "negative-Tc-courier": _tc_back,
}
MIRRORED = {"Tm-minus-1": _mirrored_tm, "Tz-minus-100": _mirrored_tz}


# --- the checks -------------------------------------------------------------------------------


def _pdfium_view(source: Path) -> tuple[str, bool, str]:
    """pdfium's content-order text of page 1, the screen's verdict, and its reading order."""
    document = pdfium.PdfDocument(source)
    try:
        textpage = document[0].get_textpage()
        chars = page_chars(textpage)
        placed, _ = reading_order(textpage, chars, char_boxes(textpage, range(len(chars))))
        return "".join(chars), out_of_order(textpage, chars), placed
    finally:
        document.close()


# --- 1. one text object stepped back in its middle ------------------------------------------


@pytest.mark.parametrize("line", list(STEPPED_BACK.values()), ids=list(STEPPED_BACK))
def test_one_object_stepped_back_is_not_written(tmp_path: Path, line: Callable[[], bytes]) -> None:
    """LEAK (fails today): the screen calls the page in order, ``moves_back`` sees no step back,
    content order and pypdf show no form of the name; the bundle is written with it."""
    make = _make(line())
    make(tmp_path / "probe.pdf")
    content, _, placed = _pdfium_view(tmp_path / "probe.pdf")
    assert "faridakhanum" in _flat(placed) and "farida" not in _flat(content)
    build_holds(tmp_path, make)


@pytest.mark.parametrize("variant", ["footer", "rotate90", "rotate270"])
@pytest.mark.parametrize("line", [_tj_small_numbers(b" "), _tc_back], ids=["TJ-numbers", "negative-Tc"])
def test_one_object_stepped_back_with_the_stamp_out_of_place_is_refused(
    tmp_path: Path, line: Callable[[], bytes], variant: str
) -> None:
    """Held: with a footer below the page-number stamp, or on a /Rotate page, the stamped page is
    out of order to the bundle's gate, which reads it in reading order and refuses."""
    footer, rotate = variant == "footer", {"rotate90": 90, "rotate270": 270}.get(variant, 0)
    build_holds(tmp_path, _make(line(), footer=footer, rotate=rotate))


def test_a_stepped_back_page_moves_back(tmp_path: Path) -> None:
    """The unit view of finding 1: content order does not show the name, reading order does, and
    ``moves_back`` now sees the step back (it missed all four before: a negative ``Tw``, ``TJ``
    numbers that add up, the same between empty strings, a negative ``Tc``)."""
    from pypdf import PdfReader

    for name, line in STEPPED_BACK.items():
        path = tmp_path / f"{name}.pdf"
        _make(line())(path)
        content, _, placed = _pdfium_view(path)
        assert "faridakhanum" in _flat(placed), name
        assert "farida" not in _flat(content) and "khanum" not in _flat(content), name
        assert moves_back(PdfReader(path).pages[0]), name


# --- 2. mirrored text -------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["plain", "footer", "rotate90", "rotate270"])
@pytest.mark.parametrize("line", list(MIRRORED.values()), ids=list(MIRRORED))
def test_mirrored_text_is_not_written(tmp_path: Path, line: Callable[[], bytes], variant: str) -> None:
    """LEAK (fails today): out of order to the screen, but ``reading_order`` gives mirrored glyphs
    a half turn and reads them in content order; poppler reads them by position."""
    footer, rotate = variant == "footer", {"rotate90": 90, "rotate270": 270}.get(variant, 0)
    build_holds(tmp_path, _make(line(), footer=footer, rotate=rotate))


# --- 3. a tall glyph makes a line of reading order swallow the piece below ------------------


def test_tall_glyph_in_a_piece_is_screened(tmp_path: Path) -> None:
    """LEAK by bundler's own reading (fails today): reading order reads "Farida Khanum", the screen
    calls the page in order, so the gate never reads it so. poppler's -layout shows the name; its
    plain reading keeps the 7.2 pt step as three lines, so only -layout guards the source."""
    make = _make(_tall_glyph())
    make(tmp_path / "probe.pdf")
    content, screened, placed = _pdfium_view(tmp_path / "probe.pdf")
    assert "faridakhanum" in _flat(placed) and "farida" not in _flat(content)
    assert screened, "the screen calls a page in order whose reading order reads the name"


def test_tall_glyph_build(tmp_path: Path) -> None:
    """End to end: the bundle is written and pdftotext -layout reads the name in it."""
    build_holds(tmp_path, _make(_tall_glyph()), readers=("pdftotext -layout",))


# --- cost: pages LibreOffice makes from Word files -----------------------------------------


def test_word_made_pages_are_not_sent_to_reading_order(tmp_path: Path) -> None:
    """Held: every page of the real-docx corpus, converted by LibreOffice, is in order to the
    screen, has no small-object scatter and no step back (19 pages, 12 files, none sent)."""
    from pypdf import PdfReader

    from bundler.core.anonymise.pdf.locate import _scattered

    soffice = shutil.which("soffice")
    require(soffice is not None, "soffice (LibreOffice)")
    corpus = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real-docx"
    docx = sorted(corpus.glob("*.docx"))
    require(bool(docx), "the real-docx corpus")
    subprocess.run(
        [str(soffice), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, docx)],
        capture_output=True,
        timeout=600,
        check=False,
    )
    sent = []
    pages = 0
    for pdf in sorted(tmp_path.glob("*.pdf")):
        document, reader = pdfium.PdfDocument(pdf), PdfReader(pdf)
        try:
            for n in range(len(document)):
                textpage = document[n].get_textpage()
                chars = page_chars(textpage)
                pages += 1
                if out_of_order(textpage, chars) or _scattered(textpage) or moves_back(reader.pages[n]):
                    sent.append(f"{pdf.name} p{n + 1}")
        finally:
            document.close()
    assert pages >= len(docx)
    assert not sent, sent
