"""Split at pages…: where each new document starts, and each part's title and date.

The pages are the document's pages as the bundle files them (the preview's pages). The
table of parts follows what is typed, so the user sees "1-3, 4-7, 8-10" before splitting;
titles and dates typed in it are kept as the split points change.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bundler.core.errors import ProjectError
from bundler.core.model import Document
from bundler.core.naming import format_date

__all__ = ["SplitChoice", "SplitDialog"]

_PAGES, _TITLE, _DATE = range(3)


@dataclass(frozen=True)
class SplitChoice:
    starts: list[int]  # 1-based filed pages where a new document starts
    titles: list[str]
    dates: list[str]  # as typed; '' for undated


def _starts(text: str, filed: int) -> list[int]:
    from bundler.core.splitting import parse_split_points

    starts = parse_split_points(text)
    if starts[0] < 2 or starts[-1] > filed:
        raise ProjectError(f"A new document can start at pages 2 to {filed}.")
    return starts


class SplitDialog(QDialog):
    def __init__(self, doc: Document, filed: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Split '{doc.title}'")
        self._doc, self._filed = doc, filed
        self.starts = QLineEdit()
        self.starts.setPlaceholderText("e.g. 4, 8")
        self.problem = QLabel()
        self.parts = QTableWidget(0, 3)
        self.parts.setHorizontalHeaderLabels(["Pages", "Title", "Date"])
        self.parts.horizontalHeader().setSectionResizeMode(_TITLE, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Split")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.starts.textChanged.connect(self._show_parts)
        self._show_parts("")

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"'{self._doc.title}' has {self._filed} pages in the bundle. Type the pages where a new document "
            f"starts: 4, 8 makes pages 1–3, 4–7 and 8–{self._filed}. Each part keeps the same source file."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.starts)
        layout.addWidget(self.problem)
        layout.addWidget(self.parts)
        layout.addWidget(self.buttons)
        self.resize(620, 380)

    def _typed(self, row: int, column: int) -> str | None:
        item = self.parts.item(row, column)
        return item.text() if item is not None else None

    def _show_parts(self, text: str) -> None:
        try:
            starts = _starts(text, self._filed) if text.strip() else []
            self.problem.setText("" if starts else "Type at least one page.")
        except ProjectError as exc:
            starts = []
            self.problem.setText(str(exc))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(starts))
        self._fill(starts)

    def _fill(self, starts: list[int]) -> None:
        kept = [(self._typed(r, _TITLE), self._typed(r, _DATE)) for r in range(self.parts.rowCount())]
        bounds = [1, *starts, self._filed + 1]
        self.parts.setRowCount(len(bounds) - 1 if starts else 0)
        for row, (first, after) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
            if not starts:
                break
            pages = QTableWidgetItem(f"{first}–{after - 1}" if after - 1 > first else str(first))
            pages.setFlags(pages.flags() & ~Qt.ItemFlag.ItemIsEditable)
            title, date = kept[row] if row < len(kept) else (None, None)
            self.parts.setItem(row, _PAGES, pages)
            self.parts.setItem(row, _TITLE, QTableWidgetItem(title or f"{self._doc.title} (part {row + 1})"))
            self.parts.setItem(row, _DATE, QTableWidgetItem(date if date is not None else self._date()))

    def _date(self) -> str:
        return format_date(self._doc.date) if self._doc.date else ""

    def choice(self) -> SplitChoice:
        rows = range(self.parts.rowCount())
        return SplitChoice(
            _starts(self.starts.text(), self._filed),
            [self._typed(r, _TITLE) or "" for r in rows],
            [self._typed(r, _DATE) or "" for r in rows],
        )
