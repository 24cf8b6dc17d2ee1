"""Round 16: numbers inside the name, font and page-box tricks, glue beyond WinAnsi; end to end
through the CLI as in rounds 14-15 ("Farida Khanum" registered, pseudonym FK, ``--no-ocr``, the
judge a reader's text with everything but letters taken out, case folded). A build must refuse
with the leak code or write a bundle in which no reader -- ``pdftotext``, ``pdftotext -layout``,
pdfminer.six -- shows "farida" or "khanum" so judged; the source must show the name to one of
them. A FAILING test here is a real leak.

Findings (each wrote the name into a bundle on dd80fbf, the leak gate passing it):

1. a number between the letters of the name: "Fari1da Kha2num", "Fari\u00b2da Kha\u00b2num"
   (superscript two), "1Fari1da1 1Kha1num1", all WinAnsi Helvetica. ``terms.INSIDE`` took out
   only what is neither a letter, a digit nor a space (``[^\\w\\s]|_``), so a digit stays;
   ``glue`` then cuts at each change of kind ("Fari 1 da"), and no reading joins "Fari" to "da".
   The digit need not show: drawn invisibly (``3 Tr``) or white, its advance stepped back in the
   same ``TJ`` (``[(1) 556] TJ``), the bundle's page looks exactly like "Farida Khanum" while
   ``pdftotext`` reads "Fari1 / da Kha1 / num" (an invisible superscript: "Fari\u00b2da
   Kha\u00b2num." on one line). In a Word statement a white "1" inside each word: the DOCX
   anonymiser leaves it, LibreOffice prints it, ``pdftotext`` reads "I, Fari1da Kha1num, say ...".
2. a mark set off by spaces inside a word of the name: "Fari - da Kha - num", "Fari \u00b7 da
   Kha \u00b7 num", "Fari 1 da Kha 1 num"; and the last drawn invisibly with its advance stepped
   back to one space, so the page shows "Fari da Kha num" (round 15's spaced name, which held).
   ``INSIDE`` wants no space about the mark; ``layout``'s second reading drops only the spaces
   PDFium guesses (boxless), and these are drawn spaces a full space wide; every reader shows
   the name's letters in the bundle.

Mended (stop 33): what the matcher's second reading takes out from inside a word is now any
mark, "_", digit or other number (``glue.inside``: "Fari1da", "Fari\u00b2da"); and reading order
is asked for where a name's letters lie with up to three spaces, marks or digits between them
(``locate.loose_screen``), whose reading closes up gaps under half a line ("Fari - da" is read
"Fari-da", then "Farida").

What held (dd80fbf):
- the same marks drawn invisibly with no space ("Fari[\u00b7]da") or invisibly with spaces and
  stepped back ("Fari[ \u00b7 ]da", "Fari[ - ]da"): redacted; a digit at 0.1 pt or at ``0 Tz``:
  redacted; a hidden digit in Word (not printed): redacted; "Fari -" ending a line, "da Khanum."
  on the next: redacted;
- page boxes: the name outside a /CropBox (also /Rotate 90), a crop box cutting the name in two,
  a /MediaBox with its origin at (100, 100) and /Rotate 270, /UserUnit 3: redacted (PDFium reads
  all text whatever the boxes; poppler too);
- DejaVuSans (embedded TrueType, reportlab): "Fari\u2009da", "Fari\u3000da" (thin and
  ideographic spaces), "\u0436Farida \u03a3Khanum\u0436", "Farida\u0301", "Fari\u2044da
  Kha\u2022num", a fullwidth one (no glyph in DejaVu: PDFium reads U+0000, ``CONTROLS``):
  redacted; a subscript two and an Arabic-Indic one inside the name: refused by
  the gate's stream engine (text operands).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from bundler.core.assets import font_path
from tests.cli.test_attacks_round3 import _FILLER
from tests.cli.test_attacks_round11 import _pdf
from tests.cli.test_attacks_round14 import _holds, _line, statement_holds, statement_project
from tests.conftest import require

# --- 1. a number between the letters of the name ---------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        b"(Statement of Fari1da Kha2num.) Tj",
        b"(Statement of Fari\xb2da Kha\xb2num.) Tj",  # superscript two
        b"(Statement of 1Fari1da1 1Kha1num1.) Tj",
        # the digit invisible, its advance stepped back: the page shows "Farida Khanum."
        b"(Statement of Fari) Tj 3 Tr [(1) 556] TJ 0 Tr (da Kha) Tj 3 Tr [(1) 556] TJ 0 Tr (num.) Tj",
        b"(Statement of Fari) Tj 1 g [(1) 556] TJ 0 g (da Kha) Tj 1 g [(1) 556] TJ 0 g (num.) Tj",
        b"(Statement of Fari) Tj 3 Tr [(\xb2) 333] TJ 0 Tr (da Kha) Tj 3 Tr [(\xb2) 333] TJ 0 Tr (num.) Tj",
    ],
    ids=["digit", "superscript", "digits-everywhere", "invisible-digit", "white-digit", "invisible-superscript"],
)
def test_a_number_inside_the_name(tmp_path: Path, shown: bytes) -> None:
    _holds(tmp_path, _line(shown))


def _statement(folder: Path, digit: str) -> Path:
    """A Word statement: "I, Fari1da Kha1num, say ...", each "1" a run of its own, ``digit``:
    "white" or "hidden"."""
    source = folder / "statement.docx"
    document = docx.Document()
    document.add_paragraph("Witness statement.")
    paragraph = document.add_paragraph("I, Fari")
    for after in ("da Kha", "num, say that I live here."):
        run = paragraph.add_run("1")
        if digit == "white":
            run.font.color.rgb = RGBColor(255, 255, 255)
        else:
            run.font.hidden = True
        paragraph.add_run(after)
    document.save(str(source))
    return statement_project(folder, source)


@pytest.mark.parametrize("digit", ["white", "hidden"], ids=["white-digit", "held-hidden-digit"])
def test_a_digit_inside_the_name_in_a_word_statement(tmp_path: Path, digit: str) -> None:
    """White: LibreOffice prints the "1" (a reader shows it, the eye does not). Hidden (held):
    not printed, so the PDF reads "Farida Khanum" and is redacted."""
    require(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    statement_holds(tmp_path, _statement(tmp_path, digit))


# --- 2. a mark set off by spaces inside a word of the name ---------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        b"(Statement of Fari - da Kha - num.) Tj",
        b"(Statement of Fari \xb7 da Kha \xb7 num.) Tj",
        b"(Statement of Fari 1 da Kha 1 num.) Tj",
        # " 1 " invisible, stepped back to one space: the page shows "Fari da Kha num."
        b"(Statement of Fari) Tj 3 Tr [( 1 ) 834] TJ 0 Tr (da Kha) Tj 3 Tr [( 1 ) 834] TJ 0 Tr (num.) Tj",
    ],
    ids=["hyphen", "middle-dot", "digit", "invisible-digit"],
)
def test_a_mark_set_off_by_spaces_inside_the_name(tmp_path: Path, shown: bytes) -> None:
    _holds(tmp_path, _line(shown))


# --- what held --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        _line(b"(Statement of Fari) Tj 3 Tr [(\xb7) 278] TJ 0 Tr (da Kha) Tj 3 Tr [(\xb7) 278] TJ 0 Tr (num.) Tj"),
        _line(b"(Statement of Fari) Tj 3 Tr [( - ) 611] TJ 0 Tr (da Kha) Tj 3 Tr [( - ) 611] TJ 0 Tr (num.) Tj"),
        _line(b"(Statement of Fari) Tj 0 Tz (1) Tj 100 Tz (da Kha) Tj 0 Tz (1) Tj 100 Tz (num.) Tj"),
        _line(b"(Statement of Fari) Tj /F1 0.1 Tf (1) Tj /F1 12 Tf (da Kha) Tj /F1 0.1 Tf (1) Tj /F1 12 Tf (num.) Tj"),
        _pdf(_FILLER + b"BT /F1 12 Tf 72 700 Td (Statement of Fari -) Tj 0 -14 Td (da Khanum.) Tj ET\n"),
    ],
    ids=["invisible-middle-dot", "invisible-spaced-hyphen", "digit-at-0-Tz", "digit-at-0.1-pt", "line-end"],
)
def test_held_marks(tmp_path: Path, data: bytes) -> None:
    _holds(tmp_path, data)


def _boxed(
    content: bytes,
    crop: tuple[float, ...] | None = None,
    media: tuple[float, ...] | None = None,
    rotate: int = 0,
    unit: float | None = None,
) -> bytes:
    """One page drawing ``content`` with the page boxes, /Rotate and /UserUnit given."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_pdf(content))))
    page = writer.pages[0]
    for key, box in (("/MediaBox", media), ("/CropBox", crop)):
        if box is not None:
            page[NameObject(key)] = ArrayObject([FloatObject(v) for v in box])
    if rotate:
        page[NameObject("/Rotate")] = NumberObject(rotate)
    if unit is not None:
        page[NameObject("/UserUnit")] = FloatObject(unit)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_FAR = _FILLER + b"BT /F1 12 Tf 400 700 Td (Statement of Farida Khanum.) Tj ET\n"  # right of x = 300
