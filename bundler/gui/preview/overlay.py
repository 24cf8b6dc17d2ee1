"""The layer over the page view: hit highlights, and redaction boxes drawn with the mouse.

Everything here converts between viewport pixels and PDF user space through two
steps: pixels to *viewed* points (the page as shown, origin top-left), then viewed
points to user space with the page's crop box and ``/Rotate`` (``PageGeometry``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget

from bundler.gui.preview.geometry import PageGeometry, Rect

__all__ = ["PageOverlay", "page_rect"]

_MIN_DRAG = 3  # pixels: a smaller drag is a click, not a box
_HIGHLIGHT_FILL = QColor(255, 196, 0, 90)
_HIGHLIGHT_EDGE = QColor(214, 140, 0)
_BOX_FILL = QColor(0, 0, 0, 50)


def _page_pixels(view: QPdfView, points: QSizeF) -> QSize:
    """The page's size on screen, rounded exactly as QPdfView rounds it."""
    scale = QGuiApplication.primaryScreen().logicalDotsPerInch() / 72.0  # QPdfView's "screen resolution"
    mode, margins = view.zoomMode(), view.documentMargins()
    if mode == QPdfView.ZoomMode.Custom:
        return (points * scale * view.zoomFactor()).toSize()
    base = (points * scale).toSize()
    room = QSize(
        view.viewport().width() - margins.left() - margins.right(),
        view.viewport().height() - view.pageSpacing(),
    )
    if base.isEmpty():
        return QSize()
    if mode == QPdfView.ZoomMode.FitToWidth:
        return base * (room.width() / base.width())
    return base.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)


def page_rect(view: QPdfView) -> QRect:
    """Where a single-page QPdfView paints its current page, in viewport pixels.

    QPdfView keeps its layout private, so this repeats its arithmetic: the page
    centred across the width, below the top margin, moved by the scroll bars. The
    preview tests check it against the pixels the view really paints.
    """
    doc = view.document()
    if doc is None or doc.status() != QPdfDocument.Status.Ready:
        return QRect()
    size = _page_pixels(view, doc.pagePointSize(view.pageNavigator().currentPage()))
    margins = view.documentMargins()
    total_width = size.width() + margins.left() + margins.right()
    x = (max(total_width, view.viewport().width()) - size.width()) // 2
    return QRect(
        x - view.horizontalScrollBar().value(),
        margins.top() - view.verticalScrollBar().value(),
        size.width(),
        size.height(),
    )


class PageOverlay(QWidget):
    """Transparent child of the view's viewport; takes the mouse only in box mode."""

    boxDrawn = Signal(object)  # Rect in user space on the current page

    def __init__(self, view: QPdfView, geometry: Callable[[], PageGeometry | None]) -> None:
        super().__init__(view.viewport())
        self._view, self._geometry = view, geometry
        self._highlights: list[Rect] = []
        self._drag: tuple[QPointF, QPointF] | None = None
        self.setGeometry(view.viewport().rect())
        view.viewport().installEventFilter(self)
        self.set_box_mode(False)

    def set_box_mode(self, on: bool) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not on)
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self._drag = None
        self.update()

    def box_mode(self) -> bool:
        return not self.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_highlights(self, rects: list[Rect]) -> None:
        self._highlights = list(rects)
        self.update()

    def highlights(self) -> list[Rect]:
        return list(self._highlights)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view.viewport() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._view.viewport().rect())  # the viewport never moves children itself
        return False

    def _page_area(self) -> tuple[QRectF, PageGeometry] | None:
        area, geometry = QRectF(page_rect(self._view)), self._geometry()
        if area.isEmpty() or geometry is None:
            return None
        return area, geometry

    def to_user(self, rect: QRectF) -> Rect | None:
        """A rectangle in overlay pixels as user-space points on the current page."""
        found = self._page_area()
        if found is None:
            return None
        area, geometry = found
        width, height = geometry.viewed_size
        sx, sy = width / area.width(), height / area.height()
        viewed = (
            (rect.left() - area.left()) * sx,
            (rect.top() - area.top()) * sy,
            (rect.right() - area.left()) * sx,
            (rect.bottom() - area.top()) * sy,
        )
        return geometry.rect_to_user(viewed)

    def to_pixels(self, rect: Rect) -> QRectF | None:
        """A user-space rectangle on the current page as overlay pixels."""
        found = self._page_area()
        if found is None:
            return None
        area, geometry = found
        width, height = geometry.viewed_size
        u0, v0, u1, v1 = geometry.rect_to_viewed(rect)
        sx, sy = area.width() / width, area.height() / height
        return QRectF(area.left() + u0 * sx, area.top() + v0 * sy, (u1 - u0) * sx, (v1 - v0) * sy)

    def _clamped(self, event: QMouseEvent) -> QPointF:
        area, point = QRectF(page_rect(self._view)), event.position()
        return QPointF(
            min(max(point.x(), area.left()), area.right()),
            min(max(point.y(), area.top()), area.bottom()),
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.box_mode() and event.button() == Qt.MouseButton.LeftButton:
            start = self._clamped(event)
            self._drag = (start, start)
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = (self._drag[0], self._clamped(event))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        rect = QRectF(self._drag[0], self._clamped(event)).normalized()
        self._drag = None
        self.update()
        if rect.width() >= _MIN_DRAG and rect.height() >= _MIN_DRAG:
            user = self.to_user(rect)
            if user is not None:
                self.boxDrawn.emit(user)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(_HIGHLIGHT_EDGE, 1))
        for rect in self._highlights:
            pixels = self.to_pixels(rect)
            if pixels is not None:
                painter.fillRect(pixels, _HIGHLIGHT_FILL)
                painter.drawRect(pixels)
        if self._drag is not None:
            painter.setPen(QPen(QColor(0, 0, 0), 1, Qt.PenStyle.DashLine))
            band = QRectF(*self._drag).normalized()
            painter.fillRect(band, _BOX_FILL)
            painter.drawRect(band)
        painter.end()
