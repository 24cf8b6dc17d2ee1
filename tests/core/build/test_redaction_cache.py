"""Stored redactions are reused only for the same source, register and redactor; the gate trusts none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

import bundler.core.anonymise.stage as stage
from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_person, add_term
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.errors import LeakError
from bundler.core.model import Bundle, CaseDetails
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle


def _letter(path: Path, line: str = "Dear Sirs, we act for Farida Khanum of 14 Elm Road.") -> Path:
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, line)
    pdf.drawString(72, 740, "The claimant's case is set out below.")
    pdf.showPage()
    pdf.save()
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    bundle = new_bundle("jr-claim", CaseDetails("AB v Chief Constable of Wessex Police", "AC-2019-LON-002345"))
    add_document(bundle, tmp_path, _letter(tmp_path / "letter.pdf"), "C")
    add_person(bundle, "Farida Khanum", "Aisha")
    add_term(bundle, "14 Elm Road", category="address")
    path = tmp_path / "case.bundle.json"
    save_project(bundle, path)
    return path


def _build(project: Path, accept_changed: bool = False) -> Path:
    out = project.parent / "out.pdf"
    options = BuildOptions(cache_dir=project.parent / "cache", output=out, accept_changed=accept_changed)
    build_bundle(project, load_project(project), options)
    return out


def _stored(project: Path) -> set[Path]:
    return set((project.parent / "cache").rglob("*.redacted.pdf"))


def _edit(project: Path, change: object) -> None:
    bundle: Bundle = load_project(project)
    change(bundle)  # type: ignore[operator]
    save_project(bundle, project)


def _text(pdf: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_an_unchanged_rebuild_reuses_the_stored_redaction(project: Path) -> None:
    _build(project)
    first = _stored(project)
    _build(project)
    assert len(first) == 1 and _stored(project) == first


def test_a_new_term_is_not_served_an_old_redaction(project: Path) -> None:
    _build(project)
    before = _stored(project)
    _edit(project, lambda b: add_term(b, "claimant", category="other"))
    out = _build(project)
    assert _stored(project) - before and "claimant" not in _text(out).lower()


def test_a_changed_replacement_is_not_served_an_old_redaction(project: Path) -> None:
    _build(project)
    before = _stored(project)

    def rename(bundle: Bundle) -> None:
        bundle.register.people[0].pseudonym = "Zed"

    _edit(project, rename)
    out = _build(project)
    assert _stored(project) - before and "Zed" in _text(out) and "Aisha" not in _text(out)


def test_a_changed_document_is_not_served_an_old_redaction(project: Path) -> None:
    _build(project)
    before = _stored(project)
    _letter(project.parent / "letter.pdf", "A new letter for Farida Khanum, sent again.")
    out = _build(project, accept_changed=True)
    assert _stored(project) - before and "sent again" in _text(out)


def test_a_changed_redactor_is_not_served_an_old_redaction(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(project)
    before = _stored(project)
    monkeypatch.setattr(stage, "redactor_version", lambda: "a-newer-redactor")
    _build(project)
    assert _stored(project) - before


def test_a_poisoned_stored_redaction_cannot_leak(project: Path) -> None:
    out = _build(project)
    out.unlink()
    (stored,) = _stored(project)
    shutil.copyfile(project.parent / "letter.pdf", stored)  # the unredacted original, under the key
    with pytest.raises(LeakError):
        _build(project)
    assert not out.exists()
