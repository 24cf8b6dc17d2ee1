"""Starting the desktop app (``bundler gui`` and ``bundler-gui``) with a clear message when
PySide6 is missing, never a traceback: under ``pythonw`` on Windows nobody would see one.

On Linux, Qt aborts the whole process (a core dump) when its X11 platform plugin cannot
start: no display, or system libraries such as libxcb-cursor0 missing. So before Qt is
started here, ``platform_problem`` checks the display and the libraries, then lets a child
process try the plugin; any failure becomes a message saying what to install or set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from bundler.core.errors import BundlerError, ExitCode
from bundler.core.fsutil import user_log_dir

__all__ = ["main", "launch", "MISSING_QT", "platform_problem"]

MISSING_QT = (
    "The desktop app needs PySide6 (Qt for Python), which is not installed in this Python. "
    "Reinstall bundler with 'python -m pip install court-bundler' (it brings PySide6), "
    "or use the command line: 'bundler --help'."
)


class GuiUnavailable(BundlerError):
    exit_code = ExitCode.ERROR


# The libraries Qt 6's xcb plugin loads beside libxcb itself, with their Debian/Ubuntu packages.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
_INSTALL = (
    "On Debian or Ubuntu: sudo apt install {packages}. "
    "On Fedora: sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-image xcb-util-keysyms "
    "xcb-util-renderutil libxkbcommon-x11."
)
_OTHER_PLATFORM = (
    "Or run it on another Qt platform: QT_QPA_PLATFORM=wayland under a Wayland desktop "
    "(QT_QPA_PLATFORM=offscreen runs it without any screen, for tests)."
)
_PROBE = "import sys; from bundler.gui.qt_probe import main; sys.exit(main())"


def _loadable(names: Sequence[str]) -> set[str]:
    """Which of the shared libraries ``names`` the dynamic linker knows (ldconfig's cache)."""
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p)), None
    )
    if ldconfig is None:
        return set(names)  # cannot tell: let the child process try
    try:
        listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return set(names)
    known = {line.split()[0] for line in listing.splitlines()[1:] if line.strip()}
    extra = [Path(p) for p in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p]
    return {n for n in names if n in known or any((folder / n).exists() for folder in extra)}


def _probe(env: Mapping[str, str]) -> str | None:
    """Start Qt's platform plugin in a child process; Qt's own last words if it aborts."""
    if getattr(sys, "frozen", False):
        return None  # a frozen executable has no "-c": the app itself tries
    try:
        child = subprocess.run(
            [sys.executable, "-c", _PROBE], env=dict(env), capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None  # could not tell: let the app itself try
    if child.returncode == 0:
        return None
    lines = [line.strip() for line in child.stderr.splitlines() if line.strip()]
    said = [line for line in lines if line.startswith("qt.qpa") or "platform plugin" in line]
    return said[0] if said else f"it stopped with code {child.returncode}"


def platform_problem(env: Mapping[str, str] | None = None, probe: bool = True) -> str | None:
    """Why Qt's X11 platform cannot start here (a message for the user), or None.

    Only Linux with the xcb platform (Qt's default there) is checked; elsewhere Qt
    reports its own problems without aborting.
    """
    env = os.environ if env is None else env
    platform = env.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or (platform and not platform.startswith("xcb")):
        return None
    if not platform and env.get("WAYLAND_DISPLAY"):
        return None  # Qt uses Wayland here
    if not env.get("DISPLAY"):
        return (
            "The desktop app cannot open its window: no display was found (DISPLAY is not set). "
            f"Start it from a desktop session, or over SSH with X forwarding (ssh -X). {_OTHER_PLATFORM}"
        )
    missing = [package for library, package in XCB_LIBRARIES.items() if library not in _loadable(list(XCB_LIBRARIES))]
    if missing:
        return (
            "The desktop app cannot start: Qt's X11 platform plugin (xcb) needs system libraries that "
            f"are not installed: {', '.join(missing)}. {_INSTALL.format(packages=' '.join(missing))} {_OTHER_PLATFORM}"
        )
    reason = _probe(env) if probe else None
    if reason is None:
        return None
    packages = " ".join(XCB_LIBRARIES.values())
    return (
        f"The desktop app cannot start: Qt could not load its X11 platform plugin (xcb) on display "
        f"{env.get('DISPLAY')} ({reason}). Check that the display is running and that you may use it. "
        f"{_INSTALL.format(packages=packages)} {_OTHER_PLATFORM}"
    )


def launch(argv: Sequence[str]) -> int:
    """Run the GUI; ``GuiUnavailable`` when Qt cannot be loaded."""
    try:
        from bundler.gui.app import main as gui_main
        from bundler.gui.qt_probe import qt_running
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "PySide6":
            raise
        raise GuiUnavailable(MISSING_QT) from None
    except ImportError as exc:  # e.g. Qt's own system libraries missing on a bare Linux
        raise GuiUnavailable(f"The desktop app cannot start ({exc}). {MISSING_QT.split('. ', 1)[1]}") from None
    if not qt_running() and not _platform_argument(argv) and (problem := platform_problem()) is not None:
        raise GuiUnavailable(problem)
    return gui_main(list(argv))


def _platform_argument(argv: Sequence[str]) -> bool:
    """Qt's own ``-platform NAME`` argument was given: the user chose the platform."""
    return any(arg in ("-platform", "--platform") or arg.startswith("-platform=") for arg in argv)


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
