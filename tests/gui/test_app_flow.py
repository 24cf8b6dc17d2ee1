"""The main flow, driven through the window as a user would, with the output PDF read back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import docx
import pypdfium2 as pdfium
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QModelIndex, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bundler.core.errors import SourceError
from bundler.core.project import bundle_to_dict, load_project
from bundler.core.report import BuildReport
from bundler.gui.dialogs import NewBundleDialog
from bundler.gui.mainwindow.files import read_project
from bundler.gui.project.model import ID_ROLE
from tests.pdfs import make_pdf, outline_pypdf, stamps

BUILD_TIMEOUT = 180_000  # ms; the machine is shared, LibreOffice may be slow


def text_pdf(path: Path, pages: list[list[str]]) -> Path:
    pdf = Canvas(str(path), pagesize=A4)
    for lines in pages:
        pdf.setFont("Helvetica", 12)
        for n, line in enumerate(lines):
            pdf.drawString(72, 760 - 18 * n, line)
        pdf.showPage()
    pdf.save()
    return path


def sources(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "sources"
    (folder / "exhibits").mkdir(parents=True)
    letter = text_pdf(
        folder / "2019-08-11 Letter before claim.pdf",
        [
            [
                "Dear Sirs,",
                "We act for Fatima Khanum of 4 Elm Road, Bristol BS1 4DJ.",
                "Ms Khanum was a victim.",
            ],
            ["Yours faithfully,", "Smith & Co"],
        ],
    )
    make_pdf(folder / "exhibits" / "2019-06-05 Exhibit FK1.pdf", 2)
    make_pdf(folder / "exhibits" / "2019-06-06 Exhibit FK2.pdf", 1)
    statement = docx.Document()
    statement.add_paragraph("Witness statement of Fatima Khanum")
    statement.add_paragraph("I, Fatima Khanum, say as follows.")
    statement.save(str(folder / "2019-09-09 Witness statement.docx"))
    return {
        "letter": letter,
        "exhibits": folder / "exhibits",
        "statement": folder / "2019-09-09 Witness statement.docx",
    }


def new_from_template(qtbot, window, **fields: str) -> None:
    """File ▸ New from template, filling the dialog's fields by typing."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewBundleDialog)
        dialog.template.setCurrentIndex(dialog.template.findData("jr-claim"))
        for name, text in fields.items():
            QTest.keyClicks(getattr(dialog.form, name), text)
        dialog.form.converter.setCurrentIndex(dialog.form.converter.findData("builtin"))
        QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    window.action_set.new.trigger()


