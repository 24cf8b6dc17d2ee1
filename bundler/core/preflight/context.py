"""What project-aware rules share: the PDF's context plus the project, and what each page says.

Every project check reads one ``ProjectContext`` per run; derived facts are computed
once, on first use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bundler.core.anonymise.stage import public_view
from bundler.core.anonymise.terms import Target, normalise, targets_from_register
from bundler.core.model import Bundle
from bundler.core.pdf.outline import Mark, Placement, place_documents, read_marks
from bundler.core.preflight.findings import format_pages
from bundler.core.preflight.scan import PageFacts, PreflightContext

__all__ = ["PageContent", "ProjectContext", "read_contents"]


MIN_TEXT = 200  # normalised characters; less ("intentionally blank", a signature) proves nothing

MIN_IMAGE_SHARE = 0.25  # of the page's area: logos and signatures repeat on every letter


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PageContent:
    number: int  # 1-based bundle page
    text: str  # normalised, without our stamp
    image_key: str | None  # digest of the page's large images; None when it has none

    @property
    def key(self) -> str | None:
        """What makes two pages the same; None when the page says too little to tell."""
        if len(self.text) >= MIN_TEXT:
            return "text:" + _digest(self.text)
        if self.image_key is not None:
            return f"image:{self.image_key}:{_digest(self.text)}"
        return None


def _body_text(text: str, facts: PageFacts) -> str:
    """The page's words without our stamp (drawn last, so its last occurrence)."""
    words = text.split()
    for hit in facts.stamps:
        for i in range(len(words) - 1, -1, -1):
            if words[i] == hit.token:
                del words[i]
                break
    return normalise(" ".join(words))


def _image_key(page: pdfium.PdfPage, facts: PageFacts) -> str | None:
    x0, y0, x1, y1 = facts.visible
    floor = (x1 - x0) * (y1 - y0) * MIN_IMAGE_SHARE
    digests = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= floor:
            digests.append(hashlib.sha256(bytes(obj.get_data(decode_simple=False))).hexdigest())
    return _digest("".join(sorted(digests))) if digests else None


def read_contents(ctx: PreflightContext, numbers: Iterable[int]) -> dict[int, PageContent]:
    """Text and image digests of the given pages, one page open at a time."""
    contents = {}
    for number in numbers:
        facts = ctx.pages[number - 1]
        page = ctx.pdf[number - 1]
        try:
            textpage = page.get_textpage()
            try:
                text = _body_text(textpage.get_text_range(), facts)
            finally:
                textpage.close()
            contents[number] = PageContent(number, text, _image_key(page, facts))
        finally:
            page.close()
    return contents


@dataclass
class ProjectContext:
    """The PDF's context plus the project; derived facts are computed once, on first use."""

    pdf: PreflightContext
    project: Path
    bundle: Bundle

    @cached_property
    def targets(self) -> list[Target]:
        return targets_from_register(self.bundle.register)

    @cached_property
    def view(self) -> Bundle:
        """The project as a public bundle shows it: messages never print a protected name."""
        return public_view(self.bundle, self.targets) if self.targets else self.bundle

    @cached_property
    def marks(self) -> list[Mark]:
        return read_marks(self.pdf.reader)

    @cached_property
    def placements(self) -> list[Placement]:
        return place_documents(self.bundle, self.marks)

    @cached_property
    def page_labels(self) -> list[str]:
        """What each page is numbered (``/PageLabels``; plain 1, 2, 3 … when there are none)."""
        return list(self.pdf.reader.page_labels)

    @cached_property
    def contents(self) -> dict[int, PageContent]:
        """What every document page says (front matter left out)."""
        pages = {n for m in self.marks if m.is_document for n in range(m.first, m.last + 1)}
        return read_contents(self.pdf, sorted(pages))

    @cached_property
    def shown_titles(self) -> dict[str, str]:
        """Document titles by id, pseudonymised."""
        return {d.id: d.title for _, d in self.view.documents()}

    def name(self, placement: Placement) -> str:
        """ "C2 'Letter before claim' (pages 7–9)": how every finding names a document."""
        title = self.shown_titles[placement.document.id]
        mark = placement.mark
        if mark is None:
            return f"{placement.tab} '{title}'"
        word = "page" if mark.pages == 1 else "pages"
        return f"{placement.tab} '{title}' ({word} {format_pages(range(mark.first, mark.last + 1))})"

    def placement_of_page(self, page: int) -> Placement | None:
        for placement in self.placements:
            mark = placement.mark
            if mark is not None and mark.first <= page <= mark.last:
                return placement
        return None
