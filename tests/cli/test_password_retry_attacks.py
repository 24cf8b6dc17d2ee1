# ruff: noqa: F811 - ``project`` is test_cli's fixture, used by name
"""Attacks on ``with_passwords``: the memory of plain files wrong, in a script (no terminal)."""

from __future__ import annotations

import json
import shutil
from hashlib import sha256

import pytest

from bundler.cli.main import main
from bundler.core.pdf.passwords import SERVICE
from tests.cli.test_cli import LOCKED, _believe_plain, project, run  # noqa: F401 - the fixture

__all__: list[str] = []


def _refused_by_name(done, name: str) -> None:
    assert done.returncode == 5, (done.returncode, done.stderr)
    assert name in done.stderr and "Traceback" not in done.stderr
    assert "--password" not in done.stderr, done.stderr


@pytest.mark.parametrize("command", ["build", "detect"])
def test_a_wrong_memory_and_a_wrong_keyring_password_in_a_script(project, corpus, tmp_path, monkeypatch, command):
    keyring_file = tmp_path / "keyring.json"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.cli.file_keyring.FileKeyring")
    monkeypatch.setenv("BUNDLER_TEST_KEYRING", str(keyring_file))
    locked = corpus.joinpath(*LOCKED)
    assert main(["add", str(project), str(locked), "--section", "B", "--password", "openpassword"]) == 0
    digest = sha256(locked.read_bytes()).hexdigest()
    keyring_file.write_text(json.dumps({f"{SERVICE}/{digest}": "wrong"}))
    _believe_plain(tmp_path / "cache", locked)
    _refused_by_name(run(command, project, *(["-o", tmp_path / "out.pdf"] if command == "build" else [])), locked.name)


def test_two_protected_files_both_believed_plain_in_a_script(project, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    locked = corpus.joinpath(*LOCKED)
    other = tmp_path / "other-locked.pdf"
    shutil.copyfile(locked, other)
    with other.open("ab") as f:
        f.write(b"\n% another file\n")
    for pdf in (locked, other):
        assert main(["add", str(project), str(pdf), "--section", "B", "--password", "openpassword"]) == 0
    cache = tmp_path / "cache"
    cache.mkdir(exist_ok=True)
    _believe_plain(cache, locked)
    kept = json.loads((cache / "unencrypted.json").read_text())
    kept["files"].append(sha256(other.read_bytes()).hexdigest())
    (cache / "unencrypted.json").write_text(json.dumps(kept))
    _refused_by_name(run("build", project, "-o", tmp_path / "out.pdf"), locked.name)
    assert not (tmp_path / "out.pdf").exists()


def test_a_protected_file_copied_over_a_plain_one_in_a_script(project, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    plain = tmp_path / "plain.pdf"
    from reportlab.pdfgen.canvas import Canvas

    pdf = Canvas(str(plain))
    pdf.drawString(72, 760, "A plain letter.")
    pdf.save()
    assert main(["add", str(project), str(plain), "--section", "B"]) == 0
    assert run("build", project, "-o", tmp_path / "first.pdf").returncode == 0  # the memory now holds it
    shutil.copyfile(corpus.joinpath(*LOCKED), plain)
    _refused_by_name(run("build", project, "-o", tmp_path / "out.pdf", "--accept-changed"), plain.name)


def test_a_deleted_source_is_named_without_a_traceback(project, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    gone = tmp_path / "gone.pdf"
    shutil.copyfile(corpus.joinpath(*LOCKED), gone)
    assert main(["add", str(project), str(gone), "--section", "B", "--password", "openpassword"]) == 0
    gone.unlink()
    done = run("build", project, "-o", tmp_path / "out.pdf")
    assert done.returncode != 0 and gone.name in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_the_retry_runs_once_when_the_stage_still_finds_it_protected(project, corpus, tmp_path, monkeypatch):
    """A terminal whose answers open the file at the check, while the stage still refuses it:
    one retry, then the error, naming the file; never a loop."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    locked = corpus.joinpath(*LOCKED)
    assert main(["add", str(project), str(locked), "--section", "B", "--password", "openpassword"]) == 0
    import bundler.cli.commands as commands
    import bundler.cli.passwords as cli_passwords
    from bundler.core.errors import PasswordError

    monkeypatch.setattr(cli_passwords, "terminal_ask", lambda: None)
    runs: list[int] = []

    def refusing(*args, **kwargs):
        runs.append(1)
        raise PasswordError(locked, "is password-protected", "Give its password (--password)")

    monkeypatch.setattr(commands, "build_bundle", refusing)
    monkeypatch.setattr(cli_passwords, "supply_passwords", lambda *a, **k: None)  # the check finds nothing
    assert main(["build", str(project), "-o", str(tmp_path / "out.pdf")]) == 5
    assert len(runs) == 2
