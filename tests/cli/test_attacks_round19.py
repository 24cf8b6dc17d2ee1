"""Round 19: the label drawn inside the page's content (``pdf/run.py`` ``StreamRun.show``), again.

A failing test here is a real leak or a regression. Found (none let a reader see the name), each
fixed and kept as a test:

1. ``StreamRun.over`` measures what is painted later by its path's points only: a stroke's line
   width (and its caps) is not counted, so a thick white line drawn after the name (a zero-height
   path, ``1 G 30 w 60 704 m 400 704 l S``) or a dot with round caps covers the box drawn in
   place, and nothing notices (the round-18 fix caught a filled rectangle only).
2. Text drawn later is not followed at all: a white glyph in a large size (Helvetica's "L" at
   400 pt, its foot over the box, its centre far above it) hides the box.
3. A page edited again with its boxes after it (``_Redaction._boxes_after``, after ``MOVED``) gets
   back its source ``/Resources``, which still list forms redacted on other pages that the page
   never draws; ``drop_unused_forms`` is not run again, so the unredacted original form is
   reachable from the page and verification turns a page that needed no picture into one.
   ``MOVED`` is easy to cause: PDFium truncates a simple font's ``/Widths`` to integers (600.99
   becomes 600), the redactor, poppler and pdfminer.six do not, so the cut's pen is off PDFium by
   up to 1/1000 em per glyph before the name.

Fixed in ``run.py``: a stroke is measured with half its line width (``w``, or ``/LW`` from ``gs``)
and some more for caps and joins, and text shown after a box is drawn in place by its glyphs' em
squares; in ``redact.py``, a page edited again unlists the forms redacted elsewhere again.

Held: that ``MOVED`` re-edit itself (no reader finds the name, the page keeps its text), a ``TJ``
number inside the name, huge ``TJ`` numbers, ``Tm`` between two parts of the name, ``"`` under
``Tz``, a stray ``ET`` before ``BT`` and after it, text shown after ``ET``, ``/Widths`` whose
``/LastChar`` cuts the array short (readers then disagree with the redactor: the page becomes a
picture), and the CLI builds of a name split by a ``TJ`` number or a ``Tm``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase.pdfmetrics import stringWidth

from bundler.core.anonymise.pdf.redact import redact_pdf
from tests.cli.test_attacks_round11 import _pdf as _page_pdf
from tests.cli.test_attacks_round14 import _holds
from tests.cli.test_attacks_round18 import (
    FILLER,
    PSEUDONYM,
    SENTENCE,
    _boxes,
    _line,
    _no_fragment,
    _poppler_boxes,
)
from tests.core.anonymise.test_pdf_redact import (
    NAME,
    _hand_pdf,
    _helvetica,
    _pdf,
    _stream,
    methods,
    redact,
)


def _helvetica_widths(extra: float = 0.0, last: int = 126) -> Any:
    """Helvetica with its own ``/Widths`` (32..126), each ``extra`` units wider, listed to ``last``."""
    widths = [stringWidth(chr(code), "Helvetica", 1000) + extra for code in range(32, 127)]
    return _pdf({"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica",
                 "/Encoding": "/WinAnsiEncoding", "/FirstChar": 32, "/LastChar": last,
                 "/Widths": widths})  # fmt: skip


# --- 1 and 2. painted later over a box drawn in place -------------------------------------------------

LATER = {
    "thick white line": b"1 G 30 w 60 704 m 400 704 l S\n",
    "round white dot": b"1 G 1 J 60 w 180 704 m 180 704 l S\n",
    "white glyph": b"BT /F1 400 Tf 1 g 100 690 Td (L) Tj ET\n",
}


@pytest.mark.parametrize("name", list(LATER))
def test_paint_after_the_name_does_not_hide_the_box(tmp_path: Path, name: str) -> None:
    src = _hand_pdf(tmp_path / "later.pdf", [_line(SENTENCE) + LATER[name]], {"/F1": _helvetica()})
    redact(src, tmp_path)  # asserts, among others, that PDFium draws every box dark


def test_a_thin_rule_after_the_name_keeps_the_box_in_place(tmp_path: Path) -> None:
    """The control: a 1 pt rule through the box hides nothing and the box stays in the text."""
    src = _hand_pdf(
        tmp_path / "rule.pdf", [_line(SENTENCE) + b"0.5 G 1 w 60 704 m 400 704 l S\n"], {"/F1": _helvetica()}
    )
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs"}
    assert b"/RdxPlain gs" in PdfReader(dst).pages[0].get_contents().get_data(), "the box is not drawn in place"


# --- 3. a page edited again lists the original of a form redacted elsewhere --------------------------

_MOVES = b"BT /F1 24 Tf 20 700 Td (Stated of Farida Khanum dated) Tj ET\n"  # 600.99-unit widths: MOVED


def _form_pages(folder: Path) -> Path:
    def forms(writer: PdfWriter) -> dict[str, Any]:
        body = b"BT /F1 12 Tf 72 600 Td (Letter to Farida Khanum) Tj ET"
        return {"/Fm1": _stream(writer, body, {"/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, 0, 595, 842]})}

    # both pages list /Fm1 (one shared XObject dictionary); page 1 draws it, page 2 does not
    return _hand_pdf(folder / "forms.pdf", [b"/Fm1 Do\n", _MOVES], {"/F1": _helvetica_widths(0.99)}, xobjects=forms)


def test_a_page_edited_again_keeps_its_text(tmp_path: Path) -> None:
    src = _form_pages(tmp_path)
    dst = tmp_path / "out.pdf"
    report = redact_pdf(src, dst, PSEUDONYM, dpi=72)
    _no_fragment(dst)
    assert methods(report) == {1: "glyphs", 2: "glyphs"}, [p.reason for p in report.pages]


def test_a_page_edited_again_shows_no_name(tmp_path: Path) -> None:
    """Whatever becomes of page 2, no reader finds the name on either page."""
    src = _form_pages(tmp_path)
    dst = tmp_path / "out.pdf"
    redact_pdf(src, dst, PSEUDONYM, dpi=72)
    _no_fragment(dst)


def test_widths_pdfium_truncates_make_the_page_be_edited_again(tmp_path: Path, monkeypatch: Any) -> None:
    """PDFium reads 600.99 as 600 and the others do not: the cut moves 'dated' by more than 0.5 pt
    in PDFium's reading, verification says MOVED, the page is edited again with the box after it."""
    from bundler.core.anonymise.pdf import redact as module

    again: list[int] = []
    original = module._Redaction._boxes_after
    monkeypatch.setattr(module._Redaction, "_boxes_after", lambda self, i: (again.append(i), original(self, i)))
    src = _hand_pdf(tmp_path / "frac.pdf", [_MOVES], {"/F1": _helvetica_widths(0.99)})
    dst = tmp_path / "out.pdf"
    report = redact_pdf(src, dst, PSEUDONYM, dpi=72)
    assert again == [0], "the fixture no longer moves text: PDFium reads /Widths as the others do"
    assert methods(report) == {1: "glyphs"}
    _no_fragment(dst)
    # the box after the page: 'dated' is off PDFium only by the removed glyphs' fractions (12 x 0.024 pt)
    assert _boxes(dst, "dated") == pytest.approx(_boxes(src, "dated"), abs=0.5)
    assert _poppler_boxes(dst, "dated") == pytest.approx(_poppler_boxes(src, "dated"), abs=0.05)


