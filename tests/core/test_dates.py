"""Dates (issue 14): any ordinary typed form, and guesses that are never used silently.

A date read from a PDF's properties is stored as a guess ("metadata"): the index prints
"Undated" and preflight keeps warning until the user confirms it. A date read from the file
name is printed, but preflight asks for it to be confirmed. Bundles are really built and
their index read back with pdftotext (poppler), not with bundler's own reader.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfWriter

from bundler.core.adding import add_document
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.edits import set_document_field
from bundler.core.errors import ProjectError
from bundler.core.model import Bundle, CaseDetails
from bundler.core.naming import date_problem, metadata_date, parse_typed_date
from bundler.core.preflight.project import run_project_preflight
from bundler.core.preflight.sources import check_project
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from tests.pdfs import make_pdf


def with_creation_date(path: Path, raw: str) -> Path:
    """A one-page PDF whose document information says it was created at ``raw``."""
    writer = PdfWriter(clone_from=str(make_pdf(path)))
    writer.add_metadata({"/CreationDate": raw, "/Title": ""})
    writer.write(str(path))
    return path


def claim(tmp_path: Path) -> tuple[Path, Bundle]:
    bundle = new_bundle("jr-claim", CaseDetails("AB v CC", "AC-2022-LON-000123", short_name="AB v CC"))
    return tmp_path / "case.bundle.json", bundle


def index_text(pdf: Path) -> str:
    """The front matter as poppler reads it."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "2", str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return out.stdout


@pytest.mark.parametrize(
    "typed", ["3 Apr 2022", "03/04/2022", "3/4/2022", "3 April 2022", "2022-04-03", "3rd April, 2022"]
)
def test_every_ordinary_form_is_one_date(typed):
    assert parse_typed_date(typed) == "2022-04-03"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("31/02/2022", "that month has no day 31"),
        ("03/13/2022", "there is no month 13 (the day comes first)"),
        ("3 Apirl 2022", "'Apirl' is not a month"),
        ("3 Apr", "it needs a year"),
        ("next week", "'next week' is not a date"),
    ],
)
def test_a_wrong_date_is_explained(typed, said):
    problem = date_problem(typed)
    assert said in problem and "3 Apr 2022" in problem  # says what is wrong and how to type it
    assert parse_typed_date(typed) is None


def test_placeholder_and_future_metadata_dates_are_ignored():
    assert metadata_date("D:20000101000000Z") is None
    assert metadata_date("D:19700101000000") is None
    assert metadata_date("D:29990101000000") is None
    assert metadata_date("D:20220403101500+01'00'") == "2022-04-03"


def test_a_creation_date_is_a_guess_that_is_not_printed(tmp_path):
    project, bundle = claim(tmp_path)
    doc = add_document(bundle, tmp_path, with_creation_date(tmp_path / "letter.pdf", "D:20220403101500"), "C")
    assert (doc.date, doc.date_source, doc.date_is_guess, doc.filed_date) == ("2022-04-03", "metadata", True, None)
    save_project(bundle, project)
    report = build_bundle(project, load_project(project), BuildOptions(cache_dir=tmp_path / "cache"))
    text = index_text(report.output)
    assert "Undated" in text and "3 Apr 2022" not in text  # the index does not print the guess
    assert any("guessed from the PDF's properties" in w for w in report.warnings)
    found = {f.rule: f for f in run_project_preflight(Path(report.output), project, load_project(project)).findings}
    assert found["undated-documents"].status == "warn"  # the guess does not silence the warning
    assert "its PDF properties say 3 Apr 2022" in found["undated-documents"].message

    set_document_field(bundle, doc.id, "date", doc.date)  # the user confirms it
    assert (doc.date_source, doc.filed_date) == ("typed", "2022-04-03")
    save_project(bundle, project)
    report = build_bundle(project, load_project(project), BuildOptions(cache_dir=tmp_path / "cache"))
    assert "3 Apr 2022" in index_text(report.output) and "Undated" not in index_text(report.output)
    found = {f.rule: f for f in run_project_preflight(Path(report.output), project, load_project(project)).findings}
    assert found["undated-documents"].status == found["guessed-dates"].status == "pass"


def test_a_placeholder_creation_date_leaves_the_document_undated(tmp_path):
    _, bundle = claim(tmp_path)
    doc = add_document(bundle, tmp_path, with_creation_date(tmp_path / "scan.pdf", "D:20000101000000Z"), "C")
    assert (doc.date, doc.date_is_guess) == (None, False)


def test_a_file_name_date_is_printed_but_asked_to_be_confirmed(tmp_path):
    project, bundle = claim(tmp_path)
    source = with_creation_date(tmp_path / "2022-04-03 Letter before claim.pdf", "D:20220501000000")
    doc = add_document(bundle, tmp_path, source, "C")
    assert (doc.date, doc.date_source, doc.filed_date) == ("2022-04-03", "filename", "2022-04-03")
    save_project(bundle, project)
    report = build_bundle(project, load_project(project), BuildOptions(cache_dir=tmp_path / "cache"))
    assert "3 Apr 2022" in index_text(report.output)
    found = {f.rule: f for f in run_project_preflight(Path(report.output), project, load_project(project)).findings}
    assert found["undated-documents"].status == "pass"
    assert found["guessed-dates"].status == "warn" and "guessed from its file name" in found["guessed-dates"].message
    before = {f.rule: f.status for f in check_project(project, bundle).findings}
    assert before["guessed-dates"] == "warn"


def test_a_typed_date_is_the_users_and_a_typo_is_refused(tmp_path):
    _, bundle = claim(tmp_path)
    doc = add_document(bundle, tmp_path, make_pdf(tmp_path / "note.pdf"), "C", date="3 April 2022")
    assert (doc.date, doc.date_source) == ("2022-04-03", "typed")
    with pytest.raises(ProjectError, match="that month has no day 31"):
        add_document(bundle, tmp_path, make_pdf(tmp_path / "other.pdf"), "C", date="31 Apr 2022")


def test_date_source_is_saved_checked_and_optional_in_older_files(tmp_path):
    project, bundle = claim(tmp_path)
    add_document(bundle, tmp_path, with_creation_date(tmp_path / "letter.pdf", "D:20220403101500"), "C")
    save_project(bundle, project)
    data = json.loads(project.read_text("utf-8"))
    assert data["sections"][2]["documents"][0]["date_source"] == "metadata"
    assert load_project(project).sections[2].documents[0].date_source == "metadata"
    data["sections"][2]["documents"][0]["date_source"] = "guess"
    project.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ProjectError, match="date_source"):
        load_project(project)
    del data["sections"][2]["documents"][0]["date_source"]  # a file from before issue 14
    project.write_text(json.dumps(data), "utf-8")
    assert load_project(project).sections[2].documents[0].date_source == "typed"
