"""The date cell's editor: any ordinary form of a date, and a typo is explained, never lost.

The editor takes what ``core.naming.parse_typed_date`` takes (3 Apr 2022, 03/04/2022 day
first, 3 April 2022, 2022-04-03). Text that is not a date stays in the editor, marked,
with a sentence saying what is wrong; Esc is the only way to drop it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QToolTip, QWidget

from bundler.core.naming import date_problem, parse_typed_date

__all__ = ["DateDelegate", "PLACEHOLDER"]

PLACEHOLDER = "e.g. 3 Apr 2022 or 03/04/2022"
_COMMIT_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab})
_MARKED = "QLineEdit { border: 2px solid #c62828; }"


class DateDelegate(QStyledItemDelegate):
    """Installed on the tree's Date column."""

    refused = Signal(str)  # the sentence saying why the typed text is not a date (the status bar shows it)

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setPlaceholderText(PLACEHOLDER)
        editor.setAccessibleName("Date")
        editor.setToolTip("Type the date: 3 Apr 2022, 03/04/2022 (day first) or 2022-04-03. Empty: undated.")
        editor.textEdited.connect(lambda _text: _unmark(editor))
        editor.installEventFilter(self)
        return editor

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QLineEdit) and self.problem(editor.text()):
            return  # never reached through the keys below; a safety net for other commit paths
        super().setModelData(editor, model, index)

    @staticmethod
    def problem(text: str) -> str:
        """Why ``text`` cannot be a date; empty when it can (or is empty: undated)."""
        text = text.strip()
        return date_problem(text) if text and parse_typed_date(text) is None else ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QLineEdit) and self._commits(event):
            problem = self.problem(watched.text())
            if problem:
                self._explain(watched, problem)
                return True  # the editor stays open with the text as typed
        return super().eventFilter(watched, event)

    @staticmethod
    def _commits(event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            return True
        return isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() in _COMMIT_KEYS

    def _explain(self, editor: QLineEdit, problem: str) -> None:
        editor.setStyleSheet(_MARKED)
        editor.setToolTip(problem)
        editor.setProperty("problem", problem)
        QToolTip.showText(
            editor.mapToGlobal(QPoint(0, editor.height())), problem, editor
        )  # by the cell, not only far below
        self.refused.emit(problem)


def _unmark(editor: QLineEdit) -> None:
    if editor.property("problem"):
        editor.setStyleSheet("")
        editor.setProperty("problem", "")
