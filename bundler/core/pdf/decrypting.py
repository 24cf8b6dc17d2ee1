"""One rule for opening an encrypted PDF, whichever engine reads it next.

An empty password counts only when it opens the file as its *user*: a file with a user
password and an empty owner password (AES-256 allows it) would otherwise be taken in
without the password its author set, and then fail in an engine that does not accept the
empty owner password. The password that opened the file is handed on to those engines.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PasswordType, PdfReader

from bundler.core.errors import PasswordError

__all__ = ["unlock"]


def unlock(reader: PdfReader, path: Path, password: str | None, again: str) -> str:
    """Decrypt ``reader`` and return the password that opened it ("" for none needed).

    ``again`` ends the remedy, e.g. "then add it again"."""
    if reader.decrypt("") == PasswordType.USER_PASSWORD:
        return ""
    if password and reader.decrypt(password) != PasswordType.NOT_DECRYPTED:
        return password
    if not password:
        raise PasswordError(
            path, "is password-protected", f"Give its password (--password) or remove the protection, {again}"
        )
    raise PasswordError(path, "did not open with the password given", "Check the password and try again")
