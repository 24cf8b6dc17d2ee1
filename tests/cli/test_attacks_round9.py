"""Round 9 attacks on the place-order doubt (``glyphs.advance``, after e82d6de) and on reading
order's mixed-height reading; end to end through the CLI as in ``test_attacks_round6``: "Farida
Khanum" registered (pseudonym FK), ``--no-ocr``; a build must refuse with the leak code (no file
written) or write a bundle in which no reader -- ``pdftotext``, ``pdftotext -layout``,
pdfminer.six -- shows "farida" or "khanum" (case folded, spaces and hyphens removed). The source
page must show the name to at least one of them (the attack's guard). A FAILING test here is a
real leak.

Every page of part A draws round six's line -- (ida Kha), glyphs poppler moves by 0 and PDFium by
about 0.28 em, steps back, (Far), a forward jump, (num) -- so that poppler places "Far" at the
margin and reads "Farida Khanum" while PDFium reads "ida KhaFar num".

Findings (each leaks on e82d6de; ``page_doubts`` is empty for each page):

1. text-after-ET: the code-0 glyphs shown in the text object, then ``ET``, then the steps back and
   (Far) (num) shown OUTSIDE any text object. The scan starts a new run at ``ET``
   (``_NEW_RUN``), so the first run shows uncertain codes but never moves back and the second moves
   back but shows no uncertain code. But ``ET`` does not set the pen: poppler (and PDFium) go on
   showing from where the code-0 glyphs left it -- only ``BT`` resets the text matrix -- so the
   pen's place after ``ET`` still depends on the widths readers take apart.
2. octal-overflow: the zero-width glyph written ``(\\400)``. poppler and PDFium read an octal
   escape past 255 by its low byte, code 0 (uncertain: no width to poppler, ~0.28 em to PDFium);
   pypdf keeps the four bytes ``\\400`` as written (``original_bytes``), backslash and digits,
   all of certain width in Helvetica. The scan sees no uncertain code; the cheap look defers to it
   (the literal has an escape). pdfminer.six refuses the escape (an assertion) and reads nothing.

What held: round eight's merged line over a footer with big letters 22 and 23 pt (1.8-1.9x, under
``_MIXED``), lowered 0 to 9.5 pt (10 builds). Not attacks (no reader shows the name in the
source, so not kept as tests): the code-0 run split from the steps back by ``q 0 0 Td Q``,
``q 1 0 0 1 0 0 Tm Q`` or ``q ET BT Q``; by operators poppler skips for too few operands
(``0 Td``, a bare ``'``, ``1 0 0 1 0 Tm``) or a nested ``BT``; ``(\\600)`` (code 128, the Euro
to PDFium).

Mended: ET no longer starts a run (only BT sets the pen anew; q/Q do not keep the text
matrix), and a literal string with an escape readers decode otherwise than pypdf (an octal value
over 255, a backslash before anything but the standard escapes) counts as showing a code of
uncertain width in every run of its stream (``advance._ODD_ESCAPE``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_attacks_round3 import (
    _FILLER,
    _FOOTER,
    _built_shows_no_name,
    _flat,
    _project,
    _readings,
    _width,
    build_holds,
    page_pdf,
)
from tests.cli.test_attacks_round6 import _FORWARD, _START, _steps
from tests.cli.test_attacks_round6 import _pdfminer as _pdfminer_strict
from tests.cli.test_attacks_round7 import _line, _pdf

Make = Callable[[], bytes]


def _pdfminer(path: Path) -> str:
    """pdfminer.six's text; nothing when it cannot read the file (``\\400`` stops its lexer)."""
    try:
        return _pdfminer_strict(path)
    except Exception:  # noqa: BLE001 - a reader that fails shows no name
        return ""


def _holds(folder: Path, data: bytes) -> None:
    """Round six's ``_holds`` with a pdfminer.six that may fail on the page."""
    project = _project(folder, lambda path: path.write_bytes(data))
    source = folder / "source.pdf"
    readings = {**_readings(source), "pdfminer.six": _pdfminer(source)}
    assert any("faridakhanum" in _flat(text) for text in readings.values()), readings
    _built_shows_no_name(project, folder, _pdfminer)


