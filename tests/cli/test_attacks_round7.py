"""Round 7 attacks on the place-order doubt (``glyphs.advance``), now asked run by run; end to
end through the CLI as in ``test_attacks_round6``: "Farida Khanum" registered (pseudonym FK),
``--no-ocr``; a build must refuse with the leak code (no file written) or write a bundle in which
no reader -- ``pdftotext``, ``pdftotext -layout``, pdfminer.six -- shows "farida" or "khanum"
(case folded, spaces and hyphens removed). The source page must show the name to at least one of
them (the attack's guard). A FAILING test here is a real leak.

Every page below draws round six's line: (ida Kha), then Helvetica's code 0 (no width to poppler,
about 0.28 em to PDFium) each followed by a step back, so that poppler's pen comes back to the
margin while PDFium's steps cancel; then (Far), a forward jump, (num). poppler places "Far" before
"ida Kha" and reads "Farida Khanum"; PDFium reads "ida KhaFar num", so the redactor finds nothing.

Findings (each leaks on 57d7974; ``advance_doubt`` returns "" for each page):

1. glued-numbers: a step written "280.0-0". pypdf reads it as one bad number (0), so the scan
   sees no step back; poppler, pdfminer.six and PDFium end the number at "-" and step back 280.
2. negative-size: the steps written forward (negative) under ``/F1 -12 Tf``: a negative size
   turns advances and TJ steps, so poppler's pen goes back; the scan tracks Tc, Tw, Tz, not Tfs.
3. type3-backwards: no TJ step back at all; a Type3 font whose /FontMatrix has a negative x
   scale moves the pen back by its (certain) /Widths, glyph by glyph, in every reader.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_attacks_round3 import _FILLER, _flat, _raw, _readings, _stream, page_pdf
from tests.cli.test_attacks_round6 import _FORWARD, _START, _holds, _steps

Make = Callable[[], bytes]
_HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
_CATALOG = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"}


def _pdf(content: bytes) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:  # page_pdf writes a file
        path = Path(folder) / "p.pdf"
        page_pdf(path, content)
        return path.read_bytes()


def _line(step: bytes = b"(\\000) %.1f", between: bytes = b"", after: bytes = b"") -> bytes:
    """Round six's split zero-width steps, each written ``step % size``; ``between`` before the
    steps, ``after`` after them (both inside the run)."""
    steps = _steps(280)
    arrays = b" ".join(b"[" + b" ".join(step % s for s in steps[i : i + 3]) + b"] TJ" for i in range(0, len(steps), 3))
    line = b"[(ida Kha)] TJ " + between + arrays + after + b" [(Far) -%.1f (num) -20000 (.)] TJ" % _FORWARD
    return _FILLER + b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm %s ET\n" % (_START, line)


def _unit(tmp_path: Path, data: bytes) -> list[str]:
    """The page's doubts, after checking poppler reads the name in it."""
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.doubt import page_doubts

    path = tmp_path / "probe.pdf"
    path.write_bytes(data)
    assert all("faridakhanum" in _flat(text) for text in _readings(path).values())
    return page_doubts(PdfReader(path).pages[0])


# --- 1. a TJ number pypdf reads as 0 ----------------------------------------------------------------


def _glued_numbers() -> bytes:
    """Each step back written "280.0-0": pypdf reads one token, not a number ("invalid; use 0.0
    instead"), so the scan sees no step back; poppler, pdfminer.six and PDFium read 280.0 (then -0)."""
    return _pdf(_line(b"(\\000) %.1f-0"))


# --- 2. a font size below zero ----------------------------------------------------------------------


def _negative_size() -> bytes:
    """The steps written forward (-280) under ``/F1 -12 Tf``: a negative size turns every advance
    and every TJ step, so the pen moves back while no number is positive and Tc, Tw, Tz are left
    alone. The scan never reads the size."""
    return _pdf(_line(b"(\\000) -%.1f", between=b"/F1 -12 Tf ", after=b" /F1 12 Tf"))


# --- 3. a Type3 font whose /FontMatrix turns its widths back ---------------------------------------


