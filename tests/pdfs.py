"""Sample inputs made in tests, and readers that check outputs independently.

The readers re-derive geometry from the PDF (pypdfium2 char boxes, page size,
rotation) with their own arithmetic, not bundler's, so they can disagree with it.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, RectangleObject
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.pdfgen.canvas import Canvas

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def make_pdf(
    path: Path, pages: int = 1, size: tuple[float, float] = A4, text: str = "Page", corner_text: bool = False
) -> Path:
    """A text PDF; ``corner_text`` puts ink where the stamp would go."""
    pdf = Canvas(str(path), pagesize=size)
    for n in range(1, pages + 1):
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, size[1] - 72, f"{text} {n} of {path.stem}")
        if corner_text:
            pdf.drawRightString(size[0] - 20, 18, "Source footer 99")
        pdf.showPage()
    pdf.save()
    return path


def pages_pdf(path: Path, texts: list[str], size: float = 12, at: tuple[float, float] = (72, 760)) -> Path:
    """A PDF with one page per text, each drawn as one line in Helvetica."""
    pdf = Canvas(str(path))
    for text in texts:
        pdf.setFont("Helvetica", size)
        pdf.drawString(*at, text)
        pdf.showPage()
    pdf.save()
    return path


def make_mixed_pdf(path: Path) -> Path:
    """A4, Letter, landscape, then /Rotate 90, /Rotate 270 and a cropped page."""
    pdf = Canvas(str(path))
    for label, size in (
        ("a4", A4),
        ("letter", letter),
        ("landscape", landscape(A4)),
        ("rot90", A4),
        ("rot270", A4),
        ("cropped", A4),
    ):
        pdf.setPageSize(size)
        pdf.setFont("Helvetica", 12)
        pdf.drawString(100, size[1] / 2, f"mixed page {label}")
        pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=str(path))
    writer.pages[3].rotate(90)
    writer.pages[4].rotate(270)
    writer.pages[5][NameObject("/CropBox")] = RectangleObject([50, 80, 500, 700])
    writer.write(str(path))
    return path


def viewed_chars(pdf: pdfium.PdfDocument, index: int) -> list[tuple[str, float, float]]:
    """Each character with its centre in viewed coordinates (origin: viewed bottom-left)."""
    page = pdf[index]
    text = page.get_textpage()
    rotation = page.get_rotation()
    left, bottom, right, top = page.get_cropbox()
    out = []
    for i in range(text.count_chars()):
        x0, y0, x1, y1 = text.get_charbox(i)
        x, y = (x0 + x1) / 2 - left, (y0 + y1) / 2 - bottom
        w, h = right - left, top - bottom
        viewed = {0: (x, y), 90: (y, w - x), 180: (w - x, h - y), 270: (h - y, x)}[rotation]
        out.append((text.get_text_range(i, 1), *viewed))
    return out


def corner_text(pdf: pdfium.PdfDocument, index: int, width: float = 160, height: float = 60) -> str:
    """Text whose centre lies in the viewed bottom-right corner of the page."""
    page = pdf[index]
    w, h = page.get_size()  # pdfium gives the viewed size
    chars = viewed_chars(pdf, index)
    return "".join(c for c, x, y in chars if x > w - width and y < height).strip()


def stamps(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [corner_text(pdf, i) for i in range(len(pdf))]
    finally:
        pdf.close()


def outline_pypdf(reader: PdfReader, nodes: list | None = None, depth: int = 0) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based target page) for every bookmark, by pypdf."""
    out: list[tuple[int, str, int]] = []
    for node in reader.outline if nodes is None else nodes:
        if isinstance(node, list):
            out += outline_pypdf(reader, node, depth + 1)
        else:
            out.append((depth, str(node.title), reader.get_destination_page_number(node) + 1))
    return out


def outline_pdfium(path: Path) -> list[tuple[int, str, int]]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [(b.level, b.get_title(), b.get_dest().get_index() + 1) for b in pdf.get_toc()]
    finally:
        pdf.close()


def links(reader: PdfReader, page_index: int) -> list[tuple[tuple[float, ...], int, list]]:
    """(rect, 1-based target page, raw destination array) for internal links on a page."""
    found = []
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    for ref in reader.pages[page_index].get("/Annots") or []:
        annot = ref.get_object()
        dest = annot.get("/Dest")
        if dest is None and "/A" in annot and annot["/A"].get("/S") == "/GoTo":
            dest = annot["/A"]["/D"]
        if dest is None or isinstance(dest, str):
            continue
        found.append((tuple(float(v) for v in annot["/Rect"]), pages[dest[0].idnum] + 1, list(dest)))
    return found


def text_in_rect(path: Path, index: int, rect: tuple[float, ...]) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[index].get_textpage().get_text_bounded(*rect)
    finally:
        pdf.close()


def raw_pdf(objects: dict[int, bytes]) -> bytes:
    """A file of ``objects`` (1: the catalogue) written byte for byte, with a correct
    cross-reference: for objects pypdf's writer would tidy away."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
