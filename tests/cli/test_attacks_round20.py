"""Round 20: text drawn mirrored, which pdfium reads upside down and in order.

A failing test here is a real leak or a regression. Found while measuring the reading-order
screen (``locate.needs_visual``), on main at 1cb403c:

1. A line shown with a mirrored matrix (``-1 0 0 1 300 700 Tm (munahK adiraF) Tj``), alone on its
   page, draws its glyphs leftwards: poppler's ``pdftotext`` and the eye read "Farida Khanum"
   (mirrored letters), pdfium reads "munahK adiraF", a piece turned half a turn and in order. The
   screen then said the page reads the same in reading order, so neither the redactor nor the
   gate read it so, and reading order's own mirrored reading of turned text, which finds the name,
   never ran: the name went into the public bundle with the gate passing it.

Fixed in ``locate._screened``: the screen also looks for a target in the text read backwards (before
and after folding), as reading order reads turned text mirrored. A page showing a name backwards
is read in reading order; the redactor boxes what that reading finds, and the gate reads it too.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.pdf.locate import locate_hits, loose_screen, needs_visual
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register
from tests.cli.test_attacks_round3 import _FILLER, _font, build_holds, page_pdf

TARGETS = targets_from_register(Register(people=[Person("Farida Khanum", "FK", id="p1")]))

MIRRORED = {
    # the text matrix mirrored: glyphs run leftwards from x = 300
    "tm": b"BT /F1 12 Tf -1 0 0 1 300 700 Tm (munahK adiraF) Tj ET\n",
    # the page's matrix mirrored about its middle, the text matrix plain
    "cm": b"q -1 0 0 1 612 0 cm BT /F1 12 Tf 1 0 0 1 300 700 Tm (munahK adiraF) Tj ET Q\n",
    # mirrored and scaled, in a TJ with kerning numbers inside the name
    "tj": b"BT /F1 10 Tf -1.4 0 0 1.4 320 650 Tm [(mun) 20 (ahK ad) -15 (iraF)] TJ ET\n",
    # the name's two words on two mirrored lines, one below the other
    "two-lines": b"BT /F1 12 Tf -1 0 0 1 300 700 Tm (adiraF) Tj -1 0 0 1 300 686 Tm (munahK) Tj ET\n",
}


def _mirrored_in_a_form(path: Path) -> None:
    """The mirrored line drawn by a form XObject, the page drawing only the form."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    fonts = DictionaryObject({NameObject("/F1"): _font(writer, "/Helvetica")})
    form = DecodedStreamObject()
    form.set_data(MIRRORED["tm"])
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, 612, 792)]),
            NameObject("/Resources"): DictionaryObject({NameObject("/Font"): fonts}),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Fm1"): writer._add_object(form)})}
    )
    content = DecodedStreamObject()
    content.set_data(b"q /Fm1 Do Q\n")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.write(str(path))


@pytest.mark.parametrize("content", list(MIRRORED.values()), ids=list(MIRRORED))
def test_a_mirrored_name_alone_on_its_page_is_not_in_the_bundle(tmp_path: Path, content: bytes) -> None:
    """The attack: pdftotext reads the name in the source; the public bundle shows none of it."""
    build_holds(tmp_path, lambda path: page_pdf(path, content))


@pytest.mark.parametrize("content", list(MIRRORED.values()), ids=list(MIRRORED))
def test_a_mirrored_name_after_a_plain_line_is_not_in_the_bundle(tmp_path: Path, content: bytes) -> None:
    build_holds(tmp_path, lambda path: page_pdf(path, _FILLER + content))


def test_a_mirrored_name_in_a_form_is_not_in_the_bundle(tmp_path: Path) -> None:
    build_holds(tmp_path, _mirrored_in_a_form)


@pytest.mark.parametrize("content", list(MIRRORED.values()), ids=list(MIRRORED))
def test_the_gate_alone_finds_a_mirrored_name(tmp_path: Path, content: bytes) -> None:
    """The gate does not rely on the redactor: read on its own, the source is refused, and for
    what only reading order reads (the redactor's boxes would not have been placed from pdfium's
    text)."""
    pdf = tmp_path / "source.pdf"
    page_pdf(pdf, content)
    leaks = leak_scan(pdf, TARGETS, file_name="bundle.pdf")
    assert any("reading order" in leak.place for leak in leaks), leaks


@pytest.mark.parametrize("content", list(MIRRORED.values()), ids=list(MIRRORED))
def test_the_redactor_places_a_box_over_a_mirrored_name(tmp_path: Path, content: bytes) -> None:
    pdf = tmp_path / "source.pdf"
    page_pdf(pdf, content)
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        hits = locate_hits(page, TARGETS)
        assert hits.spots and not hits.unlocated, hits
        page.close()
    finally:
        doc.close()


def test_the_screen_reads_text_backwards(tmp_path: Path) -> None:
    """A page of plain text in order is not read in reading order; the same page holding the
    name backwards is, a line-end hyphen inside it or not."""
    pdf = tmp_path / "plain.pdf"
    page_pdf(pdf, _FILLER)
    screen = loose_screen(TARGETS)
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        assert not needs_visual(page, "The claimant makes this statement.", screen)
        for text in ("munahK adiraF", "mun-\r\nahK adiraF", "munahK\r\nadiraF"):
            assert needs_visual(page, text, screen), text
        page.close()
    finally:
        doc.close()
