"""Round 32: attacks on the anonymiser as it stands at 4f69478, in places no round had tried:
annotations kept in the bundle (``sanitise.document._filter_annotations``, ``pdf.clean``
``filter_annotations``), image masks (``pdf.images.pictures``), optional content
(``sanitise.layers``), clipping text (render mode 7) and form fields (``sanitise.forms``).

Both leaks are fixed (``test_fixed_*``); see each item's last sentences.

A failing test here (``test_LEAK_*``) is a real leak: pdftotext (default mode) shows the name in
the public bundle built through the CLI ("Farida Khanum" registered, pseudonym FK), or the page
drawn in the built bundle shows the name to the eye (read back by Tesseract from poppler's
rendering, ``pdftoppm``) where the product claims to read it; or (unit level,
``Target("Farida Khanum")`` only) the gate (``leak_scan``) passes a page on which pdftotext or
the rendering shows the name.

LEAKS
1. (pdftotext, and the eye; OCR on or off) A link whose appearance stream draws the name
   (``_link_page``). The page shows "The statement of " (Helvetica 14) and carries one /Link
   annotation (``/A << /S /URI /URI (https://example.com/) >>``, ``/Border [0 0 0]``, /F 4)
   just after it, with ``/AP << /N form >>``: the form shows ``(qwxyzw jvwtsp) Tj`` in /F2,
   Helvetica with ``/Differences`` naming q w x y z j v t s p as F a r i d K h n u m (standard
   glyph names, no ToUnicode). poppler draws a link's normal appearance (``AnnotLink::draw``) and
   pdftotext reads what it draws: "The statement of" / "Farida Khanum"; the rendering shows
   "The statement of Farida Khanum" (Tesseract reads it). PDFium's and pypdf's page text never
   include annotations: "The statement of". Why missed: the redactor's annotation check
   (``pdf.clean._annotation_leaks``, ``LeakScanner.leaks``) reads the annotation and its
   appearance stream RAW ("qwxyzw jvwtsp": the codes, not the glyphs the font names), so the
   link is kept; the sanitiser (``sanitise.document._filter_annotations``) keeps a link with a
   safe action and pops only ``_LINK_TEXT`` (/Contents, /NM, /T, /RC, /Subj, /AA): /AP stays;
   the gate reads page text with PDFium and pypdf (no annotations) and every stream raw (codes
   again), and font doubts look at the page's fonts only, never an appearance's. CLI build
   (``--no-ocr``, and with OCR too: nothing renders annotations for OCR): 0 redactions, the gate
   passes, pdftotext reads "The statement of Farida Khanum" in the public bundle. With the name
   written plainly in the appearance (``(Farida Khanum) Tj``) the raw scan sees it and the link
   is dropped (held). Fix: drop /AP (and /AS, /MK) from every link kept (a link needs only /Rect,
   /A or /Dest and /Border; the bundle's own links draw nothing), or flatten each kept
   annotation's appearance into the page before the page is read, so that the redactor and the
   gate read it as page text (and its fonts go through ``font_doubt``).
   FIXED: a kept link keeps only where it is, where it goes and its border (``sanitise.document``
   ``_LINK_KEEPS``: no /AP, /AS, /MK or text); and the gate refuses a page with an annotation
   whose appearance shows text (``gate.places._appearance_shows_text``), which neither of its
   text engines reads.

2. (the eye, OCR ON) A picture whose letters are in its /Mask, which pypdf ignores
   (``_masked_picture``). The page shows "The statement of " and then an 8-bit grey image
   (487 x 90, drawn 122 x 22 pt) where the name would go. (a) ``stencil``: the image's samples
   are all 0 (black) and its ``/Mask`` is a 1-bit ``/ImageMask`` image of "Farida Khanum"
   (DejaVu Sans 64 px; bit 0 on the letters: painted, 1 around them: masked out); (b)
   ``colour key``: the samples are 0 on the letters and 1 around them (black and all but black)
   and ``/Mask [1 1]`` masks every sample of value 1. poppler and PDFium draw black letters on
   the white page: "The statement of Farida Khanum" (Tesseract reads it). No text reader reads
   a picture. Why missed: the product claims "Every picture on a page that has text ... at least
   40x10 px is OCR'd too"; ``pdf.images.pictures`` decodes each picture with pypdf's
   ``page.images``, whose ``_xobj_to_image`` applies /SMask (``_apply_alpha``) but never /Mask,
   stencil or colour key: the picture read is a black block (extrema (0, 0) or (0, 1)), OCR
   reads no word in it, and ``images._on_white`` has no alpha to put on white. Nothing else looks
   at the page's pixels (no font doubt, few curves). CLI build WITH OCR: 0 redactions, the gate
   passes, the public page shows the name. The same image without a mask (its samples the
   name, black on white) is OCR'd and the build refuses (held). Fix: apply an image's /Mask
   before reading it (a stencil /Mask as alpha, its /Decode honoured; colour-key ranges as
   transparent; then ``_on_white``), or read every masked image (and /SMask, /Decode, /Matte
   with it) from the page as drawn: render the image's place on the page with PDFium and OCR
   that.
   FIXED: ``images.pictures`` applies an image's /Mask before it is read (``_masked``: a stencil
   as alpha, its /Decode honoured; a colour key's ranges made transparent; then on white).

HELD (``test_held_*``)
- Leak 1 with the name written plainly in the link's appearance: ``filter_annotations``' raw
  scan sees it and drops the link; the bundle shows no name.
- Leak 1 as a form field: a text /Widget whose appearance draws the name through the same
  /Differences font (its /V "Someone"): ``flatten_form`` draws the appearance into the page, the
  gate reads it there with PDFium (glyph names) and the build refuses.
- Leak 2 without a mask (the picture's own samples show the name): OCR'd, the build refuses.
- Text in a layer hidden by default (``/OCProperties /D /OFF``): pdftotext leaves it out, but
  PDFium and pypdf read hidden text too, so the gate reports it (no way to hide the name from the
  redactor through optional content).
- The name drawn in render mode 7 (clip only, painting nothing) with a black rectangle filled
  through the clip (the eye sees the name in black): PDFium reads clipping text; the gate reports.

NOT TRIED (time): /UserUnit and CropBox offsets beyond round 16's, odd /Rotate values, the width
floor at Tz 100-180 with wide embedded glyphs, Type3 /Widths against wide procedures, OCG
/Usage /Print and /Configs, pictures inside a link's appearance (leak 1's root cause too).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NumberObject,
    TextStringObject,
)

from bundler.cli.main import main
from bundler.core.anonymise.pdf.images import ImageReader, pictures
from bundler.core.errors import ExitCode
from tests.cli.attack_helpers import gate_passes as _gate_passes
from tests.cli.attack_helpers import pdf_name as _n
from tests.cli.attack_helpers import pdf_stream as _stream
from tests.cli.attack_helpers import pdfium_text as _pdfium_text
from tests.cli.attack_helpers import pdftotext as _pdftotext
from tests.cli.attack_helpers import reads_name as _reads_name
from tests.cli.attack_helpers import seen as _seen
from tests.cli.test_attacks_round3 import _flat, _project
from tests.cli.test_attacks_round29 import _page
from tests.conftest import require

Make = Callable[[Path], None]

_ROOT = Path(__file__).resolve().parents[2]
_NAME = "Farida Khanum"
_SHOWN = "qwxyzw jvwtsp"  # the codes shown for the name: one per distinct letter of it
_LINES = (
    b"BT /F1 14 Tf 72 700 Td (The statement of ) Tj ET\n"
    b"BT /F1 14 Tf 72 660 Td (The claimant makes a statement to the court.) Tj ET\n"
)


def _numbers(*values: float) -> ArrayObject:
    return ArrayObject(FloatObject(v) for v in values)


def _helvetica(writer: PdfWriter, differences: ArrayObject | None = None) -> IndirectObject:
    encoding: object = _n("/WinAnsiEncoding")
    if differences is not None:
        encoding = DictionaryObject(
            {_n("/Type"): _n("/Encoding"), _n("/BaseEncoding"): _n("/WinAnsiEncoding"), _n("/Differences"): differences}
        )
    return writer._add_object(
        DictionaryObject(
            {
                _n("/Type"): _n("/Font"),
                _n("/Subtype"): _n("/Type1"),
                _n("/BaseFont"): _n("/Helvetica"),
                _n("/Encoding"): encoding,
            }
        )
    )


def _name_differences() -> ArrayObject:
    """/Differences naming each code of ``_SHOWN`` as the letter of the name in its place."""
    pairs = sorted({(ord(code), letter) for code, letter in zip(_SHOWN, _NAME, strict=True) if code != " "})
    differences = ArrayObject()
    for code, letter in pairs:
        differences += [NumberObject(code), _n("/" + letter)]
    return differences


def _text_page(writer: PdfWriter, extra: DictionaryObject | None = None) -> object:
    page = writer.add_blank_page(612, 792)
    resources = DictionaryObject({_n("/Font"): DictionaryObject({_n("/F1"): _helvetica(writer)})})
    resources.update(extra or {})
    page[_n("/Resources")] = resources
    return page


# --- readers -------------------------------------------------------------------------------------------


def _build(folder: Path, make: Make, ocr: bool) -> Path | None:
    """Build the public bundle through the CLI; None when it refuses with the leak code."""
    project = _project(folder, make)
    out = folder / "public.pdf"
    args = ["build", str(project), "-o", str(out), "--cache-dir", str(folder / "cache")]
    code = main(args + ([] if ocr else ["--no-ocr"]))
    if code == ExitCode.LEAK:
        assert not out.exists()
        return None
    assert code == ExitCode.OK, code
    return out


def _built_shows_no_name(folder: Path, make: Make, *, ocr: bool) -> None:
    """Refused (nothing written), or no page of the bundle shows the name to pdftotext nor to the
    eye (Tesseract on poppler's rendering of the exhibit's page, the last)."""
    out = _build(folder, make, ocr)
    if out is None:
        return
    assert not _reads_name(_pdftotext(out)), f"pdftotext reads the name in the public bundle: {_pdftotext(out)!r}"
    seen = _seen(out, len(PdfReader(out).pages), folder)
    assert "faridakhanum" not in _flat(seen), f"the public bundle's page shows the name: {seen!r}"


# --- 1. a link whose appearance draws the name ---------------------------------------------------------


def _link_page(plain: bool = False, subtype: str = "/Link") -> Make:
    """ "The statement of " (Helvetica 14), then a /Link (URI action, no border) whose normal
    appearance shows ``_SHOWN`` in Helvetica with ``_name_differences`` (``plain``: the name
    itself in plain Helvetica). ``subtype`` "/Widget": a text field, /V "Someone", instead."""

    def make(path: Path) -> None:
        writer = PdfWriter()
        page = _text_page(writer)
        font = _helvetica(writer, None if plain else _name_differences())
        shown = (_NAME if plain else _SHOWN).encode()
        appearance = _stream(
            writer,
            b"BT /F2 14 Tf 2 5 Td (%s) Tj ET" % shown,
            {
                "/Type": _n("/XObject"),
                "/Subtype": _n("/Form"),
                "/BBox": _numbers(0, 0, 150, 22),
                "/Resources": DictionaryObject({_n("/Font"): DictionaryObject({_n("/F2"): font})}),
            },
        )
        annotation = DictionaryObject(
            {
                _n("/Type"): _n("/Annot"),
                _n("/Subtype"): _n(subtype),
                _n("/Rect"): _numbers(190, 695, 340, 717),
                _n("/AP"): DictionaryObject({_n("/N"): appearance}),
                _n("/F"): NumberObject(4),
                _n("/Border"): _numbers(0, 0, 0),
            }
        )
        if subtype == "/Link":
            annotation[_n("/A")] = DictionaryObject(
                {_n("/S"): _n("/URI"), _n("/URI"): TextStringObject("https://example.com/")}
            )
        else:
            annotation.update(
                {
                    _n("/FT"): _n("/Tx"),
                    _n("/T"): TextStringObject("name"),
                    _n("/V"): TextStringObject("Someone"),
                }
            )
        ref = writer._add_object(annotation)
        page[_n("/Annots")] = ArrayObject([ref])
        if subtype == "/Widget":
            writer._root_object[_n("/AcroForm")] = DictionaryObject({_n("/Fields"): ArrayObject([ref])})
        page[_n("/Contents")] = _stream(writer, _LINES)
        writer.write(str(path))

    return make


def test_fixed_link_appearance_gate_passes(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _link_page()(pdf)
    assert _reads_name(_pdftotext(pdf)), "guard: pdftotext reads the link's appearance"
    assert "Farida" not in _pdfium_text(pdf) and "Farida" not in PdfReader(pdf).pages[0].extract_text()
    assert not _gate_passes(pdf), "the gate passes a page whose link draws the name (pdftotext reads it)"


@pytest.mark.parametrize("ocr", [False, True], ids=["no-ocr", "ocr"])
def test_fixed_link_appearance_cli(tmp_path: Path, ocr: bool) -> None:
    if ocr:
        require(ImageReader(tmp_path / "probe").available, "tesseract")
    _built_shows_no_name(tmp_path, _link_page(), ocr=ocr)


def test_held_link_appearance_plainly_written_is_dropped(tmp_path: Path) -> None:
    make = _link_page(plain=True)
    make(tmp_path / "shown.pdf")
    assert _reads_name(_pdftotext(tmp_path / "shown.pdf")), "guard: pdftotext reads the link's appearance"
    _built_shows_no_name(tmp_path, make, ocr=False)


def test_held_form_field_appearance_is_flattened_and_read(tmp_path: Path) -> None:
    make = _link_page(subtype="/Widget")
    make(tmp_path / "shown.pdf")
    assert _reads_name(_pdftotext(tmp_path / "shown.pdf")), "guard: pdftotext reads the field's appearance"
    assert _build(tmp_path, make, ocr=False) is None, "the build writes a bundle (it refused at 4f69478)"


# --- 2. a picture whose letters are in its /Mask (the eye, OCR on) ------------------------------------


def _name_picture() -> Image.Image:
    """ "Farida Khanum" in black on white, DejaVu Sans 64 px."""
    font = ImageFont.truetype(str(_ROOT / "resources" / "fonts" / "DejaVuSans.ttf"), 64)
    image = Image.new("L", (int(font.getlength(_NAME)) + 8, 90), 255)
    ImageDraw.Draw(image).text((4, 8), _NAME, font=font, fill=0)
    return image


def _masked_picture(kind: str) -> Make:
    """ "The statement of " then a grey picture where the name would go: ``stencil``, all black
    with a 1-bit /ImageMask of the name as its /Mask; ``colour key``, 0 on the letters and 1
    around them with ``/Mask [1 1]``; ``plain``, the name's own samples, no mask."""

    def make(path: Path) -> None:
        writer = PdfWriter()
        image = _name_picture()
        width, height = image.size
        entries: dict[str, object] = {
            "/Type": _n("/XObject"),
            "/Subtype": _n("/Image"),
            "/Width": NumberObject(width),
            "/Height": NumberObject(height),
            "/ColorSpace": _n("/DeviceGray"),
            "/BitsPerComponent": NumberObject(8),
        }
        if kind == "stencil":
            bits = image.point(lambda v: 0 if v < 128 else 255).convert("1")  # bit 0 on the letters: painted
            entries["/Mask"] = _stream(
                writer,
                bits.tobytes(),
                {
                    "/Type": _n("/XObject"),
                    "/Subtype": _n("/Image"),
                    "/Width": NumberObject(width),
                    "/Height": NumberObject(height),
                    "/ImageMask": BooleanObject(True),
                    "/BitsPerComponent": NumberObject(1),
                },
            )
            samples = bytes(width * height)
        elif kind == "colour key":
            samples = bytes(0 if v < 128 else 1 for v in image.tobytes())
            entries["/Mask"] = ArrayObject([NumberObject(1), NumberObject(1)])
        else:
            samples = image.tobytes()
        picture = _stream(writer, samples, entries)
        page = _text_page(writer, DictionaryObject({_n("/XObject"): DictionaryObject({_n("/Im"): picture})}))
        placed = b"q %.2f 0 0 %.2f 190 692 cm /Im Do Q\n" % (width * 0.25, height * 0.25)
        page[_n("/Contents")] = _stream(writer, _LINES + placed)
        writer.write(str(path))

    return make


