"""Reading every page number back from the finished file, before it is moved into place.

A stamp is drawn by operators after the page's own content; a source whose content is
malformed (an unterminated array, dictionary or inline image) could swallow them in a
reader, and the page would silently carry no number. So the written file is read back by
an independent engine (PDFium): the text inside each page's stamp box must be its label.
A page whose number cannot be read fails the build, naming the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from bundler.core.errors import BuildError
from bundler.core.pdf.pagework import page_box
from bundler.core.pdf.stamp import Box, StampStyle, map_rect, stamp_rect, viewed_to_user

__all__ = ["Expected", "expected_stamps", "require_stamps", "unreadable_stamps"]

_SLACK = 2.0  # points around the stamp box: glyph bounds overhang the box a little


@dataclass(frozen=True)
class Expected:
    box: Box  # the page's visible box, in user space
    rotate: int
    label: str


def expected_stamps(pages: list[Any], labels: list[str]) -> list[Expected]:
    """What each page of a writer should show: stored chunk pages know their geometry,
    pages stamped in this build (front matter) are measured."""
    found = []
    for page, label in zip(pages, labels, strict=True):
        if hasattr(page, "box"):  # a chunk's page: its geometry was kept when it was stamped
            found.append(Expected(page.box, page.rotate, label))
        else:
            found.append(Expected(page_box(page), page.rotation % 360, label))
    return found


def _read(page: pdfium.PdfPage, expected: Expected, style: StampStyle) -> str:
    viewed = stamp_rect(expected.box, expected.rotate, expected.label, style)
    x0, y0, x1, y1 = map_rect(viewed_to_user(expected.box, expected.rotate), viewed)
    text = page.get_textpage().get_text_bounded(x0 - _SLACK, y0 - _SLACK, x1 + _SLACK, y1 + _SLACK)
    return "".join(str(text).split())


def unreadable_stamps(pdf: Path, expected: list[Expected], style: StampStyle) -> list[int]:
    """The 1-based pages whose stamp does not read back as their label."""
    doc = pdfium.PdfDocument(pdf)
    try:
        if len(doc) != len(expected):
            return list(range(1, len(expected) + 1))
        return [
            n for n, want in enumerate(expected, 1) if _read(doc[n - 1], want, style) != "".join(want.label.split())
        ]
    finally:
        doc.close()


def require_stamps(pdf: Path, expected: list[Expected], style: StampStyle) -> None:
    """Raise ``BuildError`` unless every page's number reads back; nothing is written then."""
    bad = unreadable_stamps(pdf, expected, style)
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise BuildError(
            f"The page number of {'page' if len(bad) == 1 else 'pages'} {shown} could not be read back "
            "from the finished bundle "
            "(the source's content on those pages is probably malformed); the bundle was not written. "
            "Re-save the document on those pages (e.g. print it to a new PDF), add it again, then build."
        )
