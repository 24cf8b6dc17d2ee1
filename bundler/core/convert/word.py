"""Microsoft Word as a DOCX converter: Word lays out a witness statement exactly as signed.

Windows: Word's COM automation driven from PowerShell (no pywin32 needed; PowerShell ships with
Windows). macOS: Word's AppleScript dictionary through ``osascript``. Each call opens one
document read-only, saves it as PDF and quits Word, under a timeout; the caller checks the output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bundler.core.children import run_cancellable

__all__ = ["word_available", "convert_with_word", "powershell_script", "applescript"]

_TIMEOUT = 180.0
_MAC_WORD = Path("/Applications/Microsoft Word.app")


def _word_registered() -> bool:
    """Windows: is Word's COM class registered (HKEY_CLASSES_ROOT\\Word.Application)?"""
    try:
        import winreg
    except ImportError:
        return False
    try:
        winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Word.Application\CLSID"))  # type: ignore[attr-defined,unused-ignore]
    except OSError:
        return False
    return True


def word_available() -> bool:
    """Word can be driven here: registered on Windows, installed on macOS. $BUNDLER_NO_WORD=1 turns it off."""
    if os.environ.get("BUNDLER_NO_WORD") == "1":
        return False
    if sys.platform == "win32":
        return _word_registered() and shutil.which("powershell") is not None
    if sys.platform == "darwin":
        return _MAC_WORD.is_dir() and shutil.which("osascript") is not None
    return False


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"  # PowerShell single-quoted string


def powershell_script(src: Path, dst: Path) -> str:
    """Open read-only without dialogs, export as PDF (17 = wdFormatPDF), close, quit Word."""
    return (
        "$ErrorActionPreference = 'Stop'; $w = New-Object -ComObject Word.Application; "
        "$w.Visible = $false; $w.DisplayAlerts = 0; "
        f"try {{ $d = $w.Documents.Open({_quoted(src)}, $false, $true, $false); "
        f"$d.SaveAs2({_quoted(dst)}, 17); $d.Close(0) }} finally {{ $w.Quit(0) }}"
    )


def applescript(src: Path, dst: Path) -> str:
    def posix(p: Path) -> str:
        return str(p).replace("\\", "\\\\").replace('"', '\\"')

    return (
        'tell application "Microsoft Word"\n'
        f'  set d to open file name (POSIX file "{posix(src)}") with read only\n'
        f'  save as d file name (POSIX file "{posix(dst)}") file format format PDF\n'
        "  close d saving no\n"
        "end tell\n"
    )


def _command(src: Path, dst: Path) -> list[str]:
    if sys.platform == "darwin":
        return ["osascript", "-e", applescript(src, dst)]
    return ["powershell", "-NoProfile", "-NonInteractive", "-Command", powershell_script(src, dst)]


def _never() -> bool:
    return False


def convert_with_word(src: Path, dst: Path, cancelled: Callable[[], bool] = _never) -> None:
    """Convert ``src`` to ``dst`` with Word; RuntimeError (with Word's words) when it fails.

    A cancel kills PowerShell and the Word it started (``ChildCancelled``)."""
    try:
        done = run_cancellable(_command(src.resolve(), dst.resolve()), _TIMEOUT, cancelled, text=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"Word did not convert it ({exc.__class__.__name__})") from None
    if done.returncode != 0 or not dst.is_file():
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"Word did not convert it ({last[0][:200]})")
