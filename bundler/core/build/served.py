"""Proof that pages 1..N of a later bundle are the pages that were served."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

__all__ = ["page_fingerprints", "same_pages"]


def _content_digest(page: object) -> str:
    digest = hashlib.sha256()
    contents = page.get_contents()  # type: ignore[attr-defined]
    digest.update(contents.get_data() if contents is not None else b"")
    for key in ("/MediaBox", "/CropBox", "/Rotate"):
        digest.update(repr(page.get(key)).encode())  # type: ignore[attr-defined]
    return digest.hexdigest()


def page_fingerprints(pdf: Path, count: int) -> list[tuple[str, str]]:
    """(content-stream digest by pypdf, text by pdfium) for the first ``count`` pages."""
    reader = PdfReader(pdf)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for index in range(min(count, len(reader.pages))):
            text = doc[index].get_textpage().get_text_range()
            out.append((_content_digest(reader.pages[index]), text))
        return out
    finally:
        doc.close()


def same_pages(served: Path, later: Path, count: int) -> bool:
    """True when pages 1..``count`` of ``later`` draw exactly what ``served`` drew."""
    first = page_fingerprints(served, count)
    return len(first) == count and first == page_fingerprints(later, count)
