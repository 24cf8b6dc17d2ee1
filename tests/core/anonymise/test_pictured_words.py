"""Issue 10 item 5: a protected name in a picture on a page that has a text layer.

A letterhead image shows the name (whole, each part of the double-barrelled
surname alone) and the reference written with a space; the page's own text
layer is clean. Through the CLI build, Tesseract on the rendered output and
pdftotext find none of it; with the redactor broken, the gate refuses.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bundler.cli.main import main
from tests.conftest import require
from tests.glyphfonts import letterhead_page
from tests.ocr_readback import PROTECTED, flat, ocr, saved_project

PICTURE = ["Amara Okonkwo-Reyes", "Ref O123 4567", "Signed: Reyes"]
TEXT = ["Letter before claim", "We act for the claimant."]


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return saved_project(folder, [(letterhead_page(folder / "letter.pdf", PICTURE, TEXT), "Letter")])


def test_a_name_in_a_letterhead_is_burned_out(tmp_path: Path) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    source = letterhead_page(tmp_path / "source.pdf", PICTURE, TEXT)
    assert "reyes" in flat(ocr(source, tmp_path, dpi=250))  # the picture really shows it
    project, out = _project(tmp_path / "case"), tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    readings = {
        "pdftotext": subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout,
        "tesseract": ocr(out, tmp_path, dpi=250),
    }
    for reader, text in readings.items():
        for word in PROTECTED:
            assert flat(word) not in flat(text), (reader, word)
    assert "We act for the claimant" in readings["tesseract"]
    assert not [p for p in (tmp_path / "cache").iterdir() if "reyes" in p.name.casefold()]


def test_with_the_redactor_broken_the_gate_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bundler.core.anonymise.pdf.redact as pdf_redact

    def copy(src, dst, targets, boxes=(), **kw):  # type: ignore[no-untyped-def]
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)
    project, out = _project(tmp_path / "case"), tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) != 0
    assert not out.exists()
