"""A box over glyphs removed from the page's own content is drawn where they were.

Its label then reads in its sentence in every reader, in content order as by position,
and the redacted page needs no second reading in visual order (``layout.out_of_order``),
which is most of what a first anonymised build spent on redacted pages. Where the text
object cannot be ended safely (marked content begun inside it, optional content, text
that clips, a form's content, a box drawn by hand) the box is drawn after the page.
Every fixture also passes ``redact``'s own checks: no reader finds the name, the box is
on the rendering, and the page is drawn as before outside its boxes.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from bundler.core.anonymise.pdf import locate
from bundler.core.anonymise.pdf.layout import out_of_order
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, RedactionBox, Register
from tests.core.anonymise.test_pdf_redact import (
    NAME,
    _char_boxes,
    _dark_share,
    _hand_pdf,
    _helvetica,
    _pdf,
    _pixels,
    _render_unrotated,
    assert_kept,
    assert_looks_the_same,
    methods,
    redact,
)

PSEUDONYM = targets_from_register(Register(people=[Person("Farida Khanum", "FK")]))
LINE_ABOVE = b"BT /F1 12 Tf 72 720 Td (The line above the statement) Tj ET\n"
LINE_BELOW = b"BT /F1 12 Tf 72 680 Td (The line below the statement) Tj ET\n"


def _pdfium_text(path: Path, index: int = 0) -> str:
    document = pdfium.PdfDocument(str(path))
    try:
        return document[index].get_textpage().get_text_range()
    finally:
        document.close()


def _in_order(path: Path, index: int = 0) -> bool:
    document = pdfium.PdfDocument(str(path))
    try:
        textpage = document[index].get_textpage()
        return not out_of_order(textpage, locate.page_chars(textpage))
    finally:
        document.close()


def _boxes(path: Path, word: str) -> list[float]:
    return [v for box in _char_boxes(path, 0, word) for v in box]


def _naming_form(writer: PdfWriter) -> dict[str, Any]:
    """``/Fm1``: a form XObject whose text names her."""
    form = DecodedStreamObject()
    form.set_data(b"BT /F1 12 Tf 72 650 Td (A form names Farida Khanum here) Tj ET")
    form.update({NameObject(k): _pdf(v) for k, v in {"/Type": "/XObject", "/Subtype": "/Form",
                 "/BBox": [0, 0, 595, 842], "/Resources": {"/Font": {"/F1": _helvetica()}}}.items()})  # fmt: skip
    return {"/Fm1": writer._add_object(form)}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _checked(src: Path, tmp_path: Path, targets: Any = NAME) -> Path:
    dst, report = redact(src, tmp_path, targets)
    assert methods(report) == {1: "glyphs"}
    assert_looks_the_same(src, dst, report)
    return dst


def _poppler(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: tests/run.sh installs it")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_label_reads_in_its_sentence_and_the_page_stays_in_order(tmp_path: Path) -> None:
    content = LINE_ABOVE + b"BT /F1 12 Tf 72 700 Td (Statement of Farida Khanum dated 1 May 2023.) Tj ET\n" + LINE_BELOW
    src = _hand_pdf(tmp_path / "plain.pdf", [content], {"/F1": _helvetica()})
    assert _in_order(src)
    dst = _checked(src, tmp_path, PSEUDONYM)
    assert "Statement of FK dated 1 May 2023." in _flat(_pdfium_text(dst))
    assert "Statement of FK dated 1 May 2023." in _flat(PdfReader(dst).pages[0].extract_text())
    assert "Statement of FK dated 1 May 2023." in _flat(_poppler(dst))
    assert _in_order(dst), "the label drawn after the page would make the page read out of order"
    # the glyphs after the name are where they were
    assert _boxes(dst, "dated") == pytest.approx(_boxes(src, "dated"), abs=0.01)


def test_spacing_scaling_and_a_tj_array_keep_every_later_glyph_in_place(tmp_path: Path) -> None:
    content = (
        LINE_ABOVE + b"BT /F1 11 Tf 1.5 Tc 2 Tw 120 Tz 3 Ts 72 700 Td"
        b" [(State) -20 (ment of Far) 35 (ida Kha) -10 (num dated) 50 ( 1 May)] TJ ( 2023.) Tj ET\n" + LINE_BELOW
    )
    src = _hand_pdf(tmp_path / "spaced.pdf", [content], {"/F1": _helvetica()})
    dst = _checked(src, tmp_path)
    for word in ("dated", "2023."):
        assert _boxes(dst, word) == pytest.approx(_boxes(src, word), abs=0.01)
    assert "of [REDACTED] dated" in _flat(_pdfium_text(dst))
    assert _in_order(dst)


def test_a_flipped_and_scaled_page_gets_its_box_where_the_name_was(tmp_path: Path) -> None:
    # Word and browsers draw a page upside down and scaled, then flip each line back
    content = b"0.5 0 0 -0.5 0 842 cm BT /F1 24 Tf 1 0 0 -1 144 284 Tm (Statement of Farida Khanum dated 1 May) Tj ET\n"
    src = _hand_pdf(tmp_path / "flipped.pdf", [content], {"/F1": _helvetica()})
    before = _char_boxes(src, 0, "Farida")
    dst = _checked(src, tmp_path)  # ``redact`` finds the box dark on the rendering
    image, bbox = _render_unrotated(dst, 0, 2.0)
    assert _dark_share(image.crop(_pixels((before[0][0], before[0][1], before[-1][2], before[0][3]), bbox, 2.0))) > 0.5
    assert "of [REDACTED] dated" in _flat(_pdfium_text(dst))
    assert _in_order(dst)


def test_the_label_is_drawn_opaque_whatever_the_page_set_before(tmp_path: Path) -> None:
    """The text was drawn half transparent and white: the box is still black, its label white."""

    def extra(writer: PdfWriter, page: Any) -> None:
        state = _pdf({"/Type": "/ExtGState", "/ca": 0.2, "/CA": 0.2})
        page[NameObject("/Resources")][NameObject("/ExtGState")] = _pdf({"/Faint": state})

    content = b"/Faint gs 0.9 g 2 Tr BT /F1 12 Tf 72 700 Td (Statement of Farida Khanum dated 1 May) Tj ET\n"
    src = _hand_pdf(tmp_path / "faint.pdf", [content], {"/F1": _helvetica()}, extra=extra)
    dst, report = redact(src, tmp_path)  # the box is dark on the rendering
    assert methods(report) == {1: "glyphs"}
    assert "of [REDACTED] dated" in _flat(_pdfium_text(dst))


def test_two_names_in_one_operator_get_a_label_each_in_place(tmp_path: Path) -> None:
    content = b"BT /F1 10 Tf 40 700 Td (Farida Khanum met Farida Khanum at the office of Farida Khanum) Tj ET\n"
    src = _hand_pdf(tmp_path / "three.pdf", [content], {"/F1": _helvetica()})
    dst = _checked(src, tmp_path, PSEUDONYM)
    assert _flat(_pdfium_text(dst)) == "FK met FK at the office of FK"
    assert _in_order(dst)


def test_a_name_split_over_two_operators_gets_one_label(tmp_path: Path) -> None:
    content = b"BT /F1 12 Tf 72 700 Td (Statement of Farida ) Tj (Khanum dated 1 May) Tj ET\n"
    src = _hand_pdf(tmp_path / "split.pdf", [content], {"/F1": _helvetica()})
    dst = _checked(src, tmp_path, PSEUDONYM)
    assert _flat(_pdfium_text(dst)).count("FK") == 1
    assert "Statement of FK dated 1 May" in _flat(_pdfium_text(dst))


def test_text_after_the_cut_keeps_moving_from_the_line_start(tmp_path: Path) -> None:
    """T* and Td after the cut count from the line's start, not from the label."""
    content = (
        b"BT /F1 12 Tf 14 TL 72 700 Td (Statement of Farida Khanum dated) Tj T* (the next line) Tj"
        b" 0 -14 Td (and the one after) Tj (That name again: Farida Khanum) ' ET\n"
    )
    src = _hand_pdf(tmp_path / "lines.pdf", [content], {"/F1": _helvetica()})
    dst = _checked(src, tmp_path)
    for word in ("next", "after", "again:"):
        assert _boxes(dst, word) == pytest.approx(_boxes(src, word), abs=0.01)
    assert_kept(dst, 0, "Statement of", "dated", "the next line", "and the one after", "That name again:")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "marked inside the text object",
            b"BT /F1 12 Tf 72 700 Td (Statement of ) Tj /Span <</Lang (en)>> BDC (Farida Khanum) Tj EMC"
            b" ( dated) Tj ET\n",
        ),
        ("optional content", b"/OC /Layer BDC BT /F1 12 Tf 72 700 Td (Statement of Farida Khanum dated) Tj ET EMC\n"),
        ("clipping text", b"BT 7 Tr /F1 12 Tf 72 700 Td (Statement of Farida Khanum dated) Tj ET\n"),
        (  # the words before clip at ET: ended at the name, the rest of the line would be clipped too
            "clipping text earlier in the object",
            b"BT /F1 12 Tf 72 700 Td 7 Tr (Statement of ) Tj 0 Tr (Farida Khanum dated) Tj ET\n",
        ),
    ],
)
def test_where_the_text_object_must_stay_whole_the_box_is_drawn_after_the_page(
    tmp_path: Path, name: str, content: bytes
) -> None:
    def extra(writer: PdfWriter, page: Any) -> None:
        layer = writer._add_object(_pdf({"/Type": "/OCG", "/Name": "Layer"}))
        page[NameObject("/Resources")][NameObject("/Properties")] = _pdf({"/Layer": layer})

    src = _hand_pdf(tmp_path / "whole.pdf", [content + LINE_BELOW], {"/F1": _helvetica()}, extra=extra)
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs"}
    data = PdfReader(dst).pages[0].get_contents()
    assert data is not None
    ops = [op for _, op in data.operations]
    assert ops.count(b"BT") == ops.count(b"ET") == 3, name  # the two lines, then the label after them
    assert _flat(_pdfium_text(dst)).endswith("[REDACTED]"), name


