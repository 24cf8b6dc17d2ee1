"""What a paralegal trying the app met: detection run from the toolbar brings its hits forward,
one click on a search result shows that page (as one click on a hit does), and a cancelled
password is explained without the command line's words."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from bundler.gui.password_dialog import PasswordDialog
from tests.gui.test_app_flow import BUILD_TIMEOUT, new_from_template, section, text_pdf


def _letter(qtbot, window, answers, tmp_path, lines: list[list[str]]) -> None:
    new_from_template(qtbot, window, case_name="R (AB) v Wessex Police", short_name="AB v Wessex", claim_no="AC-1")
    answers.files = [text_pdf(tmp_path / "Letter.pdf", lines)]
    window.tree.select_id(section(window, "C").id)
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=30_000):
        window.action_set.add_files.trigger()


def test_detection_from_the_toolbar_shows_the_hits_to_review(qtbot, window, answers, tmp_path):
    _letter(qtbot, window, answers, tmp_path, [["The claimant lives at 14 Elm Road, SW1A 1AA."]])
    window.side.setCurrentWidget(window.search_panel)  # the user was searching
    window.anonymise.tabs.setCurrentWidget(window.anonymise.register_tab)
    with qtbot.waitSignal(window.detectFinished, timeout=BUILD_TIMEOUT):
        window.action_set.detect.trigger()
    assert window.side.currentWidget() is window.anonymise
    assert window.anonymise.tabs.currentWidget() is window.anonymise.hits_tab
    tab = window.anonymise.hits_tab
    assert tab.proxy.rowCount() >= 1
    qtbot.wait(50)
    # What was found is on screen without scrolling sideways: the Text column starts inside the table
    text_column = tab.model.columns.index("Text")
    room = tab.table.viewport().width() - tab.table.columnViewportPosition(text_column)
    assert room >= tab.table.fontMetrics().horizontalAdvance("SW1A 1AA") + 8, room


def test_one_click_on_a_search_result_shows_its_page(qtbot, window, answers, tmp_path):
    pages = [
        ["Front page."],
        ["Nothing here."],
        ["Nothing to see in the first words of this line, but a zebra is here."],
    ]
    _letter(qtbot, window, answers, tmp_path, pages)
    letter = section(window, "C").documents[0]
    window.tree.select_id(letter.id)
    qtbot.waitUntil(lambda: window.pages.preview_doc_id == letter.id, timeout=20_000)
    assert window.preview.current_page() == 0
    panel = window.search_panel
    window.search.action.trigger()
    with qtbot.waitSignal(window.search.searched, timeout=30_000):
        QTest.keyClicks(panel.box, "zebra")
    assert panel.hit_count() == 1
    item = panel.results.topLevelItem(0)
    shown = item.text(2)  # the word found shows in the narrow column, not cut off after the words before it
    assert shown.startswith("…") and shown.index("zebra") <= 14, shown
    assert "this line, but a zebra is here." in item.toolTip(2)
    QTest.mouseClick(
        panel.results.viewport(), Qt.MouseButton.LeftButton, pos=panel.results.visualItemRect(item).center()
    )
    qtbot.waitUntil(lambda: window.preview.current_page() == 2, timeout=20_000)


def test_a_cancelled_password_is_explained_in_the_apps_words(qtbot, window, answers, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    locked = tmp_path / "Protected letter.pdf"
    shutil.copyfile(corpus / "real-pdfs" / "libreoffice-writer-password.pdf", locked)
    monkeypatch.setattr(PasswordDialog, "exec", lambda dialog: int(QDialog.DialogCode.Rejected))
    answers.files = [locked]
    window.tree.select_id(section(window, "C").id)
    window.action_set.add_files.trigger()
    qtbot.waitUntil(lambda: bool(answers.errors), timeout=30_000)
    said = str(answers.errors[0])
    assert "'Protected letter.pdf' is password-protected" in said
    assert "--password" not in said and "type its password" in said, said
    assert not section(window, "C").documents


def test_a_drawn_box_is_listed_in_the_register_by_its_document_not_an_internal_id(qtbot, window, answers, tmp_path):
    _letter(qtbot, window, answers, tmp_path, [["Front page."], ["Signed: Jane Doe"]])
    letter = section(window, "C").documents[0]
    window.edits.add_box(letter.id, 2, (72.0, 700.0, 200.0, 720.0))
    model = window.anonymise.register_tab.model
    (row,) = [r for r in range(model.rowCount()) if model.index(r, 0).data() == "Box"]
    assert model.index(row, 1).data() == "Page 2 of Letter"
    assert model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole) == "A box drawn on page 2 of Letter"
    window.tree.select_id(letter.id)
    window.tree.edit(window.tree.currentIndex())  # renamed: the register follows
    editor = window.tree.focusWidget()
    editor.setText("Letter before claim")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.index(row, 1).data() == "Page 2 of Letter before claim", timeout=5_000)


def test_the_index_tabs_page_and_pages_columns_say_which_is_which(window):
    header = window.index_tab.rows.headerItem()
    page, pages = (header.text(c) for c in (3, 4))
    assert (page, pages) == ("Page", "Pages")
    assert "printed index" in header.toolTip(3) and "starts" in header.toolTip(3)
    assert "Every page" in header.toolTip(4)
