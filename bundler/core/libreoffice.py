"""LibreOffice headless as a DOCX converter: batched, own profile per job, timed out, checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bundler.core.progress import Progress, check_cancel

__all__ = ["find_soffice", "convert_batch"]

_CANDIDATES = {
    "win32": [r"C:\Program Files\LibreOffice\program\soffice.exe",
              r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"],
    "darwin": ["/Applications/LibreOffice.app/Contents/MacOS/soffice"],
}


def find_soffice() -> Path | None:
    """LibreOffice's ``soffice``: $BUNDLER_SOFFICE, then PATH, then the usual install places."""
    override = os.environ.get("BUNDLER_SOFFICE")
    if override:
        return Path(override) if Path(override).exists() else None
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return Path(found)
    for candidate in _CANDIDATES.get(sys.platform, []):
        if Path(candidate).exists():
            return Path(candidate)
    return None


def _command(soffice: Path, profile: Path, outdir: Path, inputs: list[Path]) -> list[str]:
    return [
        str(soffice), f"-env:UserInstallation={profile.as_uri()}",
        "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
        "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outdir),
        *map(str, inputs),
    ]


def _wait(proc: subprocess.Popen[bytes], deadline: float, progress: Progress) -> bool:
    """True when soffice finished in time; kills it on timeout or cancel."""
    while proc.poll() is None:
        if time.monotonic() > deadline or progress.cancelled():
            proc.kill()
            proc.wait()
            check_cancel(progress)
            return False
        time.sleep(0.1)
    return True


def convert_batch(
    soffice: Path, inputs: list[Path], workdir: Path, progress: Progress, timeout: float
) -> tuple[dict[Path, Path], str]:
    """Convert ``inputs`` in one soffice call with a fresh profile in ``workdir``.

    Returns {input: pdf} for the outputs that appeared (inside ``workdir``; the caller
    checks and moves them) and a note when soffice did not finish in time.
    """
    profile, outdir = workdir / "profile", workdir / "out"
    outdir.mkdir()
    proc = subprocess.Popen(
        _command(soffice, profile, outdir, inputs),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )
    finished = _wait(proc, time.monotonic() + timeout, progress)
    results = {src: outdir / f"{src.stem}.pdf" for src in inputs}
    done = {src: pdf for src, pdf in results.items() if pdf.exists() and pdf.stat().st_size > 0}
    note = "" if finished else f"LibreOffice timed out after {timeout:.0f} s"
    return done, note
