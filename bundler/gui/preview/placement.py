"""Where a single-page QPdfView paints its current page, in viewport pixels.

QPdfView keeps its layout private, so this repeats its arithmetic; the preview
tests check it against the pixels the view really paints.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, QSizeF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView

__all__ = ["page_rect"]


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
