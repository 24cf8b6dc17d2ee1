"""Issue 14 on the real window: the live Index tab, search, Move to section…, remembered
folders, the title editor's Tab order, and a clear message when Qt's platform plugin is missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QFileDialog, QInputDialog, QLineEdit

from bundler.core.report import BuildReport
from tests.gui.test_app_flow import BUILD_TIMEOUT, section
from tests.pdfs import make_pdf


def _add(qtbot, window, answers, paths, letter: str) -> None:
    window.tree.select_id(section(window, letter).id)
    answers.files = list(paths)
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=30_000):
        window.action_set.add_files.trigger()


def _rows(window) -> list[tuple[str, str, str, str]]:
    return window.index_tab.row_texts()


def _settled_rows(qtbot, window) -> list[tuple[str, str, str, str]]:
    """The Index tab's rows once its pending refresh has run."""
    qtbot.waitUntil(lambda: not window.index_tab._timer.isActive(), timeout=5_000)
    return _rows(window)


def _index_page_text(pdf: Path, page: int) -> list[str]:
    """The built index page read back by poppler, one printed line each."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [re.sub(r"\s+", " ", line).strip() for line in out.splitlines() if line.strip()]


def test_index_tab_is_the_index_the_build_prints_and_follows_every_edit(qtbot, window, answers, tmp_path):
    window.side.setCurrentWidget(window.index_tab)
    assert window.side.tabText(window.side.currentIndex()) == "&Index"
    _add(qtbot, window, answers, [make_pdf(tmp_path / "Grounds of claim.pdf", 4)], "B")
    _add(
        qtbot,
        window,
        answers,
        [make_pdf(tmp_path / "Letter before claim.pdf", 2), make_pdf(tmp_path / "Reply to letter.pdf", 3)],
        "C",
    )
    grounds = section(window, "B").documents[0]
    letter, reply = section(window, "C").documents
    for doc, date in ((grounds, "2019-09-01"), (letter, "2019-08-11"), (reply, "2019-08-20")):
        window.edits.edit_field(doc.id, "date", date)
    rows = _settled_rows(qtbot, window)
    docs = {r[1]: r for r in rows if r[0][1:]}
    # cover 1, index 2, B1 3-6, C1 7-8, C2 9-11
    assert docs[grounds.title] == ("B1", grounds.title, "1 Sep 2019", "3")
    assert docs[letter.title] == ("C1", letter.title, "11 Aug 2019", "7")
    assert docs[reply.title] == ("C2", reply.title, "20 Aug 2019", "9")
    items = [window.index_tab.rows.topLevelItem(n) for n in range(len(rows))]
    assert {item.text(1): item.text(4) for item in items}[reply.title] == "9–11"

    # Move the reply above the letter: tabs and pages follow at once; undo puts them back
    window.edits.move([reply.id], section(window, "C").id, 0)
    moved = {r[1]: r for r in _settled_rows(qtbot, window)}
    assert moved[reply.title][0::3] == ("C1", "7") and moved[letter.title][0::3] == ("C2", "10")
    window.action_set.undo.trigger()
    assert {r[1]: r for r in _settled_rows(qtbot, window)}[reply.title][0::3] == ("C2", "9")
    window.action_set.redo.trigger()

    # Fewer pages chosen and a new title show too
    window.tree.select_id(grounds.id)
    answers.pages = "1-2"
    window.action_set.choose_pages.trigger()
    window.edits.edit_field(grounds.id, "title", "Amended grounds")
    after = {r[1]: r for r in _settled_rows(qtbot, window)}
    assert after["Amended grounds"][0::3] == ("B1", "3")
    assert after[reply.title][3] == "5" and after[letter.title][3] == "8"

    # Double-click a row: the tree selects that document
    row = next(n for n, r in enumerate(_rows(window)) if r[1] == letter.title)
    item = window.index_tab.rows.topLevelItem(row)
    window.index_tab.rows.scrollToItem(item)
    rect = window.index_tab.rows.visualItemRect(item)
    assert window.index_tab.rows.isVisible() and rect.isValid(), rect
    viewport = window.index_tab.rows.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tree.current_id() == letter.id

    # The built bundle's index page prints the same rows
    answers.save_as = tmp_path / "case.bundle.json"
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    report = built.args[0]
    assert isinstance(report, BuildReport), report
    with qtbot.waitSignal(window.preflightFinished, timeout=BUILD_TIMEOUT):
        pass
    printed = _index_page_text(Path(report.output), 2)
    shown = _settled_rows(qtbot, window)
    assert len(shown) == 5  # sections B and C, three documents
    for tab, title, date, page in shown:
        expected = " ".join(part for part in (tab, title, date, page) if part)
        assert expected in printed, (expected, printed)


def test_search_lists_hits_by_bundle_page_and_jumps_the_preview_there(qtbot, window, answers, tmp_path, settings):
    from tests.pdfs import CORPUS

    four_pages = CORPUS / "real-pdfs" / "pdflatex-4-pages.pdf"
    _add(qtbot, window, answers, [make_pdf(tmp_path / "Witness statement.pdf", 2), four_pages], "B")
    statement, latex = section(window, "B").documents
    window.tree.select_id(latex.id)
    answers.pages = "2-4"  # source page 1 is left out: bundle pages 5, 6, 7 are source pages 2, 3, 4
    window.action_set.choose_pages.trigger()
    window.tree.select_id(statement.id)

    panel = window.search_panel
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.search.action in menu.actions() and window.search.action.shortcut().toString() == "Ctrl+F"
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    side_item = next(a for a in view.actions() if "side panels" in a.text())
    side_item.trigger()  # the side panels hidden
    assert not window.side.isVisible()
    window.search.action.trigger()  # Edit ▸ Search the documents… (Ctrl+F) shows them again
    assert window.side.isVisible() and side_item.isChecked()
    assert window.side.currentWidget() is panel and panel.box.hasFocus()
    with qtbot.waitSignal(window.search.searched, timeout=30_000) as searched:
        QTest.keyClicks(panel.box, "huardest  GEFBURN")  # case and spaces do not matter
    assert searched.args[0] == panel.hit_count() >= 4
    rows = [tuple(panel.results.topLevelItem(n).text(c) for c in range(3)) for n in range(panel.hit_count())]
    assert all(doc == f"B2 {latex.title}" for doc, _, _ in rows)
    assert all("Huardest gefburn" in text for _, _, text in rows)
    pages = [where for _, where, _ in rows]
    assert pages[0] == "p. 1, not included" and {"5", "6", "7"} <= set(pages)
    assert (settings.cache_dir() / "text" / f"{latex.sha256}.json").is_file()  # read once, cached

    # Double-click the hit on bundle page 6 (source page 3): the preview shows that page, labelled 6
    row = pages.index("6")
    item = panel.results.topLevelItem(row)
    panel.results.scrollToItem(item)
    rect = panel.results.visualItemRect(item)
    QTest.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: window.pages.preview_doc_id == latex.id and window.preview.current_page() == 1, timeout=20_000
    )
    assert window.preview.page_label(window.preview.current_page()) == "6"
    qtbot.waitUntil(lambda: bool(window.preview.overlay.highlights()), timeout=10_000)
    boxes = subprocess.run(  # where poppler finds the words on source page 3 (y measured from the top)
        ["pdftotext", "-f", "3", "-l", "3", "-bbox", str(four_pages), "-"], capture_output=True, text=True, check=True
    ).stdout
    tops = [float(m) for m in re.findall(r'yMax="([\d.]+)">“Huardest', boxes)]
    lit = sorted(841.89 - y0 for _x0, y0, _x1, _y1 in window.preview.overlay.highlights())
    assert len(lit) == len(tops) >= 2 and all(abs(a - b) < 1.5 for a, b in zip(lit, sorted(tops), strict=True))
    assert window.tree.current_id() == latex.id

    # An edit renumbers the hits listed: the statement moved below, the hits are 2 pages earlier
    with qtbot.waitSignal(window.search.searched, timeout=10_000):
        window.edits.move([statement.id], section(window, "B").id, -1)
    wheres = [panel.results.topLevelItem(n).text(1) for n in range(panel.hit_count())]
    assert {"3", "4", "5"} <= set(wheres) and "7" not in wheres

    # A second search reads nothing again and finds nothing where there is nothing
    with qtbot.waitSignal(window.search.searched, timeout=10_000) as searched:
        panel.box.setText("no such words anywhere")
        QTest.keyClick(panel.box, Qt.Key.Key_Return)
    assert searched.args[0] == 0 and panel.hit_count() == 0
    assert panel.note.text().startswith("0 places found")


def _answer_chooser(qtbot, choice: str, seen: list[tuple[str, list[str]]]) -> None:
    """When the section chooser opens, note its question and choices, then pick ``choice``."""

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        seen.append((dialog.labelText(), list(dialog.comboBoxItems())))
        combo = dialog.findChild(QComboBox)
        combo.setCurrentIndex(combo.findText(choice))
        QTest.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(0, pick)


def test_move_to_section_moves_the_selection_in_one_undoable_step(qtbot, window, answers, tmp_path):
    paths = [make_pdf(tmp_path / f"{name}.pdf", 1) for name in ("First", "Second", "Third")]
    _add(qtbot, window, answers, paths, "B")
    first, second, third = section(window, "B").documents
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    action = window.move_to_section.action
    assert action in menu.actions() and action in window.tree.actions()  # the menu and the right-click menu
    window.tree.select_id(first.id)
    window.tree.selectionModel().select(
        window.model.index_of(third.id),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert action.isEnabled()
    target = section(window, "E")
    seen: list[tuple[str, list[str]]] = []
    _answer_chooser(qtbot, f"E   {target.title}", seen)
    action.trigger()
    assert seen and seen[0][0] == "Move the selected 2 documents to the end of section:"
    assert seen[0][1][0].startswith("A   ") and len(seen[0][1]) == len(window.bundle.sections)
    assert [d.id for d in section(window, "B").documents] == [second.id]
    assert [d.id for d in section(window, "E").documents][-2:] == [first.id, third.id]
    assert window.tree.current_id() == first.id
    assert ("E1", first.title) not in [r[:2] for r in _rows(window)]  # the hidden Index tab waits...
    window.side.setCurrentWidget(window.index_tab)  # ...and catches up when shown
    qtbot.waitUntil(lambda: ("E1", first.title) in [r[:2] for r in _rows(window)], timeout=5_000)

    window.action_set.undo.trigger()  # one step puts both back, in their places
    assert [d.id for d in section(window, "B").documents] == [first.id, second.id, third.id]
    assert not section(window, "E").documents

    window.tree.select_id(section(window, "B").id)  # a section alone: nothing to move
    assert not action.isEnabled()


def _editor(window):
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and window.tree.isAncestorOf(editor), editor
    return editor


def test_tab_in_the_title_editor_goes_on_to_the_date(qtbot, window, answers, tmp_path):
    from bundler.gui.project.model import DATE, TITLE

    _add(qtbot, window, answers, [make_pdf(tmp_path / f"{n}.pdf", 1) for n in ("One", "Two")], "B")
    one, two = section(window, "B").documents
    tree = window.tree
    tree.setFocus()
    tree.select_id(one.id)
    tree.edit(window.model.index_of(one.id, TITLE))
    editor = _editor(window)
    editor.selectAll()
    QTest.keyClicks(editor, "Letter of 3 April")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    assert one.title == "Letter of 3 April"  # kept when Tab moved on
    assert tree.state() == tree.State.EditingState
    assert (tree.currentIndex().row(), tree.currentIndex().column()) == (0, DATE)
    editor = _editor(window)
    editor.selectAll()
    QTest.keyClicks(editor, "2022-04-03")
    QTest.keyClick(editor, Qt.Key.Key_Tab)  # Include is hidden: on to the next document's title
    assert one.date == "2022-04-03"
    assert tree.current_id() == two.id and tree.currentIndex().column() == TITLE
    QTest.keyClick(_editor(window), Qt.Key.Key_Backtab)  # and back to the date above
    assert tree.current_id() == one.id and tree.currentIndex().column() == DATE
    QTest.keyClick(_editor(window), Qt.Key.Key_Backtab)
    assert tree.current_id() == one.id and tree.currentIndex().column() == TITLE
    QTest.keyClick(_editor(window), Qt.Key.Key_Escape)
    assert [(d.title, d.date) for d in section(window, "B").documents][0] == ("Letter of 3 April", "2022-04-03")


def _pick_in_file_dialog(qtbot, chosen: Path, opened_in: list[str]) -> None:
    """When the file dialog opens, note the folder it opened in, then choose ``chosen``."""

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, pick)  # not open yet
            return
        opened_in.append(dialog.directory().absolutePath())
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(chosen))  # typed, as a user may
        dialog.accept()
        if dialog.isVisible():
            dialog.reject()  # never leave the test waiting on the dialog

    QTimer.singleShot(50, pick)


def test_file_dialogs_open_in_the_folder_used_last_else_the_projects(qtbot, window, settings, tmp_path):
    from bundler.gui.prompts import Prompts
    from bundler.gui.settings import Settings

    project_dir, papers = tmp_path / "case", tmp_path / "papers"
    project_dir.mkdir()
    papers.mkdir()
    letter = make_pdf(papers / "Letter.pdf", 1)
    prompts = Prompts(window, settings)  # the real dialogs (the window's own are answered by the tests)
    assert settings.last_folder is None
    opened_in: list[str] = []

    _pick_in_file_dialog(qtbot, letter, opened_in)
    assert prompts.files_to_add(project_dir) == [letter]
    assert opened_in == [str(project_dir)]  # nothing used yet: the project's folder
    assert settings.last_folder == papers

    again = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert again.last_folder == papers  # remembered for the next run

    _pick_in_file_dialog(qtbot, letter, opened_in)
    assert prompts.files_to_add(project_dir) == [letter]
    assert opened_in[-1] == str(papers)  # the folder used last

    saved = project_dir / "AB v CD.bundle.json"
    _pick_in_file_dialog(qtbot, saved, opened_in)
    assert prompts.save_project_as(Path.home() / "AB v CD.bundle.json") == saved
    assert opened_in[-1] == str(papers)  # an untitled bundle is saved where the user last was
    assert settings.last_folder == project_dir

    project_dir.rename(tmp_path / "moved")  # a folder that is gone: back to the project's
    assert prompts.start_folder(papers) == papers


def _gui(env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``bundler gui`` in a child process whose environment has no display unless given one."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update({"PYTHONPATH": str(Path.cwd()), "HOME": str(tmp_path), **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "bundler", "gui"], env=env, capture_output=True, text=True, timeout=120
    )


def test_without_a_usable_x11_platform_the_app_says_what_to_do_not_a_core_dump(tmp_path):
    no_display = _gui({"QT_QPA_PLATFORM": "xcb"}, tmp_path)
    assert no_display.returncode == 1, (no_display.returncode, no_display.stderr)  # not -6 (SIGABRT)
    assert "no display was found (DISPLAY is not set)" in no_display.stderr
    assert "QT_QPA_PLATFORM=" in no_display.stderr
    assert "This application failed to start" not in no_display.stderr  # Qt's own abort never ran

    dead_display = _gui({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":97"}, tmp_path)  # no X server there
    assert dead_display.returncode == 1, (dead_display.returncode, dead_display.stderr)
    said = dead_display.stderr
    assert "could not load its X11 platform plugin (xcb) on display :97" in said
    assert "sudo apt install libxcb-cursor0" in said and "Traceback" not in said
    assert "This application failed to start" not in said


def test_missing_xcb_libraries_are_named_with_their_packages(monkeypatch):
    from bundler.cli import gui_launch

    env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}
    installed = set(gui_launch.XCB_LIBRARIES) - {"libxcb-cursor.so.0", "libxkbcommon-x11.so.0"}
    monkeypatch.setattr(gui_launch, "_loadable", lambda names: installed)  # as on a bare Ubuntu
    said = gui_launch.platform_problem(env, probe=False)
    assert said is not None and "not installed: libxcb-cursor0, libxkbcommon-x11-0." in said
    assert "sudo apt install libxcb-cursor0 libxkbcommon-x11-0" in said
    assert gui_launch.platform_problem({"QT_QPA_PLATFORM": "offscreen"}) is None  # another platform: not checked


def test_a_working_x_display_passes_the_check(tmp_path):
    from bundler.cli.gui_launch import platform_problem

    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    server = subprocess.Popen(
        ["Xvfb", ":93", "-screen", "0", "800x600x24", "-nolisten", "tcp"], stderr=subprocess.DEVNULL
    )
    try:
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env.update({"DISPLAY": ":93", "QT_QPA_PLATFORM": "xcb"})
        for _ in range(50):  # the server takes a moment to listen
            if Path("/tmp/.X11-unix/X93").exists():
                break
            time.sleep(0.1)
        assert platform_problem(env) is None
    finally:
        server.terminate()
        server.wait(10)


def test_word_documents_are_searched_in_their_conversion_else_named_as_not_searched(qtbot, window, answers, tmp_path):
    from tests.pdfs import CORPUS

    window.bundle.options.converter = "builtin"  # no Word or LibreOffice needed
    source = CORPUS / "real-docx" / "blk-paras-and-tables.docx"
    _add(qtbot, window, answers, [source], "B")  # counting its pages converts it (cached)
    (doc,) = section(window, "B").documents
    panel = window.search_panel
    window.search.action.trigger()
    with qtbot.waitSignal(window.search.searched, timeout=30_000) as searched:
        panel.box.setText("facilisis")
        QTest.keyClick(panel.box, Qt.Key.Key_Return)
    assert searched.args[0] == 1 and "semper facilisis metus" in panel.results.topLevelItem(0).text(2)
    assert panel.results.topLevelItem(0).text(0) == f"B1 {doc.title}"

    for cached in window.settings.cache_dir().glob(f"{doc.sha256}.*.pdf"):
        cached.unlink()  # as before any preview, count or build made its PDF
    with qtbot.waitSignal(window.search.searched, timeout=10_000) as searched:
        QTest.keyClick(panel.box, Qt.Key.Key_Return)
    assert searched.args[0] == 0
    assert f"Not searched: {source.name} (Word document not converted yet" in panel.note.text()
