"""Attacks on the app's check for protected PDFs before a build ("Checking for protected PDFs")."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from pathlib import Path

from PySide6.QtWidgets import QDialog

from bundler.gui.password_dialog import PasswordDialog
from tests.gui.test_app_flow import BUILD_TIMEOUT, new_from_template, section, text_pdf

LINES = ["The claimant's letter of 3 May 2024.", "It says what happened next."]


def _believe_plain(cache: Path, pdf: Path) -> None:
    """A memory of plain files that is wrong about ``pdf`` (tampered with, or stale)."""
    from pypdf import __version__ as pypdf_version

    from bundler import __version__

    cache.mkdir(parents=True, exist_ok=True)
    kept = {
        "versions": f"bundler {__version__}, pypdf {pypdf_version}",
        "files": [hashlib.sha256(pdf.read_bytes()).hexdigest()],
    }
    (cache / "unencrypted.json").write_text(json.dumps(kept))


def _with_protected(qtbot, window, answers, corpus: Path, tmp_path: Path, asked: list[str], monkeypatch) -> Path:
    """A plain letter and a protected one added (no keyring), their passwords forgotten as after
    reopening the project; the dialog answers "openpassword", ``asked`` gains the thread it ran on."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

    def answer(dialog: PasswordDialog) -> int:
        asked.append(threading.current_thread().name)
        dialog.password.setText("openpassword")
        dialog.done(QDialog.DialogCode.Accepted)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(PasswordDialog, "exec", answer)
    new_from_template(qtbot, window, case_name="R (AB) v Wessex Police", short_name="AB v Wessex", claim_no="AC-1")
    letter = text_pdf(tmp_path / "Letter.pdf", [LINES])
    locked = tmp_path / "Protected letter.pdf"
    shutil.copyfile(corpus / "real-pdfs" / "libreoffice-writer-password.pdf", locked)
    answers.files = [letter, locked]
    window.tree.select_id(section(window, "C").id)
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        window.action_set.add_files.trigger()
    for _, doc in window.session.bundle.documents():
        doc.password = None  # as after reopening the project: not known this session
    asked.clear()
    answers.save_as = tmp_path / "case.bundle.json"
    return locked


def test_a_wrong_memory_of_plain_files_still_asks_in_the_app(qtbot, window, answers, corpus, tmp_path, monkeypatch):
    """Before this change the app's check kept no memory (no cache was given): it opened every
    source. Now it reads ``unencrypted.json``; one that is wrong about a protected file (tampered
    with, or a stale hash) made every build in the app fail with the command line's remedy
    ("Give its password (--password)"), build after build, never asking: the command line
    drops such a memory and asks again (``with_passwords``); the app must too."""
    asked: list[str] = []
    locked = _with_protected(qtbot, window, answers, corpus, tmp_path, asked, monkeypatch)
    _believe_plain(tmp_path / "cache", locked)
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as finished:
        window.action_set.build.trigger()
    assert not answers.errors, [str(e) for e in answers.errors]
    assert len(answers.built) == 1, finished.args
    assert len(asked) == 1


class _Held:
    """``find_passwords`` held until the test lets it go: what the user does meanwhile."""

    def __init__(self, monkeypatch) -> None:
        import bundler.gui.mainwindow.passwords as gui_passwords

        self.started, self.release = threading.Event(), threading.Event()
        real = gui_passwords.find_passwords

        def held(*args, **kwargs):
            self.started.set()
            assert self.release.wait(30)
            return real(*args, **kwargs)

        monkeypatch.setattr(gui_passwords, "find_passwords", held)


def _protected_and_held(qtbot, window, answers, corpus: Path, tmp_path: Path, monkeypatch) -> tuple[list[str], _Held]:
    asked: list[str] = []
    _with_protected(qtbot, window, answers, corpus, tmp_path, asked, monkeypatch)
    return asked, _Held(monkeypatch)


def _build_while(qtbot, window, held: _Held, meanwhile) -> object:
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as finished:
        window.action_set.build.trigger()
        qtbot.waitUntil(held.started.is_set, timeout=10_000)
        meanwhile()
        held.release.set()
    return finished.args[0]


