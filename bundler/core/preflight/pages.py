"""The page-number rules of PRODUCT.md §2: every page shows its own number in the
bottom-right corner, upright and clear of the text, and the page labels agree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from bundler.core.preflight.findings import Status, Verdict, format_examples, format_pages
from bundler.core.preflight.scan import PageFacts, PreflightContext, StampHit

__all__ = ["check_page_labels", "check_page_numbers", "check_stamp_placement"]


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
        text = f"Page number differs from the PDF page: {format_examples(quoted)}."
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
        yield Verdict("fail", f"Same page number on several pages: {format_examples(quoted)}.", pages)


def _missing_numbers(ctx: PreflightContext, missing: list[int]) -> Iterator[Verdict]:
    if not missing:
        return
    # Looking further is worth it for a few pages: a stamp drawn elsewhere is the
    # classic mistake on /Rotate pages, and the remedy differs.
    elsewhere = [n for n in missing[:50] if f"{ctx.prefix}{n}" in _page_tokens(ctx, n)]
    if elsewhere:
        yield Verdict(
            "fail",
            "No page number in the bottom-right corner as the page is seen, but the "
            "number appears elsewhere on the page (a number put on a turned page "
            "in the wrong corner, or the document's own numbering).",
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
        yield Verdict("warn", "Page number sits on the document's own text: shrink or pad the page.", covering)
    if not own:
        yield Verdict("pass", "No page numbers found to check (see Page numbers).")
    elif not (sideways or covering):
        yield Verdict("pass", "Page numbers are upright and clear of the text.")


def check_page_labels(ctx: PreflightContext) -> Iterator[Verdict]:
    prefix = ctx.prefix
    if "/PageLabels" not in ctx.reader.root_object:
        status: Status = "warn" if prefix else "pass"
        yield Verdict(
            status,
            "The bundle does not tell PDF readers its page numbers: they show '1', '2', … "
            f"{'without the prefix of' if prefix else 'which matches'} the printed numbers.",
        )
        return
    labels = ctx.reader.page_labels
    wrong = [(n, lab) for n, lab in enumerate(labels, start=1) if lab != f"{prefix}{n}"]
    if wrong:
        quoted = [f"page {n} is labelled '{lab}'" for n, lab in wrong]
        yield Verdict(
            "fail",
            f"Page label differs from the page number: {format_examples(quoted)}.",
            tuple(n for n, _ in wrong),
        )
    else:
        yield Verdict("pass", f"Page labels match the page numbers ('{prefix}1' …).")
