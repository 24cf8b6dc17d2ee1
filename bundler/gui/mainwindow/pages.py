"""What the preview shows (a document, the built bundle, a hit) and the tree's page counts.

Both need files read off the UI thread: a DOCX or image is converted (and cached)
before it can be previewed, and page counts are probed once per file content.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, Signal

from bundler.core.anonymise.basis import drawn_on
from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.highlight import Rect
from bundler.core.anonymise.terms import targets_fingerprint, targets_from_register
from bundler.core.build.preview import PlannedPages
from bundler.core.model import Document
from bundler.core.report import BuildReport
from bundler.gui.mainwindow.session import Session
from bundler.gui.mainwindow.tasks import TaskRunner
from bundler.gui.preview.view import PreviewPane
from bundler.gui.project.tree import ProjectTree
from bundler.gui.workers import CountItem, page_count_job, preview_job

__all__ = ["PageController"]


class PageController(QObject):
    pageCountsUpdated = Signal()
    # The preview's page-level requests, with the document previewed (None: the built bundle)
    # document id, 1-based page, (x0, y0, x1, y1), the rendering it was drawn on (a DOCX's; else None)
    boxDrawn = Signal(object, int, object, object)
    rotateRequested = Signal(object, int, int)  # document id, 1-based page, degrees clockwise

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        preview: PreviewPane,
        tree: ProjectTree,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._tasks, self._preview, self._tree = session, tasks, preview, tree
        self.preview_doc_id: str | None = None  # None: the preview shows the built bundle (or nothing)
        self._counts: dict[str, int | None] = {}  # page counts by sha256, kept across projects
        self._probing, self._probe_again = False, False
        self._pending_hit: Hit | None = None
        self._pending_page: tuple[str, int, list[Rect]] | None = None  # a search hit: document, page, where
        self._source_pages: tuple[int, ...] = ()  # the source page each preview page shows
        self._planned: Path | None = None  # the file showing the document as filed
        self.basis: str | None = None  # the rendering shown (a DOCX's), which a box drawn on it records
        self._plain: str | None = None  # the plain conversion's rendering (an old box's, drawn without a basis)
        self._fingerprint = ""  # the register's targets the DOCX shown was anonymised with
        self._asked = 0  # previews asked for: only the latest is shown (an older one may finish last)

    def forget_project(self) -> None:
        self.preview_doc_id, self._pending_hit, self._source_pages, self._planned = None, None, (), None
        self._pending_page, self.basis = None, None

    def show_source_page(self, doc_id: str, page: int, rects: list[Rect] | None = None) -> None:
        """Show source page ``page`` (1-based) of a document where the preview shows it, with
        ``rects`` (source page points) highlighted: a search hit."""
        if self._session.bundle.find_document(doc_id) is None:
            return
        if self.preview_doc_id == doc_id and self._source_pages:
            self._show_source(page, rects or [])
            return
        self._pending_page = (doc_id, page, rects or [])
        if self._tree.current_id() == doc_id:
            self.preview_current(force=True)
        else:
            self._tree.select_id(doc_id)  # previews it

    def _show_source(self, page: int, rects: list[Rect]) -> None:
        if page not in self._source_pages:
            self._session.say(f"Page {page} of this document is not included in the bundle.", 6000)
        self._preview.show_page(self.preview_page(page) - 1)
        if page in self._source_pages:
            self._preview.set_highlights(self.preview_page(page), rects)

    def bundle_built(self, _report: BuildReport) -> None:
        """Every DOCX was converted for the build: count again, and show the new bundle."""
        self.forget_unknown_counts()
        self.show_bundle_page(1)

    def box_drawn(self, page: int, rect: object) -> None:
        self.boxDrawn.emit(self.preview_doc_id, self.source_page(page), rect, self.basis)

    def rotate_requested(self, page: int, degrees: int) -> None:
        self.rotateRequested.emit(self.preview_doc_id, self.source_page(page), degrees)

    def show_bundle_page(self, page: int) -> None:
        """Show the built bundle at ``page`` (1-based), with no document left highlighted in the
        tree (which would say the preview shows that document)."""
        output = self._session.last_output
        if output is not None and output.is_file():
            self.preview_doc_id, self._source_pages, self.basis = None, (), None
            self._tree.clearSelection()
            self._tree.setCurrentIndex(QModelIndex())
            self._preview.show_pdf(output, None, page - 1)

    def forget_unknown_counts(self) -> None:
        """After a build every DOCX is converted: count again what was unknown."""
        self._counts = {sha: n for sha, n in self._counts.items() if n is not None}
        self.probe_pages()

    def show_hit(self, hit: Hit) -> None:
        """Show the hit's page of its document, with the hit highlighted."""
        self._pending_hit = hit
        if self.preview_doc_id == hit.document_id:
            self.preview_current(force=True)
        else:
            self._tree.select_id(hit.document_id)  # previews it

    def preview_current(self, force: bool = False) -> None:
        """Show the tree's current document as the bundle will file it (pages, turns, numbers)."""
        current = self._tree.current_id()
        found = self._session.bundle.find_document(current or "")
        if found is None:
            if current is not None:
                self._clear_preview()  # a section: no document of it stays on show
            return
        if found[1].id == self.preview_doc_id and not force and self._pending_hit is None:
            return
        doc = found[1]
        if doc.id != self.preview_doc_id:
            self._source_pages = ()
        self.preview_doc_id = doc.id
        known = self._session.model.ranges.get(doc.id)
        numbers = (known[0] if known else None, self._session.bundle.options.page_prefix)
        settings, converter = self._session.settings, self._session.bundle.options.converter
        register = self._session.bundle.register
        self._fingerprint = targets_fingerprint(targets_from_register(register))
        job = preview_job(doc, None, settings.cache_dir(), converter, numbers, register)
        self._asked += 1
        asked = self._asked
        if doc.kind != "pdf":
            self._session.say(f"Preparing a preview of {Path(doc.path).name}…", 4000)
        self._tasks.start(
            "Preparing the preview",
            job,
            lambda planned: self._show_document(doc, planned) if asked == self._asked else None,
            lambda err: self._session.say(str(err), 10000),
            foreground=False,
        )

    def register_changed(self) -> None:
        """A Word document is shown anonymised: show it again when what is replaced changed."""
        found = self._session.bundle.find_document(self.preview_doc_id or "")
        fingerprint = targets_fingerprint(targets_from_register(self._session.bundle.register))
        if found is not None and found[1].kind == "docx" and fingerprint != self._fingerprint:
            self.refresh_preview()
        self.show_boxes()

    def _clear_preview(self) -> None:
        """Show no page (the pane says to select a document), so nothing stale is left on show."""
        self.preview_doc_id, self._source_pages, self._planned, self.basis = None, (), None, None
        self._pending_hit, self._pending_page = None, None
        self._preview.show_pdf(None)

    def refresh_preview(self) -> None:
        """An edit may have turned, chosen or moved pages: show the document as it now stands."""
        if self.preview_doc_id is not None and self._session.bundle.find_document(self.preview_doc_id):
            self.preview_current(force=True)

    def _show_document(self, doc: Document, planned: PlannedPages) -> None:
        if self.preview_doc_id != doc.id:
            return  # the user moved on while it was prepared
        hit, self._pending_hit = self._pending_hit, None
        wanted, self._pending_page = self._pending_page, None
        same = self._source_pages and self._preview.current_path() is not None
        here = self._preview.current_page() if same else 0
        self._source_pages, self._planned, self.basis = planned.source_pages, planned.pdf, planned.basis
        self._plain = planned.plain
        if wanted is not None and wanted[0] == doc.id:
            self._preview.show_pdf(planned.pdf, None, self.preview_page(wanted[1]) - 1)
            self._show_source(wanted[1], wanted[2])
            self.show_boxes()
            return
        if hit is None or hit.document_id != doc.id:
            self._preview.show_pdf(planned.pdf, None, here)
        else:
            page = self.preview_page(hit.page)
            self._preview.show_pdf(planned.pdf, None, page - 1)
            self._preview.set_highlights(page, self._session.hit_rects.get(hit.key, []))
        self.show_boxes()

    def show_boxes(self) -> None:
        """Show the previewed document's hand-drawn boxes on the pages that file them."""
        shown: dict[int, list[tuple[str, Rect]]] = {}
        planned = None if self._planned is None else Path(os.path.abspath(self._planned))  # as the preview keys it
        on_show = planned is not None and self._preview.current_path() == planned
        stale = []
        for box in self._session.bundle.register.boxes if on_show else []:
            if box.document_id == self.preview_doc_id and box.page in self._source_pages:
                shown.setdefault(self._source_pages.index(box.page) + 1, []).append((box.id, box.rect))
                if self.basis is not None and not drawn_on(box, self.basis, self._plain or ""):
                    stale.append(box.page)
        self._preview.set_boxes(shown)
        if stale:
            self._session.say(
                f"The box on page {min(stale)} was drawn on an earlier version of these pages (names were"
                " replaced since, and the text moved): check it, and move it or draw it again. The public"
                " build refuses it until then.",
                15000,
            )

    def source_page(self, page: int) -> int:
        """The source page (1-based) shown as preview page ``page`` (1-based)."""
        pages = self._source_pages
        return pages[page - 1] if self.preview_doc_id is not None and 0 < page <= len(pages) else page

    def preview_page(self, source_page: int) -> int:
        """Where source page ``source_page`` shows in the preview (the first page if left out)."""
        pages = self._source_pages
        return pages.index(source_page) + 1 if source_page in pages else 1

    def probe_pages(self) -> None:
        """Count pages of documents not seen before, off the UI thread; the tree numbers them."""
        docs = [d for _, d in self._session.bundle.documents()]
        self._session.model.set_page_totals({d.id: self._counts.get(d.sha256) for d in docs})
        todo = {
            d.sha256: CountItem(d.sha256, d.kind, Path(d.path), d.password)
            for d in docs
            if d.sha256 not in self._counts
        }
        if not todo or self._probing:
            self._probe_again = self._probe_again or bool(todo)
            return
        self._probing = True
        job = page_count_job(
            list(todo.values()), self._session.settings.cache_dir(), self._session.bundle.options.converter
        )
        # Counts are by content, so a result is good whichever project is open by then.
        self._tasks.start(
            "Counting pages",
            job,
            self._counted,
            lambda err: self._counted({}),
            foreground=False,
            any_project=True,
        )

    def _counted(self, counts: dict[str, int | None]) -> None:
        self._counts.update(counts)
        self._probing, again = False, self._probe_again
        self._probe_again = False
        if again:
            self.probe_pages()
        else:
            self._session.model.set_page_totals(
                {d.id: self._counts.get(d.sha256) for _, d in self._session.bundle.documents()}
            )
        self.pageCountsUpdated.emit()
