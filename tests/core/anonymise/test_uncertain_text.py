"""Issue 10 item 1: text drawn with fonts that have no ToUnicode map, through a real CLI build.

pdfminer.six reads the protected name from such a page through the embedded
font's own tables; PDFium (which the redactor and gate use) sees noise. The
build must turn the page into a picture, OCR it and burn the boxes in; read
back with pdfminer.six, pdftotext and Tesseract, the name is gone. With that
stage broken, the gate refuses the bundle and names the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfminer.high_level import extract_text

from bundler.cli.main import main
from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_person, add_term
from bundler.core.project import save_project
from tests.conftest import claim_bundle, require
from tests.glyphfonts import simple_without_tounicode, type0_without_tounicode

LINES = ["Witness statement of Amara Okonkwo-Reyes", "Home Office reference O1234567", "Grounds follow below"]
PROTECTED = ["amara", "okonkwo", "reyes", "1234567"]
ATTACKS = {"type0": type0_without_tounicode, "simple": simple_without_tounicode}


def _project(folder: Path, kinds: tuple[str, ...] = ("simple", "type0")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    bundle = claim_bundle()
    for kind in kinds:
        add_document(bundle, folder, ATTACKS[kind](folder / f"{kind}.pdf", LINES), "D", title=f"Statement {kind}")
    add_person(bundle, "Amara Okonkwo-Reyes", "AB")
    add_term(bundle, "O1234567", category="identifier")
    project = folder / "case.bundle.json"
    save_project(bundle, project)
    return project


def _ocr(pdf: Path, folder: Path) -> str:
    require(shutil.which("tesseract") is not None, "tesseract")
    text = []
    document = pdfium.PdfDocument(str(pdf))
    for index in range(len(document)):
        image = folder / f"page-{index}.png"
        document[index].render(scale=200 / 72).to_pil().convert("L").save(image)
        text.append(subprocess.run(["tesseract", str(image), "-"], capture_output=True, text=True).stdout)
    document.close()
    return "\n".join(text)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold().replace("o", "0").replace("l", "1").replace("i", "1")


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
        "tesseract": _ocr(out, folder),
    }
    for reader, text in readings.items():
        for word in PROTECTED:
            assert _flat(word) not in _flat(text), (reader, word)
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
