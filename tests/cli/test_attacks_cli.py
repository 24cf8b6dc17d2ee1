"""Attacks on the public bundle: a protected name drawn so that our readers missed it.

Each source hides "Farida Khanum" in a way another reader still reads: letters set
apart like a letterhead's ("F A R I D A"), letters of other scripts that print as
Latin ones (Cyrillic "\u0430"), glyphs shown in reverse order and placed
by position, a ``/ToUnicode`` map that contradicts the glyphs drawn, a picture of the
name turned sideways or slanted, in a soft mask or a tiling pattern, a picture pasted
into a DOCX, words drawn as outlines, an XFA form's data. Each is built through the
real CLI and read back with readers the product does not use for its gate: poppler's
``pdftotext``, pdfminer.six, ``qpdf --qdf`` (every object uncompressed) and Tesseract
on poppler's rendering. A name
the redactor cannot box is refused with the leak code and the page named; and with
the redactor (or the picture stage) switched off, the gate alone stops the text cases.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.assets import font_path
from bundler.core.errors import ExitCode
from tests.anonymise_texts import DISGUISED, as_read
from tests.conftest import require

NAME = "Farida Khanum"
KEPT = "The grounds of claim follow below."
PROTECTED = ("farida", "khanum", "elmroad")
Make = Callable[[Path], None]


def _flat(text: str) -> str:
    """Any joining: spaces, hyphens and line breaks gone, accents and case folded, look-alikes as Latin."""
    return re.sub(r"[\s\-\u00ad]+", "", as_read(text))


def _base(path: Path) -> PdfWriter:
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, KEPT)
    pdf.save()
    return PdfWriter(clone_from=str(path))


def _resources(writer: PdfWriter) -> DictionaryObject:
    resources = writer.pages[0]["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    return resources


def _append(writer: PdfWriter, data: bytes) -> None:
    page = writer.pages[0]
    stream = DecodedStreamObject()
    stream.set_data(data)
    old = page["/Contents"]
    old = old if isinstance(old, IndirectObject) else writer._add_object(old)
    page[NameObject("/Contents")] = ArrayObject([old, writer._add_object(stream)])


def _letter_spaced(path: Path) -> None:
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, KEPT)
    pdf.drawString(72, 600, "F A R I D A   K H A N U M")
    pdf.save()


def _lookalike_letters(path: Path) -> None:
    """The name in letters of other scripts that print as Latin ones ("F\u0430rid\u0430" with
    Cyrillic a), drawn in a font that has them: every reader extracts the other script."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(font_path("DejaVuSans"))))
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, KEPT)
    pdf.setFont("DejaVuSans", 12)
    for n, form in enumerate(DISGUISED.values()):
        pdf.drawString(72, 700 - 24 * n, f"Statement of {form} dated 3 May")
    pdf.save()


def _reversed_glyphs(path: Path) -> None:
    """Each glyph of "Farida" placed by its own ``Tm``, the last one first, a little apart."""
    writer = _base(path)
    shows = [f"1 0 0 1 {72 + 7 * i} 600 Tm ({ch}) Tj".encode() for i, ch in enumerate("Farida")]
    _append(writer, b"BT /F1 12 Tf " + b" ".join(reversed(shows)) + b" ET")
    writer.write(str(path))


def _moved_back(path: Path) -> None:
    """One ``TJ``: "num" shown first, placed after room for "Kha", which is then shown back to
    its left. The page, poppler and OCR read "Khanum"; the string operands spell "numKha"."""
    writer = _base(path)
    _append(writer, b"BT /F1 12 Tf 72 600 Td [-1779 (num) 3724 (Kha)] TJ ET")
    writer.write(str(path))


