"""LibreOffice headless as a DOCX converter: batched, own profile per job, timed out, checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bundler.core.children import kill_tree, start
from bundler.core.fsutil import deal_by_size
from bundler.core.progress import Progress, check_cancel

__all__ = ["find_soffice", "convert_batch", "split_batches", "workers_for"]

_MAX_WORKERS, _FILES_PER_WORKER = 4, 6
Converted = Callable[[Path, Path], None]  # (input, its finished PDF)

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


class _Batch:
    """One soffice process and its files, in the order it converts them (one at a time)."""

    def __init__(self, proc: subprocess.Popen[bytes], outputs: list[tuple[Path, Path]]) -> None:
        self.proc, self.outputs, self.reported = proc, outputs, 0

    def finished(self) -> list[tuple[Path, Path]]:
        """The files converted since the last call: soffice takes its inputs in order, so an
        output is whole once a later one appears, and every one is once the process ended."""
        ended = self.proc.poll() is not None
        last = len(self.outputs) if ended else self._last_started()
        done = [(src, pdf) for src, pdf in self.outputs[self.reported : last] if _made(pdf)]
        self.reported = max(self.reported, last)
        return done

    def _last_started(self) -> int:
        """Index of the latest output that exists (still being written, perhaps), else ``reported``."""
        for index in range(len(self.outputs) - 1, self.reported - 1, -1):
            if self.outputs[index][1].exists():
                return index
        return self.reported


def _made(pdf: Path) -> bool:
    return pdf.exists() and pdf.stat().st_size > 0


def _wait(batches: list[_Batch], deadline: float, progress: Progress, on_converted: Converted) -> bool:
    """True when every soffice finished in time; kills them all on timeout or cancel.
    Each output is handed to ``on_converted`` as soon as it is whole."""
    try:
        while True:
            running = any(batch.proc.poll() is None for batch in batches)
            for batch in batches:
                for src, pdf in batch.finished():
                    on_converted(src, pdf)
            if not running:
                return True
            if time.monotonic() > deadline or progress.cancelled():
                check_cancel(progress)
                return False
            time.sleep(0.05)
    finally:  # timed out, cancelled or Ctrl+C: soffice is a script on Linux, soffice.bin its child
        for batch in batches:
            kill_tree(batch.proc)


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
    on_converted: Converted = lambda src, pdf: None,
) -> tuple[dict[Path, Path], str]:
    """Convert ``inputs`` with ``workers`` soffice processes at once, each with a fresh profile
    and a batch of its own in ``workdir``. On two cores two processes halve the time.

    Each output is handed to ``on_converted`` as soon as soffice has finished it, so the
    caller can work on it while the rest convert. Returns {input: pdf} for the outputs that
    appeared (inside ``workdir``; the caller checks and moves them) and a note when soffice
    did not finish in time.
    """
    batches = []
    for n, batch in enumerate(split_batches(inputs, workers)):
        profile, outdir = workdir / f"profile{n}", workdir / f"out{n}"
        outdir.mkdir()
        proc = start(
            _command(soffice, profile, outdir, batch),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        batches.append(_Batch(proc, [(src, outdir / f"{src.stem}.pdf") for src in batch]))
    finished = _wait(batches, time.monotonic() + timeout, progress, on_converted)
    done = {src: pdf for batch in batches for src, pdf in batch.outputs if _made(pdf)}
    note = "" if finished else f"LibreOffice timed out after {timeout:.0f} s"
    return done, note
