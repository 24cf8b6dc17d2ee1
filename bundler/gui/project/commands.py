"""Undo commands: each wraps pure core edits applied through the project model.

Anything that can be refused (an empty title, a person already in the register) is
checked when the command is made, so ``redo`` never fails inside ``QUndoStack.push``.
Undo replays recorded single steps backwards, which restores the bundle exactly.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

from PySide6.QtGui import QUndoCommand

from bundler.core.edits import add_section, checked_field_value, document_position, rename_section
from bundler.core.model import Bundle, CaseDetails, Document, Options, Register, Section
from bundler.gui.project.model import ProjectModel

__all__ = [
    "AddDocumentsCommand",
    "RemoveCommand",
    "MoveDocumentsCommand",
    "MoveSectionCommand",
    "EditFieldCommand",
    "NewVersionCommand",
    "AddSectionCommand",
    "RenameSectionCommand",
    "RegisterCommand",
    "CaseDetailsCommand",
]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class AddDocumentsCommand(QUndoCommand):
    def __init__(self, model: ProjectModel, section_id: str, row: int, docs: list[Document]) -> None:
        super().__init__(f"Add {_plural(len(docs), 'document')}")
        self._model, self._section_id, self._docs = model, section_id, docs
        section = next(s for s in model.bundle.sections if s.id == section_id)
        self._row = len(section.documents) if row < 0 else row

    def redo(self) -> None:
        self._model.insert_documents(self._section_id, self._row, self._docs)

    def undo(self) -> None:
        for doc in reversed(self._docs):
            self._model.remove_document(doc.id)


class RemoveCommand(QUndoCommand):
    """Remove documents and sections (a removed section takes its documents with it)."""

    def __init__(self, model: ProjectModel, ids: Iterable[str]) -> None:
        sections = {s.id for s in model.bundle.sections}
        wanted = list(dict.fromkeys(ids))
        self._sections = [i for i in wanted if i in sections]
        inside = {d.id for s in model.bundle.sections if s.id in self._sections for d in s.documents}
        self._docs = [i for i in wanted if i not in sections and i not in inside]
        what = _plural(len(self._sections), "section") if self._sections else _plural(len(self._docs), "document")
        super().__init__(f"Remove {what}")
        self._model = model
        self._steps: list[tuple[str, int, Document | Section]] = []

    def redo(self) -> None:
        self._steps = [self._model.remove_document(doc_id) for doc_id in self._docs]
        self._steps += [("", *self._model.remove_section(section_id)) for section_id in self._sections]

    def undo(self) -> None:
        for section_id, row, item in reversed(self._steps):
            if isinstance(item, Section):
                self._model.insert_section(row, item)
            else:
                self._model.insert_documents(section_id, row, [item])


class MoveDocumentsCommand(QUndoCommand):
    """Move documents, in order, to ``row`` of a section (``row`` counted before the move)."""

    def __init__(self, model: ProjectModel, doc_ids: list[str], section_id: str, row: int) -> None:
        super().__init__(f"Move {_plural(len(doc_ids), 'document')}")
        self._model, self._ids, self._section_id = model, doc_ids, section_id
        documents = next(s for s in model.bundle.sections if s.id == section_id).documents
        after = [d.id for d in documents[max(row, 0) :] if d.id not in doc_ids] if row >= 0 else []
        self._anchor = after[0] if after else None  # the moved documents land just before it
        self._steps: list[tuple[str, str, int]] = []

    def _row_before_anchor(self, doc_id: str) -> int:
        section = next(s for s in self._model.bundle.sections if s.id == self._section_id)
        others = [d.id for d in section.documents if d.id != doc_id]
        return others.index(self._anchor) if self._anchor in others else len(others)

    def redo(self) -> None:
        self._steps = []
        for doc_id in self._ids:
            origin = self._model.move_document(doc_id, self._section_id, self._row_before_anchor(doc_id))
            self._steps.append((doc_id, *origin))

    def undo(self) -> None:
        for doc_id, section_id, row in reversed(self._steps):
            self._model.move_document(doc_id, section_id, row)


class MoveSectionCommand(QUndoCommand):
    def __init__(self, model: ProjectModel, section_id: str, row: int) -> None:
        super().__init__("Move section")
        self._model, self._section_id, self._row, self._from = model, section_id, row, row

    def redo(self) -> None:
        self._from = self._model.move_section(self._section_id, self._row)

    def undo(self) -> None:
        self._model.move_section(self._section_id, self._from)


class EditFieldCommand(QUndoCommand):
    """A title, date, page selection or rotation typed by the user.

    A date the user types (even the one the app guessed, typed again) is the user's own:
    its ``date_source`` becomes "typed", and undo gives the guess back.
    """

    def __init__(self, model: ProjectModel, doc_id: str, field: str, value: object) -> None:
        section_id, row = document_position(model.bundle, doc_id)
        doc = next(s for s in model.bundle.sections if s.id == section_id).documents[row]
        self._new = checked_field_value(doc, field, value)  # refuses bad input before the push
        self._old = getattr(doc, field)
        self._old_source = doc.date_source
        confirming = field == "date" and doc.date_is_guess
        what = "Confirm the date" if confirming and self._new == self._old else f"Change {field}"
        super().__init__(f"{what} of '{doc.title}'")
        self._model, self._doc_id, self._field = model, doc_id, field
        self.setObsolete(self._new == self._old and not confirming)  # "11/08/2019" for 2019-08-11

    def redo(self) -> None:
        if self._field == "date":
            self._model.set_date(self._doc_id, _iso(self._new), "typed")
        else:
            self._model.set_document_field(self._doc_id, self._field, self._new)

    def undo(self) -> None:
        if self._field == "date":
            self._model.set_date(self._doc_id, _iso(self._old), self._old_source)
        else:
            self._model.set_document_field(self._doc_id, self._field, self._old)


class NewVersionCommand(QUndoCommand):
    """Use the changed file a document points at: the build stops at a file that changed
    since it was added, until the user has looked at it and chosen its new version."""

    def __init__(self, model: ProjectModel, doc_id: str, sha256: str) -> None:
        found = model.bundle.find_document(doc_id)
        assert found is not None
        super().__init__(f"Use the new version of '{found[1].title}'")
        self._model, self._doc_id, self._old, self._new = model, doc_id, found[1].sha256, sha256

    def redo(self) -> None:
        self._model.set_source_hash(self._doc_id, self._new)

    def undo(self) -> None:
        self._model.set_source_hash(self._doc_id, self._old)


def _iso(value: object) -> str | None:
    assert value is None or isinstance(value, str)
    return value


class AddSectionCommand(QUndoCommand):
    def __init__(self, model: ProjectModel, title: str, row: int | None = None) -> None:
        scratch = Bundle(model.bundle.case, sections=list(model.bundle.sections))
        self.section = add_section(scratch, title)  # the next free letter, checked title
        self._row = len(model.bundle.sections) if row is None else row
        super().__init__(f"Add section {self.section.letter}")
        self._model = model

    def redo(self) -> None:
        self._model.insert_section(self._row, self.section)

    def undo(self) -> None:
        self._model.remove_section(self.section.id)


class RenameSectionCommand(QUndoCommand):
    def __init__(self, model: ProjectModel, section_id: str, title: str) -> None:
        section = next(s for s in model.bundle.sections if s.id == section_id)
        scratch = Bundle(model.bundle.case, sections=[copy.copy(section)])
        self._old, self._new = rename_section(scratch, section_id, title), scratch.sections[0].title
        super().__init__(f"Rename section {section.letter}")
        self._model, self._section_id = model, section_id
        self.setObsolete(self._old == self._new)

    def redo(self) -> None:
        self._model.rename_section(self._section_id, self._new)

    def undo(self) -> None:
        self._model.rename_section(self._section_id, self._old)


def _restore_register(target: Register, state: Register) -> None:
    fresh = copy.deepcopy(state)  # the undo stack keeps its own copy untouched
    target.people, target.terms = fresh.people, fresh.terms
    target.boxes, target.rejected_hits = fresh.boxes, fresh.rejected_hits


class RegisterCommand(QUndoCommand):
    """Any register edit (person, term, box, entry removal, accepted or rejected hits).

    ``edit`` is a pure core function run on a copy first, so a refused edit raises
    here and never reaches the stack; undo and redo swap whole register states.
    """

    def __init__(
        self,
        bundle: Bundle,
        text: str,
        edit: Callable[[Bundle], object],
        changed: Callable[[], None],
    ) -> None:
        super().__init__(text)
        self._bundle, self._changed = bundle, changed
        self._before = copy.deepcopy(bundle.register)
        scratch = Bundle(bundle.case, bundle.options, bundle.sections, copy.deepcopy(bundle.register))
        edit(scratch)
        self._after = scratch.register

    def redo(self) -> None:
        _restore_register(self._bundle.register, self._after)
        self._changed()

    def undo(self) -> None:
        _restore_register(self._bundle.register, self._before)
        self._changed()


class CaseDetailsCommand(QUndoCommand):
    def __init__(self, bundle: Bundle, case: CaseDetails, options: Options, changed: Callable[[], None]) -> None:
        super().__init__("Change case details")
        self._bundle, self._changed = bundle, changed
        self._before = (copy.deepcopy(bundle.case), copy.deepcopy(bundle.options))
        self._after = (copy.deepcopy(case), copy.deepcopy(options))

    def _apply(self, state: tuple[CaseDetails, Options]) -> None:
        self._bundle.case, self._bundle.options = copy.deepcopy(state[0]), copy.deepcopy(state[1])
        self._changed()

    def redo(self) -> None:
        self._apply(self._after)

    def undo(self) -> None:
        self._apply(self._before)