_CUT = _FILLER + b"BT /F1 12 Tf 250 700 Td (Statement of Farida Khanum.) Tj ET\n"  # "Fari" ends about x = 345


@pytest.mark.parametrize(
    "data",
    [
        _boxed(_FAR, crop=(0, 0, 300, 792)),
        _boxed(_FAR, crop=(0, 0, 300, 792), rotate=90),
        _boxed(_CUT, crop=(0, 0, 345, 792)),
        _boxed(_CUT, media=(100, 100, 712, 892), rotate=270),
        _boxed(_CUT, unit=3.0),
    ],
    ids=["outside-crop", "outside-crop-90", "cut-by-crop", "media-origin-270", "user-unit"],
)
def test_held_page_boxes(tmp_path: Path, data: bytes) -> None:
    _holds(tmp_path, data)


def _dejavu(text: str) -> bytes:
    """``text`` at 12 pt in DejaVuSans (embedded TrueType subset, reportlab) under a filler line."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(font_path("DejaVuSans"))))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(612, 792))
    page.setFont("DejaVuSans", 11)
    page.drawString(72, 760, "The claimant makes this statement in support of the claim for review.")
    page.setFont("DejaVuSans", 12)
    page.drawString(72, 700, text)
    page.save()
    return out.getvalue()


@pytest.mark.parametrize(
    "text",
    [
        "Statement of Fari\u2009da Kha\u3000num.",
        "Statement of \u0436Farida \u03a3Khanum\u0436.",
        "Statement of Farida\u0301 Khanum\u0301.",
        "Statement of Fari\u2044da Kha\u2022num.",
        "Statement of Fari\uff11da Kha\uff11num.",
        "Statement of Fari\u2082da Kha\u0661num.",
    ],
    ids=[
        "thin-ideographic-space",
        "cyrillic-greek",
        "combining",
        "fraction-bullet",
        "fullwidth-one",
        "subscript-arabic",
    ],
)
def test_held_beyond_win_ansi(tmp_path: Path, text: str) -> None:
    _holds(tmp_path, _dejavu(text))
