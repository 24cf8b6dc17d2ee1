"""The court rules of PRODUCT.md §2 that can be checked on the PDF alone.

Each check is a small generator of verdicts over a ``PreflightContext``; ``RULES``
lists them in report order. Page numbers in messages and verdicts are 1-based.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple
from xml.parsers.expat import ExpatError

from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NullObject

from bundler.core.ocr import ocr_remedy
from bundler.core.preflight import (
    Box,
    PageFacts,
    PreflightContext,
    Rule,
    StampHit,
    Status,
    Verdict,
    format_pages,
)

__all__ = ["RULES", "Target", "printed_page", "target_of"]

MB = 1_000_000  # decimal megabytes: the stricter reading of "36 MB" and "50 MB"
EMAIL_LIMIT = 36 * MB
CE_FILE_LIMIT = 50 * MB
MAX_DPI = 300.0
DPI_SLACK = 1.1  # a 300-dpi scan shrunk a little to clear the stamp margin is no problem
MAX_EXAMPLES = 5  # examples quoted in one message
NOT_A_NAME = frozenset({"", "anonymous", "unknown"})  # placeholders (reportlab's default)
FILE_NAME = re.compile(r"(?P<case>\S.*?) - (?P<bundle>\S.*?) - (?P<claim>[^ ].*\d.*)\.pdf", re.I)


class Target(NamedTuple):
    """Where a link, bookmark or open action goes."""

    page: int  # 1-based
    fit: str  # "/XYZ", "/Fit", "/FitH", ...
    zoom: float | None  # /XYZ zoom; None or 0 keep the reader's zoom


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _number(value: Any) -> float | None:
    value = _resolve(value)
    return None if value is None or isinstance(value, NullObject) else float(value)


def _page_number(ctx: PreflightContext, ref: Any) -> int | None:
    if isinstance(ref, IndirectObject):
        return ctx.page_of_object.get(ref.idnum)
    if isinstance(ref, int) and 0 <= ref < len(ctx.pages):
        return ref + 1  # a page index, as some producers write
    return None


def _target(ctx: PreflightContext, page_ref: Any, fit: Any, zoom: Any) -> Target | None:
    page = _page_number(ctx, page_ref)
    fit = str(_resolve(fit))
    return None if page is None else Target(page, fit, _number(zoom) if fit == "/XYZ" else None)


def target_of(ctx: PreflightContext, dest: Any) -> Target | None:
    """Resolve an explicit, named or GoTo destination; None when it reaches no page here."""
    dest = _resolve(dest)
    if isinstance(dest, DictionaryObject):  # an action, or a named destination's value
        if dest.get("/S", "/GoTo") != "/GoTo":
            return None
        dest = _resolve(dest.get("/D"))
    if isinstance(dest, (str, bytes)):
        return _named_target(ctx, dest)
    if isinstance(dest, ArrayObject) and len(dest) >= 2:
        return _target(ctx, dest[0], dest[1], dest[4] if len(dest) > 4 else None)
    return None


def _named_target(ctx: PreflightContext, name: str | bytes) -> Target | None:
    text = name.decode("latin-1") if isinstance(name, bytes) else str(name)
    named = ctx.reader.named_destinations
    found = named.get(text) or named.get(text.lstrip("/"))
    if found is None:
        return None
    return _target(ctx, found.raw_get("/Page"), found.typ, found.get("/Zoom"))


def _keeps_zoom(target: Target) -> bool:
    return target.fit == "/XYZ" and not target.zoom


def printed_page(token: str, prefix: str) -> int | None:
    """The page a printed token names: "12", "HB12", "12–15" → 12; else None."""
    p = f"(?:{re.escape(prefix)})?" if prefix else ""
    m = re.fullmatch(rf"{p}(\d+)(?:[-–]{p}\d+)?", token.strip("()[],.;:"))
    return int(m.group(1)) if m else None


def _examples(items: list[str]) -> str:
    more = f" and {len(items) - MAX_EXAMPLES} more" if len(items) > MAX_EXAMPLES else ""
    return "; ".join(items[:MAX_EXAMPLES]) + more


# --- file ------------------------------------------------------------------------


def check_encryption(ctx: PreflightContext) -> Iterator[Verdict]:
    if ctx.reader.is_encrypted:
        yield Verdict(
            "fail",
            "The PDF is encrypted; the court needs it without any "
            "password or permissions. Save an unprotected copy.",
        )
    else:
        yield Verdict("pass", "Not encrypted.")


def check_file_size(ctx: PreflightContext) -> Iterator[Verdict]:
    size = ctx.path.stat().st_size
    text = f"{size / MB:.1f} MB"
    if size > CE_FILE_LIMIT:
        yield Verdict("fail", f"{text} is over CE-File's 50 MB limit: split it into volumes.")
    elif size > EMAIL_LIMIT:
        yield Verdict("warn", f"{text} is over 36 MB, too big to email: consider volumes.")
    else:
        yield Verdict("pass", f"{text}: small enough to email and to file.")


def check_file_name(ctx: PreflightContext) -> Iterator[Verdict]:
    if FILE_NAME.fullmatch(ctx.path.name):
        yield Verdict("pass", f"File name '{ctx.path.name}' follows the convention.")
    else:
        yield Verdict(
            "warn",
            f"File name '{ctx.path.name}' should read '<short case name> - "
            "<bundle name> - <claim no>.pdf', e.g. "
            "'AB v MPC - Hearing Bundle - AC-2019-LON-002345.pdf'.",
        )


def check_author(ctx: PreflightContext) -> Iterator[Verdict]:
    info = ctx.reader.metadata
    authors = [str(info.author)] if info is not None and info.author else []
    try:
        xmp = ctx.reader.xmp_metadata
        creators = (xmp.dc_creator or []) if xmp is not None else []
        authors += [str(a) for a in creators if str(a).strip()]
    except (PyPdfError, ValueError, ExpatError):
        pass  # unreadable XMP has no author to leak that a reader would show
    authors = [a for a in authors if a.strip().strip("()").casefold() not in NOT_A_NAME]
    if authors:
        yield Verdict(
            "warn",
            f"Metadata names an author ({_examples(authors)}); bundles carry no author names.",
        )
    else:
        yield Verdict("pass", "No author in the metadata.")


def check_open_action(ctx: PreflightContext) -> Iterator[Verdict]:
    root = ctx.reader.root_object
    target = target_of(ctx, root.get("/OpenAction")) if "/OpenAction" in root else None
    if target is None:
        yield Verdict("warn", "No open action to a page: make it open page 1 at 100% zoom.")
    elif target.page != 1:
        yield Verdict("warn", f"Opens at page {target.page}, not page 1.", (target.page,))
    elif target.fit != "/XYZ" or target.zoom != 1:
        zoom = target.fit if target.fit != "/XYZ" else f"zoom {target.zoom or 'unchanged'}"
        yield Verdict("warn", f"Opens page 1 at {zoom}, not 100%.", (1,))
    else:
        yield Verdict("pass", "Opens at page 1, 100% zoom.")


# --- page numbers ------------------------------------------------------------------


def _own_stamp(page: PageFacts, prefix: str) -> StampHit | None:
    """The page's own number in the stamp corner; glued to other text if need be."""
    own = f"{prefix}{page.number}"
    exact = [h for h in page.stamps if h.token == own]
    # Text under the stamp can run into it ("words4"): still the stamp, flagged elsewhere.
    glued = [h for h in page.stamps if h.token.endswith(own)]
    return (exact + glued)[0] if glued else None


