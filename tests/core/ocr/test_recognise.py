"""OCR of scanned pages (PRODUCT.md §2.12), read back with pypdfium2 and pypdf.

The scans are drawn here with PIL (text as pixels in a JPEG) and placed with
reportlab, so we know where each word is in the image; the tests check that the
recognised text lands over those pixels, as the page is viewed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, RectangleObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from bundler.core.assets import font_path
from bundler.core.errors import Cancelled, PasswordError, SourceError
from bundler.core.fsutil import sha256_file
from bundler.core.ocr.recognise import find_tesseract, ocr_pdf, pages_without_text
from bundler.core.ocr.tesseract import ocr_remedy
from tests.conftest import require

SENTENCE = "Witness statement of the claimant dated 9 September 2019"
KEY_WORDS = ("witness", "statement", "claimant", "september", "2019")
DPI = 200  # of the fake scans
CROP = (40.0, 300.0, 560.0, 800.0)
CROP_180 = (20.0, 20.0, 580.0, 780.0)  # the word stays inside it when the page is turned
Box = tuple[float, float, float, float]


def _scan(viewed: tuple[float, float]) -> tuple[Image.Image, Box]:
    """An image of the sentence at ``viewed`` size, and where 'Witness' is (viewed points)."""
    w_px, h_px = round(viewed[0] * DPI / 72), round(viewed[1] * DPI / 72)
    image = Image.new("L", (w_px, h_px), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(font_path("DejaVuSans")), 40)
    draw.text((150, 300), SENTENCE, font=font, fill=0)
    x0, y0, x1, y1 = draw.textbbox((150, 300), "Witness", font=font)
    sx, sy = viewed[0] / w_px, viewed[1] / h_px
    return image, (x0 * sx, viewed[1] - y1 * sy, x1 * sx, viewed[1] - y0 * sy)


def _jpeg(image: Image.Image) -> ImageReader:
    data = io.BytesIO()
    image.save(data, "JPEG", quality=85)
    data.seek(0)
    return ImageReader(data)


def make_scans(path: Path) -> tuple[Path, list[Box]]:
    """Scans as viewed: upright; landscape stored portrait with /Rotate 90; cropped, with content
    that leaves the matrix changed; landscape with /Rotate 270; upside down with /Rotate 180 and
    a CropBox. Then a typed page. Returns where 'Witness' shows on each scan (viewed points)."""
    portrait, where = _scan(A4)
    landscape, where_landscape = _scan((A4[1], A4[0]))
    pdf = Canvas(str(path), pagesize=A4)
    stored = (
        portrait,
        landscape.rotate(90, expand=True),
        portrait,  # PIL turns anticlockwise
        landscape.rotate(-90, expand=True),
        portrait.rotate(180),
    )
    for image in stored:
        pdf.drawImage(_jpeg(image), 0, 0, *A4)
        pdf.showPage()
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 700, "A typed page that already has text")
    pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=str(path))
    writer.pages[1].rotate(90)
    writer.pages[2][NameObject("/CropBox")] = RectangleObject(CROP)
    _leave_matrix_changed(writer, 2)
    writer.pages[3].rotate(270)
    writer.pages[4].rotate(180)
    writer.pages[4][NameObject("/CropBox")] = RectangleObject(CROP_180)
    writer.write(str(path))
    return path, [
        where,
        where_landscape,
        _shift(where, CROP[0], CROP[1]),
        where_landscape,
        _shift(where, A4[0] - CROP_180[2], A4[1] - CROP_180[3]),
    ]


def _leave_matrix_changed(writer: PdfWriter, index: int) -> None:
    """End the page's content with a changed matrix and no q/Q: the text must not inherit it."""
    stream = DecodedStreamObject()
    stream.set_data(b"0.5 0 0 0.5 100 100 cm")
    page = writer.pages[index]
    contents = page.raw_get("/Contents")
    items = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([*items, writer._add_object(stream)])


def _shift(box: Box, dx: float, dy: float) -> Box:
    return (box[0] - dx, box[1] - dy, box[2] - dx, box[3] - dy)


