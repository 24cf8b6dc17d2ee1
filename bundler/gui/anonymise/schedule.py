"""The schedule of redactions as a read-only table (what travels with the public bundle)."""

from __future__ import annotations

from dataclasses import astuple
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from bundler.core.anonymise.schedule import ScheduleRow
from bundler.gui.table_model import ReadOnlyTable

__all__ = ["ScheduleModel", "COLUMNS"]

COLUMNS = ("Tab", "Document", "Page", "Category", "Action", "Reason")
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
        self._rows = [tuple(str(value) for value in astuple(row)) for row in rows]
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None