def _type3_backwards() -> bytes:
    """The steps back made by glyphs, not numbers: a Type3 font (/FontMatrix [-0.001 0 0 0.001 0
    0], empty ``d0`` glyphs named /space and /exclam) whose /Widths (280, and the remainder) are
    in /Widths, so certain, but turned back by the matrix; every reader measured (poppler, PDFium,
    pdfminer.six) moves the pen back by them. Each code 0 on /F1 is followed by one such glyph on
    /F3; the run's one TJ has no positive number."""
    steps = _steps(280)
    shown = b" ".join(b"/F1 12 Tf (\\000) Tj /F3 12 Tf (%s) Tj" % (b" " if s == 280 else b"!") for s in steps)
    line = b"[(ida Kha)] TJ " + shown + b" /F1 12 Tf [(Far) -%.1f (num) -20000 (.)] TJ" % _FORWARD
    content = _FILLER + b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm %s ET\n" % (_START, line)
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [-0.001 0 0 0.001 0 0]"
        b" /FirstChar 32 /LastChar 33 /Widths [280 %.3f]"
        b" /Encoding << /Type /Encoding /Differences [32 /space /exclam] >>"
        b" /CharProcs << /space 9 0 R /exclam 9 0 R >> >>"
    ) % steps[-1]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R /F3 6 0 R >> >>"
    page += b" /Contents 4 0 R >>"
    return _raw({**_CATALOG, 3: page, 4: _stream(content), 5: _HELV, 6: font, 9: _stream(b"0 0 d0")})


LEAKS = {"glued-numbers": _glued_numbers, "negative-size": _negative_size, "type3-backwards": _type3_backwards}


@pytest.mark.parametrize("make", list(LEAKS.values()), ids=list(LEAKS))
def test_leak_is_a_doubt(tmp_path: Path, make: Make) -> None:
    """The unit view: the run shows code 0 and moves poppler's pen back; it must be a doubt."""
    from bundler.core.anonymise.glyphs.advance import ADVANCE_DOUBT

    assert ADVANCE_DOUBT in _unit(tmp_path, make())


@pytest.mark.parametrize("make", list(LEAKS.values()), ids=list(LEAKS))
def test_leak_is_not_written(tmp_path: Path, make: Make) -> None:
    """End to end: refused, or a bundle no reader finds the name in."""
    _holds(tmp_path, make())


# --- what held -------------------------------------------------------------------------------------


def _inherited_resources() -> bytes:
    """The line's font named only in /Pages' /Resources: pypdf copies inherited resources onto the
    page, the scan sees the font and the page is a doubt (refused without OCR)."""
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R >> >> >>"
    return _raw({**_CATALOG, 2: pages, 3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                 4: _stream(_line()), 5: _HELV})  # fmt: skip


def _annotation_appearance() -> bytes:
    """The line drawn by a FreeText annotation's appearance stream, not the page's content: the
    scan reads /Contents and the page's resources only (no doubt), but the build removes the
    annotation, so the bundle holds no name."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
    page += b" /Contents 4 0 R /Annots [6 0 R] >>"
    annot = b"<< /Type /Annot /Subtype /FreeText /Rect [0 0 612 792] /F 4 /DA (/F1 12 Tf 0 g) /Contents (note)"
    annot += b" /AP << /N 7 0 R >> >>"
    form = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
    return _raw({**_CATALOG, 3: page, 4: _stream(_FILLER), 5: _HELV, 6: annot,
                 7: _stream(_line().replace(_FILLER, b""), form)})  # fmt: skip


HELD = {"inherited-resources": _inherited_resources, "annotation-appearance": _annotation_appearance}


@pytest.mark.parametrize("make", list(HELD.values()), ids=list(HELD))
def test_held(tmp_path: Path, make: Make) -> None:
    """Held: refused with the leak code, or a bundle with no name in it."""
    _holds(tmp_path, make())


def test_word_made_statements_are_not_pictures(tmp_path: Path) -> None:
    """The cost side, asked of today's run-by-run scan: LibreOffice's PDFs of the real DOCX corpus
    have no page doubt (round six's check, run again)."""
    from tests.cli.test_attacks_round6 import test_word_made_statements_are_not_pictures as check

    check(tmp_path)