_LYING_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Lie def
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <20> <7E> <0078> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"""


def _actual_text(path: Path) -> None:
    """/ActualText tells PDFium "Someone" while the glyphs (which pypdf reads) spell the name."""
    writer = _base(path)
    masked = b"/Span <</ActualText (Someone)>> BDC (" + NAME.encode() + b") Tj EMC"
    _append(writer, b"BT /F1 12 Tf 72 700 Td (Statement of ) Tj " + masked + b" ( dated) Tj ET")
    writer.write(str(path))


def _coded_font(writer: PdfWriter, shown: str, key: str, tounicode: bytes | None = None) -> dict[str, str]:
    """Helvetica under ``key`` drawing ``shown``'s letters from codes "!", "#"… (``/Differences``
    names the glyphs), with ``tounicode`` as its map if given; the code of each letter."""
    letters = sorted({ch for ch in shown if ch.isalpha()})
    differences = ArrayObject([NumberObject(0x21), *(NameObject(f"/{ch}") for ch in letters)])
    encoding = DictionaryObject(
        {NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"), NameObject("/Differences"): differences}
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): encoding,
        }
    )
    if tounicode is not None:
        cmap = DecodedStreamObject()
        cmap.set_data(tounicode)
        font[NameObject("/ToUnicode")] = writer._add_object(cmap)
    fonts = _resources(writer)["/Font"].get_object()
    assert isinstance(fonts, DictionaryObject)
    fonts[NameObject(key)] = writer._add_object(font)
    return {ch: chr(0x21 + i) for i, ch in enumerate(letters)}


def _coded_actual_text(path: Path) -> None:
    """The same, the name's bytes coded ("!", "#"… named by ``/Differences``): no raw bytes spell it."""
    writer = _base(path)
    codes = _coded_font(writer, NAME, "/FC")
    coded = "".join(codes.get(ch, ch) for ch in NAME).encode("latin-1").hex().encode()
    masked = b"/Span <</ActualText (Someone)>> BDC <" + coded + b"> Tj EMC"
    _append(writer, b"BT /FC 12 Tf 72 700 Td " + masked + b" ET")
    writer.write(str(path))


def _lying_map(path: Path) -> None:
    """Helvetica draws the name from codes "!", "#"… (``/Differences`` names the glyphs);
    its ToUnicode map says they are other letters. Neither the bytes nor any extraction spell it."""
    shown = f"{NAME} of 14 Elm Road"
    writer = _base(path)
    codes = _coded_font(writer, shown, "/FL", _LYING_CMAP)
    coded = "".join(codes.get(ch, ch) for ch in shown).encode("latin-1").hex().encode()
    _append(writer, b"BT /FL 16 Tf 72 600 Td <" + coded + b"> Tj ET")
    writer.write(str(path))


def _name_picture(angle: float) -> Image.Image:
    image = Image.new("L", (700, 120), 255)
    ImageDraw.Draw(image).text((10, 30), NAME, fill=0, font=ImageFont.truetype(str(font_path("DejaVuSans")), 48))
    return image.rotate(angle, expand=True, fillcolor=255)


def _picture_pdf(angle: float) -> Make:
    def make(path: Path) -> None:
        picture = path.with_suffix(".png")
        image = _name_picture(angle)
        image.save(picture)
        pdf = Canvas(str(path))
        pdf.drawString(72, 760, KEPT)
        pdf.drawImage(str(picture), 72, 300, image.width / 2, image.height / 2)
        pdf.save()

    return make


def _image_object(writer: PdfWriter, image: Image.Image, **entries: object) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(image.tobytes())
    stream.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image")})
    stream.update({NameObject("/Width"): NumberObject(image.width), NameObject("/Height"): NumberObject(image.height)})
    stream.update(
        {NameObject("/ColorSpace"): NameObject("/DeviceGray"), NameObject("/BitsPerComponent"): NumberObject(8)}
    )
    stream.update({NameObject(f"/{k}"): v for k, v in entries.items()})
    return writer._add_object(stream.flate_encode())


def _soft_mask(path: Path) -> None:
    """A black picture whose soft mask has the shape of the name: its pixels alone are all black."""
    writer = _base(path)
    shape = _name_picture(0)
    mask = _image_object(writer, shape.point(lambda v: 255 - v))
    black = _image_object(writer, Image.new("L", shape.size, 0), SMask=mask)
    _resources(writer)[NameObject("/XObject")] = DictionaryObject({NameObject("/Im9"): black})
    _append(writer, b"q 350 0 0 60 72 400 cm /Im9 Do Q")
    writer.write(str(path))


