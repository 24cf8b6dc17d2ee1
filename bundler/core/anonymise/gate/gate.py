"""The leak gate: search a finished bundle for every protected original (PRODUCT.md §3).

It runs after every build and blocks the export on any hit; it never warns and
continues. It looks wherever a name can hide (``leakgate_places``): the file name,
document info and XMP, bookmarks, annotations, form fields, attachments, page text
from two independent engines (PDFium and pypdf), every object and decompressed
stream — with content-stream text operands re-assembled (``leakgate_text``) — and
objects in the raw bytes that the cross-reference no longer lists.

Anything the gate cannot read is a finding too: it fails closed. Only protected
originals are searched for; the pseudonyms are what we want to see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader

from bundler.core.anonymise.gate.finder import Leak, _finder, _mask, holds_target
from bundler.core.anonymise.gate.joins import joinable_pages
from bundler.core.anonymise.gate.pagetree import PageTree, page_tree
from bundler.core.anonymise.gate.places import (
    Found,
    PageHook,
    Text,
    Unreadable,
    VouchedHook,
    document_places,
    object_places,
    pdfium_pages,
    unreadable,
)
from bundler.core.anonymise.gate.streams import ReadClean
from bundler.core.anonymise.gate.vouched import Claims, Vouched, vouched
from bundler.core.anonymise.glyphs.doubt import document_doubts
from bundler.core.anonymise.glyphs.vectors import moves_back
from bundler.core.anonymise.pdf.locate import loose_screen
from bundler.core.anonymise.terms import Target
from bundler.core.errors import LeakError
from bundler.core.pdf.inmemory import SharedBytes
from bundler.core.pdf.quickreader import QuickReader

__all__ = ["Leak", "leak_scan", "leak_message", "require_no_leaks", "holds_target"]


def _guarded(name: str, found: Iterator[Found]) -> Iterator[Found]:
    # A part of the file the gate cannot walk becomes a finding, never a silent skip.
    try:
        yield from found
    except Exception as exc:  # noqa: BLE001 - fail closed, whatever went wrong
        yield unreadable(name, None, exc)


def _open(data: bytes, password: str | None) -> PdfReader | Found:
    try:
        reader = QuickReader(SharedBytes(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt(password or "")
        return reader
    except Exception as exc:  # noqa: BLE001 - a file pypdf cannot open is not vouched for
        return unreadable("the whole file (pypdf)", None, exc)


def _places(
    pdf: Path,
    data: bytes,
    name: str,
    password: str | None,
    targets: list[Target],
    claims: Claims | None,
    loose: re.Pattern[str],
    on_page: PageHook | None = None,
    on_vouched: VouchedHook | None = None,
    read_clean: ReadClean | None = None,
    last_apart: str | None = None,
) -> Iterator[Found]:
    """Places in the order a person would look: what a reader shows first, raw objects last.

    What ``claims`` prove to be verified chunks (``vouched``) is not read again: their
    objects; and their pages' text — pypdf's, PDFium's (in stream and in reading order)
    and the font doubts — unless a stamp could join their text into a target (``joins``).
    A chunk's verdict was made by this same search on the chunk alone, its pages drawing
    the same bytes, the same opener and a probe stamp in the same place, which read back
    (``chunks.verify``); in the bundle the page differs only by its stamp's label, which
    the object walk reads as text, and which ``joins`` shows cannot complete a target.
    Every other page is read by PDFium in full."""
    yield Text("file name", None, name, shown=True)  # "_" is no letter: "Farida_Khanum.pdf" shows both parts
    reader = _open(data, password)
    if not isinstance(reader, PdfReader):
        yield reader
        yield from _guarded("page text (pypdfium2)", pdfium_pages(pdf, password, loose, frozenset(), on_page))
        return
    known, quiet, tree = _known(reader, data, claims, targets)
    if tree is None:
        try:
            tree = page_tree(reader)
        except Exception as exc:  # noqa: BLE001 - pages pypdf cannot list: fail closed, read what PDFium reads
            yield unreadable("the page tree (pypdf)", None, exc)
            tree = PageTree([], [], lambda n: reader.pages[n - 1])
    yield from _guarded("the document (pypdf)", document_places(reader, tree, quiet, known.pages))
    skip = frozenset(quiet)
    yield from _guarded(
        "page text (pypdfium2)",
        pdfium_pages(
            pdf,
            password,
            loose,
            _moving_back(tree, skip),
            on_page,
            vouched=skip,
            on_vouched=on_vouched,
            count=len(tree),
            last_apart=last_apart,
        ),
    )
    yield from _guarded(
        "the file's objects (pypdf)", object_places(reader, data, known.objects, known.spans, read_clean)
    )
    yield from _guarded("the fonts of the pages (pypdf)", _uncertain_text(tree, quiet))


def _known(
    reader: PdfReader, data: bytes, claims: Claims | None, targets: list[Target]
) -> tuple[Vouched, set[int], PageTree | None]:
    """What verified chunks stand in for, the vouched pages no stamp can join into a target,
    and the file's pages (None when they could not be listed)."""
    try:
        known, tree = vouched(reader, data, claims, targets)
    except Exception:  # noqa: BLE001 - in any doubt, nothing is vouched for: everything is read
        return Vouched(), set(), None
    try:
        return known, known.pages - joinable_pages(reader, known, targets), tree
    except Exception:  # noqa: BLE001 - as above
        return Vouched(), set(), tree


