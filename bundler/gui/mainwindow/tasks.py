"""Background work and what the window shows of it: build, preflight and detection.

One foreground task at a time drives the progress bar and Cancel; page counting
and preview conversions (``mainwindow_pages``) run quietly beside it. Results of a project that was
closed meanwhile are dropped (each task remembers the project it belongs to).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices

from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.highlight import Rect
from bundler.core.build.context import BuildOptions
from bundler.core.errors import BundlerError, Cancelled, LeakError, SourceError
from bundler.core.naming import format_date
from bundler.core.preflight.findings import Preflight
from bundler.core.report import BuildReport
from bundler.gui.workers import Detected, Job, Task, build_job, detect_job, preflight_job

if TYPE_CHECKING:
    from bundler.gui.mainwindow.window import MainWindow

__all__ = ["TaskController"]


class TaskController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.hits: list[Hit] = []
        self.hit_rects: dict[str, list[Rect]] = {}  # by hit key, found by the detection worker
        self.last_output: Path | None = None
        self._running: list[Task] = []
        self._foreground: Task | None = None
        self._generation = 0  # bumped when another project is shown

    # --- running tasks ----------------------------------------------------------------
    def busy(self) -> bool:
        return self._foreground is not None

    def start(
        self,
        name: str,
        job: Job,
        done: Callable[[object], None],
        failed: Callable[[BundlerError], None] | None = None,
        foreground: bool = True,
        any_project: bool = False,
    ) -> Task | None:
        """Run ``job`` off the UI thread; ``done``/``failed`` run on the UI thread afterwards.

        Results for a project that is no longer shown are dropped unless ``any_project``.
        Foreground jobs may use PDFium (one at a time, under its lock); background ones must not.
        """
        if foreground and self._foreground is not None:
            self.w.statusBar().showMessage(f"Please wait: {self._foreground.name.lower()} is still running.", 5000)
            return None
        task = Task(name, job, self, pdfium=foreground)
        generation = None if any_project else self._generation
        task.succeeded.connect(lambda result: self._settle(task, generation, done, result))
        task.failed.connect(lambda err: self._settle(task, generation, failed or self.w.prompts.error, err))
        task.finished.connect(lambda: self._finished(task))
        self._running.append(task)
        if foreground:
            self._show_progress(task)
        task.start()
        return task

    def _show_progress(self, task: Task) -> None:
        self._foreground = task
        task.progress.stageStarted.connect(self._stage)
        task.progress.advanced.connect(lambda steps: self.w.progress.setValue(self.w.progress.value() + steps))
        self.w.progress.setRange(0, 0)
        self.w.progress.setVisible(True)
        self.w.cancel_button.setVisible(True)
        self.w.statusBar().showMessage(f"{task.name}…")
        self.w.actions.update_enabled(self.w)

    def _stage(self, name: str, total: int) -> None:
        self.w.progress.setRange(0, max(total, 0))
        self.w.progress.setValue(0)
        self.w.statusBar().showMessage(f"{name}…")

    def _settle(self, task: Task, generation: int | None, handler: Callable[[object], None], value: object) -> None:
        if self._foreground is task:
            self._foreground = None
            self.w.progress.setVisible(False)
            self.w.cancel_button.setVisible(False)
            self.w.statusBar().clearMessage()
            self.w.actions.update_enabled(self.w)
        if generation in (None, self._generation):
            handler(value)

    def _finished(self, task: Task) -> None:
        if task in self._running:
            self._running.remove(task)
        task.deleteLater()

    def cancel(self) -> None:
        if self._foreground is not None:
            self._foreground.cancel()
            self.w.statusBar().showMessage("Cancelling…")

    def shutdown(self) -> None:
        """Stop everything and wait: no thread may outlive the window."""
        for task in list(self._running):
            task.cancel()
        for task in list(self._running):
            task.wait()

    def forget_project(self) -> None:
        self._generation += 1
        for task in list(self._running):
            task.cancel()
        self.hits, self.hit_rects, self.last_output = [], {}, None

    # --- build and preflight ----------------------------------------------------------
    def build_options(self, confidential: bool = False) -> BuildOptions:
        return BuildOptions(cache_dir=self.w.settings.cache_dir(), confidential=confidential)

    def build(self, confidential: bool = False) -> None:
        served = self.w.bundle.served
        if served is not None:  # as the CLI: once served, a build means the additions
            choice = self.w.prompts.frozen_build(format_date(served.date))
            if choice == "additions":
                self.w.court.build_additions(confidential)
            if choice != "main":
                return
        project = self.w.files.ensure_saved_location()
        if project is None:
            return
        self.start(
            "Building the bundle",
            build_job(project, self.w.bundle, self.build_options(confidential)),
            self.show_built,
            self._build_failed,
        )

    def show_built(self, report: BuildReport) -> None:
        """A bundle was built: preview it, say so, and check it against the court's rules."""
        self.last_output = Path(report.output)
        self.w.pages.forget_unknown_counts()
        self.w.statusBar().showMessage(f"Built {self.last_output.name}: {report.pages} pages", 10000)
        self.w.pages.show_bundle_page(1)
        self.w.buildFinished.emit(report)
        self.w.prompts.build_done(report)
        self.run_preflight(self.last_output)

    def _build_failed(self, err: BundlerError) -> None:
        self.w.buildFinished.emit(err)
        self.explain(err, "Build cancelled: nothing was written, any earlier bundle is untouched.")

    def explain(self, err: BundlerError, cancelled: str) -> None:
        """Show ``err``, with the document it is about selected in the tree."""
        if isinstance(err, Cancelled):
            self.w.statusBar().showMessage(cancelled, 8000)
            return
        culprit = None
        if isinstance(err, SourceError):
            culprit = next((d.id for _, d in self.w.bundle.documents() if Path(d.path) == err.path), None)
        elif isinstance(err, LeakError) and err.document_ids:
            culprit = err.document_ids[0]  # where the leak gate found a protected name
        if culprit is not None:
            self.w.tree.select_id(culprit)
        self.w.prompts.error(err)

    def run_preflight(self, pdf: Path) -> None:
        self.w.preflight.set_busy(f"Checking {pdf.name} against the court's rules…")
        self.start("Checking the bundle", preflight_job(pdf), self._checked, self._check_failed)

    def _checked(self, preflight: Preflight) -> None:
        self.w.preflight.set_preflight(preflight)
        self.w.side.setCurrentWidget(self.w.preflight)
        self.w.preflightFinished.emit(preflight)

    def _check_failed(self, err: BundlerError) -> None:
        self.w.preflight.clear(str(err))
        self.w.preflightFinished.emit(err)
        self.explain(err, "Preflight cancelled.")

    def open_output_folder(self) -> None:
        folder = self.last_output.parent if self.last_output else (self.w.project.parent if self.w.project else None)
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # --- detection --------------------------------------------------------------------
    def detect(self) -> None:
        self.w.anonymise.set_busy(True)
        job = detect_job(self.w.bundle, None, self.w.settings.cache_dir())
        if self.start("Finding names and identifiers", job, self._detected, self._detect_failed) is None:
            self.w.anonymise.set_busy(False)

    def _detected(self, detected: Detected) -> None:
        hits = self.hits = detected.hits
        self.hit_rects = detected.rects
        self.w.anonymise.set_busy(False)
        self.w.anonymise.set_hits(hits)
        self.w.refresh_panels()
        self.w.statusBar().showMessage(f"Detection found {len(hits)} place(s) to review", 8000)
        self.w.detectFinished.emit(hits)

    def _detect_failed(self, err: BundlerError) -> None:
        self.w.anonymise.set_busy(False)
        self.w.detectFinished.emit(err)
        self.explain(err, "Detection cancelled.")
