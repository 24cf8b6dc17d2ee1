"""Court work on files already built: the core bundle, exports, cross-references.

Also the plumbing every Court action shares: a dialog shown without blocking, a job
run in the foreground (progress bar, Cancel), ``workflowFinished`` when it settles.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from bundler.core.errors import BundlerError
from bundler.core.exports.pagemap import find_claim_form
from bundler.core.naming import plural
from bundler.core.report import BuildReport
from bundler.core.xrefs.reference import Reference
from bundler.gui.court_dialogs import CoreBundleDialog, ExportDialog, PdfField
from bundler.gui.mainwindow.session import Session
from bundler.gui.mainwindow.tasks import TaskRunner
from bundler.gui.prompts import PDF_FILTER
from bundler.gui.workers import Job, Task
from bundler.gui.workers_court import Tab, core_bundle_job, export_job, export_path, link_job, ranges_job, xrefs_job
from bundler.gui.xrefs_dialog import SKELETON_FILTER, XrefsDialog

__all__ = ["CourtFiles"]


class CourtFiles(QObject):
    workflowFinished = Signal(str, object)  # Court menu work: its kind, and its result or error

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        ensure_saved: Callable[[], Path | None],
        parent: QWidget,
    ) -> None:
        """``ensure_saved`` gives the project file, saving an untitled bundle first (None: not saved).

        ``parent``, the window, is also the parent of the dialogs this opens.
        """
        super().__init__(parent)
        self._session, self._tasks, self._ensure_saved, self._window = session, tasks, ensure_saved, parent
        self.dialog: QDialog | None = None  # the Court dialog open now, if any
        self.xrefs_dialog: XrefsDialog | None = None

    # --- plumbing ---------------------------------------------------------------------
    def run(
        self,
        kind: str,
        name: str,
        job: Job,
        done: Callable[[Any], None],
        cancelled: str,
        after: Callable[[], None] | None = None,
    ) -> Task | None:
        """Start ``job`` in the foreground; ``workflowFinished(kind, result or error)`` follows."""

        def finished(result: object) -> None:
            done(result)
            self.workflowFinished.emit(kind, result)
            if after is not None:
                after()

        def failed(err: BundlerError) -> None:
            self.workflowFinished.emit(kind, err)
            self._session.explain(err, cancelled)
            if after is not None:
                after()

        task = self._tasks.start(name, job, finished, failed)
        if task is None and after is not None:
            after()  # another task is running: the status bar says so
        return task

    def open_dialog(self, dialog: QDialog, accepted: Callable[[], object]) -> None:
        """Show a Court dialog without blocking; ``accepted`` reads it before it goes."""
        self.dialog = dialog
        dialog.accepted.connect(accepted)
        dialog.finished.connect(lambda _code: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def browse(self, field: PdfField, title: str, filters: str = PDF_FILTER) -> None:
        folder = field.path() or self._session.last_output or self._session.folder()
        path = self._session.prompts.open_file(title, folder, filters)
        if path is not None:
            field.set_path(path)

    # --- core bundle ------------------------------------------------------------------
    def core_bundle(self) -> None:
        project = self._ensure_saved()
        if project is None:
            return
        main = self._session.last_output
        dialog = CoreBundleDialog(main, self._window)
        dialog.main.browseRequested.connect(lambda: self.browse(dialog.main, "The main bundle, as built"))
        dialog.main.pathChanged.connect(lambda path: self._read_tabs(dialog, path))
        self.open_dialog(dialog, lambda: self._build_core(project, dialog))
        self._read_tabs(dialog, main)

    def _read_tabs(self, dialog: CoreBundleDialog, main: Path | None) -> None:
        """The main bundle's documents, read from its bookmarks off the UI thread."""
        if main is None or not main.is_file():
            return

        def show(tabs: list[Tab]) -> None:
            if self.dialog is dialog and dialog.main.path() == main:  # not closed or changed meanwhile
                dialog.set_tabs(main, tabs)

        self._tasks.start("Reading the bundle's index", ranges_job(main), show, foreground=False)

    def _build_core(self, project: Path, dialog: CoreBundleDialog) -> None:
        main, output = dialog.main.path(), Path(dialog.output.text().strip())
        if main is None or not output.name:
            return
        job = core_bundle_job(
            project,
            self._session.bundle,
            main,
            output,
            self._session.settings.cache_dir(),
            dialog.chosen_tabs(),
            dialog.pages.text().strip(),
        )
        self.run("core-bundle", "Building the core bundle", job, self._core_built, "Core bundle cancelled.")

    def _core_built(self, report: BuildReport) -> None:
        self._session.say(f"Built {Path(report.output).name}: {report.pages} pages", 10000)
        self._session.prompts.build_done(report)

    # --- exports ----------------------------------------------------------------------
    def export(self) -> None:
        project = self._ensure_saved()
        if project is None:
            return
        dialog = ExportDialog(self._session.last_output, find_claim_form(self._session.bundle), self._window)
        dialog.bundle_pdf.browseRequested.connect(lambda: self.browse(dialog.bundle_pdf, "The built bundle"))
        self.open_dialog(dialog, lambda: self._export(project, dialog))

    def _export(self, project: Path, dialog: ExportDialog) -> None:
        pdf, kinds = dialog.bundle_pdf.path(), dialog.chosen()
        if pdf is None or not kinds:
            self._session.prompts.error(BundlerError("Nothing exported: choose the built bundle and what to export."))
            return
        wanted = {kind: export_path(pdf, kind) for kind in kinds}
        job = export_job(project, self._session.bundle, pdf, wanted, dialog.confidential.isChecked())
        self.run("export", "Exporting", job, self._exported, "Export cancelled: the files written so far stay.")

    def _exported(self, files: list[Path]) -> None:
        self._session.prompts.files_done("Exported", f"{plural(len(files), 'file')} written beside the bundle:", files)

    # --- cross-references -------------------------------------------------------------
    def xrefs(self) -> None:
        dialog = self.xrefs_dialog
        if dialog is None:
            dialog = self.xrefs_dialog = XrefsDialog(self._session.last_output, self._window)
            dialog.skeleton.browseRequested.connect(
                lambda: self.browse(dialog.skeleton, "The skeleton argument", SKELETON_FILTER)
            )
            dialog.bundle_pdf.browseRequested.connect(lambda: self.browse(dialog.bundle_pdf, "The built bundle"))
            dialog.checkRequested.connect(self._check_references)
            dialog.linkRequested.connect(self._link_references)
        elif dialog.bundle_pdf.path() is None:
            dialog.bundle_pdf.set_path(self._session.last_output)
        if dialog.isVisible():
            dialog.raise_()  # already open behind the window: bring it forward
        dialog.show()

    def _check_references(self, skeleton: Path | None, bundle_pdf: Path | None) -> None:
        dialog = self.xrefs_dialog
        assert dialog is not None
        if skeleton is None or bundle_pdf is None:
            self._session.prompts.error(BundlerError("Choose the skeleton argument and the built bundle it cites."))
            return
        dialog.set_busy(True)
        self.run(
            "xrefs",
            "Checking cross-references",
            xrefs_job(skeleton, bundle_pdf),
            lambda refs: self._checked(skeleton, bundle_pdf, refs),
            "Check cancelled.",
            lambda: dialog.set_busy(False),
        )

    def _checked(self, skeleton: Path, bundle_pdf: Path, refs: list[Reference]) -> None:
        assert self.xrefs_dialog is not None
        self.xrefs_dialog.set_references(skeleton, bundle_pdf, refs)

    def _link_references(self) -> None:
        dialog = self.xrefs_dialog
        if dialog is None or dialog.checked is None:
            return
        skeleton, bundle_pdf = dialog.checked
        dst = self._session.prompts.save_file(
            "Save the linked skeleton", skeleton.with_name(f"{skeleton.stem} - linked.pdf")
        )
        if dst is None:
            return
        if dst.resolve() == skeleton.resolve():
            self._session.prompts.error(BundlerError("Choose another name: the skeleton itself is kept as it is."))
            return
        refs = list(dialog.model.references)
        self.run(
            "link",
            "Linking the references",
            link_job(skeleton, bundle_pdf, refs, dst),
            lambda made: self._linked(dst, made),
            "Linking cancelled.",
        )

    def _linked(self, dst: Path, made: object) -> None:
        count = int(str(made))
        verb = "opens the bundle at the page it cites" if count == 1 else "open the bundle at the page they cite"
        text = f"{plural(count, 'reference')} in {dst.name} now {verb}."
        self._session.prompts.files_done("Linked copy saved", text, [dst])
