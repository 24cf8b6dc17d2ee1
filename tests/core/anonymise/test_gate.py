"""The leak gate, attacked carrier by carrier: it must find a planted name wherever it hides.

Each test plants "Farida Khanum" (or a form of it) in one carrier of an otherwise clean
PDF — page text in several encodings, form XObjects, annotations, form fields,
attachments, the outline, document info, XMP, the file name, an orphan object, an
earlier revision — and checks the gate reports it at the right place. A bundle that
shows only the pseudonym "Aisha" everywhere must pass.
"""

from __future__ import annotations

import ctypes
import io
import random
import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.detect import extracted_text
from bundler.core.anonymise.gate.finder import _Finder, _quick_fold, _readings
from bundler.core.anonymise.gate.gate import Leak, leak_message, leak_scan, require_no_leaks
from bundler.core.anonymise.lookalikes import LOOKALIKES
from bundler.core.anonymise.terms import find_matches, normalise, targets_from_register
from bundler.core.assets import font_path
from bundler.core.errors import LeakError
from bundler.core.model import Person, Register, Term

REGISTER = Register(
    people=[
        Person("Farida Khanum", "Aisha", variants=["Mrs Khanum"]),
        Person("Fiona Grant", "Beth"),
        Person("Anna Smith-Jones", "Cara"),
    ],
    terms=[Term("SW1A 1AA", category="postcode")],
)
TARGETS = targets_from_register(REGISTER)
NAME = "Farida Khanum"


def _font() -> str:
    if "DejaVuTest" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuTest", str(font_path("DejaVuSans"))))
    return "DejaVuTest"


def _canvas_pdf(path: Path, lines: list[str], font: str = "Helvetica", pages: int = 1) -> Path:
    pdf = Canvas(str(path))
    for _ in range(pages):
        pdf.setFont(font, 12)
        for n, line in enumerate(lines):
            pdf.drawString(72, 760 - 16 * n, line)
        pdf.showPage()
    pdf.save()
    return path


