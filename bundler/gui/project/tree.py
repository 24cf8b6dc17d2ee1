"""The view of the project tree: drag to reorder, drop files or folders from the file manager."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from bundler.gui.project.date_editor import DateDelegate
from bundler.gui.project.model import (
    COLUMNS,
    DATE,
    ID_ROLE,
    INCLUDE,
    PAGES,
    SOURCE,
    TITLE,
    ProjectModel,
)

__all__ = ["ProjectTree"]


class ProjectTree(QTreeView):
    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName("Sections and documents")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)  # cheap layout for bundles of hundreds of documents
        self.setAllColumnsShowFocus(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked)
        self._size_columns()
        self.date_delegate = DateDelegate(self)  # any ordinary date; a typo stays, explained
        self.setItemDelegateForColumn(DATE, self.date_delegate)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)  # the window adds them
        model.modelReset.connect(self.expandAll)
        model.rowsInserted.connect(self._expand_new_sections)
        self.expandAll()

    def _size_columns(self) -> None:
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(36)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        width = self.fontMetrics().horizontalAdvance
        for column, sample in (
            (DATE, "00 Mmm 0000 (guess)"),  # a guessed date says so, unclipped
            (PAGES, "0000–0000"),
            (INCLUDE, "Include"),
            (SOURCE, "A source file name.pdf"),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width(sample) + 16)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for column in (DATE, PAGES, INCLUDE, SOURCE):  # right-click the header to show or hide
            action = QAction(f"Show {COLUMNS[column].lower()}", header, checkable=True)
            action.setChecked(column not in (INCLUDE, SOURCE))  # the tree stays narrow by default
            action.toggled.connect(lambda on, c=column: self.setColumnHidden(c, not on))
            self.setColumnHidden(column, not action.isChecked())
            header.addAction(action)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Tab goes from a title to its date (and on to the next row), not straight down the titles."""
        step = {self.CursorAction.MoveNext: 1, self.CursorAction.MovePrevious: -1}.get(action)
        current = self.currentIndex()
        if step is None or not current.isValid():
            return super().moveCursor(action, modifiers)
        column = current.column() + step
        while 0 <= column < self.model().columnCount(current.parent()):
            sibling = current.siblingAtColumn(column)
            if not self.isColumnHidden(column) and sibling.flags() & Qt.ItemFlag.ItemIsEditable:
                return sibling
            column += step
        row = super().moveCursor(action, modifiers)
        last = DATE if step < 0 and not self.isColumnHidden(DATE) else TITLE
        return row.siblingAtColumn(TITLE if step > 0 else last) if row.isValid() else row

    def _expand_new_sections(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                self.expand(self.model().index(row, 0))

    def selected_ids(self) -> list[str]:
        """Ids of the selected sections and documents, top to bottom."""
        rows = self.selectionModel().selectedRows(TITLE)
        ordered = sorted(
            rows,
            key=lambda i: (
                i.parent().row() if i.parent().isValid() else i.row(),
                i.row() if i.parent().isValid() else -1,
            ),
        )
        return [str(index.data(ID_ROLE)) for index in ordered]

    def current_id(self) -> str | None:
        index = self.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else None

    def select_id(self, item_id: str) -> None:
        model = self.model()
        assert isinstance(model, ProjectModel)
        index = model.index_of(item_id)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)
