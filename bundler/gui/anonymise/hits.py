"""The hits tab: review what detection found, one by one or a whole kind at a time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bundler.core.anonymise.detect import Hit
from bundler.core.model import Register
from bundler.gui.anonymise.hits_model import HitsFilter, HitsModel

__all__ = ["HitsTab"]

_ALL = "All kinds"
# Initial column widths, in characters: narrow enough that the found text shows in a side panel
# a quarter of the window wide ("Rejected, still redacted" is elided; its tooltip says it all).
_WIDTHS = (13, 13, 5, 16, 34, 20, 16)


class HitsTab(QWidget):
    detectRequested = Signal()
    hitsAccepted = Signal(list)  # list[Hit]
    hitsRejected = Signal(list)  # list[Hit]
    hitSelected = Signal(object)  # Hit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HitsModel(self)
        self.proxy = HitsFilter(self.model, self)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Show hits of kind")
        self.table = self._make_table()
        self.summary = QLabel(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # no total known: a moving bar says "working"
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.run = QPushButton("Run &detection", self)
        self.accept = QPushButton("&Accept", self)
        self.reject = QPushButton("Re&ject", self)
        self.accept_kind = QPushButton("Accept all of this &kind", self)
        self.reject_kind = QPushButton("Reject all of this k&ind", self)
        self._lay_out()
        self._connect()
        self._refresh()

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # reading order first
        table.setSortingEnabled(True)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)  # one line per hit; the tooltip shows the whole context
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header, chars = table.horizontalHeader(), table.fontMetrics().horizontalAdvance("x")
        for column, width in enumerate(_WIDTHS):
            header.resizeSection(column, width * chars)
        header.setStretchLastSection(True)
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        label = QLabel("&Kind:", self)
        label.setBuddy(self.kind)
        top.addWidget(label)
        top.addWidget(self.kind, 1)
        top.addWidget(self.busy)
        top.addWidget(self.run)
        # Two short rows and a wrapping summary: the panel stays narrow enough to leave the
        # documents and the page their room on a laptop screen.
        one, kind = QHBoxLayout(), QHBoxLayout()
        for row, buttons in ((one, (self.accept, self.reject)), (kind, (self.accept_kind, self.reject_kind))):
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
        self.summary.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        column.addLayout(one)
        column.addLayout(kind)
        column.addWidget(self.summary)

    def _connect(self) -> None:
        self.run.clicked.connect(self.detectRequested)
        self.accept.clicked.connect(lambda: self._send(self.hitsAccepted.emit, self.selected_hits()))
        self.reject.clicked.connect(lambda: self._send(self.hitsRejected.emit, self.selected_hits()))
        self.accept_kind.clicked.connect(lambda: self._send(self.hitsAccepted.emit, self.pending_of_this_kind()))
        self.reject_kind.clicked.connect(lambda: self._send(self.hitsRejected.emit, self.hits_of_this_kind()))
        self.kind.currentIndexChanged.connect(lambda _: self.proxy.set_rule(self.kind.currentData()))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._refresh)
        self.model.dataChanged.connect(self._refresh)

    def _send(self, emit: Callable[[list[Hit]], object], hits: list[Hit]) -> None:
        if hits:
            emit(hits)

    # --- what the panel forwards ------------------------------------------------------

    def set_hits(self, hits: list[Hit]) -> None:
        self.model.set_hits(hits)
        self._fill_kinds()

    def set_register(self, register: Register) -> None:
        self.model.set_register(register)
        self._fill_kinds()

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.run.setEnabled(not busy)
        self.run.setText("Detecting…" if busy else "Run &detection")

    # --- selection --------------------------------------------------------------------

    def selected_hits(self) -> list[Hit]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.proxy.hit(row) for row in rows]

    def current_hit(self) -> Hit | None:
        current = self.table.selectionModel().currentIndex()
        return self.proxy.hit(current.row()) if current.isValid() else None

    def hits_of_this_kind(self) -> list[Hit]:
        """Every hit (filtered out or not) with the current hit's rule."""
        current = self.current_hit()
        if current is None:
            return []
        return [hit for hit in self.model.hits() if hit.rule == current.rule]

    def pending_of_this_kind(self) -> list[Hit]:
        """Hits of the current kind not rejected: "accept all" never overturns a rejection."""
        return [hit for hit in self.hits_of_this_kind() if not self.model.is_rejected(hit)]

    def _fill_kinds(self) -> None:
        chosen = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(_ALL, None)
        for rule in self.model.rules():
            self.kind.addItem(self.model.rule_label(rule), rule)
        index = self.kind.findData(chosen) if chosen is not None else 0
        self.kind.setCurrentIndex(max(index, 0))
        self.kind.blockSignals(False)
        self.proxy.set_rule(self.kind.currentData())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.hitSelected.emit(self.proxy.hit(current.row()))
        self._refresh()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._refresh()

    def _refresh(self) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.accept.setEnabled(selected)
        self.reject.setEnabled(selected)
        has_current = self.current_hit() is not None
        pending = len(self.pending_of_this_kind())
        self.accept_kind.setText(f"Accept all {pending} of this &kind" if has_current else "Accept all of this &kind")
        self.accept_kind.setToolTip("Every hit of this kind that is not rejected; rejected ones stay rejected")
        self.accept_kind.setEnabled(has_current)
        self.reject_kind.setEnabled(has_current)
        hits = self.model.hits()
        rejected = sum(self.model.is_rejected(hit) for hit in hits)
        self.summary.setText(f"{len(hits)} hit{'' if len(hits) == 1 else 's'}, {rejected} rejected")
