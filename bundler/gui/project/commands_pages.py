"""Undo commands for a page turned in the preview, a document split, and the record of service.

Like the others in ``commands``, each checks its edit when it is made (so ``redo``
never fails inside ``QUndoStack.push``) and changes the bundle through the model.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from bundler.core.edits import rotate_page
from bundler.core.model import Bundle, Document, Section, Served
from bundler.core.naming import format_date
from bundler.core.splitting import SplitPlan
from bundler.gui.project.model import ProjectModel

__all__ = ["RotatePageCommand", "ServedCommand", "SplitCommand", "move_boxes"]


class RotatePageCommand(QUndoCommand):
    """Turn one source page (1-based) of a document; undo turns it back the same amount."""

    def __init__(self, model: ProjectModel, doc_id: str, page: int, degrees: int) -> None:
        found = model.bundle.find_document(doc_id)
        doc = copy.deepcopy(found[1]) if found else None
        scratch = Bundle(model.bundle.case, sections=[Section("A", "", [doc] if doc else [])])
        rotate_page(scratch, doc_id, page, degrees)  # refuses a bad page or angle before the push
        title = doc.title if doc else ""
        super().__init__(f"Turn page {page} of '{title}'")
        self._model, self._doc_id, self._page, self._degrees = model, doc_id, page, degrees

    def redo(self) -> None:
        self._model.rotate_page(self._doc_id, self._page, self._degrees)

    def undo(self) -> None:
        self._model.rotate_page(self._doc_id, self._page, -self._degrees)


class ServedCommand(QUndoCommand):
    """Replace the record of service (freezing, or counting a supplementary bundle)."""

    def __init__(self, model: ProjectModel, served: Served | None, text: str = "") -> None:
        when = f" ({format_date(served.date)})" if served else ""
        super().__init__(text or f"Freeze as served{when}")
        self._model = model
        self._before = copy.deepcopy(model.bundle.served)
        self._after = copy.deepcopy(served)

    def redo(self) -> None:
        self._model.set_served(copy.deepcopy(self._after))

    def undo(self) -> None:
        self._model.set_served(copy.deepcopy(self._before))


def move_boxes(model: ProjectModel, owners: dict[str, str], moved: Callable[[], None]) -> None:
    """Give each box in ``owners`` (box id -> document id) its new document; tell ``moved``."""
    for box in model.bundle.register.boxes:
        box.document_id = owners.get(box.id, box.document_id)
    if owners:
        moved()


class SplitCommand(QUndoCommand):
    """One document becomes several (``core.splitting.plan_split`` checked it); undo joins them."""

    def __init__(self, model: ProjectModel, plan: SplitPlan, boxes_moved: Callable[[], None]) -> None:
        super().__init__(f"Split '{plan.before.title}' into {len(plan.parts)} documents")
        self._model, self._plan, self._boxes_moved = model, plan, boxes_moved

    def _fields(self, doc: Document) -> None:
        for name in ("pages", "title"):
            self._model.set_document_field(self._plan.before.id, name, getattr(doc, name))
        self._model.set_date(self._plan.before.id, doc.date, doc.date_source)  # a typed date is confirmed

    def _move_boxes(self, owners: dict[str, str]) -> None:
        move_boxes(self._model, owners, self._boxes_moved)

    def redo(self) -> None:
        plan = self._plan
        self._fields(plan.parts[0])
        self._model.insert_documents(plan.section_id, plan.row + 1, plan.parts[1:])
        self._move_boxes(plan.box_moves)

    def undo(self) -> None:
        plan = self._plan
        for part in reversed(plan.parts[1:]):
            self._model.remove_document(part.id)
        self._fields(plan.before)
        self._move_boxes({box_id: plan.before.id for box_id in plan.box_moves})