_MASKS = ["stencil", "colour key"]


@pytest.mark.parametrize("kind", _MASKS)
def test_fixed_masked_picture_is_read_without_its_mask(tmp_path: Path, kind: str) -> None:
    pdf = tmp_path / "source.pdf"
    _masked_picture(kind)(pdf)
    assert "faridakhanum" in _flat(_seen(pdf, 1, tmp_path)), "guard: the page shows the name"
    reader = ImageReader(tmp_path / "ocr")
    require(reader.available, "tesseract")
    read = [reader.text(image) for image in pictures(PdfReader(pdf).pages[0])]
    assert any("faridakhanum" in _flat(text) for text in read), f"the picture is read without its mask: {read!r}"


@pytest.mark.parametrize("kind", _MASKS)
def test_fixed_masked_picture_ocr_cli(tmp_path: Path, kind: str) -> None:
    require(ImageReader(tmp_path / "probe").available, "tesseract")
    _built_shows_no_name(tmp_path, _masked_picture(kind), ocr=True)


def test_held_unmasked_picture_ocr_cli(tmp_path: Path) -> None:
    require(ImageReader(tmp_path / "probe").available, "tesseract")
    make = _masked_picture("plain")
    make(tmp_path / "shown.pdf")
    assert "faridakhanum" in _flat(_seen(tmp_path / "shown.pdf", 1, tmp_path)), "guard: the page shows the name"
    _built_shows_no_name(tmp_path, make, ocr=True)


