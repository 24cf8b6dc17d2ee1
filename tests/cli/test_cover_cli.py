"""The JR cover, built from the command line and read back with poppler's pdftotext:
the parties by role, the date the user set (never the build date), an own cover PDF, and
the parties' names anonymised in a public bundle."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text

from bundler.cli.main import main
from bundler.core.build.cover import cover_date
from bundler.core.errors import ExitCode
from bundler.core.project import load_project
from tests.conftest import require
from tests.pdfs import make_pdf

PARTIES = [
    "--claimant", "THE KING on the application of Aisha Khan",
    "--defendant", "CHIEF CONSTABLE OF WESSEX POLICE",
    "--interested-party", "SECRETARY OF STATE FOR THE HOME DEPARTMENT",
    "--interested-party", "INFORMATION COMMISSIONER",
]  # fmt: skip


def _cover(pdf: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    run = ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"]
    return subprocess.run(run, capture_output=True, text=True, check=True).stdout


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "case.bundle.json"
    new = ["new", str(path), "--case-name", "R (AK) v CC Wessex", "--claim-no", "AC-2026-LON-000123"]
    assert main([*new, *PARTIES, "--date", "11 Aug 2019"]) == 0
    assert main(["add", str(path), str(make_pdf(tmp_path / "letter.pdf", 2)), "--section", "C"]) == 0
    return path


def _build(project: Path, name: str, *extra: str) -> Path:
    out = project.parent / name
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(project.parent / "cache"), *extra]) == 0
    return out


def test_the_cover_lists_the_parties_by_role_in_order_with_the_date_set(project):
    lines = _lines(_cover(_build(project, "out.pdf")))
    expected = [
        "IN THE HIGH COURT OF JUSTICE",
        "KING'S BENCH DIVISION",
        "ADMINISTRATIVE COURT",
        "Claim No. AC-2026-LON-000123",
        "BETWEEN",
        "THE KING on the application of Aisha Khan Claimant",
        "– and –",
        "CHIEF CONSTABLE OF WESSEX POLICE Defendant",
        "– and –",
    ]
    assert lines[: len(expected)] == expected
    rest = " ".join(lines[len(expected) :])
    assert rest.index("(1) SECRETARY OF STATE") < rest.index("Interested Parties")
    assert rest.index("Interested Parties") < rest.index("(2) INFORMATION COMMISSIONER") < rest.index("CLAIM BUNDLE")
    assert "Date: 11 August 2019" in lines
    assert cover_date(date.today().isoformat()) not in rest


def test_building_twice_prints_the_same_cover_and_no_build_date(project):
    first, second = _cover(_build(project, "one.pdf")), _cover(_build(project, "two.pdf"))
    assert first == second
    assert main(["case", str(project), "--date", ""]) == 0  # a project with no date set
    undated = _cover(_build(project, "three.pdf"))
    assert "Date:" not in undated and cover_date(date.today().isoformat()) not in undated
    assert "Index at page 2" in undated


def test_new_stores_today_as_the_bundle_date_unless_told(tmp_path):
    path = tmp_path / "c.bundle.json"
    assert main(["new", str(path), "--case-name", "AB v CD", "--claim-no", "X1"]) == 0
    case = load_project(path).case
    assert case.bundle_date == date.today().isoformat() and case.parties == [] and case.cover_pdf == ""


def test_an_own_cover_pdf_is_page_one_stamped_like_ours(project, tmp_path):
    (tmp_path / "covers").mkdir()
    cover = make_pdf(tmp_path / "covers" / "our cover.pdf", 1, text="OUR OWN COVER")
    assert main(["case", str(project), "--cover-pdf", str(cover)]) == 0
    assert load_project(project).case.cover_pdf == "covers/our cover.pdf"
    out = _build(project, "own.pdf")
    page_one = _cover(out)
    assert "OUR OWN COVER 1 of our cover" in page_one and "BETWEEN" not in page_one
    assert _lines(page_one)[-1] == "1"  # the stamp, bottom right
    assert "Index at page" not in page_one
    assert extract_text(str(out), page_numbers=[1]).count("INDEX") == 1  # the index follows on page 2


def test_a_cover_of_several_pages_or_missing_is_one_clear_line(project, tmp_path, capsys):
    three = make_pdf(tmp_path / "three.pdf", 3)
    assert main(["case", str(project), "--cover-pdf", str(three)]) == ExitCode.SOURCE
    err = capsys.readouterr().err
    assert "'three.pdf' has 3 pages" in err and "one page" in err and len(err.strip().splitlines()) == 1
    one = make_pdf(tmp_path / "one.pdf", 1)
    assert main(["case", str(project), "--cover-pdf", str(one)]) == 0
    one.unlink()
    assert main(["build", str(project), "-o", str(tmp_path / "x.pdf")]) == ExitCode.SOURCE
    err = capsys.readouterr().err
    assert "'one.pdf' (the bundle's own cover) cannot be found" in err and "Traceback" not in err


def test_a_public_bundle_prints_the_protected_claimants_pseudonym(project, tmp_path, capsys):
    assert main(["register", str(project), "add-person", "Aisha Khan", "--pseudonym", "AK"]) == 0
    out = _build(project, "public.pdf")
    page_one = _cover(out)
    assert "THE KING on the application of AK" in page_one
    assert "Aisha" not in page_one and "Khan" not in page_one
    assert "Aisha" not in extract_text(str(out), page_numbers=[0])  # a second reader agrees
    assert "leak gate: passed" in capsys.readouterr().out
    confidential = _build(project, "conf.pdf", "--confidential")
    assert "THE KING on the application of Aisha Khan" in _cover(confidential)


def test_an_own_cover_naming_the_claimant_is_redacted_in_a_public_bundle(project, tmp_path):
    assert main(["register", str(project), "add-person", "Aisha Khan", "--pseudonym", "AK"]) == 0
    cover = make_pdf(tmp_path / "cover.pdf", 1, text="R (Aisha Khan) v CC Wessex")
    assert main(["case", str(project), "--cover-pdf", str(cover)]) == 0
    page_one = _cover(_build(project, "public.pdf"))
    assert "Aisha" not in page_one and "CC Wessex" in page_one


def test_older_projects_load_and_the_schema_refuses_an_unknown_role(project, capsys):
    data = json.loads(project.read_text(encoding="utf-8"))
    del data["case"]["parties"], data["case"]["cover_pdf"]
    project.write_text(json.dumps(data), encoding="utf-8")
    case = load_project(project).case
    assert case.parties == [] and case.cover_pdf == "" and case.bundle_date == "2019-08-11"
    data["case"]["parties"] = [{"name": "AB", "role": "appellant"}]
    project.write_text(json.dumps(data), encoding="utf-8")
    assert main(["case", str(project)]) == ExitCode.PROJECT
    assert "case.parties[0].role" in capsys.readouterr().err


def test_check_reports_an_undated_cover_and_a_cover_that_went_missing(project, tmp_path, capsys):
    assert main(["check", str(project)]) == 0
    assert "the cover is dated 11 August 2019" in capsys.readouterr().out
    assert main(["case", str(project), "--date", ""]) == 0
    main(["check", str(project)])
    assert "the cover has no date" in capsys.readouterr().out
    cover = make_pdf(tmp_path / "cover.pdf", 1)
    assert main(["case", str(project), "--cover-pdf", str(cover)]) == 0
    cover.unlink()
    assert main(["check", str(project)]) == ExitCode.CHECK_FAILED
    assert "own cover: 'cover.pdf' cannot be found" in capsys.readouterr().out


def test_a_cover_that_is_not_there_or_not_a_pdf_is_refused_when_chosen(project, tmp_path, capsys):
    assert main(["case", str(project), "--cover-pdf", str(tmp_path / "nothere.pdf")]) == ExitCode.SOURCE
    assert "'nothere.pdf' cannot be found. Check the cover PDF's name and folder." in capsys.readouterr().err
    (tmp_path / "notes.pdf").write_text("not a PDF at all")
    assert main(["case", str(project), "--cover-pdf", str(tmp_path / "notes.pdf")]) == ExitCode.SOURCE
    assert "'notes.pdf'" in capsys.readouterr().err
    assert main(["case", str(project), "--cover-pdf", ""]) == 0
    assert load_project(project).case.cover_pdf == ""


def test_a_variant_given_its_own_replacement_on_the_command_line(project, capsys):
    args = ["register", str(project), "add-person", "Aisha Khan", "--pseudonym", "AK"]
    assert main([*args, "--variant", "Mrs Khan=the claimant", "--variant", "A. Khan"]) == 0
    person = load_project(project).register.people[0]  # the file with the new field passes the schema
    assert person.variants == ["Mrs Khan", "A. Khan"]
    assert person.variant_replacements == {"Mrs Khan": "the claimant"}
    assert main(["register", str(project), "list"]) == 0
    assert "(also: Mrs Khan -> the claimant, A. Khan) -> AK" in capsys.readouterr().out
