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
