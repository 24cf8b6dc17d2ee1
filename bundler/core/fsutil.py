"""Small file-system helpers: atomic writes, content hashes, sharing files out by size."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import platformdirs

__all__ = [
    "atomic_output",
    "atomic_write_bytes",
    "sha256_file",
    "sha256_files",
    "user_cache_dir",
    "user_log_dir",
    "deal_by_size",
]

T = TypeVar("T")


def _umask() -> int:
    current = os.umask(0o022)  # the only way to read it is to set it; put it straight back
    os.umask(current)
    return current


@contextlib.contextmanager
def atomic_output(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success.

    A failed or cancelled write leaves any previous ``target`` untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the user's usual permissions
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_output(target) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_files(paths: Sequence[Path]) -> list[str]:
    """``sha256_file`` of each path, in order, two at a time: reading and hashing let go of
    the interpreter, so the threads use two cores. The first error is raised, as one by one."""
    if len(paths) < 2:
        return [sha256_file(path) for path in paths]
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return list(pool.map(sha256_file, paths))


def user_cache_dir() -> Path:
    """Where conversions and corner checks are cached: $BUNDLER_CACHE_DIR, else the
    platform's per-user cache folder. The CLI and the GUI share it, so work done by one
    is reused by the other."""
    if override := os.environ.get("BUNDLER_CACHE_DIR"):
        return Path(override)
    return Path(platformdirs.user_cache_dir("bundler", appauthor=False))


def user_log_dir() -> Path:
    """Where crash logs go: the platform's per-user log folder."""
    return Path(platformdirs.user_log_dir("bundler", appauthor=False))


def deal_by_size(items: Sequence[T], size: Callable[[T], int], groups: int) -> list[list[T]]:
    """``items`` dealt into at most ``groups`` lists of about equal total size, biggest first
    (for work shared between processes)."""
    dealt: list[list[T]] = [[] for _ in range(max(1, min(groups, len(items))))]
    loads = [0] * len(dealt)
    for item in sorted(items, key=size, reverse=True):
        lightest = loads.index(min(loads))
        dealt[lightest].append(item)
        loads[lightest] += size(item)
    return dealt
