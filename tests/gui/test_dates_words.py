"""Issue 14 in the real window: dates typed in any form, guesses confirmed, words a lawyer reads,
and progress with counts and time left."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from bundler.core.assets import font_path
from bundler.core.ocr.recognise import find_tesseract
from bundler.core.report import BuildReport
from bundler.gui.project.model import DATE
from tests.conftest import require
from tests.core.test_dates import with_creation_date
from tests.gui.test_app_flow import BUILD_TIMEOUT, section
from tests.pdfs import make_pdf


def _add(qtbot, window, answers, paths, letter: str = "C") -> None:
    window.tree.select_id(section(window, letter).id)
    answers.files = list(paths)
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=30_000):
        window.action_set.add_files.trigger()


def _date_cell(window, doc):
    return window.model.index_of(doc.id, DATE)


def _open_editor(qtbot, window, doc) -> QLineEdit:
    window.tree.setFocus()
    window.tree.edit(_date_cell(window, doc))
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    return editor


def _type(qtbot, editor: QLineEdit, text: str, key=Qt.Key.Key_Return) -> None:
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, key)


def test_a_guessed_date_is_shown_as_a_guess_and_a_typo_is_kept_and_explained(qtbot, window, answers, tmp_path):
    said: list[str] = []
    window.session.message.connect(lambda text, _ms: said.append(text))
    _add(qtbot, window, answers, [with_creation_date(tmp_path / "letter.pdf", "D:20220403101500")])
    (doc,) = section(window, "C").documents
    assert any("its date was guessed (shown in italics)" in text for text in said), said
    cell = _date_cell(window, doc)
    assert (doc.date, doc.date_source) == ("2022-04-03", "metadata")
    assert cell.data() == "3 Apr 2022 (guess)"
    assert cell.data(Qt.ItemDataRole.FontRole).italic()
    assert "PDF's properties" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "not used in the bundle" in cell.data(Qt.ItemDataRole.ToolTipRole)

    editor = _open_editor(qtbot, window, doc)
    assert editor.text() == "3 Apr 2022"  # the app's own display form, which the editor takes back
    _type(qtbot, editor, "31 Apr 2022")
    assert window.tree.state() == QAbstractItemView.State.EditingState  # still open ...
    assert editor.text() == "31 Apr 2022"  # ... with what was typed
    assert "that month has no day 31" in said[-1]
    assert "that month has no day 31" in editor.toolTip()
    assert (doc.date, doc.date_source) == ("2022-04-03", "metadata")  # nothing changed
    QApplication.sendEvent(editor, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.MouseFocusReason))
    assert window.tree.state() == QAbstractItemView.State.EditingState and editor.text() == "31 Apr 2022"

    _type(qtbot, editor, "03/04/2022")  # day first
    qtbot.waitUntil(lambda: window.tree.state() != QAbstractItemView.State.EditingState)
    assert (doc.date, doc.date_source) == ("2022-04-03", "typed")  # the same date, now confirmed
    assert cell.data() == "3 Apr 2022" and not cell.data(Qt.ItemDataRole.FontRole)
    window.action_set.undo.trigger()
    assert (doc.date, doc.date_source) == ("2022-04-03", "metadata") and "guess" in cell.data()
    window.action_set.redo.trigger()
    assert doc.date_source == "typed"

    for typed, iso in (("3 April 2021", "2021-04-03"), ("2020-05-06", "2020-05-06"), ("7 Aug 2019", "2019-08-07")):
        _type(qtbot, _open_editor(qtbot, window, doc), typed)
        qtbot.waitUntil(lambda iso=iso: doc.date == iso)
    assert cell.data() == "7 Aug 2019"
    assert not answers.errors  # nothing went to a modal error box


def test_confirm_date_keeps_a_file_name_guess_undoably(qtbot, window, answers, tmp_path):
    _add(qtbot, window, answers, [make_pdf(tmp_path / "2022-04-03 Letter before claim.pdf")])
    (doc,) = section(window, "C").documents
    assert (doc.date, doc.date_source, doc.filed_date) == ("2022-04-03", "filename", "2022-04-03")
    cell = _date_cell(window, doc)
    assert "guess" in cell.data() and "file name" in cell.data(Qt.ItemDataRole.ToolTipRole)
    window.tree.select_id(doc.id)
    assert window.action_set.confirm_date.isEnabled()
    window.action_set.confirm_date.trigger()
    assert doc.date_source == "typed" and cell.data() == "3 Apr 2022"
    assert window.stack.undoText() == "Confirm 1 date"
    window.action_set.undo.trigger()
    assert doc.date_source == "filename"
    window.action_set.redo.trigger()
    assert doc.date_source == "typed"


def _scanned_pdf(path: Path, pages: int) -> Path:
    """A PDF of page images only (a scan): no text layer until OCR gives it one."""
    font = ImageFont.truetype(str(font_path("DejaVuSerif")), 40)
    images = []
    for n in range(1, pages + 1):
        image = Image.new("L", (1240, 1754), 255)
        ImageDraw.Draw(image).text((120, 200), f"Scanned letter page {n} about the appeal", font=font, fill=0)
        images.append(image)
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150.0)
    return path


def test_ocr_progress_counts_pages_and_says_time_left_and_preflight_reads_as_english(qtbot, window, answers, tmp_path):
    require(find_tesseract() is not None, "Tesseract (tesseract-ocr)")
    _add(qtbot, window, answers, [_scanned_pdf(tmp_path / "2019-06-05 Scanned letters.pdf", 5)], "D")
    said: list[str] = []
    window.tasks.progressText.connect(said.append)
    answers.save_as = tmp_path / "case.bundle.json"
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    assert isinstance(built.args[0], BuildReport), built.args[0]
    assert any("OCR gave 5 pages a text layer" in n for n in built.args[0].notes)
    ocr = [s for s in said if s.startswith("OCR: page ")]
    assert [s.split(" — ")[0] for s in ocr][:1] == ["OCR: page 1 of 5"] and "OCR: page 5 of 5" in ocr
    assert any(re.fullmatch(r"OCR: page [3-5] of 5 — (a few seconds|about \d+ (s|min)) left", s) for s in ocr), ocr
    assert any(re.fullmatch(r"Merging documents: page \d+ of \d+( — .* left)?", s) for s in said), said

    qtbot.waitUntil(lambda: window.preflight.findings.topLevelItemCount() > 0, timeout=BUILD_TIMEOUT)
    shown = [
        window.preflight.findings.topLevelItem(i).text(0) for i in range(window.preflight.findings.topLevelItemCount())
    ]
    assert any(s.startswith("How the bundle opens: ") for s in shown)
    assert not [s for s in shown if re.search(r"open-action|link-zoom|metadata-author|/[A-Z][a-z]+|\(s\)", s)]


def test_tab_goes_from_the_title_to_its_date_then_to_the_next_title(qtbot, window, answers, tmp_path):
    _add(qtbot, window, answers, [make_pdf(tmp_path / "a.pdf"), make_pdf(tmp_path / "b.pdf")])
    first, second = section(window, "C").documents
    window.tree.setFocus()
    window.tree.edit(window.model.index_of(first.id))
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    title = QApplication.focusWidget()
    _type(qtbot, title, "Letter before claim", Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: window.tree.currentIndex() == _date_cell(window, first))
    date = QApplication.focusWidget()
    assert isinstance(date, QLineEdit) and date is not title and first.title == "Letter before claim"
    _type(qtbot, date, "3 Apr 2022", Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: window.tree.currentIndex() == window.model.index_of(second.id))
    assert (first.date, first.date_source) == ("2022-04-03", "typed")
    assert window.tree.state() == QAbstractItemView.State.EditingState  # the next title, ready to type
