"""The register tab: the table of protected people, terms and boxes, with add and remove."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bundler.core.model import Register
from bundler.gui.anonymise.dialogs import PersonDialog, TermDialog
from bundler.gui.anonymise.register_model import RegisterModel

__all__ = ["RegisterTab"]


class RegisterTab(QWidget):
    addPersonRequested = Signal(str, str, list, str)  # name, pseudonym, variants, action
    addTermRequested = Signal(str, str, str, str, str)  # text, action, replacement, category, reason
    removeEntryRequested = Signal(str)  # register entry id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RegisterModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_person = QPushButton("Add &person…", self)
        self.add_term = QPushButton("Add &term…", self)
        self.remove = QPushButton("&Remove", self)
        self.remove.setToolTip("Remove the selected entries from the register")
        self._lay_out()
        self.add_person.clicked.connect(self.ask_person)
        self.add_term.clicked.connect(self.ask_term)
        self.remove.clicked.connect(self._remove_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.add_person, self.add_term, self.remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)

    def set_register(self, register: Register, titles: Mapping[str, str] | None = None) -> None:
        self.model.set_register(register, titles)

    def ask_person(self) -> PersonDialog:
        """Open the form (window-modal, not blocking); OK sends ``addPersonRequested``."""
        dialog = PersonDialog(self)
        dialog.accepted.connect(lambda: self.addPersonRequested.emit(*dialog.values()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def ask_term(self) -> TermDialog:
        dialog = TermDialog(self)
        dialog.accepted.connect(lambda: self.addTermRequested.emit(*dialog.values()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.entry_id(row) for row in rows]

    def _remove_selected(self) -> None:
        for entry_id in self.selected_ids():
            self.removeEntryRequested.emit(entry_id)

    def _update_buttons(self) -> None:
        self.remove.setEnabled(bool(self.table.selectionModel().selectedRows()))
