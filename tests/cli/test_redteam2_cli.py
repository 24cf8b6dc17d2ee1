"""Second red team: a protected name the public bundle still shows, though the gate passed it.

Each source hides "Farida Khanum" where the gate does not look, or in a form it does not
read as the name; each is built through the real CLI (``--no-ocr``), and the bundle read
back with the reader that found the name there. Four classes:

- Plain text drawn in pieces: "Far", then a line elsewhere on the page, then "ida Kha" just
  after "Far", another line, then "num …". ``pdftotext`` reads the line as it is shown,
  "Farida Khanum"; the redactor and the gate read the pieces apart and pass the page.

- Text in binary data that is not ASCII. The gate reads image bytes, ICC profiles and other
  binary streams only as runs of printable ASCII, so the name in UTF-16 (a JPEG 2000 box,
  an ICC profile's ``mluc`` text, samples of a picture or of its soft mask, a JPEG's
  entropy-coded data) or with Latin-1 accents passes; ``strings -e b`` / ``-e l`` and a
  grep of qpdf's uncompressed file find it.
- Letters the fold does not know. Variation selectors and the combining grapheme joiner
  are marks of combining class 0 and draw nothing, so "Fari\\uFE0Fda" prints "Farida" but
  stays unfolded; APL's alpha and iota, r with fishhook and Tai Le's nga and pa print as
  a, i, r, n, u; and 188 Latin letters with a hook, tail, curl, descender… ("ɗ", "ɦ") are
  left whole though "đ" folds to d. The page text and, through the file name, the index and the bookmarks show
  the name; ``pdftotext`` gives it, read as a person reads it (``_as_shown``).
  A right-to-left override in a file name ("\u202emunahK adiraF") is read backwards by the
  gate and shown as "Farida Khanum" by a viewer's bookmark panel.
- Pictures not read without OCR: a page whose ToUnicode map lies is made a picture that
  shows the name, and a scanned page shows it; both builds pass with ``--no-ocr`` (and no
  warning says the scan was not searched); Tesseract reads the name.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, NumberObject
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.anonymise.jpeg import jpeg_parts
from bundler.core.errors import ExitCode
from tests.cli.attack_helpers import draw_on_first_page
from tests.conftest import require

NAME = "Farida Khanum"
KEPT = "The grounds of claim follow below."
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# What a reader sees: these letters print as the Latin ones (APL alpha and iota, r with
# fishhook, Tai Le nga and pa); marks and format characters print nothing of their own.
_OVERRIDE = re.compile("\u202e([^\u202c\n]*)\u202c?")  # RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING
_WITH = re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH ")
_PRINTS_AS = str.maketrans({"\u237a": "a", "\u2373": "i", "\u027e": "r", "\u1952": "n", "\u1959": "u"})


def _blank_page(path: Path, font: str = "Helvetica", text: str = KEPT, size: int = 12) -> PdfWriter:
    pdf = Canvas(str(path))
    pdf.setFont(font, size)
    pdf.drawString(72, 700, text)
    pdf.save()
    return PdfWriter(clone_from=str(path))


def _image(
    data: bytes, width: int, height: int, space: object, bits: int = 8, codec: str | None = None
) -> DecodedStreamObject:
    image = DecodedStreamObject()
    image.set_data(data)
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): space if not isinstance(space, str) else NameObject(space),
            NameObject("/BitsPerComponent"): NumberObject(bits),
        }
    )
    if codec is None:
        return image.flate_encode()
    image[NameObject("/Filter")] = NameObject(codec)
    return image


def _show(writer: PdfWriter, image: DecodedStreamObject, path: Path) -> None:
    draw_on_first_page(writer, b"q 240 0 0 160 72 400 cm /Im7 Do Q", {"/Im7": writer._add_object(image)})
    writer.write(str(path))


def _pdf_with(make: Callable[[PdfWriter], DecodedStreamObject]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / "source.pdf"
        writer = _blank_page(path)
        _show(writer, make(writer), path)
        return path

    return build


def _rows(text: bytes, height: int = 8) -> tuple[bytes, int]:
    row = b"\0\0" + text + b"\0\0"
    return row * height, len(row)


def _samples(encoding: str) -> Callable[[PdfWriter], DecodedStreamObject]:
    """A grey Flate image whose sample rows are the name in ``encoding`` (accented in Latin-1)."""

    def make(writer: PdfWriter) -> DecodedStreamObject:
        text = NAME.replace("a", "\u00e1") if encoding == "latin-1" else NAME
        data, width = _rows(text.encode(encoding))
        return _image(data, width, 8, "/DeviceGray")

    return make


def _soft_mask_utf16(writer: PdfWriter) -> DecodedStreamObject:
    data, width = _rows(NAME.encode("utf-16-be"))
    image = _image(bytes(range(256)) * 4, 256, 4, "/DeviceGray")
    image[NameObject("/SMask")] = writer._add_object(_image(data, width, 8, "/DeviceGray"))
    return image


def _jpeg_scan_utf16(writer: PdfWriter) -> DecodedStreamObject:
    """The name in UTF-16 inside a JPEG's entropy-coded data: still one scan, still drawn."""
    out = io.BytesIO()
    Image.effect_noise((240, 160), 40).convert("RGB").save(out, "JPEG", quality=80)
    jpeg = out.getvalue()
    scan = next(p for p in jpeg_parts(jpeg) if p.kind == "scan")
    middle = (scan.start + scan.end) // 2
    while jpeg[middle - 1] == 0xFF:
        middle += 1
    return _image(jpeg[:middle] + NAME.encode("utf-16-be") + jpeg[middle:], 240, 160, "/DeviceRGB", codec="/DCTDecode")


