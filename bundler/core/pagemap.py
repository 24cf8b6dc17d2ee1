"""The page map: where everything in the bundle lands, computed once.

Index rows, page stamps, bookmarks, ``/PageLabels`` and index links all read
from this one object, so they cannot drift apart (PRODUCT.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass

from bundler.core.model import Bundle, Document, Section
from bundler.core.naming import format_date

__all__ = ["Entry", "PageMap", "compute_page_map"]


@dataclass(frozen=True)
class Entry:
    kind: str  # cover | index | divider | section | document
    first: int  # 1-based bundle page numbers
    last: int
    tab: str = ""  # "A" for a section, "A1" for its first document
    title: str = ""
    date: str | None = None
    section: Section | None = None
    document: Document | None = None


@dataclass(frozen=True)
class PageMap:
    entries: tuple[Entry, ...]
    prefix: str = ""

    @property
    def total_pages(self) -> int:
        return max((e.last for e in self.entries), default=0)

    def label(self, page: int) -> str:
        """What page ``page`` shows: the PDF page number, with the optional prefix."""
        return f"{self.prefix}{page}"

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def document_entry(self, doc_id: str) -> Entry:
        return next(e for e in self.of_kind("document") if e.document and e.document.id == doc_id)

    def index_text(self, entry: Entry) -> str:
        """Description as the index prints it; bookmarks use the same words."""
        if entry.kind == "section":
            return f"{entry.tab}. {entry.title}"
        dated = f" ({format_date(entry.date)})" if entry.date else ""
        return f"{entry.tab}. {entry.title}{dated}"

    def bookmark_title(self, entry: Entry) -> str:
        """Index words plus the page number (PRODUCT.md §2.7)."""
        return f"{self.index_text(entry)} - {self.label(entry.first)}"


def compute_page_map(
    bundle: Bundle, page_counts: dict[str, int], index_pages: int, *, cover_pages: int = 1
) -> PageMap:
    """Lay the bundle out; ``page_counts`` has each document's selected page count."""
    entries = [Entry("cover", 1, cover_pages, title="Cover")]
    page = cover_pages + 1
    entries.append(Entry("index", page, page + index_pages - 1, title="Index"))
    page += index_pages
    for section in bundle.sections:
        if not section.documents:
            continue  # an empty section has no pages to point at
        first = page
        if bundle.options.section_dividers:
            entries.append(Entry("divider", page, page, section.letter, section.title, section=section))
            page += 1
        docs: list[Entry] = []
        for number, doc in enumerate(section.documents, start=1):
            count = page_counts[doc.id]
            docs.append(Entry("document", page, page + count - 1, f"{section.letter}{number}",
                              doc.title, doc.date, section, doc))
            page += count
        entries.append(Entry("section", first, page - 1, section.letter, section.title, section=section))
        entries.extend(docs)
    return PageMap(tuple(entries), bundle.options.page_prefix)
