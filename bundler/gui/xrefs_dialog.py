"""Check a skeleton argument's bundle references: a table of each one, broken ones marked.

The dialog stays open beside the window (not modal) so the user can fix the skeleton
and check again; the controller runs the checks and the linking off the UI thread.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bundler.core.naming import plural
from bundler.core.xrefs.reference import Reference
from bundler.gui.court_dialogs import PdfField
from bundler.gui.icons import icon
from bundler.gui.table_model import ReadOnlyTable

__all__ = ["ReferencesModel", "XrefsDialog", "STATUS_TEXT", "SKELETON_FILTER"]

_Index = QModelIndex | QPersistentModelIndex
STATUS_TEXT = {
    "ok": "OK",
    "missing-page": "Missing page",
    "wrong-section": "Wrong section",
    "other-bundle": "Not checked",
}
_ICONS = {"ok": "pass", "missing-page": "fail", "wrong-section": "fail", "other-bundle": "warn"}
SKELETON_FILTER = "Skeletons (*.docx *.pdf);;All files (*)"


def _where(ref: Reference) -> str:
    return f"p.{ref.page_in_doc}" + (f", para {ref.paragraph}" if ref.paragraph else "")


def _cites(ref: Reference) -> str:
    return f"{ref.target_page}" + (f"–{ref.end_page}" if ref.end_page else "")


class ReferencesModel(ReadOnlyTable):
    columns = ("Reference", "Where", "Cites page", "Status", "Message")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.references: list[Reference] = []

    def row_total(self) -> int:
        return len(self.references)

    def set_references(self, refs: list[Reference]) -> None:
        self.beginResetModel()
        self.references = list(refs)
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.references):
            return None
        ref, column = self.references[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            shown = (ref.text, _where(ref), _cites(ref), STATUS_TEXT.get(ref.status, ref.status), ref.message)
            return shown[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return icon(_ICONS.get(ref.status, "warn"))
        if role == Qt.ItemDataRole.ForegroundRole and ref.broken:
            return QBrush(QColor("#b00020"))  # broken: red, as the preflight's failures
        if role == Qt.ItemDataRole.FontRole and ref.broken:
            font = QFont()
            font.setBold(True)
            return font
        return None


def _summary(refs: list[Reference]) -> str:
    if not refs:
        return "No bundle references found (e.g. [B/45], HB/123, p.45)."
    counts = Counter(STATUS_TEXT.get(r.status, r.status).lower() for r in refs)
    broken = sum(r.broken for r in refs)
    parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return f"{plural(len(refs), 'reference')}: {parts}." + (f" Fix the {broken} marked in red." if broken else "")


class XrefsDialog(QDialog):
    checkRequested = Signal(object, object)  # skeleton Path, bundle PDF Path
    linkRequested = Signal()

    def __init__(self, bundle_pdf: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, windowTitle="Check cross-references")
        self.skeleton, self.bundle_pdf = PdfField(), PdfField(bundle_pdf, "Ch&oose…")  # two keys
        self.checked: tuple[Path, Path] | None = None  # (skeleton, bundle) the table's references are of
        self.skeleton.edit.setPlaceholderText("The skeleton argument (.docx or .pdf)")
        self.model = ReferencesModel(self)
        self.table = QTableView(alternatingRowColors=True, wordWrap=False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.summary = QLabel("Choose the skeleton and the built bundle, then Check.", wordWrap=True)
        self.check = QPushButton(icon("detect"), "&Check")
        self.link = QPushButton("Save a &linked copy…", enabled=False)
        self.link.setToolTip("A copy of the PDF skeleton whose valid references open the bundle at the page")
        self.check.clicked.connect(lambda: self.checkRequested.emit(self.skeleton.path(), self.bundle_pdf.path()))
        self.link.clicked.connect(self.linkRequested)
        self._lay_out()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("&Skeleton:", self.skeleton)
        form.addRow("&Bundle:", self.bundle_pdf)
        row = QHBoxLayout()
        row.addWidget(self.check)
        row.addWidget(self.link)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(close)
        self.resize(880, 520)

    def set_busy(self, busy: bool) -> None:
        self.check.setEnabled(not busy)
        self.link.setEnabled(not busy and self._can_link())

    def set_references(self, skeleton: Path, bundle_pdf: Path, refs: list[Reference]) -> None:
        self.checked = (skeleton, bundle_pdf)
        self.model.set_references(refs)
        self.table.resizeColumnsToContents()
        self.summary.setText(_summary(refs))
        self.set_busy(False)

    def _can_link(self) -> bool:
        refs = self.model.references
        pdf = self.checked is not None and self.checked[0].suffix.lower() == ".pdf"
        return pdf and any(r.status == "ok" for r in refs)