def test_a_document_pointed_at_a_protected_file_while_checking_is_asked_for(
    qtbot, window, answers, corpus, tmp_path, monkeypatch
):
    """The check runs on a snapshot; a document edited meanwhile to name a protected file was
    not checked: the build must still ask for its password, not fail with "--password"."""
    asked: list[str] = []
    locked = _with_protected(qtbot, window, answers, corpus, tmp_path, asked, monkeypatch)
    second = tmp_path / "Second protected.pdf"
    shutil.copyfile(locked, second)
    held = _Held(monkeypatch)
    letter = next(d for _, d in window.session.bundle.documents() if d.path.endswith("Letter.pdf"))

    def edit() -> None:
        letter.path = second.name  # as a relink to another file would
        letter.sha256 = hashlib.sha256(second.read_bytes()).hexdigest()

    result = _build_while(qtbot, window, held, edit)
    assert not answers.errors, [str(e) for e in answers.errors]
    assert len(answers.built) == 1, result


def test_a_document_removed_while_checking_is_not_built_nor_asked_for(
    qtbot, window, answers, corpus, tmp_path, monkeypatch
):
    asked, held = _protected_and_held(qtbot, window, answers, corpus, tmp_path, monkeypatch)

    def remove() -> None:
        for sect, doc in window.session.bundle.documents():
            if doc.path.endswith("Protected letter.pdf"):
                sect.documents.remove(doc)

    result = _build_while(qtbot, window, held, remove)
    assert not answers.errors, [str(e) for e in answers.errors]
    assert len(answers.built) == 1, result
    assert asked == []


def test_cancelling_the_check_cancels_the_build_and_a_second_build_waits(
    qtbot, window, answers, corpus, tmp_path, monkeypatch
):
    asked, held = _protected_and_held(qtbot, window, answers, corpus, tmp_path, monkeypatch)

    def twice_then_cancel() -> None:
        window.action_set.build.trigger()  # a second build while checking: told to wait
        window.tasks.cancel()

    result = _build_while(qtbot, window, held, twice_then_cancel)
    from bundler.core.progress import Cancelled

    assert isinstance(result, Cancelled), result
    assert not answers.errors and not answers.built and asked == []
    # then a build runs as usual: nothing was left half-done
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as finished:
        window.action_set.build.trigger()
    assert len(answers.built) == 1, finished.args
    assert len(asked) == 1


def test_cancelling_the_dialog_says_why_and_a_deleted_source_is_named(
    qtbot, window, answers, corpus, tmp_path, monkeypatch
):
    asked: list[str] = []
    locked = _with_protected(qtbot, window, answers, corpus, tmp_path, asked, monkeypatch)

    def cancel(dialog: PasswordDialog) -> int:
        asked.append("cancelled")
        dialog.done(QDialog.DialogCode.Rejected)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(PasswordDialog, "exec", cancel)
    window.action_set.build.trigger()
    qtbot.waitUntil(lambda: bool(answers.errors), timeout=BUILD_TIMEOUT)
    assert asked == ["cancelled"] and not answers.built
    said = str(answers.errors[0])
    assert locked.name in said and "--password" not in said and "terminal" not in said
    assert "type its password when asked" in said
    # the protected file deleted: the build names it, no crash
    answers.errors.clear()
    locked.unlink()
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as finished:
        window.action_set.build.trigger()
    assert not answers.built and answers.errors and locked.name in str(answers.errors[0]), finished.args


def test_protected_pdfs_are_checked_off_the_windows_thread_and_plain_ones_remembered(
    qtbot, window, answers, corpus, tmp_path, monkeypatch
):
    """Hashing and opening every source before a build would stall the window: the check runs
    as a task, remembers the plain files in the cache, and a protected file with no password
    known is still asked for, on the window's thread, before the build starts."""
    import bundler.gui.mainwindow.passwords as gui_passwords  # noqa: PLC0415

    threads: list[str] = []
    real = gui_passwords.find_passwords

    def watched(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(gui_passwords, "find_passwords", watched)
    asked: list[str] = []
    locked = _with_protected(qtbot, window, answers, corpus, tmp_path, asked, monkeypatch)
    letter = tmp_path / "Letter.pdf"
    with qtbot.waitSignal(window.preflightFinished, timeout=BUILD_TIMEOUT):
        window.action_set.build.trigger()
    assert len(answers.built) == 1 and not answers.errors, answers.errors
    assert threads and threading.main_thread().name not in threads
    assert asked == [threading.main_thread().name]
    kept = json.loads((tmp_path / "cache" / "unencrypted.json").read_text())
    assert hashlib.sha256(letter.read_bytes()).hexdigest() in kept["files"]
    assert hashlib.sha256(locked.read_bytes()).hexdigest() not in kept["files"]
