"""Box mode made plain: a line over the preview while it is on, and Esc there to stop it.

With "Draw redaction boxes" on, a click on the page draws instead of selecting; a paralegal
must see that at a glance, on the page itself, and know the way out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QVBoxLayout, QWidget

__all__ = ["BOX_MODE_LINE", "BoxModeFrame"]

BOX_MODE_LINE = "Drag to draw a box · Esc to stop"
_LINE_STYLE = "QLabel { background: #8b0000; color: white; font-weight: bold; padding: 4px 8px; }"


class BoxModeFrame(QWidget):
    """The preview with a line above it saying box mode is on; Esc in the preview turns it off."""

    def __init__(self, preview: QWidget, button: QAbstractButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview, self._button = preview, button
        self.line = QLabel(BOX_MODE_LINE, self)
        self.line.setStyleSheet(_LINE_STYLE)
        self.line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.line.setVisible(button.isChecked())
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.line)
        column.addWidget(preview, 1)
        button.toggled.connect(self._toggled)

    def _toggled(self, on: bool) -> None:
        self.line.setVisible(on)
        if on:
            self.preview.setFocus()  # so Esc reaches here at once

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc not taken by the page (a box selected or being drawn) stops box mode."""
        if event.key() == Qt.Key.Key_Escape and self._button.isChecked():
            self._button.setChecked(False)
            event.accept()
            return
        super().keyPressEvent(event)
