"""Edit work: each change to the bundle becomes a command on the undo stack (``Session.push``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.highlight import Rect
from bundler.core.anonymise.register import add_box, add_person, add_term, move_box, remove_entry, split_variants
from bundler.core.anonymise.review import accept_hits, preview_accept, reject_hits
from bundler.core.errors import BundlerError, PasswordError, SourceError
from bundler.core.model import Bundle, Document, Section
from bundler.core.naming import plural
from bundler.core.pdf.sources import parse_page_selection
from bundler.core.splitting import plan_split
from bundler.gui.dialogs import CaseDetailsDialog, SettingsDialog
from bundler.gui.mainwindow.passwords import NEEDS_PASSWORD
from bundler.gui.mainwindow.session import Session
from bundler.gui.mainwindow.tasks import TaskRunner
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
from bundler.gui.project.commands_pages import RotatePageCommand, SplitCommand
from bundler.gui.project.model import TITLE
from bundler.gui.project.tree import ProjectTree
from bundler.gui.workers import AddedFiles, add_files_job

__all__ = ["EditController"]


class EditController(QObject):
    documentsAdded = Signal(list)  # Documents just added
    registerChanged = Signal()  # the anonymise panel shows the register and schedule again
    caseChanged = Signal()  # the case details changed: the whole window shows them again

    def __init__(self, session: Session, tasks: TaskRunner, tree: ProjectTree, parent: QWidget) -> None:
        """``parent``, the window, is also the parent of the dialogs this opens."""
        super().__init__(parent)
        self._session, self._tasks, self._tree, self._window = session, tasks, tree, parent
        tree.date_delegate.refused.connect(lambda problem: session.say(problem, 15000))

    # --- documents --------------------------------------------------------------------
    def target_section(self) -> Section | None:
        """The section new documents go into: the current one, else the first."""
        current = self._tree.current_id()
        for section in self._session.bundle.sections:
            if current == section.id or any(d.id == current for d in section.documents):
                return section
        return self._session.bundle.sections[0] if self._session.bundle.sections else None

    def add_files_dialog(self) -> None:
        paths = self._session.prompts.files_to_add(self._session.folder())
        self._add_to_current(paths)

    def add_folder_dialog(self) -> None:
        folder = self._session.prompts.folder_to_add(self._session.folder())
        self._add_to_current([folder] if folder else [])

    def _add_to_current(self, paths: list[Path]) -> None:
        section = self.target_section()
        if paths and section is None:
            self._session.prompts.error(
                BundlerError("Add a section first (Edit ▸ Add section), then add documents to it.")
            )
        elif paths and section is not None:
            self.add_files(paths, section.id, -1)

    def add_files(self, paths: list[Path], section_id: str, row: int) -> None:
        """Check the files off the UI thread, then add the good ones in one undoable step."""
        self._tasks.start(
            "Adding documents",
            add_files_job(list(paths), None),
            lambda added: self._files_checked(added, section_id, row),
        )

    def _files_checked(self, added: AddedFiles, section_id: str, row: int) -> None:
        added = self._unlock_protected(added)
        sections = {s.id: s for s in self._session.bundle.sections}
        if added.documents and sections:
            target = section_id if section_id in sections else self._session.bundle.sections[-1].id
            row = row if section_id in sections and row <= len(sections[target].documents) else -1
            self._session.push(lambda: AddDocumentsCommand(self._session.model, target, row, added.documents))
            self._tree.select_id(added.documents[0].id)
            self._say_guesses(added.documents)
        if added.errors:
            self._session.prompts.error(_not_added(added.errors))
        self.documentsAdded.emit(added.documents)

    def _say_guesses(self, docs: list[Document]) -> None:
        guessed = sum(d.date_is_guess for d in docs)
        if guessed:
            which = (
                "its date was" if len(docs) == 1 else f"{plural(guessed, 'date')} {'was' if guessed == 1 else 'were'}"
            )
            self._session.say(
                f"Added {plural(len(docs), 'document')}: {which} guessed (shown in italics). "
                "Confirm each guess (Ctrl+D) or type the right date.",
                15000,
            )

    def _unlock_protected(self, added: AddedFiles) -> AddedFiles:
        """Ask for the password of each protected PDF (the dialog); the unlocked ones are added too."""
        documents, errors = list(added.documents), []
        for err in added.errors:
            unlocked = None
            if isinstance(err, PasswordError) and err.problem in NEEDS_PASSWORD:
                unlocked = self._session.passwords.unlock(err, None)
            if unlocked is None:
                errors.append(_in_the_apps_words(err))
            else:
                documents.append(unlocked)
        return AddedFiles(documents, errors)

    def remove(self) -> None:
        ids = self._tree.selected_ids()
        if ids:
            self._session.push(lambda: RemoveCommand(self._session.model, ids))

    def rename(self) -> None:
        index = self._tree.currentIndex()
        if index.isValid():
            self._tree.edit(index.siblingAtColumn(TITLE))

    def choose_pages(self) -> None:
        """Which pages of the current document go into the bundle ("1-3,5"; empty: all)."""
        found = self._session.bundle.find_document(self._tree.current_id() or "")
        if found is None:
            return
        doc = found[1]
        answer = self._session.prompts.page_selection(doc.title, doc.pages)
        if answer is not None and answer.strip() != doc.pages:
            self._session.push(lambda: EditFieldCommand(self._session.model, doc.id, "pages", answer))

    def split_document(self) -> None:
        """Split at pages…: the current document becomes several, each with its own title and date."""
        found = self._session.bundle.find_document(self._tree.current_id() or "")
        if found is None:
            self._session.say("Select a document in the tree to split it.", 6000)
            return
        doc, model = found[1], self._session.model
        total = model.page_total(doc.id)
        if total is None:
            self._session.say(f"The pages of '{doc.title}' are still being counted; try again in a moment.", 6000)
            return
        try:
            filed = len(parse_page_selection(doc.pages, total, doc.title))
        except BundlerError as err:  # a selection that no longer fits the file
            self._session.prompts.error(err)
            return
        choice = self._session.prompts.split_at(doc, filed)
        if choice is not None and self._session.push(
            lambda: SplitCommand(
                model,
                plan_split(model.bundle, doc.id, choice.starts, total, choice.titles, choice.dates),
                self.registerChanged.emit,
            )
        ):
            self._tree.select_id(doc.id)

    def add_section(self) -> None:
        current = self.target_section()
        row = self._session.bundle.sections.index(current) + 1 if current else None
        command = AddSectionCommand(self._session.model, "New section", row)
        self._session.stack.push(command)
        self._tree.select_id(command.section.id)
        self.rename()  # type the name straight away

    def move_selected(self, step: int) -> None:
        """One place up (-1) or down (+1); past the end of a section into the next one."""
        sections, ids = self._session.bundle.sections, self._tree.selected_ids()
        rows = [n for n, sec in enumerate(sections) if [sec.id] == ids]
        if rows and 0 <= rows[0] + step < len(sections):  # a section moves among the sections
            self._session.push(lambda: MoveSectionCommand(self._session.model, ids[0], rows[0] + step))
            self._tree.select_id(ids[0])
        ids = [i for i in ids if self._session.bundle.find_document(i)]
        if len(ids) != 1:
            return
        s = next(i for i, sec in enumerate(sections) if any(d.id == ids[0] for d in sec.documents))
        row = next(i for i, d in enumerate(sections[s].documents) if d.id == ids[0])
        if 0 <= row + step < len(sections[s].documents):
            self.move(ids, sections[s].id, row + (2 if step > 0 else -1))
        elif 0 <= s + step < len(sections):
            self.move(ids, sections[s + step].id, -1 if step < 0 else 0)
        self._tree.select_id(ids[0])

    def move(self, doc_ids: list[str], section_id: str, row: int) -> None:
        self._session.push(lambda: MoveDocumentsCommand(self._session.model, doc_ids, section_id, row))

    def edit_field(self, item_id: str, field: str, value: object) -> None:
        """A title, date or page selection typed in the tree (no undo step when unchanged)."""
        if any(s.id == item_id for s in self._session.bundle.sections):
            self._session.push(lambda: RenameSectionCommand(self._session.model, item_id, str(value)))
        else:
            self._session.push(lambda: EditFieldCommand(self._session.model, item_id, field, value))

    def confirm_date(self) -> None:
        """Keep the guessed date of each selected document as the user's own."""
        docs = [f[1] for i in self._tree.selected_ids() if (f := self._session.bundle.find_document(i))]
        guesses = [d for d in docs if d.date_is_guess]
        if not guesses:
            self._session.say("The selected documents have no guessed date to confirm.", 6000)
        self._session.stack.beginMacro(f"Confirm {len(guesses)} date{'s' * (len(guesses) != 1)}")
        for doc in guesses:
            self._session.push(partial(EditFieldCommand, self._session.model, doc.id, "date", doc.date))
        self._session.stack.endMacro()

    def rotate_page(self, doc_id: str | None, page: int, degrees: int) -> None:
        """The preview's rotate buttons turn the page shown (1-based) of the previewed document."""
        found = self._session.bundle.find_document(doc_id) if doc_id else None
        if found is None:
            self._session.say("Select a document in the tree to turn one of its pages.", 6000)
        elif self._session.push(lambda: RotatePageCommand(self._session.model, found[1].id, page, degrees)):
            turned = found[1].page_rotations.get(str(page), 0)
            self._session.say(f"Page {page} of '{found[1].title}' will be turned {turned}° in the bundle.", 6000)

    def rotate_document(self) -> None:
        """Turn every page of the current document (Rotate document… in the tree's menu)."""
        found = self._session.bundle.find_document(self._tree.current_id() or "")
        if found is None:
            return
        doc = found[1]
        degrees = self._session.prompts.document_rotation(doc.title, doc.rotation)
        if degrees is not None and degrees != doc.rotation:
            self._session.push(lambda: EditFieldCommand(self._session.model, doc.id, "rotation", degrees))

    # --- register ---------------------------------------------------------------------
    def _register(self, text: str, edit: Callable[[Bundle], object]) -> bool:
        return self._session.push(lambda: RegisterCommand(self._session.bundle, text, edit, self.registerChanged.emit))

    def add_person(self, name: str, pseudonym: str, variants: list[str], action: str) -> None:
        """``variants`` as typed: a line "Mrs Khanum = Aisha" gives that form its own replacement."""

        def edit(bundle: Bundle) -> object:
            forms, own = split_variants(variants)
            return add_person(bundle, name, pseudonym, variants=forms, action=action, variant_replacements=own)

        self._register(f"Protect a person ({pseudonym or 'redacted'})", edit)

    def add_term(self, text: str, action: str, replacement: str, category: str, reason: str) -> None:
        self._register(
            f"Protect a {category}",
            lambda b: add_term(b, text, action=action, replacement=replacement, category=category, reason=reason),
        )

    def remove_entry(self, entry_id: str) -> None:
        self._register("Remove a register entry", lambda b: remove_entry(b, entry_id))

    def accept_hits(self, hits: list[Hit]) -> None:
        """Accept ``hits``; the status line says how many places that protects, and where."""
        reach = preview_accept(self._session.bundle, self._session.hits, hits)
        # One hit accepted on its own is the user's decision about it, even if it was rejected;
        # a selection or a whole kind never overturns a rejection.
        overturn = len(hits) == 1
        self._register(f"Accept {plural(len(hits), 'hit')}", lambda b: accept_hits(b, hits, overturn=overturn))
        self._session.say(
            f"Accepted {plural(len(hits), 'hit')}: {plural(reach.places, 'place')} in "
            f"{plural(reach.documents, 'document')} now protected",
            8000,
        )

    def reject_hits(self, hits: list[Hit]) -> None:
        run = self._session.hits  # what the rejection takes back depends on every place found
        self._register(f"Reject {plural(len(hits), 'hit')}", lambda b: reject_hits(b, hits, run))

    def add_box(self, doc_id: str | None, page: int, rect: Rect, basis: str | None = None) -> None:
        """A box drawn on the preview's page (1-based) of the previewed document, on rendering ``basis``."""
        if doc_id is None:
            self._session.say("Select a document in the tree to draw a redaction box on it.", 6000)
            return
        boxes = self._session.bundle.register.boxes
        reason = self._session.prompts.box_reason(boxes[-1].reason if boxes else "")
        if reason is None:
            self._session.say("No box added.", 4000)
            return
        self._register(
            f"Redaction box on page {page}", lambda b: add_box(b, doc_id, page, rect, reason=reason, basis=basis)
        )

    def move_box(self, box_id: str, rect: Rect, basis: str | None = None) -> None:
        """A drawn box moved or resized on the preview: ``rect`` is where it now is, on rendering ``basis``."""
        before = next((b.rect for b in self._session.bundle.register.boxes if b.id == box_id), rect)
        same_size = abs((rect[2] - rect[0]) - (before[2] - before[0])) < 0.5
        same_size = same_size and abs((rect[3] - rect[1]) - (before[3] - before[1])) < 0.5
        what = "Move" if same_size else "Resize"
        self._register(f"{what} a redaction box", lambda b: move_box(b, box_id, rect, basis))

    def delete_box(self, box_id: str) -> None:
        self._register("Delete a redaction box", lambda b: remove_entry(b, box_id))

    # --- dialogs ----------------------------------------------------------------------
    def case_details(self) -> None:
        project = self._session.project
        dialog = CaseDetailsDialog(
            self._session.bundle.case, self._session.bundle.options, self._window, project.parent if project else None
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            case, options = dialog.result_values()
            self._session.push(lambda: CaseDetailsCommand(self._session.bundle, case, options, self.caseChanged.emit))
        dialog.deleteLater()

    def settings(self) -> None:
        dialog = SettingsDialog(self._session.settings, self._window)
        dialog.exec()
        dialog.deleteLater()


def _not_added(errors: list[SourceError]) -> BundlerError:
    """One message for every file that could not be added, each with its reason."""
    if len(errors) == 1:
        return errors[0]
    lines = "\n".join(f"• {err}" for err in errors)
    return BundlerError(f"These {len(errors)} files were not added:\n{lines}")


def _in_the_apps_words(err: SourceError) -> SourceError:
    """The command line's remedy ("Give its password (--password)") means nothing in a window."""
    if isinstance(err, PasswordError) and err.problem in NEEDS_PASSWORD:
        return PasswordError(
            err.path, err.problem, "Add it again and type its password when asked, or remove the protection"
        )
    return err
