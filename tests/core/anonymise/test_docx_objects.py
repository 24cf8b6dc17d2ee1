"""Issue 10 item 6: removing a DOCX's embedded object removes the picture Word shows for it.

The object's preview image shows the protected name; through the CLI build (LibreOffice
or the built-in renderer), Tesseract on the rendered public bundle finds no part of it.
"""

from __future__ import annotations

from pathlib import Path

from bundler.cli.main import main
from bundler.core.adding import add_document
from bundler.core.project import save_project
from tests.conftest import claim_bundle
from tests.glyphfonts import docx_with_embedded_object
from tests.ocr_readback import PROTECTED, flat, ocr, protect_amara

PREVIEW = ["Amara Okonkwo-Reyes", "O123 4567"]
BODY = "The spreadsheet below sets out the payments."


def test_the_objects_preview_goes_with_the_object(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    bundle = claim_bundle()
    source = docx_with_embedded_object(folder / "schedule.docx", PREVIEW, BODY)
    add_document(bundle, folder, source, "D", title="Schedule of payments")
    protect_amara(bundle)
    project, out = folder / "case.bundle.json", tmp_path / "public.pdf"
    save_project(bundle, project)
    confidential = tmp_path / "confidential.pdf"
    args = [str(project), "--cache-dir", str(tmp_path / "cache")]
    assert main(["build", *args, "--confidential", "-o", str(confidential)]) == 0
    assert "reyes" in flat(ocr(confidential, tmp_path))  # the preview really is drawn
    assert main(["build", *args, "-o", str(out)]) == 0
    seen = ocr(out, tmp_path)
    for word in PROTECTED:
        assert flat(word) not in flat(seen), word
    assert "payments" in seen
