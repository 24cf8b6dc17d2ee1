"""Issue 10 item 1: text drawn with fonts that have no ToUnicode map, through a real CLI build.

pdfminer.six reads the protected name from such a page through the embedded
font's own tables; PDFium (which the redactor and gate use) sees noise. The
build must turn the page into a picture, OCR it and burn the boxes in; read
back with pdfminer.six, pdftotext and Tesseract, the name is gone. With that
stage broken, the gate refuses the bundle and names the page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text

from bundler.cli.main import main
from tests.conftest import require
from tests.glyphfonts import simple_without_tounicode, type0_without_tounicode
from tests.ocr_readback import PROTECTED, flat, ocr, saved_project

LINES = ["Witness statement of Amara Okonkwo-Reyes", "Home Office reference O1234567", "Grounds follow below"]
ATTACKS = {"type0": type0_without_tounicode, "simple": simple_without_tounicode}


def _project(folder: Path, kinds: tuple[str, ...] = ("simple", "type0")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return saved_project(
        folder, [(ATTACKS[kind](folder / f"{kind}.pdf", LINES), f"Statement {kind}") for kind in kinds]
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("uncertain")
    project, out = _project(folder / "case"), folder / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(folder / "cache")]) == 0
    return folder, out


@pytest.mark.parametrize("kind", sorted(ATTACKS))
def test_pdfminer_reads_the_name_that_pdfium_cannot(tmp_path: Path, kind: str) -> None:
    source = ATTACKS[kind](tmp_path / "source.pdf", LINES)
    assert "Okonkwo-Reyes" in extract_text(str(source))  # the attack is real


def test_the_public_bundle_has_the_name_in_no_reader(built: tuple[Path, Path]) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    folder, out = built
    readings = {
        "pdfminer.six": extract_text(str(out)),
        "pdftotext": subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout,
        "tesseract": ocr(out, folder),
    }
    for reader, text in readings.items():
        for word in PROTECTED:
            assert flat(word) not in flat(text), (reader, word)
    assert "Grounds follow below" in readings["tesseract"]  # the page is still there to read


def test_with_the_redactor_broken_the_gate_refuses_naming_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bundler.core.anonymise.pdf.redact as pdf_redact
    import bundler.core.build.pipeline as pipeline

    def copy(src, dst, targets, boxes=(), **kw):  # type: ignore[no-untyped-def]
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pipeline, "legible_prepared", lambda ctx, jobs, prepared: prepared)
    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)
    project, out = _project(tmp_path / "case", ("type0",)), tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) != 0
    assert not out.exists()
    assert "page 3 (text in a font we cannot read for certain)" in capsys.readouterr().err
