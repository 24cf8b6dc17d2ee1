"""Every question the app asks the user, in one object the tests can stand in for.

File dialogs and yes/no questions block; tests replace these methods with answers,
everything else (the main window, its actions) runs as it does for a user.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from bundler.core.model import CaseDetails, Document, Options
from bundler.core.naming import plural
from bundler.core.report import BuildReport
from bundler.gui.dialogs import NewBundleDialog, show_error
from bundler.gui.password_dialog import GivenPassword, PasswordDialog
from bundler.gui.settings import Settings
from bundler.gui.split_dialog import SplitChoice, SplitDialog

__all__ = ["Prompts", "PROJECT_FILTER", "DOCUMENT_FILTER", "PDF_FILTER"]

PROJECT_FILTER = "Bundle projects (*.bundle.json);;All files (*)"
DOCUMENT_FILTER = "Documents (*.pdf *.docx *.docm *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)"
PDF_FILTER = "PDF files (*.pdf);;All files (*)"
_PROJECT_SUFFIX = ".bundle.json"
_TURNS = {0: "Upright (0°)", 90: "90° clockwise", 180: "Upside down (180°)", 270: "90° anticlockwise"}


def _build_facts(report: BuildReport) -> list[str]:
    """What the user should know about a finished build, most important first."""
    if not report.public:
        facts = ["CONFIDENTIAL: unredacted, for the court and the parties only."]
    else:
        facts = [f"Leak gate {report.leak_gate}."]
        if report.schedule:
            facts.append(f"{plural(report.redactions, 'redaction')}; schedule: {Path(report.schedule[0]).name}")
    return facts + [f"Please check: {warning}" for warning in report.warnings[:5]]


class Prompts:
    def __init__(self, parent: QWidget, settings: Settings) -> None:
        self._parent, self._settings = parent, settings

    def new_bundle(self) -> tuple[str, CaseDetails, Options] | None:
        dialog = NewBundleDialog(self._settings, self._parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        values = dialog.result_values() if accepted else None
        dialog.deleteLater()
        return values

    # --- where file dialogs open: the folder used last, else the project's, else home ----
    def start_folder(self, folder: Path | None) -> Path:
        """Where an open dialog starts: the folder last used, else ``folder`` (the project's), else home."""
        for candidate in (self._settings.last_folder, folder):
            if candidate is not None and candidate.is_dir():
                return candidate
        return Path.home()

    def start_file(self, suggested: Path) -> Path:
        """Where a save dialog starts: beside the project as suggested, else in the folder last used."""
        if suggested.parent.is_dir() and suggested.parent != Path.home():
            return suggested
        return self.start_folder(None) / suggested.name

    def _remember(self, chosen: Path | None) -> Path | None:
        if chosen is not None:
            self._settings.last_folder = chosen.parent
        return chosen

    def open_project(self, folder: Path | None) -> Path | None:
        start = str(self.start_folder(folder))
        name, _ = QFileDialog.getOpenFileName(self._parent, "Open bundle", start, PROJECT_FILTER)
        return self._remember(Path(name) if name else None)

    def save_project_as(self, suggested: Path) -> Path | None:
        start = str(self.start_file(suggested))
        name, _ = QFileDialog.getSaveFileName(self._parent, "Save bundle as", start, PROJECT_FILTER)
        if not name:
            return None
        path = self._remember(Path(name)) or Path(name)
        return path if path.name.endswith(_PROJECT_SUFFIX) else path.with_name(path.name + _PROJECT_SUFFIX)

    def password(self, file_name: str, wrong: bool, no_keyring: str | None) -> GivenPassword | None:
        """Ask for a protected PDF's password (None: the user cancelled)."""
        dialog = PasswordDialog(file_name, wrong, no_keyring, self._parent)
        dialog.exec()
        return dialog.given()

    def files_to_add(self, folder: Path | None) -> list[Path]:
        start = str(self.start_folder(folder))
        names, _ = QFileDialog.getOpenFileNames(self._parent, "Add documents", start, DOCUMENT_FILTER)
        if names:
            self._remember(Path(names[0]))
        return [Path(n) for n in names]

    def folder_to_add(self, folder: Path | None) -> Path | None:
        start = str(self.start_folder(folder))
        name = QFileDialog.getExistingDirectory(self._parent, "Add a folder of documents", start)
        return self._remember(Path(name) if name else None)

    def page_selection(self, title: str, current: str) -> str | None:
        """Pages to include, as '1-3,5' (empty: all); None when cancelled."""
        text, ok = QInputDialog.getText(
            self._parent,
            "Pages to include",
            f"Pages of '{title}' to include in the bundle, e.g. 1-3,5 (empty: every page):",
            text=current,
        )
        return text if ok else None

    def box_reason(self, last: str) -> str | None:
        """Why a box just drawn redacts (the schedule's Reason; may be empty); None when cancelled.
        The last reason given is offered, so Enter files the same again."""
        text, ok = QInputDialog.getText(
            self._parent, "Reason for this box", "Reason for the redaction (shown in the schedule):", text=last
        )
        return text.strip() if ok else None

    def split_at(self, doc: Document, filed: int) -> SplitChoice | None:
        """Where a document splits, and its parts' titles and dates; None when cancelled."""
        dialog = SplitDialog(doc, filed, self._parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        choice = dialog.choice() if accepted else None
        dialog.deleteLater()
        return choice

    def document_rotation(self, title: str, current: int) -> int | None:
        """How far every page of a document is turned (clockwise degrees); None when cancelled."""
        labels = list(_TURNS.values())
        text, ok = QInputDialog.getItem(
            self._parent,
            "Rotate document",
            f"Turn every page of '{title}':",
            labels,
            labels.index(_TURNS.get(current, labels[0])),
            False,
        )
        return next((k for k, v in _TURNS.items() if v == text), None) if ok else None

    def open_file(self, title: str, suggested: Path | None, filters: str = PDF_FILTER) -> Path | None:
        start = suggested if suggested is not None and suggested.is_file() else self.start_folder(suggested)
        name, _ = QFileDialog.getOpenFileName(self._parent, title, str(start), filters)
        return self._remember(Path(name) if name else None)

    def save_file(self, title: str, suggested: Path, filters: str = PDF_FILTER) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self._parent, title, str(self.start_file(suggested)), filters)
        return self._remember(Path(name) if name else None)

    def frozen_build(self, served_on: str) -> str:
        """'additions', 'main' or 'cancel': what Build means once the bundle was served."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Bundle already served",
            f"This bundle was served on {served_on}. Build only what was added since, so no served page is renumbered?",
            QMessageBox.StandardButton.Cancel,
            self._parent,
        )
        additions = box.addButton("Build &additions…", QMessageBox.ButtonRole.AcceptRole)
        main = box.addButton("Rebuild the &whole bundle", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(additions)
        box.exec()
        answers: dict[QAbstractButton, str] = {additions: "additions", main: "main"}
        return answers.get(box.clickedButton(), "cancel")

    def use_new_version(self, name: str) -> bool:
        """A source changed since it was added: build with its new version?"""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self._parent,
            "A document has changed",
            f"'{name}' has changed since it was added to the bundle.\n\n"
            "Use the new version? Look at it first: its page selection, turns and any boxes "
            "drawn on it still refer to its pages by number. (Undo goes back.)",
            buttons.Yes | buttons.No,
            buttons.No,
        )
        return answer == buttons.Yes

    def confirm(self, title: str, question: str) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(self._parent, title, question, buttons.Yes | buttons.No)
        return answer == buttons.Yes

    def unsaved_changes(self, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self._parent,
            "Unsaved changes",
            f"Save the changes to {name}?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def recover(self, recovery: Path) -> bool:
        when = datetime.fromtimestamp(recovery.stat().st_mtime).strftime("%d %b %Y at %H:%M")
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self._parent,
            "Recover unsaved changes",
            "Bundler did not close properly last time. "
            f"Changes autosaved on {when} were not saved.\n\n"
            "Recover them? (Discard deletes them.)",
            buttons.Yes | buttons.Discard,
            buttons.Yes,
        )
        return answer == buttons.Yes

    def error(self, err: BaseException) -> None:
        show_error(self._parent, err)

    def build_done(self, report: BuildReport) -> None:
        """A non-blocking message with buttons to open the PDF or its folder."""
        output = Path(report.output)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Bundle built",
            f"{output.name}\n{report.pages} pages, {len(report.documents)} documents.",
            QMessageBox.StandardButton.Close,
            self._parent,
        )
        box.setInformativeText("\n".join(_build_facts(report)))
        open_pdf = box.addButton("Open &PDF", QMessageBox.ButtonRole.AcceptRole)
        open_folder = box.addButton("Open &folder", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(open_pdf)

        def clicked(button: object) -> None:
            if button is open_pdf:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(output)))
            elif button is open_folder:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(output.parent)))

        box.buttonClicked.connect(clicked)
        box.open()

    def files_done(self, title: str, text: str, files: list[Path]) -> None:
        """A non-blocking message naming the files written, with a button to open their folder."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Close, self._parent)
        box.setInformativeText("\n".join(f.name for f in files))
        open_folder = box.addButton("Open &folder", QMessageBox.ButtonRole.ActionRole)

        def clicked(button: object) -> None:
            if button is open_folder and files:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(files[0].parent)))

        box.buttonClicked.connect(clicked)
        box.open()
