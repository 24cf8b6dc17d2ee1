"""The desktop app's crash handler: an unexpected error is logged and shown in a dialog
that gives the path of its crash log, instead of a traceback nobody sees (pythonw)."""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from bundler.core.fsutil import user_log_dir

__all__ = ["install", "write_crash_log"]


def write_crash_log(exc: BaseException, folder: Path | None = None) -> Path | None:
    """The traceback in a new crash log; None when it cannot be written."""
    folder = folder or user_log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}.log"
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    except OSError:
        return None
    return log


def _message(exc: BaseException, log: Path | None) -> str:
    where = f"Details are in:\n{log}\nPlease send that file to support." if log else "No crash log could be written."
    return (
        f"Something unexpected went wrong ({exc.__class__.__name__}: {exc}).\n\n"
        "Your project is autosaved; if the app closes, it offers to recover it when it starts again.\n\n" + where
    )


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log = write_crash_log(exc.with_traceback(tb))
    if QApplication.instance() is not None:
        QMessageBox.critical(None, "Bundler: unexpected error", _message(exc, log))


def install() -> None:
    """Send every unhandled exception (Qt slots included) to the crash dialog."""
    sys.excepthook = _hook
