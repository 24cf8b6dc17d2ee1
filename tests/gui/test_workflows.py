"""Court workflows, a page turned in the preview, and a failed leak gate, driven through the window."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont

from bundler.core.adding import new_document
from bundler.core.anonymise.register import add_person
from bundler.core.build.served import same_pages
from bundler.core.errors import LeakError
from bundler.core.model import CaseDetails, Served
from bundler.core.naming import format_date
from bundler.core.project import load_project
from bundler.core.report import BuildReport
from bundler.core.templates import new_bundle
from bundler.gui.court_dialogs import AdditionsDialog, CoreBundleDialog, ExportDialog, VolumesDialog
from bundler.gui.mainwindow.files import read_project, write_project
from tests.pdfs import corner_text, make_pdf, stamps

from .test_app_flow import section, text_pdf

TIMEOUT = 180_000  # ms: the machine is shared


def project_with(tmp_path: Path, docs: list[tuple[str, int, str]], template: str = "jr-claim", register=None):
    """A saved project of generated PDFs: (file stem, pages, section letter)."""
    bundle = new_bundle(template, CaseDetails("R (AB) v Wessex Council", "AC-2024-LON-000123"))
    for stem, pages, letter in docs:
        source = tmp_path / f"{stem}.pdf"
        if not source.exists():
            make_pdf(source, pages)
        next(s for s in bundle.sections if s.letter == letter).documents.append(new_document(source, None))
    if register is not None:
        register(bundle)
    project = tmp_path / "case.bundle.json"
    write_project(bundle, project)
    return project


def open_project(qtbot, window, project: Path) -> None:
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=60_000):
        assert window.files.open_path(project)


def build(qtbot, window) -> BuildReport:
    with qtbot.waitSignal(window.buildFinished, timeout=TIMEOUT) as built:
        window.action_set.build.trigger()
    assert isinstance(built.args[0], BuildReport), built.args[0]
    qtbot.waitSignal(window.preflightFinished, timeout=TIMEOUT).wait()  # PDFium is free again
    return built.args[0]


def run_court(qtbot, window, kind: str, start) -> object:
    """Start Court work (``start()`` triggers it); return its result, failing on its error."""
    with qtbot.waitSignal(
        window.workflowFinished, timeout=TIMEOUT, check_params_cb=lambda k, _result: k == kind
    ) as finished:
        start()
    result = finished.args[1]
    assert not isinstance(result, Exception), result
    return result


@pytest.fixture
def told(window) -> dict[str, list]:
    """Answers for the Court menu's questions; records the files the window reported."""
    record: dict[str, list] = {"open": [], "files": []}
    prompts = window.prompts
    prompts.open_file = lambda title, folder, filters="": record["open"].pop(0)
    prompts.files_done = lambda title, text, files: record["files"].append(files)
    prompts.frozen_build = lambda served_on: "additions"
    prompts.confirm = lambda title, question: True
    return record


# --- a page turned in the preview --------------------------------------------------------


def test_rotating_one_page_in_the_preview_turns_that_page_only(qtbot, window, answers, tmp_path):
    open_project(qtbot, window, project_with(tmp_path, [("Grounds", 3, "A"), ("Letter", 2, "C")]))
    grounds = section(window, "A").documents[0]
    window.tree.select_id(grounds.id)
    qtbot.waitUntil(lambda: window.preview.page_count() == 3, timeout=10_000)
    window.preview.show_page(1)
    qtbot.mouseClick(window.preview.toolbar.rotate_right, Qt.MouseButton.LeftButton)
    assert grounds.page_rotations == {"2": 90} and grounds.rotation == 0
    assert "Page 2 of 'Grounds' will be turned 90°" in window.statusBar().currentMessage()
    window.action_set.undo.trigger()
    assert grounds.page_rotations == {}
    window.action_set.redo.trigger()
    assert grounds.page_rotations == {"2": 90} and window.isWindowModified()

    report = build(qtbot, window)
    first = window.model.ranges[grounds.id][0]
    reader = PdfReader(report.output)
    turned = [i + 1 for i, page in enumerate(reader.pages) if page.rotation % 360]
    assert turned == [first + 1]  # page 2 of the grounds, and no other page
    assert reader.pages[first].get("/Rotate") == 90
    assert stamps(Path(report.output)) == [str(n) for n in range(1, report.pages + 1)]
    assert window.files.save()
    assert load_project(window.project).sections[0].documents[0].page_rotations == {"2": 90}


