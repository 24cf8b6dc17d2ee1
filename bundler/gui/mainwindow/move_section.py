"""Edit ▸ Move to section…: send the selected documents to another section in one undoable step.

Dragging works too, but across a long bundle a chooser is quicker and needs no mouse.
The documents keep their order and go to the end of the chosen section.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QMenuBar, QWidget

from bundler.gui.mainwindow.edit import EditController
from bundler.gui.mainwindow.session import Session
from bundler.gui.project.tree import ProjectTree

__all__ = ["MoveToSection"]


class MoveToSection(QObject):
    """The action, its place in the Edit menu and the tree's right-click menu, and the chooser."""

    def __init__(self, session: Session, tree: ProjectTree, edits: EditController, parent: QWidget) -> None:
        super().__init__(parent)
        self._session, self._tree, self._edits, self._window = session, tree, edits, parent
        self.action = QAction("Move to s&ection…", parent)
        self.action.setShortcut(QKeySequence("Ctrl+M"))
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # the tree's, like Delete
        self.action.setStatusTip("Move the selected documents to another section")
        self.action.setToolTip("Move the selected documents to another section (Ctrl+M)")
        self.action.triggered.connect(lambda _checked=False: self.choose())
        tree.selectionModel().selectionChanged.connect(lambda *_: self.update_enabled())
        self.update_enabled()

    def install(self, menu_bar: QMenuBar, before: QAction) -> None:
        """Into the Edit menu and the tree's right-click menu, just before ``before``."""
        for menu_action in menu_bar.actions():
            menu = menu_action.menu()
            if isinstance(menu, QMenu) and before in menu.actions():
                menu.insertAction(before, self.action)
        self._tree.insertAction(before, self.action)

    def documents(self) -> list[str]:
        """The selected documents' ids, top to bottom (sections selected too are ignored)."""
        return [i for i in self._tree.selected_ids() if self._session.bundle.find_document(i)]

    def update_enabled(self) -> None:
        self.action.setEnabled(bool(self.documents()) and len(self._session.bundle.sections) > 1)

    def choose(self) -> None:
        ids = self.documents()
        sections = self._session.bundle.sections
        if not ids or not sections:
            self._session.say("Select one or more documents in the tree first.", 5000)
            return
        first = self._session.bundle.find_document(ids[0])
        current = sections.index(first[0]) if first else 0
        names = [f"{s.letter}   {s.title}" for s in sections]
        what = "document" if len(ids) == 1 else f"{len(ids)} documents"
        label = f"Move the selected {what} to the end of section:"
        name, ok = QInputDialog.getItem(self._window, "Move to section", label, names, current, False)
        if not ok or name not in names:
            return
        target = sections[names.index(name)]
        if all(any(d.id == i for d in target.documents) for i in ids):
            return  # already there
        self._edits.move(ids, target.id, -1)
        self._tree.select_id(ids[0])
        self._session.say(f"Moved {what} to section {target.letter} ({target.title}).", 5000)
