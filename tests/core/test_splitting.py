"""Splitting one document into several: the parts' page selections, titles and dates,
boxes going with their pages, refusals, and the built bundle read back (pypdf and pdfminer)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfminer.high_level import extract_text
from pypdf import PdfReader

from bundler.cli.main import main
from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_box
from bundler.core.errors import ExitCode, ProjectError
from bundler.core.model import Served, ServedDocument
from bundler.core.project import load_project
from bundler.core.splitting import parse_split_points, plan_split, selection_text, split_document
from tests.conftest import build_saved, claim_bundle
from tests.pdfs import make_pdf, outline_pypdf


@pytest.fixture
def bundle_and_letters(tmp_path: Path):
    bundle = claim_bundle()
    source = make_pdf(tmp_path / "2019-08-11 Letters.pdf", 10)
    doc = add_document(bundle, tmp_path, source, "C")
    return bundle, doc


def test_split_at_4_and_8_makes_three_documents_of_the_same_source(bundle_and_letters):
    bundle, doc = bundle_and_letters
    parts = split_document(bundle, doc.id, [4, 8], 10, titles=["Letter to HO", "Reply"], dates=["", "1/9/2019"])
    assert [p.pages for p in parts] == ["1-3", "4-7", "8-10"]
    assert [p.title for p in parts] == ["Letter to HO", "Reply", "Letters (part 3)"]
    assert [p.date for p in parts] == [None, "2019-09-01", "2019-08-11"]
    assert parts[0] is doc and len({p.id for p in parts}) == 3
    assert {p.path for p in parts} == {doc.path} and {p.sha256 for p in parts} == {doc.sha256}
    assert bundle.sections[2].documents == parts


def test_pages_count_as_the_document_is_filed(bundle_and_letters):
    bundle, doc = bundle_and_letters
    doc.pages = "2-5,9"  # five pages filed: source 2, 3, 4, 5, 9
    parts = split_document(bundle, doc.id, [3], 10)
    assert [p.pages for p in parts] == ["2-3", "4-5,9"]
    assert selection_text([0, 1, 2, 4, 6, 7]) == "1-3,5,7-8"


def test_a_box_goes_with_its_page(bundle_and_letters):
    bundle, doc = bundle_and_letters
    early = add_box(bundle, doc.id, 2, (10, 10, 50, 50))
    late = add_box(bundle, doc.id, 9, (10, 10, 50, 50))
    parts = split_document(bundle, doc.id, [4, 8], 10)
    assert early.document_id == parts[0].id and late.document_id == parts[2].id


@pytest.mark.parametrize(
    ("starts", "words"),
    [([1], "pages 2 to 10"), ([11], "pages 2 to 10"), ([], "Say where to split")],
)
def test_split_points_outside_the_document_are_refused(bundle_and_letters, starts, words):
    bundle, doc = bundle_and_letters
    with pytest.raises(ProjectError, match=words):
        plan_split(bundle, doc.id, starts, 10)
    assert bundle.sections[2].documents == [doc] and doc.pages == ""


def test_typed_points_and_a_served_document(bundle_and_letters):
    bundle, doc = bundle_and_letters
    assert parse_split_points("8, 4 4") == [4, 8]
    with pytest.raises(ProjectError, match="not a list of pages"):
        parse_split_points("four")
    bundle.served = Served("served.pdf", "0" * 64, 12, "2019-10-01", [ServedDocument(doc.id, 3, 12)])
    with pytest.raises(ProjectError, match="was served"):
        plan_split(bundle, doc.id, [4], 10)


def test_the_built_bundle_has_the_parts_with_their_pages(bundle_and_letters, tmp_path):
    bundle, doc = bundle_and_letters
    split_document(bundle, doc.id, [4, 8], 10, titles=["First letter", "Second letter", "Third letter"])
    report = build_saved(tmp_path / "case.bundle.json", bundle, cache_dir=tmp_path / "cache")
    reader = PdfReader(report.output)
    marks = [(title, page) for depth, title, page in outline_pypdf(reader) if depth == 1]
    assert marks == [
        ("C1. First letter (11 Aug 2019) - 3", 3),
        ("C2. Second letter (11 Aug 2019) - 6", 6),
        ("C3. Third letter (11 Aug 2019) - 10", 10),
    ]
    assert report.pages == 12
    for page, source_page in ((3, 1), (6, 4), (9, 7), (10, 8), (12, 10)):
        assert f"Page {source_page} of 2019-08-11 Letters" in extract_text(report.output, page_numbers=[page - 1])


def test_cli_split_names_each_part(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v CD", "--claim-no", "X1"]) == 0
    assert main(["add", str(project), str(make_pdf(tmp_path / "Letters.pdf", 10)), "--section", "C"]) == 0
    capsys.readouterr()
    args = ["split", str(project), "C1", "--at", "4,8", "--title", "To HO", "--title", "Reply", "--date", "11 Aug 2019"]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "C1 'To HO', 2019-08-11: pages 1-3 of Letters.pdf"
    assert out[1].startswith("C2 'Reply'") and out[1].endswith("pages 4-7 of Letters.pdf")
    assert out[2].startswith("C3 'Letters (part 3)'")
    assert [d.pages for d in load_project(project).sections[2].documents] == ["1-3", "4-7", "8-10"]
    assert main(["split", str(project), "C3", "--at", "9"]) == ExitCode.PROJECT
    assert "has 3 page(s) in the bundle: a new document can start at pages 2 to 3" in capsys.readouterr().err


def test_a_date_given_to_a_part_is_confirmed_the_rest_keep_the_wholes_guess(tmp_path: Path):
    bundle = claim_bundle()
    doc = add_document(bundle, tmp_path, make_pdf(tmp_path / "scan.pdf", 6), "C")
    doc.date, doc.date_source = "2019-08-11", "metadata"  # from the PDF's properties: never printed unconfirmed
    parts = split_document(bundle, doc.id, [3, 5], 6, dates=["11 Aug 2019", "1 Sep 2019"])
    assert [(p.date, p.date_source) for p in parts] == [
        ("2019-08-11", "metadata"),  # left as shown: still the guess
        ("2019-09-01", "typed"),
        ("2019-08-11", "metadata"),
    ]
    assert [p.filed_date for p in parts] == [None, "2019-09-01", None]
