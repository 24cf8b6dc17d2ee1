"""The main window: the project tree, the page preview, and the anonymise and preflight panels.

It lays widgets out and wires them to its controllers (files, edits, pages, build,
Court, background tasks). Each gets the ``Session`` and the widgets it needs, never
the window; they talk to each other only through the signals connected here. None
holds business logic: that is all in ``bundler.core``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from bundler.core.anonymise.review import planned_schedule
from bundler.core.model import Bundle, CaseDetails
from bundler.core.templates import new_bundle
from bundler.gui.anonymise.panel import AnonymisePanel
from bundler.gui.autosave import AutoSaver
from bundler.gui.icons import icon
from bundler.gui.mainwindow.actions import Actions, Controllers, create_actions
from bundler.gui.mainwindow.box_mode import BoxModeFrame
from bundler.gui.mainwindow.build import BuildController
from bundler.gui.mainwindow.court import CourtController
from bundler.gui.mainwindow.edit import EditController
from bundler.gui.mainwindow.files import FileController, write_project
from bundler.gui.mainwindow.index_tab import IndexTab
from bundler.gui.mainwindow.layout import LayoutController
from bundler.gui.mainwindow.move_section import MoveToSection
from bundler.gui.mainwindow.page_grid import PageGridController
from bundler.gui.mainwindow.pages import PageController
from bundler.gui.mainwindow.redact_copy import RedactCopyController
from bundler.gui.mainwindow.search import SearchController, SearchPanel
from bundler.gui.mainwindow.session import Session
from bundler.gui.mainwindow.tasks import TaskRunner
from bundler.gui.preflight_panel import PreflightPanel
from bundler.gui.preview.view import PreviewPane
from bundler.gui.project.model import ProjectModel
from bundler.gui.project.tree import ProjectTree
from bundler.gui.prompts import Prompts
from bundler.gui.settings import Settings, apply_soffice

__all__ = ["MainWindow"]


class _StackWatcher(QObject):
    """Receives the undo stack's signals for the window.

    A dying window deletes its children in order; the stack clears itself (and signals)
    as it goes. This receiver goes first, so those last signals reach no one.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def index_changed(self, _index: int) -> None:
        self._window._changed()

    def clean_changed(self, _clean: bool) -> None:
        self._window.refresh_title()


