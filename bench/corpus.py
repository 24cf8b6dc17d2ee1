"""A deterministic benchmark corpus: the mix of files a real JR bundle is made of.

Text PDFs (reportlab, ~40 lines a page), scanned-image PDFs (a greyscale page
with text and sensor noise, embedded as JPEG at 150 dpi), and DOCX witness
statements (python-docx, several pages each). Page sizes A4, Letter and
landscape A4; some pages carry /Rotate 90/180/270, some a CropBox. Document
lengths run from 1 to 200 pages and the PDFs add up to exactly the page count
asked for. The same seed always gives the same files.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from bundler.core.assets import font_path

__all__ = ["CorpusDoc", "Corpus", "make_corpus", "document_lengths", "make_docx_statement"]

SCAN_DPI = 150
SCAN_SHARE = 0.10  # share of PDF pages that are scans
SECTIONS = "ABCEF"  # D (witness statements) is kept for the DOCX
WORDS = (  # noqa: SIM905 (a word list reads better as prose)
    "claimant defendant decision policy immigration enforcement victim data sharing police force "
    "lawful unlawful rationality proportionality article eight convention rights secretary state "
    "home office guidance paragraph statutory duty review ground challenge relief quashing order "
    "declaration disclosure witness evidence exhibit correspondence letter dated response officer "
    "safeguarding vulnerable report crime status referral protocol consultation equality impact"
).split()


@dataclass(frozen=True)
class CorpusDoc:
    path: Path
    kind: str  # pdf | scan | docx
    section: str
    pages: int  # 0 for DOCX: only the converter knows


@dataclass
class Corpus:
    docs: list[CorpusDoc]

    @property
    def pdf_pages(self) -> int:
        return sum(d.pages for d in self.docs)

    def of_kind(self, *kinds: str) -> list[CorpusDoc]:
        return [d for d in self.docs if d.kind in kinds]


def document_lengths(total: int, rng: random.Random) -> list[int]:
    """Mostly short documents with a long tail, 1 to 200 pages, summing to ``total``."""
    bands = ((1, 5, 0.40), (6, 30, 0.30), (31, 100, 0.20), (101, 200, 0.10))
    lengths: list[int] = []
    while sum(lengths) < total:
        low, high, _ = rng.choices(bands, weights=[b[2] for b in bands])[0]
        lengths.append(min(rng.randint(low, high), total - sum(lengths)))
    return lengths


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


@dataclass(frozen=True)
class PageSpec:
    media: tuple[float, float]  # MediaBox width, height in points
    rotate: int
    crop: bool


def _page_specs(count: int, rng: random.Random) -> list[PageSpec]:
    """One document's pages: a base size, a few landscape inserts, some rotation and cropping."""
    base = rng.choices([A4, letter, (A4[1], A4[0])], weights=[55, 30, 15])[0]
    whole_rotate = rng.choices([0, 90, 180, 270], weights=[88, 6, 2, 4])[0]
    cropped = rng.random() < 0.08
    specs = []
    for _ in range(count):
        media = (A4[1], A4[0]) if rng.random() < 0.03 else base
        rotate = rng.choice([90, 180, 270]) if rng.random() < 0.02 else whole_rotate
        specs.append(PageSpec((float(media[0]), float(media[1])), rotate, cropped))
    return specs


def _begin_page(pdf: canvas.Canvas, spec: PageSpec) -> None:
    # reportlab swaps width and height of the MediaBox for a quarter-turned page, so ask for the
    # swapped size to end up with the MediaBox we want
    w, h = spec.media
    pdf.setPageSize((h, w) if spec.rotate % 180 else (w, h))
    pdf.setPageRotation(spec.rotate)
    pdf.setCropBox((18, 24, w - 30, h - 20) if spec.crop else None)


def _text_page(pdf: canvas.Canvas, spec: PageSpec, font: str, rng: random.Random, heading: str) -> None:
    _begin_page(pdf, spec)
    w, h = spec.media
    pdf.setFont(font, 13)
    pdf.drawString(72, h - 60, heading)
    pdf.setFont(font, 10)
    step = (h - 150) / 40
    for line in range(40):
        pdf.drawString(72, h - 84 - line * step, _sentence(rng, max(4, int((w - 144) / 48))))
    pdf.showPage()


def _font_for(rng: random.Random) -> str:
    """Standard-14 Helvetica/Times, or an embedded TrueType subset (as Word exports give)."""
    if rng.random() < 0.35:
        if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSerif", str(font_path("DejaVuSerif"))))
        return "DejaVuSerif"
    return rng.choice(["Helvetica", "Times-Roman"])


