"""The anonymise panel: the register, the detection hits to review, and the schedule.

It holds no bundle and changes nothing itself: every request goes out as a signal
for the main window to turn into an undoable edit, and the results come back in
through ``set_register``, ``set_hits`` and ``set_schedule``.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.schedule import ScheduleRow
from bundler.core.model import Register
from bundler.gui.anonymise.hits import HitsTab
from bundler.gui.anonymise.register import RegisterTab
from bundler.gui.anonymise.schedule import ScheduleModel

__all__ = ["AnonymisePanel"]

_BOX_MODE_ON = (
    "QPushButton:checked { background-color: #8b0000; color: white; font-weight: bold;"
    " border: 1px solid #5a0000; border-radius: 3px; padding: 4px 10px; }"
)


class AnonymisePanel(QWidget):
    addPersonRequested = Signal(str, str, list, str)  # name, pseudonym, variants, action ("replace"|"redact")
    addTermRequested = Signal(str, str, str, str, str)  # text, action, replacement, category, reason
    removeEntryRequested = Signal(str)  # register entry id
    detectRequested = Signal()
    hitsAccepted = Signal(list)  # list[Hit]
    hitsRejected = Signal(list)  # list[Hit]
    hitSelected = Signal(object)  # Hit
    boxModeToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box_mode = QPushButton("Draw redaction &boxes", self)
        self.box_mode.setCheckable(True)
        self.box_mode.setToolTip("Drag on the page preview to black out an area (for scans and pictures)")
        self.box_mode.setStyleSheet(_BOX_MODE_ON)  # on, it must stand out: a click on the page then draws
        self.register_tab = RegisterTab(self)
        self.hits_tab = HitsTab(self)
        self.schedule = ScheduleModel(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.register_tab, "&Register")
        self.tabs.addTab(self.hits_tab, "&Hits")
        self.tabs.addTab(self._schedule_table(), "&Schedule")
        self._lay_out()
        self._forward()

    def _schedule_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.schedule)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.box_mode)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.tabs, 1)

    def _forward(self) -> None:
        self.register_tab.addPersonRequested.connect(self.addPersonRequested)
        self.register_tab.addTermRequested.connect(self.addTermRequested)
        self.register_tab.removeEntryRequested.connect(self.removeEntryRequested)
        self.hits_tab.detectRequested.connect(self.detectRequested)
        self.hits_tab.hitsAccepted.connect(self.hitsAccepted)
        self.hits_tab.hitsRejected.connect(self.hitsRejected)
        self.hits_tab.hitSelected.connect(self.hitSelected)
        self.box_mode.toggled.connect(self.boxModeToggled)

    def set_register(self, register: Register, titles: Mapping[str, str] | None = None) -> None:
        """``titles``: each document's title by id (a drawn box is listed by its document)."""
        self.register_tab.set_register(register, titles)
        self.hits_tab.set_register(register)

    def set_hits(self, hits: list[Hit]) -> None:
        self.hits_tab.set_hits(hits)

    def set_schedule(self, rows: list[ScheduleRow]) -> None:
        self.schedule.set_rows(rows)

    def set_busy(self, busy: bool) -> None:
        """Detection is running: show it, and do not let it be started twice."""
        self.hits_tab.set_busy(busy)