def _shown_number(page: PageFacts, prefix: str) -> str | None:
    """The page number this page shows bottom right: its own if there, else the last one."""
    if _own_stamp(page, prefix) is not None:
        return f"{prefix}{page.number}"
    pattern = re.compile(rf"{re.escape(prefix)}\d+(?:\.\d+|[a-z])?")
    shown = [t for t in page.corner_tokens if pattern.fullmatch(t)]
    return shown[-1] if shown else None


def check_page_numbers(ctx: PreflightContext) -> Iterator[Verdict]:
    prefix = ctx.prefix
    shown = {p.number: _shown_number(p, prefix) for p in ctx.pages}
    yield from _missing_numbers(ctx, [n for n, s in shown.items() if s is None])
    wrong = {n: s for n, s in shown.items() if s is not None and s != f"{prefix}{n}"}
    if wrong:
        quoted = [f"page {n} shows '{s}'" for n, s in wrong.items()]
        text = f"Page number differs from the PDF page: {_examples(quoted)}."
        yield Verdict("fail", text, tuple(wrong))
    yield from _duplicate_numbers(shown)
    if all(s == f"{prefix}{n}" for n, s in shown.items()):
        last = f"{prefix}{len(shown)}"
        yield Verdict("pass", f"Every page shows its own number ('{prefix}1' to '{last}').")


def _duplicate_numbers(shown: dict[int, str | None]) -> Iterator[Verdict]:
    by_number: dict[str, list[int]] = defaultdict(list)
    for n, s in shown.items():
        if s is not None:
            by_number[s].append(n)
    repeated = {s: pages for s, pages in by_number.items() if len(pages) > 1}
    if repeated:
        quoted = [f"'{s}' on pages {format_pages(pages)}" for s, pages in repeated.items()]
        pages = tuple(sorted(n for ns in repeated.values() for n in ns))
        yield Verdict("fail", f"Same page number on several pages: {_examples(quoted)}.", pages)