def _moving_back(tree: PageTree, skip: frozenset[int]) -> frozenset[int]:
    """Pages (0-based) whose text moves back along a line: read in place order too
    (``pdfium_pages``); ``skip`` (1-based) are vouched pages, which PDFium does not read."""
    try:
        return frozenset(n - 1 for n in range(1, len(tree) + 1) if n not in skip and moves_back(tree.page(n)))
    except Exception:  # noqa: BLE001 - pages pypdf cannot list: read every page in place order
        return frozenset(range(max(len(tree), 10_000)))


def _uncertain_text(tree: PageTree, skip: set[int]) -> Iterator[Found]:
    # Hook for issue 10 item 1 (anonymise/glyphs): text another reader could decode and
    # we cannot is a finding, never "no text". The build turns such pages into pictures.
    numbers = [number for number in range(1, len(tree) + 1) if number not in skip]
    for index, reason in document_doubts([tree.page(number) for number in numbers]):
        page = numbers[index - 1]
        yield Unreadable(f"page {page} (text in a font we cannot read for certain)", page, reason)


def leak_scan(
    pdf: Path,
    targets: list[Target],
    *,
    file_name: str | None = None,
    password: str | None = None,
    claims: Claims | None = None,
    on_page: PageHook | None = None,
    on_vouched: VouchedHook | None = None,
    read_clean: ReadClean | None = None,
    last_apart: str | None = None,
) -> list[Leak]:
    """Every place in ``pdf`` showing a protected original, or that could not be checked.

    ``claims``: verified chunks the build says are in the file; what they prove is there
    is not read twice (``vouched``). ``on_page``: handed each page PDFium reads, with its
    text page (``places.pdfium_pages``), for the stamp read-back to share the pass;
    ``on_vouched``: told each page (0-based) a verdict stood for, which PDFium did not read.
    ``read_clean``: image bytes whose runs this gate's own reading found clean before
    (``verdicts.ImagesRead``), so they are not read again. ``last_apart``: the text of a stamp
    drawn last on every page; the caller has shown no target can hold a character of it
    (``joins.never_joins``), so it alone does not make a page be read in reading order."""
    if not targets:
        return []
    finder = _finder(tuple(targets))
    leaks: list[Leak] = []
    name = file_name if file_name is not None else pdf.name
    loose = loose_screen(targets)
    places = _places(
        pdf, pdf.read_bytes(), name, password, targets, claims, loose, on_page, on_vouched, read_clean, last_apart
    )
    for found in places:
        if isinstance(found, Text):
            leaks.extend(finder.leaks(*found))
        else:
            leaks.append(Leak(finder.masked(found.place), found.page, finder.masked(found.reason), ""))
    return list(dict.fromkeys(leaks))


def _finding(target: str, leaks: list[Leak]) -> str:
    places = list(dict.fromkeys(leak.place for leak in leaks if leak.target == target))
    shown = ", ".join(places[:4]) + (f" and {len(places) - 4} more places" if len(places) > 4 else "")
    if not target:
        return f"Could not check {shown}"
    kind = "name" if any(leak.category == "person" for leak in leaks if leak.target == target) else "identifier"
    return f"Protected {kind} '{_mask(target)}' found in {shown}"


def _unplaceable(leaks: list[Leak]) -> list[int]:
    """Pages where only pypdf reads a target: PDFium, which places redaction boxes, does not see it there."""
    pypdf = {leak.page for leak in leaks if leak.target and leak.page and leak.place.endswith(" text (pypdf)")}
    others = {leak.page for leak in leaks if leak.target and leak.page and not leak.place.endswith(" text (pypdf)")}
    return sorted(p for p in pypdf - others if p is not None)


def leak_message(leaks: list[Leak]) -> str:
    """One line for the user: the first few findings, that nothing was written, what to do."""
    targets = list(dict.fromkeys(leak.target for leak in leaks))
    remedy = (
        "Add the variant to the register or redact the document"
        if any(targets)
        else "Remove or repair the part that could not be read"
    )
    if unplaceable := _unplaceable(leaks):
        shown = ", ".join(str(p) for p in unplaceable[:5]) + (" …" if len(unplaceable) > 5 else "")
        remedy = (
            f"On bundle page(s) {shown} the term is in the text but could not be located on the page, so it "
            "was not boxed: draw a box over it by hand, or leave the document out of the public bundle"
        )
    found = "; ".join(_finding(target, leaks) for target in targets[:3])
    return f"{found}; the bundle was not written. {remedy}, then build again."


def require_no_leaks(
    pdf: Path,
    targets: list[Target],
    *,
    file_name: str | None = None,
    claims: Claims | None = None,
    on_page: PageHook | None = None,
    on_vouched: VouchedHook | None = None,
) -> None:
    """Raise ``LeakError`` naming the first places found; return quietly when clean."""
    leaks = leak_scan(pdf, targets, file_name=file_name, claims=claims, on_page=on_page, on_vouched=on_vouched)
    if leaks:
        pages = tuple(sorted({leak.page for leak in leaks if leak.page is not None}))
        places = ", ".join(dict.fromkeys(leak.place for leak in leaks[:3]))
        raise LeakError(leak_message(leaks), pages, places)
