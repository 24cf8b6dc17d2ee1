"""What the launcher (``bundler.cli.gui_launch``) asks of Qt before the app starts: whether
Qt is already running, and, in a child process, whether its platform plugin loads."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

__all__ = ["qt_running", "main"]


def qt_running() -> bool:
    """A QApplication already exists (a test's): its platform is already loaded."""
    return QCoreApplication.instance() is not None


def main() -> int:
    """Start Qt's platform plugin and stop: Qt aborts the process when the plugin cannot load."""
    QGuiApplication(sys.argv[:1])
    return 0
