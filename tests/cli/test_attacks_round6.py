"""Round 6 attacks on the place-order doubt (``glyphs.advance``): glyph widths readers take
differently, end to end through the CLI as in ``test_attacks_round3``: "Farida Khanum" registered
(pseudonym FK), ``--no-ocr``; a build must refuse with the leak code (no file written) or write a
bundle in which no reader -- ``pdftotext``, ``pdftotext -layout``, pdfminer.six -- shows "farida"
or "khanum" (case folded, spaces and hyphens removed). The source page must show the name to at
least one of them (the attack's guard). A FAILING test here is a real leak.

Findings (each leaks on 4709b78):

1. Round five's zero-width steps, split over several ``TJ`` arrays. ``moves_back`` adds up the
   steps back of ONE array (``_BACK_IN_ARRAY``, 1000); three steps of 280 and Helvetica's code 0
   between them are 840 an array, so six arrays move poppler's pen back past "ida Kha" (poppler
   gives code 0 no width) while no array moves back by rule. ``moves_back`` is False, so
   ``advance_doubt`` is never asked. The round-three screen does read the page in PDFium's reading
   order, but PDFium gives code 0 about 0.28 em, the steps cancel, and its place order is the
   content order "ida Kha Far num": the bundle is written and pdftotext reads "Farida Khanum".
2. A ``/FirstChar`` below zero. poppler takes 0 for it ("Ignoring invalid /FirstChar"), PDFium
   loads no ``/Widths`` at all (the font's own metrics), pdfminer.six and ``uncertain_codes``
   take it as written. A non-standard, non-embedded TrueType font (/Arial, WinAnsi, /Differences
   [130 /space]) whose ``/Widths`` (from -1, 256 entries: every code given a number) gives code
   130 no width at index 130: ``uncertain_codes`` calls every code certain, so a page whose one
   ``TJ`` moves back (``moves_back`` True) has no doubt. poppler moves code 130 by 0 and reads the
   name; PDFium by its space's width, the steps cancel and it places "Far num ida Kh".

Both mended in ``glyphs.advance``: the doubt no longer waits on ``moves_back``'s thresholds but
asks of each run (until the pen is set again) whether it shows a glyph of uncertain width and
steps back at all; and ``/Widths`` readers read apart (``/FirstChar`` not a whole number from 0 to
255, ``/LastChar`` before it) leave every code uncertain. What held is recorded below.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from tests.cli.test_attacks_round3 import _FILLER, _built_shows_no_name, _flat, _project, _readings, page_pdf
from tests.cli.test_attacks_round5 import _page
from tests.conftest import require

Make = Callable[[Path], None]
X0 = 72.0
CORPUS_DOCX = Path("/work/shared/corpus/real-docx")


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(path)))


def _holds(folder: Path, data: bytes) -> None:
    """The attack's guard (some position-ordering reader reads the name in the source), then the
    build: refused with the leak code, or a bundle no reader (poppler's two, pdfminer.six's) reads
    the name in."""
    project = _project(folder, lambda path: path.write_bytes(data))
    source = folder / "source.pdf"
    readings = {**_readings(source), "pdfminer.six": _pdfminer(source)}
    assert any("faridakhanum" in _flat(text) for text in readings.values()), readings
    _built_shows_no_name(project, folder, _pdfminer)


def _w(text: str) -> float:
    return stringWidth(text, "Helvetica", 12)


_START = X0 + _w("Far")  # where "ida Kha" starts
_BACK = (_START + _w("ida Kha") - X0) * 1000 / 12  # back from the end of "Kha" to the margin
_FORWARD = (_START + _w("ida Kha") - X0 - _w("Far")) * 1000 / 12  # from the end of "Far" to "num"


def _steps(size: float) -> list[float]:
    n = int(_BACK // size)
    return [size] * n + [_BACK - n * size]


# --- 1. zero-width steps split over TJ arrays ---------------------------------------------------


def _split_zero_width_steps() -> bytes:
    """Helvetica (standard, no /Widths): (ida Kha), then arrays of three "(\\000) 280" each, back
    to the margin in poppler's widths, then (Far), a forward jump, (num)."""
    steps = _steps(280)
    arrays = [
        b"[" + b" ".join(b"(\\000) %.1f" % s for s in steps[i : i + 3]) + b"] TJ" for i in range(0, len(steps), 3)
    ]
    line = b"[(ida Kha)] TJ " + b" ".join(arrays) + b" [(Far) -%.1f (num) -20000 (.)] TJ" % _FORWARD
    content = _FILLER + b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm %s ET\n" % (_START, line)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:  # page_pdf writes a file
        path = Path(folder) / "p.pdf"
        page_pdf(path, content)
        return path.read_bytes()


def test_split_zero_width_steps_are_a_doubt(tmp_path: Path) -> None:
    """The unit view of finding 1: no array moves back by ``moves_back``'s rule, which the doubt
    asked first; now a run showing code 0 and stepping back at all is a doubt."""
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.advance import ADVANCE_DOUBT
    from bundler.core.anonymise.glyphs.doubt import page_doubts
    from bundler.core.anonymise.glyphs.vectors import moves_back

    path = tmp_path / "probe.pdf"
    path.write_bytes(_split_zero_width_steps())
    page = PdfReader(path).pages[0]
    assert not moves_back(page)
    assert page_doubts(page) == [ADVANCE_DOUBT]
    assert all("faridakhanum" in _flat(text) for text in _readings(path).values())


