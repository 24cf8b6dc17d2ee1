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

__all__ = [
    "attack_project",
    "draw_on_first_page",
    "draws_cleanly",
    "flat",
    "gate_passes",
    "pdf_name",
    "pdf_stream",
    "pdfium_text",
    "pdftotext",
    "qpdf_raw",
    "reads_name",
    "seen",
]


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


# Rounds 30-33's readers of a source or a built bundle, and the two objects their pages are built of
NAME = "Farida Khanum"


def pdf_name(name: str) -> NameObject:
    return NameObject(name)


def pdf_stream(writer: PdfWriter, data: bytes, entries: dict[str, object] | None = None) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in (entries or {}).items():
        stream[pdf_name(key)] = value  # type: ignore[assignment]
    return writer._add_object(stream)


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def reads_name(text: str) -> bool:
    """The text holds the name, pdftotext's whitespace and line-end hyphen joins allowed."""
    return NAME in " ".join(text.replace("-\n", "").split())


def seen(pdf: Path, page: int, folder: Path) -> str:
    """What Tesseract reads on poppler's rendering of ``page`` (from 1): the eye's proxy."""
    require(shutil.which("pdftoppm") is not None and shutil.which("tesseract") is not None, "pdftoppm, tesseract")
    stem = folder / f"seen-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf)]
        + [str(stem)],
        check=True,
        capture_output=True,
    )
    return subprocess.run(
        ["tesseract", str(stem.with_suffix(".png")), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdfium_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return str(doc[0].get_textpage().get_text_range())
    finally:
        doc.close()


def gate_passes(pdf: Path) -> bool:
    """Whether the leak gate passes ``pdf`` searching for the whole name alone."""
    from bundler.core.anonymise.gate.gate import leak_scan
    from bundler.core.anonymise.terms import Target

    return not leak_scan(pdf, [Target(NAME, "FK", "p1", "person")], file_name="x.pdf")