@pytest.mark.parametrize(
    "body",
    [b"[(Statement of Fari) 2000 (da Khanum dated)] TJ", b"(Statement of Fari) Tj 1 0 0 1 160 700 Tm (da Khanum) Tj"],
    ids=["TJ number in the name", "Tm between parts"],
)
def test_split_names_end_to_end(tmp_path: Path, body: bytes) -> None:
    _holds(tmp_path, _page_pdf(FILLER + b"BT /F1 12 Tf 72 700 Td " + body + b" ET\n"))


# --- held: odd operators around the cut ----------------------------------------------------------------

HELD = {
    "TJ number in the name": b"BT /F1 12 Tf 72 700 Td [(Statement of Fari) 2000 (da Khanum dated)] TJ ET",
    "huge TJ numbers": b"BT /F1 12 Tf 72 700 Td [(Statement of) -99999 ( Farida Khanum dated) 99999 (x)] TJ ET",
    "Tm between parts": b"BT /F1 12 Tf 72 700 Td (Statement of Fari) Tj 1 0 0 1 160 700 Tm (da Khanum dated) Tj ET",
    "quote under Tz": b'BT /F1 12 Tf 14 TL 72 714 Td 60 Tz 5 3 (Statement of Farida Khanum dated) " ET',
    "stray ET": b"ET BT /F1 12 Tf 72 700 Td (Statement of Farida Khanum dated) Tj ET ET",
    "text after ET": b"BT /F1 12 Tf 72 700 Td ET (Statement of Farida Khanum dated) Tj",
}


@pytest.mark.parametrize("name", list(HELD))
def test_odd_operators_show_no_name(tmp_path: Path, name: str) -> None:
    src = _hand_pdf(tmp_path / "held.pdf", [HELD[name] + b"\n"], {"/F1": _helvetica()})
    dst, report = redact(src, tmp_path, PSEUDONYM)
    _no_fragment(dst)
    before = _boxes(src, "dated")
    if report.pages[0].method == "glyphs" and before is not None:
        assert _boxes(dst, "dated") == pytest.approx(before, abs=0.05), name


def test_widths_cut_short_by_lastchar_show_no_name(tmp_path: Path) -> None:
    """Codes past /LastChar: the redactor takes the array's widths, PDFium and poppler /MissingWidth."""
    src = _hand_pdf(tmp_path / "short.pdf", [_line(SENTENCE)], {"/F1": _helvetica_widths(last=100)})
    dst = tmp_path / "out.pdf"
    redact_pdf(src, dst, NAME, dpi=72)
    _no_fragment(dst)
