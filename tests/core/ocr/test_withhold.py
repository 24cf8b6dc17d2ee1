"""Redaction that leaves two words spelling a protected term either side of its box.

Found building a public bundle with OCR on: redacting "quashing order" in "quashing quashing
order order" left "quashing ▮ order". The redactor's check saw the words join and made the page
a picture, OCR read the picture again ("quashing order": it skips a black box), and the leak
gate refused the whole bundle at the end. Now the redactor boxes what joined before it makes
the picture, and, should a reading after redaction still spell a target, the build stops at
that page, by name (leaving the page without its text layer would not be safe: that reading is
the only check of the picture the page became). Real Tesseract, real redaction.

A box over the page's own text is drawn where the text was, its label between the words
("quashing [REDACTED] order"), so there the words do not join; a box over a form's text is
drawn after the page, and there they do: the sources draw their line in a form.
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
from bundler.core.convert.chain import Prepared
from bundler.core.errors import LeakError
from bundler.core.model import Document
from bundler.core.ocr.pool import TesseractPool
from bundler.core.ocr.recognise import ocr_pdf
from bundler.core.ocr.stage import _ocr_one
from bundler.core.ocr.tesseract import find_tesseract
from tests.conftest import require

TERM = Target("quashing order", None, "t-order", "identifier")  # redacted: a black box, no label
LINE = "The court made a quashing quashing order order on the claim."


def _source(path: Path, in_a_form: bool = True) -> Path:
    pdf = Canvas(str(path), pagesize=A4)
    if in_a_form:
        pdf.beginForm("line")
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 760, LINE)
    if in_a_form:
        pdf.endForm()
        pdf.doForm("line")
    pdf.showPage()
    pdf.save()
    return path


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(autouse=True)
def _tools() -> None:
    require(find_tesseract() is not None, "Tesseract OCR (tesseract-ocr, tesseract-ocr-eng)")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")


def test_the_redactor_boxes_the_words_that_join_before_it_makes_the_page_a_picture(tmp_path: Path) -> None:
    out = tmp_path / "redacted.pdf"
    report = redact_pdf(_source(tmp_path / "order.pdf"), out, [TERM], [])
    (page,) = report.pages
    assert page.method == "rasterised" and len(page.boxes) == 2  # the term, then what joined around it
    read = ocr_pdf(out, tmp_path / "read.pdf", [0])
    assert read.pages == [0]
    text = _text(read.output)
    assert "court made a" in text and "on the claim" in text  # the rest of the line is read
    assert not holds_target(text, [TERM]) and "quashing" not in text


def test_a_label_drawn_in_place_keeps_the_words_either_side_apart(tmp_path: Path) -> None:
    out = tmp_path / "redacted.pdf"
    report = redact_pdf(_source(tmp_path / "order.pdf", in_a_form=False), out, [TERM], [])
    (page,) = report.pages
    assert page.method == "glyphs" and len(page.boxes) == 1  # nothing joined: no picture needed
    text = " ".join(_text(out).split())
    assert "The court made a quashing [REDACTED] order on the claim." in text
    assert not holds_target(text, [TERM])


def test_a_reading_after_redaction_that_spells_a_term_stops_the_build_by_name(tmp_path: Path) -> None:
    """The safety net: whatever the reason a page reads as a target after redaction, it gets no
    text layer and the build stops there, naming the file and page, never the term."""
    picture = tmp_path / "redacted.pdf"
    redact_pdf(_source(tmp_path / "order.pdf"), picture, [TERM], [])
    held = ocr_pdf(picture, tmp_path / "held.pdf", [0], withhold=lambda text: "court" in text)
    assert held.pages == [] and held.withheld == [0] and held.output == picture
    other = ocr_pdf(picture, tmp_path / "other.pdf", [0], withhold=lambda text: "Farida" in text)
    assert other.pages == [0] and other.withheld == []  # only a reading that the test holds back
    doc = Document(path="Exhibit 3.pdf", sha256="0" * 64, title="Exhibit 3")
    files = (tmp_path / "cached.ocr.pdf", tmp_path / "cached.ocr-none")
    with TesseractPool(1) as pool, pytest.raises(LeakError, match=r"'Exhibit 3\.pdf' page 1:.*redact-box") as err:
        _ocr_one(doc, Prepared(picture, "source-pdf"), [0], files, pool, [], " again", lambda text: "court" in text)
    assert "court" not in str(err.value) and not any(path.exists() for path in files)


def test_a_public_build_with_ocr_builds_with_the_whole_run_boxed(tmp_path: Path) -> None:
    source = _source(tmp_path / "order.pdf")
    project = tmp_path / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "C"]) == 0
    assert main(["register", str(project), "add-term", "quashing order", "--redact", "--category", "identifier"]) == 0
    out = tmp_path / "bundle.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    text = _text(out)
    assert "court made a" in text and not holds_target(text, [TERM]) and "quashing" not in text
