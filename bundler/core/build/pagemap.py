"""The page map: where everything in the bundle lands, computed once.

Index rows, page stamps, bookmarks, ``/PageLabels`` and index links all read
from this one object, so they cannot drift apart (PRODUCT.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass

from bundler.core.model import Bundle, Document, Section
from bundler.core.naming import format_date

__all__ = ["Entry", "Numbering", "PageMap", "compute_page_map", "tabs_taken"]


def tabs_taken(bundle: Bundle, ids: set[str]) -> tuple[tuple[str, int], ...]:
    """Per section, how many of its documents are in ``ids`` (already numbered elsewhere),
    so the next tab carries on: A3 follows a served or earlier-volume A2."""
    return tuple((s.letter, sum(d.id in ids for d in s.documents)) for s in bundle.sections)


@dataclass(frozen=True)
class Numbering:
    """How this file's pages are numbered (PRODUCT.md §2.3, §2.11).

    A normal bundle: 1, 2, 3 ... (``first_number`` 1). Pages appended after service
    continue the served numbers (``first_number`` N+1). A supplementary bundle after
    a served bundle of N pages reads N.1, N.2 ... (``decimal_base`` N).
    """

    first_number: int = 1
    decimal_base: int | None = None
    cover: bool = True
    index_title: str = "INDEX"
    cover_title: str = ""  # replaces the bundle name on the cover when set
    tab_offsets: tuple[tuple[str, int], ...] = ()  # tabs already served per section: A3 follows A2


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
    numbering: Numbering = Numbering()

    @property
    def total_pages(self) -> int:
        return max((e.last for e in self.entries), default=0)

    def label(self, page: int) -> str:
        """What PDF page ``page`` of this file shows: its number, with the optional prefix."""
        if self.numbering.decimal_base is not None:
            return f"{self.label_prefix}{page}"
        return f"{self.prefix}{self.numbering.first_number + page - 1}"

    @property
    def label_prefix(self) -> str:
        """The fixed part of every label ("HB", or "143." in a supplementary bundle)."""
        base = self.numbering.decimal_base
        return self.prefix if base is None else f"{self.prefix}{base}."

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
    bundle: Bundle, page_counts: dict[str, int], index_pages: int, numbering: Numbering = Numbering()
) -> PageMap:
    """Lay the bundle out; ``page_counts`` has each document's selected page count."""
    entries = [Entry("cover", 1, 1, title="Cover")] if numbering.cover else []
    page = len(entries) + 1
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
        served_tabs = dict(numbering.tab_offsets).get(section.letter, 0)
        for number, doc in enumerate(section.documents, start=1 + served_tabs):
            count = page_counts[doc.id]
            docs.append(
                Entry(
                    "document",
                    page,
                    page + count - 1,
                    f"{section.letter}{number}",
                    doc.title,
                    doc.filed_date,
                    section,
                    doc,
                )
            )
            page += count
        entries.append(Entry("section", first, page - 1, section.letter, section.title, section=section))
        entries.extend(docs)
    return PageMap(tuple(entries), bundle.options.page_prefix, numbering)
