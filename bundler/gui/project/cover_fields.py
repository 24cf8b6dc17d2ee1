"""The cover's fields in the case-details form: the parties by role and an own cover PDF.

Parties are typed one name per line in a box per role (claimants, defendants, interested
parties): the cover lists them in that order. The own cover is a one-page PDF, checked
when chosen (``core.case_details``); its path is kept relative to the project file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bundler.core.case_details import checked_cover, parties_from_names
from bundler.core.errors import BundlerError
from bundler.core.model import Party

__all__ = ["PartyBoxes", "OwnCoverRow", "ROLE_ROWS"]

# Form label and placeholder per role, in the cover's order.
ROLE_ROWS = {
    "claimant": ("C&laimant(s):", "One name per line, e.g. THE KING on the application of AB"),
    "defendant": ("Def&endant(s):", "e.g. CHIEF CONSTABLE OF WESSEX POLICE"),
    "interested_party": ("&Interested part(y/ies):", "none, or one name per line"),
}


class PartyBoxes:
    """One text box per role; ``parties()`` reads them in the cover's order."""

    def __init__(self) -> None:
        self.boxes = {role: _names_box(hint) for role, (_, hint) in ROLE_ROWS.items()}

    def set_parties(self, parties: list[Party]) -> None:
        for role, box in self.boxes.items():
            box.setPlainText("\n".join(p.name for p in parties if p.role == role))

    def parties(self) -> list[Party]:
        return parties_from_names({role: box.toPlainText().splitlines() for role, box in self.boxes.items()})


def _names_box(hint: str) -> QPlainTextEdit:
    box = QPlainTextEdit(placeholderText=hint)
    box.setTabChangesFocus(True)  # Tab moves on instead of typing a tab
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 2 + 14)
    return box


class OwnCoverRow(QWidget):
    """The cover PDF of the user's own: chosen, checked, shown, or cleared for ours."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project_dir: Path | None = None
        self.path = QLineEdit(readOnly=True, placeholderText="none: made from these details")
        self.path.setMinimumWidth(self.path.fontMetrics().horizontalAdvance(self.path.placeholderText()) + 16)
        self.choose_button = QPushButton("C&hoose PDF…")
        self.clear_button = QPushButton("Use the &made cover")
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.hide()
        self._lay_out()
        self.choose_button.clicked.connect(self._ask)
        self.clear_button.clicked.connect(lambda: self.set_value(""))

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.path, self.choose_button, self.clear_button):
            row.addWidget(widget)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.problem)

    def value(self) -> str:
        return self.path.text()

    def set_value(self, stored: str) -> None:
        self.path.setText(stored)
        self.clear_button.setEnabled(bool(stored))
        self.problem.hide()
        self.changed.emit()

    def choose(self, source: Path) -> bool:
        """Use ``source`` if it is a one-page PDF; otherwise say why under the row."""
        try:
            stored = checked_cover(source, self.project_dir)
        except BundlerError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return False
        self.set_value(stored)
        return True

    def _ask(self) -> None:
        folder = self.project_dir or Path.home()
        name, _ = QFileDialog.getOpenFileName(self, "Choose a one-page cover PDF", str(folder), "PDF files (*.pdf)")
        if name:
            self.choose(Path(name))
