"""Issue 10 item 5: a protected name in a picture on a page that has a text layer.

A letterhead image shows the name (whole, each part of the double-barrelled
surname alone) and the reference written with a space; the page's own text
layer is clean. Through the CLI build, Tesseract on the rendered output and
pdftotext find none of it; with the redactor broken, the gate refuses.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bundler.cli.main import main
from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_person, add_term
from bundler.core.project import save_project
from tests.conftest import claim_bundle, require
from tests.glyphfonts import letterhead_page

PICTURE = ["Amara Okonkwo-Reyes", "Ref O123 4567", "Signed: Reyes"]
TEXT = ["Letter before claim", "We act for the claimant."]
PROTECTED = ["amara", "okonkwo", "reyes", "1234567"]


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    bundle = claim_bundle()
    add_document(bundle, folder, letterhead_page(folder / "letter.pdf", PICTURE, TEXT), "D", title="Letter")
    add_person(bundle, "Amara Okonkwo-Reyes", "AB")
    add_term(bundle, "O1234567", category="identifier")
    project = folder / "case.bundle.json"
    save_project(bundle, project)
    return project


def _ocr(pdf: Path, folder: Path) -> str:
    require(shutil.which("tesseract") is not None, "tesseract")
    document = pdfium.PdfDocument(str(pdf))
    text = []
    for index in range(len(document)):
        image = folder / f"page-{index}.png"
        document[index].render(scale=250 / 72).to_pil().convert("L").save(image)
        text.append(subprocess.run(["tesseract", str(image), "-"], capture_output=True, text=True).stdout)
    document.close()
    return "\n".join(text)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold().replace("o", "0").replace("l", "1").replace("i", "1")


def test_a_name_in_a_letterhead_is_burned_out(tmp_path: Path) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    source = letterhead_page(tmp_path / "source.pdf", PICTURE, TEXT)
    assert "reyes" in _flat(_ocr(source, tmp_path))  # the picture really shows it
    project, out = _project(tmp_path / "case"), tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    readings = {
        "pdftotext": subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout,
        "tesseract": _ocr(out, tmp_path),
    }
    for reader, text in readings.items():
        for word in PROTECTED:
            assert _flat(word) not in _flat(text), (reader, word)
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
