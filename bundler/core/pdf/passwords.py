"""PDF passwords: asked for when needed, kept only where the user chose (PRODUCT.md §7).

A password is not written into the project file. It lives in memory for the session
(``Document.password``); the user may ask to keep it in the operating system's keyring,
where there is one. Older project files that hold a password still load and build
(``Document.password_kept == "project"``); :func:`move_to_keyring` moves it out.
Passwords are keyed by the source's SHA-256, so the key names neither file nor person.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Protocol

from pypdf import PdfReader
from pypdf import __version__ as pypdf_version

from bundler import __version__
from bundler.core.errors import BundlerError, PasswordError, ProjectError
from bundler.core.fsutil import KnownHashes, atomic_write_bytes
from bundler.core.model import Bundle, Document
from bundler.core.pdf.decrypting import unlock
from bundler.core.pdf.repair import opens_by_right
from bundler.core.pdf.sources import captured_pdf_warnings
from bundler.core.progress import Progress, check_cancel

__all__ = [
    "PasswordStore",
    "KeyringStore",
    "NoStore",
    "needs_password",
    "supply_passwords",
    "find_passwords",
    "ask_passwords",
    "refused_unasked",
    "Found",
    "Unknown",
    "remember_password",
    "move_to_keyring",
    "recall_passwords",
    "Ask",
]

SERVICE = "bundler PDF passwords"
_QPDF_FROM = 1 << 20  # bytes: a smaller file is opened by pypdf alone (``needs_password``)
_QPDF_FOR_MORE_THAN = 8  # files not known: for more, qpdf's import pays for itself (``Unencrypted``)
Ask = Callable[[Document, Path], str | None]  # the user is asked; None when they cannot be


class PasswordStore(Protocol):
    def available(self) -> str | None:  # None when usable, else why not, in plain words
        ...

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, password: str) -> None: ...


class NoStore:
    """Nowhere to keep passwords (tests, or the user said never)."""

    def available(self) -> str | None:
        return "Passwords are not being kept on this computer."

    def get(self, key: str) -> str | None:
        return None

    def set(self, key: str, password: str) -> None:
        raise ProjectError("There is nowhere to keep this password.")


class KeyringStore:
    """The OS keyring (Windows Credential Manager, macOS Keychain, Secret Service) via ``keyring``."""

    def available(self) -> str | None:
        try:
            import keyring
            from keyring.backends import fail
        except ImportError:
            return "The 'keyring' package is not installed, so passwords cannot be kept."
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return "This computer has no keyring to keep passwords in; you will be asked each time."
        return None

    def warm(self) -> None:
        """Load the keyring's backend in a thread of its own, so a window never waits for it:
        choosing a backend imports modules that run outside tools (on Linux,
        ``ctypes.util.find_library`` starts a compiler: about 0.3 s)."""
        threading.Thread(target=self._warm, name="bundler-keyring", daemon=True).start()

    def _warm(self) -> None:
        with contextlib.suppress(Exception):  # any failure shows again, and is reported, when used
            self.available()

    def get(self, key: str) -> str | None:
        if self.available() is not None:
            return None
        import keyring

        try:
            return keyring.get_password(SERVICE, key)
        except keyring.errors.KeyringError:
            return None

    def set(self, key: str, password: str) -> None:
        why_not = self.available()
        if why_not is not None:
            raise ProjectError(why_not)
        import keyring

        keyring.set_password(SERVICE, key, password)


def _plainly_unencrypted(source: Path | BytesIO) -> bool:
    """qpdf opens ``source`` (a file, or its bytes) and finds no encryption: the quick answer
    for most files (pypdf would parse the whole cross-reference in Python to say the same).
    Not PDFium, though it is quicker: it takes an ``/Encrypt`` that is a stream for no
    encryption at all, where pypdf reads the stream's dictionary as the security handler and
    asks for the password (qpdf refuses such a file, so pypdf decides)."""
    try:
        import pikepdf  # noqa: PLC0415 - 40 ms to import: a build that opens no source needs none

        with pikepdf.open(source) as pdf:
            return not pdf.is_encrypted
    except Exception:  # noqa: BLE001 - any doubt: pypdf decides, as before
        return False


class Unencrypted:
    """The SHA-256 of sources that open without a password (``needs_password(path, None)`` is
    False), kept in ``unencrypted.json`` in the cache folder with the versions that answered:
    a rebuild need not open every source again (with qpdf: 40 ms to import, then about 0.3 ms
    a file) to learn what the same bytes said before. A file is named by its hash
    (``fsutil.KnownHashes``: read again once changed), never by its path, so a protected file
    copied over a plain one is asked about afresh. A file that needs a password is never kept:
    it is opened, and its password tried, on every build, as before. Were a kept answer ever
    wrong, nothing unsafe follows: each stage opens the file with pypdf and stops with
    "is password-protected", naming it."""

    _KEEP = 20_000

    def __init__(self, folder: Path | None) -> None:
        self._file = folder / "unencrypted.json" if folder is not None else None
        self._hashes = KnownHashes(folder)
        self._versions = f"bundler {__version__}, pypdf {pypdf_version}"
        self._known: dict[str, None] = dict.fromkeys(self._load())
        self._changed = False
        self._qpdf_for_all = False  # ``digests`` decides

    def _load(self) -> list[str]:
        try:
            kept = json.loads(self._file.read_bytes()) if self._file is not None else {}
        except (OSError, ValueError, RecursionError):
            return []  # none kept yet, or unreadable: every file is opened again
        files = kept.get("files") if isinstance(kept, dict) and kept.get("versions") == self._versions else None
        if not isinstance(files, list):
            return []  # another version may answer otherwise
        return [d for d in files if isinstance(d, str) and len(d) == 64]

    def digests(self, paths: Sequence[Path]) -> list[str | None]:
        """Each path's SHA-256 (None for one that cannot be read: its stage will say why);
        nothing is hashed without a folder to keep the answers in (all None). When more than
        ``_QPDF_FOR_MORE_THAN`` of them are not known, qpdf is worth importing for all of them
        (0.3 ms a file), not only for those of 1 MB and more."""
        found = self._digests(paths)
        self._qpdf_for_all = sum(d is None or d not in self._known for d in found) > _QPDF_FOR_MORE_THAN
        return found

    def _digests(self, paths: Sequence[Path]) -> list[str | None]:
        if self._file is None:
            return [None] * len(paths)
        try:
            return list(self._hashes.digests(paths))
        except OSError:
            found: list[str | None] = []
            for path in paths:
                try:
                    found.append(self._hashes.digests([path])[0])
                except OSError:
                    found.append(None)
            return found

    def needs_password(self, path: Path, digest: str | None) -> bool:
        """``needs_password(path, None)``, from memory when the same bytes opened without one
        before. A file not known is read once and its answer kept under the hash of the very
        bytes that gave it (a file that changes meanwhile is kept as it was read); an answer
        that came from the path (qpdf's by right) or from a failure is not kept."""
        if digest is not None and digest in self._known:
            return False
        if self._file is None:
            return needs_password(path, None)
        try:
            data = path.read_bytes()
        except OSError:
            return needs_password(path, None)  # the stage that reads it says what is wrong
        if (len(data) >= _QPDF_FROM or self._qpdf_for_all) and _plainly_unencrypted(BytesIO(data)):
            needed, own = False, True
        else:
            needed, own = _pypdf_answer(path, None, data)
        if own and not needed:
            self._known[hashlib.sha256(data).hexdigest()] = None
            self._changed = True
        return needed

    @staticmethod
    def forget(folder: Path | None) -> None:
        """Drop every kept answer (one was wrong: the file was protected after all, or changed since)."""
        if folder is not None:
            with contextlib.suppress(OSError):
                (folder / "unencrypted.json").unlink()

    def save(self) -> None:
        """Keep what was learnt (the newest answers); a failure only costs opening the files again."""
        self._hashes.save()
        if self._file is None or not self._changed:
            return
        kept = {"versions": self._versions, "files": list(self._known)[-self._KEEP :]}
        with contextlib.suppress(OSError):
            atomic_write_bytes(self._file, json.dumps(kept).encode())
        self._changed = False


def needs_password(path: Path, password: str | None) -> bool:
    """True when ``path`` is an encrypted PDF that neither the empty password nor ``password`` opens.

    A file under ``_QPDF_FROM`` bytes goes straight to pypdf, which reads it about as quickly
    as qpdf would once imported (40 ms): a rebuild with one changed file need not import it."""
    quick = _file_size(path) >= _QPDF_FROM and _plainly_unencrypted(path)
    return not quick and _pypdf_answer(path, password)[0]


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # pypdf's opening says what is wrong with it


def _pypdf_answer(path: Path, password: str | None, data: bytes | None = None) -> tuple[bool, bool]:
    """(``needs_password`` as pypdf, and where pypdf fails qpdf by right, answers it; whether
    that answer is the file's bytes' own); ``data``: the file's bytes, read already."""
    try:
        with captured_pdf_warnings([], path.name):  # pypdf's complaints belong to the stage that reads it
            reader = PdfReader(BytesIO(data) if data is not None else path, strict=False)
            if not reader.is_encrypted:
                return False, True
            unlock(reader, path, password, "then build again")  # the rule every stage opens files by
            return False, True
    except PasswordError:
        # pypdf may fail on an oddly made encryption dictionary that qpdf reads; the build repairs
        # such a file with qpdf, so what counts then is whether qpdf opens it by right.
        return not opens_by_right(path, password), False
    except Exception:  # noqa: BLE001 - a damaged file is reported by the stage that reads it
        return False, False


@dataclass(frozen=True)
class Unknown:
    """A protected PDF no password known opens: ``tried`` is the one kept for it, if any."""

    doc_id: str
    path: Path
    tried: str | None


@dataclass
class Found:
    """What ``find_passwords`` learnt without asking anyone."""

    passwords: dict[str, str] = field(default_factory=dict)  # document id -> the keyring's, which opens it
    unknown: list[Unknown] = field(default_factory=list)


def find_passwords(
    bundle: Bundle, base: Path, store: PasswordStore, cache: Path | None = None, progress: Progress | None = None
) -> Found:
    """Every protected PDF's password from memory or the keyring, asking no one: the slow part
    (each source hashed or opened), which the app runs off its window's thread.

    ``cache``: the build's cache folder, where the files found unencrypted are remembered
    (``Unencrypted``)."""
    docs = [doc for _, doc in bundle.documents() if doc.kind == "pdf"]
    if progress is not None:
        progress.stage("Checking for protected PDFs", len(docs), "file")
    plain = Unencrypted(cache)
    unasked = [doc for doc in docs if doc.password is None]
    digests = dict(zip((id(d) for d in unasked), plain.digests([base / d.path for d in unasked]), strict=True))
    found = Found()
    try:
        for doc in docs:
            if progress is not None:
                check_cancel(progress)
            path = base / doc.path
            # a file not protected is not asked about, nor the keyring (on Windows each question costs)
            if doc.password is not None or plain.needs_password(path, digests.get(id(doc))):
                tried = doc.password if doc.password is not None else store.get(doc.sha256)
                if needs_password(path, tried):
                    found.unknown.append(Unknown(doc.id, path, tried))
                elif tried is not None and tried != doc.password:
                    found.passwords[doc.id] = tried
            if progress is not None:
                progress.advance(1)
    finally:
        plain.save()
    return found


def refused_unasked(bundle: Bundle, base: Path, err: BundlerError) -> bool:
    """Whether ``err`` is a stage finding protected a file no password was given for: the
    memory of plain files was wrong about it (tampered with, or the file changed since the
    check), so the caller drops the memory (``Unencrypted.forget``) and checks again, once."""
    if not isinstance(err, PasswordError) or err.problem != "is password-protected":
        return False
    return err.path.resolve() in {(base / d.path).resolve() for _, d in bundle.documents() if d.password is None}


def ask_passwords(bundle: Bundle, found: Found, ask: Ask | None) -> None:
    """Give each document what ``find_passwords`` found, and ask for the rest (on the thread
    that may ask). Raises ``PasswordError`` naming the file when no one can be asked."""
    docs = {doc.id: doc for _, doc in bundle.documents()}
    for doc_id, password in found.passwords.items():
        if doc_id in docs:
            docs[doc_id].password = password
    for unknown in found.unknown:
        doc = docs.get(unknown.doc_id)
        if doc is None:
            continue  # removed meanwhile
        doc.password = unknown.tried
        while True:
            given = ask(doc, unknown.path) if ask is not None else None
            if given is None:
                raise PasswordError(
                    unknown.path,
                    "is password-protected" if doc.password is None else "did not open with the password kept for it",
                    "Build in a terminal to be asked for it, or open the project in the app",
                )
            doc.password = given
            if not needs_password(unknown.path, given):
                break


def supply_passwords(
    bundle: Bundle, base: Path, store: PasswordStore, ask: Ask | None, cache: Path | None = None
) -> None:
    """Give every protected PDF its password: from memory, the keyring, or by asking.

    ``cache``: the build's cache folder, where the files found unencrypted are remembered
    (``Unencrypted``). Raises ``PasswordError`` naming the file when it cannot be opened and
    no one can be asked.
    """
    ask_passwords(bundle, find_passwords(bundle, base, store, cache), ask)


def remember_password(doc: Document, password: str, store: PasswordStore) -> None:
    """Keep ``password`` in the keyring for ``doc`` (the user asked us to)."""
    store.set(doc.sha256, password)
    doc.password, doc.password_kept = password, "keyring"


def move_to_keyring(bundle: Bundle, store: PasswordStore) -> int:
    """Move passwords an older project file holds into the keyring; returns how many moved."""
    moved = 0
    for _, doc in bundle.documents():
        if doc.password_kept == "project" and doc.password is not None:
            remember_password(doc, doc.password, store)
            moved += 1
    return moved


def recall_passwords(bundle: Bundle, store: PasswordStore) -> None:
    """Passwords the user kept in the keyring, back in memory when a project is opened."""
    for _, doc in bundle.documents():
        if doc.password is None and doc.password_kept == "keyring":
            doc.password = store.get(doc.sha256)
