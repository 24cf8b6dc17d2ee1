"""A page read again after redaction shows the words either side of each box; when they spell a
protected term, the build stops there, naming the file and page and what to do.

Found by building a public bundle with OCR on: "quashing quashing order order", redacted, reads
"quashing ▮ order"; Tesseract skips the box, and the page's new text layer said "quashing order":
the leak gate refused the bundle at the very end, naming only a bundle page. Leaving the page
without its text layer instead would not be safe: that reading is the only check of the picture
the page became. Real Tesseract, real pages (the redactor's rasterised page).
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
from bundler.core.errors import ExitCode
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
    assert "not made a text layer" in " ".join(kept.notes)
    assert "quashing" not in " ".join(kept.notes).casefold()  # the note never repeats the term
    other = ocr_pdf(scan, tmp_path / "other.pdf", [0], withhold=lambda text: "Farida" in text)
    assert other.pages == [0] and other.withheld == []  # only what spells a target is held back


def test_a_public_build_with_ocr_stops_there_and_a_box_over_the_words_mends_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same class in the real pipeline: redacted (its page rasterised), read again, refused by
    name; the user's box over the words either side, as the message says, and it builds."""
    require(find_tesseract() is not None, "Tesseract OCR (tesseract-ocr, tesseract-ocr-eng)")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    source = _source(tmp_path / "order.pdf")
    project = tmp_path / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "C"]) == 0
    assert main(["register", str(project), "add-term", "quashing order", "--redact", "--category", "identifier"]) == 0
    out, cache = tmp_path / "bundle.pdf", ["--cache-dir", str(tmp_path / "cache")]
    capsys.readouterr()
    assert main(["build", str(project), "-o", str(out), *cache]) == ExitCode.LEAK
    said = capsys.readouterr().err
    assert "'order.pdf' page 1" in said and "redact-box" in said and "quashing" not in said
    assert not out.exists()
    assert main(["redact-box", str(project), "order.pdf", "--page", "1", "--rect", "60,750,560,780"]) == 0
    assert main(["build", str(project), "-o", str(out), *cache]) == 0
    assert not holds_target(_text(out), [TERM])
