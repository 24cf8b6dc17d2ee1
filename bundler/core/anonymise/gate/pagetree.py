"""The pages of a file as the gate numbers them, without parsing pages it will not read.

pypdf lists pages by parsing every page object of the tree. On a rebuilt bundle most
pages are a verified chunk's (``vouched``), whose objects the gate has already proven
byte for byte, so parsing them again only costs time: about a second per 5,000 pages.
``page_tree`` walks the ``/Pages`` nodes itself and takes a kid named in ``leaves`` for
a page without reading it; every other kid is read and classified. A tree that is in
any way unusual — a kid written inline, a ``/Kids`` that is no array, an object met
twice, a kid of an unknown type, a tree deeper than pypdf allows — is not walked
here: pypdf's own listing (``reader.pages``) is used, as before. PDFium counts the
pages itself and the gate compares the counts (``places.pdfium_pages``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

__all__ = ["PageTree", "page_tree", "INHERITED"]

INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_DEPTH = 64  # as deep as any real tree; pypdf's own listing takes anything deeper


@dataclass
class PageTree:
    """Page n (1-based) is object ``refs[n - 1]`` (None: written inline in its page tree);
    ``inherited[n - 1]``: what the page takes from its tree."""

    refs: list[IndirectObject | None]
    inherited: list[dict[str, Any]]
    _load: Callable[[int], PageObject]
    _pages: dict[int, PageObject] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.refs)

    @property
    def numbers(self) -> dict[int, int]:
        """Page number by page object number."""
        return {ref.idnum: n for n, ref in enumerate(self.refs, 1) if ref is not None}

    def inherits(self, number: int) -> bool:
        """Whether page ``number`` takes any attribute from its page tree."""
        return bool(self.inherited[number - 1])

    def page(self, number: int) -> PageObject:
        """Page ``number`` as pypdf lists it: its own entries and those it inherits."""
        if number not in self._pages:
            self._pages[number] = self._load(number)
        return self._pages[number]


def _listed(reader: PdfReader) -> PageTree:
    """pypdf's own listing: what a page inherits is read up its ``/Parent`` chain."""
    pages = list(reader.pages)
    return PageTree(
        [page.indirect_reference for page in pages], [_parents(page) for page in pages], lambda n: pages[n - 1]
    )


def _parents(page: Any) -> dict[str, Any]:
    inherited: dict[str, Any] = {}
    node, seen = page.get("/Parent"), 0
    while node is not None and seen < _DEPTH:
        node, seen = node.get_object(), seen + 1
        inherited |= {key: node[key] for key in INHERITED if key in node and key not in inherited}
        node = node.get("/Parent")
    return inherited if node is None else {"/Parent": "deeper than the gate follows"}


def _kind(node: Any) -> str | None:
    """ "/Pages", "/Page", or None for anything else (pypdf's rules, stricter)."""
    if not isinstance(node, DictionaryObject):
        return None
    kind = node.get("/Type")
    if kind is None:
        return "/Pages" if "/Kids" in node else "/Page"
    return kind if kind in ("/Pages", "/Page") else None


def _walk(reader: PdfReader, leaves: Collection[int]) -> PageTree | None:
    root: Any = reader.trailer["/Root"].get_object()
    top = root.get("/Pages")
    if not isinstance(top, IndirectObject):
        return None
    refs: list[IndirectObject] = []
    inherited: list[dict[str, Any]] = []
    seen = {top.idnum}
    stack: list[tuple[IndirectObject, dict[str, Any], int]] = [(top, {}, 0)]
    while stack:
        ref, inherit, depth = stack.pop()
        if depth > 0 and ref.idnum in leaves:  # a page proven byte for byte: not read again
            refs.append(ref)
            inherited.append(inherit)
            continue
        node: Any = ref.get_object()
        kind = _kind(node)
        if kind == "/Page" and depth > 0:
            refs.append(ref)
            inherited.append({key: value for key, value in inherit.items() if key not in node})
            continue
        kids = node.get("/Kids") if kind == "/Pages" else None
        kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
        if not isinstance(kids, ArrayObject) or depth >= _DEPTH:
            return None
        inherit = inherit | {key: node[key] for key in INHERITED if key in node}
        for kid in reversed(kids):
            if not isinstance(kid, IndirectObject) or kid.generation != 0 or kid.idnum in seen:
                return None
            seen.add(kid.idnum)
            stack.append((kid, inherit, depth + 1))
    return PageTree(
        list[IndirectObject | None](refs), inherited, lambda n: _page(reader, refs[n - 1], inherited[n - 1])
    )


def _page(reader: PdfReader, ref: IndirectObject, inherited: dict[str, Any]) -> PageObject:
    page = PageObject(reader, ref)  # its own entries, as pypdf copies them
    for key, value in inherited.items():
        page[NameObject(key)] = value
    return page


def page_tree(reader: PdfReader, leaves: Collection[int] = ()) -> PageTree:
    """The file's pages; kids whose object numbers are in ``leaves`` are taken for pages unread.

    Raises what pypdf raises when the tree cannot be listed at all."""
    try:
        tree = _walk(reader, leaves)
    except Exception:  # noqa: BLE001 - whatever the walk trips on, pypdf's listing decides
        tree = None
    return tree if tree is not None else _listed(reader)
