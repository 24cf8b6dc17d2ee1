"""Opening a finished PDF with both engines at once, for checks that read it twice.

``pdf.sources.open_pdf`` opens a *source* for the build (pypdf only, warnings kept as
notes); this opens a file to be checked or read (a bundle, a skeleton argument) with
pypdf and pdfium together, with the same messages for a damaged or protected file.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from bundler.core.errors import PasswordError, SourceError
from bundler.core.pdf.decrypting import unlock
from bundler.core.pdf.quickreader import QuickReader

__all__ = ["open_both"]

_DAMAGED = "is damaged and cannot be read"
_RESAVE = "Re-save it (e.g. print it to a new PDF) and check it again"


def open_both(path: Path, password: str | None = None) -> tuple[PdfReader, pdfium.PdfDocument]:
    """Open ``path`` with both engines, or raise SourceError / PasswordError."""
    _check_is_pdf(path)
    reader, used = _open_reader(path, password)
    try:
        return reader, pdfium.PdfDocument(path, password=used)
    except pdfium.PdfiumError as err:
        raise SourceError(path, _DAMAGED, _RESAVE) from err


def _check_is_pdf(path: Path) -> None:
    if not path.is_file():
        raise SourceError(path, "cannot be found", "Check the file name and folder")
    with open(path, "rb") as fh:
        if b"%PDF-" not in fh.read(1024):
            raise SourceError(path, "is not a PDF", "Check the bundle's PDF file instead")


def _open_reader(path: Path, password: str | None) -> tuple[PdfReader, str | None]:
    """The reader, decrypted if need be, and the password that opened it."""
    try:
        reader = QuickReader(path)
        used = unlock(reader, path, password, "then check it again") if reader.is_encrypted else None
        count = len(reader.pages)  # forces the page tree: a broken file fails here
    except (FileNotDecryptedError, NotImplementedError) as err:
        raise PasswordError(
            path,
            f"uses encryption we cannot open ({err})",
            "Remove the protection and check it again",
        ) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        raise SourceError(path, _DAMAGED, _RESAVE) from err
    if count == 0:
        raise SourceError(path, "has no pages", "Check you have the right file")
    return reader, used
