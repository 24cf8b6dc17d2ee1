"""Reading every page number back from the finished file, before it is moved into place.

A stamp is drawn by operators after the page's own content; a source whose content is
malformed (an unterminated array, dictionary or inline image) could swallow them in a
reader, and the page would silently carry no number. So the written file is read back by
an independent engine (PDFium): the text inside each page's stamp box must be its label.
A page whose number cannot be read fails the build, naming the pages. When the leak gate
reads the file, the stamp boxes are read from its PDFium pass (``StampReadback``): one
text page per page, not two. A page the gate does not read because a verified chunk's
verdict stands for it had its stamp read back when that verdict was made: the chunk's
pages, stamped with a probe label in the same place and style, each read it back
(``chunks.verify``), and the page's bytes are proven to be the chunk's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from reportlab.pdfbase.pdfmetrics import stringWidth

from bundler.core.errors import BuildError
from bundler.core.pdf.pagework import page_box
from bundler.core.pdf.stamp import Box, StampStyle, map_rect, stamp_rect, viewed_to_user

__all__ = [
    "PROBE",
    "Expected",
    "StampReadback",
    "expected_stamps",
    "probe_covers",
    "require_stamps",
    "unreadable_stamps",
]

_SLACK = 2.0  # points around the stamp box: glyph bounds overhang the box a little

# The label a chunk's pages are stamped with when the chunk is searched alone (``chunks.verify``).
# Its box is right-aligned like every stamp's, so it holds the box of any label no wider:
# page text that would spoil such a label's read-back lies in the probe's box and spoils it.
PROBE = "W88888"


def probe_covers(label: str, style: StampStyle) -> bool:
    """Whether ``label``'s stamp box lies within the probe's (same page, same style)."""
    width, probe = (float(stringWidth(text, "Helvetica-Bold", style.size)) for text in (label, PROBE))
    return width <= probe


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


def _read(textpage: pdfium.PdfTextPage, expected: Expected, style: StampStyle) -> str:
    viewed = stamp_rect(expected.box, expected.rotate, expected.label, style)
    x0, y0, x1, y1 = map_rect(viewed_to_user(expected.box, expected.rotate), viewed)
    text = textpage.get_text_bounded(x0 - _SLACK, y0 - _SLACK, x1 + _SLACK, y1 + _SLACK)
    return "".join(str(text).split())


def _reads_back(textpage: pdfium.PdfTextPage, expected: Expected, style: StampStyle) -> bool:
    return _read(textpage, expected, style) == "".join(expected.label.split())


def _page_reads_back(page: pdfium.PdfPage, expected: Expected, style: StampStyle) -> bool:
    textpage = page.get_textpage()
    try:
        return _reads_back(textpage, expected, style)
    finally:
        textpage.close()


def unreadable_stamps(
    pdf: Path, expected: list[Expected], style: StampStyle, only: Collection[int] | None = None
) -> list[int]:
    """The 1-based pages whose stamp does not read back as their label (of ``only``, 0-based, if given)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        if len(doc) != len(expected):
            return list(range(1, len(expected) + 1))
        indices = range(len(expected)) if only is None else sorted(only)
        return [n + 1 for n in indices if not _page_reads_back(doc[n], expected[n], style)]
    finally:
        doc.close()


class StampReadback:
    """The read-back, done on the leak gate's own PDFium pass when there is one.

    The gate reads every page's text with PDFium anyway; ``page`` is handed each page and
    its text page as the gate reads them (``gate.pdfium_pages``) and reads the stamp box
    from that same text page. Calling the object on the file (the gated writer's
    ``check``) then only decides: unless every page of the file, and no other, was seen
    and read without error, the file is read back on its own as before (no targets, so
    no gate; a reader error; a page count that differs)."""

    def __init__(self, expected: list[Expected], style: StampStyle) -> None:
        self.expected, self.style = expected, style
        self.seen: dict[int, bool] = {}
        self.extra = False  # the gate saw a page beyond the expected ones

    def page(self, index: int, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> None:
        del page  # the stamp box is read from the page's text, which ``textpage`` holds
        if index >= len(self.expected):
            self.extra = True
            return
        try:
            self.seen[index] = _reads_back(textpage, self.expected[index], self.style)
        except Exception:  # noqa: BLE001 - not decided here: the file is read back on its own
            self.seen.pop(index, None)

    def vouched(self, index: int) -> None:
        """The gate did not read page ``index``: a verified chunk's verdict stands for its text.
        That verdict was only stored once the chunk's pages, each stamped with ``PROBE`` in the
        same place and style, read it back (``chunks.verify``); so a label whose box lies within
        the probe's reads back too. A wider label is left for ``unreadable`` to read."""
        if index >= len(self.expected):
            self.extra = True
            return
        if probe_covers(self.expected[index].label, self.style):
            self.seen[index] = True

    def unreadable(self, pdf: Path) -> list[int]:
        """The 1-based pages whose stamp does not read back: from the gate's pass, the pages it
        did not decide read here (every page, when the gate saw a page too many)."""
        if self.extra:
            return unreadable_stamps(pdf, self.expected, self.style)
        missing = [index for index in range(len(self.expected)) if index not in self.seen]
        found = unreadable_stamps(pdf, self.expected, self.style, missing) if missing else []
        return sorted(found + [index + 1 for index, ok in self.seen.items() if not ok])

    def __call__(self, pdf: Path) -> None:
        _require(self.unreadable(pdf))


def require_stamps(pdf: Path, expected: list[Expected], style: StampStyle) -> None:
    """Raise ``BuildError`` unless every page's number reads back; nothing is written then."""
    _require(unreadable_stamps(pdf, expected, style))


def _require(bad: list[int]) -> None:
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise BuildError(
            f"The page number of {'page' if len(bad) == 1 else 'pages'} {shown} could not be read back "
            "from the finished bundle "
            "(the source's content on those pages is probably malformed); the bundle was not written. "
            "Re-save the document on those pages (e.g. print it to a new PDF), add it again, then build."
        )
