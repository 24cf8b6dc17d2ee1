"""Looking at a file before it joins a bundle: is it usable, and what does it say it is?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from bundler.core.convert.docx.integrity import check_docx
from bundler.core.errors import ConversionError, SourceError
from bundler.core.model import DOCX_SUFFIXES, IMAGE_SUFFIXES, PDF_SUFFIXES
from bundler.core.pdf.repair import REPAIRED
from bundler.core.pdf.sources import check_readable, open_pdf

__all__ = ["Probe", "probe_file", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = PDF_SUFFIXES | DOCX_SUFFIXES | IMAGE_SUFFIXES


@dataclass(frozen=True)
class Probe:
    title: str = ""  # from the document's own metadata
    date: str = ""  # raw metadata date (PDF date string or ISO)
    pages: int | None = None  # None for DOCX: only a converter knows
    notes: tuple[str, ...] = ()  # e.g. that a damaged PDF was repaired to read it


def _probe_pdf(path: Path, password: str | None) -> Probe:
    notes: list[str] = []
    reader = open_pdf(path, password, notes)
    try:
        meta: dict[str, Any] = dict(reader.metadata or {})
    except Exception:  # noqa: BLE001 - a damaged info dictionary only costs the proposed title
        meta = {}
    repaired = tuple(note for note in notes if REPAIRED in note)
    return Probe(str(meta.get("/Title") or ""), str(meta.get("/CreationDate") or ""), len(reader.pages), repaired)


def _probe_docx(path: Path) -> Probe:
    from docx import Document as open_docx  # python-docx is heavy; only when a DOCX arrives

    check_docx(path)  # the zip, every XML part, the package: one clear line for each kind of damage
    try:
        props = open_docx(str(path)).core_properties
        created = props.created.date().isoformat() if props.created else ""
        title = props.title or ""
    except Exception as exc:  # noqa: BLE001 - whatever else python-docx trips on means "not readable"
        raise ConversionError(
            path,
            f"cannot be read as a Word document ({exc.__class__.__name__})",
            "Open it in Word, save it again as .docx, then add it again",
        ) from None
    return Probe(title, created)


def _probe_image(path: Path) -> Probe:
    try:
        with Image.open(path) as img:
            frames = int(getattr(img, "n_frames", 1))  # a multi-page TIFF
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ConversionError(
            path,
            f"cannot be read as an image ({exc.__class__.__name__})",
            "Save it again as PNG or JPEG, then add it again",
        ) from None
    return Probe(pages=frames)


def probe_file(path: Path, password: str | None = None) -> Probe:
    """Check ``path`` can go into a bundle; raise a ``SourceError`` saying why not."""
    check_readable(path)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return _probe_pdf(path, password)
    if suffix in DOCX_SUFFIXES:
        return _probe_docx(path)
    if suffix in IMAGE_SUFFIXES:
        return _probe_image(path)
    if suffix == ".doc":
        raise SourceError(path, "is an old-style Word .doc file", "Save it as .docx (or PDF), then add it")
    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    raise SourceError(path, "is not a kind of file bundler can use", f"Use one of {kinds}")
