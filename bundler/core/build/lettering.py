"""What our own pages are drawn with: the page size, margins, fonts and centred lines."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bundler.core.assets import font_path

__all__ = ["REGULAR", "BOLD", "PAGE_W", "PAGE_H", "LEFT", "RIGHT", "register_fonts", "centred"]

REGULAR, BOLD = "BundlerSans", "BundlerSans-Bold"
PAGE_W, PAGE_H = A4
LEFT, RIGHT = 56.0, PAGE_W - 56.0


def register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(font_path("DejaVuSans"))))
        pdfmetrics.registerFont(TTFont(BOLD, str(font_path("DejaVuSans-Bold"))))


def centred(pdf: Canvas, lines: list[str], font: str, size: float, y: float) -> float:
    """Draw ``lines`` centred (wrapped to the margins); returns the baseline below the last."""
    for line in lines:
        for part in simpleSplit(line, font, size, RIGHT - LEFT):
            pdf.setFont(font, size)
            pdf.drawCentredString(PAGE_W / 2, y, part)
            y -= size * 1.35
    return y
