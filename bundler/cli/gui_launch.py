"""Starting the desktop app (``bundler gui`` and ``bundler-gui``) with a clear message when
PySide6 is missing, never a traceback: under ``pythonw`` on Windows nobody would see one."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from bundler.core.errors import BundlerError, ExitCode
from bundler.core.fsutil import user_log_dir

__all__ = ["main", "launch", "MISSING_QT"]

MISSING_QT = (
    "The desktop app needs PySide6 (Qt for Python), which is not installed in this Python. "
    "Reinstall bundler with 'python -m pip install court-bundler' (it brings PySide6), "
    "or use the command line: 'bundler --help'."
)


class GuiUnavailable(BundlerError):
    exit_code = ExitCode.ERROR


def launch(argv: Sequence[str]) -> int:
    """Run the GUI; ``GuiUnavailable`` when Qt cannot be loaded."""
    try:
        from bundler.gui.app import main as gui_main
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "PySide6":
            raise
        raise GuiUnavailable(MISSING_QT) from None
    except ImportError as exc:  # e.g. Qt's own system libraries missing on a bare Linux
        raise GuiUnavailable(f"The desktop app cannot start ({exc}). {MISSING_QT.split('. ', 1)[1]}") from None
    return gui_main(list(argv))


def _tell(message: str) -> None:
    if sys.stderr is not None:  # None under pythonw
        print(f"bundler-gui: {message}", file=sys.stderr)
        return
    try:
        folder = user_log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "gui-start.log").write_text(message + "\n", encoding="utf-8")
    except OSError:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """The ``bundler-gui`` entry point."""
    try:
        return launch(sys.argv[1:] if argv is None else argv)
    except BundlerError as exc:
        _tell(str(exc))
        return exc.exit_code
