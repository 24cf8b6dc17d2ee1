"""Issue 10 item 7: on a scan whose invisible text layer is offset from the pixels,
the box goes where the pixels are. Through the CLI build; Tesseract on the output
finds no part of the name, and with the redactor broken the gate refuses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bundler.cli.main import main
from tests.glyphfonts import shifted_scan
from tests.ocr_readback import PROTECTED, flat, ocr, saved_project

LINES = ["Statement of Amara Okonkwo-Reyes", "Reference O123 4567", "The facts are as follows"]


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return saved_project(folder, [(shifted_scan(folder / "scan.pdf", LINES, 40), "Scan")])


def test_boxes_follow_the_pixels_not_the_shifted_text_layer(tmp_path: Path) -> None:
    project, out = _project(tmp_path / "case"), tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    seen = ocr(out, tmp_path)
    for word in PROTECTED:
        assert flat(word) not in flat(seen), word
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
