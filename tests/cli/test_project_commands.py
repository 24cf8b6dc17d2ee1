"""Managing a project from the command line: add (folders, wildcards, typed dates), list,
remove, move, set and check, each with its messages and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bundler.cli.main import main
from bundler.core.errors import ExitCode
from bundler.core.project import load_project
from tests.pdfs import make_pdf


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "case.bundle.json"
    assert main(["new", str(path), "--case-name", "AB v CC Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    return path


def _titles(project: Path, letter: str) -> list[str]:
    section = next(s for s in load_project(project).sections if s.letter == letter)
    return [d.title for d in section.documents]


@pytest.fixture
def letters(tmp_path: Path) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir()
    for n, name in enumerate(["A letter.pdf", "b reply.pdf", "c notes.PDF"], 1):
        make_pdf(folder / name, n)  # 1, 2 and 3 pages
    (folder / "readme.txt").write_text("not a document")
    (folder / "~$lock.docx").write_bytes(b"Word's lock file")
    return folder


def test_a_folder_adds_its_documents_sorted_by_name(project, letters, capsys):
    assert main(["add", str(project), str(letters), "--section", "C"]) == 0
    assert _titles(project, "C") == ["A letter", "b reply", "c notes"]
    assert "Added C1 " in capsys.readouterr().out


def test_wildcards_are_expanded_for_shells_that_do_not(project, letters, capsys):
    assert main(["add", str(project), str(letters / "*.pdf"), "--section", "C"]) == 0
    assert _titles(project, "C") == ["A letter", "b reply"]  # fnmatch is case-sensitive on Linux
    assert main(["add", str(project), str(letters / "nothing-*.pdf"), "--section", "C"]) == ExitCode.PROJECT
    assert "No file matches" in capsys.readouterr().err


@pytest.mark.parametrize("typed", ["11/08/2019", "11 Aug 2019", "2019-08-11", "11 August 2019", "11.08.2019"])
def test_dates_in_the_forms_people_type(project, tmp_path, typed):
    source = make_pdf(tmp_path / "letter.pdf")
    assert main(["add", str(project), str(source), "--section", "C", "--date", typed]) == 0
    assert load_project(project).sections[2].documents[0].date == "2019-08-11"


def test_a_date_that_is_not_one_is_refused_and_nothing_added(project, tmp_path, capsys):
    source = make_pdf(tmp_path / "letter.pdf")
    assert main(["add", str(project), str(source), "--section", "C", "--date", "31/02/2019"]) == ExitCode.PROJECT
    assert "'31/02/2019' is not a date" in capsys.readouterr().err
    assert _titles(project, "C") == []


def test_pages_are_checked_against_the_file_at_add(project, tmp_path, capsys):
    source = make_pdf(tmp_path / "one page.pdf", 1)
    assert main(["add", str(project), str(source), "--section", "C", "--pages", "5-9"]) == ExitCode.PROJECT
    assert "does not fit its 1 page" in capsys.readouterr().err and _titles(project, "C") == []


def test_a_duplicate_is_added_with_a_warning(project, tmp_path, capsys):
    source = make_pdf(tmp_path / "letter.pdf")
    assert main(["add", str(project), str(source), "--section", "C"]) == 0
    assert main(["add", str(project), str(source), "--section", "D"]) == 0
    assert "'letter.pdf' is already in the bundle as C1" in capsys.readouterr().err


def test_list_remove_move_and_set(project, letters, capsys):
    main(["add", str(project), str(letters), "--section", "C"])
    capsys.readouterr()
    assert main(["list", str(project)]) == 0
    out = capsys.readouterr().out
    assert (
        "C1    20" in out
        and "A letter  [letters/A letter.pdf, id " in out
        and "D  Witness statements" in out
        and "(empty)" in out
    )

    assert main(["move", str(project), "C3", "--to", "D"]) == 0
    assert main(["move", str(project), "b reply", "--position", "1"]) == 0
    assert _titles(project, "C") == ["b reply", "A letter"] and _titles(project, "D") == ["c notes"]

    assert main(["set", str(project), "C2", "--title", "Letter before claim", "--date", "11 Aug 2019"]) == 0
    assert main(["set", str(project), "D1", "--rotation", "90", "--pages", "1-2", "--section", "E"]) == 0
    assert main(["set", str(project), "E1", "--pages", "4"]) == ExitCode.PROJECT  # c notes has 3 pages
    bundle = load_project(project)
    doc = bundle.sections[2].documents[1]
    assert (doc.title, doc.date) == ("Letter before claim", "2019-08-11")
    moved = bundle.sections[4].documents[0]
    assert (moved.title, moved.rotation, moved.pages) == ("c notes", 90, "1-2")

    assert main(["remove", str(project), "C1", "E1"]) == 0
    assert "Removed C1 'b reply', E1 'c notes'" in capsys.readouterr().out
    assert _titles(project, "C") == ["Letter before claim"] and (letters / "b reply.pdf").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["set", "C9", "--title", "x"], "No single document matches 'C9'"),
        (["set", "C1", "--date", "yesterday"], "'yesterday' is not a date"),
        (["set", "C1", "--rotation", "45"], "not a quarter turn"),
        (["set", "C1", "--pages", "1-7"], "does not fit its 1 page"),
        (["set", "C1"], "Say what to set"),
        (["move", "C1", "--to", "Z"], "There is no section 'Z'"),
    ],
)
def test_bad_edits_exit_3_and_leave_the_project(project, letters, capsys, args, message):
    main(["add", str(project), str(letters / "A letter.pdf"), "--section", "C"])
    before = project.read_bytes()
    assert main([args[0], str(project), *args[1:]]) == ExitCode.PROJECT
    assert message in capsys.readouterr().err and project.read_bytes() == before


def test_list_as_json_to_standard_output(project, letters, capsys):
    main(["add", str(project), str(letters / "A letter.pdf"), "--section", "C", "--date", "2019-08-11"])
    capsys.readouterr()
    assert main(["list", str(project), "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sections"][2]["documents"][0] | {"id": ""} == {
        "tab": "C1",
        "id": "",
        "title": "A letter",
        "date": "2019-08-11",
        "date_source": "typed",
        "path": "letters/A letter.pdf",
        "pages": "",
        "rotation": 0,
    }


def test_check_a_project_before_building(project, letters, capsys):
    main(["add", str(project), str(letters), "--section", "C"])  # dated from their metadata: today
    for tab in ("C2", "C3"):
        main(["set", str(project), tab, "--date", ""])
    capsys.readouterr()
    assert main(["check", str(project)]) == 0
    out = capsys.readouterr().out
    # C1's only date is the PDF's creation date: a guess that is not used and does not silence the warning.
    assert "Undated: C1 'A letter', C2 'b reply', C3 'c notes'." in out and "Sections A 'Claim documents', B" in out
    assert "C1 'A letter': the date" in out and "guessed from the PDF's properties" in out
    assert main(["set", str(project), "C1", "--confirm-date"]) == 0
    capsys.readouterr()
    main(["check", str(project)])
    out = capsys.readouterr().out
    assert "Undated: C2 'b reply', C3 'c notes'." in out and "guessed" not in out

    (letters / "b reply.pdf").unlink()
    make_pdf(letters / "c notes.PDF", 5)  # changed since added
    assert main(["check", str(project), "--json", "-"]) == ExitCode.CHECK_FAILED
    captured = capsys.readouterr()
    failures = [f["message"] for f in json.loads(captured.out)["findings"] if f["status"] == "fail"]
    assert any("C2 'b reply': 'letters/b reply.pdf' cannot be found" in m for m in failures)
    assert any("C3 'c notes'" in m and "has changed since it was added" in m for m in failures)
    assert "FAIL" in captured.err


def test_help_lists_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "3 project file problem" in out and "8 leak gate stopped the build" in out
