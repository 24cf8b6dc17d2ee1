"""Search: find a word in the text of every document and jump to the page it is on.

Each document's text is read once, off the UI thread (``page_texts``, cached by file
content), so typing a second word searches at once. A Word document is searched in its
converted PDF when a preview, page count or build has made one; until then it is
skipped and the panel says so. Images carry no text. A hit shows its document, the
bundle page it will be filed on and the words around it; double-clicking it shows that
page in the preview (``PageController.show_source_page``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bundler.core.convert.chain import converted_pdf
from bundler.core.errors import BundlerError, ProjectError
from bundler.core.model import Document
from bundler.core.pdf.sources import parse_page_selection
from bundler.core.progress import Progress
from bundler.core.search import TextHit, find_text, page_texts, query_rects
from bundler.gui.mainwindow.pages import PageController
from bundler.gui.mainwindow.session import Session
from bundler.gui.mainwindow.tasks import TaskRunner
from bundler.gui.workers import Job, source_path

__all__ = ["SearchPanel", "SearchController", "text_job", "TextItem"]

_DOC, _PAGE, _TEXT = range(3)
_HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchPanel(QWidget):
    """A search box, the hits (document, page, words around), and a note on what was skipped."""

    searchRequested = Signal(str)
    hitActivated = Signal(str, int)  # document id, 1-based source page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QLineEdit(placeholderText="Search the text of every document…", clearButtonEnabled=True)
        self.box.setAccessibleName("Search the documents")
        self.results = QTreeWidget()
        self.results.setAccessibleName("Search results")
        self.results.setColumnCount(3)
        self.results.setHeaderLabels(["Document", "Bundle page", "Text"])
        header = self.results.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(_PAGE, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(_DOC, self.fontMetrics().horizontalAdvance("C12 A document title here"))
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.note = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (self.box, self.results, self.note):
            layout.addWidget(widget)
        self._timer = QTimer(self, singleShot=True, interval=300)  # search once typing pauses
        self._timer.timeout.connect(lambda: self.searchRequested.emit(self.box.text()))
        self.box.textChanged.connect(lambda _text: self._timer.start())
        self.box.returnPressed.connect(self._search_now)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._activated)  # one click jumps, as a hit in the Hits tab does
        self.results.itemDoubleClicked.connect(self._activated)

    def _search_now(self) -> None:
        self._timer.stop()
        self.searchRequested.emit(self.box.text())

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        doc_id, page = item.data(_DOC, _HIT_ROLE)
        self.hitActivated.emit(str(doc_id), int(page))

    def show_hits(self, rows: list[tuple[TextHit, str, str]], note: str) -> None:
        """``rows``: each hit with its document's name ("B1 Letter") and where it is filed."""
        self.results.clear()
        items = []
        for hit, document, where in rows:
            item = QTreeWidgetItem([document, where, _from_the_hit(hit)])
            item.setData(_DOC, _HIT_ROLE, (hit.document_id, hit.page))
            item.setToolTip(_TEXT, hit.snippet)
            items.append(item)
        self.results.addTopLevelItems(items)
        self.note.setText(note)

    def hit_count(self) -> int:
        return self.results.topLevelItemCount()


def _from_the_hit(hit: TextHit, before: int = 12) -> str:
    """The words found near the start of the narrow Text column; the tooltip has the whole snippet."""
    if hit.start <= before:
        return hit.snippet
    space = hit.snippet.find(" ", hit.start - before, hit.start)  # start at a word
    return "…" + hit.snippet[space + 1 if space >= 0 else hit.start - before :]


@dataclass(frozen=True)
class TextItem:
    key: str  # the text cache key: the source's sha256 (and the converter for a DOCX)
    pdf: Path
    password: str | None = None


def text_job(items: list[TextItem], cache_dir: Path) -> Job:
    """Each PDF's page texts by key; a file that cannot be read gives its message instead."""

    def run(progress: Progress) -> dict[str, list[str] | str]:
        progress.stage("Reading the documents' text", len(items))
        found: dict[str, list[str] | str] = {}
        for item in items:
            if progress.cancelled():
                break
            try:
                found[item.key] = page_texts(item.pdf, item.password, cache_dir, item.key)
            except BundlerError as err:
                found[item.key] = str(err)
            progress.advance()
        return found

    return run