def _missing_numbers(ctx: PreflightContext, missing: list[int]) -> Iterator[Verdict]:
    if not missing:
        return
    # Looking further is worth it for a few pages: a stamp drawn elsewhere is the
    # classic mistake on /Rotate pages, and the remedy differs.
    elsewhere = [n for n in missing[:50] if f"{ctx.prefix}{n}" in _page_tokens(ctx, n)]
    if elsewhere:
        yield Verdict(
            "fail",
            "No page number in the bottom-right corner as viewed, but the "
            "number appears elsewhere on the page (a stamp misplaced on a /Rotate "
            "page, or the document's own numbering).",
            tuple(elsewhere),
        )
    absent = tuple(n for n in missing if n not in elsewhere)
    if absent:
        yield Verdict(
            "fail",
            f"No page number in the bottom-right corner (page N shows '{ctx.prefix}N').",
            absent,
        )


def _page_tokens(ctx: PreflightContext, number: int) -> list[str]:
    return ctx.text_in(number, ctx.pages[number - 1].visible).split()


def check_stamp_placement(ctx: PreflightContext) -> Iterator[Verdict]:
    own = [(p.number, h) for p in ctx.pages if (h := _own_stamp(p, ctx.prefix)) is not None]
    sideways = tuple(n for n, h in own if not h.upright)
    covering = tuple(n for n, h in own if h.covers_text or h.token != f"{ctx.prefix}{n}")
    if sideways:
        yield Verdict("fail", "Page number is not upright as the page is viewed.", sideways)
    if covering:
        yield Verdict(
            "warn", "Page number sits on the document's own text: shrink or pad the page.", covering
        )
    if not own:
        yield Verdict("pass", "No page numbers found to check (see page-numbers).")
    elif not (sideways or covering):
        yield Verdict("pass", "Page numbers are upright and clear of the text.")


def check_page_labels(ctx: PreflightContext) -> Iterator[Verdict]:
    prefix = ctx.prefix
    if "/PageLabels" not in ctx.reader.root_object:
        status: Status = "warn" if prefix else "pass"
        yield Verdict(
            status,
            f"No /PageLabels: readers show '1', '2', … "
            f"{'without' if prefix else 'which matches'} the stamps.",
        )
        return
    labels = ctx.reader.page_labels
    wrong = [(n, lab) for n, lab in enumerate(labels, start=1) if lab != f"{prefix}{n}"]
    if wrong:
        quoted = [f"page {n} is labelled '{lab}'" for n, lab in wrong]
        yield Verdict(
            "fail",
            f"Page label differs from the page number: {_examples(quoted)}.",
            tuple(n for n, _ in wrong),
        )
    else:
        yield Verdict("pass", f"Page labels match the page numbers ('{prefix}1' …).")


def check_text_layer(ctx: PreflightContext) -> Iterator[Verdict]:
    textless = tuple(p.number for p in ctx.pages if p.body_chars == 0)
    if textless:
        yield Verdict(
            "warn",
            "No text layer besides the page number (a scan, or blank), so not searchable. "
            + ocr_remedy(),
            textless,
        )
    else:
        yield Verdict("pass", "Every page has searchable text.")


def check_orientation(ctx: PreflightContext) -> Iterator[Verdict]:
    upside_down = tuple(p.number for p in ctx.pages if p.rotation == 180)
    if upside_down:
        yield Verdict("warn", "Page is turned 180° (/Rotate 180): is it upside down?", upside_down)
    else:
        yield Verdict("pass", "No page is turned upside down.")


def check_image_dpi(ctx: PreflightContext) -> Iterator[Verdict]:
    dense = [p for p in ctx.pages if p.image_dpi > MAX_DPI * DPI_SLACK]
    if dense:
        top = max(p.image_dpi for p in dense)
        yield Verdict(
            "warn",
            f"Images above 300 dpi as placed (up to {top:.0f} dpi): "
            "downsample them to keep the file small.",
            tuple(p.number for p in dense),
        )
    else:
        yield Verdict("pass", "No image above 300 dpi.")


# --- links and bookmarks -----------------------------------------------------------


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
        for annot in _resolve(page.get("/Annots")) or []:
            annot = _resolve(annot)
            dest = annot.get("/Dest")
            action = _resolve(annot.get("/A"))
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
        yield Verdict("fail", "Link leads to no page of this PDF.", dead)
    front = _first_document_page(ctx)
    printed = [(k.page, _printed_beside(ctx, k, front), k.target.page) for k in links if k.target]
    wrong = [Mismatch(at, n, to) for at, n, to in printed if n is not None and n != to]
    in_index = [m for m in wrong if front is None or m.page < front]
    yield from _mismatches(in_index, "fail", "Index link goes to a different page than printed")
    yield from _mismatches(
        [m for m in wrong if m not in in_index],
        "warn",
        "Link goes to a different page than printed (a source document's own contents list?)",
    )
    yield from _index_link_count(ctx, links, front)
    if not (dead or wrong):
        numbered = sum(n is not None for _, n, _ in printed)
        yield Verdict(
            "pass",
            f"{numbered} link(s) go to the page printed beside them; "
            f"{len(links) - numbered} print no page number of ours (not checked).",
        )


