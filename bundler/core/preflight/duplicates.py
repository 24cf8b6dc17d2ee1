"""Duplicate documents and duplicate pages (PRODUCT.md §2.13).

A page is known by its text (our page-number stamp taken out, normalised as the
anonymisation matcher normalises) or, when it has little text, by the bytes of its
large images: the same scan added twice has the same image streams. Documents
are the same when they are the same file with the same page selection, or when
their content is. Both places are always named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bundler.core.pdf.outline import Placement
from bundler.core.preflight.findings import Verdict

if TYPE_CHECKING:
    from bundler.core.preflight.context import ProjectContext
from bundler.core.preflight.context import MIN_TEXT, _digest

__all__ = ["check_duplicate_documents", "check_duplicate_pages"]

MAX_GROUPS = 20  # duplicate-page findings listed one by one; the rest are summed up


def _document_key(p: ProjectContext, placement: Placement) -> str | None:
    mark = placement.mark
    if mark is None:
        return None
    pages = [p.contents[n] for n in range(mark.first, mark.last + 1) if n in p.contents]
    text = " ".join(c.text for c in pages)
    if len(text) >= MIN_TEXT:
        return "text:" + _digest(text)
    if pages and all(c.image_key for c in pages):
        return "images:" + _digest("|".join(c.key or "" for c in pages))
    return None


def duplicate_groups(p: ProjectContext) -> list[tuple[str, list[Placement]]]:
    """("file" | "content", the documents) for every set of two or more alike."""
    keyed: dict[tuple[str, str], list[Placement]] = defaultdict(list)
    for placement in p.placements:
        doc = placement.document
        keyed[("file", f"{doc.sha256}:{doc.pages.replace(' ', '')}")].append(placement)
        content = _document_key(p, placement)
        if content is not None:
            keyed[("content", content)].append(placement)
    seen: set[frozenset[str]] = set()
    groups = []
    for (kind, _), members in keyed.items():
        tabs = frozenset(m.tab for m in members)
        if len(members) > 1 and tabs not in seen:  # the same file is the same content too
            seen.add(tabs)
            groups.append((kind, members))
    return groups


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def check_duplicate_documents(p: ProjectContext) -> Iterator[Verdict]:
    groups = duplicate_groups(p)
    for kind, members in groups:
        what = "the same file" if kind == "file" else "the same content"
        pages = tuple(m.mark.first for m in members if m.mark is not None)
        yield Verdict(
            "warn",
            f"{_and([p.name(m) for m in members])} are {what}: keep one, or say why each is needed.",
            pages,
        )
    if not groups:
        yield Verdict("pass", f"No two of the {len(p.placements)} documents are the same.")


def _where(p: ProjectContext, number: int) -> str:
    owner = p.placement_of_page(number)
    if owner is None or owner.mark is None:
        return f"page {number}"
    title = p.shown_titles[owner.document.id]
    return f"page {number} ({owner.tab} '{title}', its page {number - owner.mark.first + 1})"


def _within_duplicate(p: ProjectContext, pages: list[int], groups: list[frozenset[str]]) -> bool:
    """All these pages belong to documents already reported as one duplicate set."""
    owners = [p.placement_of_page(n) for n in pages]
    tabs = {o.tab if o is not None else "" for o in owners}
    return any(tabs <= group for group in groups)


def check_duplicate_pages(p: ProjectContext) -> Iterator[Verdict]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for number, content in sorted(p.contents.items()):
        if content.key is not None:
            by_key[content.key].append(number)
    groups = [frozenset(m.tab for m in members) for _, members in duplicate_groups(p)]
    repeats = [pages for pages in by_key.values() if len(pages) > 1 and not _within_duplicate(p, pages, groups)]
    for pages in repeats[:MAX_GROUPS]:
        places = [_where(p, n) for n in pages]
        yield Verdict("warn", f"{places[0]} is repeated at {_and(places[1:])}.", tuple(pages))
    if len(repeats) > MAX_GROUPS:
        rest = repeats[MAX_GROUPS:]
        yield Verdict(
            "warn", f"{len(rest)} more sets of repeated pages.", tuple(sorted(n for group in rest for n in group))
        )
    if not repeats:
        yield Verdict("pass", f"No repeated pages among {len(p.contents)} document pages.")
