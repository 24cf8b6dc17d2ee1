"""A page read again after redaction shows the words either side of each box; when they spell a
protected term, they must not become the page's text layer, or the leak gate refuses the bundle.

Found by building a public bundle with OCR on: "quashing quashing order order", redacted, reads
"quashing ▮ order"; Tesseract skips the box and the page's new text layer said "quashing order".
Real Tesseract, real pages (a picture, as redaction leaves a rasterised page).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.anonymise.gate.finder import holds_target
from bundler.core.anonymise.pdf.redact import redact_pdf
from bundler.core.anonymise.terms import Target
from bundler.core.ocr.recognise import ocr_pdf
from bundler.core.ocr.tesseract import find_tesseract
from tests.conftest import require

TERM = Target("quashing order", None, "t-order", "identifier")  # redacted: a black box, no label
LINE = "The court made a quashing quashing order order on the claim."


def _source(path: Path) -> Path:
    pdf = Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 760, LINE)
    pdf.showPage()
    pdf.save()
    return path


def _redacted_scan(folder: Path) -> Path:
    """``LINE`` truly redacted: its middle "quashing order" boxed, and the page made a picture,
    because its remaining text read "quashing order" (what the redactor's check does)."""
    out = folder / "redacted.pdf"
    report = redact_pdf(_source(folder / "order.pdf"), out, [TERM], [])
    assert [p.method for p in report.pages] == ["rasterised"]
    return out


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    require(find_tesseract() is not None, "Tesseract OCR (tesseract-ocr, tesseract-ocr-eng)")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    return _redacted_scan(tmp_path)


def test_ocr_leaves_a_page_whose_words_spell_a_term_without_a_text_layer(scan: Path, tmp_path: Path) -> None:
    plain = ocr_pdf(scan, tmp_path / "plain.pdf", [0])
    assert plain.pages == [0] and holds_target(_text(plain.output), [TERM])  # the case is real: the words join
    kept = ocr_pdf(scan, tmp_path / "kept.pdf", [0], withhold=lambda text: holds_target(text, [TERM]))
    assert kept.pages == [] and kept.withheld == [0] and kept.output == scan
    assert "left as a picture without a text layer" in " ".join(kept.notes)
    assert "quashing" not in " ".join(kept.notes).casefold()  # the note never repeats the term
    other = ocr_pdf(scan, tmp_path / "other.pdf", [0], withhold=lambda text: "Farida" in text)
    assert other.pages == [0] and other.withheld == []  # only what spells a target is held back


def test_a_public_build_with_ocr_builds_and_the_page_has_no_text(tmp_path: Path) -> None:
    """The same class in the real pipeline: redacted (its page rasterised), read again, built."""
    require(find_tesseract() is not None, "Tesseract OCR (tesseract-ocr, tesseract-ocr-eng)")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    source = _source(tmp_path / "order.pdf")
    project = tmp_path / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "C"]) == 0
    assert main(["register", str(project), "add-term", "quashing order", "--redact", "--category", "identifier"]) == 0
    out = tmp_path / "bundle.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    assert not holds_target(_text(out), [TERM])
