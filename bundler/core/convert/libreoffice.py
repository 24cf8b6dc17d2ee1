"""LibreOffice headless as a DOCX converter: batched, own profile per job, timed out, checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bundler.core.children import kill_tree, start
from bundler.core.fsutil import deal_by_size
from bundler.core.progress import Progress, check_cancel

__all__ = ["find_soffice", "convert_batch", "split_batches", "workers_for"]

_MAX_WORKERS, _FILES_PER_WORKER = 4, 6

_CANDIDATES = {
    "win32": [
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ],
    "darwin": ["/Applications/LibreOffice.app/Contents/MacOS/soffice"],
}
# Per-user and portable installs (no admin rights on firm laptops), relative to the home folder
# or %LOCALAPPDATA%; PortableApps.com's LibreOffice keeps soffice under App\libreoffice.
_USER_CANDIDATES = {
    "win32": [
        "Programs/LibreOffice/program/soffice.exe",
        "LibreOfficePortable/App/libreoffice/program/soffice.exe",
        "PortableApps/LibreOfficePortable/App/libreoffice/program/soffice.exe",
        "Desktop/LibreOfficePortable/App/libreoffice/program/soffice.exe",
        "Downloads/LibreOfficePortable/App/libreoffice/program/soffice.exe",
    ],
    "darwin": ["Applications/LibreOffice.app/Contents/MacOS/soffice"],
}
_APP_PATHS = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\soffice.exe"


def _registry_soffice() -> Path | None:
    """Windows: the installer's App Paths entry (per machine, then per user)."""
    try:
        import winreg
    except ImportError:
        return None
    for hive in ("HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER"):
        try:
            with winreg.OpenKey(getattr(winreg, hive), _APP_PATHS) as key:  # type: ignore[attr-defined,unused-ignore]
                value = winreg.QueryValue(key, None)  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            continue
        if value and Path(value.strip('"')).is_file():
            return Path(value.strip('"'))
    return None


def _user_roots() -> list[Path]:
    roots = [Path.home()]
    if local := os.environ.get("LOCALAPPDATA"):
        roots.insert(0, Path(local))
    return roots


def find_soffice(setting: str | None = None) -> Path | None:
    """LibreOffice's ``soffice``: the user's setting (``--soffice`` or the GUI's), $BUNDLER_SOFFICE,
    then PATH, the Windows registry, the usual install folders and per-user or portable installs."""
    override = setting or os.environ.get("BUNDLER_SOFFICE")
    if override:
        path = Path(override)
        if path.is_dir():  # the LibreOffice folder itself, or its program folder
            path = next(
                (
                    p
                    for p in (
                        path / "program" / "soffice.exe",
                        path / "program" / "soffice",
                        path / "soffice.exe",
                        path / "soffice",
                    )
                    if p.is_file()
                ),
                path,
            )
        return path if path.is_file() else None
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return Path(found)
    if sys.platform == "win32" and (registered := _registry_soffice()):
        return registered
    candidates = [Path(c) for c in _CANDIDATES.get(sys.platform, [])]
    candidates += [root / rel for root in _user_roots() for rel in _USER_CANDIDATES.get(sys.platform, [])]
    return next((c for c in candidates if c.is_file()), None)


def _command(soffice: Path, profile: Path, outdir: Path, inputs: list[Path]) -> list[str]:
    return [
        str(soffice),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(outdir),
        *map(str, inputs),
    ]


def _wait(procs: list[subprocess.Popen[bytes]], deadline: float, progress: Progress) -> bool:
    """True when every soffice finished in time; kills them all on timeout or cancel."""
    try:
        while any(proc.poll() is None for proc in procs):
            if time.monotonic() > deadline or progress.cancelled():
                check_cancel(progress)
                return False
            time.sleep(0.1)
        return True
    finally:  # timed out, cancelled or Ctrl+C: soffice is a script on Linux, soffice.bin its child
        for proc in procs:
            kill_tree(proc)


def split_batches(inputs: list[Path], workers: int) -> list[list[Path]]:
    """``inputs`` dealt into at most ``workers`` batches of about equal bytes, biggest first."""
    return deal_by_size(inputs, lambda p: p.stat().st_size, workers)


def workers_for(count: int) -> int:
    """How many soffice processes to run: one per core, while each gets enough files to be
    worth its start-up (about 1.3 s), and never more than four (each needs ~200 MB)."""
    return max(1, min(os.cpu_count() or 1, _MAX_WORKERS, count // _FILES_PER_WORKER))


def convert_batch(
    soffice: Path,
    inputs: list[Path],
    workdir: Path,
    progress: Progress,
    timeout: float,
    workers: int = 1,
) -> tuple[dict[Path, Path], str]:
    """Convert ``inputs`` with ``workers`` soffice processes at once, each with a fresh profile
    and a batch of its own in ``workdir``. On two cores two processes halve the time.

    Returns {input: pdf} for the outputs that appeared (inside ``workdir``; the caller
    checks and moves them) and a note when soffice did not finish in time.
    """
    procs, results = [], {}
    for n, batch in enumerate(split_batches(inputs, workers)):
        profile, outdir = workdir / f"profile{n}", workdir / f"out{n}"
        outdir.mkdir()
        procs.append(
            start(
                _command(soffice, profile, outdir, batch),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
            )
        )
        results.update({src: outdir / f"{src.stem}.pdf" for src in batch})
    finished = _wait(procs, time.monotonic() + timeout, progress)
    done = {src: pdf for src, pdf in results.items() if pdf.exists() and pdf.stat().st_size > 0}
    note = "" if finished else f"LibreOffice timed out after {timeout:.0f} s"
    return done, note