def _jpx_box(kind: bytes, payload: bytes) -> Callable[[PdfWriter], DecodedStreamObject]:
    """A JPEG 2000 image with one more box after its file-type box."""

    def make(writer: PdfWriter) -> DecodedStreamObject:
        out = io.BytesIO()
        Image.effect_noise((64, 64), 40).convert("L").save(out, "JPEG2000")
        jp2 = out.getvalue()
        at = 12 + int.from_bytes(jp2[12:16], "big")
        jp2 = jp2[:at] + struct.pack(">I", 8 + len(payload)) + kind + payload + jp2[at:]
        return _image(jp2, 64, 64, "/DeviceGray", codec="/JPXDecode")

    return make


def _mluc(text: str) -> bytes:
    """An ICC multiLocalizedUnicode tag: one English record, UTF-16BE."""
    utf16 = text.encode("utf-16-be")
    return b"mluc" + bytes(4) + struct.pack(">II", 1, 12) + b"enUS" + struct.pack(">II", len(utf16), 28) + utf16


def _icc_profile() -> bytes:
    """A grey ICC v4 profile whose description and copyright name the person."""
    white = b"XYZ " + bytes(4) + struct.pack(">iii", 63190, 65536, 54061)
    tags = [
        (b"desc", _mluc(NAME)),
        (b"cprt", _mluc("Copyright " + NAME)),
        (b"wtpt", white),
        (b"kTRC", b"curv" + bytes(8)),
    ]
    offset, table, body = 128 + 4 + 12 * len(tags), struct.pack(">I", len(tags)), b""
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = struct.pack(">I", 128 + len(table) + len(body)) + b"none" + bytes([4, 0x20, 0, 0]) + b"mntrGRAYXYZ "
    header = (header + bytes(12) + b"acsp").ljust(68, b"\0") + struct.pack(">iii", 63190, 65536, 54061)
    return header.ljust(128, b"\0") + table + body


def _icc_based(writer: PdfWriter) -> DecodedStreamObject:
    profile = DecodedStreamObject()
    profile.set_data(_icc_profile())
    profile[NameObject("/N")] = NumberObject(1)
    space = ArrayObject([NameObject("/ICCBased"), writer._add_object(profile.flate_encode())])
    return _image(bytes(range(256)) * 16, 256, 16, space)


