"""A document as the bundle will file it, before any build: for the app's preview.

The same page selection and turns as the build (``single._pdf_of`` and the
pipeline read the same ``Document`` fields), and ``/PageLabels`` carrying the
bundle page numbers the pages will be stamped with, so the preview's page list
reads "12, 13, 14" before anything is built. Redaction boxes and hit highlights
stay in each page's own user space: only ``/Rotate`` changes, never the boxes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfWriter
from pypdf.constants import PageLabelStyle

from bundler.core.errors import ProjectError
from bundler.core.model import Document
from bundler.core.pdf.sources import open_pdf, parse_page_selection

__all__ = ["PlannedPages", "planned_source_pages", "planned_preview_name", "write_planned_preview"]


@dataclass(frozen=True)
class PlannedPages:
    """The preview file and, for each of its pages, the 1-based source page it shows."""

    pdf: Path
    source_pages: tuple[int, ...]
    basis: str | None = None  # the rendering shown, which boxes drawn on it record (a DOCX's)
    plain: str | None = None  # the plain conversion's rendering, which a box without a basis was drawn on


def planned_source_pages(doc: Document, total: int) -> list[int]:
    """The 1-based source pages the bundle files, in order (all of them while a selection is wrong)."""
    try:
        return [i + 1 for i in parse_page_selection(doc.pages, total, Path(doc.path).name)]
    except ProjectError:
        return list(range(1, total + 1))  # the build names the bad selection; show the whole document


def planned_preview_name(doc: Document, first_label: int | None, prefix: str, rendering: str = "") -> str:
    """A file name that changes whenever what the preview must show changes (``rendering``: a DOCX's)."""
    turns = ",".join(f"{k}:{v}" for k, v in sorted(doc.page_rotations.items()))
    key = f"{doc.sha256}|{doc.pages}|{doc.rotation}|{turns}|{first_label}|{prefix}|{rendering}"
    return hashlib.sha256(key.encode()).hexdigest()[:24] + ".pdf"


def write_planned_preview(
    source: Path,
    doc: Document,
    out: Path,
    first_label: int | None,
    prefix: str = "",
    bases: tuple[str | None, str | None] = (None, None),
) -> PlannedPages:
    """Write ``source`` (the document's PDF) as filed to ``out``; pages labelled from ``first_label``.

    ``bases``: the rendering shown and the plain conversion's (a DOCX's; see anonymise/basis.py).
    """
    reader = open_pdf(source, doc.password if doc.kind == "pdf" else None)
    pages = planned_source_pages(doc, len(reader.pages))
    if not out.is_file():
        writer = PdfWriter()
        for number in pages:
            page = writer.add_page(reader.pages[number - 1])
            if doc.extra_rotation(number - 1):
                page.rotate(doc.extra_rotation(number - 1))
        if first_label is not None:
            writer.set_page_label(0, len(pages) - 1, PageLabelStyle.DECIMAL, prefix or None, first_label)
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(".part", out.stem, out.parent)  # two previews may race
        with os.fdopen(handle, "wb") as stream:
            writer.write(stream)
        os.replace(partial, out)
    return PlannedPages(out, tuple(pages), *bases)
