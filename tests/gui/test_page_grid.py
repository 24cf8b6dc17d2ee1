"""Arrange pages… on the real window: the grid shows a document's pages as thumbnails with
the bundle page numbers they will carry; deleting, moving (the drop QListView makes),
turning and extracting pages apply as one undoable step, the preview follows at once,
and the built bundle files the pages in the new order with consecutive stamps."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from bundler.core.anonymise.register import add_box
from bundler.core.model import Served, ServedDocument
from bundler.gui.page_grid.dialog import PageGridDialog
from bundler.gui.project.model import PAGES
from tests.conftest import require
from tests.pdfs import outline_pypdf, stamps

from .test_app_flow import section
from .test_workflows import build, open_project, project_with

_ROOT = QModelIndex()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "aisha-v-wessex"


def _in_grid(qtbot, window, drive, open_grid=None) -> None:
    """Open the grid (``open_grid``, else Edit ▸ Arrange pages…) and run ``drive(dialog)`` in it."""
    driven: list[bool] = []

    def opened(dialog: PageGridDialog) -> None:
        def run() -> None:
            try:
                drive(dialog)
                driven.append(True)
            finally:
                if dialog.isVisible():  # ``drive`` applies; a failure must not leave it open
                    dialog.reject()

        QTimer.singleShot(0, run)

    window.page_grid.dialogOpened.connect(opened)
    (open_grid or window.page_grid.action.trigger)()
    window.page_grid.dialogOpened.disconnect(opened)
    assert driven


def _apply(dialog: PageGridDialog) -> None:
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _labels(dialog: PageGridDialog) -> list[str]:
    return [dialog.model.label(row).replace("\n", " / ") for row in range(dialog.model.rowCount())]


def _landscape(picture) -> bool:
    """The page (opaque) fills the square picture's width but not its height: turned a quarter."""
    middle = picture.width() // 2
    return picture.pixelColor(2, middle).alpha() > 0 and picture.pixelColor(middle, 2).alpha() == 0


def _sources(pdf: Path, first: int, count: int) -> list[str]:
    """The source page each bundle page shows, read back by pdftotext."""
    found = []
    for page in range(first, first + count):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        match = re.search(r"Page (\d) of Five", text)
        found.append(match.group(1) if match else text[:40])
    return found


def _open_five(qtbot, window, tmp_path: Path):
    open_project(qtbot, window, project_with(tmp_path, [("Grounds", 2, "A"), ("Five", 5, "C")]))
    five = section(window, "C").documents[0]
    window.tree.select_id(five.id)
    qtbot.waitUntil(lambda: window.preview.page_count() == 5, timeout=20_000)
    grid, split = window.page_grid.action, window.action_set.split
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    for menu_actions in (edit_menu.actions(), window.tree.actions()):  # Edit menu and the list's own menu
        assert menu_actions.index(grid) == menu_actions.index(split) + 1
    window.tree.select_id(five.id)
    assert grid.isEnabled()
    return five, window.model.ranges[five.id][0]


