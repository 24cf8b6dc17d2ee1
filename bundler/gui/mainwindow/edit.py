"""Edit work: every change to the bundle goes through here onto the undo stack."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDialog

from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.register import add_box, add_person, add_term, remove_entry
from bundler.core.anonymise.review import accept_hits, reject_hits
from bundler.core.errors import BundlerError
from bundler.core.model import Bundle, Section
from bundler.gui.dialogs import CaseDetailsDialog, SettingsDialog
from bundler.gui.project.commands import (
    AddDocumentsCommand,
    AddSectionCommand,
    CaseDetailsCommand,
    EditFieldCommand,
    MoveDocumentsCommand,
    MoveSectionCommand,
    RegisterCommand,
    RemoveCommand,
    RenameSectionCommand,
)
from bundler.gui.project.commands_pages import RotatePageCommand
from bundler.gui.project.model import TITLE
from bundler.gui.workers import AddedFiles, add_files_job

if TYPE_CHECKING:
    from bundler.gui.mainwindow.window import MainWindow

__all__ = ["EditController"]


class EditController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def connect_signals(self) -> None:
        model, panel, preview = self.w.model, self.w.anonymise, self.w.preview
        model.editRequested.connect(self.edit_field)
        model.moveRequested.connect(self.move)
        model.filesDropped.connect(self.add_files)
        panel.addPersonRequested.connect(self.add_person)
        panel.addTermRequested.connect(self.add_term)
        panel.removeEntryRequested.connect(self.remove_entry)
        panel.hitsAccepted.connect(self.accept_hits)
        panel.hitsRejected.connect(self.reject_hits)
        panel.boxModeToggled.connect(preview.set_box_mode)
        preview.boxDrawn.connect(self.add_box)
        preview.rotateRequested.connect(self.rotate_page)

    def push(self, make: Callable[[], QUndoCommand]) -> bool:
        """Make the command (which checks the edit) and push it; a refused edit is explained."""
        try:
            command = make()
        except BundlerError as err:
            self.w.prompts.error(err)
            return False
        self.w.stack.push(command)
        return True

    # --- documents --------------------------------------------------------------------
    def target_section(self) -> Section | None:
        """The section new documents go into: the current one, else the first."""
        current = self.w.tree.current_id()
        for section in self.w.bundle.sections:
            if current == section.id or any(d.id == current for d in section.documents):
                return section
        return self.w.bundle.sections[0] if self.w.bundle.sections else None

    def add_files_dialog(self) -> None:
        paths = self.w.prompts.files_to_add(self._folder())
        self._add_to_current(paths)

    def add_folder_dialog(self) -> None:
        folder = self.w.prompts.folder_to_add(self._folder())
        self._add_to_current([folder] if folder else [])

    def _folder(self) -> Path | None:
        return self.w.project.parent if self.w.project else None

    def _add_to_current(self, paths: list[Path]) -> None:
        section = self.target_section()
        if paths and section is None:
            self.w.prompts.error(BundlerError("Add a section first (Edit ▸ Add section), then add documents to it."))
        elif paths and section is not None:
            self.add_files(paths, section.id, -1)

    def add_files(self, paths: list[Path], section_id: str, row: int) -> None:
        """Check the files off the UI thread, then add the good ones in one undoable step."""
        self.w.tasks.start(
            "Adding documents",
            add_files_job(list(paths), None),
            lambda added: self._files_checked(added, section_id, row),
        )

    def _files_checked(self, added: AddedFiles, section_id: str, row: int) -> None:
        sections = {s.id: s for s in self.w.bundle.sections}
        if added.documents and sections:
            target = section_id if section_id in sections else self.w.bundle.sections[-1].id
            row = row if section_id in sections and row <= len(sections[target].documents) else -1
            self.push(lambda: AddDocumentsCommand(self.w.model, target, row, added.documents))
            self.w.tree.select_id(added.documents[0].id)
        if added.errors:
            more = f" ({len(added.errors) - 1} more file(s) were not added either.)" if len(added.errors) > 1 else ""
            self.w.prompts.error(BundlerError(f"{added.errors[0]}{more}"))
        self.w.documentsAdded.emit(added.documents)

    def remove(self) -> None:
        ids = self.w.tree.selected_ids()
        if ids:
            self.push(lambda: RemoveCommand(self.w.model, ids))

    def rename(self) -> None:
        index = self.w.tree.currentIndex()
        if index.isValid():
            self.w.tree.edit(index.siblingAtColumn(TITLE))

    def choose_pages(self) -> None:
        """Which pages of the current document go into the bundle ("1-3,5"; empty: all)."""
        found = self.w.bundle.find_document(self.w.tree.current_id() or "")
        if found is None:
            return
        doc = found[1]
        answer = self.w.prompts.page_selection(doc.title, doc.pages)
        if answer is not None and answer.strip() != doc.pages:
            self.push(lambda: EditFieldCommand(self.w.model, doc.id, "pages", answer))

    def add_section(self) -> None:
        current = self.target_section()
        row = self.w.bundle.sections.index(current) + 1 if current else None
        command = AddSectionCommand(self.w.model, "New section", row)
        self.w.stack.push(command)
        self.w.tree.select_id(command.section.id)
        self.rename()  # type the name straight away

    def move_selected(self, step: int) -> None:
        """One place up (-1) or down (+1); past the end of a section into the next one."""
        sections, ids = self.w.bundle.sections, self.w.tree.selected_ids()
        rows = [n for n, sec in enumerate(sections) if [sec.id] == ids]
        if rows and 0 <= rows[0] + step < len(sections):  # a section moves among the sections
            self.push(lambda: MoveSectionCommand(self.w.model, ids[0], rows[0] + step))
            self.w.tree.select_id(ids[0])
        ids = [i for i in ids if self.w.bundle.find_document(i)]
        if len(ids) != 1:
            return
        s = next(i for i, sec in enumerate(sections) if any(d.id == ids[0] for d in sec.documents))
        row = next(i for i, d in enumerate(sections[s].documents) if d.id == ids[0])
        if 0 <= row + step < len(sections[s].documents):
            self.move(ids, sections[s].id, row + (2 if step > 0 else -1))
        elif 0 <= s + step < len(sections):
            self.move(ids, sections[s + step].id, -1 if step < 0 else 0)
        self.w.tree.select_id(ids[0])

    def move(self, doc_ids: list[str], section_id: str, row: int) -> None:
        self.push(lambda: MoveDocumentsCommand(self.w.model, doc_ids, section_id, row))

    def edit_field(self, item_id: str, field: str, value: object) -> None:
        """A title, date or page selection typed in the tree (no undo step when unchanged)."""
        if any(s.id == item_id for s in self.w.bundle.sections):
            self.push(lambda: RenameSectionCommand(self.w.model, item_id, str(value)))
        else:
            self.push(lambda: EditFieldCommand(self.w.model, item_id, field, value))

    def rotate_page(self, page: int, degrees: int) -> None:
        """The preview's rotate buttons turn the page shown (1-based) of the previewed document."""
        doc_id = self.w.pages.preview_doc_id
        found = self.w.bundle.find_document(doc_id) if doc_id else None
        if found is None:
            self.w.statusBar().showMessage("Select a document in the tree to turn one of its pages.", 6000)
        elif self.push(lambda: RotatePageCommand(self.w.model, found[1].id, page, degrees)):
            turned = found[1].page_rotations.get(str(page), 0)
            self.w.statusBar().showMessage(
                f"Page {page} of '{found[1].title}' will be turned {turned}° in the bundle.", 6000
            )

    def rotate_document(self) -> None:
        """Turn every page of the current document (Rotate document… in the tree's menu)."""
        found = self.w.bundle.find_document(self.w.tree.current_id() or "")
        if found is None:
            return
        doc = found[1]
        degrees = self.w.prompts.document_rotation(doc.title, doc.rotation)
        if degrees is not None and degrees != doc.rotation:
            self.push(lambda: EditFieldCommand(self.w.model, doc.id, "rotation", degrees))

    # --- register ---------------------------------------------------------------------
    def _register(self, text: str, edit: Callable[[Bundle], object]) -> bool:
        return self.push(lambda: RegisterCommand(self.w.bundle, text, edit, self.w.refresh_panels))

    def add_person(self, name: str, pseudonym: str, variants: list[str], action: str) -> None:
        self._register(
            f"Protect a person ({pseudonym or 'redacted'})",
            lambda b: add_person(b, name, pseudonym, variants=list(variants), action=action),
        )

    def add_term(self, text: str, action: str, replacement: str, category: str, reason: str) -> None:
        self._register(
            f"Protect a {category}",
            lambda b: add_term(b, text, action=action, replacement=replacement, category=category, reason=reason),
        )

    def remove_entry(self, entry_id: str) -> None:
        self._register("Remove a register entry", lambda b: remove_entry(b, entry_id))

    def accept_hits(self, hits: list[Hit]) -> None:
        self._register(f"Accept {len(hits)} hit(s)", lambda b: accept_hits(b, hits))

    def reject_hits(self, hits: list[Hit]) -> None:
        self._register(f"Reject {len(hits)} hit(s)", lambda b: reject_hits(b, hits))

    def add_box(self, page: int, rect: object) -> None:
        doc_id = self.w.pages.preview_doc_id
        if doc_id is None:
            self.w.statusBar().showMessage("Select a document in the tree to draw a redaction box on it.", 6000)
            return
        self._register(f"Redaction box on page {page}", lambda b: add_box(b, doc_id, page, tuple(rect)))

    # --- dialogs ----------------------------------------------------------------------
    def case_details(self) -> None:
        dialog = CaseDetailsDialog(self.w.bundle.case, self.w.bundle.options, self.w)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            case, options = dialog.result_values()
            self.push(lambda: CaseDetailsCommand(self.w.bundle, case, options, self.w.refresh))
        dialog.deleteLater()

    def settings(self) -> None:
        dialog = SettingsDialog(self.w.settings, self.w)
        dialog.exec()
        dialog.deleteLater()
