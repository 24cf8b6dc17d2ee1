"""Sanitising an export: real PDFs go through a PdfWriter, get sanitised, written, read back.

Each carrier is checked to be present before (so a test cannot pass on a file that never
had it) and gone after, read back by pypdf, PDFium and poppler's pdftotext; what a reader
of the bundle should still see (form values, links, the pages' text) is checked to remain.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.sanitise.document import sanitise_writer
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register
from tests.conftest import require

INFO = {
    "/Title": "AB v MPC - Hearing Bundle",
    "/Subject": "Hearing Bundle, claim no. AC-2024-LON-000123",
    "/Keywords": "AC-2024-LON-000123",
    "/Creator": "bundler 0.1",
    "/Producer": "bundler 0.1",
}
NAME = "Farida Khanum"
TARGETS = targets_from_register(Register(people=[Person(NAME, "Aisha")]))


def _n(name: str) -> NameObject:
    return NameObject(name)


def _write(writer: PdfWriter, path: Path, keep_links: bool = True) -> tuple[Path, list[str]]:
    notes = sanitise_writer(writer, info=INFO, keep_links=keep_links)
    writer.write(path)
    return path, notes


def _all_objects(path: Path) -> list[Any]:
    reader = PdfReader(path)
    ids = [(i, g) for g, table in reader.xref.items() for i in table] + [(i, 0) for i in reader.xref_objStm]
    return [reader.get_object(i) for i, _ in ids]


def _dicts(path: Path) -> list[DictionaryObject]:
    return [obj for obj in _all_objects(path) if isinstance(obj, DictionaryObject)]


def _pdfium_annotation_subtypes(path: Path) -> list[int]:
    doc = pdfium.PdfDocument(str(path))
    try:
        subtypes = []
        for page in doc:
            for i in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
                annotation = pdfium_c.FPDFPage_GetAnnot(page, i)
                subtypes.append(pdfium_c.FPDFAnnot_GetSubtype(annotation))
                pdfium_c.FPDFPage_CloseAnnot(annotation)
        return subtypes
    finally:
        doc.close()


def _pdftotext(path: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def _xmp_of(path: Path) -> str:
    metadata = PdfReader(path).trailer["/Root"]["/Metadata"]
    return metadata.get_data().decode("utf-8")


# -- forms --------------------------------------------------------------------------


def test_filled_in_form_is_flattened_and_its_value_stays_visible(corpus: Path, tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.append(str(corpus / "real-pdfs" / "pdflatex-forms.pdf"))
    writer.update_page_form_field_values(writer.pages[0], {"Name": "Zebedee Quux"}, auto_regenerate=False)
    rect = [
        float(v) for a in writer.pages[0]["/Annots"] if (w := a.get_object()).get("/T") == "Name" for v in w["/Rect"]
    ]
    assert "/AcroForm" in writer.root_object
    out, notes = _write(writer, tmp_path / "forms.pdf")
    assert "/AcroForm" not in PdfReader(out).trailer["/Root"]
    assert not any(d.get("/Subtype") == "/Widget" for d in _dicts(out))
    assert pdfium_c.FPDF_ANNOT_WIDGET not in _pdfium_annotation_subtypes(out)
    assert "Zebedee Quux" in _pdftotext(out)
    assert "Zebedee Quux" in PdfReader(out).pages[0].extract_text()
    assert any("form fields" in note for note in notes)
    _assert_drawn_inside(out, "Zebedee", rect)


def _assert_drawn_inside(path: Path, word: str, rect: list[float]) -> None:
    """The flattened value sits where the field was (PDFium's own glyph boxes)."""
    doc = pdfium.PdfDocument(str(path))
    textpage = doc[0].get_textpage()
    start = textpage.get_text_range().index(word)
    boxes = [textpage.get_charbox(start + i) for i in range(len(word))]
    assert all(
        rect[0] - 1 <= x0 and x1 <= rect[2] + 1 and rect[1] - 1 <= y0 and y1 <= rect[3] + 1 for x0, y0, x1, y1 in boxes
    )
    doc.close()


def test_libreoffice_form_values_survive(corpus: Path, tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=str(corpus / "real-pdfs" / "libreoffice-form.pdf"))
    widgets_before = _pdfium_annotation_subtypes(corpus / "real-pdfs" / "libreoffice-form.pdf")
    assert widgets_before.count(pdfium_c.FPDF_ANNOT_WIDGET) == 9
    out, _ = _write(writer, tmp_path / "lo.pdf")
    assert _pdfium_annotation_subtypes(out) == []
    text = _pdftotext(out)
    assert "First Name Alice" in text and "Bob" in text and "Example for a Form" in text
    assert "/AcroForm" not in PdfReader(out).trailer["/Root"]


def test_hidden_field_is_not_drawn(tmp_path: Path) -> None:
    pdf = Canvas(str(tmp_path / "hidden.pdf"))
    pdf.acroForm.textfield(
        name="secret",
        value="Hidden words",
        x=100,
        y=700,
        width=200,
        height=20,
        annotationFlags="hidden",
    )
    pdf.acroForm.textfield(name="shown", value="Visible words", x=100, y=600, width=200, height=20)
    pdf.showPage()
    pdf.save()
    assert [a.get_object()["/F"] & 2 for a in PdfReader(tmp_path / "hidden.pdf").pages[0]["/Annots"]] == [2, 0]
    out, _ = _write(PdfWriter(clone_from=str(tmp_path / "hidden.pdf")), tmp_path / "out.pdf")
    text = _pdftotext(out)
    assert "Visible words" in text and "Hidden words" not in text


# -- attachments, scripts, actions ----------------------------------------------------


def test_embedded_file_is_gone_from_the_file(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "real-pdfs" / "with-attachment.pdf"
    writer = PdfWriter(clone_from=str(source))
    png = PdfReader(source).attachments["image.png"][0]
    assert "/EmbeddedFiles" in writer.root_object["/Names"]
    out, notes = _write(writer, tmp_path / "att.pdf")
    assert PdfReader(out).attachments == {}
    assert png[16:80] not in out.read_bytes()  # the file's bytes went, not just the reference
    assert any("EmbeddedFiles" in note for note in notes)


def _scripted(tmp_path: Path) -> PdfWriter:
    pdf = Canvas(str(tmp_path / "base.pdf"))
    pdf.drawString(72, 700, "Page one of the exhibit")
    pdf.showPage()
    pdf.drawString(72, 700, "Page two")
    pdf.save()
    writer = PdfWriter(clone_from=str(tmp_path / "base.pdf"))
    _add_js(writer, "app.alert('hello');")
    writer.root_object[_n("/OpenAction")] = DictionaryObject(
        {_n("/S"): _n("/JavaScript"), _n("/JS"): TextStringObject("app.alert(1)")}
    )
    writer.root_object[_n("/AA")] = DictionaryObject(
        {_n("/WC"): DictionaryObject({_n("/S"): _n("/JavaScript"), _n("/JS"): TextStringObject("x")})}
    )
    writer.pages[0][_n("/AA")] = DictionaryObject(
        {_n("/O"): DictionaryObject({_n("/S"): _n("/JavaScript"), _n("/JS"): TextStringObject("y")})}
    )
    writer.add_uri(0, "https://example.org/", [72, 600, 200, 620])
    for action in ("/JavaScript", "/Launch", "/SubmitForm"):
        _add_link(writer, DictionaryObject({_n("/S"): _n(action), _n("/JS"): TextStringObject("z")}))
    _add_link(
        writer,
        DictionaryObject(
            {
                _n("/S"): _n("/GoTo"),
                _n("/D"): ArrayObject([writer.pages[1].indirect_reference, _n("/Fit")]),
                _n("/Next"): DictionaryObject({_n("/S"): _n("/JavaScript"), _n("/JS"): TextStringObject("chained")}),
            }
        ),
    )
    _add_link(
        writer,
        DictionaryObject(
            {
                _n("/S"): _n("/GoTo"),
                _n("/D"): ArrayObject([writer.pages[1].indirect_reference, _n("/Fit")]),
            }
        ),
    )
    return writer


def _add_js(writer: PdfWriter, code: str) -> None:
    action = DictionaryObject({_n("/S"): _n("/JavaScript"), _n("/JS"): TextStringObject(code)})
    tree = DictionaryObject({_n("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(action)])})
    if "/Names" not in writer.root_object:
        writer.root_object[_n("/Names")] = DictionaryObject()
    writer.root_object["/Names"][_n("/JavaScript")] = writer._add_object(tree)


def _add_link(writer: PdfWriter, action: DictionaryObject) -> None:
    link = DictionaryObject(
        {
            _n("/Type"): _n("/Annot"),
            _n("/Subtype"): _n("/Link"),
            _n("/A"): action,
            _n("/Rect"): ArrayObject([NumberObject(v) for v in (72, 500, 200, 520)]),
        }
    )
    annotations = writer.pages[0].setdefault(_n("/Annots"), ArrayObject())
    annotations.append(writer._add_object(link))


def test_javascript_and_unsafe_actions_are_removed_and_safe_links_kept(tmp_path: Path) -> None:
    writer = _scripted(tmp_path)
    out, notes = _write(writer, tmp_path / "js.pdf")
    actions = [d.get("/S") for d in _dicts(out) if "/S" in d]
    assert "/JavaScript" not in actions and "/Launch" not in actions and "/SubmitForm" not in actions
    assert b"/JS" not in out.read_bytes()
    root = PdfReader(out).trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root and "/Names" not in root
    links = [a.get_object()["/A"]["/S"] for a in PdfReader(out).pages[0]["/Annots"]]
    assert sorted(links) == ["/GoTo", "/URI"]
    assert "/AA" not in PdfReader(out).pages[0]
    assert pdfium_c.FPDF_ANNOT_LINK in _pdfium_annotation_subtypes(out)
    assert any("JavaScript" in note for note in notes)


def test_kept_links_lose_their_descriptive_text(tmp_path: Path) -> None:
    writer = _scripted(tmp_path)
    for ref in writer.pages[0]["/Annots"]:
        ref.get_object()[_n("/Contents")] = TextStringObject(f"Link for {NAME}")
    out, _ = _write(writer, tmp_path / "links.pdf")
    assert len(PdfReader(out).pages[0]["/Annots"]) == 2
    assert leak_scan(out, TARGETS) == []


def test_open_action_chaining_javascript_is_removed(tmp_path: Path) -> None:
    writer = _scripted(tmp_path)
    javascript = DictionaryObject({_n("/S"): _n("/JavaScript"), _n("/JS"): TextStringObject("x")})
    writer.root_object[_n("/OpenAction")] = DictionaryObject(
        {
            _n("/S"): _n("/GoTo"),
            _n("/D"): ArrayObject([writer.pages[0].indirect_reference, _n("/Fit")]),
            _n("/Next"): ArrayObject([writer._add_object(javascript)]),
        }
    )
    out, _ = _write(writer, tmp_path / "open-js.pdf")
    assert "/OpenAction" not in PdfReader(out).trailer["/Root"]


def test_keep_links_false_removes_links_too(tmp_path: Path) -> None:
    out, _ = _write(_scripted(tmp_path), tmp_path / "nolinks.pdf", keep_links=False)
    assert "/Annots" not in PdfReader(out).pages[0] and _pdfium_annotation_subtypes(out) == []


def test_goto_open_action_is_kept(tmp_path: Path) -> None:
    writer = _scripted(tmp_path)
    writer.root_object[_n("/OpenAction")] = ArrayObject(
        [
            writer.pages[0].indirect_reference,
            _n("/XYZ"),
            NumberObject(0),
            NumberObject(792),
            NumberObject(1),
        ]
    )
    out, _ = _write(writer, tmp_path / "open.pdf")
    assert PdfReader(out).trailer["/Root"]["/OpenAction"][1] == "/XYZ"


def test_source_annotations_are_removed_but_links_stay(corpus: Path, tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.append(str(corpus / "real-pdfs" / "annotated_pdf.pdf"))
    writer.append(str(corpus / "real-pdfs" / "libre-office-link.pdf"))
    assert len(writer.pages[0]["/Annots"]) == 3
    out, _ = _write(writer, tmp_path / "annots.pdf")
    reader = PdfReader(out)
    assert "/Annots" not in reader.pages[0]
    assert [a.get_object()["/Subtype"] for a in reader.pages[1]["/Annots"]] == ["/Link"]
    assert reader.pages[1]["/Annots"][0].get_object()["/A"]["/URI"] == "https://martin-thoma.com/"
    assert _pdfium_annotation_subtypes(out) == [pdfium_c.FPDF_ANNOT_LINK]


# -- metadata --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["output_with_metadata_pymupdf.pdf", "crazyones-pdfa.pdf"])
def test_metadata_is_only_what_we_give(corpus: Path, tmp_path: Path, name: str) -> None:
    writer = PdfWriter(clone_from=str(corpus / "real-pdfs" / name))
    assert "/Metadata" in writer.root_object
    writer.add_metadata({"/Author": NAME, "/Custom": NAME})
    out, notes = _write(writer, tmp_path / name)
    reader = PdfReader(out)
    assert set(reader.metadata) == {*INFO, "/CreationDate"}
    assert reader.metadata["/Title"] == INFO["/Title"]
    doc = pdfium.PdfDocument(str(out))
    assert doc.get_metadata_dict()["Author"] == "" and doc.get_metadata_dict()["Title"] == INFO["/Title"]
    doc.close()
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": INFO["/Title"]}
    assert xmp.pdf_producer == INFO["/Producer"] and xmp.xmp_creator_tool == INFO["/Creator"]
    assert "Farida" not in _xmp_of(out) and "dc:creator" not in _xmp_of(out)
    assert any("/Author" in note for note in notes)


def test_author_in_xmp_of_the_source_is_gone(tmp_path: Path) -> None:
    pdf = Canvas(str(tmp_path / "x.pdf"))
    pdf.drawString(72, 700, "Hello")
    pdf.save()
    writer = PdfWriter(clone_from=str(tmp_path / "x.pdf"))
    writer.xmp_metadata = f"<x:xmpmeta><dc:creator>{NAME}</dc:creator></x:xmpmeta>".encode()
    out, _ = _write(writer, tmp_path / "out.pdf")
    assert NAME.encode() not in out.read_bytes()
    assert "AB v MPC" in _xmp_of(out)


# -- everything else that can hide things ----------------------------------------------


def test_optional_content_thumbnails_piece_info_and_structure_are_removed(tmp_path: Path) -> None:
    pdf = Canvas(str(tmp_path / "x.pdf"))
    pdf.drawImage(_tiny_png(tmp_path), 72, 600, 50, 50)
    pdf.drawString(72, 700, "Visible text")
    pdf.save()
    writer = PdfWriter(clone_from=str(tmp_path / "x.pdf"))
    page, root = writer.pages[0], writer.root_object
    piece = DictionaryObject({_n("/Editor"): DictionaryObject({_n("/Private"): TextStringObject(NAME)})})
    root[_n("/OCProperties")] = DictionaryObject({_n("/OCGs"): ArrayObject()})
    root[_n("/PieceInfo")] = piece
    root[_n("/StructTreeRoot")] = DictionaryObject({_n("/Alt"): TextStringObject(NAME)})
    root[_n("/MarkInfo")] = DictionaryObject({_n("/Marked"): NameObject("/true")})
    page[_n("/PieceInfo")] = piece
    page[_n("/Thumb")] = writer._add_object(DecodedStreamObject())
    metadata = DecodedStreamObject()
    metadata.set_data(NAME.encode())
    page[_n("/Metadata")] = writer._add_object(metadata)
    image = next(iter(page["/Resources"]["/XObject"].values())).get_object()
    image[_n("/Metadata")] = writer._add_object(metadata)
    image[_n("/OC")] = DictionaryObject({_n("/Type"): _n("/OCG"), _n("/Name"): TextStringObject(NAME)})
    out, notes = _write(writer, tmp_path / "out.pdf")
    reader = PdfReader(out)
    root_keys, page_keys = set(reader.trailer["/Root"]), set(reader.pages[0])
    assert not root_keys & {"/OCProperties", "/PieceInfo", "/StructTreeRoot", "/MarkInfo"}
    assert not page_keys & {"/PieceInfo", "/Thumb", "/Metadata"}
    image = next(iter(reader.pages[0]["/Resources"]["/XObject"].values())).get_object()
    assert "/Metadata" not in image and "/OC" not in image
    assert NAME.encode() not in out.read_bytes()
    assert "Visible text" in _pdftotext(out)
    assert any("optional content" in note for note in notes)


def _tiny_png(tmp_path: Path) -> str:
    from PIL import Image

    path = tmp_path / "dot.png"
    Image.new("RGB", (4, 4), "red").save(path)
    return str(path)


def test_a_plain_pdf_keeps_its_pages_and_text(corpus: Path, tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.append(str(corpus / "real-pdfs" / "pdflatex-4-pages.pdf"))
    before = [page.extract_text() for page in writer.pages]
    out, notes = _write(writer, tmp_path / "plain.pdf")
    assert [page.extract_text() for page in PdfReader(out).pages] == before
    assert len(pdfium.PdfDocument(str(out))) == 4
    assert not any("removed" in note for note in notes)


def test_sanitised_export_passes_the_leak_gate(corpus: Path, tmp_path: Path) -> None:
    """The name in every carrier that sanitising removes: after it, the gate finds nothing."""
    writer = PdfWriter(clone_from=str(corpus / "real-pdfs" / "with-attachment.pdf"))
    writer.append(str(corpus / "real-pdfs" / "annotated_pdf.pdf"))
    writer.add_metadata({"/Author": NAME})
    writer.xmp_metadata = f"<x:xmpmeta><dc:creator>{NAME}</dc:creator></x:xmpmeta>".encode()
    writer.add_attachment("notes.txt", f"About {NAME}".encode())
    _add_js(writer, f"app.alert('{NAME}');")
    annotation = writer.pages[1]["/Annots"][0].get_object()
    annotation[_n("/Contents")] = TextStringObject(f"Ask {NAME}")
    writer.pages[0][_n("/PieceInfo")] = DictionaryObject({_n("/X"): TextStringObject(NAME)})
    unsanitised = tmp_path / "before.pdf"
    writer.write(unsanitised)
    assert {leak.target for leak in leak_scan(unsanitised, TARGETS)} >= {NAME, ""}
    out, _ = _write(PdfWriter(clone_from=str(unsanitised)), tmp_path / "after.pdf")
    assert leak_scan(out, TARGETS) == []


def test_a_content_stream_is_decoded_once_for_the_sanitiser_and_the_stamp(tmp_path: Path) -> None:
    """The sanitiser's look for inline images keeps the decoded bytes with the stream, so
    isolating the page's content for its stamp does not decode it again; bytes stored under a
    filter in a decoded object are still decoded, not taken as they are."""
    import zlib  # noqa: PLC0415

    import pypdf.filters  # noqa: PLC0415

    from bundler.core.anonymise.sanitise.document import sanitise_pages  # noqa: PLC0415
    from bundler.core.anonymise.sanitise.images import _content_bytes  # noqa: PLC0415
    from bundler.core.pdf.pagework import new_font, new_stream, stamp_page  # noqa: PLC0415

    source = tmp_path / "letter.pdf"
    canvas = Canvas(str(source))  # reportlab: ASCII85 and Flate
    for n in range(3):
        canvas.drawString(72, 720, f"Page {n + 1} of the letter")
        canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=source)
    calls: list[int] = []
    real = pypdf.filters.decode_stream_data

    def counted(stream: Any) -> Any:
        calls.append(id(stream))
        return real(stream)

    pypdf.filters.decode_stream_data = counted  # pypdf's get_data looks it up on each call
    try:
        sanitise_pages(writer)
        contents = [page["/Contents"].get_object() for page in writer.pages]
        before = len(calls)
        font, opener = new_font(writer), new_stream(writer, b"q\n")
        for page in writer.pages:
            stamp_page(writer, page, lambda _box, _turn: new_stream(writer, b"Q\n"), (font, opener), False)
        assert len(calls) == before, "the stamp decoded a content stream again"
        assert len(set(calls)) == len(calls) and {id(c) for c in contents} <= set(calls)
    finally:
        pypdf.filters.decode_stream_data = real
    stored = DecodedStreamObject()
    stored._data = zlib.compress(b"BT /F1 12 Tf (x) Tj ET")
    stored[NameObject("/Filter")] = NameObject("/FlateDecode")
    assert _content_bytes(stored) == b"BT /F1 12 Tf (x) Tj ET"
    out = tmp_path / "out.pdf"
    writer.write(out)
    assert [p.extract_text().strip() for p in PdfReader(out).pages] == [f"Page {n} of the letter" for n in (1, 2, 3)]
