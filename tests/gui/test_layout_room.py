"""On a laptop-sized window every panel gets its share: the side panels' buttons wrap rather
than squeezing the documents list until section names are cut off."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QSplitter

from bundler.gui.mainwindow.layout import DEFAULT_SHARES
from bundler.gui.project.tree import TITLE
from tests.gui.conftest import open_window


def test_documents_preview_and_panels_get_their_shares_at_1600_wide(qtbot, settings):
    window = open_window(qtbot, settings)
    window.resize(1600, 1000)
    qtbot.wait(200)
    splitter = next(s for s in window.findChildren(QSplitter) if s.count() == 3)
    sizes = splitter.sizes()
    total = sum(sizes)
    for size, share in zip(sizes, DEFAULT_SHARES, strict=True):
        assert abs(size / total - share) < 0.04, (sizes, DEFAULT_SHARES)
    tree = window.tree
    bold = QFont(tree.font())
    bold.setBold(True)  # a section's row is drawn bold, after the branch arrow and the folder icon
    text = QFontMetrics(bold).horizontalAdvance("C   Pre-action correspondence")  # as the model shows it
    width = text + tree.indentation() + tree.iconSize().width() + 24  # margins and spacing, as drawn under X11
    assert tree.columnWidth(TITLE) >= width, (tree.columnWidth(TITLE), width)
