"""The project tree model: Qt's model checks, what it shows, drag and drop, undo of every edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl

from bundler.core.adding import new_document
from bundler.core.anonymise.detect import detect_text
from bundler.core.anonymise.register import add_box, add_person, add_term, remove_entry
from bundler.core.anonymise.review import accept_hits, reject_hits
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import CaseDetails, Options
from bundler.core.project import bundle_to_dict
from bundler.core.templates import new_bundle
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
from bundler.gui.project.model import (
    DATE,
    ID_ROLE,
    INCLUDE,
    MIME_TYPE,
    PAGES,
    SOURCE,
    TITLE,
    ProjectModel,
)
from bundler.gui.workers import snapshot
from tests.pdfs import make_pdf

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "aisha-v-wessex" / "aisha-v-wessex.bundle.json"


@pytest.fixture
def model(tmp_path, qtmodeltester):
    bundle = new_bundle("jr-claim", CaseDetails("AB v CC Wessex", "AC-2019-LON-002345"))
    pdfs = [make_pdf(tmp_path / f"2019-08-1{n} Letter {n}.pdf", n) for n in (1, 2, 3)]
    sections = bundle.sections
    sections[2].documents += [new_document(pdfs[0], None), new_document(pdfs[1], None)]
    sections[0].documents.append(new_document(pdfs[2], None))
    model = ProjectModel(bundle)
    # "Letter 2" has 2 pages
    model.set_page_totals({d.id: int(d.title[-1]) for _, d in bundle.documents()})
    qtmodeltester.check(model, force_py=True)  # and it keeps watching every change below
    return model


def _doc_index(model: ProjectModel, section: int, row: int, column: int = TITLE) -> QModelIndex:
    return model.index(row, column, model.index(section, 0))


def test_the_example_case_passes_qts_model_checks(qtmodeltester):
    from bundler.core.project import load_project

    qtmodeltester.check(ProjectModel(load_project(EXAMPLE)))


def test_shows_sections_documents_and_page_numbers_from_the_page_map(model):
    bundle = model.bundle
    assert model.rowCount() == len(bundle.sections) and model.columnCount() == 5
    assert model.index(0, TITLE).data() == "A   Claim documents"
    letter = _doc_index(model, 2, 0)
    assert letter.data() == "Letter 1" and letter.siblingAtColumn(DATE).data() == "11 Aug 2019 (guess)"
    assert letter.siblingAtColumn(SOURCE).data() == "2019-08-11 Letter 1.pdf"
    assert letter.siblingAtColumn(INCLUDE).data() == "all"
    # cover 1, index 2; A1 has 3 pages, then C1 (1 page) and C2 (2 pages)
    assert model.index(0, PAGES).data() == "3–5"
    assert [_doc_index(model, 2, r, PAGES).data() for r in (0, 1)] == ["6", "7–8"]
    assert model.index(2, PAGES).data() == "6–8" and model.index(1, PAGES).data() == "–"
    model.set_page_totals({})
    assert _doc_index(model, 2, 0, PAGES).data() == "–"


def test_edits_in_place_become_requests(model, qtbot):
    letter = _doc_index(model, 2, 0, DATE)
    assert model.flags(letter) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(letter.siblingAtColumn(PAGES)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(model.editRequested) as signal:
        assert model.setData(letter, "2019-09-01")
    assert signal.args == [letter.data(ID_ROLE), "date", "2019-09-01"]
    assert model.bundle.sections[2].documents[0].date == "2019-08-11"  # only a command changes it
    with qtbot.waitSignal(model.editRequested) as signal:
        model.setData(model.index(2, TITLE), "Correspondence")
    assert signal.args[1:] == ["title", "Correspondence"]


def test_dragging_documents_asks_to_move_them(model, qtbot):
    moving = [_doc_index(model, 2, 1), _doc_index(model, 2, 0)]
    mime = model.mimeData(moving)
    ids = json.loads(bytes(mime.data(MIME_TYPE).data()))
    assert ids == [i.data(ID_ROLE) for i in reversed(moving)]  # top to bottom, whatever the click order
    target = model.index(0, 0)
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, target)
    with qtbot.waitSignal(model.moveRequested) as signal:
        assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, target)
    assert signal.args == [ids, model.bundle.sections[0].id, 0]
    with qtbot.waitSignal(model.moveRequested) as signal:  # dropped onto a document: after it
        model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, _doc_index(model, 0, 0))
    assert signal.args[1:] == [model.bundle.sections[0].id, 1]


def test_dropping_files_asks_to_add_them(model, qtbot, tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.pdf")), QUrl("https://example.org/x.pdf")])
    with qtbot.waitSignal(model.filesDropped) as signal:
        assert model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, model.index(3, 0))
    assert signal.args == [[tmp_path / "a.pdf"], model.bundle.sections[3].id, 0]
    with qtbot.waitSignal(model.filesDropped) as signal:  # between sections: into the one above
        model.dropMimeData(mime, Qt.DropAction.CopyAction, 3, 0, QModelIndex())
    assert signal.args[1:] == [model.bundle.sections[2].id, 2]
    assert not model.canDropMimeData(QMimeData(), Qt.DropAction.CopyAction, -1, -1, model.index(0, 0))


def _undoable(model: ProjectModel, make) -> None:
    """Apply, undo, redo, undo: exactly as before, as after, and as before again."""
    before = bundle_to_dict(model.bundle)
    command = make()
    command.redo()
    after = bundle_to_dict(model.bundle)
    assert after != before
    command.undo()
    assert bundle_to_dict(model.bundle) == before
    command.redo()
    assert bundle_to_dict(model.bundle) == after
    command.undo()
    assert bundle_to_dict(model.bundle) == before


def test_every_document_and_section_edit_undoes_exactly(model, tmp_path):
    bundle = model.bundle
    a, b, c = bundle.sections[0], bundle.sections[1], bundle.sections[2]
    c1, c2 = c.documents
    extra = [new_document(make_pdf(tmp_path / f"x{n}.pdf"), None) for n in range(2)]
    _undoable(model, lambda: AddDocumentsCommand(model, b.id, -1, extra))
    _undoable(model, lambda: MoveDocumentsCommand(model, [c2.id], c.id, 0))
    _undoable(model, lambda: MoveDocumentsCommand(model, [c2.id, c1.id], a.id, 0))
    _undoable(model, lambda: MoveDocumentsCommand(model, [c.documents[0].id], b.id, 1))
    _undoable(model, lambda: RemoveCommand(model, [c2.id, a.documents[0].id]))
    _undoable(model, lambda: RemoveCommand(model, [a.id, c2.id]))
    _undoable(model, lambda: EditFieldCommand(model, c2.id, "title", "Reply"))
    _undoable(model, lambda: EditFieldCommand(model, c2.id, "date", "01/02/2020"))
    _undoable(model, lambda: EditFieldCommand(model, c2.id, "pages", "2"))
    _undoable(model, lambda: AddSectionCommand(model, "Late additions", 1))
    _undoable(model, lambda: RenameSectionCommand(model, c.id, "Letters"))
    _undoable(model, lambda: MoveSectionCommand(model, c.id, 0))
    case = CaseDetails("AB v CC Wessex", "AC-2019-LON-009999", short_name="AB v Wessex")
    _undoable(model, lambda: CaseDetailsCommand(bundle, case, Options(page_prefix="HB"), lambda: None))


def test_every_register_edit_undoes_exactly(model):
    bundle = model.bundle
    doc = bundle.sections[2].documents[0]
    changed: list[int] = []
    note = lambda: changed.append(1)  # noqa: E731
    _undoable(
        model,
        lambda: RegisterCommand(bundle, "person", lambda b: add_person(b, "Fatima Khanum", "Aisha"), note),
    )
    _undoable(model, lambda: RegisterCommand(bundle, "term", lambda b: add_term(b, "SW1A 1AA"), note))
    _undoable(
        model,
        lambda: RegisterCommand(bundle, "box", lambda b: add_box(b, doc.id, 1, (10, 10, 90, 40)), note),
    )
    add_person(bundle, "Fatima Khanum", "Aisha")
    entry = bundle.register.people[0].id
    _undoable(model, lambda: RegisterCommand(bundle, "remove", lambda b: remove_entry(b, entry), note))
    hits = detect_text(doc.id, doc.title, ["Fatima Khanum (FK), SW1A 1AA"], targets_from_register(bundle.register))
    _undoable(model, lambda: RegisterCommand(bundle, "accept", lambda b: accept_hits(b, hits), note))
    _undoable(model, lambda: RegisterCommand(bundle, "reject", lambda b: reject_hits(b, hits), note))
    assert len(changed) == 6 * 4  # every redo and undo told the panels


def test_a_refused_edit_never_reaches_the_stack(model):
    from bundler.core.errors import ProjectError

    doc = model.bundle.sections[2].documents[0]
    before = bundle_to_dict(model.bundle)
    with pytest.raises(ProjectError, match="not a date"):
        EditFieldCommand(model, doc.id, "date", "soon")
    with pytest.raises(ProjectError, match="already in the register"):
        add_person(model.bundle, "Fatima Khanum", "Aisha")
        RegisterCommand(model.bundle, "again", lambda b: add_person(b, "fatima khanum", "X"), lambda: None)
    model.bundle.register.people.clear()
    assert bundle_to_dict(model.bundle) == before


def test_snapshot_is_independent_but_keeps_ids(model):
    frozen = snapshot(model.bundle)
    assert bundle_to_dict(frozen) == bundle_to_dict(model.bundle)
    frozen.sections[2].documents.clear()
    assert model.bundle.sections[2].documents


def test_an_edit_that_changes_nothing_leaves_no_undo_step(model):
    from PySide6.QtGui import QUndoStack

    stack = QUndoStack()
    doc = model.bundle.sections[2].documents[0]
    doc.date_source = "typed"  # already confirmed (typing a guessed date again confirms it: an undo step)
    stack.push(EditFieldCommand(model, doc.id, "date", "11/08/2019"))  # the date it already has
    stack.push(RenameSectionCommand(model, model.bundle.sections[2].id, " Pre-action correspondence "))
    assert stack.count() == 0
    stack.push(EditFieldCommand(model, doc.id, "date", "12/08/2019"))
    assert stack.count() == 1 and doc.date == "2019-08-12"
