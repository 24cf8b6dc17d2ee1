"""The view of the project tree: drag to reorder, drop files or folders from the file manager."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics
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
        self._date_width = 0
        self._size_columns()
        self.date_delegate = DateDelegate(self)  # any ordinary date; a typo stays, explained
        self.setItemDelegateForColumn(DATE, self.date_delegate)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)  # the window adds them
        model.modelReset.connect(self.expandAll)
        for changed in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            changed.connect(self.fit_date_column)
        model.rowsInserted.connect(self._expand_new_sections)
        self.expandAll()

    def _size_columns(self) -> None:
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(36)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        width = self.fontMetrics().horizontalAdvance
        for column, sample in (
            (DATE, "00 Mmm 0000"),  # then as wide as the dates shown (fit_date_column)
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

    def fit_date_column(self) -> None:
        """The Date column as wide as the longest date shown: room for "(guess)" only when a
        guess is shown, so titles get the rest."""
        model = self.model()
        widest = self.fontMetrics().horizontalAdvance("00 Mmm 0000")
        for row in range(model.rowCount()):
            section = model.index(row, 0)
            for child in range(model.rowCount(section)):
                index = model.index(child, DATE, section)
                font = index.data(Qt.ItemDataRole.FontRole)
                metrics = QFontMetrics(font) if isinstance(font, QFont) else self.fontMetrics()
                widest = max(widest, metrics.horizontalAdvance(str(index.data() or "")))
        if widest + 16 != self._date_width:  # a column the user resized stays until the dates change
            self._date_width = widest + 16
            self.header().resizeSection(DATE, self._date_width)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Tab while typing a title goes on to its date (then the next row), as in a form;
        a tree otherwise sends Tab down the same column, skipping the date."""
        Move = QAbstractItemView.CursorAction
        current = self.currentIndex()
        if action not in (Move.MoveNext, Move.MovePrevious) or not current.isValid():
            return super().moveCursor(action, modifiers)
        forward = action == Move.MoveNext
        columns = self._editable_columns(current)
        later = [c for c in columns if (c > current.column() if forward else c < current.column())]
        if later:
            return current.siblingAtColumn(later[0] if forward else later[-1])
        row = super().moveCursor(Move.MoveDown if forward else Move.MoveUp, modifiers)
        if not row.isValid() or row.siblingAtColumn(0) == current.siblingAtColumn(0):
            return QModelIndex()  # the first or last row: Tab stops here
        columns = self._editable_columns(row)
        return row.siblingAtColumn(columns[0] if forward else columns[-1]) if columns else row

    def _editable_columns(self, index: QModelIndex) -> list[int]:
        return [
            column
            for column in range(self.model().columnCount(index.parent()))
            if not self.isColumnHidden(column) and index.siblingAtColumn(column).flags() & Qt.ItemFlag.ItemIsEditable
        ]

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
