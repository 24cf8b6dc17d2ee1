"""Where a built bundle put each document, read back from its bookmarks.

The build writes one bookmark per section ("A. Claim documents - 3") and one per
document ("A1. Claim form (11 Aug 2019) - 4"), each pointing at its first page.
Reading them back (rather than recomputing the page map) makes checks and
exports describe the bundle that was actually served, pseudonymised titles and all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

from bundler.core.model import Bundle, Document, Section
from bundler.core.naming import format_date

__all__ = ["Mark", "Placement", "read_marks", "document_tabs", "place_documents", "index_words", "description"]

# "<tab>. <words> - <label>": a section tab is letters, a document tab letters then digits
_TITLE = re.compile(r"(?P<tab>[A-Z]{1,3}\d*)\. (?P<words>.*) - (?P<label>\S*\d)", re.S)
_DEPTH = 2  # sections, then documents; deeper items are a source's own bookmarks


@dataclass(frozen=True)
class Mark:
    """A section or document bookmark of the bundle."""

    tab: str  # "A" or "A1"
    words: str  # what the index prints after the tab: "Claim form (11 Aug 2019)"
    label: str  # the page label in the title, e.g. "HB4"
    first: int  # 1-based page the bookmark goes to
    last: int  # the page before the next bookmark (or the bundle's last page)

    @property
    def is_document(self) -> bool:
        return self.tab[-1].isdigit()

    @property
    def pages(self) -> int:
        return self.last - self.first + 1

    @property
    def title(self) -> str:
        return f"{self.tab}. {self.words} - {self.label}"


@dataclass(frozen=True)
class Placement:
    """A project document and the bookmark the bundle has for it (None: missing)."""

    tab: str
    section: Section
    document: Document
    mark: Mark | None


def _items(reader: PdfReader, nodes: list[Any], depth: int) -> Iterator[tuple[str, int]]:
    for node in nodes:
        if isinstance(node, list):
            if depth < _DEPTH:
                yield from _items(reader, node, depth + 1)
            continue
        page = reader.get_destination_page_number(node)
        if page is not None and page >= 0:
            yield str(node.title), page + 1


def read_marks(reader: PdfReader) -> list[Mark]:
    """Section and document bookmarks in outline order, with their page ranges."""
    found = [(m, page) for title, page in _items(reader, reader.outline, 1) if (m := _TITLE.fullmatch(title.strip()))]
    starts = sorted({page for _, page in found})
    total = len(reader.pages)
    marks = []
    for m, page in found:
        later = [s for s in starts if s > page]
        marks.append(Mark(m["tab"], m["words"], m["label"], page, (later[0] - 1) if later else total))
    return [_section_span(mark, marks, total) for mark in marks]


def _section_span(mark: Mark, marks: list[Mark], total: int) -> Mark:
    """A section runs to the page before the next section, not the next document."""
    if mark.is_document:
        return mark
    later = [m.first for m in marks if not m.is_document and m.first > mark.first]
    return Mark(mark.tab, mark.words, mark.label, mark.first, (min(later) - 1) if later else total)


def document_tabs(bundle: Bundle) -> dict[str, str]:
    """Each document's tab as the build gives it, by document id.

    After service (``bundle.served``) served documents keep their tabs and later
    ones carry on after them (A3 follows A2), wherever they sit in the section.
    """
    served = {d.document_id for d in bundle.served.documents} if bundle.served else set()
    tabs = {}
    for section in bundle.sections:
        docs = [d for d in section.documents if d.id in served]
        docs += [d for d in section.documents if d.id not in served]
        tabs.update({doc.id: f"{section.letter}{n}" for n, doc in enumerate(docs, start=1)})
    return tabs


def place_documents(bundle: Bundle, marks: list[Mark]) -> list[Placement]:
    """The project documents this PDF should hold, in bundle order, each with its bookmark.

    After service, a supplementary bundle holds only the documents added since, and
    the served bundle only those served; a bundle with pages appended holds both."""
    tabs = document_tabs(bundle)
    by_tab = {m.tab: m for m in marks if m.is_document}
    placements = [Placement(tabs[d.id], s, d, by_tab.get(tabs[d.id])) for s, d in bundle.documents()]
    order = {s.id: i for i, s in enumerate(bundle.sections)}
    placements.sort(key=lambda p: (order[p.section.id], int(p.tab[len(p.section.letter) :])))
    served = {d.document_id for d in bundle.served.documents} if bundle.served else set()
    if served:
        for wanted in (False, True):  # a supplementary bundle; the served bundle itself
            part = [p for p in placements if (p.document.id in served) == wanted]
            rest = [p for p in placements if (p.document.id in served) != wanted]
            if part and rest and not any(p.mark for p in rest):
                return part
    return placements


def index_words(title: str, date: str | None) -> str:
    """The words the index and the bookmark print after the tab (PageMap.index_text)."""
    return f"{title} ({format_date(date)})" if date else title


def description(mark: Mark, date: str | None) -> str:
    """The bookmark's words without the date the index prints in its own column."""
    suffix = f" ({format_date(date)})" if date else ""
    return mark.words[: -len(suffix)] if suffix and mark.words.endswith(suffix) else mark.words
