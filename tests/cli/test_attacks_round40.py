"""Round 40: attacks on the anonymiser as it stands at fa99420, pdftotext's reading against
``pdf.layout.reading_order`` ("Farida Khanum" registered, pseudonym FK).

The leak is fixed (``test_fixed_*``); see its last sentences.

A failing test here (``test_LEAK_*``) is a real leak: pdftotext (default mode) reads the name on a
page the gate (``leak_scan``, target "Farida Khanum") passes. The CLI build (``--no-ocr``) holds
(``test_held_*_cli``): with the split "Fari" / "da Khanum" the exhibit's page comes out with no
text; with "Farida Kha" / "num" the redactor turns "Farida" into "FK" ("FK Khanum").

Every page: "The claimant makes a statement to the court." (Helvetica 14) at x 72, y 730, then
the drawing under test on the line y 700 (Helvetica 14), and a footer "Page 1 of 3" (Helvetica 10)
at y 60.

LEAKS
1. (pdftotext) The name split between an UPRIGHT piece and ONE SLANTED piece on the same line,
   drawn out of order: first "da Khanum is true." turned 0.1 rad (either way) at the point where
   "The statement of Fari" ends, then the footer, then "The statement of Fari" upright
   (``_split_page``). pdftotext: "The statement of Farida Khanum is true." (poppler takes a word
   turned this little into its rot-0 flow and joins the two pieces on one line); PDFium (stream
   order): "da Khanum is true." / "Page 1 of 3" / "The statement of Fari"; ``leak_scan`` passes
   the page (unit level; the CLI holds, see above).
   Why missed: ``layout.reading_order`` reads each angle group in its own frame: the upright
   letters (``by_quarter[0]``) and the slanted ones (``_slanted``, one group) are separate
   ``groups``, ``_lines`` / ``poppler_lines`` never put letters of two groups on one line, and
   ``_arcs`` (which takes upright letters in, ``_near_slants``) runs only when ``len(slanted) >
   1``: one slant group is never chained to the upright text beside it. At 0.03 and 0.06 rad the
   piece counts as upright (``_turns``) and the gate holds (``test_held_*``).
   Fix idea: run ``_arcs`` (or a plain "continue the line" join) whenever there is ANY slanted
   text: ``if slanted:`` instead of ``len(slanted) > 1``; better, read the slanted letters whose
   angle poppler would still take as its rot-0 (or 90/180/270) flow together with that quarter's
   upright group, in the upright frame, as a further ``_read_again`` (poppler: a word is
   diagonal only past its ``diagonal`` test, and diagonal words still join lines of their
   rotation).
   FIXED: letters are chained along their line (``layout._arcs``, upright ones near a slant taken
   in) wherever text lies at a slant at all, not only at two slants.

HELD (``test_held_*``)
- The same page with the slanted piece at 0.03 / 0.06 rad: the gate refuses it.
- The slanted piece drawn 3 pt further on (a gap): pdftotext splits "Kha num" (no leak).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.cli.test_attacks_round21 import _w
from tests.cli.test_attacks_round33 import _build, _gate_passes, _page, _pdfium_text, _pdftotext, _reads_name

_TOP = b"BT /F1 14 Tf 1 0 0 1 72 730 Tm (The claimant makes a statement to the court.) Tj ET\n"
_FOOT = b"BT /F1 10 Tf 1 0 0 1 300 60 Tm (Page 1 of 3) Tj ET\n"
_LEFT = b"The statement of Fari"


def _turned(angle: float, x: float, y: float, text: bytes, size: float = 14) -> bytes:
    cos, sin = math.cos(angle), math.sin(angle)
    return b"BT /F1 %.2f Tf %.5f %.5f %.5f %.5f %.3f %.3f Tm (%s) Tj ET\n" % (size, cos, sin, -sin, cos, x, y, text)


def _split_page(angle: float, gap: float = 0.0):
    def make(path: Path) -> None:
        x = 72 + _w(_LEFT.decode(), 14) + gap
        content = _TOP + _turned(angle, x, 700, b"da Khanum is true.") + _FOOT + _turned(0, 72, 700, _LEFT)
        _page(path, content, {})

    return make


_ANGLES = [0.1, -0.1]


@pytest.mark.parametrize("angle", _ANGLES)
def test_fixed_upright_and_one_slant_gate_passes(tmp_path: Path, angle: float) -> None:
    pdf = tmp_path / "source.pdf"
    _split_page(angle)(pdf)
    assert _reads_name(_pdftotext(pdf)), "guard: pdftotext joins the two pieces"
    assert "Farida Khanum" not in _pdfium_text(pdf), "guard: PDFium reads the pieces apart"
    assert not _gate_passes(pdf), "the gate passes a page pdftotext reads the name on"


@pytest.mark.parametrize("angle", _ANGLES)
def test_held_upright_and_one_slant_cli(tmp_path: Path, angle: float) -> None:
    out = _build(tmp_path, _split_page(angle), ocr=False)
    if out is not None:
        text = _pdftotext(out)
        assert not _reads_name(text), f"pdftotext reads the name in the public bundle: {text!r}"


@pytest.mark.parametrize("angle", [0.03, 0.06])
def test_held_small_slant_counts_as_upright(tmp_path: Path, angle: float) -> None:
    pdf = tmp_path / "source.pdf"
    _split_page(angle)(pdf)
    assert _reads_name(_pdftotext(pdf)), "guard: pdftotext joins the two pieces"
    assert not _gate_passes(pdf)


def test_held_gap_splits_pdftotext_too(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _split_page(0.1, gap=3)(pdf)
    assert not _reads_name(_pdftotext(pdf))