def test_delete_move_and_turn_pages_in_the_grid_undoably_and_file_them(qtbot, window, tmp_path):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    five, first = _open_five(qtbot, window, tmp_path)

    def drive(dialog: PageGridDialog) -> None:
        assert _labels(dialog)[0] == f"Bundle p. {first} / file p. 1" and dialog.model.rowCount() == 5
        view = dialog.view
        assert (
            view.dragEnabled()
            and view.viewport().acceptDrops()
            and view.dragDropMode() == view.DragDropMode.InternalMove
        )
        qtbot.waitUntil(lambda: dialog.model.pictures() == 5, timeout=20_000)  # rendered off the UI thread
        dialog.select_rows([1])
        QTest.keyClick(dialog.view, Qt.Key.Key_Delete)  # page 2 out
        dialog.select_rows([0])
        QTest.keyClick(dialog.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
        assert [p.source for p in dialog.model.pages] == [3, 1, 4, 5] and dialog.selected_rows() == [1]
        QTest.mouseClick(dialog.earlier, Qt.MouseButton.LeftButton)
        assert [p.source for p in dialog.model.pages] == [1, 3, 4, 5]
        assert dialog.model.moveRow(_ROOT, 3, _ROOT, 0)  # what QListView does when page 5 is dropped first
        dialog.select_rows([2])
        QTest.mouseClick(dialog.rotate_right, Qt.MouseButton.LeftButton)  # page 3, a quarter turn
        assert _labels(dialog) == [f"Bundle p. {first + i} / file p. {p}" for i, p in enumerate([5, 1, 3, 4])]
        picture = dialog.model.index(2).data(Qt.ItemDataRole.DecorationRole)
        assert _landscape(picture) and not _landscape(dialog.model.index(1).data(Qt.ItemDataRole.DecorationRole))
        assert "4 pages of 5 will be filed" in dialog.summary.text()
        if os.environ.get("BUNDLER_SCREENSHOT"):  # resources/screenshots/page-grid.png is made this way
            dialog.grab().save(os.environ["BUNDLER_SCREENSHOT"])
        _apply(dialog)

    _in_grid(qtbot, window, drive)
    assert (five.pages, five.page_rotations) == ("5,1,3-4", {"3": 90})
    assert window.model.ranges[five.id] == (first, first + 3)
    assert window.stack.undoText() == "Arrange the pages of 'Five'"
    qtbot.waitUntil(lambda: window.preview.page_count() == 4, timeout=20_000)  # the preview follows at once
    assert [window.preview.page_label(i) for i in range(4)] == [str(first + i) for i in range(4)]
    assert window.preview.thumbnails.rowCount() == 4

    window.action_set.undo.trigger()
    assert (five.pages, five.page_rotations) == ("", {})
    qtbot.waitUntil(lambda: window.preview.page_count() == 5, timeout=20_000)
    window.action_set.redo.trigger()
    assert (five.pages, five.page_rotations) == ("5,1,3-4", {"3": 90})

    report = build(qtbot, window)
    output = Path(report.output)
    assert _sources(output, first, 4) == ["5", "1", "3", "4"]
    assert stamps(output) == [str(n) for n in range(1, report.pages + 1)]
    assert PdfReader(output).pages[first + 1].rotation % 360 == 90  # bundle page first + 2 (0-based + 1)


def test_extract_pages_into_a_new_document_after_it(qtbot, window, tmp_path):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    five, first = _open_five(qtbot, window, tmp_path)
    box = add_box(window.bundle, five.id, 4, (10, 10, 60, 60), "signature")
    asked: list[str] = []

    def drive(dialog: PageGridDialog) -> None:
        dialog.select_rows([0])
        QTest.mouseClick(dialog.delete, Qt.MouseButton.LeftButton)
        QTest.mouseClick(dialog.reset, Qt.MouseButton.LeftButton)  # every page again
        assert dialog.model.rowCount() == 5
        dialog.ask_title = lambda suggested: asked.append(suggested) or "Reply"
        dialog.select_rows([2, 3])
        QTest.mouseClick(dialog.extract, Qt.MouseButton.LeftButton)
        assert [p.source for p in dialog.model.pages] == [1, 2, 5]
        assert "New document 'Reply': file pages 3–4" in dialog.summary.text()
        _apply(dialog)

    index = window.model.index_of(five.id, PAGES)  # a double-click where nothing is typed opens the grid
    _in_grid(qtbot, window, drive, lambda: window.tree.doubleClicked.emit(index))
    assert asked == ["Five (pages 3–4)"]
    docs = section(window, "C").documents
    assert [(d.title, d.pages) for d in docs] == [("Five", "1-2,5"), ("Reply", "3-4")]
    reply = docs[1]
    assert window.model.index_of(reply.id).data() == "Reply"  # in the tree, after it
    assert window.model.ranges[reply.id] == (first + 3, first + 4) and box.document_id == reply.id

    report = build(qtbot, window)
    output = Path(report.output)
    assert _sources(output, first, 5) == ["1", "2", "5", "3", "4"]
    assert stamps(output) == [str(n) for n in range(1, report.pages + 1)]
    marks = [title for depth, title, _page in outline_pypdf(PdfReader(output)) if depth == 1 and "C" in title[:2]]
    assert [m.split(" (")[0].split(" - ")[0] for m in marks] == ["C1. Five", "C2. Reply"]

    window.action_set.undo.trigger()
    assert [(d.title, d.pages) for d in section(window, "C").documents] == [("Five", "")]
    assert box.document_id == five.id


def test_a_word_document_is_shown_converted_and_cannot_lose_every_page(qtbot, window, tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "case")
    open_project(qtbot, window, tmp_path / "case" / "aisha-v-wessex.bundle.json")
    statement = next(d for _, d in window.bundle.documents() if d.kind == "docx")
    window.tree.select_id(statement.id)
    total = window.model.page_total(statement.id)
    assert total

    def drive(dialog: PageGridDialog) -> None:
        qtbot.waitUntil(lambda: dialog.model.pictures() == total, timeout=120_000)  # converted off the UI thread
        assert dialog.status.text() == ""
        dialog.select_rows(list(range(total)))
        QTest.keyClick(dialog.view, Qt.Key.Key_Delete)
        assert dialog.model.rowCount() == total and "Keep at least one page" in dialog.status.text()
        dialog.reject()

    _in_grid(qtbot, window, drive)
    assert statement.pages == "" and not window.stack.canUndo()


def test_a_long_document_renders_only_the_pages_on_screen(qtbot, window, tmp_path):
    open_project(qtbot, window, project_with(tmp_path, [("Scan", 400, "D")]))
    scan = section(window, "D").documents[0]
    window.tree.select_id(scan.id)

    def drive(dialog: PageGridDialog) -> None:
        qtbot.waitUntil(lambda: dialog.model.pictures() > 0, timeout=20_000)
        qtbot.wait(300)
        shown = dialog.model.pictures()
        assert shown < 100  # a screenful, not 400
        assert dialog.model.rowCount() == 400 and not dialog.model.has_picture(200)
        dialog.view.scrollTo(dialog.model.index(199))  # the pages scrolled to are asked for
        qtbot.waitUntil(lambda: dialog.model.has_picture(200), timeout=20_000)
        assert dialog.model.label(399) == f"Bundle p. {window.model.ranges[scan.id][1]}\nfile p. 400"
        dialog.reject()

    _in_grid(qtbot, window, drive)


def test_a_real_mouse_drag_moves_the_page(tmp_path):
    """Under a real X server (the offscreen platform ends every drag at once)."""
    require(shutil.which("xvfb-run") is not None, "xvfb-run (xvfb)")
    env = os.environ | {"QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    run = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, "-m", "tests.gui.drag_under_x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    if "could not load the qt platform plugin" in run.stderr.lower():  # a system library is missing
        require(False, f"Qt's X11 plugin ({run.stderr.strip().splitlines()[-1]})")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == [5, 1, 2, 3, 4]  # dropped before page 1


def test_apply_without_a_change_adds_no_step_and_served_pages_stay_put(qtbot, window, answers, tmp_path):
    five, _first = _open_five(qtbot, window, tmp_path)
    _in_grid(qtbot, window, _apply)
    assert not window.stack.canUndo() and "unchanged" in window.statusBar().currentMessage()

    window.bundle.served = Served("served.pdf", "", 9, "2024-01-01", [ServedDocument(five.id, 3, 7)])

    def move_and_apply(dialog: PageGridDialog) -> None:
        assert dialog.model.moveRow(_ROOT, 4, _ROOT, 0)
        _apply(dialog)

    _in_grid(qtbot, window, move_and_apply)
    assert five.pages == "" and not window.stack.canUndo()
    assert len(answers.errors) == 1 and "was served" in str(answers.errors[0])
