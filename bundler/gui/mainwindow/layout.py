"""The window's layout: which panels show, how wide each is, remembered between runs.

The preview gets most of the width by default, since a bundle is a visual product;
the documents list and the side panels (Anonymise, Preflight) can be hidden from the
View menu. Only the GUI layer keeps this, in the user's settings.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSplitter, QWidget

from bundler.gui.settings import Settings

__all__ = ["LayoutController", "DEFAULT_SHARES"]

DEFAULT_SHARES = (0.32, 0.42, 0.26)  # documents, preview, side panels (all four tabs and a section name unclipped)


class LayoutController(QObject):
    """Panel visibility and splitter sizes, as the user left them."""

    def __init__(self, settings: Settings, splitter: QSplitter, panels: dict[str, QWidget], parent: QObject) -> None:
        super().__init__(parent)
        self._settings, self._splitter, self._panels = settings, splitter, panels
        self.actions: dict[str, QAction] = {}
        for name, widget in panels.items():
            action = QAction(f"Show {name}", self, checkable=True, checked=True)
            action.toggled.connect(widget.setVisible)
            self.actions[name] = action

    def fill_menu(self, menu: QMenu) -> None:
        menu.addActions(list(self.actions.values()))
        menu.addSeparator()
        menu.addAction("Reset &layout", self.reset)

    def show(self, widget: QWidget) -> None:
        """Show a hidden panel (its View menu item ticked too)."""
        for name, panel in self._panels.items():
            if panel is widget:
                self.actions[name].setChecked(True)

    def reset(self) -> None:
        """Every panel shown, the preview widest."""
        for action in self.actions.values():
            action.setChecked(True)
        total = max(self._splitter.width(), self._splitter.window().width() - 16, 900)
        self._splitter.setSizes([int(total * share) for share in DEFAULT_SHARES])

    def restore(self) -> None:
        state = self._settings.layout_state()
        if state is None or not self._splitter.restoreState(state):
            self.reset()
        for name, action in self.actions.items():
            action.setChecked(name not in self._settings.hidden_panels())

    def save(self) -> None:
        hidden = [name for name, action in self.actions.items() if not action.isChecked()]
        self._settings.save_layout_state(self._splitter.saveState() or QByteArray(), hidden)
