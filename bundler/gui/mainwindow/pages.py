"""What the preview shows (a document, the built bundle, a hit) and the tree's page counts.

Both need files read off the UI thread: a DOCX or image is converted (and cached)
before it can be previewed, and page counts are probed once per file content.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from bundler.core.anonymise.detect import Hit
from bundler.core.convert.chain import converted_pdf
from bundler.core.model import Document
from bundler.gui.workers import CountItem, page_count_job, preview_job

if TYPE_CHECKING:
    from bundler.gui.mainwindow.window import MainWindow

__all__ = ["PageController"]


class PageController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.preview_doc_id: str | None = None  # None: the preview shows the built bundle (or nothing)
        self._counts: dict[str, int | None] = {}  # page counts by sha256, kept across projects
        self._probing, self._probe_again = False, False
        self._pending_hit: Hit | None = None

    def forget_project(self) -> None:
        self.preview_doc_id, self._pending_hit = None, None

    def show_bundle_page(self, page: int) -> None:
        """Show the built bundle at ``page`` (1-based)."""
        output = self.w.tasks.last_output
        if output is not None and output.is_file():
            self.preview_doc_id = None
            self.w.preview.show_pdf(output, None, page - 1)

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
            self.w.tree.select_id(hit.document_id)  # previews it

    def preview_current(self, force: bool = False) -> None:
        found = self.w.bundle.find_document(self.w.tree.current_id() or "")
        if found is None or (found[1].id == self.preview_doc_id and not force and self._pending_hit is None):
            return
        doc = found[1]
        self.preview_doc_id = doc.id
        cached = Path(doc.path) if doc.kind == "pdf" else converted_pdf(self.w.settings.cache_dir(), doc)
        if cached is not None:
            self._show_document(doc, cached)
            return
        job = preview_job(doc, None, self.w.settings.cache_dir(), self.w.bundle.options.converter)
        self.w.statusBar().showMessage(f"Preparing a preview of {Path(doc.path).name}…", 4000)
        self.w.tasks.start(
            "Preparing the preview",
            job,
            lambda pdf: self._show_document(doc, pdf),
            lambda err: self.w.statusBar().showMessage(str(err), 10000),
            foreground=False,
        )

    def _show_document(self, doc: Document, pdf: Path) -> None:
        if self.preview_doc_id != doc.id:
            return  # the user moved on while it converted
        hit, self._pending_hit = self._pending_hit, None
        if hit is None or hit.document_id != doc.id:
            self.w.preview.show_pdf(pdf, doc.password)
            return
        self.w.preview.show_pdf(pdf, doc.password, hit.page - 1)
        self.w.preview.set_highlights(hit.page, self.w.tasks.hit_rects.get(hit.key, []))

    def probe_pages(self) -> None:
        """Count pages of documents not seen before, off the UI thread; the tree numbers them."""
        docs = [d for _, d in self.w.bundle.documents()]
        self.w.model.set_page_totals({d.id: self._counts.get(d.sha256) for d in docs})
        todo = {
            d.sha256: CountItem(d.sha256, d.kind, Path(d.path), d.password)
            for d in docs
            if d.sha256 not in self._counts
        }
        if not todo or self._probing:
            self._probe_again = self._probe_again or bool(todo)
            return
        self._probing = True
        job = page_count_job(list(todo.values()), self.w.settings.cache_dir(), self.w.bundle.options.converter)
        # Counts are by content, so a result is good whichever project is open by then.
        self.w.tasks.start(
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
            self.w.model.set_page_totals({d.id: self._counts.get(d.sha256) for _, d in self.w.bundle.documents()})
        self.w.pageCountsUpdated.emit()
