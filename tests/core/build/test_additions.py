"""Additions after service never renumber served pages (PRODUCT.md §2.11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from bundler.core.adding import add_document
from bundler.core.build.additions import build_additions, freeze
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.build.served import same_pages
from bundler.core.errors import BuildError, SourceError
from bundler.core.model import CaseDetails
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from tests.pdfs import make_pdf, outline_pypdf, stamps


@pytest.fixture
def served(tmp_path):
    """A served 9-page HB bundle (cover, index, A1 3 pages, A2 2 pages, C1 2 pages), frozen."""
    bundle = new_bundle("jr-hearing", CaseDetails("AB v X", "AC-1"))
    for name, pages, section in (("a", 3, "A"), ("b", 2, "A"), ("c", 2, "E")):
        add_document(bundle, tmp_path, make_pdf(tmp_path / f"{name}.pdf", pages), section)
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    served_pdf = tmp_path / "served.pdf"
    build_bundle(project, load_project(project), BuildOptions(tmp_path / "cache", output=served_pdf))
    bundle = load_project(project)
    freeze(project, bundle, served_pdf)
    add_document(bundle, tmp_path, make_pdf(tmp_path / "late.pdf", 4), "A", title="Late witness statement")
    save_project(bundle, project)
    return project, served_pdf


def test_freeze_records_where_each_document_was_served(served):
    project, _ = served
    record = load_project(project).served
    assert record.pages == 9
    assert [(d.first, d.last) for d in record.documents] == [(3, 5), (6, 7), (8, 9)]


def test_supplementary_bundle_is_numbered_on_from_the_last_served_page(served, tmp_path):
    project, _ = served
    bundle = load_project(project)
    report = build_additions(project, bundle, BuildOptions(tmp_path / "cache"), "supplementary")
    out = Path(report.output)
    assert out.name == "AB v X - Hearing Bundle - AC-1 - Supplementary 1.pdf"
    expected = [f"HB9.{n}" for n in range(1, 7)]  # cover, index, 4 pages
    assert stamps(out) == expected and PdfReader(out).page_labels == expected
    assert any(
        t.startswith("A3. Late witness statement") and t.endswith("HB9.3") and p == 3
        for _, t, p in outline_pypdf(PdfReader(out))
    )
    assert bundle.served.supplements == 1


def test_appended_pages_continue_and_served_pages_are_unchanged(served, tmp_path):
    project, served_pdf = served
    report = build_additions(project, load_project(project), BuildOptions(tmp_path / "cache"), "append")
    out = Path(report.output)
    assert same_pages(served_pdf, out, 9)
    assert stamps(out) == [f"HB{n}" for n in range(1, 9 + 1 + 4 + 1)]  # + index of additions + 4 pages
    assert PdfReader(out).page_labels == [f"HB{n}" for n in range(1, 15)]
    titles = [t for _, t, _ in outline_pypdf(PdfReader(out))]
    assert any(t.startswith("A3. Late witness statement") and t.endswith("HB11") for t in titles)
    assert report.documents[0].first_page == 11 and "pages 1-9 are the served pages" in " ".join(report.notes)


def test_served_check_catches_a_renumbered_bundle(served, tmp_path):
    project, served_pdf = served
    bundle = load_project(project)
    bundle.served = None  # a careless full rebuild puts the late statement in the middle
    rebuilt = tmp_path / "rebuilt.pdf"
    build_bundle(project, bundle, BuildOptions(tmp_path / "cache", output=rebuilt))
    assert not same_pages(served_pdf, rebuilt, 9)


def test_the_served_file_is_never_overwritten_and_must_be_intact(served, tmp_path):
    project, served_pdf = served
    with pytest.raises(BuildError, match="never overwritten"):
        build_additions(project, load_project(project), BuildOptions(tmp_path / "cache", output=served_pdf), "append")
    served_pdf.write_bytes(served_pdf.read_bytes() + b"\n% edited")
    with pytest.raises(SourceError, match="missing or has changed"):
        build_additions(project, load_project(project), BuildOptions(tmp_path / "cache"), "append")


def test_nothing_added_is_a_clear_error(served, tmp_path):
    project, _ = served
    bundle = load_project(project)
    bundle.sections[0].documents.pop()
    with pytest.raises(BuildError, match="Nothing has been added since the bundle was served"):
        build_additions(project, bundle, BuildOptions(tmp_path / "cache"))