def _unit(tmp_path: Path, data: bytes) -> list[str]:
    """The page's doubts, after checking poppler reads the name in it."""
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.doubt import page_doubts

    path = tmp_path / "probe.pdf"
    path.write_bytes(data)
    assert all("faridakhanum" in _flat(text) for text in _readings(path).values())
    return page_doubts(PdfReader(path).pages[0])


def _zeros_then(boundary: bytes) -> bytes:
    """(ida Kha), every code 0 in one string (no step back), ``boundary``, then every step back
    in one TJ, (Far), the forward jump, (num): one run to readers unless ``boundary`` sets the pen."""
    steps = _steps(280)
    zeros = b"(" + b"\\000" * len(steps) + b") Tj"
    back = b"[" + b" ".join(b"%.1f" % s for s in steps) + b"] TJ"
    line = b"[(ida Kha)] TJ " + zeros + b" " + boundary + b" " + back
    line += b" [(Far) -%.1f (num) -20000 (.)] TJ" % _FORWARD
    return _FILLER + b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm %s ET\n" % (_START, line)


# --- 1. text shown after ET -------------------------------------------------------------------------


def _text_after_et() -> bytes:
    return _pdf(_zeros_then(b"ET"))


# --- 2. an octal escape past 255 ----------------------------------------------------------------------


def _octal_overflow() -> bytes:
    return _pdf(_line(b"(\\400) %.1f"))


LEAKS = {"text-after-ET": _text_after_et, "octal-overflow": _octal_overflow}


@pytest.mark.parametrize("make", list(LEAKS.values()), ids=list(LEAKS))
def test_leak_is_a_doubt(tmp_path: Path, make: Make) -> None:
    """The unit view: the page shows a glyph PDFium and poppler move apart, and poppler's pen goes
    back from where that glyph left it; it must be a doubt."""
    from bundler.core.anonymise.glyphs.advance import ADVANCE_DOUBT

    assert ADVANCE_DOUBT in _unit(tmp_path, make())


@pytest.mark.parametrize("make", list(LEAKS.values()), ids=list(LEAKS))
def test_leak_is_not_written(tmp_path: Path, make: Make) -> None:
    """End to end: refused, or a bundle no reader finds the name in."""
    _holds(tmp_path, make())


# --- what held -------------------------------------------------------------------------------------


def _merged_mixed(big: float, drop: float, y: float = 20) -> Callable[[Path], None]:
    """Round eight's finding 4 (round three's merged line below the stamp, a footer under it) with
    the big letters ``big`` pt beside the 12 pt name: under ``_MIXED`` (2x) they do not make
    ``reading_order`` read the page again with lines joined within the shorter height."""
    a, b = 72 + _width("Far"), 72 + _width("Far" + "ida Kha")
    line = (
        b"BT /F1 12 Tf 1 0 0 1 72 %.3f Tm (Far) Tj /F1 %.1f Tf 1 0 0 1 302 %.3f Tm (ZZ) Tj "
        b"/F1 12 Tf 1 0 0 1 %.3f %.3f Tm (ida Kha) Tj /F1 %.1f Tf 1 0 0 1 402 %.3f Tm (QQ) Tj "
        b"/F1 12 Tf 1 0 0 1 %.3f %.3f Tm (num) Tj ET\n"
    ) % (y, big, y - drop, a, y, big, y - drop, b, y)
    return lambda path: page_pdf(path, _FILLER + line + _FOOTER)


@pytest.mark.parametrize("big", [22.0, 23.0])
@pytest.mark.parametrize("drop", [0.0, 3.0, 6.0, 8.0, 9.5])
def test_merged_line_with_letters_under_twice_the_height(tmp_path: Path, big: float, drop: float) -> None:
    """Held: big letters 1.8-1.9x the name's height, lowered 0 to 9.5 pt, over a footer: refused
    or no name in the bundle."""
    build_holds(tmp_path, _merged_mixed(big, drop), readers=("pdftotext",))
