"""Asking for a PDF's password in a terminal, and keeping it only if the user says so."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bundler.core.errors import PasswordError
from bundler.core.model import Bundle, Document
from bundler.core.pdf.passwords import (
    Ask,
    KeyringStore,
    Unencrypted,
    needs_password,
    refused_unasked,
    remember_password,
    supply_passwords,
)

__all__ = ["terminal_ask", "password_for_add", "keep_if_asked", "with_passwords"]

T = TypeVar("T")


def _ask(path: Path) -> str | None:
    try:
        given = getpass.getpass(f"Password for '{path.name}' (not shown; Enter to stop): ")
    except (EOFError, KeyboardInterrupt):
        return None
    return given or None


def terminal_ask() -> Ask | None:
    """Ask in the terminal when there is one; in a script (no terminal) nobody can be asked."""
    if not sys.stdin.isatty():
        return None
    return lambda doc, path: _ask(path)


def password_for_add(path: Path, given: str | None) -> str | None:
    """``--password`` as given, else asked for in a terminal when the PDF needs one."""
    if given is not None or path.suffix.lower() != ".pdf" or not needs_password(path, None):
        return given
    ask = terminal_ask()
    return _ask(path) if ask is not None else None  # None: adding reports the protected file by name


def keep_if_asked(doc: Document, remember: bool) -> str | None:
    """Keep the password in the OS keyring if the user asked; a line saying what happened."""
    if not remember or doc.password is None:
        return None
    store = KeyringStore()
    why_not = store.available()
    if why_not is not None:
        return f"{why_not} The password of '{Path(doc.path).name}' was not kept."
    remember_password(doc, doc.password, store)
    return f"The password of '{Path(doc.path).name}' is kept in this computer's keyring."


def with_passwords(bundle: Bundle, base: Path, cache: Path, job: Callable[[], T]) -> T:
    """Give every protected PDF its password (asking in the terminal), then run ``job``.

    A stage that still finds a file protected, with no password given for it, means the
    memory of plain files was wrong (the file changed since, or the memory was tampered
    with): it is dropped, the question asked again, and ``job`` run once more, so the user
    is asked rather than told of an option ``build`` does not have."""
    supply_passwords(bundle, base, KeyringStore(), terminal_ask(), cache)
    try:
        return job()
    except PasswordError as err:
        if not refused_unasked(bundle, base, err):
            raise
        Unencrypted.forget(cache)
        supply_passwords(bundle, base, KeyringStore(), terminal_ask(), cache)
        return job()
