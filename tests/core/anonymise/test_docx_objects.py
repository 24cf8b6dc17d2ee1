"""Issue 10 item 6: removing a DOCX's embedded object removes the picture Word shows for it.

The object's preview image shows the protected name; through the CLI build (LibreOffice
or the built-in renderer), Tesseract on the rendered public bundle finds no part of it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium

from bundler.cli.main import main
from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_person, add_term
from bundler.core.project import save_project
from tests.conftest import claim_bundle, require
from tests.glyphfonts import docx_with_embedded_object

PREVIEW = ["Amara Okonkwo-Reyes", "O123 4567"]
BODY = "The spreadsheet below sets out the payments."
PROTECTED = ["amara", "okonkwo", "reyes", "1234567"]


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


def test_the_objects_preview_goes_with_the_object(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    bundle = claim_bundle()
    source = docx_with_embedded_object(folder / "schedule.docx", PREVIEW, BODY)
    add_document(bundle, folder, source, "D", title="Schedule of payments")
    add_person(bundle, "Amara Okonkwo-Reyes", "AB")
    add_term(bundle, "O1234567", category="identifier")
    project, out = folder / "case.bundle.json", tmp_path / "public.pdf"
    save_project(bundle, project)
    confidential = tmp_path / "confidential.pdf"
    args = [str(project), "--cache-dir", str(tmp_path / "cache")]
    assert main(["build", *args, "--confidential", "-o", str(confidential)]) == 0
    assert "reyes" in _flat(_ocr(confidential, tmp_path))  # the preview really is drawn
    assert main(["build", *args, "-o", str(out)]) == 0
    seen = _ocr(out, tmp_path)
    for word in PROTECTED:
        assert _flat(word) not in _flat(seen), word
    assert "payments" in seen
