"""Schedules of redactions already made, kept in the cache (not an output: the bundle's
schedule is written by the gated writer, ``schedule.write_schedule_docx``).

An unchanged schedule's Word file is taken from here instead of made again; a kept file is
used only while it is a whole Word package, and those made more than a week ago go.
"""

from __future__ import annotations

import contextlib
import io
import time
import zipfile
from pathlib import Path

from bundler.core.fsutil import atomic_write_bytes

__all__ = ["kept_docx", "keep_docx"]

_KEPT_DAYS = 7


def kept_docx(kept: Path) -> bytes | None:
    """The kept file's bytes when they are a whole Word package (every part's checksum right);
    None when it was never made, or was cut short or damaged since (it is made again)."""
    try:
        data = kept.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return data if package.testzip() is None and "word/document.xml" in package.namelist() else None
    except Exception:  # noqa: BLE001 - whatever is wrong with a kept file, it is made again
        return None


def keep_docx(kept: Path, data: bytes) -> None:
    """Store ``data`` as ``kept``; schedules made more than a week ago are let go (they are dated
    to their day, so no build will ask for them again)."""
    with contextlib.suppress(OSError):
        atomic_write_bytes(kept, data)
        stale = time.time() - _KEPT_DAYS * 86400
        for old in kept.parent.glob("*.schedule.docx"):
            with contextlib.suppress(OSError):
                if old.stat().st_mtime < stale:
                    old.unlink()
