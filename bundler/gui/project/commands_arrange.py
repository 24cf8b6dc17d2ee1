"""The undo command for the page grid: a document's pages deleted, reordered, turned and
extracted, all in one step (``core.arranging.plan_arrangement`` checked it first)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from bundler.core.arranging import ArrangePlan
from bundler.core.model import Document
from bundler.core.naming import plural
from bundler.gui.project.commands_pages import move_boxes
from bundler.gui.project.model import ProjectModel

__all__ = ["ArrangePagesCommand"]


class ArrangePagesCommand(QUndoCommand):
    """Redo files the arranged pages (and adds the extracted documents); undo puts them back."""

    def __init__(self, model: ProjectModel, plan: ArrangePlan, boxes_moved: Callable[[], None]) -> None:
        made = f" and extract {plural(len(plan.extracted), 'document')}" if plan.extracted else ""
        super().__init__(f"Arrange the pages of '{plan.before.title}'{made}")
        self._model, self._plan, self._boxes_moved = model, plan, boxes_moved

    def _file(self, doc: Document) -> None:
        """The pages and turns of ``doc`` (the plan's before or after) on the document."""
        doc_id = self._plan.before.id
        self._model.set_page_rotations(doc_id, doc.page_rotations)
        self._model.set_document_field(doc_id, "pages", doc.pages)

    def _move_boxes(self, owners: dict[str, str]) -> None:
        move_boxes(self._model, owners, self._boxes_moved)

    def redo(self) -> None:
        plan = self._plan
        self._file(plan.after)
        if plan.extracted:
            self._model.insert_documents(plan.section_id, plan.row + 1, list(plan.extracted))
        self._move_boxes(plan.box_moves)

    def undo(self) -> None:
        plan = self._plan
        for doc in reversed(plan.extracted):
            self._model.remove_document(doc.id)
        self._file(plan.before)
        self._move_boxes({box_id: plan.before.id for box_id in plan.box_moves})
