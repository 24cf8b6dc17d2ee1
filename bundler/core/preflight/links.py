"""The court rules on index links and bookmarks (PRODUCT.md §2), and on their zoom.

A link must go to the page printed beside it, a bookmark to the page its title
gives, and neither may change the reader's zoom. Page numbers are 1-based.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from pypdf.generic import DictionaryObject

from bundler.core.naming import plural
from bundler.core.preflight.findings import Status, Verdict, format_examples
from bundler.core.preflight.scan import Box, PreflightContext
from bundler.core.preflight.targets import Target, keeps_zoom, page_target, printed_page, resolve, target_of

__all__ = ["check_bookmark_zoom", "check_bookmarks", "check_index_links", "check_link_zoom"]


class Link(NamedTuple):
    page: int
    rect: Box
    target: Target | None  # None: leads to no page of this PDF


class Mismatch(NamedTuple):
    page: int  # where the link is
    printed: int  # the page number printed beside it
    target: int  # where it goes


def _links(ctx: PreflightContext) -> Iterator[Link]:
    """Internal links (``/Dest`` or a GoTo action) on every page."""
    for number, page in enumerate(ctx.reader.pages, start=1):
        for annot in resolve(page.get("/Annots")) or []:
            annot = resolve(annot)
            dest = annot.get("/Dest")
            action = resolve(annot.get("/A"))
            if dest is None and isinstance(action, DictionaryObject):
                dest = action if action.get("/S") == "/GoTo" else None
            if annot.get("/Subtype") == "/Link" and dest is not None:
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
                yield Link(number, box, target_of(ctx, dest))


def _printed_beside(ctx: PreflightContext, link: Link, front: int | None) -> int | None:
    """The page number printed at the end of the link's line (the index's last column)."""
    x0, y0, x1, y1 = link.rect
    right = max(x1, ctx.pages[link.page - 1].visible[2])
    words = ctx.text_in(link.page, (x0, y0, right, y1)).split()
    if not words:
        return None
    in_source = front is not None and link.page >= front
    if in_source and ctx.prefix and not words[-1].strip("([").startswith(ctx.prefix):
        return None  # a source's own page number: ours would carry the prefix
    return printed_page(words[-1], ctx.prefix)


def check_index_links(ctx: PreflightContext) -> Iterator[Verdict]:
    links = list(_links(ctx))
    dead = tuple(sorted({k.page for k in links if k.target is None}))
    if dead:
        yield Verdict("fail", "A link leads to no page of this bundle.", dead)
    front = _first_document_page(ctx)
    printed = [(k.page, _printed_beside(ctx, k, front), k.target.page) for k in links if k.target]
    wrong = [Mismatch(at, n, to) for at, n, to in printed if n is not None and n != to]
    in_index = [m for m in wrong if front is None or m.page < front]
    yield from _mismatches(in_index, "fail", "An index link goes to a different page from the one printed")
    yield from _mismatches(
        [m for m in wrong if m not in in_index],
        "warn",
        "A link goes to a different page from the one printed beside it (a document's own contents list?)",
    )
    yield from _index_link_count(ctx, links, front)
    if not (dead or wrong):
        numbered = sum(n is not None for _, n, _ in printed)
        others = len(links) - numbered
        unchecked = f"; {plural(others, 'link')} not beside a page number of ours (not checked)" if others else ""
        yield Verdict(
            "pass",
            f"{plural(numbered, 'link')} {'goes' if numbered == 1 else 'go'} to the page printed beside "
            f"{'it' if numbered == 1 else 'them'}{unchecked}.",
        )


def _mismatches(wrong: list[Mismatch], status: Status, text: str) -> Iterator[Verdict]:
    if wrong:
        quoted = [f"page {m.page}: printed {m.printed}, goes to {m.target}" for m in wrong]
        quoted = list(dict.fromkeys(quoted))  # a row can carry several links
        pages = tuple(sorted({m.page for m in wrong}))
        yield Verdict(status, f"{text}: {format_examples(quoted)}.", pages)


def _index_link_count(ctx: PreflightContext, links: list[Link], front: int | None) -> Iterator[Verdict]:
    documents = _document_bookmarks(ctx)
    in_index = sum(1 for k in links if front is not None and k.page < front)
    if front is not None and in_index < len(documents):
        yield Verdict(
            "warn",
            f"The index has {plural(in_index, 'link')} for {plural(len(documents), 'document')}: "
            "every index row should be a live link.",
            tuple(range(1, front)),
        )


def check_link_zoom(ctx: PreflightContext) -> Iterator[Verdict]:
    changing = {k.page for k in _links(ctx) if k.target and not keeps_zoom(k.target)}
    if changing:
        yield Verdict(  # EBG21: links keep the reader's zoom; a failure, not a warning
            "fail",
            "Following these links changes the reader's zoom; links should keep the zoom the reader chose. "
            "Build the bundle again with bundler.",
            tuple(sorted(changing)),
        )
    else:
        yield Verdict("pass", "Links keep the reader's zoom.")


class Bookmark(NamedTuple):
    depth: int  # 1 = section, 2 = document, deeper = a source's own bookmarks
    title: str
    target: Target | None


def _bookmarks(ctx: PreflightContext, items: list[Any] | None = None, depth: int = 1) -> Iterator[Bookmark]:
    for item in ctx.reader.outline if items is None else items:
        if isinstance(item, list):  # pypdf lists an item's children right after it
            yield from _bookmarks(ctx, item, depth + 1)
        else:
            target = page_target(ctx, item.raw_get("/Page"), item.typ, item.get("/Zoom"))
            yield Bookmark(depth, str(item.title), target)


def _top_bookmarks(ctx: PreflightContext) -> list[Bookmark]:
    """Sections and documents: deeper levels are the sources' own bookmarks."""
    return [b for b in _bookmarks(ctx) if b.depth <= 2]


