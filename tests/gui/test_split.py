"""Split at pages… on the real window: the dialog shows the parts as the pages are typed,
the split makes several documents of one source (each its own title and date), boxes go
with their pages, undo joins them again, and the built bundle files the parts."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from bundler.core.anonymise.register import add_box
from bundler.gui.split_dialog import SplitDialog
from tests.pdfs import outline_pypdf

from .test_app_flow import section
from .test_workflows import build, open_project, project_with


def _column(dialog: SplitDialog, column: int) -> list[str]:
    return [dialog.parts.item(row, column).text() for row in range(dialog.parts.rowCount())]


def _fill(dialog: SplitDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.parts.rowCount() == 0
    QTest.keyClicks(dialog.starts, "11")
    assert "pages 2 to 10" in dialog.problem.text() and not ok.isEnabled()
    dialog.starts.clear()
    QTest.keyClicks(dialog.starts, "4, 8")
    assert ok.isEnabled() and dialog.problem.text() == ""
    assert _column(dialog, 0) == ["1–3", "4–7", "8–10"]
    assert _column(dialog, 1) == ["Letters (part 1)", "Letters (part 2)", "Letters (part 3)"]
    assert _column(dialog, 2) == ["11 Aug 2019"] * 3
    dialog.parts.item(0, 1).setText("Letter to the Home Office")
    dialog.parts.item(1, 1).setText("Reply")
    dialog.parts.item(1, 2).setText("1 Sep 2019")
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_split_at_pages_makes_documents_undoably_and_files_them(qtbot, window, tmp_path):
    open_project(qtbot, window, project_with(tmp_path, [("Letters", 10, "C")]))
    letters = section(window, "C").documents[0]
    letters.date, letters.date_source = "2019-08-11", "typed"  # as the user typed it
    box = add_box(window.bundle, letters.id, 9, (10, 10, 60, 60), "signature")
    window.tree.select_id(letters.id)
    assert window.action_set.split.isEnabled()
    opened: list[SplitDialog] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SplitDialog)
        opened.append(dialog)
        _fill(dialog)

    QTimer.singleShot(0, run)
    window.action_set.split.trigger()
    assert opened
    parts = section(window, "C").documents
    assert [(p.title, p.pages, p.date) for p in parts] == [
        ("Letter to the Home Office", "1-3", "2019-08-11"),
        ("Reply", "4-7", "2019-09-01"),
        ("Letters (part 3)", "8-10", "2019-08-11"),
    ]
    assert [window.model.ranges[p.id] for p in parts] == [(3, 5), (6, 9), (10, 12)]  # the tree's bundle pages
    assert box.document_id == parts[2].id

    window.action_set.undo.trigger()
    assert [(d.title, d.pages) for d in section(window, "C").documents] == [("Letters", "")]
    assert window.bundle.register.boxes[0].document_id == letters.id
    window.action_set.redo.trigger()
    assert [d.title for d in section(window, "C").documents] == [p.title for p in parts]

    reader = PdfReader(build(qtbot, window).output)
    marks = [(title, page) for depth, title, page in outline_pypdf(reader) if depth == 1]
    assert marks == [
        ("C1. Letter to the Home Office (11 Aug 2019) - 3", 3),
        ("C2. Reply (1 Sep 2019) - 6", 6),
        ("C3. Letters (part 3) (11 Aug 2019) - 10", 10),
    ]
    assert len(reader.pages) == 12
