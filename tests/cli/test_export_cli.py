"""The command line for court workflows: 'bundler export' and 'bundler check --project'."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from bundler.cli.main import main
from tests.pdfs import make_pdf, stamps

CASE = "AB v Chief Constable of Wessex Police"


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bundler", *map(str, args)], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def built(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A project with a claim form and a letter, built from the command line."""
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "case.bundle.json"
    assert main(["new", str(project), "--case-name", CASE, "--claim-no", "AC-2019-LON-002345"]) == 0
    claim = make_pdf(tmp_path / "2019-10-01 N461 claim form.pdf", 2)
    letter = make_pdf(tmp_path / "2019-08-11 Letter before claim.pdf", 3)
    assert main(["add", str(project), str(claim), "--section", "A"]) == 0
    assert main(["add", str(project), str(letter), "--section", "C"]) == 0
    assert main(["build", str(project)]) == 0
    return project, tmp_path / f"{CASE} - Claim Bundle - AC-2019-LON-002345.pdf"


def test_export_writes_every_output_asked_for(built, tmp_path):
    project, pdf = built
    out = {name: tmp_path / name for name in ("index.docx", "map.csv", "map.json", "n461.pdf")}
    result = run(
        "export",
        project,
        pdf,
        "--index-docx",
        out["index.docx"],
        "--pagemap-csv",
        out["map.csv"],
        "--pagemap-json",
        out["map.json"],
        "--n461",
        out["n461.pdf"],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Exported") == 4
    rows = [[c.text for c in r.cells] for r in DocxDocument(str(out["index.docx"])).tables[0].rows]
    assert rows[2] == ["A1", "N461 claim form", "1 Oct 2019", "3"] and rows[4][0] == "C1"
    data = json.loads(out["map.json"].read_text("utf-8"))
    assert [(d["tab"], d["first_page"], d["last_page"]) for d in data["documents"]] == [("A1", 3, 4), ("C1", 5, 7)]
    assert "C1,Letter before claim,2019-08-11,5,7" in out["map.csv"].read_text("utf-8-sig")
    assert stamps(out["n461.pdf"]) == ["3", "4"] and len(PdfReader(out["n461.pdf"]).pages) == 2


def test_export_with_nothing_asked_for_is_an_error(built, capsys):
    project, pdf = built
    assert main(["export", str(project), str(pdf)]) == 3
    assert "Nothing to export: give --index-docx" in capsys.readouterr().err


def test_export_of_a_stale_bundle_names_the_problem_without_a_traceback(built, tmp_path):
    project, pdf = built
    late = make_pdf(tmp_path / "2019-09-01 Reply.pdf")
    assert main(["add", str(project), str(late), "--section", "C"]) == 0
    result = run("export", project, pdf, "--pagemap-csv", tmp_path / "map.csv")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "no bookmark for C2" in result.stderr and not (tmp_path / "map.csv").exists()


def test_check_with_the_project_adds_its_rules(built, tmp_path):
    project, pdf = built
    result = run("check", pdf, "--project", project, "--json", tmp_path / "check.json")
    assert result.returncode == 0, result.stdout
    rules = {f["rule"]: f["status"] for f in json.loads((tmp_path / "check.json").read_text())["findings"]}
    assert rules["document-pages"] == rules["duplicate-documents"] == rules["undated-documents"] == "pass"
    assert "Correspondence in date order" in run("check", pdf, "--project", project).stdout
    assert "Correspondence in date order" not in run("check", pdf).stdout


def test_check_fails_on_a_protected_name_in_the_file_name(built, tmp_path):
    project, pdf = built
    assert main(["register", str(project), "add-person", "Aisha Khanum", "--pseudonym", "AB"]) == 0
    named = tmp_path / "Aisha Khanum v CC - Claim Bundle - AC-2019-LON-002345.pdf"
    shutil.copy(pdf, named)
    result = run("check", named, "--project", project)
    assert result.returncode == 2
    assert "FAIL  File name and protected names" in result.stdout and "protected name" in result.stdout


def test_no_claim_form_to_export_says_what_to_do_in_the_app_and_the_command_line(tmp_path, monkeypatch, capsys):
    """The same message reaches the app's export dialog: it names the checkbox as well as the option."""
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "case.bundle.json"
    assert main(["new", str(project), "--case-name", CASE, "--claim-no", "AC-2019-LON-002345"]) == 0
    letter = make_pdf(tmp_path / "2019-08-11 Letter before claim.pdf", 3)
    assert main(["add", str(project), str(letter), "--section", "A"]) == 0
    assert main(["build", str(project)]) == 0
    pdf = tmp_path / f"{CASE} - Claim Bundle - AC-2019-LON-002345.pdf"
    capsys.readouterr()
    assert main(["export", str(project), str(pdf), "--n461", str(tmp_path / "n461.pdf")]) == 3
    said = capsys.readouterr().err
    assert "no N461 claim form" in said and "--n461" in said and "untick 'Claim form N461'" in said
    assert not (tmp_path / "n461.pdf").exists()
