"""Protected PDFs in the app: the password dialog when adding one and before a build."""

from __future__ import annotations

from pathlib import Path

from bundler.core.adding import new_document
from bundler.core.errors import BundlerError, PasswordError
from bundler.core.model import Bundle, Document
from bundler.core.pdf.passwords import Found, PasswordStore, ask_passwords, find_passwords, remember_password
from bundler.gui.prompts import Prompts
from bundler.gui.workers import Job, snapshot

__all__ = ["PasswordAsker", "NEEDS_PASSWORD"]

NEEDS_PASSWORD = ("is password-protected", "did not open with the password given")


class PasswordAsker:
    """Asks with the dialog; keeps a password in the keyring once it has opened the file."""

    def __init__(self, prompts: Prompts, store: PasswordStore) -> None:
        self._prompts, self._store = prompts, store
        self._keep: dict[str, str] = {}  # document id -> password the user asked to keep

    def unlock(self, err: PasswordError, project_dir: Path | None) -> Document | None:
        """The protected file ``err`` names, added with the password the user gives (None: cancelled)."""
        wrong = err.problem != NEEDS_PASSWORD[0]
        while (given := self._prompts.password(err.path.name, wrong, self._store.available())) is not None:
            try:
                doc = new_document(err.path, project_dir, given.password)
            except PasswordError:
                wrong = True
                continue
            if given.keep:
                self._keep_in_store(doc, given.password)
            return doc
        return None

    def finder(self, bundle: Bundle, base: Path, cache: Path) -> Job:
        """Before a build, off the window's thread: which protected PDFs no password known
        opens (every source hashed or opened, the keyring asked), on a snapshot of ``bundle``.
        What PDFs were found unencrypted is remembered in ``cache`` (``Unencrypted``)."""
        frozen, store = snapshot(bundle), self._store
        return lambda progress: find_passwords(frozen, base, store, cache, progress)

    def ask(self, bundle: Bundle, found: Found) -> None:
        """Then, on the window's thread: what was found, and the dialog for the rest
        (``PasswordError`` when the user cancels it)."""
        self._keep.clear()
        ask_passwords(bundle, found, self._ask)
        for _, doc in bundle.documents():
            if doc.id in self._keep and doc.password == self._keep[doc.id]:
                self._keep_in_store(doc, doc.password)

    def _ask(self, doc: Document, path: Path) -> str | None:
        given = self._prompts.password(path.name, doc.password is not None, self._store.available())
        if given is None:
            return None
        if given.keep:
            self._keep[doc.id] = given.password
        return given.password

    def _keep_in_store(self, doc: Document, password: str) -> None:
        try:
            remember_password(doc, password, self._store)
        except BundlerError as err:  # the keyring refused: say so; the password still works this session
            self._prompts.error(err)
