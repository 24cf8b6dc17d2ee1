"""Which PDFs need a password, asked quickly: qpdf says "not encrypted" for most files and pypdf
decides the rest; the keyring is asked only for a file that is protected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from bundler.core.adding import add_document
from bundler.core.errors import PasswordError
from bundler.core.pdf.passwords import _plainly_unencrypted, needs_password, supply_passwords
from tests.conftest import claim_bundle
from tests.pdfs import CORPUS, make_pdf


class _Recorded:
    """A keyring that remembers what it was asked (the OS keyring is not on this machine)."""

    def __init__(self, kept: dict[str, str]) -> None:
        self.kept, self.asked = kept, []

    def get(self, key: str) -> str | None:
        self.asked.append(key)
        return self.kept.get(key)

    def set(self, key: str, password: str) -> None:
        self.kept[key] = password


def _encrypted(path: Path, user: str) -> Path:
    writer = PdfWriter(clone_from=make_pdf(path.with_suffix(".plain.pdf"), pages=2))
    writer.encrypt(user_password=user, owner_password="owner", algorithm="AES-256")
    writer.write(path)
    return path


def test_needs_password_answers_as_pypdf_does(tmp_path: Path) -> None:
    locked, open_ = _encrypted(tmp_path / "locked.pdf", "s3cret"), _encrypted(tmp_path / "open.pdf", "")
    assert needs_password(locked, None) and needs_password(locked, "wrong")
    assert not needs_password(locked, "s3cret")
    assert not needs_password(open_, None)  # an empty user password opens it
    assert not needs_password(make_pdf(tmp_path / "plain.pdf"), None)
    for path in sorted((CORPUS / "real-pdfs").glob("*.pdf")):
        try:
            reader = PdfReader(path)
            expected = reader.is_encrypted and not reader.decrypt("")
        except Exception:  # noqa: BLE001 - a file pypdf cannot open: the stage that reads it says why
            expected = False
        assert needs_password(path, None) == bool(expected), path.name


def _stream_handler(path: Path, user: str) -> Path:
    """An encrypted file updated so that its /Encrypt is a stream carrying the same dictionary:
    PDFium sees no security handler in it, pypdf and Acrobat-like readers do."""
    data = _encrypted(path.with_suffix(".dict.pdf"), user).read_bytes()
    number = int(re.search(rb"/Encrypt (\d+) 0 R", data).group(1))
    handler = re.search(rb"(?s)\n%d 0 obj\s*(<<.*?>>)\s*endobj" % number, data).group(1)
    trailer = re.search(rb"(?s)trailer\s*(<<.*>>)\s*startxref", data).group(1)
    previous = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    body = data if data.endswith(b"\n") else data + b"\n"
    length = int(re.search(rb"/Length (\d+)", handler).group(1))  # the key's bits, and now the data's bytes
    update = b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, handler, b"%" * length)
    xref = b"xref\n%d 1\n%010d 00000 n \ntrailer\n%s\n" % (number, len(body), trailer[:-2] + b" /Prev %d >>" % previous)
    path.write_bytes(body + update + xref + b"startxref\n%d\n%%%%EOF\n" % (len(body) + len(update)))
    return path


def test_the_quick_answer_is_never_unencrypted_for_an_encrypted_file(tmp_path: Path) -> None:
    """qpdf's "not encrypted" is the quick answer; any encrypted file, even one the empty password
    opens or one whose security handler is a stream's dictionary, goes to pypdf."""
    oddly = _stream_handler(tmp_path / "stream-handler.pdf", "s3cret")
    assert PdfReader(oddly).is_encrypted and not _plainly_unencrypted(oddly)
    assert needs_password(oddly, None) and not needs_password(oddly, "s3cret")
    assert not _plainly_unencrypted(_encrypted(tmp_path / "open.pdf", ""))
    assert not _plainly_unencrypted(_encrypted(tmp_path / "locked.pdf", "s3cret"))
    assert _plainly_unencrypted(make_pdf(tmp_path / "plain.pdf"))
    for path in sorted((CORPUS / "real-pdfs").glob("*.pdf")):
        try:
            encrypted = PdfReader(path).is_encrypted
        except Exception:  # noqa: BLE001 - a file pypdf cannot open
            continue
        if encrypted:
            assert not _plainly_unencrypted(path), path.name


def test_the_keyring_is_asked_only_for_a_protected_file(tmp_path: Path) -> None:
    bundle = claim_bundle()
    plain = add_document(bundle, tmp_path, make_pdf(tmp_path / "plain.pdf"), "C")
    locked = add_document(bundle, tmp_path, _encrypted(tmp_path / "locked.pdf", "s3cret"), "C", password="s3cret")
    locked.password = None  # as a project that keeps its passwords in the keyring loads
    store = _Recorded({locked.sha256: "s3cret"})
    supply_passwords(bundle, tmp_path, store, None)
    assert store.asked == [locked.sha256]
    assert locked.password == "s3cret" and plain.password is None


def test_a_protected_file_with_no_password_anywhere_is_refused_by_name(tmp_path: Path) -> None:
    bundle = claim_bundle()
    locked = add_document(bundle, tmp_path, _encrypted(tmp_path / "locked.pdf", "s3cret"), "C", password="s3cret")
    locked.password = None
    with pytest.raises(PasswordError, match="locked.pdf"):
        supply_passwords(bundle, tmp_path, _Recorded({}), None)