# --- held: optional content hidden by default, clipping text -----------------------------------------


def _hidden_layer(path: Path) -> None:
    writer = PdfWriter()
    group = writer._add_object(DictionaryObject({_n("/Type"): _n("/OCG"), _n("/Name"): TextStringObject("L")}))
    page = _text_page(writer, DictionaryObject({_n("/Properties"): DictionaryObject({_n("/MC0"): group})}))
    hidden = b"/OC /MC0 BDC BT /F1 14 Tf 200 700 Td (Farida Khanum) Tj ET EMC\n"
    page[_n("/Contents")] = _stream(writer, _LINES + hidden)
    writer._root_object[_n("/OCProperties")] = DictionaryObject(
        {_n("/OCGs"): ArrayObject([group]), _n("/D"): DictionaryObject({_n("/OFF"): ArrayObject([group])})}
    )
    writer.write(str(path))


def test_held_text_in_a_hidden_layer_is_read_by_the_gate(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _hidden_layer(pdf)
    assert "Farida" not in _pdftotext(pdf), "guard: poppler leaves hidden content out"
    assert "Farida Khanum" in _pdfium_text(pdf)
    assert not _gate_passes(pdf)


def test_held_clipping_text_filled_through_is_read_by_the_gate(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _page(
        pdf,
        b"BT /F1 14 Tf 72 700 Td (The statement of ) Tj ET\n"
        b"q BT 7 Tr /F1 14 Tf 190 700 Td (Farida Khanum) Tj ET 0 0 0 rg 180 690 200 30 re f Q\n",
    )
    assert "faridakhanum" in _flat(_seen(pdf, 1, tmp_path)), "guard: the page shows the name"
    assert not _gate_passes(pdf)
