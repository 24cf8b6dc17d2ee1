"""More of what a paralegal met on a first run, each driven on the real window: a section selected
leaves no document on show."""

from __future__ import annotations

from tests.gui.test_app_flow import section
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