def _document_bookmarks(ctx: PreflightContext) -> list[Bookmark]:
    """The second level, or the first when the bundle has no sections."""
    marks = _top_bookmarks(ctx)
    return [b for b in marks if b.depth == 2] or marks


def _first_document_page(ctx: PreflightContext) -> int | None:
    """Where the documents begin: pages before it are the cover and the index."""
    pages = [b.target.page for b in _top_bookmarks(ctx) if b.target]
    return min(pages) if pages else None


def _title_number(title: str, prefix: str) -> int | None:
    """The last page-number-like word of a title ("A1. Claim form — 5" → 5)."""
    found = [n for n in (printed_page(w, prefix) for w in title.split()) if n is not None]
    return found[-1] if found else None


def check_bookmarks(ctx: PreflightContext) -> Iterator[Verdict]:
    marks = _top_bookmarks(ctx)
    if not marks:
        yield Verdict("fail", "The bundle has no bookmarks: it needs one per section and one per document.")
        return
    dead = [repr(b.title) for b in marks if b.target is None]
    if dead:
        yield Verdict("fail", f"Bookmark leads to no page: {format_examples(dead)}.")
    titled = [(b.title, _title_number(b.title, ctx.prefix), b.target.page) for b in marks if b.target]
    unnumbered = [(title, page) for title, n, page in titled if n is None]
    wrong = [(title, page) for title, n, page in titled if n is not None and n != page]
    if unnumbered:
        yield Verdict(
            "warn",
            f"Bookmark title does not contain its page number: {format_examples([repr(t) for t, _ in unnumbered])}.",
            tuple(sorted({p for _, p in unnumbered})),
        )
    if wrong:
        quoted = [f"{t!r} goes to page {p}" for t, p in wrong]
        yield Verdict(
            "fail",
            f"Bookmark title gives another page number: {format_examples(quoted)}.",
            tuple(sorted({p for _, p in wrong})),
        )
    if not (dead or unnumbered or wrong):
        yield Verdict("pass", f"{len(marks)} section and document bookmarks give their pages.")


def check_bookmark_zoom(ctx: PreflightContext) -> Iterator[Verdict]:
    changing = [b for b in _bookmarks(ctx) if b.target and not keeps_zoom(b.target)]
    if changing:
        pages = tuple(sorted({b.target.page for b in changing if b.target}))
        yield Verdict(  # EBG21: bookmarks keep the reader's zoom; a failure, not a warning
            "fail",
            "Following these bookmarks changes the reader's zoom: "
            f"{format_examples([repr(b.title) for b in changing])}.",
            pages,
        )
    else:
        yield Verdict("pass", "Bookmarks keep the reader's zoom.")
