"""Issue 10 item 7: on a scan whose invisible text layer is offset from the pixels,
the box goes where the pixels are. Through the CLI build; Tesseract on the output
finds no part of the name, and with the redactor broken the gate refuses."""

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
from tests.glyphfonts import shifted_scan

LINES = ["Statement of Amara Okonkwo-Reyes", "Reference O123 4567", "The facts are as follows"]
PROTECTED = ["amara", "okonkwo", "reyes", "1234567"]


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    bundle = claim_bundle()
    add_document(bundle, folder, shifted_scan(folder / "scan.pdf", LINES, 40), "D", title="Scan")
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
        document[index].render(scale=200 / 72).to_pil().convert("L").save(image)
        text.append(subprocess.run(["tesseract", str(image), "-"], capture_output=True, text=True).stdout)
    document.close()
    return "\n".join(text)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold().replace("o", "0").replace("l", "1").replace("i", "1")


def test_boxes_follow_the_pixels_not_the_shifted_text_layer(tmp_path: Path) -> None:
    project, out = _project(tmp_path / "case"), tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    seen = _ocr(out, tmp_path)
    for word in PROTECTED:
        assert _flat(word) not in _flat(seen), word
    assert "facts are as follows" in seen


def test_with_the_redactor_broken_the_gate_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bundler.core.anonymise.pdf.redact as pdf_redact

    def copy(src, dst, targets, boxes=(), **kw):  # type: ignore[no-untyped-def]
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)
    project, out = _project(tmp_path / "case"), tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) != 0
    assert not out.exists()
