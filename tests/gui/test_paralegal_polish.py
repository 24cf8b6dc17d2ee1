"""More of what a paralegal met on a first run, each driven on the real window: a section selected
leaves no document on show; a person's variant can carry its own replacement."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.gui.test_app_flow import new_from_template, section
from tests.gui.test_paralegal_flow import _letter


def test_selecting_a_section_clears_the_previous_document(qtbot, window, answers, tmp_path):
    _letter(qtbot, window, answers, tmp_path, [["Page one."], ["Page two."]])
    letter = section(window, "C").documents[0]
    window.tree.select_id(letter.id)
    qtbot.waitUntil(lambda: window.preview.page_count() == 2, timeout=20_000)
    window.tree.select_id(section(window, "F").id)
    assert window.preview.current_path() is None
    assert window.preview.page_count() == 0
    assert window.preview.thumbnails.rowCount() == 0
    assert window.preview.toolbar.count.text() == "of 0"
    assert "Select a document" in window.preview.message()
    assert window.pages.preview_doc_id is None


def test_the_add_person_form_takes_a_variants_own_replacement(qtbot, window):
    new_from_template(qtbot, window, case_name="R (FK) v Wessex Police", short_name="FK v Wessex", claim_no="AC-2")
    dialog = window.anonymise.register_tab.ask_person()
    qtbot.keyClicks(dialog.name, "Farida Khanum")
    qtbot.keyClicks(dialog.pseudonym, "Aisha")
    assert "=" in dialog.variants.placeholderText()  # the form says how
    dialog.variants.setPlainText("Mrs Khanum = the claimant\nFarida")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    person = window.bundle.register.people[-1]
    assert person.variants == ["Mrs Khanum", "Farida"]
    assert person.variant_replacements == {"Mrs Khanum": "the claimant"}
    model = window.anonymise.register_tab.table.model()
    shown = [model.index(row, 2).data() for row in range(model.rowCount())]
    assert "Mrs Khanum = the claimant, Farida" in shown
    window.stack.undo()
    assert not [p for p in window.bundle.register.people if p.name == "Farida Khanum"]


def test_arrange_pages_on_a_section_says_what_to_select(qtbot, window, answers, tmp_path):
    _letter(qtbot, window, answers, tmp_path, [["Page one."]])
    window.tree.select_id(section(window, "F").id)
    grid = window.page_grid.action
    assert grid.isEnabled()  # not greyed out: it explains instead (Ctrl+G, Edit menu, the list's menu)
    opened: list[object] = []
    window.page_grid.dialogOpened.connect(opened.append)
    grid.trigger()  # a disabled action would do nothing, as before
    assert window.statusBar().currentMessage() == "Select a document in the list to arrange its pages."
    assert not opened


def test_a_box_drawn_asks_its_reason_offering_the_last_one(qtbot, window, answers, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

    from bundler.gui.prompts import Prompts

    _letter(qtbot, window, answers, tmp_path, [["Page one."], ["Page two."]])
    letter = section(window, "C").documents[0]
    window.tree.select_id(letter.id)
    qtbot.waitUntil(lambda: window.preview.page_count() == 2, timeout=20_000)
    window.prompts.box_reason = Prompts.box_reason.__get__(window.prompts)  # the real dialog, not the stand-in
    offered: list[str] = []

    def answer(typed: str | None, key: Qt.Key = Qt.Key.Key_Return) -> None:
        def run() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, QInputDialog)
            offered.append(dialog.textValue())
            line = dialog.findChild(QLineEdit)
            if typed is not None:
                line.selectAll()
                QTest.keyClicks(line, typed)
            QTest.keyClick(line, key)

        QTimer.singleShot(0, run)

    answer("signature of a neighbour")
    window.preview.boxDrawn.emit(1, (70.0, 700.0, 200.0, 730.0))
    answer(None)  # Enter: the same reason again
    window.preview.boxDrawn.emit(2, (70.0, 600.0, 200.0, 630.0))
    answer(None, Qt.Key.Key_Escape)  # cancelled: no box
    window.preview.boxDrawn.emit(2, (70.0, 500.0, 200.0, 530.0))
    assert offered == ["", "signature of a neighbour", "signature of a neighbour"]
    boxes = window.bundle.register.boxes
    assert [(b.page, b.reason) for b in boxes] == [(1, "signature of a neighbour"), (2, "signature of a neighbour")]
    assert window.statusBar().currentMessage() == "No box added."


def _mean_rgb(widget) -> tuple[float, float, float]:
    image = widget.grab().toImage()
    pixels = [image.pixelColor(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)]
    n = len(pixels)
    return (sum(p.red() for p in pixels) / n, sum(p.green() for p in pixels) / n, sum(p.blue() for p in pixels) / n)


def test_box_mode_is_plain_to_see_and_esc_stops_it(qtbot, window, answers, tmp_path):
    from PySide6.QtTest import QTest

    from bundler.gui.mainwindow.box_mode import BOX_MODE_LINE

    _letter(qtbot, window, answers, tmp_path, [["Page one."]])
    window.tree.select_id(section(window, "C").documents[0].id)
    qtbot.waitUntil(lambda: window.preview.page_count() == 1, timeout=20_000)
    button, line = window.anonymise.box_mode, window.preview_frame.line
    assert not line.isVisible()
    off = _mean_rgb(button)
    button.click()
    assert window.preview.overlay.box_mode() and line.isVisible() and line.text() == BOX_MODE_LINE
    assert line.geometry().bottom() <= window.preview.geometry().top()  # over the preview, not on the page
    on = _mean_rgb(button)
    assert on[0] - on[1] > 60 and off[0] - off[1] < 20, (on, off)  # a red button, not a shade darker grey
    QTest.keyClick(window.preview.overlay, Qt.Key.Key_Escape)
    assert not button.isChecked() and not window.preview.overlay.box_mode() and not line.isVisible()


def test_the_date_column_is_as_wide_as_the_dates_shown(qtbot, window, answers, tmp_path):
    from PySide6.QtGui import QFont, QFontMetrics

    from bundler.gui.project.model import DATE

    _letter(qtbot, window, answers, tmp_path, [["Page one."]])
    tree, guessed = window.tree, section(window, "C").documents[-1]
    assert guessed.date_is_guess, guessed
    italic = QFont(tree.font())
    italic.setItalic(True)
    shown = tree.model().index(
        tree.model().index_of(guessed.id).row(), DATE, tree.model().index_of(guessed.id).parent()
    )
    assert shown.data().endswith("(guess)")
    assert tree.columnWidth(DATE) >= QFontMetrics(italic).horizontalAdvance(shown.data())  # the guess unclipped
    tree.setFocus()
    tree.select_id(guessed.id)
    window.action_set.confirm_date.trigger()
    assert not guessed.date_is_guess and not shown.data().endswith("(guess)")
    plain = tree.fontMetrics().horizontalAdvance
    assert plain(shown.data()) <= tree.columnWidth(DATE) < plain("00 Mmm 0000 (guess)")  # no room kept for a guess


def test_the_new_bundle_dialog_marks_what_it_needs_in_plain_words(qtbot, window):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

    from bundler.gui.dialogs import NewBundleDialog

    seen: dict[str, object] = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewBundleDialog)
        rows = dialog.form.rows
        labels = []
        for row in range(rows.rowCount()):
            item = rows.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                labels.append(item.widget().text().replace("&", ""))
        cover = dialog.form.own_cover.path
        seen.update(
            labels=labels,
            note=dialog.form.required_note.isVisible() and dialog.form.required_note.text(),
            cover_room=cover.width() - 12 - cover.fontMetrics().horizontalAdvance(cover.placeholderText()),
            create=dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled(),
        )
        dialog.reject()

    QTimer.singleShot(0, look)
    window.action_set.new.trigger()
    labels = seen["labels"]
    assert "Case name *:" in labels and "Claim number *:" in labels, labels
    assert "Word documents:" in labels and not any("DOCX" in label for label in labels), labels
    assert isinstance(seen["note"], str) and seen["note"].startswith("* Required")
    assert seen["cover_room"] >= 0, seen  # the own cover's placeholder is not cut off
    assert seen["create"] is False


def test_after_a_build_no_document_stays_highlighted(qtbot, window, answers, tmp_path):
    from pathlib import Path

    from tests.gui.test_app_flow import BUILD_TIMEOUT

    _letter(qtbot, window, answers, tmp_path, [["Page one."]])
    letter = section(window, "C").documents[0]
    window.tree.select_id(letter.id)
    qtbot.waitUntil(lambda: window.pages.preview_doc_id == letter.id, timeout=20_000)
    answers.save_as = tmp_path / "case.bundle.json"
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    report = built.args[0]
    assert window.preview.current_path() == Path(report.output).absolute()
    assert window.tree.current_id() is None and not window.tree.selectionModel().selectedRows()
    window.tree.select_id(letter.id)  # a click on the document shows it again
    qtbot.waitUntil(lambda: window.pages.preview_doc_id == letter.id, timeout=20_000)


def test_after_deleting_pages_in_the_grid_the_next_page_is_selected(qtbot, window, tmp_path):
    from PySide6.QtTest import QTest

    from tests.gui.test_page_grid import _in_grid, _open_five

    _open_five(qtbot, window, tmp_path)

    def drive(dialog) -> None:
        dialog.select_rows([1, 2])
        QTest.mouseClick(dialog.delete, Qt.MouseButton.LeftButton)
        assert [p.source for p in dialog.model.pages] == [1, 4, 5]
        assert dialog.selected_rows() == [1]  # page 4 took their place, selected
        assert dialog.delete.isEnabled() and dialog.rotate_right.isEnabled()
        dialog.select_rows([2])
        QTest.mouseClick(dialog.delete, Qt.MouseButton.LeftButton)  # the last page: the one before it is selected
        assert dialog.selected_rows() == [1] and dialog.delete.isEnabled()

    _in_grid(qtbot, window, drive)


def test_search_results_take_in_a_document_added_after_the_search(qtbot, window, answers, tmp_path):
    from PySide6.QtTest import QTest

    from tests.gui.test_app_flow import text_pdf

    _letter(qtbot, window, answers, tmp_path, [["A zebra in the first letter."]])
    panel = window.search_panel
    window.search.action.trigger()
    with qtbot.waitSignal(window.search.searched, timeout=30_000):
        QTest.keyClicks(panel.box, "zebra")
    assert panel.hit_count() == 1
    answers.files = [text_pdf(tmp_path / "Reply.pdf", [["Another zebra in the reply."]])]
    window.tree.select_id(section(window, "C").id)
    with qtbot.waitSignal(window.search.searched, timeout=30_000, check_params_cb=lambda n: n == 2):
        window.action_set.add_files.trigger()
    assert panel.hit_count() == 2


def test_a_refused_date_is_explained_beside_the_cell(qtbot, window, answers, tmp_path):
    from PySide6.QtWidgets import QToolTip

    from tests.core.test_dates import with_creation_date
    from tests.gui.test_dates_words import _add, _open_editor, _type

    _add(qtbot, window, answers, [with_creation_date(tmp_path / "letter.pdf", "D:20220403101500")])
    (doc,) = section(window, "C").documents
    editor = _open_editor(qtbot, window, doc)
    _type(qtbot, editor, "31 Apr 2022")
    assert QToolTip.isVisible() and "that month has no day 31" in QToolTip.text()
    tip = next(w for w in QApplication.topLevelWidgets() if w.inherits("QTipLabel"))
    below = editor.mapToGlobal(editor.rect().bottomLeft())
    assert abs(tip.y() - below.y()) < 40 and abs(tip.x() - below.x()) < 40  # next to the cell typed in


def test_the_index_tab_highlights_the_document_selected_in_the_tree(qtbot, window, answers, tmp_path):
    _letter(qtbot, window, answers, tmp_path, [["Page one."]])
    letter = section(window, "C").documents[0]
    window.side.setCurrentWidget(window.index_tab)
    qtbot.waitUntil(lambda: any(window.index_tab.item_id(n) == letter.id for n in range(20)), timeout=10_000)
    window.tree.select_id(letter.id)
    rows = window.index_tab.rows
    current = rows.currentItem()
    assert current is not None and window.index_tab.item_id(rows.indexOfTopLevelItem(current)) == letter.id
    assert current.isSelected()
    with qtbot.waitSignal(window.index_tab.refreshed, timeout=10_000):
        window.index_tab.schedule()  # rows made again: the highlight stays
    current = rows.currentItem()
    assert current is not None and window.index_tab.item_id(rows.indexOfTopLevelItem(current)) == letter.id