def test_a_form_and_a_box_drawn_by_hand_are_drawn_after_the_page(tmp_path: Path) -> None:
    content = b"BT /F1 12 Tf 72 700 Td (Statement of Farida Khanum dated) Tj ET /Fm1 Do\n"
    src = _hand_pdf(tmp_path / "form.pdf", [content], {"/F1": _helvetica()}, xobjects=_naming_form)
    box = RedactionBox(document_id="d", page=1, rect=(300, 500, 400, 520), reason="a signature")
    dst, report = redact(src, tmp_path, boxes=[box])
    assert methods(report) == {1: "glyphs"}
    text = _flat(_pdfium_text(dst))
    assert text.startswith("Statement of [REDACTED] dated")  # in the page's own content: in place
    assert text.endswith("[REDACTED] [REDACTED]")  # the form's, and the hand-drawn box's, after the page


def test_a_cut_that_would_move_text_a_reader_placed_under_a_box_is_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety net under every rule above: where the redactor's reckoning of a line differs
    from PDFium's, the cut's ``Tm`` would carry the text after it to where the redactor believed
    it was. Readers restore the text matrix at ``Q`` inside ``BT`` (the redactor does not), so with
    the rule that keeps such an object whole switched off, the redactor removes "ent of Farida K",
    keeps "hanum", and the cut would move "hanum dated" out from under the box. Verification sees
    the text moved, edits the page again with the box drawn after it, finds "hanum" under the box
    and makes the page a picture, as before boxes were drawn in place."""
    from bundler.core.anonymise.pdf import run

    def plain_q(stream: run.StreamRun, _: list[Any]) -> None:
        stream.stack.append(stream.gs.copy())

    def plain_restore(stream: run.StreamRun, _: list[Any]) -> None:
        stream.gs = stream.stack.pop() if stream.stack else stream.gs

    monkeypatch.setitem(run._HANDLERS, b"q", plain_q)
    monkeypatch.setitem(run._HANDLERS, b"Q", plain_restore)
    content = b"BT /F1 12 Tf 72 700 Td q (Prefix ) Tj Q ( Statement of Farida Khanum dated) Tj ET\n"
    src = _hand_pdf(tmp_path / "q-in-text.pdf", [content], {"/F1": _helvetica()})
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "rasterised"}
    assert "hanum" not in _pdfium_text(dst) and "hanum" not in PdfReader(dst).pages[0].extract_text()


def test_kept_text_in_place_is_not_moved_on_real_pages(tmp_path: Path) -> None:
    """The check behind the net finds nothing to undo on ordinary pages: every one keeps its boxes
    in place (a pdflatex page of kerned, ligatured text with 23 boxes, and a LibreOffice one)."""
    from tests.pdfs import CORPUS

    term = targets_from_register(Register(people=[Person("should", "XX")]))
    for name, word in (("pdflatex-4-pages.pdf", "should"), ("002-trivial-libre-office-writer.pdf", "Lorem")):
        targets = term if word == "should" else targets_from_register(Register(people=[Person(word, "LL")]))
        src = CORPUS / "real-pdfs" / name
        dst, report = redact(src, tmp_path, targets)
        assert set(methods(report).values()) == {"glyphs"}, name
        for page in report.pages:
            assert _in_order(dst, page.page - 1) == _in_order(src, page.page - 1), (name, page.page)


def test_a_page_whose_kept_text_moved_is_edited_again_from_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edited again with every box drawn after it, from the content and forms it had before the
    first edit, which writing the first output had already let go (``clean.restore_pruned``)."""
    from bundler.core.anonymise.pdf import verify

    checked: list[bool] = []

    def never_same(kept: Any, source: Any) -> bool:
        checked.append(True)
        return False

    monkeypatch.setattr(verify, "_same", never_same)

    content = b"BT /F1 12 Tf 72 700 Td (Statement of Farida Khanum dated) Tj ET /Fm1 Do\n" + LINE_BELOW
    src = _hand_pdf(tmp_path / "again.pdf", [content], {"/F1": _helvetica()}, xobjects=_naming_form)
    dst, report = redact(src, tmp_path)
    assert checked and methods(report) == {1: "glyphs"}
    text = _flat(_pdfium_text(dst))
    assert text.startswith("Statement of dated") and text.endswith("[REDACTED] [REDACTED]")
    assert_kept(dst, 0, "A form names", "here", "The line below the statement")


def test_an_underline_drawn_after_the_name_leaves_the_box_in_place(tmp_path: Path) -> None:
    """Word and LibreOffice draw a link's underline after its text: it does not hide the box, so
    the box stays in place; a white-out over it does (``test_attacks_round18``)."""
    content = (
        LINE_ABOVE + b"BT /F1 12 Tf 72 700 Td (Statement of Farida Khanum dated) Tj ET 0 0 1 rg 144 698 80 0.8 re f\n"
    )
    src = _hand_pdf(tmp_path / "underlined.pdf", [content + LINE_BELOW], {"/F1": _helvetica()})
    dst = _checked(src, tmp_path)
    assert "of [REDACTED] dated" in _flat(_pdfium_text(dst))
    assert _in_order(dst)
