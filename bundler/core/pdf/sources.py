"""Opening source PDFs safely, and page selections.

Every way a source can be unusable becomes a ``SourceError`` naming the file and
what to do; oddities pypdf repairs on the fly become notes for the build report.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from bundler.core.errors import PasswordError, ProjectError, SourceError
from bundler.core.pdf.decrypting import unlock
from bundler.core.pdf.quickreader import QuickReader
from bundler.core.pdf.repair import REPAIRED, repaired_bytes

__all__ = [
    "open_pdf",
    "read_pdf",
    "check_readable",
    "parse_page_selection",
    "captured_pdf_warnings",
    "destination_page",
]


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


def _parse(source: Path | io.BytesIO, path: Path, password: str | None) -> PdfReader:
    """pypdf's reading of ``source``, decrypted, its page tree walked; errors name ``path``."""
    try:
        reader = QuickReader(source, strict=False)
        if reader.is_encrypted:
            unlock(reader, path, password, _READD)
        count = len(reader.pages)
        if not isinstance(reader.trailer.get("/Size"), int):  # required; pypdf reads a file without it
            raise ValueError("no /Size in the trailer")  # but cannot copy it
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
    except SourceError:
        raise
    except Exception:  # noqa: BLE001 - whatever pypdf trips on in a damaged file means "damaged"
        raise SourceError(
            path, "is damaged and cannot be read", f"Re-save it (e.g. print it to a new PDF), {_READD}"
        ) from None
    if count == 0:
        raise SourceError(path, "has no pages", f"Check you have the right file, {_READD}")
    return reader


def read_pdf(path: Path, password: str | None = None) -> PdfReader:
    """pypdf's own reading of ``path``, with no repair: raises when pypdf alone cannot read it."""
    check_readable(path)
    _sniff_pdf(path)
    with captured_pdf_warnings([], path.name):
        return _parse(path, path, password)


def open_pdf(path: Path, password: str | None = None, notes: list[str] | None = None) -> PdfReader:
    """A ready ``PdfReader`` with at least one page, decrypted if it needs to be.

    What pypdf cannot read, qpdf may repair (``repair``): then the reader reads qpdf's
    rewrite, held in memory, and ``notes`` say the file was repaired."""
    check_readable(path)
    _sniff_pdf(path)
    notes = notes if notes is not None else []
    tried: list[str] = []  # pypdf's complaints about a file it then fails on are noise
    with captured_pdf_warnings(tried, path.name):
        try:
            reader = _parse(path, path, password)
        except SourceError as failed:
            data = repaired_bytes(path, password)
            if data is None:
                raise failed from None
            reader = _parse(io.BytesIO(data), path, None)
            notes.append(f"{path.name} {REPAIRED}")
            return reader
    notes.extend(note for note in tried if note not in notes)
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
                f"Page selection '{selection}' for '{name}' does not fit its "
                f"{page_count} {'page' if page_count == 1 else 'pages'}. "
                "Use ranges like '1-3,5' within the document."
            )
        pages.extend(range(first - 1, last))
    return pages
