"""Attacks on the app's check for protected PDFs before a build ("Checking for protected PDFs")."""

from __future__ import annotations

import hashlib
import json
import shutil
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
    def answer(dialog: PasswordDialog) -> int:
        asked.append(dialog.windowTitle())
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
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
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
        import threading

        import bundler.gui.mainwindow.passwords as gui_passwords

        self.started, self.release = threading.Event(), threading.Event()
        real = gui_passwords.find_passwords

        def held(*args, **kwargs):
            self.started.set()
            assert self.release.wait(30)
            return real(*args, **kwargs)

        monkeypatch.setattr(gui_passwords, "find_passwords", held)


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
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
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
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    asked: list[str] = []
    _with_protected(qtbot, window, answers, corpus, tmp_path, asked, monkeypatch)
    held = _Held(monkeypatch)

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
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    asked: list[str] = []
    _with_protected(qtbot, window, answers, corpus, tmp_path, asked, monkeypatch)
    held = _Held(monkeypatch)

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
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
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
    assert locked.name in str(answers.errors[0]) and "--password" not in str(answers.errors[0])
    # the protected file deleted: the build names it, no crash
    answers.errors.clear()
    locked.unlink()
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as finished:
        window.action_set.build.trigger()
    assert not answers.built and answers.errors and locked.name in str(answers.errors[0]), finished.args
