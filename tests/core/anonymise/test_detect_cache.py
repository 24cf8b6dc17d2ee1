"""Stored detection: a second detect gives exactly the hits of a fresh one, and anything
that could change them (register, document bytes, detector) reads the document again.

Real PDFs (made here with reportlab, and from the shared corpus) are read by PDFium; the
real ``detect_one`` is watched, not replaced, to see which documents were read.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

import bundler.core.anonymise.detect_pool as detect_pool
import bundler.core.anonymise.detected as detected
from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.detect_pool import detect_documents
from bundler.core.anonymise.register import accept_hit
from bundler.core.anonymise.review import reject_hits
from bundler.core.errors import Cancelled, PasswordError, SourceError
from bundler.core.model import Person, Register, Term
from tests.conftest import claim_bundle

STATEMENT = [
    "Witness statement of Farida Khanum, of 14 Elm Road, Leeds LS6 2AB.",
    "Mrs Khanum says the quashing order was sought on 3 May.\nCall 07700 900123 or write to Kofi Mensah.",
]
LETTER = ["Dear Sir,\nWe act for FK (known as Freda), born on 01/02/1985.\nYours faithfully, Jane Okafor"]


def _pdf(path: Path, pages: list[str]) -> Path:
    pdf = Canvas(str(path))
    for text in pages:
        pdf.setFont("Helvetica", 12)
        for n, line in enumerate(text.split("\n")):
            pdf.drawString(72, 760 - 16 * n, line)
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture
def items(tmp_path: Path, corpus: Path) -> list[tuple[str, str, Path]]:
    shutil.copyfile(corpus / "real-pdfs" / "pdflatex-4-pages.pdf", tmp_path / "latex.pdf")
    return [
        ("d-statement", "Statement", _pdf(tmp_path / "statement.pdf", STATEMENT)),
        ("d-letter", "Letter", _pdf(tmp_path / "letter.pdf", LETTER)),
        ("d-latex", "Lorem", tmp_path / "latex.pdf"),
    ]


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the documents actually read (the real ``detect_one``, watched)."""
    seen: list[str] = []
    real = detect_pool.detect_one

    def watched(document_id: str, *args: object) -> detected.Found:
        seen.append(document_id)
        return real(document_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(detect_pool, "detect_one", watched)
    return seen


def _register() -> Register:
    return Register(
        people=[Person("Farida Khanum", "FK", variants=["Mrs Khanum"], id="p-farida")],
        terms=[Term("quashing order", action="replace", replacement="[order]", id="t-order")],
    )


def _detect(items: list[tuple[str, str, Path]], register: Register, cache: Path | None) -> list[Hit]:
    return detect_documents(items, register, cache_dir=cache)


def test_a_stored_detect_is_exactly_a_fresh_one(items, cache_dir: Path, read: list[str]) -> None:
    register = _register()
    fresh = _detect(items, register, None)
    assert {h.rule for h in fresh} >= {"register:p-farida", "register:t-order", "pattern:uk-phone", "suggest:person"}
    assert _detect(items, register, cache_dir) == fresh
    read.clear()
    assert _detect(items, register, cache_dir) == fresh
    assert read == []  # nothing read: every document's result was stored


def _changed_register(change: str) -> Register:
    register = _register()
    if change == "person":
        register.people.append(Person("Kofi Mensah", "KM", id="p-kofi"))
    elif change == "variant":
        register.people[0].variants.append("Freda")  # a nickname: a new form
    elif change == "term":
        register.terms.append(Term("Leeds", category="place", id="t-leeds"))
    elif change == "replacement":
        register.terms[0].replacement = "[an order]"
    elif change == "action":
        register.people[0].action = "redact"
    return register


@pytest.mark.parametrize("change", ["person", "variant", "term", "replacement", "action"])
def test_a_register_change_reads_every_document_again(items, cache_dir: Path, read: list[str], change: str) -> None:
    _detect(items, _register(), cache_dir)
    register = _changed_register(change)
    read.clear()
    hits = _detect(items, register, cache_dir)
    assert sorted(read) == sorted(doc_id for doc_id, _, _ in items)
    assert hits == _detect(items, register, None) != _detect(items, _register(), None)


def test_rejecting_gives_what_a_fresh_detect_gives(items, cache_dir: Path, read: list[str]) -> None:
    """Rejections are applied to detect's result, not part of it; a rejection that takes an
    accepted term back out of the register changes the targets, and the documents are read again."""
    bundle = claim_bundle()
    bundle.register = _register()
    first = _detect(items, bundle.register, cache_dir)
    phone = next(h for h in first if h.rule == "pattern:uk-phone")
    accept_hit(bundle, phone)  # the number becomes a redacted term
    read.clear()
    accepted = _detect(items, bundle.register, cache_dir)
    assert read and accepted == _detect(items, bundle.register, None)
    reject_hits(bundle, [h for h in accepted if h.text == phone.text], accepted)
    assert phone.text not in {t.text for t in bundle.register.terms}  # taken back out
    read.clear()
    after = _detect(items, bundle.register, cache_dir)
    assert read and after == _detect(items, bundle.register, None) == first
    read.clear()
    bundle.register.rejected_hits.append(first[0].key)  # a rejection alone: the same hits, flagged by the caller
    assert _detect(items, bundle.register, cache_dir) == first and read == []


def test_new_document_bytes_are_read_again(items, cache_dir: Path, read: list[str]) -> None:
    register = _register()
    _detect(items, register, cache_dir)
    _pdf(items[1][2], ["We act for Farida Khanum."])
    read.clear()
    hits = _detect(items, register, cache_dir)
    assert read == ["d-letter"]
    assert hits == _detect(items, register, None)
    assert [h.text for h in hits if h.document_id == "d-letter"] == ["Farida Khanum"]


def test_a_renamed_document_is_not_served_its_old_hits(items, cache_dir: Path, read: list[str]) -> None:
    register = _register()
    _detect(items, register, cache_dir)
    renamed = [("d-other", "Other", items[0][2]), *items[1:]]
    read.clear()
    hits = _detect(renamed, register, cache_dir)
    assert read == ["d-other"]
    assert hits == _detect(renamed, register, None)


def test_a_new_detector_reads_every_document_again(
    items, cache_dir: Path, read: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    register = _register()
    _detect(items, register, cache_dir)
    monkeypatch.setattr(detected, "detector_version", lambda: "a-newer-detector")
    read.clear()
    hits = _detect(items, register, cache_dir)
    assert len(read) == len(items)
    assert hits == _detect(items, register, None)


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / detected.FOLDER).glob("*.hits"))


