"""True redaction of a PDF source: protected text is removed, not just covered.

For every page, pdfium finds the targets and where they are; the glyphs there
are taken out of the content stream (and the form XObjects it draws) and a
labelled box is drawn in their place, so the rest of the page keeps its text.
A page we cannot edit with certainty (images under a box, Type3 fonts, CMaps
we do not know, rotated text, anything odd) is rasterised with the boxes
burned in. The copy is then read back with pdfium and pypdf and searched raw;
any page where a target survives is rasterised, and if a target still
survives anywhere, nothing is written and ``LeakError`` is raised.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pypdfium2 as pdfium
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import IndirectObject, NameObject

from bundler.core.anonymise.glyphs.vectors import moves_back
from bundler.core.anonymise.pdf.clean import (
    filter_annotations,
    prune_form_fields,
    prune_unreferenced,
    restore_pruned,
    strip_document,
    strip_page_extras,
)
from bundler.core.anonymise.pdf.geometry import Spot, normal_rect
from bundler.core.anonymise.pdf.locate import PageText, locate_hits
from bundler.core.anonymise.pdf.page import drop_unused_forms, rasterise, remove_glyphs
from bundler.core.anonymise.pdf.scan import CONTENT_STREAM, LeakScanner
from bundler.core.anonymise.pdf.verify import MOVED, PDFIUM_TEXT, PYPDF_TEXT, Kept, kept_characters, verify
from bundler.core.anonymise.terms import Target
from bundler.core.errors import LeakError, SourceError
from bundler.core.fsutil import atomic_write_bytes
from bundler.core.model import RedactionBox
from bundler.core.naming import plural
from bundler.core.pdf.sources import captured_pdf_warnings, open_pdf

__all__ = ["PageRedaction", "PdfRedactionReport", "redact_pdf"]

_REDACTED = "[REDACTED]"
_VERIFY_ROUNDS = 3  # a page whose text moved where its boxes were drawn in place is edited again with
# them drawn after it; glyph pages that fail are rasterised once; a failure after that is fatal
_NOTE_LENGTH = 200  # pypdf warnings can quote whole font dictionaries


@dataclass
class PageRedaction:
    page: int  # 1-based
    method: Literal["glyphs", "rasterised"]
    boxes: list[tuple[float, float, float, float]]
    labels: list[str]
    reason: str = ""  # why the page was rasterised; never contains a protected term


@dataclass
class PdfRedactionReport:
    pages: list[PageRedaction]
    hits: int
    notes: list[str] = field(default_factory=list)
    textless: list[int] = field(default_factory=list)  # 0-based source pages with no text but white space


def _open_pdfium(src: Path, password: str | None) -> pdfium.PdfDocument:
    for attempt in dict.fromkeys((password, None)):
        try:
            return pdfium.PdfDocument(str(src), password=attempt)
        except pdfium.PdfiumError:
            continue
    raise SourceError(
        src,
        "cannot be opened for redaction",
        "Re-save it (e.g. print it to a new PDF), then add it again",
    )


class _Redaction:
    """One source being redacted into one new PDF."""

    def __init__(
        self,
        src: Path,
        reader: PdfReader,
        document: pdfium.PdfDocument,
        targets: list[Target],
        dpi: int,
        read_untouched: bool = True,
    ):
        self.src, self.document, self.dpi = src, document, dpi
        self.read_untouched = read_untouched
        self.writer = PdfWriter(clone_from=reader)
        self.scanner = LeakScanner(targets)
        self.targets = targets
        self.spots: dict[int, list[Spot]] = {}
        self.forced: dict[int, str] = {}  # pages that must be rasterised, and why
        self.done: dict[int, PageRedaction] = {}
        self.notes: list[str] = []
        self.hits = 0
        self.tainted: set[int] = set()
        self.textless: list[int] = []
        self.originals: dict[int, tuple[Any, Any]] = {}  # pages whose boxes are drawn in their content:
        # their /Contents and /Resources as they were, to edit them again with the boxes drawn after
        self.read_source: dict[int, PageText] = {}  # pages with located spots: their source text, every box
        self.pruned: dict[int, Any] = {}  # what ``output`` let go, which editing a page again may need

    def plan(self, boxes: Sequence[RedactionBox]) -> None:
        count = len(self.writer.pages)
        if len(self.document) != count:
            raise SourceError(
                self.src,
                "reads differently in two PDF engines",
                "Re-save it (e.g. print it to a new PDF)",
            )
        for box in boxes:
            if not 1 <= box.page <= count:
                raise SourceError(
                    self.src,
                    f"has no page {box.page} for a redaction box",
                    "Redraw the box on an existing page",
                )
            spot = Spot(normal_rect(*box.rect), _REDACTED, manual=True)
            self.spots.setdefault(box.page - 1, []).append(spot)
        for index in range(count):
            self._locate(index)

    def _page(self, index: int) -> pdfium.PdfPage:
        """Page ``index`` as PDFium reads it; a page it cannot load is damage in the source."""
        try:
            return self.document[index]
        except pdfium.PdfiumError:
            raise SourceError(
                self.src,
                f"has a page (page {index + 1}) that a second reader (PDFium) cannot load",
                "Re-save it (e.g. print it to a new PDF), add it again, then build",
            ) from None

    def _locate(self, index: int) -> None:
        page = self._page(index)
        try:  # the page's text is kept for checking that a box drawn in place moves nothing (``_kept``)
            hits = locate_hits(page, self.targets, moves_back(self.writer.pages[index]), keep_text=True)
        finally:
            page.close()
        if hits.text is not None:
            self.read_source[index] = hits.text
        self.hits += len(hits.matches)
        if hits.textless:
            self.textless.append(index)
        if hits.spots:
            self.spots[index] = hits.spots + self.spots.get(index, [])
        if hits.unlocated:  # text with no extent on the page: invisible, gone once rasterised
            self.forced[index] = "a match has no visible position on the page"
            self.spots.setdefault(index, [])

    def redact_pages(self) -> None:
        self.notes += strip_document(self.writer)
        for index, page in enumerate(self.writer.pages):
            self._redact_page(index, page)
        for index, page in enumerate(self.writer.pages):
            if self.tainted and (index not in self.done or self.done[index].method == "glyphs"):
                drop_unused_forms(self.writer, page, self.tainted)
        fields = prune_form_fields(self.writer, self.scanner)
        if fields:
            self.notes.append(f"removed {plural(fields, 'form field')} that mention a protected term")

    def _redact_page(self, index: int, page: PageObject) -> None:
        strip_page_extras(page)
        spots = self.spots.get(index)
        annots, removed = filter_annotations(page, self.scanner, spots or [])
        if removed:
            self.notes.append(f"page {index + 1}: removed {plural(removed, 'annotation')}")
        if spots is None:
            return
        self._remove_glyphs(index, page, spots, annots, inline=True)

    def _remove_glyphs(
        self, index: int, page: PageObject, spots: list[Spot], annots: list[IndirectObject], inline: bool
    ) -> None:
        original = (dict.get(page, "/Contents"), dict.get(page, "/Resources"))  # as stored: references stay so
        outcome = remove_glyphs(self.writer, page, spots, inline) if index not in self.forced else None
        if outcome is None or not outcome.ok:
            reason = "; ".join(outcome.problems) if outcome is not None else self.forced[index]
            self.rasterise(index, reason, annots)
            return
        if outcome.inline:
            self.originals[index] = original
        self.tainted |= outcome.tainted
        boxes, labels = [s.rect for s in spots], [s.label for s in spots]
        self.done[index] = PageRedaction(index + 1, "glyphs", boxes, labels)

    def rasterise(self, index: int, reason: str, annots: list[IndirectObject]) -> None:
        if self.scanner.in_text(reason):  # e.g. a font named after the person: keep it out
            reason = "the page could not be edited safely"
        self.originals.pop(index, None)  # a picture now: no text to keep in place
        spots = self.spots.get(index, [])
        page = self._page(index)
        try:
            rasterise(self.writer, self.writer.pages[index], page, spots, self.dpi, annots)
        finally:
            page.close()
        self.done[index] = PageRedaction(
            index + 1, "rasterised", [s.rect for s in spots], [s.label for s in spots], reason
        )

    def output(self) -> bytes:
        prune_unreferenced(self.writer, self.pruned)
        buffer = io.BytesIO()
        self.writer.write(buffer)
        return buffer.getvalue()

    def verified(self) -> bytes:
        """The output once two engines and a raw search find no target; fail closed per page."""
        data = self.output()
        for _ in range(_VERIFY_ROUNDS):
            leaks = verify(data, self.scanner, self.spots, self._read_pages(), self._kept())
            self.notes += [n for n in leaks.notes if n not in self.notes]
            if leaks.elsewhere:
                raise self._leak(leaks.elsewhere[0])
            if not leaks.pages:
                return data
            moved = {index for index, found in leaks.pages.items() if found == [MOVED]}
            for index in moved:
                self._boxes_after(index)
            failed = {index: found for index, found in leaks.pages.items() if index not in moved}
            self._box_what_joined(data, set(failed) - set(self.forced))
            for index, found in failed.items():
                self._fail_closed(index, found)
            data = self.output()
        raise self._leak("still there after rasterising")

    def _kept(self) -> dict[int, Kept]:
        """For each page whose boxes are drawn in its content, the source's characters outside them
        (such a box is a located one: locating kept the page's text, ``_locate``)."""
        return {i: kept_characters(self.read_source[i], self.spots.get(i, [])) for i in self.originals}

    def _boxes_after(self, index: int) -> None:
        """Edit the page again from its source content, with every box drawn after it."""
        page = self.writer.pages[index]
        contents, resources = self.originals.pop(index)
        restore_pruned(self.writer, self.pruned, (contents, resources))
        for key, value in (("/Contents", contents), ("/Resources", resources)):
            if value is None:
                page.pop(NameObject(key), None)
            else:
                page[NameObject(key)] = value
        annots, _ = filter_annotations(page, self.scanner, self.spots.get(index, []))
        self._remove_glyphs(index, page, self.spots.get(index, []), annots, inline=False)
        if self.tainted and self.done[index].method == "glyphs":  # its source resources list them again
            drop_unused_forms(self.writer, page, self.tainted)

    def _box_what_joined(self, data: bytes, pages: set[int]) -> None:
        """Box, on the redacted pages about to be made pictures, where their text now shows a
        target: most often the words either side of a redaction ("quashing ▮ order" once
        "quashing quashing order order" lost its middle "quashing order"). A picture of the
        page then shows a box there too, and reading it again gives no target back. More
        boxes only ever hide more; what is not located is rasterised as before."""
        document = pdfium.PdfDocument(data)
        try:
            for index in sorted(pages):
                page = document[index]
                try:
                    hits = locate_hits(page, self.targets, moves_back(self.writer.pages[index]))
                finally:
                    page.close()
                self.spots[index] = self.spots.get(index, []) + hits.spots
        except pdfium.PdfiumError:
            return  # not read back here: the page is rasterised with the boxes it had
        finally:
            document.close()

    def _read_pages(self) -> set[int] | None:
        """Pages whose text PDFium and pypdf read back: all, or (``read_untouched`` off) those we changed."""
        return None if self.read_untouched else set(self.spots) | set(self.done) | set(self.forced)

    def _fail_closed(self, index: int, found: list[str]) -> None:
        """Rasterise the page with its boxes, unless that would leave the term visible."""
        done = self.done.get(index)
        if done is not None and done.method == "rasterised":
            raise self._leak(f"page {index + 1}, {found[0]}, after rasterising")
        if PYPDF_TEXT in found and PDFIUM_TEXT not in found:
            # Text pdfium cannot see is text we cannot put a box on: a bitmap would show it.
            raise LeakError(
                f"'{self.src.name}' page {index + 1} has a protected term that could not be located"
                " on the page. Nothing was written; draw a box over it by hand and try again."
            )
        located = any(not spot.manual for spot in self.spots.get(index, []))
        if PDFIUM_TEXT not in found and not located and any(f.startswith(CONTENT_STREAM) for f in found):
            # The page draws the term where its text does not say so (a font whose character map
            # disguises the letters, a tiling pattern): a picture of it would show it, unboxed.
            raise LeakError(
                f"'{self.src.name}' page {index + 1} draws a protected term where its text does not"
                " show it (in a font that disguises the letters, or in a pattern), so it cannot be"
                " located to redact. Nothing was written; draw a box over it by hand and build again."
            )
        annots, _ = filter_annotations(self.writer.pages[index], self.scanner, self.spots.get(index, []))
        self.rasterise(index, f"checking the redacted page found {found[0]}", annots)

    def _leak(self, where: str) -> LeakError:
        return LeakError(
            f"'{self.src.name}': a protected term survived redaction ({where})."
            " Nothing was written; leave this document out of the public bundle and report it."
        )

    def report(self, warnings: list[str]) -> PdfRedactionReport:
        """The pages we redacted, and notes (pypdf's warnings quote content: never a target)."""
        pages = [self.done[i] for i in sorted(self.done)]
        notes = self.notes + [w[:_NOTE_LENGTH] for w in warnings if not self.scanner.in_text(w)]
        if len(notes) < len(self.notes) + len(warnings):
            notes.append("a pypdf warning that quoted a protected term was left out")
        return PdfRedactionReport(pages, self.hits, notes, self.textless)


def redact_pdf(
    src: Path,
    dst: Path,
    targets: list[Target],
    boxes: Sequence[RedactionBox] = (),
    *,
    password: str | None = None,
    dpi: int = 200,
    read_untouched: bool = True,
) -> PdfRedactionReport:
    """Write to ``dst`` a redacted copy of ``src``; ``src`` is never modified.

    The copy is searched raw on every page, and PDFium and pypdf read back the text of
    every page; with ``read_untouched`` off, only of the pages redaction changed (and of any
    page whose objects hold a target): for a caller whose own leak gate then reads every
    page's text with both engines (a public build: each chunk is searched alone), which
    would otherwise read each untouched page's text twice. A target only that gate finds
    on an untouched page then stops the build, naming the page, instead of the page being
    made a picture here.

    Raises ``SourceError``/``PasswordError`` for unusable sources and ``LeakError``
    when a target would survive (then ``dst`` is not touched).
    """
    if not 36 <= dpi <= 1200:
        raise ValueError(f"dpi must be between 36 and 1200, not {dpi}")
    reader = open_pdf(src, password)
    document = _open_pdfium(src, password)
    warnings: list[str] = []
    try:
        redaction = _Redaction(src, reader, document, targets, dpi, read_untouched)
        with captured_pdf_warnings(warnings, src.name):
            redaction.plan(boxes)
            redaction.redact_pages()
            data = redaction.verified()
    finally:
        document.close()
    atomic_write_bytes(dst, data)
    return redaction.report(warnings)
