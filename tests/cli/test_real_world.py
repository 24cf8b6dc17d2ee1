"""Issue 11: real-world damage, each class made here (not copied from public suites).

Broken DOCX parts give one clear line at ``add``; PDFs that qpdf reads (damaged xref,
odd encryption key length) are repaired and built; an AES-256 file with a user password
needs that password, and builds with it. The real CLI runs in-process.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import keyring
import pytest
from docx import Document as new_docx
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream

from bundler.cli.main import main
from bundler.core.build.readback import Expected, require_stamps, unreadable_stamps
from bundler.core.errors import BuildError
from bundler.core.pdf.stamp import StampStyle
from tests.cli.file_keyring import FileKeyring
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


def _no_size(path: Path) -> Path:
    """The trailer's /Size blanked out: pypdf reads the file, but cannot copy it for redaction."""
    data = make_pdf(path.with_suffix(".src.pdf"), pages=3).read_bytes()
    at = data.rfind(b"/Size")
    end = at + len(b"/Size ") + len(data[at + 6 :].split()[0])
    path.write_bytes(data[:at] + b" " * (end - at) + data[end:])
    return path


@pytest.mark.parametrize(
    "make", [_xref_cut, _odd_key_length, _no_size], ids=["damaged-xref", "odd-key-length", "no-size"]
)
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


@pytest.mark.parametrize("make", [_xref_cut, _no_size], ids=["damaged-xref", "no-size"])
def test_a_repaired_file_is_redacted_in_a_public_build(project, tmp_path, capsys, make):
    """Redaction copies the whole file with pypdf, which needs the trailer's /Size: a file
    without one is damaged (repaired by qpdf, which writes the count), never an internal error."""
    path = make(tmp_path / "exhibit.pdf")
    assert main(["add", str(project), str(path), "--section", "C"]) == 0
    assert main(["register", str(project), "add-person", "Farida Khanum", "--pseudonym", "AB"]) == 0
    out = tmp_path / "bundle.pdf"
    assert main(["build", str(project), "-o", str(out), "--no-ocr"]) == 0
    assert "repaired" in capsys.readouterr().out
    assert "Page 3 of exhibit" in PdfReader(out).pages[-1].extract_text()


def test_aes256_with_a_user_password_needs_it_and_builds_with_it(project, tmp_path, capsys, monkeypatch, request):
    writer = PdfWriter(clone_from=make_pdf(tmp_path / "plain.pdf", pages=2))
    # an empty owner password must not let the file in without the user's password
    writer.encrypt(user_password="s3cret", owner_password="", algorithm="AES-256")
    path = tmp_path / "protected.pdf"
    writer.write(path)
    assert main(["add", str(project), str(path), "--section", "C"]) == 5
    assert "password-protected" in capsys.readouterr().err
    assert main(["add", str(project), str(path), "--section", "C", "--password", "s3cret"]) == 0
    out = tmp_path / "bundle.pdf"
    # the password was not kept (none is, unless asked) and no one can be asked here
    assert main(["build", str(project), "-o", str(out)]) == 5
    assert "protected.pdf" in capsys.readouterr().err
    remove = ["remove", str(project), "C1"]
    assert main(remove) == 0
    monkeypatch.setenv("BUNDLER_TEST_KEYRING", str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    request.addfinalizer(lambda: keyring.set_keyring(previous))
    add = ["add", str(project), str(path), "--section", "C", "--password", "s3cret", "--remember-password"]
    assert main(add) == 0
    assert main(["build", str(project), "-o", str(out)]) == 0  # the keyring gives the right one to pdfium
    assert "Page 2 of plain" in PdfReader(out).pages[-1].extract_text()


def _malformed(path: Path) -> Path:
    """Four pages whose content leaves an array, a dictionary and an inline image open."""
    writer = PdfWriter(clone_from=make_pdf(path.with_suffix(".src.pdf"), pages=4))
    tails = [b"", b"\n[1 2 3", b"\n<< /A 1 /B", b"\nBI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02"]
    for page, tail in zip(writer.pages, tails, strict=True):
        page.replace_contents(ContentStream(None, None))
        page.get_contents().set_data(b"BT /F1 12 Tf 72 700 Td (Source page) Tj ET" + tail)  # type: ignore[union-attr]
    writer.write(path)
    return path


def test_malformed_content_cannot_swallow_a_page_number(project, tmp_path):
    path = _malformed(tmp_path / "malformed.pdf")
    assert main(["add", str(project), str(path), "--section", "C"]) == 0
    out = tmp_path / "bundle.pdf"
    assert main(["build", str(project), "-o", str(out)]) == 0
    assert stamps(out) == [str(n) for n in range(1, 7)]
    assert [p.extract_text().split()[-1] for p in PdfReader(out).pages] == [str(n) for n in range(1, 7)]


def test_a_page_whose_number_does_not_read_back_fails_the_build(tmp_path):
    pdf = make_pdf(tmp_path / "plain.pdf", pages=2)
    box = (0.0, 0.0, 595.2756, 841.8898)
    style = StampStyle()
    assert unreadable_stamps(pdf, [Expected(box, 0, "1"), Expected(box, 0, "2")], style) == [1, 2]
    with pytest.raises(BuildError, match="page number of page"):
        require_stamps(pdf, [Expected(box, 0, "1"), Expected(box, 0, "2")], style)
