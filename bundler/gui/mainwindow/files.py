"""File menu work: new from template, open, recover, save, save as, recent files.

In memory every document path is absolute, so undo history and background jobs never
depend on where the project is saved; paths become relative only in the file written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from bundler.core.adding import rebase_paths, relative_source_path
from bundler.core.errors import BundlerError
from bundler.core.model import Bundle
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from bundler.gui.autosave import find_recovery
from bundler.gui.workers import snapshot

if TYPE_CHECKING:
    from bundler.gui.mainwindow.window import MainWindow

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
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def _folder(self) -> Path | None:
        return self.w.project.parent if self.w.project else None

    def new_from_template(self) -> None:
        if not self.maybe_discard():
            return
        values = self.w.prompts.new_bundle()
        if values is None:
            return
        template, case, options = values
        bundle = new_bundle(template, case)
        bundle.options = options
        self.w.autosaver.discard()
        self.w.set_project(bundle, None)
        self.w.statusBar().showMessage(f"New {case.bundle_name}: drop documents on a section to add them", 8000)

    def open(self) -> None:
        if not self.maybe_discard():
            return
        path = self.w.prompts.open_project(self._folder())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open a project, offering to recover unsaved changes left by a crash."""
        path = path.resolve()
        try:
            bundle, recovered = self._load_with_recovery(path)
        except BundlerError as err:
            self.w.settings.remove_recent(path)
            self.w.prompts.error(err)
            return False
        self.w.autosaver.discard()
        self.w.set_project(bundle, path, recovered)
        self.w.settings.add_recent(path)
        return True

    def _load_with_recovery(self, path: Path) -> tuple[Bundle, bool]:
        recovery = find_recovery(path, self.w.settings.recovery_dir())
        if recovery is not None and self.w.prompts.recover(recovery):
            return read_project(recovery), True
        if recovery is not None:
            recovery.unlink(missing_ok=True)
        return read_project(path), False

    def offer_untitled_recovery(self) -> bool:
        """At start without a project: bring back an untitled bundle a crash left behind."""
        recovery = find_recovery(None, self.w.settings.recovery_dir())
        if recovery is None:
            return False
        if not self.w.prompts.recover(recovery):
            recovery.unlink(missing_ok=True)
            return False
        try:
            bundle = read_project(recovery)
        except BundlerError as err:
            self.w.prompts.error(err)
            return False
        self.w.set_project(bundle, None, recovered=True)
        self.w.autosaver.adopt(recovery)
        return True

    def save(self) -> bool:
        if self.w.project is None:
            return self.save_as()
        try:
            write_project(self.w.bundle, self.w.project)
        except BundlerError as err:
            self.w.prompts.error(err)
            return False
        self.w.recovered = False
        self.w.stack.setClean()
        self.w.autosaver.discard()
        self.w.settings.add_recent(self.w.project)
        self.w.refresh_title()
        self.w.statusBar().showMessage(f"Saved {self.w.project.name}", 4000)
        return True

    def save_as(self, path: Path | None = None) -> bool:
        if path is None:
            case = self.w.bundle.case
            stem = case.short_name or case.case_name or "Untitled"
            suggested = (self._folder() or Path.home()) / f"{stem}.bundle.json"
            path = self.w.prompts.save_project_as(suggested)
        if path is None:
            return False
        self.w.autosaver.discard()  # the old location's (or the untitled) recovery file
        self.w.project = path.resolve()
        return self.save()

    def ensure_saved_location(self) -> Path | None:
        """The project file; an untitled bundle is saved first (the output goes beside it)."""
        if self.w.project is None and not self.save_as():
            return None
        return self.w.project

    def maybe_discard(self) -> bool:
        """True when it is fine to drop the current bundle (saved, or the user said so)."""
        if not self.w.is_dirty():
            return True
        name = self.w.project.name if self.w.project else "this new bundle"
        answer = self.w.prompts.unsaved_changes(name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.w.autosaver.discard()
            return True
        return False

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        recent = self.w.settings.recent_files()
        for number, path in enumerate(recent, start=1):
            action = QAction(f"&{number} {path.name}", menu, toolTip=str(path))
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(p))
            menu.addAction(action)
        if not recent:
            menu.addAction(QAction("No recent bundles", menu, enabled=False))

    def _open_recent(self, path: Path) -> None:
        if self.maybe_discard():
            self.open_path(path)
