"""Pages without text, found by the redactor as it reads every page: with OCR off a public build
names them (``ocr.stage.warn_unread``) without reading every page a second time. What the
redactor finds must be what ``pages_without_text`` finds, on made and real files."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfWriter
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.pdf.redact import redact_pdf
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.errors import BundlerError
from bundler.core.model import Person, Register
from bundler.core.ocr.recognise import pages_without_text
from tests.ocr_pages import scanned_pdf
from tests.pdfs import CORPUS

TARGETS = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha")]))


def _mixed(tmp_path: Path) -> Path:
    """Page 1 words, 2 a scan, 3 only spaces, 4 words again."""
    words, blank = tmp_path / "words.pdf", tmp_path / "blank.pdf"
    canvas = Canvas(str(words))
    canvas.drawString(72, 700, "A letter about the claim.")
    canvas.showPage()
    canvas.save()
    canvas = Canvas(str(blank))
    canvas.drawString(72, 700, "      ")
    canvas.showPage()
    canvas.save()
    writer = PdfWriter()
    for part in (words, scanned_pdf(tmp_path / "scan.pdf", 1), blank, words):
        writer.append(str(part))
    out = tmp_path / "mixed.pdf"
    writer.write(out)
    return out


def test_the_redactor_finds_the_pages_without_text(tmp_path: Path) -> None:
    pdf = _mixed(tmp_path)
    assert pages_without_text(pdf) == [1, 2]
    assert redact_pdf(pdf, tmp_path / "out.pdf", TARGETS).textless == [1, 2]


def _small_real_pdfs() -> list[Path]:
    files = []
    for path in sorted((CORPUS / "real-pdfs").glob("*.pdf")):
        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            continue
        if len(doc) <= 25:
            files.append(path)
        doc.close()
    return files


@pytest.mark.parametrize("path", _small_real_pdfs(), ids=lambda p: p.name)
def test_on_real_files_the_redactor_and_the_ocr_stage_agree(path: Path, tmp_path: Path) -> None:
    try:
        found = redact_pdf(path, tmp_path / "out.pdf", TARGETS).textless
    except BundlerError:
        pytest.skip("the redactor refuses this file: no build reaches the warning")  # noqa: B904
    assert found == pages_without_text(path)
