"""The schedule of redactions as a read-only table (what travels with the public bundle)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from bundler.core.anonymise.schedule import SCHEDULE_HEADINGS, ScheduleRow, schedule_table
from bundler.gui.table_model import ReadOnlyTable

__all__ = ["ScheduleModel", "COLUMNS"]

COLUMNS = SCHEDULE_HEADINGS  # the CSV's columns: the tab and the files show one list
_Index = QModelIndex | QPersistentModelIndex


class ScheduleModel(ReadOnlyTable):
    columns = COLUMNS

    def row_total(self) -> int:
        return len(self._rows)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[ScheduleRow]) -> None:
        self.beginResetModel()
        self._rows = schedule_table(rows)
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None
