"""Small file-system helpers: atomic writes, content hashes, sharing files out by size."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
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
    "KnownHashes",
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


_RACY_NS = 2_000_000_000  # a file written this close to its hashing may change again unseen
_KEEP = 20_000


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _path_key(path: Path) -> str:
    """A file's entry is named by a hash of its full path: the cache keeps no file or folder name
    (a statement's name may be the claimant's)."""
    return hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()


def _well_formed(entry: object) -> bool:
    return (
        isinstance(entry, list)
        and len(entry) == 7
        and all(type(n) is int for n in entry[:5] + entry[6:])
        and isinstance(entry[5], str)
        and len(entry[5]) == 64
    )


class KnownHashes:
    """``sha256_file`` of files, remembered by what the file system says of each (as git and make
    do): a file whose size, modification and change (Windows: creation) times, file number and
    drive are as when it was hashed gives that hash again without being read. Saving a file,
    copying one over it or replacing it changes at least one of those. A file modified or
    changed within 2 s of its hashing is never taken on trust (it could change again within
    the clock's resolution, 1 s on ext3 and on ext4 with small inodes, with its modification
    time put back); nor is one whose times are ahead of this machine's clock (a network drive).
    On Windows the change time is the creation time: a file copied over in place, keeping the
    size, with the very modification time of the version it replaces, would pass unseen.
    Kept in ``file-hashes.json`` in ``folder``, each file named by a hash of its path (None:
    nothing kept, every file is read)."""

    def __init__(self, folder: Path | None) -> None:
        self._file = folder / "file-hashes.json" if folder is not None else None
        self._known: dict[str, list[int | str]] = self._load()
        self._changed = False

    def _load(self) -> dict[str, list[int | str]]:
        try:
            known = json.loads(self._file.read_bytes()) if self._file is not None else {}
        except (OSError, ValueError, RecursionError):
            return {}  # none kept yet, or unreadable (or nested past the parser's depth): every file is read
        return {key: entry for key, entry in known.items() if _well_formed(entry)} if isinstance(known, dict) else {}

    def digests(self, paths: Sequence[Path]) -> list[str]:
        """The hash of each path, in order; a file that cannot be read raises as ``sha256_file``."""
        hashed_at = time.time_ns()
        signatures = [_signature(os.stat(path)) for path in paths]
        keys = [_path_key(path) for path in paths]
        found = [self._trusted(key, sig) for key, sig in zip(keys, signatures, strict=True)]
        todo = [n for n, digest in enumerate(found) if digest is None]
        for n, digest in zip(todo, sha256_files([paths[n] for n in todo]), strict=True):
            found[n] = digest
            self._known[keys[n]] = [*signatures[n], digest, hashed_at]
            self._changed = True
        return [str(digest) for digest in found]

    def _trusted(self, key: str, signature: list[int]) -> str | None:
        entry = self._known.get(key)
        if entry is None or entry[:5] != signature or max(signature[1], signature[2]) >= int(entry[6]) - _RACY_NS:
            return None
        return str(entry[5])

    def save(self) -> None:
        """Keep what was learnt (the newest 20,000 files); a failure only costs reading them again."""
        if self._file is None or not self._changed:
            return
        newest = sorted(self._known.items(), key=lambda item: -int(item[1][6]))[:_KEEP]
        with contextlib.suppress(OSError):
            atomic_write_bytes(self._file, json.dumps(dict(newest)).encode())
        self._changed = False


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
