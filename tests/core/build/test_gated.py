"""The one gated writer: nothing leaves the program without the leak gate reading it first."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfWriter
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.terms import targets_from_register
from bundler.core.build.gated import write_docx, write_pdf, write_text
from bundler.core.errors import BuildError, LeakError
from bundler.core.model import Person, Register

TARGETS = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha", id="p1")]))
INFO = {"/Title": "AB v X", "/Producer": "bundler"}
CORE = Path(__file__).resolve().parents[3] / "bundler" / "core"


def _writer(tmp_path: Path, text: str) -> PdfWriter:
    src = tmp_path / "src.pdf"
    canvas = Canvas(str(src))
    canvas.drawString(72, 720, text)
    canvas.save()
    return PdfWriter(clone_from=str(src))


def _previous(path: Path) -> bytes:
    path.write_bytes(b"the bundle served last week")
    return path.read_bytes()


def test_a_pdf_with_a_protected_name_is_never_written(tmp_path: Path) -> None:
    dst = tmp_path / "AB v X.pdf"
    before = _previous(dst)
    with pytest.raises(LeakError):
        write_pdf(_writer(tmp_path, "Statement of Farida Khanum"), dst, TARGETS, info=INFO)
    assert dst.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_clean_pdf_is_sanitised_and_written_with_the_users_permissions(tmp_path: Path) -> None:
    dst = tmp_path / "AB v X.pdf"
    writer = _writer(tmp_path, "Statement of Aisha")
    writer.add_metadata({"/Author": "Farida Khanum"})
    old = os.umask(0o022)
    try:
        notes, size = write_pdf(writer, dst, TARGETS, info=INFO)
    finally:
        os.umask(old)
    assert size == dst.stat().st_size > 0
    assert oct(dst.stat().st_mode & 0o777) == oct(0o644)
    assert b"Khanum" not in dst.read_bytes()


def test_a_failed_check_after_the_gate_leaves_the_destination_alone(tmp_path: Path) -> None:
    dst = tmp_path / "out.pdf"
    before = _previous(dst)

    def refuse(tmp: Path) -> None:
        assert tmp != dst and tmp.stat().st_size > 0
        raise BuildError("served pages changed")

    with pytest.raises(BuildError, match="served pages"):
        write_pdf(_writer(tmp_path, "Aisha"), dst, TARGETS, info=INFO, check=refuse)
    assert dst.read_bytes() == before


@pytest.mark.parametrize("text", ["Tab,Page\nC1,Farida KHANUM\n", "Khanum's letter"])
def test_text_exports_are_searched_before_they_exist(tmp_path: Path, text: str) -> None:
    dst = tmp_path / "map.csv"
    with pytest.raises(LeakError, match="nothing was written"):
        write_text(dst, text, TARGETS)
    assert not dst.exists()


def test_a_protected_name_in_the_file_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LeakError):
        write_text(tmp_path / "Khanum index.json", "{}", TARGETS)


def test_a_word_file_is_swept_in_every_part_after_saving(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("Index")
    doc.core_properties.author = "Farida Khanum"  # not in the body: only the saved parts show it
    dst = tmp_path / "index.docx"
    with pytest.raises(LeakError, match="Nothing was written"):
        write_docx(dst, lambda tmp: doc.save(str(tmp)), TARGETS)
    assert not dst.exists()
    doc.core_properties.author = ""
    write_docx(dst, lambda tmp: doc.save(str(tmp)), TARGETS)
    assert dst.stat().st_size > 0


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}


OUTPUT_MODULES = [
    *sorted((CORE / "build").rglob("*.py")),
    *sorted((CORE / "exports").rglob("*.py")),
    CORE / "anonymise" / "schedule.py",
    CORE / "anonymise" / "report_stage.py",
]


@pytest.mark.parametrize("module", OUTPUT_MODULES, ids=lambda p: str(p.relative_to(CORE)))
def test_outputs_have_no_other_way_out_than_the_gated_writer(module: Path) -> None:
    """Writing helpers and the gate itself are used by the gated writer alone."""
    if module.name == "gated.py" or module.parent.name == "chunks":  # the chunk store is the cache
        return
    forbidden = {"atomic_output", "atomic_write_bytes", "require_no_leaks", "sanitise_writer"}
    assert _imported_names(module) & forbidden == set()