def viewed_boxes(doc: pdfium.PdfDocument, index: int) -> list[tuple[str, Box]]:
    """Each character's box in viewed coordinates (origin: viewed bottom-left of the crop box)."""
    page = doc[index]
    text, rotation = page.get_textpage(), page.get_rotation()
    left, bottom, right, top = page.get_cropbox()
    w, h = right - left, top - bottom
    turn = {
        0: lambda x, y: (x, y),
        90: lambda x, y: (y, w - x),
        180: lambda x, y: (w - x, h - y),
        270: lambda x, y: (h - y, x),
    }[rotation]
    out = []
    for i in range(text.count_chars()):
        x0, y0, x1, y1 = text.get_charbox(i)
        (ax, ay), (bx, by) = turn(x0 - left, y0 - bottom), turn(x1 - left, y1 - bottom)
        out.append((text.get_text_range(i, 1), (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))))
    return out


def _word_box(chars: list[tuple[str, Box]], word: str) -> Box:
    text = "".join(c for c, _ in chars).lower()
    start = text.index(word.lower())
    boxes = [b for _, b in chars[start : start + len(word)]]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _render(path: Path, index: int) -> Image.Image:
    doc = pdfium.PdfDocument(str(path))
    try:
        return doc[index].render(scale=100 / 72).to_pil().convert("L")
    finally:
        doc.close()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Box], object, str]:
    require(find_tesseract() is not None, "Tesseract OCR (tesseract-ocr, tesseract-ocr-eng)")
    folder = tmp_path_factory.mktemp("ocr")
    src, where = make_scans(folder / "scan.pdf")
    digest = sha256_file(src)
    report = ocr_pdf(src, folder / "searchable.pdf")
    return src, folder / "searchable.pdf", where, report, digest


def test_scanned_pages_become_searchable_with_both_readers(scanned):
    src, out, _, report, _ = scanned
    assert pages_without_text(src) == [0, 1, 2, 3, 4]
    assert pages_without_text(out) == []
    doc = pdfium.PdfDocument(str(out))
    reader = PdfReader(out)
    for index in range(5):
        by_pdfium = doc[index].get_textpage().get_text_range().lower()
        by_pypdf = reader.pages[index].extract_text().lower()
        for word in KEY_WORDS:
            assert word in by_pdfium and word in by_pypdf, (index, word, by_pdfium, by_pypdf)


def test_the_text_lies_over_the_words_in_the_image_as_viewed(scanned):
    _, out, where, _, _ = scanned
    doc = pdfium.PdfDocument(str(out))
    tolerance = 4.0
    for index, (x0, y0, x1, y1) in enumerate(where):
        bx0, by0, bx1, by1 = _word_box(viewed_boxes(doc, index), "Witness")
        assert x0 - tolerance <= bx0 < bx1 <= x1 + tolerance, (index, (bx0, bx1), (x0, x1))
        assert y0 - tolerance <= by0 < by1 <= y1 + tolerance, (index, (by0, by1), (y0, y1))
        assert bx1 - bx0 > (x1 - x0) / 2  # covers the word, not a sliver of it


def test_pages_look_exactly_as_before(scanned):
    src, out, _, _, _ = scanned
    for index in range(6):
        before, after = _render(src, index), _render(out, index)
        assert before.size == after.size
        assert ImageChops.difference(before, after).getbbox() is None, index


def test_pages_with_text_and_the_source_are_untouched(scanned):
    src, out, _, report, digest = scanned
    assert sha256_file(src) == digest
    assert report.pages == [0, 1, 2, 3, 4] and report.output == out
    old, new = PdfReader(src).pages[5], PdfReader(out).pages[5]
    assert new.get_contents().get_data() == old.get_contents().get_data()
    assert "/XObject" not in new["/Resources"]
    assert new.extract_text().strip() == "A typed page that already has text"
    assert [p.rotation for p in PdfReader(out).pages] == [0, 90, 0, 270, 180, 0]
    assert [float(v) for v in PdfReader(out).pages[2].cropbox] == list(CROP)
    assert [float(v) for v in PdfReader(out).pages[4].cropbox] == list(CROP_180)


def test_the_original_image_is_kept_not_replaced(scanned):
    src, out, _, _, _ = scanned
    for index in range(5):
        old = PdfReader(src).pages[index]["/Resources"]["/XObject"]
        new = PdfReader(out).pages[index]["/Resources"]["/XObject"]
        images = [n for n in new if new[n]["/Subtype"] == "/Image"]
        assert images == [n for n in old if old[n]["/Subtype"] == "/Image"]
        assert new[images[0]].get_data() == old[images[0]].get_data()