def _text_pdf(text: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        pdfmetrics.registerFont(TTFont("DejaVuRT2", str(_DEJAVU)))
        path = folder / "source.pdf"
        _blank_page(path, "DejaVuRT2", f"Statement of {text} dated today.", 14)
        return path

    return build


def _interleaved(between: list[tuple[int, str]]) -> Callable[[Path], Path]:
    """One line, "Statement of Farida Khanum dated today.", drawn in pieces that split each
    word, each next piece placed just after the last, with another line drawn in between."""

    def build(folder: Path) -> Path:
        path = folder / "source.pdf"
        pdf = Canvas(str(path))
        pdf.setFont("Helvetica", 12)
        pieces, x = ["Statement of Far", "ida Kha", "num dated today."], 72.0
        for piece, (y, other) in zip(pieces, [*between, (0, "")], strict=True):
            pdf.drawString(x, 700, piece)
            x += stringWidth(piece, "Helvetica", 12)
            if other:
                pdf.drawString(72, y, other)
        pdf.save()
        return path

    return build


def _text_docx(text: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        import docx

        document = docx.Document()
        document.add_paragraph(f"Statement of {text} dated today.")
        path = folder / "source.docx"
        document.save(str(path))
        return path

    return build


def _file_named(text: str) -> Callable[[Path], Path]:
    """The document's title, hence its index row and bookmark, comes from its file name."""

    def build(folder: Path) -> Path:
        path = folder / f"Statement of {text}.pdf"
        _blank_page(path)
        return path

    return build


def _scan(folder: Path) -> Path:
    """A page that is only a picture of the name, as a scanner makes it."""
    picture = Image.new("L", (1200, 200), 255)
    font = ImageFont.truetype(str(_DEJAVU), 72)
    ImageDraw.Draw(picture).text((20, 40), f"Statement of {NAME}", fill=0, font=font)
    path = folder / "source.pdf"
    pdf = Canvas(str(path))
    pdf.drawImage(ImageReader(picture), 72, 500, 450, 75)
    pdf.save()
    return path


def _tounicode_lie(folder: Path) -> Path:
    """The glyphs draw the name; the ToUnicode map says each of its letters is an x."""
    pdfmetrics.registerFont(TTFont("DejaVuRT2", str(_DEJAVU)))
    path = folder / "source.pdf"
    writer = _blank_page(path, "DejaVuRT2", f"Statement of {NAME} today", 24)
    for number in range(1, len(writer._objects) + 1):
        cmap = writer.get_object(number)
        if hasattr(cmap, "get_data") and b"beginbfchar" in cmap.get_data():
            lie = rb"(<[0-9A-Fa-f]{2}> )<00(?:46|61|72|69|64|4B|68|6E|75|6D)>"
            cmap.set_data(re.sub(lie, rb"\1<0078>", cmap.get_data()))
    writer.write(str(path))
    return path


def _qpdf_bytes(pdf: Path) -> bytes:
    require(shutil.which("qpdf") is not None, "qpdf")
    flat = pdf.with_name(pdf.stem + ".qdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(flat)], check=False)
    return flat.read_bytes()


def _utf16(pdf: Path) -> str:
    """qpdf's uncompressed file as UTF-16 both ways, at both byte alignments (``strings -e b/l``)."""
    data = _qpdf_bytes(pdf)
    return "\n".join(data[i:].decode(c, "replace") for i in (0, 1) for c in ("utf-16-be", "utf-16-le"))


def _latin1_unaccented(pdf: Path) -> str:
    """qpdf's uncompressed file as Latin-1 with the accents dropped ("Fárida" is Farida)."""
    text = unicodedata.normalize("NFKD", _qpdf_bytes(pdf).decode("latin-1"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _as_shown(text: str) -> str:
    """Text as a person reads it: a right-to-left override shown reversed (as a viewer's bookmark
    panel shows it), NFKC, what draws nothing dropped, look-alikes Latin."""
    text = _OVERRIDE.sub(lambda m: m.group(1)[::-1], text)
    text = unicodedata.normalize("NFKC", text).translate(_PRINTS_AS)
    return "".join(_base_letter(ch) for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def _base_letter(ch: str) -> str:
    """A Latin letter with a hook, tail, curl… read as the letter: "ɗ" is a d, as "đ" is."""
    found = _WITH.match(unicodedata.name(ch, ""))
    return found.group(1) if found else ch


def _pdftotext(pdf: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=False).stdout.decode()
    return _as_shown(text)


def _outline(pdf: Path) -> str:
    titles: list[str] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(PdfReader(pdf).outline)
    return _as_shown("\n".join(titles))


def _ocr(pdf: Path) -> str:
    require(shutil.which("pdftoppm") is not None and shutil.which("tesseract") is not None, "pdftoppm, tesseract")
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    pages = sorted(pdf.parent.glob(pdf.stem + "-*.png"))
    return "\n".join(subprocess.run(["tesseract", str(p), "-"], capture_output=True).stdout.decode() for p in pages)


Reader = Callable[[Path], str]
SOURCES: dict[str, tuple[Callable[[Path], Path], Reader]] = {
    "flate-samples-utf16le": (_pdf_with(_samples("utf-16-le")), _utf16),
    "flate-samples-latin1-accented": (_pdf_with(_samples("latin-1")), _latin1_unaccented),
    "soft-mask-samples-utf16be": (_pdf_with(_soft_mask_utf16), _utf16),
    "jpeg-entropy-data-utf16be": (_pdf_with(_jpeg_scan_utf16), _utf16),
    "jpx-uuid-box-utf16be": (_pdf_with(_jpx_box(b"uuid", bytes(16) + NAME.encode("utf-16-be"))), _utf16),
    "jpx-xml-box-utf16-no-bom": (_pdf_with(_jpx_box(b"xml ", f"<x>{NAME}</x>".encode("utf-16-be"))), _utf16),
    "icc-profile-mluc-description": (_pdf_with(_icc_based), _utf16),
    "page-text-variation-selector": (_text_pdf("Fari\ufe0fda Kha\ufe0fnum"), _pdftotext),
    "page-text-grapheme-joiner": (_text_pdf("Far\u034fida Kha\u034fnum"), _pdftotext),
    "page-text-pieces-between-lines-below": (
        _interleaved([(600, "The grounds of claim follow below."), (500, "Another paragraph.")]),
        _pdftotext,
    ),
    "page-text-pieces-between-lines-above": (_interleaved([(720, "A heading"), (740, "A title")]), _pdftotext),
    "page-text-letters-with-hooks": (_text_pdf("Fa\u027di\u0257a K\u0266anu\u0271"), _pdftotext),
    "page-text-apl-alpha-iota": (_text_pdf("F\u237ar\u2373da Kh\u237anum"), _pdftotext),
    "page-text-fishhook-r-tai-le": (_text_pdf("Fa\u027eida Kha\u1952\u1959m"), _pdftotext),
    "docx-text-apl-alpha-iota": (_text_docx("F\u237ar\u2373da Kh\u237anum"), _pdftotext),
    "docx-text-fishhook-r-tai-le": (_text_docx("Fa\u027eida Kha\u1952\u1959m"), _pdftotext),
    "file-name-variation-selector-index": (_file_named("Fari\ufe0fda Kha\ufe0fnum"), _pdftotext),
    "file-name-variation-selector-bookmark": (_file_named("Fari\ufe0fda Kha\ufe0fnum"), _outline),
    "file-name-apl-alpha-iota-bookmark": (_file_named("F\u237ar\u2373da Kh\u237anum"), _outline),
    "file-name-right-to-left-override-bookmark": (_file_named("\u202emunahK adiraF"), _outline),
    "tounicode-lie-page-made-a-picture": (_tounicode_lie, _ocr),
    # Controls: the same readers on the name in plain ASCII, which the build does clean.
    "control-flate-samples-ascii": (_pdf_with(_samples("ascii")), _latin1_unaccented),
    "control-page-text-plain": (_text_pdf(NAME), _pdftotext),
    "control-page-text-plain-ocr": (_text_pdf(NAME), _ocr),
}


def _shows_the_name(text: str) -> bool:
    flat = re.sub(r"[\s\-]+", "", text).casefold()
    return "farida" in flat or "khanum" in flat


def _project(folder: Path, source: Path) -> Path:
    project = folder / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "D"]) == 0
    assert main(["register", str(project), "add-person", NAME, "--pseudonym", "AB"]) == 0
    return project


# Leaks still open (strict: a fix makes these fail until the mark goes).
KNOWN = {
    "flate-samples-latin1-accented": "image bytes are not read as Latin-1 letters: 4x the gate's cost on scans",
}


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_no_reader_finds_the_name_in_a_bundle_the_gate_passed(
    tmp_path: Path, kind: str, request: pytest.FixtureRequest
) -> None:
    if kind in KNOWN:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN[kind]))
    build, reader = SOURCES[kind]
    source = build(tmp_path)
    project = _project(tmp_path, source)
    if source.suffix == ".pdf" and reader is not _outline and not kind.startswith("file-name"):
        assert _shows_the_name(reader(source)), "the attack: the reader finds the name in the source"
    out = tmp_path / "out" / "public.pdf"
    out.parent.mkdir()
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache"), "--no-ocr"])
    assert code in (ExitCode.OK, ExitCode.LEAK), f"the build failed for another reason (exit {code})"
    if code == ExitCode.LEAK:
        return  # the gate refused the bundle: nothing leaked
    assert not _shows_the_name(reader(out)), f"{kind}: the gate passed a bundle whose reader shows the name"


def test_a_scan_built_without_ocr_is_named_and_the_gate_says_it_did_not_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With OCR off the scan's pixels are not searched (the user chose it): the build must say
    so, page by page, and the gate's verdict must not read as if the scan had been checked.
    The redactor says which pages have no text as it reads them (no second reading), and a
    rebuild from the cache says the same."""
    project = _project(tmp_path, _scan(tmp_path))
    out, report = tmp_path / "out" / "public.pdf", tmp_path / "report.json"
    out.parent.mkdir()
    monkeypatch.setattr("bundler.core.ocr.stage.pages_without_text", _no_second_reading)
    for _ in range(2):  # a first build, then a rebuild from the cache
        code = main(
            ["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "c"), "--no-ocr"]
            + ["--json", str(report)]
        )
        assert code == ExitCode.OK
        built = json.loads(report.read_text(encoding="utf-8"))
        assert [w for w in built["warnings"] if "no text layer and OCR is off" in w and "(1)" in w]
        assert built["leak_gate"].endswith("(but 1 page without text not read: OCR is off)")


def _no_second_reading(*_args: object) -> list[int]:
    raise AssertionError("the pages without text were read again")
