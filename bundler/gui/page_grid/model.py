"""The page grid's list model: one row per page the document will file, in order.

A row is a source page and its own turn; its label is the bundle page number it will
carry and the source page it shows. A row shown without its picture asks for it
(``wanted``); pictures arrive from the renderer, are turned here as the bundle will turn
the page, and the least recently shown are let go past ``_CACHE_LIMIT``. Rows move by drag and drop
(``moveRows``, which QListView calls for an internal move) or by the dialog's buttons.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QTransform

from bundler.core.arranging import Arrangement

__all__ = ["GridPage", "PageGridModel"]

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_CACHE_LIMIT = 600  # pictures kept (about 78 kB each): several screens of a large scan


@dataclass
class GridPage:
    source: int  # 1-based source page
    turn: int = 0  # its own clockwise turn, on top of the document's


def _framed(image: QImage) -> QImage:
    """A thin grey edge, so a white page stands out from a white grid."""
    framed = image.convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(framed)
    painter.setPen(QColor(150, 150, 150))
    painter.drawRect(framed.rect().adjusted(0, 0, -1, -1))
    painter.end()
    return framed


def _square(image: QImage) -> QImage:
    """``image`` centred on a clear square, so upright and turned pages take the same room."""
    edge = max(image.width(), image.height())
    square = QImage(edge, edge, QImage.Format.Format_ARGB32_Premultiplied)
    square.fill(Qt.GlobalColor.transparent)
    painter = QPainter(square)
    painter.drawImage((edge - image.width()) // 2, (edge - image.height()) // 2, image)
    painter.end()
    return square


class PageGridModel(QAbstractListModel):
    wanted = Signal(int)  # a shown page's picture is needed: its 1-based source page

    def __init__(self, rotation: int, first: int | None, prefix: str, parent: QObject | None = None) -> None:
        """``rotation``: the document's turn of every page; ``first``: its first bundle page (None: unknown)."""
        super().__init__(parent)
        self._rotation, self._first, self._prefix = rotation, first, prefix
        self.pages: list[GridPage] = []
        self._pictures: OrderedDict[int, QImage] = OrderedDict()  # source page: upright, centred on a square
        self._asked: set[int] = set()  # asked for, not arrived yet
        self._turned: dict[tuple[int, int], QImage] = {}  # only the pages shown turned
        blank = QImage(99, 140, QImage.Format.Format_RGB32)
        blank.fill(QColor(236, 236, 236))
        self._blank = _square(_framed(blank))

    # --- contents ----------------------------------------------------------------------
    def set_pages(self, pages: list[GridPage]) -> None:
        self.beginResetModel()
        self.pages = [GridPage(p.source, p.turn) for p in pages]
        self.endResetModel()

    def arrangement(self) -> Arrangement:
        """The order and turns shown (no extracts: the dialog keeps those)."""
        return Arrangement([p.source for p in self.pages], {p.source: p.turn for p in self.pages if p.turn})

    def remove(self, rows: list[int]) -> list[GridPage]:
        """Take ``rows`` out; returns their pages, in grid order."""
        taken = [self.pages[r] for r in sorted(rows)]
        for row in sorted(rows, reverse=True):
            self.beginRemoveRows(_ROOT, row, row)
            del self.pages[row]
            self.endRemoveRows()
        self._renumber()
        return taken

    def turn(self, rows: list[int], degrees: int) -> None:
        for row in rows:
            self.pages[row].turn = (self.pages[row].turn + degrees) % 360
            self.dataChanged.emit(self.index(row), self.index(row))

    def set_picture(self, source: int, image: QImage) -> None:
        self._asked.discard(source)
        self._pictures[source] = _square(_framed(image))  # a square turns about its own centre
        while len(self._pictures) > _CACHE_LIMIT:
            gone, _ = self._pictures.popitem(last=False)
            self._turned = {k: v for k, v in self._turned.items() if k[0] != gone}
        for row, page in enumerate(self.pages):
            if page.source == source:
                self.dataChanged.emit(self.index(row), self.index(row), [Qt.ItemDataRole.DecorationRole])

    def has_picture(self, source: int) -> bool:
        return source in self._pictures

    def pictures(self) -> int:
        """How many pictures are held now."""
        return len(self._pictures)

    def label(self, row: int) -> str:
        """'Bundle p. 17' over 'page 3 of the file' (the number the stamp will carry)."""
        number = "?" if self._first is None else f"{self._prefix}{self._first + row}"
        return f"Bundle p. {number}\nfile p. {self.pages[row].source}"

    def angle(self, row: int) -> int:
        return (self._rotation + self.pages[row].turn) % 360

    def _renumber(self) -> None:
        if self.pages:
            self.dataChanged.emit(self.index(0), self.index(len(self.pages) - 1), [Qt.ItemDataRole.DisplayRole])

    def _picture(self, row: int) -> QImage:
        source, angle = self.pages[row].source, self.angle(row)
        upright = self._pictures.get(source)
        if upright is None:
            if source not in self._asked:
                self._asked.add(source)
                self.wanted.emit(source)
            return self._blank
        self._pictures.move_to_end(source)
        if not angle:
            return upright
        key = (source, angle)
        if key not in self._turned:
            self._turned[key] = upright.transformed(QTransform().rotate(angle))
        return self._turned[key]

    # --- Qt's model API ------------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.pages)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.pages):
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.label(row)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._picture(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            turned = f", turned {self.angle(row)}°" if self.angle(row) else ""
            return f"{self.label(row).replace(chr(10), ', ')}{turned}. Drag to move it; Delete takes it out."
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def moveRows(self, parent: _Index, row: int, count: int, destination: _Index, child: int) -> bool:
        """Move ``count`` rows from ``row`` to before ``child`` (Qt's counting, before the move)."""
        if parent.isValid() or destination.isValid() or count < 1 or row <= child <= row + count:
            return False
        if not self.beginMoveRows(parent, row, row + count - 1, destination, child):
            return False
        moving = self.pages[row : row + count]
        del self.pages[row : row + count]
        at = child if child < row else child - count
        self.pages[at:at] = moving
        self.endMoveRows()
        self._renumber()
        return True
