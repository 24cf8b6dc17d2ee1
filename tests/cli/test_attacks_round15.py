"""Round 15: the glue round 14's readings do not take apart, and lines turned a little further
than reading order reads; end to end through the CLI as in round 14 ("Farida Khanum" registered,
pseudonym FK, ``--no-ocr``, the judge a reader's text with everything but letters taken out, case
folded). A build must refuse with the leak code or write a bundle in which no reader --
``pdftotext``, ``pdftotext -layout``, pdfminer.six -- shows "farida" or "khanum" so judged; the
source must show the name to one of them. A FAILING test here is a real leak.

Findings (each wrote the name into a bundle on 02442f3, the leak gate passing it):

1. glue ``terms.GLUED`` does not see, all in WinAnsi Helvetica, read alike by PDFium, poppler and
   pdfminer.six, so every reader shows the name in the bundle:
   - a capital glued before a capitalised or an all-capital name: "XFarida XKhanum",
     "XFARIDA XKHANUM" (GLUED splits only a SMALL letter before a capital), and a small letter
     after an all-capital name, "FARIDAx KHANUMx";
   - letters outside GLUED's two Latin-1 ranges: "\u00b5Farida" (micro sign, a small letter
     at U+00B5, below the range), "\u00aaFarida \u00baKhanum" (ordinal indicators, letters of
     category Lo, folded by NFKD to "a" and "o");
   - digits that are not ``\\d``: "Farida\u00b2 Khanum\u00b2", "\u00bdFarida \u00beKhanum"
     (superscripts and fractions are category No, so GLUED's digit rule misses them; then
     ``normalise`` folds them by NFKD to "2", "1\u20442", a digit against the name, no edge);
   - a Word statement with the same glue ("XFarida", "\u00aaKhanum", "Farida\u00b2"): the DOCX
     anonymiser leaves it, and LibreOffice prints it.
2. a plural: "the Khanums" -- a family named with no attacker at all; "s" is a letter after the
   name, so the edge rule ("Ann" is not in "Annual") takes the name's edge away. Every reader
   shows "Khanums" in the bundle.
3. a line turned a little more than ``layout._SKEW`` (0.05 rad): the name drawn glyph by glyph,
   each glyph by its own turned ``Tm`` at its place along the line, in a shuffled order, turned
   0.06-0.08 rad either way (or a quarter turn plus that). PDFium's text is the shuffle, and
   ``reading_order`` (and with it ``bands``) reads no turned text past ``_SKEW``, so no reading
   holds the name; poppler still puts such a line together: ``pdftotext`` and ``-layout`` read
   "Farida Khanum" in the bundle (pdfminer.six does not, in the source or the bundle).

Mended (stop 33): ``glue`` takes apart a change of kind (Latin letter, number, other letter:
"\u00b5", "\u00aa", "\u00b2", "\u00bd") and of case ("XFarida" one way, "FARIDAx" another);
two or more words of a name next to each other are found however glued ("XFARIDA XKHANUM",
``forms.glued_body``); a name takes an "s" ("Khanums"); ``layout._SKEW`` is poppler's, a
tangent of 0.1. One word alone glued capital to capital ("XKHANUM") stays a word.

What held (02442f3):
- "Farida\u2122 Khanum\u2122", "\u0192Farida", "\u0161Farida", "\u0153Farida" (WinAnsi letters
  past Latin-1): refused, a protected term drawn where its text does not show it;
- "Fari da Kha num" (a plain space inside each word): ``visual_text``'s reading with no spaces
  finds it, and the bundle shows FK;
- the turned line in three pieces, (num), (Far), (ida Kha), at 0.06 rad: redacted; the same
  glyphs drawn in order: redacted; turned 0.12-0.2 rad poppler reads no whole name itself.
"""

from __future__ import annotations

import math
import random
import shutil
from pathlib import Path

import docx
import pytest

from tests.cli.test_attacks_round3 import _FILLER
from tests.cli.test_attacks_round11 import NAME, _pdf, _w
from tests.cli.test_attacks_round14 import _holds, _line, statement_holds, statement_project
from tests.conftest import require

