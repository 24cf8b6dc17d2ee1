"""GUI test fixtures: offscreen Qt, a window with its own settings, no Qt warning let through."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMessageLogContext, QSettings, QtMsgType, qInstallMessageHandler  # noqa: E402

# Messages the offscreen platform itself prints whatever the app does; nothing else is allowed.
_PLATFORM_NOISE = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",  # a tooltip shown offscreen
)


@pytest.fixture(autouse=True)
def fail_on_qt_warnings() -> Iterator[list[str]]:
    """Any Qt warning or critical message, even during teardown, fails the test."""
    caught: list[str] = []

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        serious = kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if serious and not message.startswith(_PLATFORM_NOISE):
            caught.append(message)

    previous = qInstallMessageHandler(handler)
    yield caught
    qInstallMessageHandler(previous)
    if caught:
        pytest.fail("Qt warned:\n" + "\n".join(caught))


@pytest.fixture
def settings(tmp_path: Path):
    from bundler.gui.settings import Settings

    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return Settings(store, recovery_dir=tmp_path / "recovery", cache_dir=tmp_path / "cache")


class Answers:
    """Stands in for the file dialogs and questions; records what the app told the user."""

    def __init__(self) -> None:
        self.errors: list[BaseException] = []
        self.built: list[object] = []
        self.save_as: Path | None = None
        self.files: list[Path] = []
        self.recover = True
        self.unsaved = "discard"
        self.pages: str | None = None
        self.box_reason: str | None = ""
        self.new_versions: list[str] = []  # files the app asked about using a changed version of
        self.use_new_version = False

    def install(self, window) -> None:
        prompts = window.prompts
        prompts.error = self.errors.append
        prompts.build_done = self.built.append
        prompts.save_project_as = lambda suggested: self.save_as
        prompts.files_to_add = lambda folder: list(self.files)
        prompts.recover = lambda path: self.recover
        prompts.unsaved_changes = lambda name: self.unsaved
        prompts.page_selection = lambda title, current: self.pages
        prompts.box_reason = lambda last: self.box_reason
        prompts.use_new_version = lambda name: self.new_versions.append(name) or self.use_new_version


def open_window(qtbot, settings, answers: Answers | None = None, autosave_ms: int = 200):
    from bundler.gui.mainwindow.window import MainWindow

    window = MainWindow(settings, autosave_ms=autosave_ms)
    (answers or Answers()).install(window)
    qtbot.addWidget(window, before_close_func=lambda w: w.tasks.shutdown())
    window.resize(1400, 860)  # the offscreen screen is small; give the tree its usual room
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def window(qtbot, settings, answers):
    return open_window(qtbot, settings, answers)
