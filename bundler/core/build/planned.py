"""The bundle pages each document will carry, and the index as it will be filed, before
any build (for the project tree and the app's Index tab).

Computed from the same page map and index rows as the build, from page counts read cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from bundler.core.build.frontmatter import IndexLine, index_lines, settled_page_map
from bundler.core.build.pagemap import Numbering, PageMap
from bundler.core.errors import BundlerError, ProjectError
from bundler.core.model import Bundle, Document
from bundler.core.pdf.sources import open_pdf, parse_page_selection

__all__ = ["count_pages", "tree_page_ranges", "tree_page_labels", "PlannedIndex", "planned_index"]


PageRange = tuple[int, int]


def count_pages(path: Path, kind: str, password: str | None = None) -> int | None:
    """How many pages a source has, cheaply; None when unknown (DOCX not converted, bad file)."""
    try:
        if kind == "pdf":
            return len(open_pdf(path, password).pages)
        if kind == "image":
            with Image.open(path) as img:
                return int(getattr(img, "n_frames", 1))
    except (BundlerError, OSError, SyntaxError, ValueError):
        return None  # the build names the problem; the tree just shows no number
    return None


def _selected(doc: Document, total: int | None) -> int | None:
    if total is None:
        return None
    try:
        return len(parse_page_selection(doc.pages, total, Path(doc.path).name))
    except ProjectError:
        return total  # the build will report the bad selection; show the whole document meanwhile


def _planned_map(bundle: Bundle, counts: Mapping[str, int | None], numbering: Numbering | None = None) -> PageMap:
    """The build's page map, laid out with one page for each document not counted yet."""
    return settled_page_map(bundle, {doc_id: count or 1 for doc_id, count in counts.items()}, numbering)


def tree_page_ranges(bundle: Bundle, totals: Mapping[str, int | None]) -> dict[str, PageRange | None]:
    """Bundle pages (first, last) of each document and section id, from the build's page map.

    ``totals`` holds each document's full page count (None: unknown). Numbers after an
    unknown count cannot be known, so they are None too.
    """
    counts = {d.id: _selected(d, totals.get(d.id)) for _, d in bundle.documents()}
    page_map = _planned_map(bundle, counts)
    ranges: dict[str, PageRange | None] = {}
    unknown = False
    for entry in page_map.entries:
        if entry.kind == "document" and entry.document is not None:
            unknown = unknown or counts[entry.document.id] is None
            ranges[entry.document.id] = None if unknown else (entry.first, entry.last)
    for entry in page_map.of_kind("section"):
        assert entry.section is not None
        last_doc = entry.section.documents[-1].id
        ranges[entry.section.id] = (entry.first, entry.last) if ranges[last_doc] else None
    return ranges


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first}–{last}"


def tree_page_labels(bundle: Bundle, totals: Mapping[str, int | None]) -> dict[str, str | None]:
    """What the tree's Pages column shows for each document and section id.

    Before service: the bundle pages. Once frozen: served documents keep the pages they
    were served on, and later ones show how they will be numbered (N.1 … or N+1 …).
    """
    ranges = tree_page_ranges(bundle, totals)
    if bundle.served is None:
        return {key: None if r is None else _span(str(r[0]), str(r[1])) for key, r in ranges.items()}
    from bundler.core.build.additions import additions_layout

    labels: dict[str, str | None] = {d.document_id: _span(str(d.first), str(d.last)) for d in bundle.served.documents}
    part, numbering = additions_layout(bundle)
    counts = {d.id: _selected(d, totals.get(d.id)) for _, d in part.documents()}
    if part.documents():
        page_map = _planned_map(part, counts, numbering)
        for entry in page_map.of_kind("document"):
            assert entry.document is not None
            shown = _span(page_map.label(entry.first), page_map.label(entry.last))
            labels[entry.document.id] = shown if counts[entry.document.id] is not None else None
    for section in bundle.sections:  # a section spans its served pages, else its additions
        served = [d for d in bundle.served.documents if any(x.id == d.document_id for x in section.documents)]
        if served:
            labels[section.id] = _span(str(min(d.first for d in served)), str(max(d.last for d in served)))
        elif section.documents and all(labels.get(d.id) for d in section.documents):
            first, last = labels[section.documents[0].id], labels[section.documents[-1].id]
            labels[section.id] = _span(str(first).split("–")[0], str(last).split("–")[-1])
    return labels


@dataclass(frozen=True)
class PlannedIndex:
    """The index the next build will print, row for row (``IndexLine``s from the build's code)."""

    title: str  # "INDEX", or the additions' title once the bundle was served
    lines: list[IndexLine]
    unknown: frozenset[str]  # ids of rows whose page numbers are not known yet (pages not counted)
    index_pages: int
    total_pages: int | None  # None while some page counts are unknown


def planned_index(bundle: Bundle, totals: Mapping[str, int | None], public: bool = True) -> PlannedIndex:
    """The index as it will be filed; ``totals`` as for ``tree_page_ranges``.

    ``public``: titles as the public bundle prints them (protected names replaced), as
    the build does; otherwise as the confidential bundle prints them. Once the bundle was
    served, the next build files only the documents added since, numbered on from the
    served bundle: that is the index shown.
    """
    from bundler.core.anonymise.stage import public_view
    from bundler.core.anonymise.terms import targets_from_register

    numbering = Numbering()
    if bundle.served is not None:
        from bundler.core.build.additions import additions_layout

        bundle, numbering = additions_layout(bundle)
    targets = targets_from_register(bundle.register) if public else []
    if targets:
        bundle = public_view(bundle, targets)
    counts = {d.id: _selected(d, totals.get(d.id)) for _, d in bundle.documents()}
    page_map = _planned_map(bundle, counts, numbering)
    unknown: set[str] = set()
    after_unknown = False
    for entry in page_map.of_kind("document"):
        assert entry.document is not None
        after_unknown = after_unknown or counts[entry.document.id] is None
        if after_unknown:
            unknown.add(entry.document.id)
    for entry in page_map.of_kind("section"):
        assert entry.section is not None
        if any(d.id in unknown for d in entry.section.documents):
            unknown.add(entry.section.id)
    index = page_map.of_kind("index")[0]
    total = None if after_unknown else page_map.total_pages
    lines = index_lines(page_map)
    return PlannedIndex(numbering.index_title, lines, frozenset(unknown), index.last - index.first + 1, total)
