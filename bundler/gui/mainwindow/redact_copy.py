"""Export a redacted copy of one document: previewed in the app first, then written, gated.

The copy carries the same review state as the bundle (accepted hits, rejections, boxes),
because it is made by the core's ``redact_document`` from the same project. A Word
source may be exported as an anonymised DOCX as well as a redacted PDF.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from bundler.core.anonymise.terms import anonymise_text, targets_from_register
from bundler.core.build.single import SingleReport, default_redacted_name, find_document, redact_document
from bundler.core.errors import BundlerError
from bundler.core.naming import plural
from bundler.core.progress import Progress
from bundler.gui.mainwindow.session import Session
from bundler.gui.mainwindow.tasks import TaskRunner
from bundler.gui.workers import Job, snapshot

__all__ = ["RedactCopyController"]

PDF_FILTER, DOCX_FILTER = "PDF (*.pdf)", "Word document (*.docx)"


class RedactCopyController(QObject):
    previewReady = Signal(object)  # Path of the redacted copy to show before it is written
    exported = Signal(object)  # SingleReport, or the BundlerError that stopped it

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        ensure_saved: Callable[[], Path | None],
        current_id: Callable[[], str | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._tasks, self._ensure_saved, self._current_id = session, tasks, ensure_saved, current_id
        self._preview_dir = tempfile.TemporaryDirectory(prefix="bundler-redacted-preview-")

    def _job(self, project: Path, doc_id: str, pdf: Path | None, docx: Path | None) -> Job:
        frozen, options = snapshot(self._session.bundle), self._session.build_options()

        def run(progress: Progress) -> SingleReport:
            return redact_document(project, frozen, doc_id, options, pdf_out=pdf, docx_out=docx, progress=progress)

        return run

    def export_current(self) -> None:
        """Redact the selected document into a preview, show it, then ask where to save it."""
        found = self._session.bundle.find_document(self._current_id() or "")
        if found is None:
            self._session.say("Select a document in the tree, then export its redacted copy.", 5000)
            return
        doc = found[1]
        project = self._ensure_saved()
        if project is None:
            return
        preview = Path(self._preview_dir.name) / f"{doc.id}.pdf"
        self._tasks.start(
            "Redacting the document",
            self._job(project, doc.id, preview, None),
            lambda report: self._previewed(project, doc.id, preview, report),
            self._failed,
        )

    def _previewed(self, project: Path, doc_id: str, preview: Path, report: SingleReport) -> None:
        self.previewReady.emit(preview)
        tab, _, doc = find_document(self._session.bundle, doc_id)
        title = anonymise_text(doc.title, targets_from_register(self._session.bundle.register))
        filters = f"{PDF_FILTER};;{DOCX_FILTER}" if doc.kind == "docx" else PDF_FILTER
        suggested = project.parent / default_redacted_name(self._session.bundle, tab, title)
        dst = self._session.prompts.save_file("Export redacted copy", suggested, filters)
        if dst is None:
            self._session.say(f"Not exported: the preview shows {report.tab}'s redacted copy.", 5000)
            return
        word = dst.suffix.lower() == ".docx"
        job = self._job(project, doc_id, None if word else dst, dst if word else None)
        self._tasks.start("Writing the redacted copy", job, self._done, self._failed)

    def _done(self, report: SingleReport) -> None:
        written = Path(report.docx_output or report.output).name
        self._session.say(f"Exported {written}: {plural(len(report.schedule), 'redaction')}, leak gate passed", 10000)
        self.exported.emit(report)

    def _failed(self, err: BundlerError) -> None:
        self._session.explain(err, "Export cancelled; nothing was written.")
        self.exported.emit(err)
