"""Which PDFs need a password, asked quickly: qpdf says "not encrypted" for most files and pypdf
decides the rest; the keyring is asked only for a file that is protected."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from bundler.core import fsutil
from bundler.core.adding import add_document
from bundler.core.errors import PasswordError
from bundler.core.fsutil import sha256_file
from bundler.core.model import Document
from bundler.core.pdf import passwords
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


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each file pypdf opens to learn whether it needs a password (the real check still answers)."""
    asked: list[Path] = []
    real = passwords._pypdf_answer

    def counted(path: Path, password: str | None, data: bytes | None = None) -> tuple[bool, bool]:
        asked.append(path)
        return real(path, password, data)

    monkeypatch.setattr(passwords, "_pypdf_answer", counted)
    return asked


def _kept(cache: Path) -> list[str]:
    return json.loads((cache / "unencrypted.json").read_bytes())["files"]


def test_files_that_open_without_a_password_are_remembered_by_their_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild does not open the same bytes again; a protected file is never remembered;
    a file replaced in place by a protected one is opened afresh and its password asked for."""
    cache = tmp_path / "cache"
    bundle = claim_bundle()
    plain_path = make_pdf(tmp_path / "plain.pdf")
    plain = add_document(bundle, tmp_path, plain_path, "C")
    locked = add_document(bundle, tmp_path, _encrypted(tmp_path / "locked.pdf", "s3cret"), "C", password="s3cret")
    locked.password = None
    asked = _counting(monkeypatch)
    supply_passwords(bundle, tmp_path, _Recorded({locked.sha256: "s3cret"}), None, cache)
    assert _kept(cache) == [sha256_file(plain_path)] and {p.name for p in asked} == {"locked.pdf", "plain.pdf"}

    asked.clear()
    locked.password = None
    supply_passwords(bundle, tmp_path, _Recorded({locked.sha256: "s3cret"}), None, cache)
    assert {p.name for p in asked} == {"locked.pdf"}  # the plain file's bytes opened before
    assert plain.password is None and locked.password == "s3cret"

    _encrypted(tmp_path / "other.pdf", "n3w").replace(plain_path)  # a protected file under the old name
    asked.clear()
    questions: list[str] = []

    def ask(doc: Document, path: Path) -> str:
        questions.append(path.name)
        return "n3w"

    locked.password = None
    supply_passwords(bundle, tmp_path, _Recorded({locked.sha256: "s3cret"}), ask, cache)
    assert "plain.pdf" in [p.name for p in asked] and questions == ["plain.pdf"] and plain.password == "n3w"
    assert sha256_file(plain_path) not in _kept(cache)


def test_a_damaged_or_older_memory_of_plain_files_is_not_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    bundle = claim_bundle()
    plain = make_pdf(tmp_path / "plain.pdf")
    add_document(bundle, tmp_path, plain, "C")
    older = json.dumps({"versions": "bundler 0.0.1, pypdf 3.0", "files": [sha256_file(plain)]}).encode()
    for damaged in (b"{not json", b'{"a": 1}', b'["short", 5, null]', b'{"files": 5}', older):
        (cache / "unencrypted.json").write_bytes(damaged)
        asked = _counting(monkeypatch)
        supply_passwords(bundle, tmp_path, _Recorded({}), None, cache)
        assert [p.name for p in asked] == ["plain.pdf"], damaged
        assert _kept(cache) == [sha256_file(plain)]


def test_without_a_cache_folder_nothing_is_hashed_or_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = claim_bundle()
    add_document(bundle, tmp_path, make_pdf(tmp_path / "plain.pdf"), "C")
    monkeypatch.setattr(fsutil, "sha256_files", lambda paths: pytest.fail("hashed without a cache"))
    asked = _counting(monkeypatch)
    supply_passwords(bundle, tmp_path, _Recorded({}), None)
    assert [p.name for p in asked] == ["plain.pdf"] and list(tmp_path.glob("**/unencrypted.json")) == []


def test_a_missing_source_is_left_to_the_stage_that_reads_it(tmp_path: Path) -> None:
    bundle = claim_bundle()
    add_document(bundle, tmp_path, make_pdf(tmp_path / "gone.pdf"), "C")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "here.pdf"), "C")
    (tmp_path / "gone.pdf").unlink()
    supply_passwords(bundle, tmp_path, _Recorded({}), None, tmp_path / "cache")  # no error here
    assert _kept(tmp_path / "cache") == [sha256_file(tmp_path / "here.pdf")]


def _big(path: Path, password: str | None = None) -> Path:
    """A PDF past ``_QPDF_FROM`` (an incompressible image), plain or protected."""
    writer = PdfWriter(clone_from=make_pdf(path.with_suffix(".small.pdf")))
    writer.add_attachment("noise.bin", random.Random(7).randbytes(passwords._QPDF_FROM + 1000))
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    writer.write(path)
    assert path.stat().st_size > passwords._QPDF_FROM
    return path


def test_a_big_file_is_answered_by_qpdf_first_and_pypdf_when_in_doubt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick: list[str] = []
    real = passwords._plainly_unencrypted
    monkeypatch.setattr(passwords, "_plainly_unencrypted", lambda path: quick.append(path.name) or real(path))
    plain, locked, open_ = (
        _big(tmp_path / "plain.pdf"),
        _big(tmp_path / "locked.pdf", "s3cret"),
        _big(tmp_path / "open.pdf", ""),
    )
    assert not needs_password(plain, None) and quick == ["plain.pdf"]
    assert needs_password(locked, None) and needs_password(locked, "wrong") and not needs_password(locked, "s3cret")
    assert not needs_password(open_, None)
    quick.clear()
    assert not needs_password(make_pdf(tmp_path / "small.pdf"), None) and quick == []  # pypdf alone


def test_an_answer_is_kept_under_the_hash_of_the_bytes_that_gave_it(tmp_path: Path) -> None:
    """A file that changes between its hashing and its opening (the attack: while the user is
    asked about another file) is kept as it was opened: the protected bytes hashed before are
    never taken for plain ones, and are asked about on every build."""
    cache = tmp_path / "cache"
    protected = _encrypted(tmp_path / "locked.pdf", "s3cret")
    hashed_before = sha256_file(protected)
    plain = make_pdf(tmp_path / "plain.pdf")
    plain.replace(protected)  # the file changed after it was hashed
    memory = passwords.Unencrypted(cache)
    assert not memory.needs_password(protected, hashed_before)
    memory.save()
    assert _kept(cache) == [sha256_file(protected)] and hashed_before not in _kept(cache)
    _encrypted(tmp_path / "again.pdf", "s3cret").replace(protected)  # and back
    assert passwords.Unencrypted(cache).needs_password(protected, sha256_file(protected))


def test_answers_from_a_failure_or_from_qpdf_by_right_are_not_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    memory = passwords.Unencrypted(cache)
    assert not memory.needs_password(damaged, sha256_file(damaged))  # the stage that reads it says why
    memory.save()
    assert not (cache / "unencrypted.json").exists()


def test_a_deeply_nested_memory_is_not_believed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "unencrypted.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    (cache / "file-hashes.json").write_bytes(b"{" + b'"a":[' * 100_000 + b"]" * 100_000 + b"}")
    bundle = claim_bundle()
    add_document(bundle, tmp_path, make_pdf(tmp_path / "plain.pdf"), "C")
    supply_passwords(bundle, tmp_path, _Recorded({}), None, cache)
    assert _kept(cache) == [sha256_file(tmp_path / "plain.pdf")]


def test_many_unknown_files_are_answered_by_qpdf_and_a_protected_one_still_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More than a few files not known (a first build): qpdf's import pays for itself, and it
    answers the small files too; a protected one among them still goes to pypdf and is asked."""
    quick: list[object] = []
    real = passwords._plainly_unencrypted
    monkeypatch.setattr(passwords, "_plainly_unencrypted", lambda source: quick.append(source) or real(source))
    bundle = claim_bundle()
    for n in range(passwords._QPDF_FOR_MORE_THAN + 1):
        add_document(bundle, tmp_path, make_pdf(tmp_path / f"plain{n}.pdf"), "C")
    locked = add_document(bundle, tmp_path, _encrypted(tmp_path / "locked.pdf", "s3cret"), "C", password="s3cret")
    locked.password = None
    store = _Recorded({locked.sha256: "s3cret"})
    supply_passwords(bundle, tmp_path, store, None, tmp_path / "cache")
    assert len(quick) >= passwords._QPDF_FOR_MORE_THAN + 2 and store.asked == [locked.sha256]
    assert len(_kept(tmp_path / "cache")) == passwords._QPDF_FOR_MORE_THAN + 1 and locked.password == "s3cret"