def test_split_zero_width_steps_are_not_written(tmp_path: Path) -> None:
    """Was a leak: the bundle was written and pdftotext read "Farida Khanum" in it."""
    _holds(tmp_path, _split_zero_width_steps())


# --- 2. a /FirstChar below zero -------------------------------------------------------------------

_HW = {c: round(stringWidth(chr(c), "Helvetica", 1000)) for c in range(32, 127)}
_SPACE_130 = b"/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [130 /space] >>"


def _stepped_line(font: bytes, step: float = 278) -> bytes:
    """One TJ on /F3: (ida Kha), code 130 each followed by a step back of ``step``, (Far), a
    forward jump, (num): "Farida Khanum" where code 130 moves nothing."""
    shown = b" ".join(b"(\\202) %.1f" % s for s in _steps(step))
    line = b"[(ida Kha) %s (Far) -%.1f (num) -20000 (.)] TJ" % (shown, _FORWARD)
    return _page(_FILLER + b"BT /F3 12 Tf 1 0 0 1 %.3f 700 Tm %s ET\n" % (_START, line), {"F3": font})


def _negative_first_char() -> bytes:
    widths = [0] * 256  # codes -1..254 as written; 0..255 to poppler
    for code, width in _HW.items():
        widths[code] = width
    font = b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar -1 /LastChar 255 /Widths [%s] %s >>" % (
        b" ".join(b"%d" % w for w in widths),
        _SPACE_130,
    )
    return _stepped_line(font)


def test_negative_first_char_is_a_doubt(tmp_path: Path) -> None:
    """The unit view of finding 2: the page moves back and shows code 130, which was called
    certain; /Widths that readers read apart now leave every code uncertain."""
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.advance import ADVANCE_DOUBT, uncertain_codes
    from bundler.core.anonymise.glyphs.doubt import page_doubts
    from bundler.core.anonymise.glyphs.vectors import moves_back

    path = tmp_path / "probe.pdf"
    path.write_bytes(_negative_first_char())
    page = PdfReader(path).pages[0]
    assert moves_back(page)
    assert 130 in uncertain_codes(page["/Resources"]["/Font"]["/F3"])
    assert page_doubts(page) == [ADVANCE_DOUBT]
    assert all("faridakhanum" in _flat(text) for text in _readings(path).values())


def test_negative_first_char_is_not_written(tmp_path: Path) -> None:
    """Was a leak: the bundle was written and pdftotext read "Farida Khanum" in it."""
    _holds(tmp_path, _negative_first_char())


# --- what held -------------------------------------------------------------------------------------


def _real_first_char() -> bytes:
    """/FirstChar 32.0: poppler (not an integer) and pdfminer.six (``int_value``) take 0, PDFium and
    ``uncertain_codes`` 32. The array serves both: index c for poppler's code c, c - 32 for PDFium's;
    code 130 is 0 to poppler (index 130), 278 to PDFium (index 98). The source leaks to poppler, but
    pypdf writes the number back as ``32``: in the bundle poppler reads the widths as PDFium does."""
    used = [ord(ch) for ch in "Farid Khnum."]
    widths = [0] * 171
    for code in used:
        widths[code - 32] = widths[code] = _HW[code]
    widths[98] = 278
    font = b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32.0 /LastChar 170 /Widths [%s] %s >>" % (
        b" ".join(b"%d" % w for w in widths),
        _SPACE_130,
    )
    return _stepped_line(font)


def _widths_past_last_char() -> bytes:
    """/Widths running past /LastChar (32..130, /LastChar 126), code 130 given 0: poppler stops at
    /LastChar (MissingWidth, 0); PDFium too, as measured, so its place order reads the name."""
    widths = b" ".join(b"%d" % _HW[c] for c in range(32, 127)) + b" 0 0 0 0"
    font = b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 126 /Widths [%s] %s >>" % (
        widths,
        _SPACE_130,
    )
    return _stepped_line(font)


HELD = {
    # the bundle's writer (pypdf) writes 32.0 as 32: the disagreement does not survive the build
    "real-first-char": _real_first_char,
    # PDFium reads the name in place order: the gate refuses or the redactor finds it
    "widths-past-last-char": _widths_past_last_char,
}


@pytest.mark.parametrize("make", list(HELD.values()), ids=list(HELD))
def test_held(tmp_path: Path, make: Callable[[], bytes]) -> None:
    """Held: refused with the leak code, or a bundle with no name in it."""
    _holds(tmp_path, make())


def test_word_made_statements_are_not_pictures(tmp_path: Path) -> None:
    """The cost side: LibreOffice's PDFs of the real DOCX corpus (12 files, 19 pages on 4709b78)
    have no page doubt (none of their pages moves back)."""
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.doubt import page_doubts

    require(shutil.which("soffice") is not None, "soffice (LibreOffice)")
    require(CORPUS_DOCX.is_dir(), f"the shared corpus ({CORPUS_DOCX})")
    sources = sorted(CORPUS_DOCX.glob("*.docx"))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *map(str, sources)],
        capture_output=True, timeout=600, check=False,
    )  # fmt: skip
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == len(sources)
    doubted = [(pdf.name, n, d) for pdf in pdfs for n, p in enumerate(PdfReader(pdf).pages, 1) if (d := page_doubts(p))]
    assert doubted == []
