"""The anonymisation register as a read-only table: people, then terms, then boxes.

Read-only on purpose: every change goes out as a signal so the main window can
make it an undoable edit of the bundle, then hands the new register back here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from bundler.core.model import Register
from bundler.gui.table_model import ReadOnlyTable

__all__ = ["RegisterModel", "ENTRY_ID_ROLE", "COLUMNS"]

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Kind", "Name or text", "Variants", "Action", "Shown as", "Category", "Reason")
_REDACTED = "[REDACTED]"
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class _Row:
    entry_id: str
    cells: tuple[str, str, str, str, str, str, str]
    tooltip: str = ""


def _rows(register: Register, titles: Mapping[str, str]) -> list[_Row]:
    rows = [
        _Row(
            p.id,
            (
                "Person",
                p.name,
                ", ".join(
                    f"{v} = {p.variant_replacements[v]}" if v in p.variant_replacements else v for v in p.variants
                ),
                p.action,
                p.pseudonym if p.action == "replace" else _REDACTED,
                "person",
                p.reason,
            ),
        )
        for p in register.people
    ]
    rows += [
        _Row(
            t.id,
            (
                "Term",
                t.text,
                "",
                t.action,
                t.replacement if t.action == "replace" else _REDACTED,
                t.category,
                t.reason,
            ),
        )
        for t in register.terms
    ]
    rows += [
        _Row(
            b.id,
            (
                "Box",
                f"Page {_box_place(b.page, titles.get(b.document_id))}",
                "",
                "redact",
                _REDACTED,
                "drawn box",
                b.reason,
            ),
            f"A box drawn on page {_box_place(b.page, titles.get(b.document_id))}",
        )
        for b in register.boxes
    ]
    return rows


def _box_place(page: int, title: str | None) -> str:
    """Where a drawn box is, as the user knows the document: "1 of Exhibit FK1" (page 1)."""
    return f"{page} of {title}" if title else str(page)


class RegisterModel(ReadOnlyTable):
    columns = COLUMNS

    def row_total(self) -> int:
        return len(self._rows)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []

    def set_register(self, register: Register, titles: Mapping[str, str] | None = None) -> None:
        """``titles``: each document's title by id, to say which document a drawn box is on."""
        self.beginResetModel()
        self._rows = _rows(register, titles or {})
        self.endResetModel()

    def entry_id(self, row: int) -> str:
        return self._rows[row].entry_id

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or row.cells[index.column()] or None
        if role == ENTRY_ID_ROLE:
            return row.entry_id
        return None
