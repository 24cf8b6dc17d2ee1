"""Asking for a PDF's password in a terminal, and keeping it only if the user says so."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from bundler.core.model import Document
from bundler.core.pdf.passwords import Ask, KeyringStore, needs_password, remember_password

__all__ = ["terminal_ask", "password_for_add", "keep_if_asked"]


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
