"""PDF passwords: asked for when needed, kept only where the user chose (PRODUCT.md §7).

A password is not written into the project file. It lives in memory for the session
(``Document.password``); the user may ask to keep it in the operating system's keyring,
where there is one. Older project files that hold a password still load and build
(``Document.password_kept == "project"``); :func:`move_to_keyring` moves it out.
Passwords are keyed by the source's SHA-256, so the key names neither file nor person.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from pypdf import PdfReader

from bundler.core.errors import PasswordError, ProjectError
from bundler.core.model import Bundle, Document
from bundler.core.pdf.decrypting import unlock
from bundler.core.pdf.repair import opens_by_right
from bundler.core.pdf.sources import captured_pdf_warnings

__all__ = [
    "PasswordStore",
    "KeyringStore",
    "NoStore",
    "needs_password",
    "supply_passwords",
    "remember_password",
    "move_to_keyring",
    "recall_passwords",
    "Ask",
]

SERVICE = "bundler PDF passwords"
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


def _plainly_unencrypted(path: Path) -> bool:
    """qpdf opens ``path`` and finds no encryption: the quick answer for most files (pypdf
    would parse the whole cross-reference in Python to say the same). Not PDFium, though it
    is quicker: it takes an ``/Encrypt`` that is a stream for no encryption at all, where
    pypdf reads the stream's dictionary as the security handler and asks for the password
    (qpdf refuses such a file, so pypdf decides)."""
    try:
        import pikepdf  # noqa: PLC0415 - 40 ms to import: a build that opens no source needs none

        with pikepdf.open(path) as pdf:
            return not pdf.is_encrypted
    except Exception:  # noqa: BLE001 - any doubt: pypdf decides, as before
        return False


def needs_password(path: Path, password: str | None) -> bool:
    """True when ``path`` is an encrypted PDF that neither the empty password nor ``password`` opens."""
    if _plainly_unencrypted(path):
        return False
    try:
        with captured_pdf_warnings([], path.name):  # pypdf's complaints belong to the stage that reads it
            reader = PdfReader(path, strict=False)
            if not reader.is_encrypted:
                return False
            unlock(reader, path, password, "then build again")  # the rule every stage opens files by
            return False
    except PasswordError:
        # pypdf may fail on an oddly made encryption dictionary that qpdf reads; the build repairs
        # such a file with qpdf, so what counts then is whether qpdf opens it by right.
        return not opens_by_right(path, password)
    except Exception:  # noqa: BLE001 - a damaged file is reported by the stage that reads it
        return False


def supply_passwords(bundle: Bundle, base: Path, store: PasswordStore, ask: Ask | None) -> None:
    """Give every protected PDF its password: from memory, the keyring, or by asking.

    Raises ``PasswordError`` naming the file when it cannot be opened and no one can be asked.
    """
    for _, doc in bundle.documents():
        if doc.kind != "pdf":
            continue
        path = base / doc.path
        if doc.password is None and not needs_password(path, None):
            continue  # not protected: the keyring is not asked (on Windows each question costs)
        if doc.password is None:
            doc.password = store.get(doc.sha256)
        while needs_password(path, doc.password):
            given = ask(doc, path) if ask is not None else None
            if given is None:
                raise PasswordError(
                    path,
                    "is password-protected" if doc.password is None else "did not open with the password kept for it",
                    "Build in a terminal to be asked for it, or open the project in the app",
                )
            doc.password = given


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
