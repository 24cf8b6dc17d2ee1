"""What the CLI attack tests share: a one-document project with a protected person, and
readers of the built bundle that bundler does not use itself (qpdf, poppler)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, IndirectObject, NameObject

from bundler.cli.main import main
from tests.conftest import require

__all__ = ["flat", "qpdf_raw", "attack_project", "draws_cleanly", "draw_on_first_page"]


def flat(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text).casefold()


def qpdf_raw(pdf: Path) -> str:
    """The file with every stream decompressed (``qpdf --qdf``), as text."""
    require(shutil.which("qpdf") is not None, "qpdf")
    out = pdf.with_suffix(".qdf.pdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(out)], check=False)
    return out.read_bytes().decode("latin-1")


def attack_project(folder: Path, source: Path, name: str) -> Path:
    """A project holding ``source`` as an exhibit, with ``name`` registered as AB."""
    project = folder / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "D", "--title", "Exhibit"]) == 0
    assert main(["register", str(project), "add-person", name, "--pseudonym", "AB"]) == 0
    return project


def draws_cleanly(pdf: Path, folder: Path) -> None:
    """poppler draws every page without an error."""
    require(shutil.which("pdftoppm") is not None, "pdftoppm")
    drawn = subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(folder / "p")], capture_output=True)
    assert drawn.returncode == 0 and not re.search(rb"(?i)error", drawn.stderr), drawn.stderr


def draw_on_first_page(writer: PdfWriter, drawing: bytes, xobjects: dict[str, IndirectObject] | None = None) -> None:
    """Append ``drawing`` to the first page's content, with ``xobjects`` as its XObjects."""
    page = writer.pages[0]
    if xobjects:
        page["/Resources"].get_object()[NameObject("/XObject")] = DictionaryObject(
            {NameObject(name): ref for name, ref in xobjects.items()}
        )
    content = DecodedStreamObject()
    content.set_data(drawing)
    page[NameObject("/Contents")] = ArrayObject([page.get("/Contents").indirect_reference, writer._add_object(content)])