def test_rotate_document_turns_every_page_and_undoes(qtbot, window, tmp_path):
    open_project(qtbot, window, project_with(tmp_path, [("Grounds", 3, "A")]))
    grounds = section(window, "A").documents[0]
    window.tree.select_id(grounds.id)
    assert window.action_set.rotate_document in window.tree.actions()  # in the tree's context menu
    window.prompts.document_rotation = lambda title, current: 180
    window.action_set.rotate_document.trigger()
    assert grounds.rotation == 180 and grounds.page_rotations == {}
    window.action_set.undo.trigger()
    assert grounds.rotation == 0


# --- the leak gate ------------------------------------------------------------------------


def test_a_failed_leak_gate_is_explained_and_its_document_selected(qtbot, window, answers, tmp_path, monkeypatch):
    import bundler.core.anonymise.pdf.redact as pdf_redact

    def no_op(src, dst, targets, boxes=(), **kw):  # copies the source: redacts nothing
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    text_pdf(tmp_path / "Letter.pdf", [["Dear Sirs, we act for Farida Khanum."]])
    project = project_with(
        tmp_path, [("Grounds", 2, "A"), ("Letter", 1, "C")], register=lambda b: add_person(b, "Farida Khanum", "Aisha")
    )
    open_project(qtbot, window, project)
    monkeypatch.setattr(pdf_redact, "redact_pdf", no_op)
    window.session.isolate_builds = False  # the broken redactor exists in this process only
    window.tree.select_id(section(window, "A").documents[0].id)
    with qtbot.waitSignal(window.buildFinished, timeout=TIMEOUT) as built:
        window.action_set.build.trigger()
    err = built.args[0]
    assert isinstance(err, LeakError) and answers.errors == [err]
    assert "bundle was not written" in str(err)
    assert window.tree.current_id() == section(window, "C").documents[0].id


# --- service and additions -----------------------------------------------------------------


def test_freeze_add_a_document_and_append_the_additions(qtbot, window, answers, told, tmp_path):
    project = project_with(tmp_path, [("Grounds", 3, "A"), ("Letter", 2, "C")])
    open_project(qtbot, window, project)
    served_pdf = Path(build(qtbot, window).output)
    served_pages = len(PdfReader(served_pdf).pages)
    assert not window.action_set.court.additions.isEnabled()

    told["open"] = [served_pdf]
    served = run_court(qtbot, window, "freeze", window.action_set.court.freeze.trigger)
    assert isinstance(served, Served) and window.bundle.served.pages == served_pages
    label = window.court.served_label
    assert label.isVisible() and label.text() == f"Served {format_date(date.today().isoformat())}: {served_pages} pages"
    assert window.isWindowModified() and window.action_set.court.additions.isEnabled()
    window.action_set.undo.trigger()
    assert window.bundle.served is None and not label.isVisible()
    window.action_set.redo.trigger()
    assert window.bundle.served.pages == served_pages

    answers.files = [make_pdf(tmp_path / "Late witness statement.pdf", 4)]
    window.tree.select_id(section(window, "C").id)
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        window.action_set.add_files.trigger()
    late = section(window, "C").documents[-1]
    font = window.model.index_of(late.id).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert window.model.index_of(section(window, "A").documents[0].id).data(Qt.ItemDataRole.FontRole) is None
    assert label.text().endswith("· 1 added since")

    window.action_set.build.trigger()  # served: Build asks, and "additions" opens the dialog
    dialog = window.court.dialog
    assert isinstance(dialog, AdditionsDialog) and f"{served_pages}.1" in dialog.supplementary.text()
    dialog.append.setChecked(True)
    result = run_court(qtbot, window, "additions", dialog.accept)
    out = Path(result.report.output)
    qtbot.waitSignal(window.preflightFinished, timeout=TIMEOUT).wait()
    assert out.name.endswith(" - with additions.pdf") and out.exists()
    assert same_pages(served_pdf, out, served_pages)
    assert stamps(out) == [str(n) for n in range(1, served_pages + 1 + 1 + 4)]  # + index of additions + 4
    assert window.session.last_output == out and answers.errors == []

    window.action_set.court.additions.trigger()  # and a supplementary bundle, numbered on
    dialog = window.court.dialog
    assert dialog.mode() == "supplementary"
    result = run_court(qtbot, window, "additions", dialog.accept)
    qtbot.waitSignal(window.preflightFinished, timeout=TIMEOUT).wait()
    supplement = Path(result.report.output)
    assert supplement.name.endswith(" - Supplementary 1.pdf")
    assert stamps(supplement) == [f"{served_pages}.{n}" for n in range(1, 1 + 2 + 4)]  # cover, index, 4
    assert window.bundle.served.supplements == 1
    window.action_set.undo.trigger()  # the count is an edit like any other
    assert window.bundle.served.supplements == 0
    window.action_set.redo.trigger()

    assert window.files.save()
    assert load_project(project).served.file == served_pdf.name  # relative in the file
    assert read_project(project).served.file == served_pdf.resolve().as_posix()  # absolute in memory


