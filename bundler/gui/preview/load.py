"""Opening a PDF for the preview, and saying in the user's words why it did not open."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtPdf import QPdfDocument

from bundler.core.errors import PasswordError, SourceError
from bundler.core.pdf.sources import check_readable

__all__ = ["load_for_preview", "file_key", "FileKey"]

FileKey = tuple[str, str | None, int, int]

_AGAIN = "then preview it again"


def _problem(path: Path, error: QPdfDocument.Error, password: str | None) -> SourceError:
    kind = QPdfDocument.Error
    if error == kind.IncorrectPassword and not password:
        return PasswordError(path, "is password-protected", f"Give its password in the document's details, {_AGAIN}")
    if error == kind.IncorrectPassword:
        return PasswordError(path, "did not open with the password given", "Check the password and try again")
    if error == kind.FileNotFound:
        return SourceError(path, "cannot be found", f"Check it was not moved or renamed, {_AGAIN}")
    if error == kind.InvalidFileFormat:
        return SourceError(
            path,
            "cannot be read as a PDF",
            "Open it in the program that made it and export it as PDF",
        )
    if error == kind.UnsupportedSecurityScheme:
        return SourceError(
            path,
            "uses a kind of protection the preview cannot open",
            "Remove the protection (print it to a new PDF), then add it again",
        )
    return SourceError(path, "could not be opened for preview", "Check the file is a complete PDF")


def load_for_preview(doc: QPdfDocument, path: Path, password: str | None) -> str | None:
    """Load ``path`` into ``doc``; None when it opened, else a message for the user."""
    try:
        check_readable(path)  # the core's words for missing, empty and folder paths
    except SourceError as err:
        return str(err)
    doc.setPassword(password or "")
    error = doc.load(str(path))
    if error != QPdfDocument.Error.None_:
        doc.close()
        return str(_problem(path, error, password))
    if doc.pageCount() < 1:
        doc.close()
        return str(SourceError(path, "has no pages", "Check it is the document you meant"))
    return None


def file_key(path: Path, password: str | None) -> FileKey | None:
    """Same path, password, size and time: the same file (a rebuilt bundle is not)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (os.path.abspath(path), password, stat.st_size, stat.st_mtime_ns)
