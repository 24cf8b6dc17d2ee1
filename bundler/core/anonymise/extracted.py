"""PDF text made ready for matching, shared by detection, the leak gate and OCR (kept apart
from ``detect`` so that they do not import the detector's patterns)."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium

__all__ = ["extracted_text", "pdfium_texts"]

# PDFium marks a hyphen that ended a line with U+FFFE (older builds: U+0002) and joins the lines.
_PDFIUM_HYPHEN = str.maketrans({"\ufffe": "\u00ad", "\x02": "\u00ad"})
_SOFT_AT_LINE_END = re.compile("\u00ad(?=[^\\S\\r\\n]*[\\r\\n])")


def extracted_text(text: str) -> str:
    """Text extracted from a PDF, made ready for ``terms``; same length, same indices.

    PDFium's hyphen marks become soft hyphens (which the matcher drops, joining the word)
    and a soft hyphen ending a line becomes "-" (which the matcher joins across the break).
    """
    return _SOFT_AT_LINE_END.sub("-", text.translate(_PDFIUM_HYPHEN))


def pdfium_texts(pdf: Path | bytes, password: str | None) -> list[str]:
    """Text of every page, read by PDFium (a file, or its bytes); raises ``PdfiumError``."""
    doc = pdfium.PdfDocument(pdf, password=password)
    try:
        texts = []
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            texts.append(extracted_text(textpage.get_text_range()))
            textpage.close()
            page.close()
        return texts
    finally:
        doc.close()
