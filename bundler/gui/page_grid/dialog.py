"""Arrange pages…: a document's pages as a grid of thumbnails, each labelled with the
bundle page number it will carry and its page in the file.

Select pages (Ctrl/Shift-click), then delete them (Delete), drag them to another place
(or Ctrl+Left/Right), turn them, or extract them into a new document. Nothing changes in
the bundle until Apply, which makes every change one undoable step; Reset shows every
page of the file again, in order and unturned.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bundler.core.arranging import Arrangement, Extract
from bundler.core.model import Document
from bundler.core.naming import plural
from bundler.gui.page_grid.model import GridPage, PageGridModel
from bundler.gui.page_grid.render import ThumbnailRenderer
from bundler.gui.page_grid.view import GridView

__all__ = ["PageGridDialog"]


class PageGridDialog(QDialog):
    def __init__(
        self,
        doc: Document,
        shown: Arrangement,
        page_count: int,
        numbers: tuple[int | None, str],
        renderer: ThumbnailRenderer | None,
        parent: QWidget | None = None,
    ) -> None:
        """``shown``: the pages filed now; ``numbers``: the document's first bundle page and the prefix."""
        super().__init__(parent)
        self.setWindowTitle(f"Arrange the pages of '{doc.title}'")
        self._doc, self._count = doc, page_count
        self.extracts: list[Extract] = []
        self._turns_extracted: dict[int, int] = {}  # the extracted pages' own turns
        self.ask_title: Callable[[str], str | None] = self._ask_title  # tests answer it
        self.model = PageGridModel(doc.rotation, numbers[0], numbers[1], self)
        self.model.set_pages([GridPage(p, shown.turns.get(p, 0)) for p in shown.order])
        self.view = GridView(self)
        self.view.setModel(self.model)
        self.summary, self.status = QLabel(), QLabel()
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Apply")
        self._make_tools()
        self._lay_out()
        self._connect(renderer)
        self._show_summary()

    # --- building ------------------------------------------------------------------------
    def _tool(self, text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _make_tools(self) -> None:
        self.rotate_left = self._tool(
            "Rotate &left", "Turn the selected pages a quarter turn anticlockwise", self._left
        )
        self.rotate_right = self._tool("Rotate &right", "Turn the selected pages a quarter turn clockwise", self._right)
        self.earlier = self._tool("Move &earlier", "Move the selected pages one place earlier (Ctrl+Left)", self._up)
        self.later = self._tool("Move la&ter", "Move the selected pages one place later (Ctrl+Right)", self._down)
        self.delete = self._tool("&Delete", "Leave the selected pages out of the bundle (Delete)", self.delete_selected)
        self.extract = self._tool(
            "E&xtract to new document…",
            "Make a new document of the selected pages, after this one; they leave this document",
            self.extract_selected,
        )
        self.reset = self._tool("Re&set", "Every page of the file again, in order and unturned", self.reset_pages)

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Each picture shows a page as the bundle will file it, with the bundle page number it will carry. "
            "Select pages, then drag them to a new place, turn, delete or extract them. "
            "Nothing changes until you press Apply, and Undo takes it all back."
        )
        intro.setWordWrap(True)
        tools = QHBoxLayout()
        for button in (self.rotate_left, self.rotate_right, self.earlier, self.later, self.delete, self.extract):
            tools.addWidget(button)
        tools.addStretch(1)
        tools.addWidget(self.reset)
        layout.addWidget(intro)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(900, 640)

    def _connect(self, renderer: ThumbnailRenderer | None) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.view.deletePressed.connect(self.delete_selected)
        self.view.moveRequested.connect(self.move_selected)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        for signal in (self.model.rowsMoved, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(lambda *_: self._show_summary())
        self._renderer = renderer
        if renderer is not None:
            renderer.rendered.connect(self._pictured)
            self.model.wanted.connect(renderer.want)
            renderer.failed.connect(self.status.setText)
            self.finished.connect(lambda _result: renderer.stop())
            renderer.start()
        self._enable()

    def _pictured(self, source: int, image: QImage) -> None:
        self.model.set_picture(source, image)

    # --- what the user does ------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.view.selectionModel().selectedIndexes())

    def select_rows(self, rows: list[int]) -> None:
        """Select ``rows`` (as a click with Ctrl held would)."""
        selection = self.view.selectionModel()
        selection.clear()
        for row in rows:
            selection.select(self.model.index(row), selection.SelectionFlag.Select)
        if rows:
            selection.setCurrentIndex(self.model.index(rows[0]), selection.SelectionFlag.NoUpdate)

    def _left(self) -> None:
        self.model.turn(self.selected_rows(), -90)

    def _right(self) -> None:
        self.model.turn(self.selected_rows(), 90)

    def _up(self) -> None:
        self.move_selected(-1)

    def _down(self) -> None:
        self.move_selected(1)

    def move_selected(self, step: int) -> None:
        """The selected pages (kept together) one place earlier or later."""
        rows = self.selected_rows()
        if not rows or rows != list(range(rows[0], rows[-1] + 1)):
            self.status.setText("Select pages next to each other to move them with the buttons, or drag them.")
            return
        first = rows[0] + step
        if first >= 0 and first + len(rows) <= self.model.rowCount():
            child = first if step < 0 else rows[-1] + 2  # Qt counts the place before the move
            self.model.moveRows(QModelIndex(), rows[0], len(rows), QModelIndex(), child)
            self.select_rows([r + step for r in rows])

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if rows and len(rows) == self.model.rowCount():
            self.status.setText("Keep at least one page. To take the whole document out, remove it in the list.")
        elif rows:
            self.model.remove(rows)
            self.select_rows([min(rows[0], self.model.rowCount() - 1)])  # the next page, ready for the buttons
            self.status.setText(f"{plural(len(rows), 'page')} left out. Apply to file the rest.")

    def extract_selected(self) -> None:
        rows = self.selected_rows()
        if not rows or len(rows) == self.model.rowCount():
            self.status.setText("Select some of the pages (not all) to extract them into a new document.")
            return
        pages = [self.model.pages[r].source for r in rows]
        title = self.ask_title(f"{self._doc.title} (pages {_pages_text(pages)})")
        if title is None or not title.strip():
            return
        taken = self.model.remove(rows)
        self.extracts.append(Extract(title.strip(), [p.source for p in taken]))
        self._turns_extracted.update({p.source: p.turn for p in taken if p.turn})
        self._show_summary()
        self.status.setText(f"{plural(len(taken), 'page')} will make '{title.strip()}' when you apply.")

    def reset_pages(self) -> None:
        self.extracts.clear()
        self._turns_extracted.clear()
        self.model.set_pages([GridPage(p) for p in range(1, self._count + 1)])
        self.status.setText("Every page of the file, in order and unturned.")

    def arrangement(self) -> Arrangement:
        shown = self.model.arrangement()
        return Arrangement(shown.order, shown.turns | self._turns_extracted, list(self.extracts))

    # --- helpers -------------------------------------------------------------------------
    def _ask_title(self, suggested: str) -> str | None:
        text, ok = QInputDialog.getText(self, "Extract to a new document", "Title of the new document:", text=suggested)
        return text if ok else None

    def _enable(self) -> None:
        some = bool(self.selected_rows())
        for button in (self.rotate_left, self.rotate_right, self.earlier, self.later, self.delete, self.extract):
            button.setEnabled(some)

    def _show_summary(self) -> None:
        filed = self.model.rowCount()
        words = [f"{plural(filed, 'page')} of {self._count} will be filed."]
        words += [f"New document '{e.title}': file pages {_pages_text(e.pages)}." for e in self.extracts]
        self.summary.setText(" ".join(words))


def _pages_text(pages: list[int]) -> str:
    """[3, 4, 7] → '3–4, 7' (as the user counts them)."""
    from bundler.core.splitting import selection_text

    return selection_text([p - 1 for p in pages]).replace("-", "–").replace(",", ", ")