def _tamper(path: Path) -> None:
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["hits"] = [row for row in entry["hits"] if "Khanum" not in row[2]]  # hide a name; the mac stays
    path.write_text(json.dumps(entry), encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # cut short
        lambda p: p.write_text("not json at all"),
        _tamper,
        lambda p: (p.parent / "secret.key").write_bytes(b"\0" * 32),  # signed with another secret
        lambda p: (p.parent / "secret.key").unlink(),
    ],
    ids=["truncated", "garbage", "edited", "other-secret", "no-secret"],
)
def test_a_damaged_or_tampered_entry_is_ignored(items, cache_dir: Path, read: list[str], damage) -> None:
    register = _register()
    fresh = _detect(items, register, cache_dir)
    statement = next(p for p in _entries(cache_dir) if "Khanum" in p.read_text(encoding="utf-8"))
    damage(statement)
    read.clear()
    assert _detect(items, register, cache_dir) == fresh
    assert "d-statement" in read


def test_an_entry_copied_under_another_document_is_ignored(tmp_path: Path, cache_dir: Path, read: list[str]) -> None:
    first = _pdf(tmp_path / "a.pdf", ["Farida Khanum was there."])
    second = _pdf(tmp_path / "b.pdf", ["Nobody was there."])
    items = [("d-a", "A", first), ("d-b", "B", second)]
    _detect(items, _register(), cache_dir)
    by_size = sorted(_entries(cache_dir), key=lambda p: p.stat().st_size)
    shutil.copyfile(by_size[1], by_size[0])  # b's slot now holds a's signed entry
    read.clear()
    hits = _detect(items, _register(), cache_dir)
    assert read == ["d-b"]
    assert hits == _detect(items, _register(), None)


