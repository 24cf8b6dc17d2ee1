"""The preview's row of controls: page navigation, zoom and rotation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QStyle, QToolButton, QWidget

from bundler.core.assets import resource_path

__all__ = ["PageToolbar", "themed_icon"]


def themed_icon(widget: QWidget, name: str, fallback: QStyle.StandardPixmap) -> QIcon:
    """``resources/icons/<name>.svg`` when shipped, else the style's own icon."""
    path = resource_path("icons", f"{name}.svg")
    if path.is_file():
        return QIcon(str(path))
    return widget.style().standardIcon(fallback)


class PageToolbar(QWidget):
    """Emits what the user asked for; the pane decides what happens."""

    pageRequested = Signal(int)  # 0-based
    zoomStepped = Signal(int)  # +1 in, -1 out
    fitWidthToggled = Signal(bool)
    rotateClicked = Signal(int)  # degrees clockwise

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        sp = QStyle.StandardPixmap
        self.previous = self._button("go-previous", sp.SP_ArrowBack, "Previous page (Page Up)")
        self.spin = QSpinBox(self)
        self.spin.setAccessibleName("Page number")
        self.spin.setKeyboardTracking(False)  # jump when the number is complete, not per digit
        self.count = QLabel(self)
        self.next = self._button("go-next", sp.SP_ArrowForward, "Next page (Page Down)")
        self.zoom_out = self._button("zoom-out", sp.SP_ArrowDown, "Zoom out (Ctrl+-)", "−")
        self.zoom = QLabel(self)
        self.zoom.setMinimumWidth(self.zoom.fontMetrics().horizontalAdvance("0000%"))
        self.zoom.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in = self._button("zoom-in", sp.SP_ArrowUp, "Zoom in (Ctrl++)", "+")
        self.fit = self._button("zoom-fit-width", sp.SP_TitleBarMaxButton, "Fit the page to the width", "Fit width")
        self.fit.setCheckable(True)
        self.rotate_left = self._button("rotate-left", sp.SP_BrowserReload, "Rotate this page left", "↺")
        self.rotate_right = self._button("rotate-right", sp.SP_BrowserReload, "Rotate this page right", "↻")
        self._lay_out()
        self._connect()
        self.set_page(0, 0)

    def _button(self, icon: str, fallback: QStyle.StandardPixmap, tip: str, text: str = "") -> QToolButton:
        button = QToolButton(self)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        if text:  # a word or sign reads better than an arrow borrowed from the style
            button.setText(text)
            if resource_path("icons", f"{icon}.svg").is_file():
                button.setIcon(themed_icon(self, icon, fallback))
        else:
            button.setIcon(themed_icon(self, icon, fallback))
        return button

    def _lay_out(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        for widget in (self.previous, self.spin, self.count, self.next):
            row.addWidget(widget)
        row.addSpacing(12)
        for widget in (self.zoom_out, self.zoom, self.zoom_in, self.fit):
            row.addWidget(widget)
        row.addSpacing(12)
        row.addWidget(self.rotate_left)
        row.addWidget(self.rotate_right)
        row.addStretch(1)

    def _connect(self) -> None:
        self.previous.clicked.connect(lambda: self.pageRequested.emit(self.spin.value() - 2))
        self.next.clicked.connect(lambda: self.pageRequested.emit(self.spin.value()))
        self.spin.valueChanged.connect(lambda value: self.pageRequested.emit(value - 1))
        self.zoom_in.clicked.connect(lambda: self.zoomStepped.emit(1))
        self.zoom_out.clicked.connect(lambda: self.zoomStepped.emit(-1))
        self.fit.toggled.connect(self.fitWidthToggled)
        self.rotate_left.clicked.connect(lambda: self.rotateClicked.emit(270))
        self.rotate_right.clicked.connect(lambda: self.rotateClicked.emit(90))

    def set_page(self, index: int, count: int) -> None:
        """Show page ``index`` (0-based) of ``count`` without asking for it again."""
        self.spin.blockSignals(True)
        self.spin.setRange(1 if count else 0, max(count, 0))
        self.spin.setValue(index + 1 if count else 0)
        self.spin.blockSignals(False)
        self.count.setText(f"of {count}")
        self.previous.setEnabled(count > 0 and index > 0)
        self.next.setEnabled(0 <= index < count - 1)
        for widget in (
            self.spin,
            self.zoom_out,
            self.zoom_in,
            self.fit,
            self.rotate_left,
            self.rotate_right,
        ):
            widget.setEnabled(count > 0)

    def set_zoom(self, factor: float, fit_width: bool) -> None:
        self.zoom.setText(f"{round(factor * 100)}%")
        self.fit.blockSignals(True)
        self.fit.setChecked(fit_width)
        self.fit.blockSignals(False)
