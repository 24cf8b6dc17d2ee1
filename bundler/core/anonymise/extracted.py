"""PDF text made ready for matching: one small function, shared by detection and the leak
gate (kept apart from ``detect`` so the gate does not import the detector's patterns)."""

from __future__ import annotations

import re

__all__ = ["extracted_text"]

# PDFium marks a hyphen that ended a line with U+FFFE (older builds: U+0002) and joins the lines.
_PDFIUM_HYPHEN = str.maketrans({"\ufffe": "\u00ad", "\x02": "\u00ad"})
_SOFT_AT_LINE_END = re.compile("\u00ad(?=[^\\S\\r\\n]*[\\r\\n])")


def extracted_text(text: str) -> str:
    """Text extracted from a PDF, made ready for ``terms``; same length, same indices.

    PDFium's hyphen marks become soft hyphens (which the matcher drops, joining the word)
    and a soft hyphen ending a line becomes "-" (which the matcher joins across the break).
    """
    return _SOFT_AT_LINE_END.sub("-", text.translate(_PDFIUM_HYPHEN))
