"""Where links, bookmarks and the open action lead, and the page numbers printed for them.

``target_of`` resolves any destination to a page of this PDF: the open-action,
link, bookmark and project rules all need it. Page numbers are 1-based.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NullObject

from bundler.core.preflight.scan import PreflightContext

__all__ = ["Target", "zoom_words", "keeps_zoom", "page_target", "printed_page", "resolve", "target_of"]


class Target(NamedTuple):
    """Where a link, bookmark or open action goes."""

    page: int  # 1-based
    fit: str  # "/XYZ", "/Fit", "/FitH", ...
    zoom: float | None  # /XYZ zoom; None or 0 keep the reader's zoom


def resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _number(value: Any) -> float | None:
    value = resolve(value)
    return None if value is None or isinstance(value, NullObject) else float(value)


def _page_number(ctx: PreflightContext, ref: Any) -> int | None:
    if isinstance(ref, IndirectObject):
        return ctx.page_of_object.get(ref.idnum)
    if isinstance(ref, int) and 0 <= ref < len(ctx.pages):
        return ref + 1  # a page index, as some producers write
    return None


def page_target(ctx: PreflightContext, page_ref: Any, fit: Any, zoom: Any) -> Target | None:
    page = _page_number(ctx, page_ref)
    fit = str(resolve(fit))
    return None if page is None else Target(page, fit, _number(zoom) if fit == "/XYZ" else None)


def target_of(ctx: PreflightContext, dest: Any) -> Target | None:
    """Resolve an explicit, named or GoTo destination; None when it reaches no page here."""
    dest = resolve(dest)
    if isinstance(dest, DictionaryObject):  # an action, or a named destination's value
        if dest.get("/S", "/GoTo") != "/GoTo":
            return None
        dest = resolve(dest.get("/D"))
    if isinstance(dest, (str, bytes)):
        return _named_target(ctx, dest)
    if isinstance(dest, ArrayObject) and len(dest) >= 2:
        return page_target(ctx, dest[0], dest[1], dest[4] if len(dest) > 4 else None)
    return None


def _named_target(ctx: PreflightContext, name: str | bytes) -> Target | None:
    text = name.decode("latin-1") if isinstance(name, bytes) else str(name)
    named = ctx.reader.named_destinations
    found = named.get(text) or named.get(text.lstrip("/"))
    if found is None:
        return None
    return page_target(ctx, found.raw_get("/Page"), found.typ, found.get("/Zoom"))


_FITS = {
    "/Fit": "fitted to the window",
    "/FitB": "fitted to the window",
    "/FitH": "fitted to the window's width",
    "/FitBH": "fitted to the window's width",
    "/FitV": "fitted to the window's height",
    "/FitBV": "fitted to the window's height",
    "/FitR": "zoomed to a box on the page",
}


def zoom_words(target: Target) -> str:
    """How a destination sets the zoom, in words: 'fitted to the window', 'at 150%'."""
    if target.fit == "/XYZ":
        return f"at {target.zoom * 100:.0f}%" if target.zoom else "at the reader's own zoom"
    return _FITS.get(target.fit, "at a zoom the PDF sets")


def keeps_zoom(target: Target) -> bool:
    return target.fit == "/XYZ" and not target.zoom


def printed_page(token: str, prefix: str) -> int | None:
    """The page a printed token names: "12", "HB12", "12–15" → 12; else None."""
    p = f"(?:{re.escape(prefix)})?" if prefix else ""
    m = re.fullmatch(rf"{p}(\d+)(?:[-–]{p}\d+)?", token.strip("()[],.;:"))
    return int(m.group(1)) if m else None
