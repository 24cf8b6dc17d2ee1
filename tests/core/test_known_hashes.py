"""``KnownHashes``: a file's hash is taken on trust only while the file system says it is the
same file, untouched, and was hashed well after it was last written."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from bundler.core.fsutil import KnownHashes, _path_key, sha256_file

FAKE = "f" * 64  # a hash no file here has: seen back only when the kept entry was trusted


def _aged(path: Path, data: bytes, seconds_ago: float = 60) -> Path:
    path.write_bytes(data)
    then = time.time_ns() - int(seconds_ago * 1e9)
    os.utime(path, ns=(then, then))
    return path


def _kept(cache: Path, path: Path, digest: str, hashed_at: int, **changed: int) -> None:
    """A kept entry for ``path`` as it is now, with ``changed`` fields of its signature altered."""
    st = path.stat()
    fields = {"size": st.st_size, "mtime": st.st_mtime_ns, "ctime": st.st_ctime_ns, "ino": st.st_ino}
    fields |= {"dev": st.st_dev} | changed
    entry = [fields["size"], fields["mtime"], fields["ctime"], fields["ino"], fields["dev"], digest, hashed_at]
    (cache / "file-hashes.json").write_text(json.dumps({_path_key(path): entry}))


def test_a_file_hashed_once_is_known_in_the_next_session_and_is_the_same_hash(tmp_path: Path) -> None:
    files = [_aged(tmp_path / f"statement {n}.pdf", b"%PDF-1.4 " + bytes([n]) * 5000) for n in range(5)]
    first = KnownHashes(tmp_path)
    assert first.digests(files) == [sha256_file(f) for f in files]
    first.save()
    kept = json.loads((tmp_path / "file-hashes.json").read_text())
    assert sorted(kept) == sorted(_path_key(f) for f in files)
    assert "statement" not in (tmp_path / "file-hashes.json").read_text()  # no file or folder name at rest
    assert KnownHashes(tmp_path).digests(files[::-1]) == [sha256_file(f) for f in files[::-1]]


def test_a_kept_hash_is_trusted_only_while_every_part_of_the_files_signature_is_as_kept(tmp_path: Path) -> None:
    path = _aged(tmp_path / "statement.pdf", b"%PDF-1.4 Farida Khanum")
    now = time.time_ns() + 5_000_000_000  # hashed well after its last change (its change time is now)
    _kept(tmp_path, path, FAKE, now)
    assert KnownHashes(tmp_path).digests([path]) == [FAKE]  # trusted: the file was not read
    st = path.stat()
    for field, value in {
        "size": st.st_size + 1,
        "mtime": st.st_mtime_ns + 1,
        "ctime": st.st_ctime_ns + 1,
        "ino": st.st_ino + 1,
        "dev": st.st_dev + 1,
    }.items():
        _kept(tmp_path, path, FAKE, now, **{field: value})
        assert KnownHashes(tmp_path).digests([path]) == [sha256_file(path)], field


def test_a_file_written_close_to_its_hashing_or_in_the_future_is_read_again(tmp_path: Path) -> None:
    path = _aged(tmp_path / "statement.pdf", b"%PDF-1.4 Farida Khanum")
    mtime = path.stat().st_mtime_ns
    _kept(tmp_path, path, FAKE, mtime + 1_000_000_000)  # hashed 1 s after it was written
    assert KnownHashes(tmp_path).digests([path]) == [sha256_file(path)]
    _kept(tmp_path, path, FAKE, path.stat().st_ctime_ns + 1_000_000_000)  # old time put back, changed 1 s before
    assert KnownHashes(tmp_path).digests([path]) == [sha256_file(path)]
    _kept(tmp_path, path, FAKE, mtime - 10_000_000_000)  # "hashed" before it was written
    assert KnownHashes(tmp_path).digests([path]) == [sha256_file(path)]
    fresh = tmp_path / "fresh.pdf"
    fresh.write_bytes(b"%PDF-1.4 just saved")
    known = KnownHashes(tmp_path)
    known.digests([fresh])
    known.save()
    _kept(tmp_path, fresh, FAKE, json.loads((tmp_path / "file-hashes.json").read_text())[_path_key(fresh)][6])
    assert KnownHashes(tmp_path).digests([fresh]) == [sha256_file(fresh)]  # written < 2 s before: never trusted


def test_a_file_rewritten_to_the_same_size_with_its_old_time_put_back_is_read_again(tmp_path: Path) -> None:
    path = _aged(tmp_path / "statement.pdf", b"%PDF-1.4 date 2023")
    known = KnownHashes(tmp_path)
    before = known.digests([path])
    known.save()
    st = path.stat()
    time.sleep(0.01)
    path.write_bytes(b"%PDF-1.4 date 2024")  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old modification time
    after = KnownHashes(tmp_path).digests([path])
    assert after == [sha256_file(path)] and after != before


@pytest.mark.parametrize("kept", ["not json", "[1, 2]", '{"x": [1, 2, 3]}', '{"x": "y"}'])
def test_an_unreadable_store_only_costs_reading_the_files(tmp_path: Path, kept: str) -> None:
    path = _aged(tmp_path / "a.pdf", b"%PDF-1.4 a")
    (tmp_path / "file-hashes.json").write_text(kept)
    assert KnownHashes(tmp_path).digests([path]) == [sha256_file(path)]


def test_a_missing_file_raises_as_reading_it_would(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        KnownHashes(tmp_path).digests([tmp_path / "gone.pdf"])
