"""The review flow on the real window: detect, accept all, reject two, accept all again, build;
the bundle read back by poppler (a reader the gate does not use) shows exactly the accepted places
redacted. And a protected PDF added through the password dialog, its password never in the file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from bundler.gui.password_dialog import PasswordDialog
from tests.conftest import require
from tests.gui.test_app_flow import BUILD_TIMEOUT, new_from_template, section, text_pdf, titles

LINES = [
    "Visit to SW1A 1AA on Monday.",
    "The office is at EC1A 1BB.",
    "The depot is at N1 9GU.",
    "The claimant lives at 14 Elm Road, Southampton.",
]


def _poppler(pdf: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _select(tab, texts: set[str]) -> None:
    selection = tab.table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(tab.proxy.rowCount()):
        if tab.proxy.hit(row).text in texts:
            selection.select(tab.proxy.index(row, 0), flags)


def _status(tab) -> dict[str, str]:
    return {tab.proxy.hit(r).text: tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())}


def test_reject_after_accept_all_is_honoured_in_the_built_bundle(qtbot, window, answers, tmp_path):
    new_from_template(qtbot, window, case_name="R (AB) v Wessex Police", short_name="AB v Wessex", claim_no="AC-1")
    answers.files = [text_pdf(tmp_path / "Letter.pdf", [LINES])]
    window.tree.select_id(section(window, "C").id)
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        window.action_set.add_files.trigger()
    assert titles(window, "C") == ["Letter"], answers.errors
    tab = window.anonymise.hits_tab
    with qtbot.waitSignal(window.detectFinished, timeout=BUILD_TIMEOUT):
        QTest.mouseClick(tab.run, Qt.MouseButton.LeftButton)
    assert {"SW1A 1AA", "EC1A 1BB", "N1 9GU"} <= set(_status(tab))
    assert _status(tab)["14 Elm Road, Southampton"] == "To decide"  # a street address is suggested
    address = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.hit(r).text.startswith("14 Elm"))
    assert tab.proxy.index(address, 5).data() == "Pattern: address"
    assert tab.proxy.headerData(0, Qt.Orientation.Horizontal) == "Status"

    tab.table.selectAll()
    QTest.mouseClick(tab.accept, Qt.MouseButton.LeftButton)
    assert _status(tab)["EC1A 1BB"] == "Accepted"
    _select(tab, {"EC1A 1BB", "N1 9GU"})
    QTest.mouseClick(tab.reject, Qt.MouseButton.LeftButton)
    tab.table.selectAll()
    QTest.mouseClick(tab.accept, Qt.MouseButton.LeftButton)  # select all + accept: rejections stay
    status = _status(tab)
    assert status["EC1A 1BB"] == status["N1 9GU"] == "Rejected" and status["SW1A 1AA"] == "Accepted"
    assert sorted(t.text for t in window.bundle.register.terms) == ["14 Elm Road, Southampton", "SW1A 1AA"]

    window.stack.undo()  # the select-all accept changed nothing in the register, so its undo is harmless
    window.stack.undo()  # undo the rejection: both places are protected again
    assert len(window.bundle.register.terms) == 4
    window.stack.redo()
    assert len(window.bundle.register.terms) == 2

    answers.save_as = tmp_path / "case.bundle.json"
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    qtbot.waitSignal(window.preflightFinished, timeout=BUILD_TIMEOUT).wait()
    text = _poppler(Path(built.args[0].output))
    assert "SW1A 1AA" not in text and "Elm Road" not in text and "[REDACTED]" in text
    assert "EC1A 1BB" in text and "N1 9GU" in text
    assert not answers.errors


def test_a_protected_pdf_is_added_through_the_password_dialog(qtbot, window, answers, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    locked = tmp_path / "Protected letter.pdf"
    shutil.copyfile(corpus / "real-pdfs" / "libreoffice-writer-password.pdf", locked)
    typed = iter(["wrong", "openpassword"])
    shown: list[str] = []

    def answer(dialog: PasswordDialog) -> int:
        shown.append(dialog.message.text())
        assert not dialog.keep.isEnabled() and "no keyring" in dialog.note.text()
        dialog.password.setText(next(typed))
        dialog.done(QDialog.DialogCode.Accepted)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(PasswordDialog, "exec", answer)
    answers.files = [locked]
    window.tree.select_id(section(window, "C").id)
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        window.action_set.add_files.trigger()
    assert titles(window, "C") and not answers.errors
    assert "is password-protected" in shown[0] and "did not open with that password" in shown[1]
    answers.save_as = tmp_path / "case.bundle.json"
    with qtbot.waitSignal(window.preflightFinished, timeout=BUILD_TIMEOUT):  # it follows the build
        window.action_set.build.trigger()
    assert len(answers.built) == 1, (answers.errors, shown)
    assert "openpassword" not in (tmp_path / "case.bundle.json").read_text()
    assert len(shown) == 2 and not answers.errors  # known for the session: not asked again to build
