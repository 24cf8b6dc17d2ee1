"""Where a single-page QPdfView paints its current page, and pixels to user space and back.

QPdfView keeps its layout private, so this repeats its arithmetic; the preview
tests check it against the pixels the view really paints. Pixels become *viewed*
points (the page as shown, origin top-left), then user space through the page's
crop box and ``/Rotate`` (``PageGeometry``).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView

from bundler.gui.preview.geometry import PageGeometry, Rect

__all__ = ["page_rect", "pixels_to_user", "user_to_pixels", "clamped"]


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


def pixels_to_user(rect: QRectF, area: QRectF, geometry: PageGeometry) -> Rect:
    """``rect`` in pixels, over a page painted at ``area``, as user-space points."""
    width, height = geometry.viewed_size
    sx, sy = width / area.width(), height / area.height()
    viewed = (
        (rect.left() - area.left()) * sx,
        (rect.top() - area.top()) * sy,
        (rect.right() - area.left()) * sx,
        (rect.bottom() - area.top()) * sy,
    )
    return geometry.rect_to_user(viewed)


def user_to_pixels(rect: Rect, area: QRectF, geometry: PageGeometry) -> QRectF:
    """A user-space rectangle as pixels over a page painted at ``area``."""
    width, height = geometry.viewed_size
    u0, v0, u1, v1 = geometry.rect_to_viewed(rect)
    sx, sy = area.width() / width, area.height() / height
    return QRectF(area.left() + u0 * sx, area.top() + v0 * sy, (u1 - u0) * sx, (v1 - v0) * sy)


def clamped(point: QPointF, area: QRectF) -> QPointF:
    """``point`` moved onto ``area``: a drag past the page's edge stops at it."""
    return QPointF(min(max(point.x(), area.left()), area.right()), min(max(point.y(), area.top()), area.bottom()))
