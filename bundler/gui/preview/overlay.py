"""The layer over the page view: hit highlights, and redaction boxes drawn, picked and edited.

Pixels become PDF user space (and back) as ``placement`` says. A drag only changes
pixels on screen; the register hears of it once, on release.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from bundler.gui.preview.boxes import BoxDrag, Handle, cursor_for, dragged, grab, paint_boxes
from bundler.gui.preview.geometry import PageGeometry, Rect
from bundler.gui.preview.placement import clamped, page_rect, pixels_to_user, user_to_pixels

__all__ = ["PageOverlay", "DrawnBox"]

DrawnBox = tuple[str, Rect]  # the box's register id, and where it is in user space
_MIN_DRAG = 3  # pixels: a smaller drag is a click, not a box
_HIGHLIGHT_FILL = QColor(255, 196, 0, 90)
_HIGHLIGHT_EDGE = QColor(214, 140, 0)
_BAND_FILL = QColor(0, 0, 0, 50)
_DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


class PageOverlay(QWidget):
    """Transparent child of the view's viewport; takes the mouse in box mode or over boxes."""

    boxDrawn = Signal(object)  # Rect in user space on the current page
    boxMoved = Signal(str, object)  # box id, its new Rect in user space (moved or resized)
    boxDeleted = Signal(str)  # box id

    def __init__(self, view: QPdfView, geometry: Callable[[], PageGeometry | None]) -> None:
        super().__init__(view.viewport())
        self._view, self._geometry = view, geometry
        self._highlights: list[Rect] = []
        self._boxes: list[DrawnBox] = []
        self._selected: str | None = None
        self._box_mode, self._adopt = False, False  # adopt: select the next new box (just drawn)
        self._drag: tuple[QPointF, QPointF] | None = None
        self._edit: BoxDrag | None = None
        self.setGeometry(view.viewport().rect())
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(True)  # the cursor says what a press over a box would do
        view.viewport().installEventFilter(self)
        self.set_box_mode(False)

    # --- what is shown ------------------------------------------------------------------

    def set_box_mode(self, on: bool) -> None:
        self._box_mode, self._drag = on, None
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self._take_mouse()

    def box_mode(self) -> bool:
        return self._box_mode

    def set_highlights(self, rects: list[Rect]) -> None:
        self._highlights = list(rects)
        self.update()

    def highlights(self) -> list[Rect]:
        return list(self._highlights)

    def set_boxes(self, boxes: list[DrawnBox]) -> None:
        """The drawn boxes on the page shown; the selection stays on a box still there."""
        known = {box_id for box_id, _ in self._boxes}
        self._boxes = list(boxes)
        ids = [box_id for box_id, _ in self._boxes]
        fresh = [box_id for box_id in ids if box_id not in known]
        if self._adopt and fresh:
            self._selected = fresh[-1]
        self._adopt = False
        if self._selected not in ids:
            self._selected = None
        if self._edit is not None and self._edit.box_id not in ids:
            self._edit = None
        self._take_mouse()

    def boxes(self) -> list[DrawnBox]:
        return list(self._boxes)

    def selected_box(self) -> str | None:
        return self._selected

    def select(self, box_id: str | None) -> None:
        self._selected = box_id if any(b == box_id for b, _ in self._boxes) else None
        self._edit = None
        self.update()

    def box_pixels(self, box_id: str) -> QRectF | None:
        """Where box ``box_id`` is painted, in overlay pixels (while dragged: where it is dragged to)."""
        if self._edit is not None and self._edit.box_id == box_id:
            return QRectF(self._edit.now)
        rect = next((r for b, r in self._boxes if b == box_id), None)
        return None if rect is None else self.to_pixels(rect)

    def attach(self, view: QPdfView) -> None:
        """Sit on ``view`` instead (the preview makes a fresh view for each file)."""
        self._view.viewport().removeEventFilter(self)
        self._view, self._drag, self._edit = view, None, None
        self.setParent(view.viewport())
        self.setGeometry(view.viewport().rect())
        view.viewport().installEventFilter(self)
        self.show()

    def _take_mouse(self) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not (self._box_mode or self._boxes))
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view.viewport() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._view.viewport().rect())  # the viewport never moves children itself
        return False

    # --- pixels and user space ----------------------------------------------------------

    def _page_area(self) -> tuple[QRectF, PageGeometry] | None:
        area, geometry = QRectF(page_rect(self._view)), self._geometry()
        if area.isEmpty() or geometry is None:
            return None
        return area, geometry

    def to_user(self, rect: QRectF) -> Rect | None:
        """A rectangle in overlay pixels as user-space points on the current page."""
        found = self._page_area()
        return None if found is None else pixels_to_user(rect, *found)

    def to_pixels(self, rect: Rect) -> QRectF | None:
        """A user-space rectangle on the current page as overlay pixels."""
        found = self._page_area()
        return None if found is None else user_to_pixels(rect, *found)

    def _clamped(self, event: QMouseEvent) -> QPointF:
        return clamped(event.position(), QRectF(page_rect(self._view)))

    def _box_at(self, point: QPointF) -> tuple[str, Handle, QRectF] | None:
        """The box a press at ``point`` takes hold of: the selected one first, then the topmost."""
        order = sorted(reversed(self._boxes), key=lambda box: box[0] != self._selected)
        for box_id, _rect in order:
            pixels = self.box_pixels(box_id)
            handle = None if pixels is None else grab(pixels, point, box_id == self._selected)
            if pixels is not None and handle is not None:
                return box_id, handle, pixels
        return None

    # --- the mouse and keys ---------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        found = self._box_at(event.position())
        if found is not None:
            box_id, handle, pixels = found
            self._selected = box_id
            self._edit = BoxDrag(box_id, handle, event.position(), pixels, QRectF(pixels))
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        elif self._box_mode:
            start = self._clamped(event)
            self._selected, self._drag = None, (start, start)
        else:
            self._selected = None
            event.ignore()  # the view's own
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._edit is not None:
            delta = event.position() - self._edit.start
            self._edit.now = dragged(self._edit.origin, self._edit.handle, delta, QRectF(page_rect(self._view)))
        elif self._drag is not None:
            self._drag = (self._drag[0], self._clamped(event))
        else:
            found = self._box_at(event.position())
            default = Qt.CursorShape.CrossCursor if self._box_mode else Qt.CursorShape.ArrowCursor
            self.setCursor(cursor_for(found[1]) if found else default)
            return
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self._edit is not None:
            self._finish_edit()
        elif self._drag is not None:
            self._finish_drawing(QRectF(self._drag[0], self._clamped(event)).normalized())

    def wheelEvent(self, event: QWheelEvent) -> None:
        QApplication.sendEvent(self._view.viewport(), event)  # over a box the page still scrolls

    def _finish_edit(self) -> None:
        edit, self._edit = self._edit, None
        self.update()
        if edit is None or not edit.moved():
            return  # a click: it only selected the box
        user = self.to_user(edit.now)
        if user is not None:
            self.boxMoved.emit(edit.box_id, user)

    def _finish_drawing(self, rect: QRectF) -> None:
        self._drag = None
        self.update()
        if rect.width() >= _MIN_DRAG and rect.height() >= _MIN_DRAG:
            user = self.to_user(rect)
            if user is not None:
                self._adopt = True  # the box drawn comes back selected, ready to adjust or delete
                self.boxDrawn.emit(user)
                self._adopt = False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and self._owns(event):
            event.accept()  # Delete and Esc act on the selected box, not on a window shortcut
            return True
        return super().event(event)

    def _owns(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Escape:
            return self._selected is not None or self._drag is not None
        return self._selected is not None and event.key() in _DELETE_KEYS

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._owns(event):
            super().keyPressEvent(event)
        elif event.key() in _DELETE_KEYS:
            self.delete_selected()
        elif self._edit is not None or self._drag is not None:
            self._edit, self._drag = None, None  # Esc while dragging: the box stays where it was
            self.update()
        else:
            self.select(None)

    def delete_selected(self) -> None:
        box_id, self._selected, self._edit = self._selected, None, None
        self.update()
        if box_id is not None:
            self.boxDeleted.emit(box_id)

    def box_menu(self) -> QMenu | None:
        """The selected box's context menu; None when no box is selected."""
        if self._selected is None:
            return None
        menu = QMenu(self)
        menu.addAction("Delete box", self.delete_selected)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        found = self._box_at(QPointF(event.pos()))
        if found is None:
            event.ignore()
            return
        self.select(found[0])
        menu = self.box_menu()
        if menu is not None:
            menu.exec(event.globalPos())
            menu.deleteLater()

    # --- painting ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(_HIGHLIGHT_EDGE, 1))
        for rect in self._highlights:
            pixels = self.to_pixels(rect)
            if pixels is not None:
                painter.fillRect(pixels, _HIGHLIGHT_FILL)
                painter.drawRect(pixels)
        shown = {box_id: self.box_pixels(box_id) for box_id, _ in self._boxes}
        selected = shown.pop(self._selected, None) if self._selected else None
        paint_boxes(painter, [r for r in shown.values() if r is not None], selected)
        if self._drag is not None:
            painter.setPen(QPen(QColor(0, 0, 0), 1, Qt.PenStyle.DashLine))
            band = QRectF(*self._drag).normalized()
            painter.fillRect(band, _BAND_FILL)
            painter.drawRect(band)
        painter.end()
