"""The cover in the app: the case-details dialog edits the parties by role, the bundle
date and an own cover PDF, undoably, and the built bundle's first page shows them
(read back with poppler's pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from bundler.core.build.cover import cover_date
from bundler.core.model import Party
from bundler.core.naming import format_date
from bundler.gui.dialogs import CaseDetailsDialog, NewBundleDialog
from tests.conftest import require
from tests.pdfs import make_pdf

from .test_workflows import build, open_project, project_with

PARTIES = [
    Party("THE KING on the application of AB", "claimant"),
    Party("CHIEF CONSTABLE OF WESSEX POLICE", "defendant"),
    Party("SECRETARY OF STATE FOR THE HOME DEPARTMENT", "interested_party"),
    Party("INFORMATION COMMISSIONER", "interested_party"),
]


def _page_one(pdf: str) -> list[str]:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    run = ["pdftotext", "-layout", "-f", "1", "-l", "1", pdf, "-"]
    text = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _in_dialog(qtbot, window, fill) -> None:
    """Case details…, with ``fill(dialog)`` run on the open dialog, then Apply."""
    seen: list[CaseDetailsDialog] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CaseDetailsDialog)
        seen.append(dialog)
        fill(dialog)
        QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, run)
    window.action_set.case_details.trigger()
    assert seen, "the case details dialog did not open"


def _type_names(box, names: list[str]) -> None:
    for number, name in enumerate(names):
        if number:
            QTest.keyClick(box, Qt.Key.Key_Return)
        QTest.keyClicks(box, name)


def _fill(dialog: CaseDetailsDialog, tmp_path: Path) -> None:
    form = dialog.form
    assert form.date_shown.text() == "No date on the cover."
    boxes = form.parties.boxes
    _type_names(boxes["claimant"], [PARTIES[0].name])
    _type_names(boxes["defendant"], [PARTIES[1].name])
    _type_names(boxes["interested_party"], [PARTIES[2].name, PARTIES[3].name])
    QTest.keyClicks(form.bundle_date, "11 Aug 2019")
    assert form.date_shown.text() == "The cover will say: Date: 11 August 2019"
    assert not form.own_cover.choose(make_pdf(tmp_path / "three pages.pdf", 3))
    assert form.own_cover.problem.isVisible() and "has 3 pages" in form.own_cover.problem.text()
    (tmp_path / "covers").mkdir()
    assert form.own_cover.choose(make_pdf(tmp_path / "covers" / "cover.pdf", 1, text="OUR OWN COVER"))
    assert form.own_cover.path.text() == "covers/cover.pdf" and not form.own_cover.problem.isVisible()


def test_parties_date_and_own_cover_are_edited_undone_and_filed(qtbot, window, tmp_path):
    open_project(qtbot, window, project_with(tmp_path, [("Letter", 2, "C")]))
    _in_dialog(qtbot, window, lambda dialog: _fill(dialog, tmp_path))
    case = window.session.bundle.case
    assert (case.parties, case.bundle_date, case.cover_pdf) == (PARTIES, "2019-08-11", "covers/cover.pdf")
    window.action_set.undo.trigger()
    case = window.session.bundle.case
    assert (case.parties, case.bundle_date, case.cover_pdf) == ([], None, "")
    window.action_set.redo.trigger()
    assert window.session.bundle.case.parties == PARTIES

    own = _page_one(build(qtbot, window).output)
    assert own[0].startswith("OUR OWN COVER") and own[-1] == "1" and "BETWEEN" not in own

    def made_cover(dialog: CaseDetailsDialog) -> None:
        assert dialog.form.bundle_date.text() == "11 Aug 2019"  # what was set, shown as the app writes dates
        QTest.mouseClick(dialog.form.own_cover.clear_button, Qt.MouseButton.LeftButton)

    _in_dialog(qtbot, window, made_cover)
    lines = _page_one(build(qtbot, window).output)
    start = lines.index("BETWEEN")
    assert lines[start + 1 : start + 5] == [
        "THE KING on the application of AB Claimant",
        "– and –",
        "CHIEF CONSTABLE OF WESSEX POLICE Defendant",
        "– and –",
    ]
    assert "(2) INFORMATION COMMISSIONER" in lines and "Date: 11 August 2019" in lines


def test_a_new_bundle_is_dated_today_and_a_bad_date_cannot_be_applied(qtbot, settings):
    dialog = NewBundleDialog(settings)
    qtbot.addWidget(dialog)
    today = date.today().isoformat()
    assert dialog.form.bundle_date.text() == format_date(today)
    assert dialog.form.date_shown.text() == f"The cover will say: Date: {cover_date(today)}"
    QTest.keyClicks(dialog.form.case_name, "AB v CD")
    QTest.keyClicks(dialog.form.claim_no, "X1")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.form.bundle_date.setText("31/02/2026")
    assert not ok.isEnabled() and dialog.form.date_shown.text().startswith("Not a date yet")
    dialog.form.bundle_date.clear()
    assert ok.isEnabled() and dialog.form.date_shown.text() == "No date on the cover."
    assert dialog.result_values()[1].bundle_date is None
