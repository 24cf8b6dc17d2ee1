"""Finding and running Tesseract, offline, as a separate process per page.

Tesseract is optional: when it is not installed the caller gets ``None`` and
decides what to tell the user. Each run is capped by a timeout and limited to one
thread (OpenMP would otherwise fight the parallel pages for the same cores).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bundler.core.ocr.pool import Runner, run_process

__all__ = [
    "TesseractRun",
    "TesseractFailed",
    "find_tesseract",
    "tesseract_version",
    "tesseract_languages",
    "run_tesseract",
    "INSTALL_HINT",
    "ocr_remedy",
]

INSTALL_HINT = (
    "Install Tesseract OCR (Windows: the UB Mannheim installer; macOS: 'brew install tesseract'; "
    "Debian/Ubuntu: 'apt install tesseract-ocr tesseract-ocr-eng'), or set BUNDLER_TESSERACT "
    "to its program file"
)


@dataclass(frozen=True)
class TesseractRun:
    pdf: Path  # a text-only PDF page: invisible text, no image
    words: int
    text: str = ""  # what Tesseract read, as plain text


class TesseractFailed(Exception):
    """One page could not be recognised; the caller notes it and carries on."""


def _usual_places() -> list[Path]:
    if sys.platform == "win32":
        roots = [os.environ.get(k, "") for k in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA")]
        names = ["Tesseract-OCR", os.path.join("Programs", "Tesseract-OCR")]
        return [Path(r, n, "tesseract.exe") for r in roots if r for n in names]
    # Homebrew (Apple silicon, Intel) and MacPorts: GUI apps on macOS do not get the shell's PATH.
    return [
        Path(p)
        for p in (
            "/opt/homebrew/bin/tesseract",
            "/usr/local/bin/tesseract",
            "/opt/local/bin/tesseract",
            "/usr/bin/tesseract",
        )
    ]


def find_tesseract() -> Path | None:
    """$BUNDLER_TESSERACT if set (and only it), else PATH, else the usual install places."""
    chosen = os.environ.get("BUNDLER_TESSERACT")
    if chosen is not None:
        return Path(chosen) if chosen and Path(chosen).is_file() else None
    found = shutil.which("tesseract")
    if found:
        return Path(found)
    return next((p for p in _usual_places() if p.is_file()), None)


def tesseract_version(exe: Path) -> str | None:
    """'5.3.0', or None when the program does not run."""
    try:
        done = run_process([str(exe), "--version"], 30)
    except (OSError, subprocess.SubprocessError):
        return None
    first = (done.stdout or done.stderr).strip().splitlines()
    if done.returncode != 0 or not first:
        return None
    return first[0].removeprefix("tesseract").strip() or None


def tesseract_languages(exe: Path) -> set[str]:
    """The installed language packs ('eng', 'osd', ...)."""
    try:
        done = run_process([str(exe), "--list-langs"], 30)
    except (OSError, subprocess.SubprocessError):
        return set()
    lines = (done.stdout + done.stderr).splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("List of")}


def run_tesseract(
    exe: Path, image: Path, lang: str, dpi: int, timeout: float, runner: Runner = run_process
) -> TesseractRun:
    """Recognise one page image into ``<image>.pdf`` (text only) and count its words.

    ``runner``: a ``TesseractPool``'s, so that a cancel kills the process."""
    base = image.with_suffix("")
    args = [str(exe), str(image), str(base), "-l", lang, "--dpi", str(dpi), "-c", "textonly_pdf=1", "pdf", "txt"]
    try:
        done = runner(args, timeout)
    except subprocess.TimeoutExpired:
        raise TesseractFailed(f"took longer than {timeout:.0f} s") from None
    except (OSError, subprocess.SubprocessError) as err:
        raise TesseractFailed(f"could not be started ({err})") from None
    pdf, txt = base.with_suffix(".pdf"), base.with_suffix(".txt")
    if done.returncode != 0 or not pdf.is_file():
        message = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise TesseractFailed(f"failed ({message})")
    text = txt.read_text("utf-8", errors="replace") if txt.is_file() else ""
    return TesseractRun(pdf, len(text.split()), text)


def ocr_remedy() -> str:
    """How a user makes unsearchable pages searchable, on this machine."""
    if find_tesseract() is None:
        return f"{INSTALL_HINT}, then build again with OCR switched on."
    return "Build again with OCR switched on (Tesseract is installed)."