# --- volumes ------------------------------------------------------------------------------


def test_volumes_number_on_across_files(qtbot, window, answers, told, tmp_path):
    open_project(qtbot, window, project_with(tmp_path, [("One", 4, "A"), ("Two", 4, "B"), ("Three", 4, "C")]))
    window.action_set.court.volumes.trigger()
    dialog = window.court.dialog
    assert isinstance(dialog, VolumesDialog)
    dialog.max_pages.setValue(8)  # room for one 4-page document after a cover and index
    reports = run_court(qtbot, window, "volumes", dialog.accept)
    files = [Path(r.output) for r in reports]
    assert len(files) >= 2 and told["files"] == [files]
    assert all(f.name.endswith(f"Volume {n} of {len(files)}.pdf") for n, f in enumerate(files, start=1))
    shown = [stamp for f in files for stamp in stamps(f)]
    assert shown == [str(n) for n in range(1, len(shown) + 1)]
    assert answers.errors == []


# --- files already built: core bundle, export, cross-references ---------------------------


def skeleton_pdf(path: Path, text: str) -> Path:
    return text_pdf(path, [[text]])


def test_core_bundle_export_and_cross_references(qtbot, qtmodeltester, window, answers, told, tmp_path):
    open_project(qtbot, window, project_with(tmp_path, [("Grounds", 3, "A"), ("Letter", 2, "C")]))
    main = Path(build(qtbot, window).output)

    window.action_set.court.core_bundle.trigger()
    dialog = window.court.dialog
    assert isinstance(dialog, CoreBundleDialog) and dialog.main.path() == main
    qtbot.waitUntil(lambda: dialog.tabs.count() == 2, timeout=30_000)
    dialog.tabs.item(1).setCheckState(Qt.CheckState.Checked)  # C1, the letter
    report = run_court(qtbot, window, "core-bundle", dialog.accept)
    core = Path(report.output)
    assert core.exists() and answers.built[-1] is report
    pdf = pdfium.PdfDocument(str(core))
    try:
        assert [corner_text(pdf, i, width=70, height=30) for i in range(2, len(pdf))] == ["CB3", "CB4"]
    finally:
        pdf.close()

    window.action_set.court.export.trigger()
    dialog = window.court.dialog
    assert isinstance(dialog, ExportDialog) and dialog.chosen() == ["index"]
    (index_docx,) = run_court(qtbot, window, "export", dialog.accept)
    rows = [[c.text for c in row.cells] for row in docx.Document(str(index_docx)).tables[0].rows]
    assert len([r for r in rows[1:] if r[0][-1].isdigit()]) == len(window.bundle.documents())

    skeleton = skeleton_pdf(tmp_path / "Skeleton.pdf", "The decision at [A/3] and the letter at [C/999].")
    window.action_set.court.xrefs.trigger()
    xrefs = window.court.xrefs_dialog
    xrefs.skeleton.set_path(skeleton)
    refs = run_court(qtbot, window, "xrefs", xrefs.check.click)
    qtmodeltester.check(xrefs.model)
    model = xrefs.model
    table = {model.index(r, 0).data(): model.index(r, 3).data() for r in range(model.rowCount())}
    assert table == {"[A/3]": "OK", "[C/999]": "Missing page"} and len(refs) == 2
    broken = next(r for r in range(2) if model.index(r, 0).data() == "[C/999]")
    assert model.index(broken, 4).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1 - broken, 4).data(Qt.ItemDataRole.ForegroundRole) is None

    linked = tmp_path / "Skeleton - linked.pdf"
    window.prompts.save_file = lambda title, suggested, filters="": linked
    assert xrefs.link.isEnabled()
    assert run_court(qtbot, window, "link", xrefs.link.click) == 1
    annots = [a.get_object() for a in PdfReader(linked).pages[0].get("/Annots", [])]
    assert [a["/Subtype"] for a in annots] == ["/Link"]
    assert answers.errors == []


def test_once_served_build_asks_what_to_build(qtbot, window, settings):
    from PySide6.QtWidgets import QApplication, QMessageBox

    from bundler.gui.prompts import Prompts

    def answer(text: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "served on 1 Jan 2025" in box.text()
        next(b for b in box.buttons() if b.text() == text).click()

    prompts = Prompts(window, settings)
    for text, meaning in (("Rebuild the &whole bundle", "main"), ("Build &additions…", "additions")):
        QTimer.singleShot(0, lambda t=text: answer(t))
        assert prompts.frozen_build("1 Jan 2025") == meaning
