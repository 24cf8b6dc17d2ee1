"""The Court menu: freeze as served, build additions, build in volumes (and, in
``court_files``, the core bundle, exports and cross-references).

Each runs one core call in a worker with the window's progress bar and Cancel; results
and errors reach the user as the build's do. The record of service is an undoable edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QWidget

from bundler.core.errors import ProjectError
from bundler.core.model import Served
from bundler.core.naming import format_date
from bundler.core.report import BuildReport
from bundler.gui.court_dialogs import AdditionsDialog, VolumesDialog
from bundler.gui.mainwindow.court_files import CourtFiles
from bundler.gui.mainwindow.session import Session
from bundler.gui.mainwindow.tasks import TaskRunner
from bundler.gui.project.commands_pages import ServedCommand
from bundler.gui.workers_court import Additions, additions_job, freeze_job, volumes_job

__all__ = ["CourtActions", "CourtController"]


@dataclass
class CourtActions:
    freeze: QAction
    additions: QAction
    volumes: QAction
    core_bundle: QAction
    export: QAction
    xrefs: QAction

    def all(self) -> list[QAction]:
        return [getattr(self, f.name) for f in fields(self)]

    def update_enabled(self, busy: bool, has_docs: bool, served: bool) -> None:
        for action in self.all():
            action.setEnabled(not busy)
        self.freeze.setEnabled(has_docs and not busy)
        self.volumes.setEnabled(has_docs and not busy)
        self.additions.setEnabled(served and not busy)


class CourtController(CourtFiles):
    additionsBuilt = Signal(object)  # BuildReport: shown, and checked, as a build's

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        ensure_saved: Callable[[], Path | None],
        parent: QWidget,
    ) -> None:
        super().__init__(session, tasks, ensure_saved, parent)
        self.served_label = QLabel()
        self.served_label.setVisible(False)
        self.served_label.setContentsMargins(0, 0, 12, 0)  # apart from the page count beside it
        self.served_label.setToolTip("The served pages keep their numbers; later documents go into additions")

    def create_actions(self, make: Callable[..., QAction]) -> CourtActions:
        """``make`` is the window's action factory (text, slot, icon, shortcut, tip)."""
        return CourtActions(
            freeze=make(
                self._window,
                "&Freeze as served…",
                self.freeze,
                "",
                None,
                "Record the bundle as served: later additions never renumber its pages",
            ),
            additions=make(
                self._window,
                "Build &additions…",
                self.build_additions,
                "build",
                None,
                "Build the documents added since service, numbered on from the served pages",
            ),
            volumes=make(
                self._window,
                "Build in &volumes…",
                self.volumes,
                "build",
                None,
                "Split the bundle into files under a page or size limit",
            ),
            core_bundle=make(
                self._window,
                "&Core bundle…",
                self.core_bundle,
                "build",
                None,
                "Chosen documents or pages of the main bundle, keeping its page numbers",
            ),
            export=make(
                self._window,
                "&Export…",
                self.export,
                "save",
                None,
                "The index as DOCX, the page map as CSV or JSON, the N461 claim form",
            ),
            xrefs=make(
                self._window,
                "Check cross-&references…",
                self.xrefs,
                "detect",
                None,
                "Check a skeleton argument's [B/45] references against the built bundle",
            ),
        )

    def fill_menu(self, menu: QMenu, actions: CourtActions) -> None:
        menu.addActions([actions.freeze, actions.additions])
        menu.addSeparator()
        menu.addActions([actions.volumes, actions.core_bundle])
        menu.addSeparator()
        menu.addActions([actions.export, actions.xrefs])

    def refresh(self) -> None:
        """The status bar says when the bundle was served and how many documents came since."""
        served = self._session.bundle.served
        self.served_label.setVisible(served is not None)
        if served is not None:
            late = sum(self._session.model.is_late(d) for _, d in self._session.bundle.documents())
            since = f" · {late} added since" if late else ""
            self.served_label.setText(f"Served {format_date(served.date)}: {served.pages} pages{since}")

    # --- service and additions --------------------------------------------------------
    def freeze(self) -> None:
        served = self._session.bundle.served
        if served is not None and not self._session.prompts.confirm(
            "Freeze as served",
            f"This bundle was already served on {format_date(served.date)}. "
            "Replace that record with another served file?",
        ):
            return
        project = self._ensure_saved()
        if project is None:
            return
        pdf = self._session.prompts.open_file("The bundle as served", self._session.last_output or project.parent)
        if pdf is not None:
            self.run(
                "freeze",
                "Recording the served bundle",
                freeze_job(project, self._session.bundle, pdf),
                self._frozen,
                "Freezing cancelled: the project is unchanged.",
            )

    def _frozen(self, served: Served) -> None:
        self._session.push(lambda: ServedCommand(self._session.model, served))
        self._session.say(
            f"Frozen: {Path(served.file).name}, {served.pages} pages. Save the project to keep the record.", 10000
        )

    def build_additions(self, confidential: bool = False) -> None:
        served = self._session.bundle.served
        if served is None:
            self._session.prompts.error(
                ProjectError(
                    "This bundle has not been served yet. Build it, serve it, then use Court ▸ Freeze as served…"
                )
            )
            return
        project = self._ensure_saved()
        if project is None:
            return
        late = sum(self._session.model.is_late(d) for _, d in self._session.bundle.documents())
        dialog = AdditionsDialog(served, late, self._session.bundle.options.additions, self._window)
        options = self._session.build_options(confidential)
        self.open_dialog(
            dialog,
            lambda: self.run(
                "additions",
                "Building the additions",
                additions_job(project, self._session.bundle, options, dialog.mode()),
                self._additions_built,
                "Build cancelled: nothing was written.",
            ),
        )

    def _additions_built(self, result: Additions) -> None:
        if result.served != self._session.bundle.served:  # a supplementary bundle was counted
            number = result.served.supplements
            self._session.push(
                lambda: ServedCommand(self._session.model, result.served, f"Supplementary bundle {number}")
            )
        self.additionsBuilt.emit(result.report)

    # --- volumes ----------------------------------------------------------------------
    def volumes(self, confidential: bool = False) -> None:
        project = self._ensure_saved()
        if project is None:
            return
        dialog = VolumesDialog(self._window)
        options = self._session.build_options(confidential)
        self.open_dialog(
            dialog,
            lambda: self.run(
                "volumes",
                "Building the volumes",
                volumes_job(project, self._session.bundle, options, *dialog.limits()),
                self._volumes_built,
                "Build cancelled: nothing was written.",
            ),
        )

    def _volumes_built(self, reports: list[BuildReport]) -> None:
        files = [Path(r.output) for r in reports]
        pages = sum(r.pages for r in reports)
        self._session.say(f"Built {len(files)} volumes, {pages} pages in all", 10000)
        self._session.prompts.files_done("Volumes built", f"{len(files)} volumes, {pages} pages in all:", files)