def drop(window, mime: QMimeData, index: QModelIndex, above: bool = False) -> None:
    """Drag ``mime`` over the tree and drop it on (or just above) ``index``."""
    rect = window.tree.visualRect(index)
    point = QPointF(
        min(rect.center().x(), window.tree.viewport().width() // 2),
        rect.top() + 1 if above else rect.center().y(),
    )
    action, button, mods = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    viewport = window.tree.viewport()
    for kind in (QDragEnterEvent, QDragMoveEvent):
        event = drag_event(kind, point, action, mime, button, mods)
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()
    QApplication.sendEvent(viewport, QDropEvent(point, action, mime, button, mods))


def drag_event(kind, point: QPointF, *args):
    try:
        return kind(point, *args)  # Qt 6.12 takes the exact position
    except TypeError:
        return kind(point.toPoint(), *args)  # earlier Qt: whole pixels only


def section(window, letter: str):
    return next(s for s in window.bundle.sections if s.letter == letter)


def titles(window, letter: str) -> list[str]:
    return [d.title for d in section(window, letter).documents]


def test_new_bundle_drop_reorder_protect_detect_accept_build(qtbot, window, answers, tmp_path):
    new_from_template(
        qtbot,
        window,
        case_name="R (AB) v Chief Constable of Wessex Police",
        short_name="AB v CC Wessex",
        claim_no="AC-2019-LON-002345",
    )
    assert window.windowTitle().startswith("AB v CC Wessex") and window.bundle.options.converter == "builtin"
    assert [s.letter for s in window.bundle.sections] == list("ABCDEF")
    files = sources(tmp_path)

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files["letter"])), QUrl.fromLocalFile(str(files["exhibits"]))])
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        drop(window, mime, window.model.index_of(section(window, "C").id))
    assert titles(window, "C") == ["Letter before claim", "Exhibit FK1", "Exhibit FK2"], answers.errors

    window.tree.select_id(section(window, "D").id)
    answers.files = [files["statement"]]
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        window.action_set.add_files.trigger()
    assert titles(window, "D") == ["Witness statement"]

    exhibit2 = window.model.index_of(section(window, "C").documents[2].id)
    drop(
        window,
        window.model.mimeData([exhibit2]),
        window.model.index_of(section(window, "D").documents[0].id),
        True,
    )
    assert titles(window, "D") == [
        "Exhibit FK2",
        "Witness statement",
    ]  # dragged above the statement
    window.tree.select_id(section(window, "C").documents[1].id)
    window.action_set.move_down.trigger()  # past the end of C: to the top of D
    assert titles(window, "C") == ["Letter before claim"]
    assert titles(window, "D") == ["Exhibit FK1", "Exhibit FK2", "Witness statement"]
    window.tree.select_id(section(window, "F").id)
    window.action_set.move_up.trigger()  # sections move too
    assert [s.letter for s in window.bundle.sections] == list("ABCDFE")

    window.anonymise.addPersonRequested.emit("Fatima Khanum", "Aisha", ["Ms Khanum"], "replace")
    assert [p.pseudonym for p in window.bundle.register.people] == ["Aisha"]
    with qtbot.waitSignal(window.detectFinished, timeout=BUILD_TIMEOUT) as detected:
        QTest.mouseClick(window.anonymise.hits_tab.run, Qt.MouseButton.LeftButton)
    hits = detected.args[0]
    assert {h.document for h in hits if h.rule.startswith("register:")} >= {
        "Letter before claim",
        "Witness statement",
    }
    postcode = next(h for h in hits if h.text == "BS1 4DJ")
    window.anonymise.hitSelected.emit(postcode)  # shows the letter's page with the hit marked
    letter = section(window, "C").documents[0]
    assert window.pages.preview_doc_id == letter.id
    qtbot.waitUntil(lambda: bool(window.preview.overlay.highlights()), timeout=20_000)  # prepared off the UI thread
    assert window.preview.current_page() == 0
    ((x0, y0, x1, y1),) = window.preview.overlay.highlights()
    assert 72 < x0 < x1 < 500 and 700 < y0 < y1 < 760  # the second line of the letter
    window.anonymise.hitsAccepted.emit([postcode])
    assert [t.text for t in window.bundle.register.terms] == ["BS1 4DJ"]
    window.preview.boxDrawn.emit(2, (70.0, 700.0, 200.0, 730.0))  # a box drawn on page 2
    (box,) = window.bundle.register.boxes
    assert (box.document_id, box.page, box.rect) == (letter.id, 2, (70.0, 700.0, 200.0, 730.0))

    answers.save_as = tmp_path / "case.bundle.json"
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    report = built.args[0]
    assert isinstance(report, BuildReport), report
    with qtbot.waitSignal(window.preflightFinished, timeout=BUILD_TIMEOUT) as checked:
        pass
    check_output(window, Path(report.output), report)
    saved = load_project(tmp_path / "case.bundle.json")
    assert saved.sections[2].documents[0].path == "sources/2019-08-11 Letter before claim.pdf"
    assert bundle_to_dict(read_project(tmp_path / "case.bundle.json")) == bundle_to_dict(window.bundle)
    assert not window.is_dirty() and answers.built == [report] and not answers.errors

    public_text = "\n".join(page.extract_text() for page in PdfReader(report.output).pages)
    assert "Aisha" in public_text and "Khanum" not in public_text and "BS1 4DJ" not in public_text
    assert "Khanum" not in pdfium_text(Path(report.output))

    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build_confidential.trigger()
    confidential = Path(built.args[0].output)
    assert confidential.name.endswith("CONFIDENTIAL UNREDACTED.pdf") and Path(report.output).exists()
    qtbot.waitSignal(window.preflightFinished, timeout=BUILD_TIMEOUT).wait()  # PDFium is free again
    assert "Fatima Khanum" in pdfium_text(confidential)

    findings = window.preflight.findings
    assert findings.topLevelItemCount() == len(checked.args[0].findings) > 0
    window.preflight.pageRequested.emit(4)
    assert window.preview.current_page() == 3 and window.pages.preview_doc_id is None


