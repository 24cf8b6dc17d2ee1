"""The desktop app's entry point: ``bundler gui [CASE.bundle.json]`` and ``bundler-gui``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from bundler import __version__
from bundler.gui import crash
from bundler.gui.icons import icon

__all__ = ["main"]


def _parse(argv: list[str]) -> tuple[Path | None, list[str]]:
    parser = argparse.ArgumentParser(prog="bundler-gui", description="Build court bundles on the desktop.")
    parser.add_argument("project", nargs="?", type=Path, help="a *.bundle.json project to open")
    args, qt_args = parser.parse_known_args(argv)  # the rest (e.g. -platform) is Qt's
    return args.project, qt_args


def _application(qt_args: list[str]) -> QApplication:
    """The running QApplication (a test's, say), or a new one."""
    running = QApplication.instance()
    return running if isinstance(running, QApplication) else QApplication([sys.argv[0], *qt_args])


def main(argv: list[str] | None = None) -> int:
    project, qt_args = _parse(sys.argv[1:] if argv is None else list(argv))
    app = _application(qt_args)
    app.setApplicationName("Bundler")
    app.setOrganizationName("bundler")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("bundler"))
    crash.install()
    from bundler.gui.mainwindow.window import MainWindow  # after QApplication: widgets need it

    window = MainWindow()
    window.show()
    if project is not None:
        QTimer.singleShot(0, lambda: window.files.open_path(project))
    else:
        QTimer.singleShot(0, window.files.offer_untitled_recovery)
    if quit_ms := os.environ.get("BUNDLER_GUI_SMOKE_QUIT_MS"):  # the frozen build's smoke test
        QTimer.singleShot(int(quit_ms), lambda: app.exit(0))
    return int(app.exec())
