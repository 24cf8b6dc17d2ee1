"""Edit ▸ Arrange pages… (and a double-click on a document's page numbers): the page grid.

The grid shows the document's pages as the bundle files them now; what the user does
there comes back as one ``Arrangement``, checked by the core and pushed as one undo step.
"""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from bundler.core.arranging import Arrangement, current_arrangement, plan_arrangement
from bundler.core.convert.chain import SourceJob, prepare_sources
from bundler.core.errors import BundlerError
from bundler.core.model import Document
from bundler.core.progress import NullProgress
from bundler.gui.mainwindow.session import Session
from bundler.gui.page_grid.dialog import PageGridDialog
from bundler.gui.page_grid.render import ThumbnailRenderer
from bundler.gui.project.commands_arrange import ArrangePagesCommand
from bundler.gui.project.tree import ProjectTree
from bundler.gui.workers import source_path

__all__ = ["PageGridController"]


class PageGridController(QObject):
    boxesMoved = Signal()  # boxes went with extracted pages: the anonymise panel shows them again
    dialogOpened = Signal(object)  # the PageGridDialog, before it runs (tests drive it)

    def __init__(self, session: Session, tree: ProjectTree, parent: QWidget) -> None:
        super().__init__(parent)
        self._session, self._tree, self._window = session, tree, parent
        self.action = QAction("&Arrange pages…", parent)
        self.action.setShortcut(QKeySequence("Ctrl+G"))
        tip = "Thumbnails of the document's pages: delete, reorder (drag), rotate and extract pages"
        self.action.setStatusTip(tip)
        self.action.setToolTip(f"{tip} (Ctrl+G)")
        self.action.triggered.connect(lambda _checked=False: self.open_grid())
        tree.doubleClicked.connect(self._double_clicked)
        # Always enabled: with a section (or nothing) selected it says what to select instead.

    def install(self, beside: QAction) -> None:
        """Put the action after ``beside`` wherever it is (the Edit menu, the tree's menu)."""
        for menu in [m for m in beside.associatedObjects() if isinstance(m, (QMenu, ProjectTree))]:
            actions = menu.actions()
            after = actions.index(beside) + 1
            if after < len(actions):
                menu.insertAction(actions[after], self.action)
            else:
                menu.addAction(self.action)

    def _current(self) -> Document | None:
        found = self._session.bundle.find_document(self._tree.current_id() or "")
        return found[1] if found else None

    def _double_clicked(self, index: QModelIndex) -> None:
        """Titles, dates and page choices are typed where they are; elsewhere a double-click opens the grid."""
        if not index.flags() & Qt.ItemFlag.ItemIsEditable and self._current() is not None:
            self.open_grid()

    def open_grid(self) -> None:
        doc = self._current()
        if doc is None:
            self._session.say("Select a document in the list to arrange its pages.", 6000)
            return
        total = self._session.model.page_total(doc.id)
        if total is None:
            self._session.say(f"The pages of '{doc.title}' are still being counted; try again in a moment.", 6000)
            return
        try:
            shown = current_arrangement(doc, total)
        except BundlerError as err:  # a selection that no longer fits the file
            self._session.prompts.error(err)
            return
        dialog = PageGridDialog(doc, shown, total, self._numbers(doc), self._renderer(doc), self._window)
        self.dialogOpened.emit(dialog)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        arrangement = dialog.arrangement()
        dialog.deleteLater()
        if accepted:
            self._apply(doc, total, arrangement)

    def _apply(self, doc: Document, total: int, arrangement: Arrangement) -> None:
        model = self._session.model
        try:
            plan = plan_arrangement(model.bundle, doc.id, total, arrangement)
        except BundlerError as err:
            self._session.prompts.error(err)
            return
        after, before = plan.after, plan.before
        if (after.pages, after.page_rotations, plan.extracted) == (before.pages, before.page_rotations, []):
            self._session.say(f"The pages of '{doc.title}' are unchanged.", 4000)
        else:
            self._session.stack.push(ArrangePagesCommand(model, plan, self.boxesMoved.emit))
            self._session.say(f"Arranged the pages of '{doc.title}'. Undo (Ctrl+Z) puts them back.", 8000)

    def _numbers(self, doc: Document) -> tuple[int | None, str]:
        known = self._session.model.ranges.get(doc.id)
        return (known[0] if known else None), self._session.bundle.options.page_prefix

    def _renderer(self, doc: Document) -> ThumbnailRenderer:
        frozen = copy.deepcopy(doc)
        cache, converter = self._session.settings.cache_dir(), self._session.bundle.options.converter

        def locate() -> Path:
            path = source_path(frozen, None)
            if frozen.kind == "pdf":
                return path
            job = SourceJob(frozen.id, path, frozen.sha256, frozen.kind)
            return prepare_sources([job], cache, converter, NullProgress(), [])[frozen.id].pdf

        return ThumbnailRenderer(locate, frozen.password if frozen.kind == "pdf" else None)
