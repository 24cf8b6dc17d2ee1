"""Pages for the OCR tests: scans (pictures only) and letters whose pictures hold a name."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from bundler.core.assets import font_path

NAME = "Amara Okonkwo-Reyes"  # protected by tests.ocr_readback.protect_amara


def scanned_pdf(path: Path, pages: int, lines: int = 3) -> Path:
    """A PDF of 150-dpi page images only: no text layer until OCR gives it one.
    ``lines``: lines of text a page (many make Tesseract slow)."""
    font = ImageFont.truetype(str(font_path("DejaVuSerif")), 30 if lines > 10 else 40)
    images = []
    for n in range(1, pages + 1):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        for line in range(lines):
            words = f"Scanned letter page {n} line {line} about the appeal hearing and the decision"
            draw.text((80, 120 + line * (1500 // max(lines, 1))), words, font=font, fill=0)
        images.append(image)
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150.0)
    return path


def _picture(lines: list[str]) -> Image.Image:
    font = ImageFont.truetype(str(font_path("DejaVuSerif")), 30)
    image = Image.new("L", (640, 44 * len(lines) + 16), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((12, 8 + 44 * i), line, font=font, fill=0)
    return image


PICTURES = [  # each page: its pictures' lines (a text layer is added to every page)
    [[NAME, "Flat 3, 12 Mill Road"]],
    [["Home Office", "Decision letter"]],
    [["Signed by the officer"], [f"Copy to {NAME}"]],
    [],
    [[NAME, "Flat 3, 12 Mill Road"]],  # the same pixels as page 1
]


def pictured_letters(path: Path) -> Path:
    """Five pages with a text layer; pages 1, 3 and 5 show the protected name only in pictures."""
    canvas = Canvas(str(path), pagesize=(595, 842))
    for number, pictures in enumerate(PICTURES, 1):
        top = 842 - 72
        for lines in pictures:
            image = _picture(lines)
            top -= image.height * 0.6 + 20
            canvas.drawImage(ImageReader(image), 72, top, image.width * 0.6, image.height * 0.6)
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 300, f"Letter page {number}: we act for the claimant.")
        canvas.showPage()
    canvas.save()
    return path
