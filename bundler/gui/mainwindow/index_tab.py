"""The live Index tab: the index as the next build will print it, while documents are arranged.

Every row comes from ``bundler.core.build.planned.planned_index``, which uses the build's
own page map and index-row code, so what this tab shows is what the judge will read.
It follows every change to the project (add, move, remove, retitle, pages chosen, undo)
and shows the row's document in the tree when it is double-clicked.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from bundler.core.build.frontmatter import IndexLine
from bundler.core.build.planned import PlannedIndex, planned_index
from bundler.gui.project.model import ProjectModel

__all__ = ["IndexTab", "INDEX_COLUMNS"]

INDEX_COLUMNS = ("Tab", "Description", "Date", "Page", "Pages")
_TAB, _TITLE, _DATE, _PAGE, _PAGES = range(len(INDEX_COLUMNS))
_HEADER_TIPS = {
    _PAGE: "The page the printed index gives: where the document starts",
    _PAGES: "Every page the document fills in the bundle (shown when it has more than one)",
}
_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class IndexTab(QWidget):
    """The planned index, one row per section and document, refreshed shortly after each change."""

    documentRequested = Signal(str)  # a document's id: show it in the tree
    refreshed = Signal()  # the rows were computed again (tests wait for it)

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.summary = QLabel(wordWrap=True)
        self.rows = QTreeWidget()
        self.rows.setAccessibleName("Index as it will be filed")
        self.rows.setColumnCount(len(INDEX_COLUMNS))
        self.rows.setHeaderLabels(list(INDEX_COLUMNS))
        for column, tip in _HEADER_TIPS.items():  # "Page" and "Pages" side by side read as one thing
            self.rows.headerItem().setToolTip(column, tip)
        self.rows.setRootIsDecorated(False)
        self.rows.setUniformRowHeights(True)
        self.rows.setAlternatingRowColors(True)
        self.rows.itemDoubleClicked.connect(self._double_clicked)
        header = self.rows.header()
        header.setStretchLastSection(False)
        for column in range(len(INDEX_COLUMNS)):  # the description gets the room, the rest their text's width
            mode = QHeaderView.ResizeMode.Stretch if column == _TITLE else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows)
        self.planned: PlannedIndex | None = None
        self._current: str | None = None  # the tree's current item, highlighted here too
        self._stale = True
        self._timer = QTimer(self, singleShot=True, interval=60)
        self._timer.timeout.connect(self.refresh)
        self._follow(model)
        self.refresh()

    def _follow(self, model: ProjectModel) -> None:
        """Every change to the tree's model (titles, dates, moves, page counts) refreshes the index."""
        model.pagesChanged.connect(self.schedule)
        model.modelReset.connect(self.schedule)
        model.dataChanged.connect(self.schedule)
        model.rowsInserted.connect(self.schedule)
        model.rowsRemoved.connect(self.schedule)
        model.rowsMoved.connect(self.schedule)
        model.layoutChanged.connect(self.schedule)

    def schedule(self, *_args: object) -> None:
        """Refresh soon: a burst of changes (one undo step is several signals) costs one refresh.

        While the tab is hidden it is only marked stale (2,000 documents take about 0.2 s)."""
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        self._stale = False
        planned = planned_index(self._model.bundle, self._model.page_totals)
        self.planned = planned
        self.rows.clear()
        self.rows.addTopLevelItems([self._item(line, line.item_id in planned.unknown) for line in planned.lines])
        self.summary.setText(_summary(planned))
        self.show_current(self._current)
        self.refreshed.emit()

    def show_current(self, item_id: str | None) -> None:
        """Highlight the row of ``item_id`` (the document or section selected in the tree)."""
        self._current = item_id
        found = [n for n in range(self.rows.topLevelItemCount()) if item_id and self.item_id(n) == item_id]
        item = self.rows.topLevelItem(found[0]) if found else None
        if item is None:
            self.rows.setCurrentIndex(QModelIndex())
            self.rows.clearSelection()
            return
        self.rows.setCurrentItem(item)
        self.rows.scrollToItem(item)

    def _item(self, line: IndexLine, unknown: bool) -> QTreeWidgetItem:
        pages = "" if line.first == line.last else f"{line.first}–{line.last}"
        texts = [line.tab, line.title, line.date, "–" if unknown else line.page, "" if unknown else pages]
        item = QTreeWidgetItem(texts)
        item.setData(_TITLE, _ID_ROLE, line.item_id)
        item.setToolTip(_TITLE, line.title)
        for column in (_PAGE, _PAGES):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if line.kind == "section":
            font = QFont(item.font(_TITLE))
            font.setBold(True)
            for column in range(len(INDEX_COLUMNS)):
                item.setFont(column, font)
        return item

    def row_texts(self) -> list[tuple[str, str, str, str]]:
        """(tab, description, date, page) of each row, as shown."""
        return [
            (item.text(_TAB), item.text(_TITLE), item.text(_DATE), item.text(_PAGE))
            for item in (self.rows.topLevelItem(n) for n in range(self.rows.topLevelItemCount()))
            if item is not None
        ]

    def item_id(self, row: int) -> str:
        item = self.rows.topLevelItem(row)
        return str(item.data(_TITLE, _ID_ROLE)) if item is not None else ""

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        item_id = item.data(_TITLE, _ID_ROLE)
        if item_id:
            self.documentRequested.emit(str(item_id))


def _summary(planned: PlannedIndex) -> str:
    if not planned.lines:
        return "The index lists each section and document once documents are added."
    pages = "s" if planned.index_pages != 1 else ""
    total = "pages not all counted yet" if planned.total_pages is None else f"{planned.total_pages} pages in all"
    return f"{planned.title}: {planned.index_pages} index page{pages}, {total}. Double-click a row to select it."
