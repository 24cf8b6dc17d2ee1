"""Page thumbnails: a list model that renders only the pages someone looks at.

Opening a document reads nothing but its page count: ``rowCount`` is the page
count, and a thumbnail is rendered the first time a view asks for it (views only
paint visible rows) on a worker thread, then cached. ``QPdfDocument.render`` may
run off the UI thread: QtPdf serialises its PDFium behind its own lock, which is
what QPdfView's own multi-threaded renderer relies on.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from bundler.gui.table_model import READ_ONLY

__all__ = ["ThumbnailModel", "THUMBNAIL_SIZE", "thumbnail_strip"]

THUMBNAIL_SIZE = QSize(96, 128)
_MAX_QUEUED = 48  # when the user scrolls fast, older requests are skipped; visible rows ask again
_CACHE_LIMIT = 400  # images kept (about 50 kB each)
_Index = QModelIndex | QPersistentModelIndex


class _Relay(QObject):
    """Carries results from the worker back to the model's (UI) thread."""

    rendered = Signal(int, int, QImage)  # generation, row, image
    skipped = Signal(int, int)  # generation, row: asked for too long ago, maybe scrolled past


def _fit(doc: QPdfDocument, row: int, box: QSize) -> QSize:
    """The page's size scaled into ``box``. QtPdf answers under the lock every render holds,
    so this runs on the pool thread too: asked on the UI thread, it waited for a heavy page."""
    points = doc.pagePointSize(row)
    if points.isEmpty():
        return box
    return points.scaled(box.toSizeF(), Qt.AspectRatioMode.KeepAspectRatio).toSize()


def _render(
    doc: QPdfDocument,
    row: int,
    box: QSize,
    generation: int,
    relay: _Relay,
    stale: Callable[[], bool],
) -> None:
    """Runs on a pool thread; touches only the document and the relay."""
    if stale():
        relay.skipped.emit(generation, row)
    else:
        relay.rendered.emit(generation, row, doc.render(row, _fit(doc, row, box)))


def _framed(image: QImage, fill: QColor | None = None) -> QImage:
    """A thin grey edge, so a white page stands out from a white list."""
    if fill is not None:
        image.fill(fill)
    painter = QPainter(image)
    painter.setPen(QColor(150, 150, 150))
    painter.drawRect(image.rect().adjusted(0, 0, -1, -1))
    painter.end()
    return image


class ThumbnailModel(QAbstractListModel):
    """One row per page of a QPdfDocument; the decoration is the page's thumbnail."""

    thumbnailReady = Signal(int)  # row

    def __init__(self, parent: QObject | None = None, size: QSize = THUMBNAIL_SIZE) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # the app's other workers share a small machine
        self._relay = _Relay(self)
        self._relay.rendered.connect(self._on_rendered)
        self._relay.skipped.connect(self._on_skipped)
        self._size, self._generation = size, 0
        self._cache: OrderedDict[int, QImage] = OrderedDict()
        self._pending: dict[int, int] = {}  # row -> request serial
        self._serial = 0
        self._placeholder = _framed(QImage(size, QImage.Format.Format_RGB32), QColor(236, 236, 236))
        self._rendered = 0
        self._doc: QPdfDocument | None = None

    @property
    def rendered_count(self) -> int:
        """How many thumbnails have been rendered since the model was made."""
        return self._rendered

    def set_document(self, doc: QPdfDocument | None) -> None:
        """Show ``doc`` (or nothing); waits for a render in progress on the old one."""
        self.beginResetModel()
        self._generation += 1
        self._pool.clear()
        self._pool.waitForDone()  # a worker must never render a document being closed
        self._pending.clear()
        self._cache.clear()
        self._doc = doc
        self.endResetModel()

    def thumbnail(self, row: int) -> QImage | None:
        """The cached thumbnail of ``row``, without asking for one."""
        return self._cache.get(row)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        if parent.isValid() or self._doc is None:
            return 0
        return max(0, self._doc.pageCount())

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return READ_ONLY if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._doc is None or not 0 <= index.row() < self.rowCount():
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._doc.pageLabel(row) or str(row + 1)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Page {row + 1} of {self.rowCount()}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._image(row)
        return None

    def _image(self, row: int) -> QImage:
        image = self._cache.get(row)
        if image is None:
            self._request(row)
            return self._placeholder
        self._cache.move_to_end(row)
        return image

    def _request(self, row: int) -> None:
        if row in self._pending or self._doc is None:
            return
        self._serial += 1
        self._pending[row] = self._serial
        stale = partial(self._is_stale, self._serial)
        self._pool.start(partial(_render, self._doc, row, self._size, self._generation, self._relay, stale))

    def _is_stale(self, serial: int) -> bool:
        """Called on the worker: many newer requests mean the user has scrolled on."""
        return self._serial - serial > _MAX_QUEUED

    def _on_skipped(self, generation: int, row: int) -> None:
        if generation == self._generation:
            self._pending.pop(row, None)
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])  # if still visible, ask again

    def _on_rendered(self, generation: int, row: int, image: QImage) -> None:
        if generation != self._generation:
            return  # an old document's page
        self._pending.pop(row, None)
        self._cache[row] = _framed(image)
        while len(self._cache) > _CACHE_LIMIT:
            self._cache.popitem(last=False)
        self._rendered += 1
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
        self.thumbnailReady.emit(row)


class _ThumbnailDelegate(QStyledItemDelegate):
    """Page number under the picture, both centred: the strip is narrow."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        option.decorationPosition = QStyleOptionViewItem.Position.Top
        option.decorationAlignment = Qt.AlignmentFlag.AlignHCenter
        option.displayAlignment = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop


def thumbnail_strip(model: ThumbnailModel, parent: QWidget) -> QListView:
    """A one-column list of thumbnails that asks the model only for the rows it shows."""
    strip = QListView(parent)
    strip.setModel(model)
    strip.setItemDelegate(_ThumbnailDelegate(strip))
    strip.setUniformItemSizes(True)  # no per-row size queries: 5,000 rows lay out at once
    strip.setIconSize(THUMBNAIL_SIZE)
    strip.setSpacing(4)
    strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    strip.setMinimumWidth(THUMBNAIL_SIZE.width() + 32)
    strip.setAccessibleName("Page thumbnails")
    return strip
