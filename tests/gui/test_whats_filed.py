"""What the app shows before any build is what it will file: pages chosen, turned, numbered."""

from __future__ import annotations

from tests.gui.test_app_flow import section
from tests.pdfs import make_pdf


def _add(qtbot, window, answers, paths, letter: str = "B") -> None:
    window.tree.select_id(section(window, letter).id)
    answers.files = list(paths)
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=30_000):
        window.action_set.add_files.trigger()


def _labels(window) -> list[str]:
    preview = window.preview
    return [preview.thumbnails.index(row).data() for row in range(preview.thumbnails.rowCount())]


def test_preview_shows_chosen_and_turned_pages_with_their_bundle_numbers(qtbot, window, answers, tmp_path):
    _add(qtbot, window, answers, [make_pdf(tmp_path / "a.pdf", 4), make_pdf(tmp_path / "b.pdf", 3)])
    first, second = section(window, "B").documents
    window.tree.select_id(second.id)
    qtbot.waitUntil(lambda: _labels(window) == ["7", "8", "9"], timeout=20_000)  # cover, index, 4 pages of a.pdf

    window.tree.select_id(first.id)
    qtbot.waitUntil(lambda: _labels(window) == ["3", "4", "5", "6"], timeout=20_000)
    answers.pages = "2-3"
    window.action_set.choose_pages.trigger()
    qtbot.waitUntil(lambda: _labels(window) == ["3", "4"], timeout=20_000)

    window.preview.show_page(1)  # bundle page 4 is source page 3
    portrait = window.preview._doc.pagePointSize(1)
    assert portrait.height() > portrait.width()
    window.preview.toolbar.rotate_right.click()
    assert first.page_rotations == {"3": 90}
    qtbot.waitUntil(
        lambda: window.preview._doc.pagePointSize(1).width() > window.preview._doc.pagePointSize(1).height()
    )
    assert window.preview.current_page() == 1  # the page the user turned stays in view
    assert window.statusBar().currentMessage() in ("", "Showing bundle page 4")

    window.action_set.undo.trigger()
    qtbot.waitUntil(
        lambda: window.preview._doc.pagePointSize(1).height() > window.preview._doc.pagePointSize(1).width()
    )
    window.tree.select_id(second.id)
    qtbot.waitUntil(lambda: _labels(window) == ["5", "6", "7"], timeout=20_000)  # renumbered after the choice


def test_preview_is_widest_panels_hide_and_the_layout_is_remembered(qtbot, settings, answers):
    from tests.gui.conftest import open_window

    window = open_window(qtbot, settings, answers)
    sizes = window.splitter.sizes()
    assert sizes[1] > sizes[0] and sizes[1] >= 480  # the page gets room (the side panels can be hidden)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    side = next(a for a in menu.actions() if "side panels" in a.text())
    side.trigger()
    assert not window.side.isVisible()
    thumbs = next(a for a in menu.actions() if "thumbnails" in a.text())
    thumbs.trigger()
    window.close()

    again = open_window(qtbot, settings, answers)
    assert not again.side.isVisible() and not again.preview.strip.isVisible()
    assert again.tree.isVisible()
    menu = next(a.menu() for a in again.menuBar().actions() if a.text() == "&View")
    next(a for a in menu.actions() if "Reset" in a.text()).trigger()
    assert again.side.isVisible() and again.preview.strip.isVisible()


def test_every_file_not_added_is_listed_with_its_reason(qtbot, window, answers, tmp_path):
    empty = tmp_path / "Empty.pdf"
    empty.write_bytes(b"")
    broken = tmp_path / "Broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    window.tree.select_id(section(window, "B").id)
    answers.files = [empty, broken, make_pdf(tmp_path / "good.pdf", 1)]
    with qtbot.waitSignal(window.documentsAdded, timeout=30_000):
        window.action_set.add_files.trigger()
    (error,) = answers.errors
    text = str(error)
    assert "These 2 files were not added" in text and "Empty.pdf" in text and "Broken.pdf" in text
    assert "(s)" not in text and [d.title for d in section(window, "B").documents] == ["good"]
