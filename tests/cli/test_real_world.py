"""Issue 11: real-world damage, each class made here (not copied from public suites).

Broken DOCX parts give one clear line at ``add``; PDFs that qpdf reads (damaged xref,
odd encryption key length) are repaired and built; an AES-256 file with a user password
needs that password, and builds with it. The real CLI runs in-process.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document as new_docx
from pypdf import PdfReader, PdfWriter

from bundler.cli.main import main
from tests.pdfs import make_pdf, stamps


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "case.bundle.json"
    assert main(["new", str(path), "--case-name", "AB v C", "--claim-no", "AC-2026-LON-1"]) == 0
    return path


def _docx(path: Path, change) -> Path:
    """A real Word file made by python-docx, then one part (or its bytes) damaged by ``change``."""
    good = path.with_suffix(".good.docx")
    doc = new_docx()
    doc.add_paragraph("Witness statement of the claimant")
    doc.save(str(good))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                out.writestr(info.filename, data)
    return path


def _corrupt_deflate(path: Path) -> Path:
    _docx(path, lambda name, data: data)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 8, start + 40):
        raw[i] ^= 0x5A
    path.write_bytes(bytes(raw))
    return path


BROKEN_DOCX = {
    "not-well-formed": (lambda p: _docx(p, lambda n, d: d[: len(d) // 2] if n == "word/document.xml" else d), "XML"),
    "corrupt-deflate": (_corrupt_deflate, "cannot be unpacked"),
    "missing-main": (lambda p: _docx(p, lambda n, d: None if n == "word/document.xml" else d), "missing"),
    "bad-core-props": (lambda p: _docx(p, lambda n, d: b"<cp:x" if n == "docProps/core.xml" else d), "core.xml"),
    "wrong-content-type": (
        lambda p: _docx(p, lambda n, d: d.replace(b"wordprocessingml.document.main", b"spreadsheetml.sheet.main")),
        "not a Word document",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_DOCX))
def test_a_broken_docx_part_is_one_clear_line_never_an_internal_error(project, tmp_path, capsys, kind):
    make, words = BROKEN_DOCX[kind]
    path = make(tmp_path / f"{kind}.docx")
    before = project.read_bytes()
    assert main(["add", str(project), str(path), "--section", "C"]) == 6
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"'{kind}.docx'" in err and words in err and "Word" in err
    assert project.read_bytes() == before


def _xref_cut(path: Path) -> Path:
    """The cross-reference table cut off mid-entry: pypdf gives up, qpdf rebuilds it."""
    data = make_pdf(path.with_suffix(".src.pdf"), pages=3).read_bytes()
    path.write_bytes(data[: data.rfind(b"\nxref") + 40])
    return path


def _odd_key_length(path: Path) -> Path:
    """RC4 with an empty user password and a /Length that is no multiple of 8."""
    writer = PdfWriter(clone_from=make_pdf(path.with_suffix(".src.pdf"), pages=3))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = path.with_suffix(".enc.pdf")
    writer.write(out)
    path.write_bytes(out.read_bytes().replace(b"/Length 128", b"/Length 44 ", 1))
    return path


@pytest.mark.parametrize("make", [_xref_cut, _odd_key_length], ids=["damaged-xref", "odd-key-length"])
def test_a_file_qpdf_reads_is_repaired_and_built(project, tmp_path, capsys, make):
    path = make(tmp_path / "exhibit.pdf")
    before = path.read_bytes()
    assert main(["add", str(project), str(path), "--section", "C"]) == 0
    assert "repaired" in capsys.readouterr().out
    out = tmp_path / "bundle.pdf"
    assert main(["build", str(project), "-o", str(out)]) == 0
    assert "repaired" in capsys.readouterr().out
    reader = PdfReader(out)
    assert "Page 3 of exhibit" in reader.pages[-1].extract_text()
    assert stamps(out) == [str(n) for n in range(1, len(reader.pages) + 1)]
    assert path.read_bytes() == before


def test_aes256_with_a_user_password_needs_it_and_builds_with_it(project, tmp_path, capsys):
    writer = PdfWriter(clone_from=make_pdf(tmp_path / "plain.pdf", pages=2))
    # an empty owner password must not let the file in without the user's password
    writer.encrypt(user_password="s3cret", owner_password="", algorithm="AES-256")
    path = tmp_path / "protected.pdf"
    writer.write(path)
    assert main(["add", str(project), str(path), "--section", "C"]) == 5
    assert "password-protected" in capsys.readouterr().err
    assert main(["add", str(project), str(path), "--section", "C", "--password", "s3cret"]) == 0
    out = tmp_path / "bundle.pdf"
    assert main(["build", str(project), "-o", str(out)]) == 0
    assert "Page 2 of plain" in PdfReader(out).pages[-1].extract_text()
