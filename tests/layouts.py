"""Pages whose text is drawn out of reading order, and two readers that order it by position.

pdfium and pypdf read a page in content order; ``pdftotext`` (poppler) and pdfminer.six
order text by where it is drawn, as the eye does. The product uses neither of these two.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pypdf import PdfWriter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import require

PIECES = ("Statement of Far", "ida Kha", "num dated today.")  # "Statement of Farida Khanum dated today."
BELOW = ((600, "The grounds of claim follow below."), (500, "Another paragraph."))
ABOVE = ((720, "A heading"), (740, "A title"))


def interleaved(path: Path, between: tuple[tuple[int, str], ...], *, forms: bool = False, turn: int = 0) -> Path:
    """One line drawn in three pieces, each just after the last on its baseline, with another
    line drawn between them; each piece in its own form XObject if ``forms``; the line turned
    ``turn`` degrees (anticlockwise) about the page's middle if ``turn``."""
    pdf = Canvas(str(path))
    pdf.setFont("Helvetica", 12)
    x = 72.0
    for number, (piece, (y, other)) in enumerate(zip(PIECES, [*between, (0, "")], strict=True)):
        if forms:
            pdf.beginForm(f"piece{number}")
            pdf.setFont("Helvetica", 12)
            pdf.drawString(x, 700, piece)
            pdf.endForm()
            pdf.doForm(f"piece{number}")
        else:
            pdf.saveState()
            pdf.translate(300, 420)
            pdf.rotate(turn)
            pdf.drawString(x - 300, 0, piece)
            pdf.restoreState()
        x += stringWidth(piece, "Helvetica", 12)
        if other:
            pdf.drawString(72, y, other)
    pdf.save()
    return path


def rotated(path: Path, degrees: int) -> Path:
    """``path`` with /Rotate set on its pages."""
    writer = PdfWriter(clone_from=path)
    for page in writer.pages:
        page.rotate(degrees)
    writer.write(path)
    return path


def two_columns(path: Path, left: list[str], right: list[str], gutter: float = 300) -> Path:
    """Two columns side by side, the left drawn first, then the right (lines level across)."""
    pdf = Canvas(str(path))
    pdf.setFont("Helvetica", 11)
    for x, column in ((72, left), (gutter, right)):
        for row, line in enumerate(column):
            pdf.drawString(x, 700 - 14 * row, line)
    pdf.save()
    return path


def pdftotext(pdf: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdfminer(pdf: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(pdf)))


def shows_name(text: str) -> bool:
    flat = "".join(text.split()).casefold()
    return "farida" in flat or "khanum" in flat