class MainWindow(QMainWindow):
    """One window per bundle. Signals let tests (and the status bar) follow background work."""

    buildFinished = Signal(object)  # BuildReport, or the BundlerError that stopped it
    detectFinished = Signal(object)  # list[Hit], or the error
    preflightFinished = Signal(object)  # Preflight, or the error
    documentsAdded = Signal(list)  # Documents just added
    workflowFinished = Signal(str, object)  # Court menu work: its kind, and its result or error
    pageCountsUpdated = Signal()

    def __init__(self, settings: Settings | None = None, autosave_ms: int = 2000) -> None:
        super().__init__()
        self.settings = settings or Settings()
        apply_soffice(self.settings.soffice)  # the chain looks there first for LibreOffice
        self.prompts = Prompts(self, self.settings)
        self._stack_watcher = _StackWatcher(self)  # made before the stack, so destroyed before it
        self.stack = QUndoStack(self)
        self.model = ProjectModel(self._blank_bundle(), self)
        self.session = Session(self.settings, self.prompts, self.model, self.stack, self)
        self.autosaver = AutoSaver(
            lambda: self.session.bundle,
            lambda: self.session.project,
            self.settings.recovery_dir(),
            write_project,
            autosave_ms,
            self,
        )
        self._make_widgets()
        self._make_controllers()
        self.action_set: Actions = create_actions(
            self,
            self.stack,
            Controllers(self.files, self.edits, self.build, self.court, self.redact_copy),
            self.tree,
            self.tree_tools,
        )
        self.page_grid = PageGridController(self.session, self.tree, self)  # Edit ▸ Arrange pages…
        self.page_grid.install(self.action_set.split)
        self.move_to_section = MoveToSection(self.session, self.tree, self.edits, self)
        self.move_to_section.install(self.menuBar(), self.action_set.choose_pages)
        self._lay_out()
        self._connect()
        self._restore_geometry()
        self.refresh()

    # --- building the window ----------------------------------------------------------
    def _blank_bundle(self) -> Bundle:
        bundle = new_bundle(self.settings.default_template, CaseDetails("", ""))
        bundle.options.converter = self.settings.converter
        bundle.options.page_prefix = self.settings.page_prefix or bundle.options.page_prefix
        return bundle

    def _make_widgets(self) -> None:
        self.tree = ProjectTree(self.model)
        self.tree_tools = QToolBar("Documents")
        self.preview = PreviewPane()
        self.anonymise = AnonymisePanel()
        self.preflight = PreflightPanel()
        self.side = QTabWidget(documentMode=True)
        self.side.addTab(self.anonymise, icon("detect"), "&Anonymise")
        self.side.addTab(self.preflight, icon("pass"), "Pre&flight")
        self.index_tab = IndexTab(self.model)
        self.side.addTab(self.index_tab, icon("section"), "&Index")
        self.search_panel = SearchPanel()
        self.side.addTab(self.search_panel, icon("detect"), "Searc&h")
        pass  # self.side.setMinimumWidth(320)  # the page comes first; the panels scroll or can be widened
        self.pages_label = QLabel()
        self.progress = QProgressBar(textVisible=False)
        self.progress.setMaximumWidth(240)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(icon("cancel"), "Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.setToolTip("Stop the work in progress (Esc)")

    def _make_controllers(self) -> None:
        session = self.session
        self.tasks = TaskRunner(session, self.progress, self.cancel_button, self)
        self.pages = PageController(session, self.tasks, self.preview, self.tree, self)
        self.edits = EditController(session, self.tasks, self.tree, self)
        self.files = FileController(session, self.autosaver, self)
        saved = self.files.ensure_saved_location
        self.build = BuildController(session, self.tasks, saved, self.anonymise, self.preflight, self.side, self)
        self.court = CourtController(session, self.tasks, saved, self)
        self.redact_copy = RedactCopyController(session, self.tasks, saved, self.tree.current_id, self)
        self.search = SearchController(session, self.tasks, self.search_panel, self.pages, self)

    def _lay_out(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.tree_tools)
        column.addWidget(self.tree)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.preview_frame = BoxModeFrame(self.preview, self.anonymise.box_mode)
        for widget, stretch in ((left, 3), (self.preview_frame, 6), (self.side, 2)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        panels = {
            "&documents": left,
            "&side panels (Anonymise, Preflight)": self.side,
            "page &thumbnails": self.preview.strip,
        }
        self.layout_control = LayoutController(self.settings, self.splitter, panels, self)
        self.search.install(
            self.menuBar(), self.action_set.detect, self.side, lambda: self.layout_control.show(self.side)
        )
        view_menu = QMenu("&View", self)
        self.layout_control.fill_menu(view_menu)
        bar_actions = self.menuBar().actions()
        self.menuBar().insertMenu(bar_actions[-1], view_menu)  # before Help
        bar = self.statusBar()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.court.served_label)
        bar.addPermanentWidget(self.pages_label)
        self.setWindowIcon(icon("bundler"))
        QWidget.setTabOrder(self.tree, self.preview)
        QWidget.setTabOrder(self.preview, self.side)

    def _connect(self) -> None:
        self.stack.indexChanged.connect(self._stack_watcher.index_changed)
        self.stack.cleanChanged.connect(self._stack_watcher.clean_changed)
        self.session.message.connect(self._show_message)
        self.session.selectRequested.connect(self.tree.select_id)
        self.tasks.busyChanged.connect(self.refresh_actions)
        self.model.pagesChanged.connect(self._show_page_total)
        self.cancel_button.clicked.connect(self.tasks.cancel)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self.refresh_actions())
        self.tree.selectionModel().currentRowChanged.connect(lambda current, _old: self.pages.preview_current())
        self.preflight.pageRequested.connect(self.pages.show_bundle_page)
        self.anonymise.hitSelected.connect(self.pages.show_hit)
        self.anonymise.detectRequested.connect(self.build.detect)
        self.preview.pageChanged.connect(self._show_page_shown)
        self.stack.indexChanged.connect(self.index_tab.schedule)  # protected names change the titles filed
        self.index_tab.documentRequested.connect(self.tree.select_id)
        self.tree.selectionModel().currentRowChanged.connect(
            lambda *_: self.index_tab.show_current(self.tree.current_id())
        )
        self.stack.indexChanged.connect(lambda _index: self.move_to_section.update_enabled())
        self.stack.indexChanged.connect(lambda _index: self.search.refresh())
        self._connect_controllers()
        self._connect_edits()

    def _connect_controllers(self) -> None:
        self.files.projectLoaded.connect(self.set_project)
        self.files.saved.connect(self.refresh_title)
        self.build.additionsRequested.connect(self.court.build_additions)
        self.court.additionsBuilt.connect(self.build.show_built)
        self.build.bundleBuilt.connect(self.pages.bundle_built)
        self.build.hitsChanged.connect(self.refresh_panels)
        self.build.buildFinished.connect(self.buildFinished)
        self.build.detectFinished.connect(self.detectFinished)
        self.build.preflightFinished.connect(self.preflightFinished)
        self.court.workflowFinished.connect(self.workflowFinished)
        self.pages.pageCountsUpdated.connect(self.pages.refresh_preview)
        self.pages.pageCountsUpdated.connect(self.pageCountsUpdated)
        self.edits.documentsAdded.connect(self.documentsAdded)
        self.redact_copy.previewReady.connect(lambda pdf: self.preview.show_pdf(pdf))
        self.redact_copy.exported.connect(lambda result: self.workflowFinished.emit("redacted-copy", result))

    def _connect_edits(self) -> None:
        """Edits asked for in the tree, the anonymise panel and the preview."""
        model, panel, preview, edits = self.model, self.anonymise, self.preview, self.edits
        model.editRequested.connect(edits.edit_field)
        model.moveRequested.connect(edits.move)
        model.filesDropped.connect(edits.add_files)
        panel.addPersonRequested.connect(edits.add_person)
        panel.addTermRequested.connect(edits.add_term)
        panel.removeEntryRequested.connect(edits.remove_entry)
        panel.hitsAccepted.connect(edits.accept_hits)
        panel.hitsRejected.connect(edits.reject_hits)
        panel.boxModeToggled.connect(preview.set_box_mode)
        preview.boxDrawn.connect(self.pages.box_drawn)
        preview.rotateRequested.connect(self.pages.rotate_requested)
        self.pages.boxDrawn.connect(edits.add_box)
        preview.boxMoved.connect(lambda box_id, rect: edits.move_box(box_id, rect, self.pages.basis))
        preview.boxDeleted.connect(edits.delete_box)
        self.pages.rotateRequested.connect(edits.rotate_page)
        edits.registerChanged.connect(self.refresh_panels)
        edits.registerChanged.connect(self.pages.register_changed)
        edits.caseChanged.connect(self.refresh)
        self.page_grid.boxesMoved.connect(self.refresh_panels)
        self.page_grid.boxesMoved.connect(self.pages.show_boxes)

    def _restore_geometry(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is None or not self.restoreGeometry(geometry):
            screen = QGuiApplication.primaryScreen().availableGeometry()
            self.resize(min(1440, int(screen.width() * 0.92)), min(880, int(screen.height() * 0.9)))
        self._laid_out = False  # the panels' widths are set once the window has its size

    # --- state ------------------------------------------------------------------------
    @property
    def bundle(self) -> Bundle:
        return self.session.bundle

    @property
    def project(self) -> Path | None:
        return self.session.project

    def is_dirty(self) -> bool:
        return self.session.is_dirty()

    def set_project(self, bundle: Bundle, project: Path | None, recovered: bool = False) -> None:
        """Show ``bundle`` (document paths absolute in memory), saved at ``project`` or untitled."""
        self.tasks.forget_project()
        self.session.forget_results()
        self.pages.forget_project()
        self.session.project, self.session.recovered = project, recovered
        self.model.set_bundle(bundle)
        self.stack.clear()
        self.preview.show_pdf(None)
        self.preflight.clear()
        self.refresh()
        self.pages.probe_pages()

    def refresh(self) -> None:
        self.refresh_title()
        self.refresh_panels()
        self._show_page_total()
        self.court.refresh()
        self.refresh_actions()

    def refresh_actions(self) -> None:
        self.action_set.update_enabled(self.tasks.busy(), self.bundle, self.tree)

    def refresh_title(self) -> None:
        case = self.bundle.case
        name = case.short_name or case.case_name or "Untitled bundle"
        where = self.project.name if self.project else "not saved yet"
        self.setWindowTitle(f"{name} – {where}[*] – Bundler")
        self.setWindowModified(self.is_dirty())

    def refresh_panels(self) -> None:
        titles = {doc.id: doc.title for _section, doc in self.bundle.documents()}
        self.anonymise.set_register(self.bundle.register, titles)
        self.anonymise.set_schedule(planned_schedule(self.bundle, self.session.hits))

    def _changed(self) -> None:
        self.autosaver.changed()
        self.refresh()
        self.pages.probe_pages()
        self.pages.refresh_preview()

    def _show_page_shown(self, index: int) -> None:
        label = self.preview.page_label(index)
        where = f"bundle page {label}" if label else f"page {index + 1}"
        self.statusBar().showMessage(f"Showing {where}", 2000)

    def _show_message(self, text: str, ms: int) -> None:
        if text:
            self.statusBar().showMessage(text, ms)
        else:
            self.statusBar().clearMessage()

    def _show_page_total(self) -> None:
        docs = len(self.bundle.documents())
        known = [r for r in self.model.ranges.values() if r is not None]
        pages = max((r[1] for r in known), default=0)
        unknown = any(self.model.ranges.get(d.id) is None for _, d in self.bundle.documents())
        count = "pages not known yet" if unknown else f"{pages} pages"
        self.pages_label.setText(f"{docs} document{'s' if docs != 1 else ''} · {count}" if docs else "No documents")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._laid_out:
            self._laid_out = True
            self.layout_control.restore()

    # --- closing ----------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_discard():
            event.ignore()
            return
        self.tasks.shutdown()
        self.preview.show_pdf(None)  # let go of the open PDF (Windows locks open files)
        self.autosaver.discard()
        self.settings.save_window_state(self.saveGeometry(), self.saveState() or QByteArray())
        self.layout_control.save()
        event.accept()
