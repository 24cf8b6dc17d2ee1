"""Opening source PDFs safely, and page selections.

Every way a source can be unusable becomes a ``SourceError`` naming the file and
what to do; oddities pypdf repairs on the fly become notes for the build report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from bundler.core.errors import PasswordError, ProjectError, SourceError

__all__ = ["open_pdf", "check_readable", "parse_page_selection", "captured_pdf_warnings", "destination_page"]


def destination_page(reader: PdfReader, destination: object) -> int:
    """0-based page a bookmark points at, or -1 when it points nowhere we can find."""
    number = reader.get_destination_page_number(destination)  # type: ignore[arg-type]
    return -1 if number is None else number


_READD = "then add it again"


def check_readable(path: Path) -> None:
    """Missing and empty files fail here, before any parser sees them."""
    if not path.exists():
        raise SourceError(path, "cannot be found", f"Check it was not moved or renamed, {_READD}")
    if path.is_dir():
        raise SourceError(path, "is a folder, not a document", "Add the files inside it instead")
    if path.stat().st_size == 0:
        raise SourceError(path, "is empty (0 bytes)", f"Get a complete copy of the document, {_READD}")


def _sniff_pdf(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise SourceError(
            path,
            "is not a PDF although its name ends in .pdf",
            f"Open it in the program that made it and export it as PDF, {_READD}",
        )


def _decrypt(reader: PdfReader, path: Path, password: str | None) -> None:
    if reader.decrypt("") or (password is not None and reader.decrypt(password)):
        return
    if password is None:
        raise PasswordError(
            path, "is password-protected", f"Give its password (--password) or remove the protection, {_READD}"
        )
    raise PasswordError(path, "did not open with the password given", "Check the password and try again")


@contextmanager
def captured_pdf_warnings(notes: list[str], name: str) -> Iterator[None]:
    """pypdf logs repairs as warnings; keep them as build-report notes instead."""

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = f"{name}: {record.getMessage()}"
            if message not in notes:
                notes.append(message)

    handler = _Collect(logging.WARNING)
    logger = logging.getLogger("pypdf")
    logger.addHandler(handler)
    old_propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


def open_pdf(path: Path, password: str | None = None, notes: list[str] | None = None) -> PdfReader:
    """A ready ``PdfReader`` with at least one page, decrypted if it needs to be."""
    check_readable(path)
    _sniff_pdf(path)
    with captured_pdf_warnings(notes if notes is not None else [], path.name):
        try:
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted:
                _decrypt(reader, path, password)
            count = len(reader.pages)
        except DependencyError:
            raise PasswordError(
                path,
                "uses AES encryption and this installation lacks the 'cryptography' package",
                "Reinstall bundler with its dependencies (pip install bundler), then add it again",
            ) from None
        except (FileNotDecryptedError, NotImplementedError) as exc:
            raise PasswordError(
                path, f"uses encryption we cannot open ({exc})", f"Remove the protection, {_READD}"
            ) from None
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise SourceError(
                path, "is damaged and cannot be read", f"Re-save it (e.g. print it to a new PDF), {_READD}"
            ) from None
    if count == 0:
        raise SourceError(path, "has no pages", f"Check you have the right file, {_READD}")
    return reader


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def parse_page_selection(selection: str, page_count: int, name: str) -> list[int]:
    """'1-3,5' → [0, 1, 2, 4] (0-based); empty selects every page."""
    if not selection.strip():
        return list(range(page_count))
    pages: list[int] = []
    for part in selection.split(","):
        m = _RANGE.match(part)
        first, last = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, 0)
        if not m or first < 1 or last < first or last > page_count:
            raise ProjectError(
                f"Page selection '{selection}' for '{name}' does not fit its {page_count} page(s). "
                "Use ranges like '1-3,5' within the document."
            )
        pages.extend(range(first - 1, last))
    return pages
