"""Stored gate verdicts: "these chunk bytes hold none of these targets", per gate version.

A verdict names exactly what it vouches for — the sha256 of a stored chunk's bytes,
the protected targets searched (text, category), the gate's own version (a hash
of its source, the matcher's and the PDF libraries' versions) and the version of the
code that laid the chunk out for the search (``maker``) — and it is written
only by the gate, after a full search found nothing. Any change to the chunk, the
register or the gate gives a new key, so the old verdict is never consulted.

The entry repeats its key material and carries an HMAC made with a secret kept
beside the verdicts: an entry copied under another key, edited by hand, written by
another program or cut short does not verify and is ignored (the chunk is then read
in full, as if no verdict existed). It does not stop someone who can read the secret
and change the user's files at will: such a person could change the program too.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from bundler.core.anonymise.terms import Target
from bundler.core.anonymise.versions import gate_version, redactor_version
from bundler.core.fsutil import atomic_output

__all__ = ["VerdictStore", "targets_key", "ImagesRead"]

_SECRET = "secret.key"
_MAX_AGE = 90 * 24 * 3600.0  # seconds a verdict is kept after its last use


def targets_key(targets: Sequence[Target]) -> str:
    """The targets as the gate searches for them: each form and its category, sorted."""
    forms = sorted({(t.text, t.category) for t in targets})
    return hashlib.sha256(json.dumps(forms, ensure_ascii=False).encode()).hexdigest()


class VerdictStore:
    """Verdicts on disk under ``folder``; a store that cannot be read or written vouches for nothing."""

    def __init__(self, folder: Path, maker: str = "") -> None:
        self.folder = folder
        self.maker = maker  # the version of the code that lays a chunk out for the search
        self._key: bytes | None = None  # the secret, once read: a rebuild asks about every chunk

    def _secret(self, create: bool) -> bytes | None:
        if self._key is None:
            self._key = self._read_secret(create)
        return self._key

    def _read_secret(self, create: bool) -> bytes | None:
        path = self.folder / _SECRET
        try:
            secret = path.read_bytes()
        except OSError:
            secret = b""
        if len(secret) == 32 or not create:
            return secret if len(secret) == 32 else None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_output(path, suffix=".part") as tmp:
                tmp.write_bytes(os.urandom(32))
                tmp.chmod(0o600)
            return path.read_bytes()
        except OSError:
            return None

    def _fields(self, digest: str, targets: Sequence[Target]) -> dict[str, str]:
        gate = gate_version()
        return {"chunk": digest, "targets": targets_key(targets), "gate": gate, "maker": self.maker, "verdict": "clean"}

    def _path(self, fields: dict[str, str]) -> Path:
        name = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:40]
        return self.folder / f"{name}.verdict"

    @staticmethod
    def _mac(secret: bytes, fields: dict[str, str]) -> str:
        return hmac.new(secret, json.dumps(fields, sort_keys=True).encode(), hashlib.sha256).hexdigest()

    def is_clean(self, digest: str, targets: Sequence[Target]) -> bool:
        """True only for an intact verdict, made by this gate for these targets and these bytes."""
        fields, secret = self._fields(digest, targets), self._secret(create=False)
        if secret is None:
            return False
        try:
            stored = json.loads(self._path(fields).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return False
        if not isinstance(stored, dict) or {k: stored.get(k) for k in fields} != fields:
            return False
        if not hmac.compare_digest(str(stored.get("mac", "")), self._mac(secret, fields)):
            return False
        with contextlib.suppress(OSError):
            os.utime(self._path(fields))  # recently used: kept by ``prune``
        return True

    def prune(self, max_age: float = _MAX_AGE) -> None:
        """Forget verdicts not used for ``max_age`` seconds (their chunks are long gone)."""
        cutoff = time.time() - max_age
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*.verdict"):
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)

    def record_clean(self, digest: str, targets: Sequence[Target]) -> None:
        """Store that the gate found nothing in these bytes; failing to store only costs time."""
        fields, secret = self._fields(digest, targets), self._secret(create=True)
        if secret is None:
            return
        entry = json.dumps({**fields, "mac": self._mac(secret, fields)}, sort_keys=True)
        try:
            with atomic_output(self._path(fields), suffix=".part") as tmp:
                tmp.write_text(entry, encoding="utf-8")
        except OSError:
            return


class ImagesRead:
    """Image bytes whose printable runs the gate's own reading (``finder.holds_target`` over
    ``syntax.printable_runs``) found clean of ``targets``, kept by the bytes' sha256 beside the
    chunk verdicts. The sanitiser reads every image of a new document so, to make it spell
    nothing; the search of that document's chunk (another process) then need not read the
    same bytes again. A verdict names the gate's code, the sanitiser's (which records it) and
    the targets, and is signed like any other (``VerdictStore``)."""

    def __init__(self, cache: Path, targets: Sequence[Target]) -> None:
        self.store = VerdictStore(cache / "verdicts", f"image-bytes-{redactor_version()}")
        self.targets = list(targets)

    @staticmethod
    def _digest(data: bytes) -> str:
        return hashlib.sha256(b"image bytes\x00" + data).hexdigest()

    def record(self, data: bytes) -> None:
        """``data`` was read as the gate reads an image's bytes and held no target."""
        self.store.record_clean(self._digest(data), self.targets)

    def __call__(self, data: bytes) -> bool:
        """Whether ``data`` was read so before and held no target."""
        return bool(self.targets) and self.store.is_clean(self._digest(data), self.targets)
