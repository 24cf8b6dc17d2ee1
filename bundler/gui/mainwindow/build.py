"""Build, preflight and detection: the long jobs whose results the side panels show.

A build is checked against the court's rules as soon as it is written; detection fills
the anonymise panel's hits. Each ends in a signal the window (and tests) can follow.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTabWidget

from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import CHANGED_SINCE_ADDED
from bundler.core.errors import BundlerError, PasswordError, SourceError
from bundler.core.fsutil import sha256_file
from bundler.core.naming import format_date, plural
from bundler.core.pdf.passwords import Found, Unencrypted, refused_unasked
from bundler.core.preflight.findings import Preflight
from bundler.core.report import BuildReport
from bundler.gui.anonymise.panel import AnonymisePanel
from bundler.gui.mainwindow.session import Session
from bundler.gui.mainwindow.tasks import TaskRunner
from bundler.gui.preflight_panel import PreflightPanel
from bundler.gui.project.commands import NewVersionCommand
from bundler.gui.workers import Detected, build_job, detect_job, preflight_job

__all__ = ["BuildController"]


class BuildController(QObject):
    bundleBuilt = Signal(object)  # BuildReport: the preview shows the new bundle
    buildFinished = Signal(object)  # BuildReport, or the BundlerError that stopped it
    preflightFinished = Signal(object)  # Preflight, or the error
    detectFinished = Signal(object)  # list[Hit], or the error
    hitsChanged = Signal()  # the anonymise panel's schedule needs redoing
    additionsRequested = Signal(bool)  # confidential? A served bundle's build means its additions

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        ensure_saved: Callable[[], Path | None],
        anonymise: AnonymisePanel,
        preflight: PreflightPanel,
        side: QTabWidget,
        parent: QObject | None = None,
    ) -> None:
        """``ensure_saved`` gives the project file, saving an untitled bundle first (None: not saved)."""
        super().__init__(parent)
        self._session, self._tasks, self._ensure_saved = session, tasks, ensure_saved
        self._anonymise, self._preflight, self._side = anonymise, preflight, side

    # --- build and preflight ----------------------------------------------------------
    def build(self, confidential: bool = False) -> None:
        served = self._session.bundle.served
        if served is not None:  # as the CLI: once served, a build means the additions
            choice = self._session.prompts.frozen_build(format_date(served.date))
            if choice == "additions":
                self.additionsRequested.emit(confidential)
            if choice != "main":
                return
        project = self._ensure_saved()
        if project is None:
            return
        self._check_then_build(project, self._session.build_options(confidential), retried=False)

    def _check_then_build(self, project: Path, options: BuildOptions, retried: bool) -> None:
        # Every protected PDF must open: the sources are checked off this thread (hashing or
        # opening each one would stall the window), then the dialog asks for what is missing.
        self._tasks.start(
            "Checking for protected PDFs",
            self._session.passwords.finder(self._session.bundle, project.parent, options.cache_dir),
            lambda found: self._build_checked(project, options, found, retried),
            self._build_failed,
        )

    def _build_checked(self, project: Path, options: BuildOptions, found: Found, retried: bool) -> None:
        try:
            self._session.passwords.ask(self._session.bundle, found)
        except PasswordError as err:  # the dialog was cancelled: the remedy in the app's words
            self._session.prompts.error(
                PasswordError(err.path, err.problem, "Build again and type its password when asked")
            )
            return
        self._tasks.start(
            "Building the bundle",
            build_job(project, self._session.bundle, options, isolated=self._session.isolate_builds),
            self.show_built,
            lambda err: self._build_stopped(project, options, err, retried),
        )

    def _build_stopped(self, project: Path, options: BuildOptions, err: BundlerError, retried: bool) -> None:
        """The build stopped. At a file the memory of plain files said was not protected (the
        memory was tampered with, or is stale; or a document was pointed at a protected file
        while the check ran on its snapshot): as the command line does (``with_passwords``),
        the memory is dropped and the check done again, once, so the user is asked for it. At
        a source changed since it was added: the user may choose its new version and build on."""
        if not retried and refused_unasked(self._session.bundle, project.parent, err):
            Unencrypted.forget(options.cache_dir)
            self._check_then_build(project, options, retried=True)
            return
        if isinstance(err, SourceError) and err.problem == CHANGED_SINCE_ADDED:
            if self._used_new_version(project, err.path):
                self._check_then_build(project, options, retried)
                return
            err = SourceError(err.path, err.problem, "Look at the new version, then build again and choose to use it")
        self._build_failed(err)

    def _used_new_version(self, project: Path, path: Path) -> bool:
        """A source changed since it was added: the user is asked whether to use its new
        version (an undoable edit of the document), as ``--accept-changed`` does."""
        found = next((d for _, d in self._session.bundle.documents() if project.parent / d.path == path), None)
        if found is None or not self._session.prompts.use_new_version(path.name):
            return False
        try:
            digest = sha256_file(path)
        except OSError:
            return False  # gone or unreadable now: the build says so
        return self._session.push(lambda: NewVersionCommand(self._session.model, found.id, digest))

    def show_built(self, report: BuildReport) -> None:
        """A bundle was built: preview it, say so, and check it against the court's rules."""
        output = self._session.last_output = Path(report.output)
        self._session.say(f"Built {output.name}: {report.pages} pages", 10000)
        self.bundleBuilt.emit(report)
        self.buildFinished.emit(report)
        self._session.prompts.build_done(report)
        self.run_preflight(output)

    def _build_failed(self, err: BundlerError) -> None:
        self.buildFinished.emit(err)
        self._session.explain(err, "Build cancelled: nothing was written, any earlier bundle is untouched.")

    def run_preflight(self, pdf: Path) -> None:
        self._preflight.set_busy(f"Checking {pdf.name} against the court's rules…")
        self._tasks.start("Checking the bundle", preflight_job(pdf), self._checked, self._check_failed)

    def _checked(self, preflight: Preflight) -> None:
        self._preflight.set_preflight(preflight)
        self._side.setCurrentWidget(self._preflight)
        self.preflightFinished.emit(preflight)

    def _check_failed(self, err: BundlerError) -> None:
        self._preflight.clear(str(err))
        self.preflightFinished.emit(err)
        self._session.explain(err, "Preflight cancelled.")

    def open_output_folder(self) -> None:
        output = self._session.last_output
        folder = output.parent if output else self._session.folder()
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # --- detection --------------------------------------------------------------------
    def detect(self) -> None:
        self._anonymise.set_busy(True)
        job = detect_job(self._session.bundle, None, self._session.settings.cache_dir())
        if self._tasks.start("Finding names and identifiers", job, self._detected, self._detect_failed) is None:
            self._anonymise.set_busy(False)

    def _detected(self, detected: Detected) -> None:
        hits = self._session.hits = detected.hits
        self._session.hit_rects = detected.rects
        self._anonymise.set_busy(False)
        self._anonymise.set_hits(hits)
        self._show_hits()
        self.hitsChanged.emit()
        self._session.say(f"Detection found {plural(len(hits), 'place')} to review", 8000)
        self.detectFinished.emit(hits)

    def _show_hits(self) -> None:
        """Detection ran from the toolbar while another panel showed: bring the hits to review forward."""
        self._side.setCurrentWidget(self._anonymise)
        self._anonymise.tabs.setCurrentWidget(self._anonymise.hits_tab)

    def _detect_failed(self, err: BundlerError) -> None:
        self._anonymise.set_busy(False)
        self.detectFinished.emit(err)
        self._session.explain(err, "Detection cancelled.")