def _pattern_picture(path: Path) -> None:
    """The picture of the name painted as a tiling pattern: not an image of the page."""
    writer = _base(path)
    picture = _image_object(writer, _name_picture(0))
    pattern = DecodedStreamObject()
    pattern.set_data(b"q 350 0 0 60 0 0 cm /Im9 Do Q")
    numbers = {"/PatternType": 1, "/PaintType": 1, "/TilingType": 1, "/XStep": 350, "/YStep": 60}
    pattern.update({NameObject(k): NumberObject(v) for k, v in numbers.items()})
    pattern[NameObject("/BBox")] = ArrayObject([NumberObject(v) for v in (0, 0, 350, 60)])
    pattern[NameObject("/Matrix")] = ArrayObject([NumberObject(v) for v in (1, 0, 0, 1, 72, 400)])
    xobjects = DictionaryObject({NameObject("/Im9"): picture})
    pattern[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    patterns = DictionaryObject({NameObject("/P9"): writer._add_object(pattern)})
    _resources(writer)[NameObject("/Pattern")] = patterns
    _append(writer, b"q /Pattern cs /P9 scn 72 400 350 60 re f Q")
    writer.write(str(path))


def _xfa(path: Path) -> None:
    """An XFA form whose data set holds the name and address: XML no page draws."""
    writer = _base(path)
    xml = DecodedStreamObject()
    xml.set_data(f"<xdp:xdp><xfa:datasets><claimant>{NAME}, 14 Elm Road</claimant></xfa:datasets></xdp:xdp>".encode())
    form = DictionaryObject({NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): writer._add_object(xml)})
    writer.root_object[NameObject("/AcroForm")] = form
    writer.write(str(path))


def _picture_docx(path: Path) -> None:
    import docx
    from docx.shared import Inches

    picture = path.with_suffix(".png")
    _name_picture(0).save(picture)
    document = docx.Document()
    document.add_paragraph(KEPT)
    document.add_picture(str(picture), width=Inches(3))
    document.save(str(path))


def _outlined_and_invisible_text(path: Path) -> None:
    """The outlines again, with the name also as invisible text (render mode 3) lower down: the
    redactor removes that text; the shapes must not be vouched for by it."""
    _outlined(path)
    writer = PdfWriter(clone_from=str(path))
    _append(writer, f"BT /F1 18 Tf 3 Tr 72 200 Td ({NAME}, 14 Elm Road) Tj ET".encode())  # away from the shapes
    writer.write(str(path))


