"""Repairing a PDF that pypdf cannot read but qpdf can: a second engine, used only then.

qpdf (through pikepdf, MPL-2.0) reconstructs a damaged cross-reference table, reads
encryption dictionaries with odd key lengths and decrypts what it was given the password
for. Its rewrite is a plain, well-formed PDF that every engine reads the same way. The
source file is never touched: the rewrite lives in memory or in the build's cache.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bundler.core.fsutil import atomic_output

if TYPE_CHECKING:
    import pikepdf

__all__ = ["REPAIRED", "repaired_bytes", "repaired_copy", "opens_by_right"]

REPAIRED = "was damaged or oddly encrypted and was repaired (rewritten by qpdf); check its pages"
_log = logging.getLogger(__name__)


def _opened_by_right(pdf: pikepdf.Pdf, password: str | None) -> bool:
    """Opened with no password, the empty *user* password, or the one given: not by a
    loophole (an empty owner password) that the user was never told about."""
    if not pdf.is_encrypted:
        return True
    return bool(pdf.user_password_matched or (password and pdf.owner_password_matched))


def opens_by_right(path: Path, password: str | None) -> bool:
    """Whether qpdf opens ``path`` with no password, the empty user password or ``password``."""
    import pikepdf  # noqa: PLC0415 - 40 ms to import: only a file pypdf or PDFium doubts needs qpdf

    try:
        with pikepdf.open(path, password=password or "") as pdf:
            return _opened_by_right(pdf, password)
    except Exception:  # noqa: BLE001 - a wrong password and damage alike: it does not open
        return False


def repaired_bytes(path: Path, password: str | None) -> bytes | None:
    """The file rewritten by qpdf, decrypted; None when qpdf cannot read it either."""
    import pikepdf  # noqa: PLC0415 - as above

    try:
        with pikepdf.open(path, password=password or "") as pdf:
            if not _opened_by_right(pdf, password) or len(pdf.pages) == 0:
                return None
            if "/Size" not in pdf.trailer:  # a trailer cut off: qpdf writes the true count only over one
                pdf.trailer.Size = 0
            out = io.BytesIO()
            pdf.save(out, encryption=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
            return out.getvalue()
    except Exception as exc:  # noqa: BLE001 - whatever qpdf fails on, the file stays "damaged"
        _log.info("qpdf could not repair %s: %s", path.name, exc)
        return None


def repaired_copy(path: Path, password: str | None, target: Path) -> bool:
    """Write the repair of ``path`` to ``target`` (atomically); False when it cannot be repaired."""
    data = repaired_bytes(path, password)
    if data is None:
        return False
    with atomic_output(target) as tmp:
        tmp.write_bytes(data)
    return True