def pdfium_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def check_output(window, output: Path, report: BuildReport) -> None:
    """Pages, stamps and bookmarks agree with the page numbers the tree showed."""
    reader = PdfReader(output)
    ranges = window.model.ranges
    total = max(r[1] for r in ranges.values() if r)
    assert len(reader.pages) == report.pages == total
    assert stamps(output) == [str(n) for n in range(1, total + 1)]
    marks = {title: page for depth, title, page in outline_pypdf(reader) if depth == 1}
    for _, doc in window.bundle.documents():
        first = ranges[doc.id][0]
        assert any(title.startswith(f"{doc.title}") or f". {doc.title}" in title for title in marks)
        assert first in marks.values()
        assert next(page for title, page in marks.items() if f". {doc.title}" in title) == first


def test_a_changed_source_is_explained_and_selected(qtbot, window, answers, tmp_path):
    files = sources(tmp_path)
    answers.save_as = tmp_path / "case.bundle.json"
    window.tree.select_id(section(window, "C").id)
    answers.files = [files["letter"], tmp_path / "missing.pdf"]
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        window.action_set.add_files.trigger()
    assert titles(window, "C") == ["Letter before claim"]
    assert "missing.pdf" in str(answers.errors.pop())  # the good file was still added
    window.tree.select_id(section(window, "A").id)
    files["letter"].write_bytes(files["letter"].read_bytes() + b"\n% edited\n")
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    assert isinstance(built.args[0], SourceError) and answers.errors == [built.args[0]]
    assert "has changed since it was added" in str(answers.errors[0])
    assert "--accept-changed" not in str(answers.errors[0]) and "choose to use it" in str(answers.errors[0])
    assert answers.new_versions == [files["letter"].name]  # asked; the user said no
    assert window.tree.currentIndex().data(ID_ROLE) == section(window, "C").documents[0].id


def test_a_changed_source_can_be_used_in_its_new_version_and_undone(qtbot, window, answers, tmp_path):
    """A statement edited after it was added: the app asks to use the new version (as
    ``--accept-changed``), builds with it, and Undo goes back to the old one."""
    files = sources(tmp_path)
    answers.save_as = tmp_path / "case.bundle.json"
    window.tree.select_id(section(window, "C").id)
    answers.files = [files["letter"]]
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        window.action_set.add_files.trigger()
    letter = section(window, "C").documents[0]
    old = letter.sha256
    files["letter"].write_bytes(files["letter"].read_bytes() + b"\n% edited\n")
    answers.use_new_version = True
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    assert not isinstance(built.args[0], BaseException), answers.errors
    assert answers.new_versions == [files["letter"].name] and not answers.errors
    assert letter.sha256 == hashlib.sha256(files["letter"].read_bytes()).hexdigest() != old
    window.stack.undo()
    assert letter.sha256 == old