def _outlined(path: Path) -> None:
    """The name drawn as filled glyph outlines (text converted to curves), on a page with text."""
    from fontTools.pens.basePen import BasePen
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_path("DejaVuSans")))
    glyphs, cmap, scale = font.getGlyphSet(), font.getBestCmap(), 18 / font["head"].unitsPerEm
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, KEPT)
    outline = pdf.beginPath()
    advance = 0.0

    class Pen(BasePen):  # type: ignore[misc]
        def _at(self, pt: tuple[float, float]) -> tuple[float, float]:
            return 72 + (advance + pt[0]) * scale, 600 + pt[1] * scale

        def _moveTo(self, pt: tuple[float, float]) -> None:
            outline.moveTo(*self._at(pt))

        def _lineTo(self, pt: tuple[float, float]) -> None:
            outline.lineTo(*self._at(pt))

        def _curveToOne(self, a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> None:
            outline.curveTo(*self._at(a), *self._at(b), *self._at(c))

        def _closePath(self) -> None:
            outline.close()

    for ch in f"{NAME}, 14 Elm Road":
        glyph = glyphs[cmap[ord(ch)]]
        glyph.draw(Pen(glyphs))
        advance += glyph.width
    pdf.drawPath(outline, stroke=0, fill=1)
    pdf.save()


SOURCES: dict[str, tuple[str, Make]] = {
    "text-as-outlines": (".pdf", _outlined),
    "outlines-and-invisible-text": (".pdf", _outlined_and_invisible_text),
    "letter-spaced": (".pdf", _letter_spaced),
    "look-alike-letters": (".pdf", _lookalike_letters),
    "glyphs-in-reverse-order": (".pdf", _reversed_glyphs),
    "glyphs-moved-back-in-one-TJ": (".pdf", _moved_back),
    "tounicode-contradicts-glyphs": (".pdf", _lying_map),
    "picture-turned-sideways": (".pdf", _picture_pdf(90)),
    "picture-in-a-docx": (".docx", _picture_docx),
    "picture-in-a-soft-mask": (".pdf", _soft_mask),
    "xfa-form-data": (".pdf", _xfa),
}
REFUSED: dict[str, tuple[str, Make]] = {
    "picture-slanted": (".pdf", _picture_pdf(7)),
    "picture-in-a-pattern": (".pdf", _pattern_picture),
    "lying-map-no-ocr": (".pdf", _lying_map),
    "actual-text-hides-the-name-from-pdfium": (".pdf", _actual_text),
    "actual-text-hides-coded-glyphs-from-pdfium": (".pdf", _coded_actual_text),
}
VISUAL = {
    "outlines-and-invisible-text",
    "text-as-outlines",
    "picture-in-a-soft-mask",
    "tounicode-contradicts-glyphs",
    "picture-turned-sideways",
    "picture-in-a-docx",
}


def _project(folder: Path, kind: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    suffix, make = {**SOURCES, **REFUSED}[kind]
    source = folder / f"source{suffix}"
    make(source)
    project = folder / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "D", "--title", "Exhibit"]) == 0
    assert main(["register", str(project), "add-person", NAME, "--pseudonym", "AB"]) == 0
    assert main(["register", str(project), "add-term", "14 Elm Road", "--category", "address"]) == 0
    return project


def _build(project: Path, out: Path, *extra: str) -> int:
    return main(["build", str(project), "-o", str(out), "--cache-dir", str(project.parent / "cache"), *extra])


def _pdftotext(pdf: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pdfminer(pdf: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(pdf))


def _pypdf(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def _qpdf_raw(pdf: Path) -> str:
    """Every object of the file, streams uncompressed, as qpdf writes them out."""
    require(shutil.which("qpdf") is not None, "qpdf")
    flat = pdf.with_suffix(".qdf.pdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(flat)], check=False)
    return flat.read_bytes().decode("latin-1")


def _tesseract(pdf: Path) -> str:
    """Tesseract (its own page layout, which reads sideways lines) on poppler's 150 dpi pages."""
    require(shutil.which("tesseract") is not None and shutil.which("pdftoppm") is not None, "tesseract, pdftoppm")
    pages = pdf.parent / f"{pdf.stem}-pages"
    pages.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(pages / "p")], check=True)
    run = [
        subprocess.run(["tesseract", str(png), "-"], capture_output=True, text=True) for png in sorted(pages.iterdir())
    ]
    return "\n".join(r.stdout for r in run)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, Path]]:
    """Each attack built once, as a paralegal would (OCR on when Tesseract is there)."""
    require(shutil.which("tesseract") is not None, "tesseract")
    results = {}
    for kind in SOURCES:
        folder = tmp_path_factory.mktemp(kind)
        out = folder / "public.pdf"
        results[kind] = (_build(_project(folder, kind), out), out)
    return results


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_the_public_bundle_shows_no_protected_name(built: dict[str, tuple[int, Path]], kind: str) -> None:
    code, out = built[kind]
    assert code == ExitCode.OK
    readings = {"pdftotext": _pdftotext(out), "pdfminer.six": _pdfminer(out), "pypdf": _pypdf(out)}
    readings["qpdf --qdf"] = _qpdf_raw(out)
    if kind in VISUAL:
        readings["tesseract"] = _tesseract(out)
    for reader, text in readings.items():
        found = [p for p in PROTECTED if p in _flat(text)]
        assert not found, f"{reader} reads {found} in the public bundle"
    if kind not in VISUAL:  # text that was text stays text, the name replaced by its pseudonym
        assert "groundsofclaim" in _flat(readings["pdftotext"]) and "AB" in readings["pdftotext"]