def _raw_page_pdf(path: Path, content: bytes) -> Path:
    """One page whose content stream is exactly ``content``, with Helvetica as /F1."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    writer.write(path)
    return path


def _clean(tmp_path: Path) -> Path:
    return _canvas_pdf(tmp_path / "clean.pdf", ["Witness statement of Aisha", "Aisha lives in London."])


def _edit(path: Path, change: Callable[[PdfWriter], None], name: str = "planted.pdf") -> Path:
    writer = PdfWriter(clone_from=str(path))
    change(writer)
    out = path.with_name(name)
    writer.write(out)
    return out


def _xmp(body: str) -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator><rdf:Seq><rdf:li>{body}</rdf:li></rdf:Seq></dc:creator>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def _set_xmp(writer: PdfWriter, body: str) -> None:
    stream = DecodedStreamObject()
    stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    stream.set_data(_xmp(body))
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)


def _add_text_annotation(writer: PdfWriter, text: str) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([NumberObject(v) for v in (100, 100, 120, 120)]),
            NameObject("/Contents"): TextStringObject(text),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _places(leaks: list[Leak], target: str | None = None) -> list[str]:
    return [leak.place for leak in leaks if target is None or leak.target == target]


def _found(leaks: list[Leak], place: str) -> bool:
    return any(re.fullmatch(place, leak.place) for leak in leaks)


# -- the clean case ---------------------------------------------------------------


def test_a_bundle_showing_only_the_pseudonym_passes(tmp_path: Path) -> None:
    pdf = _canvas_pdf(tmp_path / "Aisha v SSHD.pdf", ["Witness statement of Aisha", "Aisha, London"], _font())

    def everywhere(writer: PdfWriter) -> None:
        writer.add_metadata({"/Title": "Aisha v SSHD", "/Author": "Solicitor for Aisha"})
        writer.add_outline_item(title="A1 Witness statement of Aisha", page_number=0)
        writer.add_attachment("aisha.txt", b"Notes about Aisha")
        _set_xmp(writer, "Aisha")
        _add_text_annotation(writer, "Comment about Aisha")

    out = _edit(pdf, everywhere, "Aisha v SSHD - Hearing Bundle.pdf")
    assert leak_scan(out, TARGETS) == []
    require_no_leaks(out, TARGETS)  # does not raise


def test_no_targets_means_nothing_to_find(tmp_path: Path) -> None:
    pdf = _canvas_pdf(tmp_path / "x.pdf", [f"Statement of {NAME}"])
    assert leak_scan(pdf, []) == []


# -- page text, however it is encoded ---------------------------------------------


def test_standard_font_text_is_found_by_both_engines_and_in_the_stream(tmp_path: Path) -> None:
    leaks = leak_scan(_canvas_pdf(tmp_path / "a.pdf", [f"Witness statement of {NAME}"]), TARGETS)
    assert _found(leaks, r"page 1 text \(pypdfium2\)")
    assert _found(leaks, r"page 1 text \(pypdf\)")
    assert _found(leaks, r"stream object \d+ 0 \(decompressed\)")
    assert {leak.target for leak in leaks} == {NAME}
    assert all(leak.page == 1 for leak in leaks if leak.place.startswith("page"))


def _cid_font_pdf(path: Path, text: str) -> Path:
    """Text in an embedded TrueType font with Identity-H glyph ids, as PDFium writes it."""
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(612, 792)
    data = font_path("DejaVuSans").read_bytes()
    font = pdfium_c.FPDFText_LoadFont(
        doc,
        (ctypes.c_uint8 * len(data)).from_buffer_copy(data),
        len(data),
        pdfium_c.FPDF_FONT_TRUETYPE,
        True,
    )
    text_object = pdfium_c.FPDFPageObj_CreateTextObj(doc, font, 12)
    wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(text_object, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    pdfium_c.FPDFPageObj_Transform(text_object, 1, 0, 0, 1, 72, 700)
    pdfium_c.FPDFPage_InsertObject(page, text_object)
    pdfium_c.FPDFPage_GenerateContent(page)
    doc.save(str(path))
    return path


def test_truetype_glyph_ids_are_found_by_text_extraction(tmp_path: Path) -> None:
    pdf = _cid_font_pdf(tmp_path / "cid.pdf", f"Witness statement of {NAME}")
    assert b"Farida" not in _decompressed_streams(pdf)  # the bytes hold glyph ids, not letters
    leaks = leak_scan(pdf, TARGETS)
    assert _found(leaks, r"page 1 text \(pypdfium2\)") and _found(leaks, r"page 1 text \(pypdf\)")


def test_subset_truetype_text_is_found(tmp_path: Path) -> None:
    pdf = _canvas_pdf(tmp_path / "ttf.pdf", [f"Witness statement of {NAME}"], _font())
    leaks = leak_scan(pdf, TARGETS)
    assert _found(leaks, r"page 1 text \(pypdfium2\)") and _found(leaks, r"page 1 text \(pypdf\)")


def _decompressed_streams(pdf: Path) -> bytes:
    reader = PdfReader(pdf)
    objects = [reader.get_object(IndirectObject(idnum, 0, reader)) for idnum in reader.xref[0]]
    return b"".join(obj.get_data() for obj in objects if isinstance(obj, StreamObject))


def test_hex_string_is_read_as_text(tmp_path: Path) -> None:
    pdf = _raw_page_pdf(
        tmp_path / "hex.pdf",
        b"BT /F1 12 Tf 72 700 Td <" + NAME.encode().hex().encode() + b"> Tj ET",
    )
    leaks = leak_scan(pdf, TARGETS)
    assert _found(leaks, r"stream object \d+ 0 \(text operands\)")
    assert not _found(leaks, r"stream object \d+ 0 \(decompressed\)")  # only the operand reading sees it
    assert _found(leaks, r"page 1 text \(pypdfium2\)")


def test_kerned_pieces_of_a_name_are_joined(tmp_path: Path) -> None:
    content = b"BT /F1 12 Tf 72 700 Td [(Statement of Far) -20 (ida) 15 ( Kha) -10 (num)] TJ ET"
    leaks = leak_scan(_raw_page_pdf(tmp_path / "tj.pdf", content), TARGETS)
    assert _found(leaks, r"stream object \d+ 0 \(text operands\)")
    assert NAME in [leak.target for leak in leaks if "operands" in leak.place]


def test_name_split_across_text_showing_operators_is_joined(tmp_path: Path) -> None:
    content = b"BT /F1 12 Tf 72 700 Td (Far) Tj 14 0 Td (\\151da) Tj ET"  # octal escape for "i"
    leaks = leak_scan(_raw_page_pdf(tmp_path / "tj2.pdf", content), TARGETS)
    assert "Farida" in [leak.target for leak in leaks if "operands" in leak.place]


def test_text_in_a_form_xobject_is_found(tmp_path: Path) -> None:
    pdf = Canvas(str(tmp_path / "form.pdf"))
    pdf.beginForm("letterhead")
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 700, f"Client: {NAME}")
    pdf.endForm()
    pdf.doForm("letterhead")
    pdf.save()
    leaks = leak_scan(tmp_path / "form.pdf", TARGETS)
    assert _found(leaks, r"page 1 text \(pypdfium2\)") and _found(leaks, r"page 1 text \(pypdf\)")
    assert _found(leaks, r"stream object \d+ 0 \(decompressed\)")


@pytest.mark.parametrize(
    ("lines", "font", "target"),
    [
        (["statement of Mrs Kha-", "num dated 1 May"], "Helvetica", "Mrs Khanum"),
        ([f"STATEMENT OF {NAME.upper()}"], "Helvetica", NAME),
        (["statement of Farïda Khänum"], "Helvetica", NAME),
        (["letter from \ufb01ona grant"], "dejavu", "Fiona Grant"),
        (["letter from Ms Smith-", "Jones of Leeds"], "Helvetica", "Smith-Jones"),
    ],
    ids=[
        "hyphenated-line-break",
        "uppercase",
        "diacritics",
        "ligature",
        "double-barrelled-at-line-end",
    ],
)
def test_folded_forms_are_found_by_both_engines(tmp_path: Path, lines: list[str], font: str, target: str) -> None:
    pdf = _canvas_pdf(tmp_path / "f.pdf", lines, _font() if font == "dejavu" else font)
    leaks = leak_scan(pdf, TARGETS)
    assert target in [leak.target for leak in leaks if leak.place == "page 1 text (pypdfium2)"]
    assert target in [leak.target for leak in leaks if leak.place == "page 1 text (pypdf)"]


def test_leak_on_a_later_page_names_that_page(tmp_path: Path) -> None:
    pdf = Canvas(str(tmp_path / "three.pdf"))
    for text in ("Aisha", "Aisha", f"Exhibit FK1: {NAME}"):
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, 700, text)
        pdf.showPage()
    pdf.save()
    pages = {leak.page for leak in leak_scan(tmp_path / "three.pdf", TARGETS) if leak.place.startswith("page")}
    assert pages == {3}


# -- structure: annotations, fields, attachments, outline, metadata ----------------


def test_annotation_contents(tmp_path: Path) -> None:
    out = _edit(_clean(tmp_path), lambda w: _add_text_annotation(w, f"Call {NAME} back"))
    assert _found(leak_scan(out, TARGETS), r"annotation on page 1 \(/Contents\)")


def test_link_target_uri(tmp_path: Path) -> None:
    def link(writer: PdfWriter) -> None:
        writer.add_uri(0, "mailto:farida.khanum@example.org", [72, 700, 200, 720])

    assert _found(leak_scan(_edit(_clean(tmp_path), link), TARGETS), r"annotation on page 1 \(/A /URI\)")


def test_form_field_value(tmp_path: Path) -> None:
    pdf = Canvas(str(tmp_path / "form.pdf"))
    pdf.drawString(72, 720, "Claimant:")
    pdf.acroForm.textfield(name="claimant", value=NAME, x=150, y=700, width=200, height=20)
    pdf.save()
    leaks = leak_scan(tmp_path / "form.pdf", TARGETS)
    assert _found(leaks, r"form field 'claimant' \(/V\)")


def test_embedded_text_file_and_its_name(tmp_path: Path) -> None:
    out = _edit(_clean(tmp_path), lambda w: w.add_attachment("farida.txt", f"Notes: {NAME}".encode()))
    leaks = leak_scan(out, TARGETS)
    assert _found(leaks, r"embedded file in stream object \d+ 0")
    assert "Farida" in [leak.target for leak in leaks if leak.place == "embedded file name"]


def test_embedded_file_that_is_not_text_blocks_as_uncheckable(tmp_path: Path) -> None:
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(image, "PNG")
    out = _edit(_clean(tmp_path), lambda w: w.add_attachment("scan.png", image.getvalue()))
    leaks = leak_scan(out, TARGETS)
    assert [leak.target for leak in leaks] == [""]
    with pytest.raises(LeakError, match="Could not check embedded file"):
        require_no_leaks(out, TARGETS)


def test_outline_item(tmp_path: Path) -> None:
    out = _edit(
        _clean(tmp_path),
        lambda w: w.add_outline_item(title=f"A1 Statement of {NAME}", page_number=0),
    )
    assert _found(leak_scan(out, TARGETS), r"outline item 'A1 Statement of F… K…'")


def test_nested_outline_item(tmp_path: Path) -> None:
    def nested(writer: PdfWriter) -> None:
        section = writer.add_outline_item(title="Section A", page_number=0)
        writer.add_outline_item(title="Correspondence", page_number=0, parent=section)
        writer.add_outline_item(title=f"Letter to {NAME}", page_number=0, parent=section)

    assert _found(
        leak_scan(_edit(_clean(tmp_path), nested), TARGETS),
        r"outline item 'Letter to F… K…'",
    )


def test_document_info_author(tmp_path: Path) -> None:
    out = _edit(_clean(tmp_path), lambda w: w.add_metadata({"/Author": NAME}))
    assert _found(leak_scan(out, TARGETS), r"metadata /Author")


@pytest.mark.parametrize("body", [NAME, "&#70;arida &#x4B;hanum"], ids=["plain", "character-references"])
def test_xmp(tmp_path: Path, body: str) -> None:
    out = _edit(_clean(tmp_path), lambda w: _set_xmp(w, body))
    assert "XMP" in _places(leak_scan(out, TARGETS), NAME)


def test_file_name(tmp_path: Path) -> None:
    leaks = leak_scan(_clean(tmp_path), TARGETS, file_name="Khanum v SSHD - Hearing Bundle.pdf")
    assert _places(leaks) == ["file name"]


def test_file_name_defaults_to_the_path(tmp_path: Path) -> None:
    pdf = _clean(tmp_path).rename(tmp_path / "Farida_Khanum_bundle.pdf")
    assert "file name" in _places(leak_scan(pdf, TARGETS))


def test_jpeg_metadata_of_an_image(tmp_path: Path) -> None:
    jpeg = tmp_path / "photo.jpg"
    Image.new("RGB", (40, 40), "grey").save(jpeg, "JPEG", comment=f"Photo of {NAME}".encode())
    pdf = Canvas(str(tmp_path / "img.pdf"))
    pdf.drawImage(str(jpeg), 72, 600, 100, 100)
    pdf.save()
    assert _found(leak_scan(tmp_path / "img.pdf", TARGETS), r"stream object \d+ 0 \(JPEG metadata\)")


# -- what pypdf's view of the file does not show ------------------------------------


def test_orphan_object_no_page_refers_to(tmp_path: Path) -> None:
    def orphan(writer: PdfWriter) -> None:
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf ({NAME}) Tj ET".encode())
        writer._add_object(stream.flate_encode())

    leaks = leak_scan(_edit(_clean(tmp_path), orphan), TARGETS)
    assert _found(leaks, r"stream object \d+ 0 \(decompressed\)")
    assert not any(leak.place.startswith("page") for leak in leaks)


def test_earlier_revision_of_an_incrementally_saved_file(tmp_path: Path) -> None:
    base = _edit(_clean(tmp_path), lambda w: w.add_metadata({"/Author": NAME}), "base.pdf")
    writer = PdfWriter(base, incremental=True)
    writer.add_metadata({"/Author": "Aisha"})
    updated = tmp_path / "updated.pdf"
    writer.write(updated)
    assert PdfReader(updated).metadata["/Author"] == "Aisha"  # the current revision looks clean
    leaks = leak_scan(updated, TARGETS)
    assert _found(leaks, r"object \d+ 0 at byte \d+ \(raw scan\)")
    assert not _found(leaks, r"metadata /Author")


# -- the blocking call and its message ------------------------------------------------


def test_require_no_leaks_names_places_and_masks_the_name(tmp_path: Path) -> None:
    def planted(writer: PdfWriter) -> None:
        writer.add_outline_item(title=f"A1 Statement of {NAME}", page_number=0)

    pdf = _edit(_canvas_pdf(tmp_path / "a.pdf", [f"Statement of {NAME}"]), planted)
    with pytest.raises(LeakError) as caught:
        require_no_leaks(pdf, TARGETS)
    message = str(caught.value)
    assert "Protected name 'F… K…'" in message
    assert "page 1 text" in message and "more places" in message
    assert "the bundle was not written" in message and "then build again" in message
    assert "\n" not in message
    assert caught.value.exit_code == 8


def test_damaged_output_fails_closed(corpus: Path, tmp_path: Path) -> None:
    data = (corpus / "real-pdfs" / "pdflatex-4-pages.pdf").read_bytes()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[: len(data) // 2])
    leaks = leak_scan(damaged, TARGETS)
    assert leaks and {leak.target for leak in leaks} == {""}
    assert {leak.place for leak in leaks} == {"the whole file (pypdf)", "page text (pypdfium2)"}
    with pytest.raises(LeakError, match="Could not check the whole file"):
        require_no_leaks(damaged, TARGETS)


def test_message_for_an_identifier() -> None:
    leak = Leak("page 2 text (pypdf)", 2, "… SW1A 1AA …", "SW1A 1AA", "postcode")
    assert leak_message([leak]).startswith("Protected identifier 'S… 1…' found in page 2 text (pypdf);")


def test_password_protected_output(corpus: Path) -> None:
    pdf = corpus / "real-pdfs" / "libreoffice-writer-password.pdf"
    assert {leak.target for leak in leak_scan(pdf, TARGETS)} == {""}  # cannot read: blocks
    assert leak_scan(pdf, TARGETS, password="openpassword") == []
    lorem = targets_from_register(Register(terms=[Term("consetetur sadipscing")]))
    assert _found(leak_scan(pdf, lorem, password="openpassword"), r"page 1 text \(pypdfium2\)")


# -- the corpus as carriers --------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "002-trivial-libre-office-writer.pdf",
        "annotated_pdf.pdf",
        "crazyones-pdfa.pdf",
        "google-doc-document.pdf",
        "grayscale-image.pdf",
        "habibi-rotated.pdf",
        "imagemagick-CCITTFaxDecode.pdf",
        "imagemagick-lzw.pdf",
        "libre-office-link.pdf",
        "libreoffice-form.pdf",
        "minimal-document.pdf",
        "multicolumn.pdf",
        "output_with_metadata_pymupdf.pdf",
        "pdflatex-4-pages.pdf",
        "pdflatex-forms.pdf",
        "pdflatex-image.pdf",
        "pdflatex-outline.pdf",
    ],
)
def test_real_pdfs_without_the_name_pass(corpus: Path, name: str) -> None:
    # Many short names: binary streams (images, fonts) must not spell one by chance.
    names = [
        "Ali",
        "Bah",
        "Zed",
        "Eve",
        "Ida",
        "Oku",
        "Uma",
        "Xiu",
        "Yan",
        "Abe",
        "Ade",
        "Ayo",
        "Bea",
        "Cai",
        "Dov",
        "Eli",
        "Fay",
        "Gus",
        "Hal",
        "Ira",
        "Jax",
        "Kai",
        "Lia",
        "Mia",
    ]
    short = targets_from_register(Register(people=[Person(f"{n} Qzvx", "AB") for n in names]))
    assert leak_scan(corpus / "real-pdfs" / name, [*TARGETS, *short]) == []


def test_real_pdf_with_a_planted_outline_item(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "outline.pdf"
    source.write_bytes((corpus / "real-pdfs" / "pdflatex-outline.pdf").read_bytes())
    assert leak_scan(source, TARGETS) == []
    out = _edit(source, lambda w: w.add_outline_item(title=f"Exhibit: {NAME}", page_number=1))
    assert _found(leak_scan(out, TARGETS), r"outline item 'Exhibit: F… K…'")


def test_real_pdf_with_a_planted_annotation(corpus: Path, tmp_path: Path) -> None:
    def plant(writer: PdfWriter) -> None:
        annotation = writer.pages[0]["/Annots"][0].get_object()
        annotation[NameObject("/Contents")] = TextStringObject(f"Ask {NAME}")

    out = _edit(corpus / "real-pdfs" / "annotated_pdf.pdf", plant)
    out = out.rename(tmp_path / out.name)
    assert _found(leak_scan(out, TARGETS), r"annotation on page 1 \(/Contents\)")


# -- the fast screen folds exactly as the shared matcher does -----------------------------


LOOKS = sorted(LOOKALIKES)[::8]


def test_quick_fold_agrees_with_terms_normalise() -> None:
    alphabet = list(
        "aZ ß\t\n\r-\u00ad\u2010éÏ\u0301\ufb01\u2019'`İΣ\u00a0\u00a8x1.\ufffe"
        "\u200b\u200d\u2060\ufeff\u202e\x02\u2011\u2028\u0085\x0b\x1c\U000e0041\u061c\u180e\u3000"
        "\u0149\u1fef"  # NFKD gives an apostrophe and a backtick: both must straighten alike
    ) + [
        *LOOKS,  # letters of other scripts that print as Latin ones, and their capitals
        *(ch.upper() for ch in LOOKS),
        "\u0397\u039d\u0401",  # capitals folded as themselves (H, N); Ё decomposes to a look-alike
        "-\n",
        " \n",
        "\u00ad\n",
    ]
    rng = random.Random(7)
    for _ in range(3000):
        text = extracted_text("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))))
        assert re.sub(" +", " ", _quick_fold(text)).strip() == re.sub(" +", " ", normalise(text)).strip(), text


@pytest.mark.parametrize("mark", ["\u200d", "\u200b", "\u2060", "\ufeff", "\u00ad"])
def test_a_name_split_by_invisible_format_characters_is_found(tmp_path: Path, mark: str) -> None:
    """ "Fa⁠rida Kha⁠num" shows as the name; the matcher drops format characters (Cf), so the
    gate's fast screen must drop them too, or it would wave the text through unmatched."""
    split = f"Fa{mark}rida Kha{mark}num"
    pdf = _canvas_pdf(tmp_path / "split.pdf", [f"Statement of {split}"], _font())
    leaks = leak_scan(pdf, TARGETS)
    assert _found(leaks, r"page 1 text \(pypdfium2\)"), (mark, leaks)
    assert all(leak.target for leak in leaks)


def test_the_fast_screen_passes_every_text_with_a_target_in_it() -> None:
    """Texts made of the targets' pieces, broken every way the matcher forgives: whenever
    ``find_matches`` finds a target, the screen on the gate's fold of one of the gate's readings
    of the text passes too."""
    pieces = ["Far", "ida", "Kha", "num", " ", "-\n", "\u200d", "\u0301", "\ufb01", "AB", "SW1A", "1AA", "\u00ad\n"]
    pieces += ["F\u0430r", "K\u041d\u0410", "\u0274\u1d1cm"]  # look-alike letters (Cyrillic, small capitals)
    finder = _Finder(TARGETS)
    rng = random.Random(11)
    found = 0
    for _ in range(20000):
        text = extracted_text("".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))))
        if find_matches(text, TARGETS, ocr=True):
            found += 1
            assert any(finder.screen.search(_quick_fold(reading)) for reading in _readings(text)), repr(text)
    assert found > 200  # the texts really hold targets: the implication is tested, not vacuous
