"""Detection hits as a read-only table, and a filter that shows one rule ("kind") at a time."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.review import STILL_REDACTED, hit_states
from bundler.core.model import Register
from bundler.gui.table_model import ReadOnlyTable

__all__ = ["HitsModel", "HitsFilter", "HIT_ROLE", "RULE_ROLE", "COLUMNS", "rule_names"]

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
RULE_ROLE = Qt.ItemDataRole.UserRole + 2
# Status first: the decision on each place is on screen however the table is scrolled or sized.
COLUMNS = ("Status", "Document", "Page", "Text", "Context", "Kind", "Suggestion")
STATUS_TEXT = {
    "accepted": "Accepted",
    "pending": "To decide",
    "rejected": "Rejected",
    STILL_REDACTED: "Rejected, still redacted",
}
_STILL_REDACTED_TIP = (
    "You rejected this place, but the same words are protected at a place you accepted "
    "(or they are a protected person's name), so the bundle still redacts them here. "
    "Reject the other places too, or remove the register entry, to leave them visible."
)
_Index = QModelIndex | QPersistentModelIndex


def rule_names(register: Register) -> dict[str, str]:
    """Readable names for the register rules ("register:<entry id>") of detection hits."""
    names = {f"register:{p.id}": f"Register: {p.name}" for p in register.people}
    names.update({f"register:{t.id}": f"Register: {t.text}" for t in register.terms})
    return names


def _pattern_name(rule: str) -> str:
    kind, _, name = rule.partition(":")
    if kind == "pattern":
        return f"Pattern: {re.sub(r'[_-]+', ' ', name)}"
    return "Register entry (removed)" if kind == "register" else rule


class HitsModel(ReadOnlyTable):
    columns = COLUMNS

    def row_total(self) -> int:
        return len(self._hits)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self._names: dict[str, str] = {}
        self._rejected: frozenset[str] = frozenset()
        self._register = Register()
        self._states: list[str] = []

    def set_hits(self, hits: list[Hit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self._states = hit_states(self._register, self._hits)
        self.endResetModel()

    def set_register(self, register: Register) -> None:
        """Rule names and which hits the user has rejected both come from the register."""
        self._names = rule_names(register)
        self._rejected = frozenset(register.rejected_hits)
        self._register, self._states = register, hit_states(register, self._hits)
        if self._hits:
            last = self.index(len(self._hits) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def hits(self) -> list[Hit]:
        return list(self._hits)

    def hit(self, row: int) -> Hit:
        return self._hits[row]

    def rule_label(self, rule: str) -> str:
        return self._names.get(rule) or _pattern_name(rule)

    def rules(self) -> list[str]:
        """Each rule once, in the order hits first show it."""
        return list(dict.fromkeys(hit.rule for hit in self._hits))

    def is_rejected(self, hit: Hit) -> bool:
        return hit.key in self._rejected

    def state(self, row: int) -> str:
        """'accepted', 'pending', 'rejected' or STILL_REDACTED (core's ``hit_state``)."""
        return self._states[row]

    def _cell(self, row: int, column: int) -> str | int:
        hit, status = self._hits[row], STATUS_TEXT[self._states[row]]
        values = (
            status,
            hit.document,
            hit.page,
            hit.text,
            hit.context,
            self.rule_label(hit.rule),
            hit.suggestion,
        )
        return values[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0 and self.state(index.row()) == STILL_REDACTED:
            return _STILL_REDACTED_TIP
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cell(index.row(), index.column())
        if role == Qt.ItemDataRole.ForegroundRole and self.is_rejected(hit):
            return QColor(Qt.GlobalColor.gray)
        if role == HIT_ROLE:
            return hit
        if role == RULE_ROLE:
            return hit.rule
        return None


class HitsFilter(QSortFilterProxyModel):
    """Sortable view of the hits; ``set_rule`` shows one rule only (None: all)."""

    def __init__(self, source: HitsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setFilterRole(RULE_ROLE)
        self.setFilterKeyColumn(0)

    def set_rule(self, rule: str | None) -> None:
        pattern = "" if rule is None else f"^{QRegularExpression.escape(rule)}$"
        self.setFilterRegularExpression(QRegularExpression(pattern))

    def hit(self, row: int) -> Hit:
        source = self.mapToSource(self.index(row, 0))
        hit: Hit = source.data(HIT_ROLE)
        return hit