def test_keyboard_delete_rename_and_undo_redo(qtbot, window, answers, tmp_path):
    files = sources(tmp_path)
    window.tree.select_id(section(window, "C").id)
    window.prompts.files_to_add = lambda folder: [files["letter"]]
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        window.action_set.add_files.trigger()
    letter = section(window, "C").documents[0]
    before = bundle_to_dict(window.bundle)
    window.tree.setFocus()
    window.tree.select_id(letter.id)
    QTest.keyClick(window.tree, Qt.Key.Key_Delete)
    assert titles(window, "C") == [] and window.isWindowModified()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert bundle_to_dict(window.bundle) == before
    window.tree.select_id(letter.id)
    QTest.keyClick(window.tree, Qt.Key.Key_F2)
    editor = window.tree.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "Letter before claim", QApplication.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "Letter before claim (sent)")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the view commits on its next turn
    qtbot.waitUntil(lambda: letter.title == "Letter before claim (sent)", timeout=5_000)
    window.action_set.undo.trigger()
    assert bundle_to_dict(window.bundle) == before
    window.action_set.redo.trigger()
    assert letter.title == "Letter before claim (sent)"
    window.model.setData(window.model.index_of(letter.id).siblingAtColumn(1), "yesterday")
    assert "'yesterday' is not a date" in str(answers.errors[-1]) and letter.date == "2019-08-11"
    assert window.stack.count() == 2  # add, rename: the refused edit never reached the stack


def test_settings_are_kept_and_used_for_new_bundles(qtbot, window, settings):
    from bundler.gui.dialogs import SettingsDialog
    from bundler.gui.settings import Settings

    dialog = SettingsDialog(settings, window)
    dialog.template.setCurrentIndex(dialog.template.findData("authorities"))
    dialog.converter.setCurrentIndex(dialog.converter.findData("builtin"))
    dialog.prefix.setText("AB")
    dialog.accept()
    again = Settings(QSettings(settings._store.fileName(), QSettings.Format.IniFormat))
    assert (again.default_template, again.converter, again.page_prefix) == (
        "authorities",
        "builtin",
        "AB",
    )
    fresh = NewBundleDialog(again)
    assert fresh.template.currentData() == "authorities" and fresh.form.page_prefix.text() == "AB"
    assert fresh.form.converter.currentData() == "builtin"
    assert not fresh.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()  # no case yet
    fresh.deleteLater()


def test_errors_and_about_are_shown_without_blocking(qtbot, window):
    from bundler.core.errors import ProjectError
    from bundler.gui.dialogs import show_about, show_error

    box = show_error(window, ProjectError("Project file 'x' cannot be read. Restore it from a backup."))
    assert box.isVisible() and box.text().startswith("Project file 'x'")
    box.close()
    about = show_about(window)
    assert "Bundler" in about.text() and about.isVisible()
    about.close()


def test_choosing_pages_renumbers_the_tree_at_once(qtbot, window, answers, tmp_path):
    pdfs = [make_pdf(tmp_path / name, 4) for name in ("a.pdf", "b.pdf")]
    window.tree.select_id(section(window, "B").id)
    answers.files = pdfs
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=30_000):
        window.action_set.add_files.trigger()
    first, second = section(window, "B").documents
    assert window.model.ranges[second.id] == (7, 10)  # cover, index, then 4 + 4 pages
    window.tree.select_id(first.id)
    answers.pages = "2-3"
    window.action_set.choose_pages.trigger()
    assert first.pages == "2-3" and window.model.ranges[second.id] == (5, 8)
    assert window.model.index_of(second.id).siblingAtColumn(2).data() == "5–8"
    window.action_set.undo.trigger()
    assert first.pages == "" and window.model.ranges[second.id] == (7, 10)


def test_page_number_position_is_a_setting_and_a_bundle_option(qtbot, window, settings):
    from bundler.gui.dialogs import SettingsDialog
    from bundler.gui.settings import Settings

    dialog = SettingsDialog(settings, window)
    dialog.stamp_right.setValue(40)
    dialog.stamp_bottom.setValue(20)
    dialog.accept()
    again = Settings(QSettings(settings._store.fileName(), QSettings.Format.IniFormat))
    assert again.stamp_position == (40.0, 20.0)
    fresh = NewBundleDialog(again)
    fresh.form.case_name.setText("AB v X")
    fresh.form.claim_no.setText("AC-1")
    _, _, options = fresh.result_values()
    assert (options.stamp_right, options.stamp_bottom) == (40.0, 20.0)
    fresh.form.stamp_right.setValue(100)  # the box keeps it inside the margin
    assert fresh.form.options(options).stamp_right == 72.0
    fresh.deleteLater()
