"""File menu work: new from template, open, recover, save, save as, recent files.

In memory every document path is absolute, so undo history and background jobs never
depend on where the project is saved; paths become relative only in the file written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from bundler.core.adding import rebase_paths, relative_source_path
from bundler.core.errors import BundlerError
from bundler.core.model import Bundle
from bundler.core.pdf.passwords import KeyringStore, recall_passwords
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from bundler.gui.autosave import AutoSaver, find_recovery
from bundler.gui.mainwindow.session import Session
from bundler.gui.workers import snapshot

__all__ = ["FileController", "read_project", "write_project"]


def _rebase_served(bundle: Bundle, new_base: Path | None, old_base: Path | None = None) -> None:
    """The served bundle's path too: absolute in memory, relative to the project when saved."""
    served = bundle.served
    if served is None:
        return
    where = Path(served.file)
    if not where.is_absolute() and old_base is not None:
        where = old_base / where
    if where.is_absolute():
        served.file = relative_source_path(where, new_base) if new_base else where.resolve().as_posix()


def read_project(path: Path) -> Bundle:
    bundle = load_project(path)
    recall_passwords(bundle, KeyringStore())  # those the user chose to keep
    rebase_paths(bundle, path.parent, None)
    _rebase_served(bundle, None, path.parent)
    return bundle


def write_project(bundle: Bundle, path: Path) -> None:
    """Save with document paths relative to the file's folder (atomic, as the core saves)."""
    copy = snapshot(bundle)
    rebase_paths(copy, None, path.parent)
    _rebase_served(copy, path.parent)
    save_project(copy, path)


class FileController(QObject):
    projectLoaded = Signal(object, object, bool)  # Bundle to show, its project file (None: untitled), recovered
    saved = Signal()  # the project file now holds every edit

    def __init__(self, session: Session, autosaver: AutoSaver, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session, self._autosaver = session, autosaver

    def new_from_template(self) -> None:
        if not self.maybe_discard():
            return
        values = self._session.prompts.new_bundle()
        if values is None:
            return
        template, case, options = values
        bundle = new_bundle(template, case)
        bundle.options = options
        self._autosaver.discard()
        self.projectLoaded.emit(bundle, None, False)
        self._session.say(f"New {case.bundle_name}: drop documents on a section to add them", 8000)

    def open(self) -> None:
        if not self.maybe_discard():
            return
        path = self._session.prompts.open_project(self._session.folder())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open a project, offering to recover unsaved changes left by a crash."""
        path = path.resolve()
        try:
            bundle, recovered = self._load_with_recovery(path)
        except BundlerError as err:
            self._session.settings.remove_recent(path)
            self._session.prompts.error(err)
            return False
        self._autosaver.discard()
        self.projectLoaded.emit(bundle, path, recovered)
        self._session.settings.add_recent(path)
        return True

    def _load_with_recovery(self, path: Path) -> tuple[Bundle, bool]:
        recovery = find_recovery(path, self._session.settings.recovery_dir())
        if recovery is not None and self._session.prompts.recover(recovery):
            return read_project(recovery), True
        if recovery is not None:
            recovery.unlink(missing_ok=True)
        return read_project(path), False

    def offer_untitled_recovery(self) -> bool:
        """At start without a project: bring back an untitled bundle a crash left behind."""
        recovery = find_recovery(None, self._session.settings.recovery_dir())
        if recovery is None:
            return False
        if not self._session.prompts.recover(recovery):
            recovery.unlink(missing_ok=True)
            return False
        try:
            bundle = read_project(recovery)
        except BundlerError as err:
            self._session.prompts.error(err)
            return False
        self.projectLoaded.emit(bundle, None, True)
        self._autosaver.adopt(recovery)
        return True

    def save(self) -> bool:
        if self._session.project is None:
            return self.save_as()
        try:
            write_project(self._session.bundle, self._session.project)
        except BundlerError as err:
            self._session.prompts.error(err)
            return False
        self._session.recovered = False
        self._session.stack.setClean()
        self._autosaver.discard()
        self._session.settings.add_recent(self._session.project)
        self.saved.emit()
        self._session.say(f"Saved {self._session.project.name}", 4000)
        return True

    def save_as(self, path: Path | None = None) -> bool:
        if path is None:
            case = self._session.bundle.case
            stem = case.short_name or case.case_name or "Untitled"
            suggested = (self._session.folder() or Path.home()) / f"{stem}.bundle.json"
            path = self._session.prompts.save_project_as(suggested)
        if path is None:
            return False
        self._autosaver.discard()  # the old location's (or the untitled) recovery file
        self._session.project = path.resolve()
        return self.save()

    def ensure_saved_location(self) -> Path | None:
        """The project file; an untitled bundle is saved first (the output goes beside it)."""
        if self._session.project is None and not self.save_as():
            return None
        return self._session.project

    def maybe_discard(self) -> bool:
        """True when it is fine to drop the current bundle (saved, or the user said so)."""
        if not self._session.is_dirty():
            return True
        name = self._session.project.name if self._session.project else "this new bundle"
        answer = self._session.prompts.unsaved_changes(name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self._autosaver.discard()
            return True
        return False

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        recent = self._session.settings.recent_files()
        for number, path in enumerate(recent, start=1):
            action = QAction(f"&{number} {path.name}", menu, toolTip=str(path))
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(p))
            menu.addAction(action)
        if not recent:
            menu.addAction(QAction("No recent bundles", menu, enabled=False))

    def _open_recent(self, path: Path) -> None:
        if self.maybe_discard():
            self.open_path(path)
