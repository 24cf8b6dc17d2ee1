"""What every controller of one window shares: the bundle, where it is saved, the undo
stack, the user's settings and the questions asked of them.

Controllers get this and the few widgets they need, never the window (as qutebrowser's
do). It holds no widgets either: status messages and tree selections go out as signals
the window connects to its status bar and tree.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.highlight import Rect
from bundler.core.build.context import BuildOptions
from bundler.core.errors import BundlerError, Cancelled, LeakError, SourceError
from bundler.core.model import Bundle
from bundler.core.pdf.passwords import KeyringStore
from bundler.gui.mainwindow.passwords import PasswordAsker
from bundler.gui.project.model import ProjectModel
from bundler.gui.prompts import Prompts
from bundler.gui.settings import Settings

__all__ = ["Session"]


class Session(QObject):
    message = Signal(str, int)  # status bar text ("" clears it), milliseconds to show it (0: until replaced)
    selectRequested = Signal(str)  # a section or document id to select in the tree

    def __init__(
        self,
        settings: Settings,
        prompts: Prompts,
        model: ProjectModel,
        stack: QUndoStack,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings, self.prompts, self.model, self.stack = settings, prompts, model, stack
        self.project: Path | None = None
        self.recovered = False  # loaded from a recovery file: unsaved although the stack is clean
        self.last_output: Path | None = None  # the bundle built last: previewed, offered by the Court dialogs
        self.hits: list[Hit] = []  # detection's findings, for review
        self.hit_rects: dict[str, list[Rect]] = {}  # by hit key, found by the detection worker
        keyring = KeyringStore()
        keyring.warm()  # its backend loads beside the UI thread, not on the first Build
        self.passwords = PasswordAsker(prompts, keyring)  # protected PDFs: the dialog, the keyring
        self.isolate_builds = True  # builds run in a child process: the UI thread never waits for the GIL

    @property
    def bundle(self) -> Bundle:
        return self.model.bundle

    def folder(self) -> Path | None:
        """The project's folder, where dialogs start (None while untitled)."""
        return self.project.parent if self.project else None

    def is_dirty(self) -> bool:
        return self.recovered or not self.stack.isClean()

    def forget_results(self) -> None:
        """Another project is shown: what was found and built for the last one no longer applies."""
        self.hits, self.hit_rects, self.last_output = [], {}, None

    def build_options(self, confidential: bool = False) -> BuildOptions:
        return BuildOptions(cache_dir=self.settings.cache_dir(), confidential=confidential)

    # --- telling the user -------------------------------------------------------------
    def say(self, text: str, ms: int = 0) -> None:
        self.message.emit(text, ms)

    def push(self, make: Callable[[], QUndoCommand]) -> bool:
        """Make the command (which checks the edit) and push it; a refused edit is explained."""
        try:
            command = make()
        except BundlerError as err:
            self.prompts.error(err)
            return False
        self.stack.push(command)
        return True

    def explain(self, err: BundlerError, cancelled: str) -> None:
        """Show ``err``, with the document it is about selected in the tree."""
        if isinstance(err, Cancelled):
            self.say(cancelled, 8000)
            return
        culprit = None
        if isinstance(err, SourceError):
            culprit = next((d.id for _, d in self.bundle.documents() if Path(d.path) == err.path), None)
        elif isinstance(err, LeakError) and err.document_ids:
            culprit = err.document_ids[0]  # where the leak gate found a protected name
        if culprit is not None:
            self.selectRequested.emit(culprit)
        self.prompts.error(err)
