"""Autosave to a recovery file, and finding one after a crash (no edit is ever lost).

A saved project autosaves beside itself as ``<project>.autosave``; an untitled one
into a per-user recovery folder. A clean save or close removes the recovery file,
so one that outlives its project's last save means the app did not close cleanly.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from bundler.core.errors import BundlerError
from bundler.core.model import Bundle

__all__ = ["AutoSaver", "recovery_file_for", "find_recovery", "AUTOSAVE_SUFFIX"]

AUTOSAVE_SUFFIX = ".autosave"
_log = logging.getLogger(__name__)


def recovery_file_for(project: Path) -> Path:
    return project.with_name(project.name + AUTOSAVE_SUFFIX)


def find_recovery(project: Path | None, recovery_dir: Path) -> Path | None:
    """A recovery file worth offering: newer than the project, or any left by an untitled bundle."""
    if project is not None:
        candidate = recovery_file_for(project)
        if not candidate.is_file():
            return None
        if project.is_file() and candidate.stat().st_mtime <= project.stat().st_mtime:
            return None
        return candidate
    if not recovery_dir.is_dir():
        return None
    found = sorted(recovery_dir.glob(f"*{AUTOSAVE_SUFFIX}"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


class AutoSaver(QObject):
    """Saves the bundle ``delay_ms`` after the last change; ``changed()`` restarts the clock."""

    saved = Signal(object)  # the recovery file's Path

    def __init__(
        self,
        bundle: Callable[[], Bundle],
        project: Callable[[], Path | None],
        recovery_dir: Path,
        write: Callable[[Bundle, Path], None],
        delay_ms: int = 2000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bundle, self._project, self._dir, self._write = bundle, project, recovery_dir, write
        self._untitled: Path | None = None
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.save_now)

    def path(self) -> Path:
        """Where the current bundle autosaves to."""
        project = self._project()
        if project is not None:
            return recovery_file_for(project)
        if self._untitled is None:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            self._untitled = self._dir / f"untitled-{stamp}-{os.getpid()}.bundle.json{AUTOSAVE_SUFFIX}"
        return self._untitled

    def adopt(self, recovered: Path) -> None:
        """Keep saving an untitled bundle into the recovery file it came back from."""
        if self._project() is None:
            self._untitled = recovered

    def changed(self) -> None:
        self._timer.start()

    def pending(self) -> bool:
        return self._timer.isActive()

    def save_now(self) -> None:
        self._timer.stop()
        path = self.path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._write(self._bundle(), path)
        except (BundlerError, OSError) as exc:  # autosave must never interrupt the user
            _log.warning("autosave to %s failed: %s", path, exc)
            return
        self.saved.emit(path)

    def discard(self) -> None:
        """The bundle is safely saved (or deliberately dropped): no recovery needed."""
        self._timer.stop()
        path = self.path()
        path.unlink(missing_ok=True)
        if self._project() is None:
            self._untitled = None
