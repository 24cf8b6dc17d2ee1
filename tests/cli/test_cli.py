"""The command-line contract: commands, options, messages and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from hashlib import sha256
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from bundler.cli.main import main
from tests.pdfs import make_pdf, outline_pypdf, stamps


def run(*args: object) -> subprocess.CompletedProcess[str]:
    """The real installed entry point, as scripts call it."""
    return subprocess.run(
        [sys.executable, "-m", "bundler", *map(str, args)], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "case.bundle.json"
    assert (
        main(
            [
                "new",
                str(path),
                "--template",
                "jr-claim",
                "--case-name",
                "AB v Chief Constable of Wessex Police",
                "--claim-no",
                "AC-2019-LON-002345",
            ]
        )
        == 0
    )
    return path


def test_new_add_build_from_the_command_line(project, tmp_path):
    letter = make_pdf(tmp_path / "2019-08-11 Letter before claim.pdf", 2)
    assert main(["add", str(project), str(letter), "--section", "Pre-action correspondence"]) == 0
    doc = json.loads(project.read_text())["sections"][2]["documents"][0]
    assert (doc["title"], doc["date"], doc["path"]) == ("Letter before claim", "2019-08-11", letter.name)
    result = run("build", project, "--json", tmp_path / "report.json")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["documents"][0]["first_page"] == 3 and report["documents"][0]["last_page"] == 4
    out = tmp_path / "AB v Chief Constable of Wessex Police - Claim Bundle - AC-2019-LON-002345.pdf"
    assert report["output"] == str(out) and "4 pages, 1 documents" in result.stdout
    assert stamps(out) == ["1", "2", "3", "4"]


def test_templates_give_their_sections(tmp_path):
    for template, letters in (("jr-claim", "ABCDEF"), ("jr-hearing", "ABCDEF"), ("authorities", "ABC")):
        path = tmp_path / f"{template}.bundle.json"
        assert main(["new", str(path), "--template", template, "--case-name", "R (AB) v X", "--claim-no", "1"]) == 0
        data = json.loads(path.read_text())
        assert "".join(s["letter"] for s in data["sections"]) == letters
    claim = json.loads((tmp_path / "jr-claim.bundle.json").read_text())
    assert [s["title"] for s in claim["sections"]] == [
        "Claim documents",
        "Decision under challenge",
        "Pre-action correspondence",
        "Witness statements and exhibits",
        "Other documents",
        "Policy and statutory material",
    ]


def test_check_passes_a_fresh_bundle_and_fails_a_plain_pdf(project, tmp_path):
    main(["add", str(project), str(make_pdf(tmp_path / "a.pdf", 2)), "--section", "A"])
    assert main(["build", str(project), "-o", str(tmp_path / "out.pdf")]) == 0
    ok = run("check", tmp_path / "out.pdf", "--json", tmp_path / "check.json")
    assert ok.returncode == 0, ok.stdout
    findings = json.loads((tmp_path / "check.json").read_text())
    assert findings["findings"]
    bad = run("check", make_pdf(tmp_path / "plain.pdf", 3))
    assert bad.returncode != 0 and "fail" in bad.stdout.lower()


def _empty_pdf(path: Path) -> Path:
    PdfWriter().write(str(path))
    return path


def _corrupt_pdf(path: Path, tmp_path: Path) -> Path:
    good = make_pdf(tmp_path / "good.pdf", 3).read_bytes()
    path.write_bytes(good[:200] + b"\x00garbage" * 50)
    return path


BAD_INPUTS = {
    "missing.pdf": (lambda p, t: p, "cannot be found", 4),
    "empty.pdf": (lambda p, t: (p.write_bytes(b""), p)[1], "is empty", 4),
    "notapdf.pdf": (lambda p, t: (p.write_text("Dear Sir"), p)[1], "is not a PDF", 4),
    "corrupt.pdf": (_corrupt_pdf, "is damaged", 4),
    "nopages.pdf": (lambda p, t: _empty_pdf(p), "has no pages", 4),
    "statement.docx": (
        lambda p, t: (p.write_bytes(b"PK\x03\x04 not really"), p)[1],
        "cannot be read as a Word document",
        6,
    ),
    "photo.png": (lambda p, t: (p.write_bytes(b"\x89PNG broken"), p)[1], "cannot be read as an image", 6),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_one_clear_line_and_the_project_is_untouched(project, tmp_path, name):
    make, message, code = BAD_INPUTS[name]
    path = make(tmp_path / name, tmp_path)
    good = make_pdf(tmp_path / "good-one.pdf")
    before = project.read_bytes()
    result = run("add", project, good, path, "--section", "C")
    assert result.returncode == code
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"'{name}'" in result.stderr and message in result.stderr
    assert project.read_bytes() == before


LOCKED = ("real-pdfs", "libreoffice-writer-password.pdf")


def test_passwords(project, corpus, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # no keyring here
    locked = corpus.joinpath(*LOCKED)
    no_pw = run("add", project, locked, "--section", "B")
    assert no_pw.returncode == 5 and "is password-protected" in no_pw.stderr and "--password" in no_pw.stderr
    wrong = run("add", project, locked, "--section", "B", "--password", "nope")
    assert wrong.returncode == 5 and "did not open with the password given" in wrong.stderr
    added = run("add", project, locked, "--section", "B", "--password", "openpassword", "--remember-password")
    assert added.returncode == 0 and "no keyring" in added.stdout and "was not kept" in added.stdout
    assert "openpassword" not in project.read_text()  # never written in clear
    # No terminal to ask in and nowhere it was kept: a clear error naming the file, not a traceback.
    build = run("build", project)
    assert build.returncode == 5 and "libreoffice-writer-password.pdf" in build.stderr
    assert "is password-protected" in build.stderr and "Traceback" not in build.stderr


def _believe_plain(cache: Path, pdf: Path) -> None:
    """A memory of plain files that is wrong about ``pdf`` (tampered with, or the file changed)."""
    from pypdf import __version__ as pypdf_version

    from bundler import __version__

    cache.mkdir(parents=True, exist_ok=True)
    digest = sha256(pdf.read_bytes()).hexdigest()
    kept = {"versions": f"bundler {__version__}, pypdf {pypdf_version}", "files": [digest]}
    (cache / "unencrypted.json").write_text(json.dumps(kept))


@pytest.mark.parametrize("command", ["build", "detect"])
def test_a_wrong_memory_of_plain_files_still_asks_for_the_password(project, corpus, tmp_path, monkeypatch, command):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    locked = corpus.joinpath(*LOCKED)
    assert main(["add", str(project), str(locked), "--section", "B", "--password", "openpassword"]) == 0
    _believe_plain(tmp_path / "cache", locked)
    # In a script nobody can be asked: the advice is to build in a terminal, not an option build lacks.
    refused = run(command, project)
    assert refused.returncode == 5 and "libreoffice-writer-password.pdf" in refused.stderr
    assert "Build in a terminal to be asked for it" in refused.stderr and "--password" not in refused.stderr
    # In a terminal the wrong memory is dropped and the user asked, once, then the job runs.
    _believe_plain(tmp_path / "cache", locked)
    asked: list[str] = []

    def ask(doc, path):
        asked.append(path.name)
        return "openpassword"

    monkeypatch.setattr("bundler.cli.passwords.terminal_ask", lambda: ask)
    args = [command, str(project)] + (["-o", str(tmp_path / "out.pdf")] if command == "build" else [])
    assert main(args) == 0
    assert asked == [locked.name]
    if command == "build":
        assert len(PdfReader(tmp_path / "out.pdf").pages) > 2


def test_a_remembered_password_lives_in_the_keyring(project, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.cli.file_keyring.FileKeyring")
    monkeypatch.setenv("BUNDLER_TEST_KEYRING", str(tmp_path / "keyring.json"))
    locked = corpus.joinpath(*LOCKED)
    added = run("add", project, locked, "--section", "B", "--password", "openpassword", "--remember-password")
    assert added.returncode == 0 and "kept in this computer's keyring" in added.stdout
    assert "openpassword" not in project.read_text() and "openpassword" in (tmp_path / "keyring.json").read_text()
    assert run("build", project).returncode == 0  # the keyring gives it back


def test_an_older_project_with_its_password_still_builds_and_can_move_it(project, corpus, tmp_path, monkeypatch):
    import json

    locked = corpus.joinpath(*LOCKED)
    assert run("add", project, locked, "--section", "B", "--password", "openpassword").returncode == 0
    data = json.loads(project.read_text())  # as older versions wrote it: the password in the file
    doc = next(d for s in data["sections"] for d in s["documents"])
    doc["password"] = "openpassword"
    project.write_text(json.dumps(data))
    assert run("build", project).returncode == 0
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.cli.file_keyring.FileKeyring")
    monkeypatch.setenv("BUNDLER_TEST_KEYRING", str(tmp_path / "keyring.json"))
    listed = run("passwords", project)
    assert "the project file (in clear)" in listed.stdout and "--move-to-keyring" in listed.stdout
    moved = run("passwords", project, "--move-to-keyring")
    assert moved.returncode == 0 and "Moved 1 password" in moved.stdout
    assert "openpassword" not in project.read_text()
    assert run("build", project).returncode == 0


def test_a_moved_source_is_reported_at_build_time(project, tmp_path):
    src = make_pdf(tmp_path / "exhibit.pdf")
    main(["add", str(project), str(src), "--section", "D"])
    src.unlink()
    result = run("build", project)
    assert result.returncode == 4 and "'exhibit.pdf' cannot be found" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_section_and_bad_project(project, tmp_path):
    result = run("add", project, make_pdf(tmp_path / "a.pdf"), "--section", "Z")
    assert result.returncode == 3 and "There is no section 'Z'" in result.stderr
    broken = tmp_path / "broken.bundle.json"
    broken.write_text("{ not json")
    result = run("build", broken)
    assert result.returncode == 3 and "'broken.bundle.json' is not a valid bundle project" in result.stderr


def test_schema_is_shipped_and_valid_for_a_real_project(project):
    import jsonschema  # a test dependency (pyproject: test extras)

    schema = json.loads(run("schema").stdout)
    jsonschema.validate(json.loads(project.read_text()), schema)


def test_freeze_then_additions_from_the_command_line(project, tmp_path):
    main(["add", str(project), str(make_pdf(tmp_path / "a.pdf", 2)), "--section", "A"])
    served = tmp_path / "served.pdf"
    assert run("build", project, "-o", served).returncode == 0
    frozen = run("freeze", project, served)
    assert frozen.returncode == 0 and "4 pages" in frozen.stdout
    main(["add", str(project), str(make_pdf(tmp_path / "late.pdf", 1)), "--section", "C"])
    result = run("build", project, "--additions", "append", "-o", tmp_path / "with.pdf")
    assert result.returncode == 0, result.stderr
    check = run("served-check", tmp_path / "with.pdf", served)
    assert check.returncode == 0 and "exactly the served pages" in check.stdout
    assert run("served-check", served, tmp_path / "with.pdf").returncode != 0


def test_volumes_from_the_command_line(project, tmp_path):
    files = [str(make_pdf(tmp_path / f"exhibit{n}.pdf", 30)) for n in range(4)]
    main(["add", str(project), *files, "--section", "D"])
    result = run("build", project, "--max-pages", "70", "--json", tmp_path / "volumes.json")
    assert result.returncode == 0, result.stderr
    volumes = json.loads((tmp_path / "volumes.json").read_text())["volumes"]
    assert len(volumes) == 2 and volumes[1]["documents"][0]["first_label"] == str(volumes[0]["pages"] + 3)


def test_core_bundle_from_the_command_line(project, tmp_path):
    main(["add", str(project), str(make_pdf(tmp_path / "grounds.pdf", 5)), "--section", "A"])
    main_pdf = tmp_path / "main.pdf"
    assert run("build", project, "-o", main_pdf).returncode == 0
    result = run("core-bundle", project, main_pdf, "--documents", "A1", "--pages", "2", "-o", tmp_path / "core.pdf")
    assert result.returncode == 0, result.stderr
    core = tmp_path / "core.pdf"
    assert stamps(core)[2:] == ["CB3", "CB4", "CB5", "CB6", "CB7", "CB8"]
    titles = [t for _, t, _ in outline_pypdf(PdfReader(core))]
    assert any(t.startswith("A1. Front matter (main bundle 2)") for t in titles)
    assert any(t.startswith("A2. grounds (main bundle 3-7)") for t in titles)
    bad = run("core-bundle", project, main_pdf, "--documents", "Z9")
    assert bad.returncode == 3 and "no document 'Z9'" in bad.stderr


def test_the_command_sets_its_collector_for_one_job_and_main_does_not(tmp_path: Path) -> None:
    """``bundler`` (``run``) freezes what is alive after imports and collects young objects less
    often; ``main``, which tests and the GUI's callers reuse in one process, leaves the collector be."""
    import gc

    before = gc.get_threshold()
    assert main(["build", str(tmp_path / "missing.bundle.json")]) != 0
    assert gc.get_threshold() == before
    missing = tmp_path / "missing.bundle.json"
    probe = f"import gc, sys; sys.argv = ['bundler', 'build', {str(missing)!r}]\nfrom bundler.cli.main import run\n"
    probe += "code = run(); print(gc.get_threshold()[0], gc.get_freeze_count() > 1000, code > 0)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert out.stdout.split()[-3:] == ["20000", "True", "True"], out.stderr
