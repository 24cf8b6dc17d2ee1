"""The bundle pages each document will carry, before any build (for the project tree).

Computed from the same page map as the build, from page counts read cheaply.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterable, Mapping
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from bundler.core.anonymise.detect import Hit
from bundler.core.build.frontmatter import count_index_pages
from bundler.core.build.pagemap import compute_page_map
from bundler.core.errors import BundlerError, ProjectError
from bundler.core.fsutil import sha256_file
from bundler.core.model import Bundle, CaseDetails, Document, Section
from bundler.core.naming import parse_date, propose_title_date
from bundler.core.pdf.probe import SUPPORTED_SUFFIXES, probe_file
from bundler.core.pdf.sources import open_pdf, parse_page_selection

__all__ = ['count_pages', 'tree_page_ranges', 'tree_page_labels']


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

def tree_page_ranges(bundle: Bundle, totals: Mapping[str, int | None]) -> dict[str, PageRange | None]:
    """Bundle pages (first, last) of each document and section id, from the build's page map.

    ``totals`` holds each document's full page count (None: unknown). Numbers after an
    unknown count cannot be known, so they are None too.
    """
    counts = {d.id: _selected(d, totals.get(d.id)) for _, d in bundle.documents()}
    layout = {doc_id: count or 1 for doc_id, count in counts.items()}
    draft = compute_page_map(bundle, layout, index_pages=1)
    page_map = compute_page_map(bundle, layout, index_pages=count_index_pages(draft))
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
        layout = {doc_id: count or 1 for doc_id, count in counts.items()}
        draft = compute_page_map(part, layout, 1, numbering)
        page_map = compute_page_map(part, layout, count_index_pages(draft), numbering)
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