def test_entries_are_private_and_named_by_hashes(items, cache_dir: Path) -> None:
    _detect(items, _register(), cache_dir)
    entries = _entries(cache_dir)
    assert len(entries) == len(items)
    for path in [*entries, cache_dir / detected.FOLDER / "secret.key"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert all(len(p.stem) == 40 and int(p.stem, 16) >= 0 for p in entries)
    stored = " ".join(p.read_text(encoding="utf-8") for p in entries)
    assert "Khanum" in stored and "Huardest gefburn" not in stored  # hits and their context, not whole pages


def test_a_stored_encrypted_document_still_needs_its_password(tmp_path: Path, corpus: Path, cache_dir: Path) -> None:
    pdf = tmp_path / "locked.pdf"
    shutil.copyfile(corpus / "real-pdfs" / "libreoffice-writer-password.pdf", pdf)
    register = Register(terms=[Term("consetetur sadipscing", id="t-lorem")])
    hits = detect_documents([("x", "X", pdf)], register, password_for=lambda p: "openpassword", cache_dir=cache_dir)
    assert hits and _entries(cache_dir)
    again = detect_documents([("x", "X", pdf)], register, password_for=lambda p: "openpassword", cache_dir=cache_dir)
    assert again == hits
    with pytest.raises(PasswordError, match="locked.pdf"):
        detect_documents([("x", "X", pdf)], register, cache_dir=cache_dir)
    with pytest.raises(PasswordError, match="locked.pdf"):
        detect_documents([("x", "X", pdf)], register, password_for=lambda p: "wrong", cache_dir=cache_dir)


# -- in worker processes --------------------------------------------------------------


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detect_pool, "_POOL_FROM_BYTES", 0)  # two workers even for small files


def test_workers_find_exactly_what_one_process_finds(
    items, cache_dir: Path, read: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    register = _register()
    in_process = _detect(items, register, None)
    assert sorted(read) == sorted(doc_id for doc_id, _, _ in items)  # small files: no workers
    monkeypatch.setattr(detect_pool, "_POOL_FROM_BYTES", 0)
    if (os.cpu_count() or 1) > 1:
        assert detect_pool._workers(dict(enumerate(items))) > 1
    read.clear()
    assert _detect(items, register, cache_dir) == in_process
    assert read == [] or (os.cpu_count() or 1) == 1  # read in the workers, not here
    assert len(_entries(cache_dir)) == len(items)  # and their results stored


def test_a_damaged_document_in_a_worker_gets_the_usual_message(items, tmp_path: Path, pooled: None) -> None:
    bad = tmp_path / "notes.pdf"
    bad.write_text("just words")
    with pytest.raises(SourceError, match="notes.pdf"):
        _detect([*items, ("d-bad", "Notes", bad)], _register(), None)


class _CancelAfter:
    def __init__(self, steps: int) -> None:
        self.done, self.steps = 0, steps

    def stage(self, name: str, total: int, unit: str = "") -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        self.done += steps

    def cancelled(self) -> bool:
        return self.done >= self.steps


def test_cancel_stops_the_workers(items, cache_dir: Path, pooled: None) -> None:
    register = _register()
    with pytest.raises(Cancelled):
        detect_documents(items, register, progress=_CancelAfter(1), cache_dir=cache_dir)
    kept = _entries(cache_dir)
    assert 1 <= len(kept) < len(items)  # what was done before the cancel is kept, and is exact
    assert _detect(items, register, cache_dir) == _detect(items, register, None)


def test_an_empty_store_hashes_nothing_before_reading(items, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing kept yet (no secret): the sources are not hashed to look for entries; once kept, they are."""
    hashed: list[Path] = []
    real = detect_pool.sha256_file
    monkeypatch.setattr(detect_pool, "sha256_file", lambda path: hashed.append(path) or real(path))
    fresh = _detect(items, _register(), cache_dir)
    assert hashed == []
    assert _detect(items, _register(), cache_dir) == fresh
    assert hashed == [path for _, _, path in items]
