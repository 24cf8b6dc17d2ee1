"""The project tree: sections and their documents, adapted from a ``Bundle`` for Qt views.

The model only adapts the bundle. Edits a user makes in the view (typing a title,
dragging a document, dropping files) come out as signals; the controller turns them
into undo commands, which change the bundle through ``ProjectEdits`` below.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from bundler.core.model import Bundle, Document, Section
from bundler.core.naming import format_date, guess_words
from bundler.gui.icons import icon
from bundler.gui.project.edits import COLUMNS, DATE, INCLUDE, PAGES, SOURCE, TITLE, ProjectEdits

__all__ = [
    "ProjectModel",
    "COLUMNS",
    "TITLE",
    "DATE",
    "PAGES",
    "INCLUDE",
    "SOURCE",
    "ID_ROLE",
    "MIME_TYPE",
]

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the section's or document's id
MIME_TYPE = "application/x-bundler-document-ids"
_FIELDS = {TITLE: "title", DATE: "date", INCLUDE: "pages"}
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument


class ProjectModel(ProjectEdits, QAbstractItemModel):
    """Top level: sections; below each, its documents. Columns: see ``COLUMNS``."""

    editRequested = Signal(str, str, object)  # section or document id, field, new value
    moveRequested = Signal(list, str, int)  # document ids, target section id, row before the move
    filesDropped = Signal(list, str, int)  # paths, target section id, row (-1: at the end)
    pagesChanged = Signal()  # the page numbers in the tree were recomputed

    def __init__(self, bundle: Bundle, parent: QObject | None = None) -> None:
        QAbstractItemModel.__init__(self, parent)
        self._init_edits(bundle)

    # --- structure -------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, self._key(self.bundle.sections[parent.row()]))

    def parent(self, child: Index | None = None) -> Any:  # noqa: D102 - QObject.parent() without args
        if child is None:
            return QObject.parent(self)
        key = child.internalId() if child.isValid() else 0
        if not key:
            return QModelIndex()
        return self.createIndex(self._section_row(key), 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self.bundle.sections)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.bundle.sections[parent.row()].documents)
        return 0

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(COLUMNS)

    def item(self, index: Index) -> Section | Document | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self.bundle.sections[index.row()]
        return self.bundle.sections[self._section_row(index.internalId())].documents[index.row()]

    # --- data ------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index)
        if item is None:
            return None
        if role == ID_ROLE:
            return item.id
        if isinstance(item, Section):
            return self._section_data(item, index.column(), role)
        return self._document_data(item, index.column(), role)

    def _pages_text(self, item_id: str) -> str:
        return self.labels.get(item_id) or "–"

    def _section_data(self, section: Section, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                TITLE: f"{section.letter}   {section.title}",
                PAGES: self._pages_text(section.id),
            }.get(column)
        if role == Qt.ItemDataRole.EditRole and column == TITLE:
            return section.title
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == TITLE:
            return icon("section")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _document_data(self, doc: Document, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._document_text(doc, column)
        if role == Qt.ItemDataRole.EditRole:
            # The editor starts from the date as shown ("3 Apr 2022"), which it accepts back.
            date = format_date(doc.date) if doc.date else ""
            return {TITLE: doc.title, DATE: date, INCLUDE: doc.pages}.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(doc, column)
        if role == Qt.ItemDataRole.FontRole and (self.is_late(doc) or (column == DATE and doc.date_is_guess)):
            font = QFont()
            font.setItalic(True)  # not in the served bundle
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == TITLE:
            return icon(doc.kind)
        if role == Qt.ItemDataRole.ForegroundRole and self._muted(doc, column):
            return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _document_text(self, doc: Document, column: int) -> str:
        if column == TITLE:
            return doc.title
        if column == DATE:
            return f"{format_date(doc.date)} (guess)" if doc.date_is_guess else format_date(doc.date)
        if column == PAGES:
            return self._pages_text(doc.id)
        if column == INCLUDE:
            return doc.pages or "all"
        return Path(doc.path).name

    def _tooltip(self, doc: Document, column: int) -> str:
        if column == SOURCE:
            return doc.path
        if column == DATE and doc.date_is_guess:
            used = "It is printed in the index" if doc.filed_date else "It is not used in the bundle"
            return (
                f"The app guessed this date from {guess_words(doc.date_source)}. {used} until you confirm it: "
                "choose Confirm date (Ctrl+D), or type the right date."
            )
        late = "\nAdded after service: goes into the additions" if self.is_late(doc) else ""
        return f"{doc.title}\n{doc.path}{late}"

    def _muted(self, doc: Document, column: int) -> bool:
        return (
            (column == DATE and (not doc.date or doc.date_is_guess))
            or (column == INCLUDE and not doc.pages)
            or (column == PAGES and self.ranges.get(doc.id) is None)
        )

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self.item(index)
        if item is None:
            return Qt.ItemFlag.ItemIsDropEnabled
        if isinstance(item, Section):
            editable = Qt.ItemFlag.ItemIsEditable if index.column() == TITLE else Qt.ItemFlag.NoItemFlags
            return base | Qt.ItemFlag.ItemIsDropEnabled | editable
        editable = Qt.ItemFlag.ItemIsEditable if index.column() in _FIELDS else Qt.ItemFlag.NoItemFlags
        return base | Qt.ItemFlag.ItemIsDragEnabled | editable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item(index)
        if role != Qt.ItemDataRole.EditRole or item is None:
            return False
        field = "title" if isinstance(item, Section) else _FIELDS.get(index.column())
        if field is None:
            return False
        self.editRequested.emit(item.id, field, value)
        return True

    # --- drag and drop ---------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE, "text/uri-list"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids: list[str] = []
        for index in sorted(indexes, key=lambda i: (self._section_row(i.internalId()), i.row())):
            item = self.item(index)
            if isinstance(item, Document) and item.id not in ids:
                ids.append(item.id)
        mime = QMimeData()
        mime.setData(MIME_TYPE, json.dumps(ids).encode("utf-8"))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        wanted = data.hasFormat(MIME_TYPE) or any(url.isLocalFile() for url in data.urls())
        return wanted and self._drop_target(row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        target = self._drop_target(row, parent)
        if target is None:
            return False
        section_id, at = target
        if data.hasFormat(MIME_TYPE):
            ids = json.loads(bytes(data.data(MIME_TYPE).data()).decode("utf-8"))
            self.moveRequested.emit(ids, section_id, at)
            return True
        paths = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
        if paths:
            self.filesDropped.emit(paths, section_id, at)
        return bool(paths)

    def _drop_target(self, row: int, parent: Index) -> tuple[str, int] | None:
        """(section id, row) a drop lands in; a drop between sections joins the one above."""
        sections = self.bundle.sections
        item = self.item(parent)
        if isinstance(item, Section):
            return item.id, row if row >= 0 else len(item.documents)
        if isinstance(item, Document):
            return self.parent(parent).data(ID_ROLE), parent.row() + 1
        if not sections:
            return None
        if row == 0:
            return sections[0].id, 0
        above = sections[row - 1] if row > 0 else sections[-1]
        return above.id, len(above.documents)
