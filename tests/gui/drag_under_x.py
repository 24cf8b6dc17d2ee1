"""Run under a real X server (``xvfb-run``) by test_page_grid: a real mouse drag in the grid.

The offscreen platform ends every drag at once, so the drop path of QListView (which calls
the model's ``moveRows``) can only be driven through a platform with a drag loop. Prints
the pages' order after dragging page 5 in front of page 1.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bundler.gui.page_grid.model import GridPage, PageGridModel
from bundler.gui.page_grid.view import GridView


def main() -> None:
    app = QApplication([])
    model = PageGridModel(0, 3, "")
    model.set_pages([GridPage(n) for n in range(1, 6)])
    view = GridView()
    view.setModel(model)
    view.resize(900, 400)
    view.show()
    QTest.qWaitForWindowExposed(view)
    window, viewport = view.window().windowHandle(), view.viewport()
    start = viewport.mapTo(view, view.visualRect(model.index(4)).center())
    end = viewport.mapTo(view, view.visualRect(model.index(0)).topLeft() + QPoint(3, 30))

    def drop() -> None:  # runs inside the drag's own event loop
        for step in range(1, 8):
            QTest.mouseMove(window, start + (end - start) * step / 7)
            QTest.qWait(30)
        QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)

    QTimer.singleShot(300, drop)
    QTimer.singleShot(10_000, app.quit)  # never hang the test
    view.setCurrentIndex(model.index(4))
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):  # past the drag distance: the drag starts, and drop() ends it
        QTest.mouseMove(window, start - QPoint(10 * step, 0))
        QTest.qWait(20)
    QTest.qWait(500)
    print(json.dumps([page.source for page in model.pages]))


if __name__ == "__main__":
    main()
