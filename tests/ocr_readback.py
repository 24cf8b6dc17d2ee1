"""Reading a built bundle back as a person would: Tesseract on the rendered pages, and the
protected register the attack tests share (a double-barrelled name and a spaced identifier)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_person, add_term
from bundler.core.model import Bundle
from bundler.core.project import save_project
from tests.conftest import claim_bundle, require

PROTECTED = ["amara", "okonkwo", "reyes", "1234567"]  # every part, as _flat folds them


def ocr(pdf: Path, folder: Path, dpi: int = 200) -> str:
    """Tesseract's reading of every page of ``pdf``, rendered at ``dpi``."""
    require(shutil.which("tesseract") is not None, "tesseract")
    document = pdfium.PdfDocument(str(pdf))
    text = []
    for index in range(len(document)):
        image = folder / f"page-{index}.png"
        document[index].render(scale=dpi / 72).to_pil().convert("L").save(image)
        text.append(subprocess.run(["tesseract", str(image), "-"], capture_output=True, text=True).stdout)
    document.close()
    return "\n".join(text)


def flat(text: str) -> str:
    """``text`` without spaces, case-folded, with OCR's look-alikes made one (o=0, l=i=1)."""
    return re.sub(r"\s+", "", text).casefold().replace("o", "0").replace("l", "1").replace("i", "1")


def protect_amara(bundle: Bundle) -> None:
    add_person(bundle, "Amara Okonkwo-Reyes", "AB")
    add_term(bundle, "O1234567", category="identifier")


def saved_project(
    folder: Path, documents: list[tuple[Path, str]], protect: Callable[[Bundle], None] = protect_amara
) -> Path:
    """A claim bundle of ``documents`` (path, title) in section D, its register set by ``protect``; saved."""
    folder.mkdir(parents=True, exist_ok=True)
    bundle = claim_bundle()
    for path, title in documents:
        add_document(bundle, folder, path, "D", title=title)
    protect(bundle)
    project = folder / "case.bundle.json"
    save_project(bundle, project)
    return project