def _mismatches(wrong: list[Mismatch], status: Status, text: str) -> Iterator[Verdict]:
    if wrong:
        quoted = [f"page {m.page}: printed {m.printed}, goes to {m.target}" for m in wrong]
        quoted = list(dict.fromkeys(quoted))  # a row can carry several links
        pages = tuple(sorted({m.page for m in wrong}))
        yield Verdict(status, f"{text}: {_examples(quoted)}.", pages)


def _index_link_count(
    ctx: PreflightContext, links: list[Link], front: int | None
) -> Iterator[Verdict]:
    documents = _document_bookmarks(ctx)
    in_index = sum(1 for k in links if front is not None and k.page < front)
    if front is not None and in_index < len(documents):
        yield Verdict(
            "warn",
            f"The index has {in_index} link(s) for {len(documents)} "
            "documents: every index row should be a live link.",
            tuple(range(1, front)),
        )


def check_link_zoom(ctx: PreflightContext) -> Iterator[Verdict]:
    changing = {k.page for k in _links(ctx) if k.target and not _keeps_zoom(k.target)}
    if changing:
        yield Verdict(
            "warn",
            "Link changes the reader's zoom (/Fit or a set zoom): use /XYZ with a null zoom.",
            tuple(sorted(changing)),
        )
    else:
        yield Verdict("pass", "Links keep the reader's zoom.")


class Bookmark(NamedTuple):
    depth: int  # 1 = section, 2 = document, deeper = a source's own bookmarks
    title: str
    target: Target | None


def _bookmarks(
    ctx: PreflightContext, items: list[Any] | None = None, depth: int = 1
) -> Iterator[Bookmark]:
    for item in ctx.reader.outline if items is None else items:
        if isinstance(item, list):  # pypdf lists an item's children right after it
            yield from _bookmarks(ctx, item, depth + 1)
        else:
            target = _target(ctx, item.raw_get("/Page"), item.typ, item.get("/Zoom"))
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
        yield Verdict("fail", "No bookmarks: add one per section and one per document.")
        return
    dead = [repr(b.title) for b in marks if b.target is None]
    if dead:
        yield Verdict("fail", f"Bookmark leads to no page: {_examples(dead)}.")
    titled = [
        (b.title, _title_number(b.title, ctx.prefix), b.target.page) for b in marks if b.target
    ]
    unnumbered = [(title, page) for title, n, page in titled if n is None]
    wrong = [(title, page) for title, n, page in titled if n is not None and n != page]
    if unnumbered:
        yield Verdict(
            "warn",
            "Bookmark title does not contain its page number: "
            f"{_examples([repr(t) for t, _ in unnumbered])}.",
            tuple(sorted({p for _, p in unnumbered})),
        )
    if wrong:
        quoted = [f"{t!r} goes to page {p}" for t, p in wrong]
        yield Verdict(
            "fail",
            f"Bookmark title gives another page number: {_examples(quoted)}.",
            tuple(sorted({p for _, p in wrong})),
        )
    if not (dead or unnumbered or wrong):
        yield Verdict("pass", f"{len(marks)} section and document bookmarks give their pages.")


def check_bookmark_zoom(ctx: PreflightContext) -> Iterator[Verdict]:
    changing = [b for b in _bookmarks(ctx) if b.target and not _keeps_zoom(b.target)]
    if changing:
        pages = tuple(sorted({b.target.page for b in changing if b.target}))
        yield Verdict(
            "warn",
            "Bookmark changes the reader's zoom (/Fit or a set zoom): "
            f"{_examples([repr(b.title) for b in changing])}.",
            pages,
        )
    else:
        yield Verdict("pass", "Bookmarks keep the reader's zoom.")


RULES: tuple[Rule, ...] = (
    Rule("encryption", check_encryption),
    Rule("file-size", check_file_size),
    Rule("file-name", check_file_name),
    Rule("metadata-author", check_author),
    Rule("open-action", check_open_action),
    Rule("page-numbers", check_page_numbers),
    Rule("stamp-placement", check_stamp_placement),
    Rule("page-labels", check_page_labels),
    Rule("index-links", check_index_links),
    Rule("link-zoom", check_link_zoom),
    Rule("bookmarks", check_bookmarks),
    Rule("bookmark-zoom", check_bookmark_zoom),
    Rule("text-layer", check_text_layer),
    Rule("orientation", check_orientation),
    Rule("image-dpi", check_image_dpi),
)