def test_report_counts_words_and_names_the_tesseract_version(scanned):
    _, _, _, report, _ = scanned
    assert report.available and report.tesseract_version and report.tesseract_version[0].isdigit()
    assert sorted(report.words) == [0, 1, 2, 3, 4]
    assert all(n >= len(SENTENCE.split()) - 2 for n in report.words.values()), report.words
    assert report.seconds > 0 and report.to_dict()["output"].endswith("searchable.pdf")


def test_without_tesseract_nothing_is_written_and_the_report_says_how_to_fix_it(tmp_path, monkeypatch):
    src, _ = make_scans(tmp_path / "scan.pdf")
    monkeypatch.setenv("BUNDLER_TESSERACT", str(tmp_path / "no-such-tesseract"))
    report = ocr_pdf(src, tmp_path / "out.pdf")
    assert not report.available and report.output == src and report.pages == []
    assert not (tmp_path / "out.pdf").exists()
    assert "Tesseract" in report.notes[0] and "install" in report.notes[0].lower()
    assert "Install Tesseract" in ocr_remedy()


def test_a_pdf_with_text_everywhere_needs_no_ocr(tmp_path, corpus):
    src = corpus / "real-pdfs" / "libreoffice-writer-password.pdf"
    with pytest.raises(PasswordError, match="libreoffice-writer-password.pdf"):
        pages_without_text(src)
    assert pages_without_text(src, password="openpassword") == []
    report = ocr_pdf(src, tmp_path / "out.pdf", password="openpassword")
    assert report.output == src and not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("name", ["imagemagick-CCITTFaxDecode.pdf", "imagemagick-lzw.pdf", "grayscale-image.pdf"])
def test_corpus_scans_do_not_break_it(tmp_path, corpus, name):
    require(find_tesseract() is not None, "Tesseract OCR (tesseract-ocr, tesseract-ocr-eng)")
    src = corpus / "real-pdfs" / name
    report = ocr_pdf(src, tmp_path / "out.pdf")
    assert report.available and report.words.keys() == {0}
    result = pdfium.PdfDocument(str(report.output))
    assert len(result) == len(PdfReader(src).pages)


def test_bad_requests_are_refused_with_a_clear_message(tmp_path):
    src, _ = make_scans(tmp_path / "scan.pdf")
    with pytest.raises(SourceError, match="is the source itself"):
        ocr_pdf(src, src)
    with pytest.raises(SourceError, match="has no page 9"):
        ocr_pdf(src, tmp_path / "out.pdf", pages=[8])


class _Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.stages: list[tuple[str, int]] = []
        self.steps = 0
        self.cancel_after = cancel_after

    def stage(self, name: str, total: int, unit: str = "") -> None:
        self.stages.append((name, total))

    def advance(self, steps: int = 1) -> None:
        self.steps += steps

    def cancelled(self) -> bool:
        return self.cancel_after is not None and self.steps >= self.cancel_after


def test_chosen_pages_progress_and_cancel(tmp_path):
    require(find_tesseract() is not None, "Tesseract OCR (tesseract-ocr, tesseract-ocr-eng)")
    src, _ = make_scans(tmp_path / "scan.pdf")
    progress = _Recorder()
    report = ocr_pdf(src, tmp_path / "one.pdf", pages=[2], progress=progress)
    assert report.pages == [2] and pages_without_text(tmp_path / "one.pdf") == [0, 1, 3, 4]
    assert progress.stages == [(progress.stages[0][0], 1)] and progress.steps == 1
    with pytest.raises(Cancelled):
        ocr_pdf(src, tmp_path / "cancelled.pdf", progress=_Recorder(cancel_after=0))
    assert not (tmp_path / "cancelled.pdf").exists()


def test_a_missing_language_pack_is_reported_not_raised(tmp_path):
    require(find_tesseract() is not None, "Tesseract OCR (tesseract-ocr, tesseract-ocr-eng)")
    src, _ = make_scans(tmp_path / "scan.pdf")
    report = ocr_pdf(src, tmp_path / "out.pdf", lang="eng+zzz")
    assert not report.available and report.output == src and not (tmp_path / "out.pdf").exists()
    assert "'zzz' language pack" in report.notes[0] and "tesseract-ocr-zzz" in report.notes[0]
