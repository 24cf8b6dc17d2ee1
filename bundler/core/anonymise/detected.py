"""Detection results kept per document: exactly what a fresh detect gives, or nothing.

An entry holds one document's hits (matched text, context, rule: what the review lists)
and names what they were found for: the sha256 of the PDF bytes read, the document's id
and title (both are in each hit), the protected targets searched (every form with its
replacement, source, category and reason, in matching order) and the detector's version
(a hash of the detection code, the matcher and the PDF libraries, ``versions.py``). Any
change to one of them is a miss, and the document is read again. Rejected hits are not
part of it: detection returns them too and the caller sets them aside.

The hits are unredacted text, so only they are kept (no page text), one entry per
document: a detect with another register replaces the entry, so old registers' finds do
not pile up. Entries are owner-only files, written atomically, and carry an HMAC made
with a secret kept beside them, as gate verdicts do: an entry edited, copied under
another name, cut short or written by another program does not verify and is ignored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.terms import Target
from bundler.core.anonymise.versions import detector_version
from bundler.core.fsutil import atomic_output

__all__ = ["DetectedStore", "Found", "FOLDER"]

FOLDER = "detected"  # under the cache folder; ``bundler cache clear`` removes it
_SECRET = "secret.key"
_HIT_FIELDS = ("key", "page", "text", "context", "rule", "category", "suggestion", "start", "end")


@dataclasses.dataclass(frozen=True)
class Found:
    """One document's detection: its hits, and whether its file opens only with a password."""

    digest: str  # sha256 of the PDF bytes that were read
    hits: list[Hit]
    encrypted: bool = False


def _targets_key(targets: Sequence[Target]) -> str:
    rows = [[t.text, t.replacement, t.source_id, t.category, t.reason] for t in targets]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def _write_private(path: Path, data: bytes) -> None:
    with atomic_output(path, suffix=".part") as tmp:
        tmp.chmod(0o600)
        tmp.write_bytes(data)


class DetectedStore:
    """Entries under ``cache_dir/detected``; a store that cannot be read or written keeps nothing."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / FOLDER

    def _secret(self, create: bool) -> bytes | None:
        path = self.folder / _SECRET
        with contextlib.suppress(OSError):
            secret = path.read_bytes()
            if len(secret) == 32:
                return secret
        if not create:
            return None
        try:
            _write_private(path, os.urandom(32))
            return path.read_bytes()
        except OSError:
            return None

    def _path(self, digest: str, document_id: str, title: str) -> Path:
        slot = json.dumps([digest, document_id, title], ensure_ascii=False).encode()
        return self.folder / f"{hashlib.sha256(slot).hexdigest()[:40]}.hits"

    @staticmethod
    def _fields(digest: str, document_id: str, title: str, targets: Sequence[Target]) -> dict[str, str]:
        return {
            "pdf": digest,
            "document": document_id,
            "title": title,
            "targets": _targets_key(targets),
            "detector": detector_version(),
        }

    @staticmethod
    def _mac(secret: bytes, body: dict[str, Any]) -> str:
        return hmac.new(secret, json.dumps(body, sort_keys=True).encode(), hashlib.sha256).hexdigest()

    def readable(self) -> bool:
        """Whether an entry here could verify: without the secret nothing was ever kept (no need to hash)."""
        return self._secret(create=False) is not None

    def load(self, digest: str, document_id: str, title: str, targets: Sequence[Target]) -> Found | None:
        """The stored detection for exactly these bytes, document, targets and detector, if intact."""
        secret = self._secret(create=False)
        if secret is None:
            return None
        try:
            stored = json.loads(self._path(digest, document_id, title).read_text(encoding="utf-8"))
            body = {k: v for k, v in stored.items() if k != "mac"}
            fields = self._fields(digest, document_id, title, targets)
            if {k: body.get(k) for k in fields} != fields:
                return None  # made for another register or another detector: a miss
            if not hmac.compare_digest(str(stored.get("mac", "")), self._mac(secret, body)):
                return None
            hits = [
                Hit(document=title, document_id=document_id, **dict(zip(_HIT_FIELDS, row, strict=True)))
                for row in body["hits"]
            ]
            return Found(digest, hits, body["encrypted"] is True)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None  # missing, unreadable or not ours: read the document again

    def save(self, document_id: str, title: str, targets: Sequence[Target], found: Found) -> None:
        """Keep ``found`` for the next detect; failing to keep it only costs time then."""
        secret = self._secret(create=True)
        if secret is None:
            return
        rows = [[getattr(hit, name) for name in _HIT_FIELDS] for hit in found.hits]
        body = {**self._fields(found.digest, document_id, title, targets), "hits": rows, "encrypted": found.encrypted}
        entry = json.dumps({**body, "mac": self._mac(secret, body)}, ensure_ascii=False, sort_keys=True)
        with contextlib.suppress(OSError):
            _write_private(self._path(found.digest, document_id, title), entry.encode("utf-8"))