class SearchController(QObject):
    """Reads the texts the search needs (once), searches them, and jumps to a hit."""

    searched = Signal(int)  # hits shown (tests wait for it)

    def __init__(
        self, session: Session, tasks: TaskRunner, panel: SearchPanel, pages: PageController, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._session, self._tasks, self._panel, self._pages = session, tasks, panel, pages
        self._texts: dict[str, list[str] | str] = {}  # by TextItem.key, kept across projects
        self._query = ""
        self._reading = False
        panel.searchRequested.connect(self.search)
        panel.hitActivated.connect(self.show_hit)
        self.action = QAction("Searc&h the documents…", self)
        self.action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.action.setStatusTip("Find words in the text of every document and go to their pages")
        self.action.triggered.connect(lambda _checked=False: self.focus())

    def install(self, menu_bar: QMenuBar, after: QAction, side: QTabWidget, show_side: Callable[[], None]) -> None:
        """Into the Edit menu, after ``after`` (Find names and identifiers); it opens ``side``'s
        Search tab, showing the side panels first (``show_side``) if they were hidden."""
        self._side, self._show_side = side, show_side
        for menu_action in menu_bar.actions():
            menu = menu_action.menu()
            if isinstance(menu, QMenu) and after in menu.actions():
                actions = menu.actions()
                following = actions[actions.index(after) + 1] if actions.index(after) + 1 < len(actions) else None
                menu.insertAction(following, self.action) if following else menu.addAction(self.action)
        menu_bar.window().addAction(self.action)

    def focus(self) -> None:
        """Show the Search tab (and the side panels, if hidden) with the cursor in the box."""
        side = getattr(self, "_side", None)
        if isinstance(side, QTabWidget):
            if not side.isVisible():
                self._show_side()
            side.setCurrentWidget(self._panel)
        self._panel.box.setFocus()
        self._panel.box.selectAll()

    def search(self, query: str) -> None:
        self._query = query
        if not query.strip():
            self._panel.show_hits([], "")
            self.searched.emit(0)
            return
        items, _skipped = self._items()
        todo = [i for i in items.values() if i.key not in self._texts]
        if not todo:
            self._show()
        elif not self._reading:
            self._reading = True
            started = self._tasks.start(
                "Reading the documents' text",
                text_job(todo, self._session.settings.cache_dir()),
                self._read,
                self._failed,
                any_project=True,  # texts are by content: good for any project
            )
            self._reading = started is not None
            if started is None:
                self._show()  # something else is running: search what has been read so far

    def refresh(self) -> None:
        """After an edit (a retitle, pages chosen, a move, documents added), search again: names
        and bundle pages change, and a new document's text is read first. Only while the results
        are on show."""
        if self._query.strip() and not self._reading and self._panel.isVisible():
            self.search(self._query)

    def show_hit(self, doc_id: str, page: int) -> None:
        """Find where the words are on the page (off the UI thread), then show it highlighted."""
        items, _skipped = self._items()
        item = items.get(doc_id)
        query = self._query
        started = None
        if item is not None:
            started = self._tasks.start(
                "Finding the words on the page",
                lambda _progress: query_rects(item.pdf, item.password, page, query),
                lambda rects: self._pages.show_source_page(doc_id, page, list(rects)),
                lambda _err: self._pages.show_source_page(doc_id, page),
                any_project=False,
            )
        if started is None:
            self._pages.show_source_page(doc_id, page)  # busy elsewhere: the page without a highlight

    def _read(self, texts: dict[str, list[str] | str]) -> None:
        self._texts.update(texts)
        self._reading = False
        self.search(self._query)  # the query may have changed meanwhile

    def _failed(self, err: BundlerError) -> None:
        self._reading = False
        self._session.say(str(err), 10000)

    def _items(self) -> tuple[dict[str, TextItem], list[str]]:
        """What to read for each document id, and a note for each document that cannot be searched."""
        cache = self._session.settings.cache_dir()
        items, skipped = {}, []
        for _, doc in self._session.bundle.documents():
            name = Path(doc.path).name
            if doc.kind == "pdf":
                items[doc.id] = TextItem(doc.sha256, source_path(doc, None), doc.password)
            elif doc.kind == "docx" and (pdf := converted_pdf(cache, doc)) is not None:
                items[doc.id] = TextItem(pdf.stem, pdf)
            elif doc.kind == "docx":
                skipped.append(f"{name} (Word document not converted yet: preview it or build first)")
            else:
                skipped.append(f"{name} (a picture has no text to search)")
        return items, skipped

    def _show(self) -> None:
        items, skipped = self._items()
        texts: dict[str, list[str]] = {}
        for doc_id, item in items.items():
            found = self._texts.get(item.key)
            if isinstance(found, list):
                texts[doc_id] = found
            elif isinstance(found, str):
                skipped.append(found)
        hits = find_text(texts, self._query)
        rows = [(hit, *self._where(hit)) for hit in hits]
        count = f"{len(hits)} place{'s' if len(hits) != 1 else ''} found" + (
            " (the first 500)" if len(hits) >= 500 else ""
        )
        note = count + ("" if not skipped else ". Not searched: " + "; ".join(skipped))
        self._panel.show_hits(rows, note)
        self.searched.emit(len(hits))

    def _where(self, hit: TextHit) -> tuple[str, str]:
        """The document as the index names it ("C2 Letter") and the bundle page the hit is on."""
        found = self._session.bundle.find_document(hit.document_id)
        if found is None:
            return "", f"p. {hit.page}"
        section, doc = found
        tab = f"{section.letter}{section.documents.index(doc) + 1}"
        return f"{tab} {doc.title}", _bundle_page(self._session, doc, hit.page)


def _bundle_page(session: Session, doc: Document, page: int) -> str:
    """Where source page ``page`` will be filed ("12"), or why it is not ("p. 3, not included")."""
    known = session.model.ranges.get(doc.id)
    total = session.model.page_totals.get(doc.id)
    if known is None or total is None:
        return f"p. {page}"
    try:
        chosen = parse_page_selection(doc.pages, total, Path(doc.path).name)
    except ProjectError:
        return f"p. {page}"
    if page - 1 not in chosen:
        return f"p. {page}, not included"
    return f"{session.bundle.options.page_prefix}{known[0] + chosen.index(page - 1)}"