# --- 1. glue GLUED does not take apart ----------------------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        b"(Statement of XFarida XKhanum.) Tj",
        b"(STATEMENT OF XFARIDA XKHANUM.) Tj",
        b"(STATEMENT OF FARIDAx KHANUMx.) Tj",
        b"(Statement of \xb5Farida \xb5Khanum.) Tj",  # micro sign
        b"(Statement of \xaaFarida \xbaKhanum.) Tj",  # ordinal indicators
        b"(Statement of Farida\xb2 Khanum\xb2.) Tj",  # superscript two
        b"(Statement of \xbdFarida \xbeKhanum.) Tj",  # fractions
    ],
    ids=["capital-before", "all-capitals", "small-after-capitals", "micro", "ordinal", "superscript", "fraction"],
)
def test_glue_the_readings_do_not_take_apart(tmp_path: Path, shown: bytes) -> None:
    _holds(tmp_path, _line(shown))


def test_glue_in_a_word_statement(tmp_path: Path) -> None:
    """The same glue in a Word statement: the DOCX anonymiser matches as ``find_matches`` does."""
    require(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    source = tmp_path / "statement.docx"
    document = docx.Document()
    document.add_paragraph("Witness statement of XFarida \u00aaKhanum")
    document.add_paragraph("I, Farida\u00b2 XKHANUM, say that I live here.")
    document.save(str(source))
    statement_holds(tmp_path, statement_project(tmp_path, source))


# --- 2. a plural ----------------------------------------------------------------------------------------


def test_the_family_in_the_plural(tmp_path: Path) -> None:
    _holds(tmp_path, _line(b"(Statement of Farida Khanum. The Khanums live in Leeds.) Tj"))


# --- 3. a line turned a little further than reading order reads -------------------------------------------


def _turned(angle: float, seed: int = 3) -> bytes:
    """The name's glyphs each by its own ``Tm`` turned ``angle`` at its place along the turned
    line, drawn in a shuffled order."""
    c, s = math.cos(angle), math.sin(angle)
    items = [(300 + _w(NAME[:k]) * c, 400 + _w(NAME[:k]) * s, ch) for k, ch in enumerate(NAME) if ch != " "]
    random.Random(seed).shuffle(items)
    body = b"".join(
        b"%.4f %.4f %.4f %.4f %.3f %.3f Tm (%s) Tj " % (c, s, -s, c, x, y, ch.encode()) for x, y, ch in items
    )
    return _pdf(_FILLER + b"BT /F1 12 Tf " + body + b"ET\n")


@pytest.mark.parametrize(
    "angle",
    [0.06, 0.08, -0.07, math.pi / 2 + 0.06, math.pi - 0.07],
    ids=["0.06", "0.08", "-0.07", "quarter+0.06", "half-0.07"],
)
def test_glyphs_shuffled_on_a_line_turned_past_the_skew(tmp_path: Path, angle: float) -> None:
    _holds(tmp_path, _turned(angle))


# --- what held --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        b"(Statement of Farida\x99 Khanum\x99.) Tj",  # trade mark sign
        b"(Statement of \x83Farida \x83Khanum.) Tj",  # florin
        b"(Statement of \x9aFarida \x9cKhanum.) Tj",  # s caron, oe
        b"(Statement of Fari da Kha num.) Tj",
    ],
    ids=["trade-mark", "florin", "scaron-oe", "spaced"],
)
def test_held_glue_and_spaces(tmp_path: Path, shown: bytes) -> None:
    _holds(tmp_path, _line(shown))


def _turned_pieces(angle: float) -> bytes:
    """(num), (Far), (ida Kha), each by its own ``Tm`` turned ``angle``, at its place on the line."""
    c, s = math.cos(angle), math.sin(angle)
    pieces = [(10, "num"), (0, "Far"), (3, "ida Kha")]
    body = b"".join(
        b"%.4f %.4f %.4f %.4f %.3f %.3f Tm (%s) Tj "
        % (c, s, -s, c, 300 + _w(NAME[:k]) * c, 400 + _w(NAME[:k]) * s, text.encode())
        for k, text in pieces
    )
    return _pdf(_FILLER + b"BT /F1 12 Tf " + body + b"ET\n")


def test_held_turned_pieces(tmp_path: Path) -> None:
    _holds(tmp_path, _turned_pieces(0.06))


def test_held_turned_glyphs_in_order(tmp_path: Path) -> None:
    c, s = math.cos(0.06), math.sin(0.06)
    body = b"".join(
        b"%.4f %.4f %.4f %.4f %.3f %.3f Tm (%s) Tj "
        % (c, s, -s, c, 300 + _w(NAME[:k]) * c, 400 + _w(NAME[:k]) * s, ch.encode())
        for k, ch in enumerate(NAME)
    )
    _holds(tmp_path, _pdf(_FILLER + b"BT /F1 12 Tf " + body + b"ET\n"))
