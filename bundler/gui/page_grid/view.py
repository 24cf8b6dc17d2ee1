"""The grid's view: pages left to right, wrapping like a contact sheet, each picture above its label."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from bundler.gui.page_grid.render import THUMB_EDGE

__all__ = ["GridView"]


class _Delegate(QStyledItemDelegate):
    """The label under the picture, both centred."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: object) -> None:
        super().initStyleOption(option, index)  # type: ignore[arg-type]
        picture = QPixmap.fromImage(index.data(Qt.ItemDataRole.DecorationRole))  # type: ignore[attr-defined]
        icon = QIcon(picture)
        icon.addPixmap(picture, QIcon.Mode.Selected)  # a selected page stays readable, on the highlight
        option.icon = icon
        option.decorationPosition = QStyleOptionViewItem.Position.Top
        option.decorationAlignment = Qt.AlignmentFlag.AlignHCenter
        option.displayAlignment = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop


class GridView(QListView):
    """Pages left to right, wrapping like a contact sheet; Delete and Ctrl+arrows act on the selection."""

    deletePressed = Signal()
    moveRequested = Signal(int)  # -1 earlier, +1 later

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A wrapping list rather than IconMode: an icon view moves a dropped picture on the
        # screen without moving the row, where a list view moves the row (``moveRows``).
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setGridSize(QSize(THUMB_EDGE + 24, THUMB_EDGE + 48))
        self.setIconSize(QSize(THUMB_EDGE, THUMB_EDGE))
        self.setUniformItemSizes(True)
        self.setItemDelegate(_Delegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setAccessibleName("Pages of the document")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.deletePressed.emit()
        elif ctrl and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.moveRequested.emit(-1 if event.key() == Qt.Key.Key_Left else 1)
        else:
            super().keyPressEvent(event)
