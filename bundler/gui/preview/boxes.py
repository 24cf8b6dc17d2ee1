"""Hand-drawn redaction boxes on the page shown: how they look, and what a drag does to one.

Everything here is in overlay pixels; ``PageOverlay`` converts to and from user
space. A box is grabbed by its body (to move it) or, once selected, by one of
eight handles (to resize it from that corner or edge).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

__all__ = ["BoxDrag", "Handle", "MOVE", "dragged", "grab", "handle_rects", "cursor_for", "paint_boxes"]

Handle = tuple[int, int]  # (-1 left, 0 none, 1 right) and (-1 top, 0 none, 1 bottom)
MOVE: Handle = (0, 0)  # the body: the whole box moves
_HALF = 4.0  # half a handle's side, in pixels
_SMALLEST = 4.0  # pixels: a resize never makes a box thinner than this
_FILL = QColor(220, 0, 0, 80)
_EDGE = QColor(200, 0, 0)
_SELECTED_EDGE = QColor(0, 90, 200)
_CURSORS = {
    MOVE: Qt.CursorShape.SizeAllCursor,
    (-1, -1): Qt.CursorShape.SizeFDiagCursor,
    (1, 1): Qt.CursorShape.SizeFDiagCursor,
    (1, -1): Qt.CursorShape.SizeBDiagCursor,
    (-1, 1): Qt.CursorShape.SizeBDiagCursor,
    (-1, 0): Qt.CursorShape.SizeHorCursor,
    (1, 0): Qt.CursorShape.SizeHorCursor,
    (0, -1): Qt.CursorShape.SizeVerCursor,
    (0, 1): Qt.CursorShape.SizeVerCursor,
}


@dataclass
class BoxDrag:
    """A box being moved or resized: what was grabbed, where, and where the box is now (pixels)."""

    box_id: str
    handle: Handle
    start: QPointF
    origin: QRectF
    now: QRectF

    def moved(self) -> bool:
        """False for a press and release that moved nothing (by half a pixel): a click."""
        corners = ((self.now.topLeft(), self.origin.topLeft()), (self.now.bottomRight(), self.origin.bottomRight()))
        return any((p - q).manhattanLength() >= 0.5 for p, q in corners)


def _along(low: float, high: float, side: int) -> float:
    return low if side < 0 else high if side > 0 else (low + high) / 2


def handle_rects(rect: QRectF) -> dict[Handle, QRectF]:
    """The eight handles of a selected box, by the corner or edge each one drags."""
    found = {}
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            if (dx, dy) != MOVE:
                x, y = _along(rect.left(), rect.right(), dx), _along(rect.top(), rect.bottom(), dy)
                found[(dx, dy)] = QRectF(x - _HALF, y - _HALF, 2 * _HALF, 2 * _HALF)
    return found


def grab(rect: QRectF, point: QPointF, selected: bool) -> Handle | None:
    """What a press at ``point`` takes hold of: a handle (selected boxes only), the body, or nothing."""
    inner = rect.adjusted(_HALF, _HALF, -_HALF, -_HALF)
    if selected and not inner.contains(point):  # well inside, even a small box is moved, not resized
        for handle, area in handle_rects(rect).items():
            if area.adjusted(-1, -1, 1, 1).contains(point):
                return handle
    return MOVE if rect.adjusted(-1, -1, 1, 1).contains(point) else None


def cursor_for(handle: Handle) -> Qt.CursorShape:
    return _CURSORS[handle]


def _moved(rect: QRectF, delta: QPointF, page: QRectF) -> QRectF:
    """``rect`` moved by ``delta`` but kept on the page."""
    x = min(max(rect.left() + delta.x(), page.left()), page.right() - rect.width())
    y = min(max(rect.top() + delta.y(), page.top()), page.bottom() - rect.height())
    return QRectF(x, y, rect.width(), rect.height())


def _edge(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def dragged(rect: QRectF, handle: Handle, delta: QPointF, page: QRectF) -> QRectF:
    """Where a drag of ``handle`` by ``delta`` puts ``rect``, never off ``page`` nor inside out."""
    if handle == MOVE:
        return _moved(rect, delta, page)
    left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
    dx, dy = handle
    if dx < 0:
        left = _edge(left + delta.x(), page.left(), right - _SMALLEST)
    elif dx > 0:
        right = _edge(right + delta.x(), left + _SMALLEST, page.right())
    if dy < 0:
        top = _edge(top + delta.y(), page.top(), bottom - _SMALLEST)
    elif dy > 0:
        bottom = _edge(bottom + delta.y(), top + _SMALLEST, page.bottom())
    return QRectF(QPointF(left, top), QPointF(right, bottom))


def paint_boxes(painter: QPainter, rects: list[QRectF], selected: QRectF | None) -> None:
    """Each box a see-through red rectangle; the selected one outlined in blue with its handles."""
    for rect in rects:
        painter.fillRect(rect, _FILL)
        painter.setPen(QPen(_EDGE, 1.5))
        painter.drawRect(rect)
    if selected is None:
        return
    painter.fillRect(selected, _FILL)
    painter.setPen(QPen(_SELECTED_EDGE, 2, Qt.PenStyle.DashLine))
    painter.drawRect(selected)
    painter.setPen(QPen(_SELECTED_EDGE, 1))
    painter.setBrush(QBrush(QColor(255, 255, 255)))
    for area in handle_rects(selected).values():
        painter.drawRect(area)
    painter.setBrush(QBrush())
