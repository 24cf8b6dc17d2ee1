"""The cache folder: what is in it and how to empty it.

Only what bundler puts there is removed — hash-named files, its ``chunks``, ``corners``,
``verdicts``, ``sweep-verdicts``, ``preview``, ``text`` and ``detected`` folders, ``crash.log``,
``bundler.log``, ``file-hashes.json`` and ``unencrypted.json``, and what a write of one of them cut
short left beside it — so a cache folder pointed at by mistake at a folder of the user's own loses
nothing else.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import time
from pathlib import Path

__all__ = ["cache_entries", "clear_cache", "tidy_due"]

_DAY = 24 * 3600.0

_OURS = re.compile(r"^[0-9a-f]{16,}[.-]")  # every cached file is named by a content hash
_FOLDERS = ("chunks", "corners", "verdicts", "sweep-verdicts", "preview", "text", "detected")
_FILES = ("crash.log", "bundler.log", "file-hashes.json", "unencrypted.json")
# What a write cut short leaves beside its target (``fsutil.atomic_output``: ".<name>.<random>.tmp"),
# e.g. a redaction worker killed by Cancel: part of a copy, so it goes when the cache is emptied.
_LEFT = re.compile(r"^\.(?:[0-9a-f]{16,}[.-].*|(?:" + "|".join(map(re.escape, _FILES)) + r")\..+)\.tmp$")


def cache_entries(folder: Path) -> list[Path]:
    """The files and folders in ``folder`` that bundler made."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if (p.is_dir() and p.name in _FOLDERS)
        or (p.is_file() and (_OURS.match(p.name) or _LEFT.match(p.name) or p.name in _FILES))
    )


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size


def clear_cache(folder: Path) -> tuple[int, int]:
    """Remove bundler's entries from ``folder``; return how many and how many bytes."""
    entries = cache_entries(folder)
    size = sum(_size(p) for p in entries)
    for entry in entries:
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return len(entries), size


def tidy_due(folder: Path, every: float = _DAY) -> bool:
    """Whether ``folder`` (a store in the cache) is due its tidy-up: not tidied in the last
    ``every`` seconds, as a marker file in it tells; if so, the marker is set now. Listing a
    store of thousands of files costs a build a tenth of a second; what ages out in months
    need not be looked for at every build. A marker that cannot be read or set: due."""
    marker = folder / ".tidied"
    with contextlib.suppress(OSError):
        if 0 <= time.time() - marker.stat().st_mtime < every:
            return False
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        marker.touch()
    return True
