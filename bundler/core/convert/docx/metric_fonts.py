"""The document's own fonts where the system has them, else metric-compatible free ones.

Liberation Serif/Sans/Mono have the widths of Times New Roman, Arial and Courier New;
Carlito those of Calibri, Caladea those of Cambria (all SIL OFL). With them a line of a
witness statement breaks where Word breaks it, so cited pages stay the pages Word made.
Fonts are found with fontconfig (Linux, and macOS with it installed), in the Windows and
macOS font folders, or in ``resources/fonts``; a face found nowhere falls back to DejaVu.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from bundler.core.assets import resource_path

__all__ = ["metric_face", "SUBSTITUTES"]

SUBSTITUTES = {
    "times new roman": "Liberation Serif",
    "times": "Liberation Serif",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "courier new": "Liberation Mono",
    "courier": "Liberation Mono",
    "calibri": "Carlito",
    "cambria": "Caladea",
}
_STYLES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic", (True, True): "BoldItalic"}
# Windows file names of the document fonts most statements use.
_WINDOWS_FILES = {
    "times new roman": ("times", "timesbd", "timesi", "timesbi"),
    "arial": ("arial", "arialbd", "ariali", "arialbi"),
    "courier new": ("cour", "courbd", "couri", "courbi"),
    "calibri": ("calibri", "calibrib", "calibrii", "calibriz"),
    "cambria": ("cambria", "cambriab", "cambriai", "cambriaz"),
}


def _fc_match(family: str, bold: bool, italic: bool) -> Path | None:
    """fontconfig's file for exactly ``family`` (it substitutes freely, so the family is checked)."""
    if shutil.which("fc-match") is None:
        return None
    pattern = family + (":bold" if bold else "") + (":italic" if italic else "")
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{family}", pattern], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    file, _, families = out.partition("|")
    wanted = family.casefold()
    if file.endswith((".ttf", ".TTF")) and any(f.strip().casefold() == wanted for f in families.split(",")):
        return Path(file)
    return None


def _windows_file(family: str, bold: bool, italic: bool) -> Path | None:
    names = _WINDOWS_FILES.get(family.casefold())
    if sys.platform != "win32" or names is None:
        return None
    folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    path = folder / f"{names[[(False, False), (True, False), (False, True), (True, True)].index((bold, italic))]}.ttf"
    return path if path.is_file() else None


def _shipped(family: str, bold: bool, italic: bool) -> Path | None:
    path = resource_path("fonts", f"{family.replace(' ', '')}-{_STYLES[(bold, italic)]}.ttf")
    return path if path.is_file() else None


@cache
def _face_file(family: str, bold: bool, italic: bool) -> Path | None:
    for find in (_windows_file, _fc_match, _shipped):
        if found := find(family, bold, italic):
            return found
    return None


@cache
def _registered(family: str, bold: bool, italic: bool) -> str | None:
    """The reportlab name of ``family`` in this style, registered on first use; None if not found."""
    path = _face_file(family, bold, italic)
    if path is None:
        return None
    name = f"{family.replace(' ', '')}-{_STYLES[(bold, italic)]}"
    try:
        pdfmetrics.registerFont(TTFont(name, str(path)))
    except (TTFError, OSError):  # e.g. a PostScript-outline font reportlab cannot embed
        return None
    return name


def metric_face(font: str, bold: bool, italic: bool) -> str | None:
    """The face to set ``font`` in: the font itself when installed, else its metric twin, else None."""
    if os.environ.get("BUNDLER_DOCX_FONTS") == "dejavu":  # the old behaviour, for comparisons
        return None
    wanted = font.strip()
    if not wanted:
        wanted = "Times New Roman"  # Word's fallback for an unnamed font
    own = _registered(wanted, bold, italic)
    if own is not None:
        return own
    twin = SUBSTITUTES.get(wanted.casefold())
    return _registered(twin, bold, italic) if twin else None
