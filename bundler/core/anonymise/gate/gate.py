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

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

from bundler.core.anonymise.detect import extracted_text
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
from bundler.core.anonymise.gate.vouched import Claims, Vouched, vouched
from bundler.core.anonymise.glyphs.doubt import document_doubts
from bundler.core.anonymise.glyphs.vectors import moves_back
from bundler.core.anonymise.lookalikes import fold_letters
from bundler.core.anonymise.pdf.locate import loose_screen
from bundler.core.anonymise.terms import _HYPHENS, CONTROLS, Target, find_matches, screen
from bundler.core.anonymise.uris import may_be_encoded, uri_forms
from bundler.core.errors import LeakError

__all__ = ["Leak", "leak_scan", "leak_message", "require_no_leaks", "holds_target"]


@dataclass(frozen=True)
class Leak:
    place: str  # e.g. "page 12 text (pypdfium2)", "outline item 'A1 …'", "metadata /Author"
    page: int | None  # 1-based page of the bundle, when the place is on a page
    text: str  # the matched snippet with some context, or why the place could not be read
    target: str  # the protected original found; "" when the place could not be checked
    category: str = ""  # the target's category ("person", "postcode" …)


_CHUNK, _OVERLAP = 1 << 18, 1 << 12  # big texts are matched in overlapping chunks
_REMEMBERED, _REMEMBER = 1024, 8_000_000  # texts up to this long are remembered; this many characters at most
_BROKEN_WORD = re.compile(f"[{re.escape(_HYPHENS)}][^\\S\\r\\n]*[\\r\\n]\\s*")
_KEPT_HYPHEN = re.compile(f"([{re.escape(_HYPHENS[0] + _HYPHENS[2:])}])[^\\S\\r\\n]*[\\r\\n]\\s*")
_SPACES = re.compile(r"\s+")
_OVERRIDDEN = re.compile("\u202e([^\u202c\u2029\r\n]*)")  # RIGHT-TO-LEFT OVERRIDE up to POP DIRECTIONAL FORMATTING


def _quick_fold(text: str) -> str:
    """``terms.normalise`` of an ``extracted_text`` without its index map, at C speed: the
    matcher's own per-character fold (``lookalikes.fold_letters``) over the whole text."""
    text = _BROKEN_WORD.sub("", text).replace("\u00ad", "")
    return _SPACES.sub(" ", fold_letters(text))


def _readings(text: str) -> list[str]:
    """The text; when a line ends in a hyphen, the text with that hyphen kept; decoded as a link.

    The matcher treats "Smith-⏎Jones" as a word broken in two ("SmithJones"); a
    double-barrelled name broken at its own hyphen must still be found. A link's
    "F%61rida+Kh%61num" is read as a browser shows it (``uris``); text after a right-to-left
    override as a viewer shows it, reversed up to the end of the override or the line.
    """
    kept = _KEPT_HYPHEN.sub(r"\1", text).replace("\u00ad", "-")
    readings = [text] if kept == text else [text, kept]
    if CONTROLS.search(text):  # a control character may print as nothing: "Far\x00ida"
        readings.append(CONTROLS.sub("", text))
    if "\u202e" in text:  # a right-to-left override: "\u202emunahK adiraF" shows "Farida Khanum"
        readings.append(_OVERRIDDEN.sub(lambda m: m.group(1)[::-1], text))
    return readings + (list(uri_forms(text)) if may_be_encoded(text) else [])


class _Finder:
    """One combined screen for all targets; ``terms.find_matches`` decides what passes it.

    The screen folds and matches as ``terms`` does (the same forms, the same word
    edges), only without an index map and in one regex, so it passes whatever the
    matcher would find; most texts hold no target and stop there. What a short text
    holds is remembered: a file repeats the same keys and operators thousands of times.
    """

    def __init__(self, targets: list[Target]) -> None:
        self.targets = targets
        # Hook for issue 10 (OCR text): any text may be an OCR layer, so identifiers are
        # also sought with OCR's confusions (O/0, I/1/l, S/5, B/8).
        self.screen = screen(targets, ocr=True)
        self._held: dict[str, tuple[tuple[str, str, str], ...]] = {}
        self._size = 0  # characters held

    def leaks(self, place: str, page: int | None, text: str) -> Iterator[Leak]:
        if len(text) <= _REMEMBERED:
            if text not in self._held:
                if self._size + len(text) > _REMEMBER:
                    self._held, self._size = {}, 0
                self._held[text] = tuple(self._found(text))
                self._size += len(text) + 64
            found: Iterable[tuple[str, str, str]] = self._held[text]
        else:
            found = self._found(text)
        for snippet, target, category in found:
            yield Leak(self.masked(place), page, snippet, target, category)

    def _found(self, text: str) -> Iterator[tuple[str, str, str]]:
        """(snippet, target, category) of each match in ``text``, in every reading of it."""
        for offset in range(0, len(text), _CHUNK - _OVERLAP):
            for chunk in _readings(extracted_text(text[offset : offset + _CHUNK])):
                if self.screen.search(_quick_fold(chunk)) is None:
                    continue
                for m in find_matches(chunk, self.targets, ocr=True):
                    snippet = " ".join(chunk[max(0, m.start - 30) : m.end + 30].split())
                    yield snippet, m.target.text, m.target.category

    def masked(self, place: str) -> str:
        """The place's own words (an outline title, a field or key name) with any target masked."""
        for m in reversed(find_matches(place, self.targets)):
            place = place[: m.start] + _mask(place[m.start : m.end]) + place[m.end :]
        return place


@lru_cache(maxsize=4)
def _finder(targets: tuple[Target, ...]) -> _Finder:
    return _Finder(list(targets))


def holds_target(text: str, targets: Sequence[Target]) -> bool:
    """Whether the gate would find a target in ``text`` (for what must be cleaned before it)."""
    return bool(targets) and next(_finder(tuple(targets)).leaks("", None, text), None) is not None


def _guarded(name: str, found: Iterator[Found]) -> Iterator[Found]:
    # A part of the file the gate cannot walk becomes a finding, never a silent skip.
    try:
        yield from found
    except Exception as exc:  # noqa: BLE001 - fail closed, whatever went wrong
        yield unreadable(name, None, exc)


def _open(data: bytes, password: str | None) -> PdfReader | Found:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
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
    yield Text("file name", None, name)  # "_" is no letter: "Farida_Khanum.pdf" shows both parts
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
        ),
    )
    yield from _guarded("the file's objects (pypdf)", object_places(reader, data, known.objects, known.spans))
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
) -> list[Leak]:
    """Every place in ``pdf`` showing a protected original, or that could not be checked.

    ``claims``: verified chunks the build says are in the file; what they prove is there
    is not read twice (``vouched``). ``on_page``: handed each page PDFium reads, with its
    text page (``places.pdfium_pages``), for the stamp read-back to share the pass;
    ``on_vouched``: told each page (0-based) a verdict stood for, which PDFium did not read."""
    if not targets:
        return []
    finder = _Finder(targets)
    leaks: list[Leak] = []
    name = file_name if file_name is not None else pdf.name
    loose = loose_screen(targets)
    for found in _places(pdf, pdf.read_bytes(), name, password, targets, claims, loose, on_page, on_vouched):
        if isinstance(found, Text):
            leaks.extend(finder.leaks(*found))
        else:
            leaks.append(Leak(finder.masked(found.place), found.page, finder.masked(found.reason), ""))
    return list(dict.fromkeys(leaks))


def _mask(text: str) -> str:
    return " ".join(f"{word[0]}…" for word in text.split())


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