@pytest.mark.parametrize("kind", ["picture-slanted", "picture-in-a-pattern"])
def test_a_picture_ocr_of_the_page_cannot_place_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """The picture alone reads "Farida"/"Khanum"; OCR of the whole page misreads them, so
    nothing was boxed: refused, naming the page. (A Tesseract that reads the page well
    enough boxes the name instead: then the bundle must show none of it.)"""
    require(shutil.which("tesseract") is not None, "tesseract")
    out = tmp_path / "public.pdf"
    code = _build(_project(tmp_path, kind), out)
    error = capsys.readouterr().err
    if code == ExitCode.OK:
        assert not [p for p in PROTECTED if p in _flat(_tesseract(out))]
        return
    assert code == ExitCode.LEAK and not out.exists()
    assert "page 1" in error and "draw a box over it by hand" in error and "Khanum" not in error


@pytest.mark.parametrize(
    "kind",
    [
        "letter-spaced",
        "look-alike-letters",
        "glyphs-in-reverse-order",
        "glyphs-moved-back-in-one-TJ",
        "tounicode-contradicts-glyphs",
    ],
)
def test_with_the_redactor_off_the_gate_stops_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    import bundler.core.anonymise.pdf.redact as pdf_redact
    import bundler.core.build.pipeline as pipeline

    def copy(src, dst, targets, boxes=(), **kw):  # type: ignore[no-untyped-def]
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)
    monkeypatch.setattr(pipeline, "legible_prepared", lambda ctx, jobs, prepared: prepared)
    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, kind), out, "--no-ocr") == ExitCode.LEAK
    assert not out.exists()


def test_look_alike_letters_read_as_the_name_only_when_read_as_latin(tmp_path: Path) -> None:
    """Guards the source: every reader extracts the name in its other scripts, once per form."""
    source = tmp_path / "source.pdf"
    _lookalike_letters(source)
    for text in (_pdftotext(source), _pdfminer(source), _pypdf(source)):
        assert _flat(text).count("faridakhanum") == len(DISGUISED)
        assert not [word for word in PROTECTED if word in text.casefold()]


def test_a_picture_is_read_in_every_orientation(tmp_path: Path) -> None:
    from bundler.core.anonymise.pdf.images import ImageReader

    reader = ImageReader(tmp_path)
    require(reader.available, "tesseract")
    for angle in (90, 180, 270):
        assert "khanum" in _flat(reader.text(_name_picture(angle))), angle


@pytest.mark.parametrize(
    "kind", ["actual-text-hides-the-name-from-pdfium", "actual-text-hides-coded-glyphs-from-pdfium"]
)
def test_a_name_only_pypdf_reads_is_refused_asking_for_a_box_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """PDFium, which places the boxes, reads "Someone"; pypdf reads the name. Never made a
    picture with the name unboxed: refused, naming the page, asking for a box drawn by hand
    (by redaction when its read-back finds the page suspect, else by the leak gate)."""
    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, kind), out, "--no-ocr") == ExitCode.LEAK
    error = capsys.readouterr().err
    assert not out.exists() and "Khanum" not in error and "Farida" not in error
    assert re.search(r"page(\(s\))? \d+ .*draw a box over it by hand", error), error


def test_text_that_cannot_be_read_with_ocr_off_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Made a picture and never read, the name would be in the bundle unseen: the build stops."""
    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, "lying-map-no-ocr"), out, "--no-ocr") == ExitCode.LEAK
    error = capsys.readouterr().err
    assert not out.exists() and "page(s) 1" in error and "OCR" in error and "Khanum" not in error