def make_text_pdf(path: Path, count: int, rng: random.Random) -> None:
    pdf = canvas.Canvas(str(path), pageCompression=1)
    pdf.setTitle(path.stem)
    font = _font_for(rng)
    for number, spec in enumerate(_page_specs(count, rng), start=1):
        _text_page(pdf, spec, font, rng, f"{path.stem} - page {number}")
    pdf.save()


class ScanMaker:
    """Greyscale 150-dpi page images: text lines plus sensor noise, saved as JPEG."""

    def __init__(self, seed: int) -> None:
        self.font = ImageFont.truetype(str(font_path("DejaVuSerif")), 22)
        noise = np.random.default_rng(seed).normal(0, 3, (2 * 1754, 2 * 1754))
        self.noise = noise.astype(np.int16)  # cropped at a random offset for each page

    def page(self, size_px: tuple[int, int], rng: random.Random, out: Path) -> None:
        width, height = size_px
        img = Image.new("L", size_px, 242)
        draw = ImageDraw.Draw(img)
        for line in range(40):
            y = 150 + line * (height - 300) / 40
            draw.text((120, y), _sentence(rng, int(width / 150)), fill=35, font=self.font)
        x0, y0 = rng.randrange(1754), rng.randrange(1754)
        grey = np.asarray(img, dtype=np.int16) + self.noise[y0 : y0 + height, x0 : x0 + width]
        Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=50)


def make_scan_pdf(path: Path, count: int, rng: random.Random, scans: ScanMaker) -> None:
    pdf = canvas.Canvas(str(path), pageCompression=1)
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        for number, spec in enumerate(_page_specs(count, rng)):
            _begin_page(pdf, spec)
            w, h = spec.media
            jpeg = Path(tmp) / f"p{number}.jpg"  # a fresh name: reportlab caches images by name
            scans.page((round(w / 72 * SCAN_DPI), round(h / 72 * SCAN_DPI)), rng, jpeg)
            pdf.drawImage(str(jpeg), 0, 0, w, h)
            pdf.showPage()
        pdf.save()


def make_docx_statement(path: Path, rng: random.Random, number: int) -> None:
    """A witness statement of roughly 3 to 8 pages, with heading, numbered paragraphs, footer."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.sections[0].footer.paragraphs[0].text = f"Claim no. AC-2019-LON-{number:06d}"
    doc.add_heading(f"Witness statement of witness {number}", level=1)
    table = doc.add_table(rows=3, cols=2)
    facts = [("Statement no.", str(number)), ("Party", "Claimant"), ("Date", f"2019-{1 + number % 12:02d}-11")]
    for row, (key, value) in zip(table.rows, facts, strict=True):
        row.cells[0].text, row.cells[1].text = key, value
    for para in range(rng.randint(14, 40)):
        p = doc.add_paragraph(f"{para + 1}. " + " ".join(_sentence(rng, 14) for _ in range(6)))
        p.paragraph_format.space_after = Pt(8)
    doc.add_paragraph("Statement of truth: I believe that the facts stated in this witness statement are true.")
    doc.save(str(path))


def _pdf_docs(root: Path, pages: int, rng: random.Random, scans: ScanMaker) -> list[CorpusDoc]:
    docs: list[CorpusDoc] = []
    scanned = 0
    for index, length in enumerate(document_lengths(pages, rng), start=1):
        is_scan = length <= 60 and scanned + length <= SCAN_SHARE * pages and rng.random() < 0.5
        kind = "scan" if is_scan else "pdf"
        done = sum(d.pages for d in docs)  # sections fill in order, by pages so far
        section = SECTIONS[min(len(SECTIONS) - 1, int(len(SECTIONS) * done / pages))]
        path = root / f"{index:04d} {'Scanned exhibit' if is_scan else 'Document'} {index}.pdf"
        if is_scan:
            make_scan_pdf(path, length, rng, scans)
            scanned += length
        else:
            make_text_pdf(path, length, rng)
        docs.append(CorpusDoc(path, kind, section, length))
    return docs


def make_corpus(root: Path, pages: int, docx: int = 0, seed: int = 2019) -> Corpus:
    """Write the corpus into ``root`` (which should be empty) and describe it."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    docs = _pdf_docs(root, pages, rng, ScanMaker(seed))
    for number in range(1, docx + 1):
        path = root / f"W{number:03d} Witness statement {number}.docx"
        make_docx_statement(path, rng, number)
        docs.append(CorpusDoc(path, "docx", "D", 0))
    return Corpus(docs)
