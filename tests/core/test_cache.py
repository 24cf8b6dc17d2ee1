"""Emptying the cache removes what bundler put there, including what a write cut short left
beside its target (a redaction worker killed by Cancel), and nothing of the user's."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bundler.core.cache import cache_entries, clear_cache, tidy_due

HASH = "b41ee3da0d2eff87c110dc224356c494f5ad8787df686a9feea55c847948afd4"


def test_clearing_removes_ours_and_what_a_cut_write_left_and_nothing_else(tmp_path: Path) -> None:
    ours = [tmp_path / f"{HASH}.redacted.pdf", tmp_path / "file-hashes.json", tmp_path / "chunks" / "x.chunk"]
    for path in ours:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"kept")
    # a write cut short: the temporary file ``atomic_output`` makes beside its target, as a killed
    # process leaves it (made the same way: ``tempfile.mkstemp`` with its prefix and suffix)
    for target in (f"{HASH}.redacted.json", "file-hashes.json"):
        fd, name = tempfile.mkstemp(prefix=f".{target}.", suffix=".tmp", dir=tmp_path)
        os.write(fd, b"part of a copy")
        os.close(fd)
    users = [tmp_path / ".notes.tmp", tmp_path / "my.tmp", tmp_path / "Letter.pdf", tmp_path / ".file-hashes.json.tmp"]
    for path in users:
        path.write_bytes(b"the user's")
    leftovers = sorted(p.name for p in tmp_path.glob(".*.tmp") if p not in users)
    assert len(leftovers) == 2 and all(name.endswith(".tmp") for name in leftovers)
    assert {p.name for p in cache_entries(tmp_path)} >= set(leftovers)
    count, _ = clear_cache(tmp_path)
    assert count == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in users)


def test_a_store_is_tidied_at_most_once_a_day(tmp_path: Path) -> None:
    store = tmp_path / "verdicts"
    assert tidy_due(store)  # never tidied (the folder is made for its marker)
    assert not tidy_due(store)  # just tidied
    marker = store / ".tidied"
    os.utime(marker, (time.time() - 25 * 3600,) * 2)
    assert tidy_due(store) and not tidy_due(store)
    os.utime(marker, (time.time() + 3600,) * 2)  # a clock put back: tidied "in the future" is due
    assert tidy_due(store)
    assert ".tidied" in [p.name for p in store.iterdir()] and store in cache_entries(tmp_path)
