"""Preflight results: each court rule, pass / warn / fail; a click shows the page it names."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from bundler.core.preflight.findings import Finding, Preflight, format_pages
from bundler.gui.icons import icon

__all__ = ["PreflightPanel"]

_ORDER = {"fail": 0, "warn": 1, "pass": 2}  # what needs attention comes first
_PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
_DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2


class PreflightPanel(QWidget):
    pageRequested = Signal(int)  # 1-based page of the built bundle

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("Build the bundle to check it against the court's e-bundle rules.", wordWrap=True)
        self.findings = QTreeWidget(
            columnCount=2,
            rootIsDecorated=False,
            uniformRowHeights=False,
            wordWrap=True,
            alternatingRowColors=True,
        )
        self.findings.setHeaderLabels(["Check", "Pages"])
        self.findings.setAccessibleName("Preflight findings")
        header = self.findings.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        header.setSectionResizeMode(1, header.ResizeMode.ResizeToContents)
        self.detail = QLabel(wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 3)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.findings.itemActivated.connect(self._activated)
        self.findings.itemClicked.connect(self._activated)
        self.findings.currentItemChanged.connect(self._show_detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.findings, 1)
        layout.addWidget(self.detail)

    def clear(self, message: str = "") -> None:
        self.findings.clear()
        self.detail.clear()
        self.summary.setText(message or "Build the bundle to check it against the court's e-bundle rules.")

    def set_busy(self, message: str) -> None:
        self.findings.clear()
        self.detail.clear()
        self.summary.setText(message)

    def set_preflight(self, preflight: Preflight) -> None:
        self.findings.clear()
        self.detail.setText("Select a check to read it in full; click one that names pages to see them.")
        counts = {status: 0 for status in _ORDER}
        for finding in sorted(preflight.findings, key=lambda f: _ORDER[f.status]):
            counts[finding.status] += 1
            self.findings.addTopLevelItem(self._item(finding))
        self.summary.setText(
            f"{preflight.path.name}: {counts['fail']} failed, {counts['warn']} "
            f"warning{'s' if counts['warn'] != 1 else ''}, {counts['pass']} passed."
        )

    def _item(self, finding: Finding) -> QTreeWidgetItem:
        pages = format_pages(finding.pages) if finding.pages else ""
        item = QTreeWidgetItem([f"{finding.title}: {finding.message}", pages])
        item.setIcon(0, icon(finding.status))
        said = {"pass": "Passed", "warn": "Warning", "fail": "Failed"}[finding.status]
        item.setToolTip(0, f"{said}: {finding.title}\n{finding.message}")
        word = "page" if len(finding.pages) == 1 else "pages"
        item.setData(
            0,
            _DETAIL_ROLE,
            f"{said} · {finding.title}: {finding.message}" + (f" ({word} {pages})" if pages else ""),
        )
        item.setToolTip(1, pages)
        item.setData(0, _PAGE_ROLE, finding.pages[0] if finding.pages else 0)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{finding.status}: {finding.message}")
        return item

    def _show_detail(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        self.detail.setText(str(item.data(0, _DETAIL_ROLE)) if item is not None else "")

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        page = int(item.data(0, _PAGE_ROLE) or 0)
        if page:
            self.pageRequested.emit(page)
