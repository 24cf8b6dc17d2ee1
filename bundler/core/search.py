"""Searching the text of the bundle's documents: each page's text, read once and cached.

Text is read with PDFium (callers hold the PDFium lock) and kept per file content
(its sha256) in the cache folder, so a second search, or the next run of the app,
reads no PDF at all. Matching ignores case and runs of spaces or line breaks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from bundler.core.errors import SourceError
from bundler.core.fsutil import atomic_write_bytes

__all__ = ["TextHit", "page_texts", "find_text", "query_rects", "SNIPPET_CHARS"]

SNIPPET_CHARS = 30  # shown either side of a hit
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class TextHit:
    document_id: str
    page: int  # 1-based page of the source
    snippet: str  # the hit with some words either side, on one line
    start: int  # where the hit starts in the snippet
    length: int


def _read_texts(pdf: Path, password: str | None) -> list[str]:
    try:
        document = pdfium.PdfDocument(str(pdf), password=password)
    except (pdfium.PdfiumError, OSError) as exc:
        raise SourceError(
            pdf, f"could not be read for searching ({exc})", "Check that it opens in a PDF reader"
        ) from None
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(_SPACES.sub(" ", textpage.get_text_range()).strip())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def page_texts(pdf: Path, password: str | None, cache_dir: Path | None, key: str) -> list[str]:
    """Each page's text (spaces and line breaks run together), cached under ``key`` (the sha256)."""
    cached = cache_dir / "text" / f"{key}.json" if cache_dir is not None and key else None
    if cached is not None and cached.is_file():
        try:
            loaded = json.loads(cached.read_text(encoding="utf-8"))
            if isinstance(loaded, list) and all(isinstance(t, str) for t in loaded):
                return loaded
        except (OSError, ValueError, RecursionError):
            pass  # a damaged cache entry is read again
    texts = _read_texts(pdf, password)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(cached, json.dumps(texts).encode())
        except OSError:
            pass  # searching still works; it just reads the file again next time
    return texts


def _snippet(text: str, start: int, end: int) -> tuple[str, int]:
    left = max(0, start - SNIPPET_CHARS)
    right = min(len(text), end + SNIPPET_CHARS)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return f"{prefix}{text[left:right]}{suffix}", start - left + len(prefix)


def find_text(texts: Mapping[str, list[str]], query: str, limit: int = 500) -> list[TextHit]:
    """Every place ``query`` occurs, document by document (in ``texts``' order), page by page."""
    words = _SPACES.sub(" ", query).strip().lower()
    hits: list[TextHit] = []
    if not words:
        return hits
    for doc_id, pages in texts.items():
        for number, text in enumerate(pages, start=1):
            lowered = text.lower()
            if len(lowered) != len(text):  # a letter whose lower case is longer: match as written
                lowered = text
            at = lowered.find(words)
            while at >= 0:
                snippet, start = _snippet(text, at, at + len(words))
                hits.append(TextHit(doc_id, number, snippet, start, len(words)))
                if len(hits) >= limit:
                    return hits
                at = lowered.find(words, at + len(words))
    return hits


def query_rects(pdf: Path, password: str | None, page: int, query: str) -> list[tuple[float, float, float, float]]:
    """Where ``query`` shows on ``page`` (1-based), as (x0, y0, x1, y1) in points, to highlight it.

    Words broken across lines are not found here (the text list still lists them): the page
    is then shown without a highlight. Call it where PDFium may run (under its lock).
    """
    words = _SPACES.sub(" ", query).strip()
    try:
        document = pdfium.PdfDocument(str(pdf), password=password)
    except (pdfium.PdfiumError, OSError):
        return []
    try:
        textpage = document[page - 1].get_textpage()
        searcher = textpage.search(words, match_case=False)
        rects: list[tuple[float, float, float, float]] = []
        while (found := searcher.get_next()) is not None:
            for index in range(textpage.count_rects(*found)):
                x0, y0, x1, y1 = textpage.get_rect(index)
                rects.append((x0, y0, x1, y1))
        return rects
    except (pdfium.PdfiumError, IndexError):
        return []
    finally:
        document.close()
