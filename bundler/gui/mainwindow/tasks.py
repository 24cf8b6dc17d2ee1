"""Background work and what the window shows of it: the progress bar and Cancel.

One foreground task at a time drives the progress bar and Cancel; page counting and
preview conversions (``pages``) run quietly beside it. Results of a project that was
closed meanwhile are dropped (each task remembers the project it belongs to).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressBar, QPushButton

from bundler.core.errors import BundlerError
from bundler.core.progress import StageClock
from bundler.gui.mainwindow.session import Session
from bundler.gui.workers import Job, Task

__all__ = ["TaskRunner"]


class TaskRunner(QObject):
    busyChanged = Signal()  # a foreground task started or settled: actions enable or disable
    progressText = Signal(str)  # what the progress bar says: stage, counts and time left

    def __init__(
        self,
        session: Session,
        progress: QProgressBar,
        cancel_button: QPushButton,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._progress, self._cancel_button = session, progress, cancel_button
        self._running: list[Task] = []
        self._foreground: Task | None = None
        self._generation = 0  # bumped when another project is shown
        self._clock = StageClock()

    def busy(self) -> bool:
        return self._foreground is not None

    def start(
        self,
        name: str,
        job: Job,
        done: Callable[[Any], None],
        failed: Callable[[BundlerError], None] | None = None,
        foreground: bool = True,
        any_project: bool = False,
    ) -> Task | None:
        """Run ``job`` off the UI thread; ``done``/``failed`` run on the UI thread afterwards.

        Results for a project that is no longer shown are dropped unless ``any_project``.
        Foreground jobs may use PDFium (one at a time, under its lock); background ones must not.
        """
        if foreground and self._foreground is not None:
            self._session.say(f"Please wait: {self._foreground.name.lower()} is still running.", 5000)
            return None
        task = Task(name, job, self, pdfium=foreground)
        generation = None if any_project else self._generation
        task.succeeded.connect(lambda result: self._settle(task, generation, done, result))
        task.failed.connect(lambda err: self._settle(task, generation, failed or self._session.prompts.error, err))
        task.finished.connect(lambda: self._finished(task))
        self._running.append(task)
        if foreground:
            self._show_progress(task)
        task.start()
        return task

    def _show_progress(self, task: Task) -> None:
        self._foreground = task
        task.progress.stageStarted.connect(self._stage)
        task.progress.advanced.connect(self._advanced)
        self._progress.setRange(0, 0)
        self._progress.setVisible(True)
        self._cancel_button.setVisible(True)
        self._session.say(f"{task.name}…")
        self.busyChanged.emit()

    def _stage(self, name: str, total: int, unit: str = "") -> None:
        self._clock.start(name, total, unit)
        self._progress.setRange(0, max(total, 0))
        self._progress.setValue(0)
        self._show_words()

    def _advanced(self, steps: int) -> None:
        self._clock.advance(steps)
        self._progress.setValue(self._progress.value() + steps)
        self._show_words()

    def _show_words(self) -> None:
        """'OCR: page 12 of 40 — about 1 min left' in the status line beside the bar."""
        words = self._clock.text()
        self._progress.setToolTip(words)
        self._session.say(words if self._clock.total else f"{words}…")
        self.progressText.emit(words)

    def _settle(self, task: Task, generation: int | None, handler: Callable[[Any], None], value: object) -> None:
        if self._foreground is task:
            self._foreground = None
            self._progress.setVisible(False)
            self._cancel_button.setVisible(False)
            self._session.say("")
            self.busyChanged.emit()
        if generation in (None, self._generation):
            handler(value)

    def _finished(self, task: Task) -> None:
        if task in self._running:
            self._running.remove(task)
        task.deleteLater()

    def cancel(self) -> None:
        if self._foreground is not None:
            self._foreground.cancel()
            self._session.say("Cancelling…")

    def shutdown(self) -> None:
        """Stop everything and wait: no thread may outlive the window."""
        for task in list(self._running):
            task.cancel()
        for task in list(self._running):
            task.wait()

    def forget_project(self) -> None:
        """Another project is shown: cancel its work and drop the results still to come."""
        self._generation += 1
        for task in list(self._running):
            task.cancel()
