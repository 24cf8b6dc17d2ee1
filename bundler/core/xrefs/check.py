"""Check a skeleton argument's bundle references ([B/45], HB/123, p.45) against the bundle.

Each reference is resolved against the built bundle PDF itself — its page count,
its page-label prefix and its section bookmarks ("B. Title - HB40") — so the
check works on any bundle we built, whatever project it came from. A page beyond
the bundle is ``missing-page``; a page outside the cited section is
``wrong-section``; a prefix that is not this bundle's ("AB/12" for an
authorities bundle) is ``other-bundle`` and is listed, not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from bundler.core.errors import ProjectError
from bundler.core.pdf.opening import open_both
from bundler.core.xrefs.link import link_references
from bundler.core.xrefs.read import Passage, read_passages
from bundler.core.xrefs.reference import Reference

__all__ = ["BundleLayout", "DEFAULT_PATTERNS", "find_references", "read_layout", "link_references"]

_RANGE = r"(?:\s?[-–]\s?(?P<end>\d+))?"
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w/])", r"(?![\w/])"
# Named groups: ``page`` (required), ``end``, ``section`` (a letter) and ``prefix`` (page prefix).
# "{prefix}" is replaced by the bundle's own page prefix; without one that pattern is not used.
DEFAULT_PATTERNS = [
    _EDGE_BEFORE + r"\[?(?P<section>[A-Z])\s?/\s?(?P<page>\d+)" + _RANGE + r"\]?" + _EDGE_AFTER,
    _EDGE_BEFORE + r"\[?(?P<prefix>[A-Z]{2,3})\s?/\s?(?P<page>\d+)" + _RANGE + r"\]?" + _EDGE_AFTER,
    _EDGE_BEFORE + r"\[?(?P<prefix>{prefix})(?P<page>\d+)" + _RANGE + r"\]?" + _EDGE_AFTER,
    r"(?<![\w.])(?:[Pp]{1,2}\.|[Pp]ages?)\s?(?P<page>\d+)" + _RANGE + _EDGE_AFTER,
]


@dataclass(frozen=True)
class BundleLayout:
    pages: int  # pages in the file
    prefix: str  # page-label prefix, e.g. "HB" ("" for none)
    sections: dict[str, tuple[int, int]]  # letter → (first, last) page number as shown
    first: int = 1  # number shown on the file's first page: a later volume starts higher

    @property
    def last(self) -> int:
        return self.first + self.pages - 1

    def label(self, page: int) -> str:
        return f"{self.prefix}{page}"


_SECTION_TITLE = re.compile(r"^([A-Z]{1,3})\.\s")  # section tabs; document tabs end in digits
_LABEL = re.compile(r"^(.*?)(\d+)$")


def _sections(bookmarks: list[tuple[str, int]], last: int) -> dict[str, tuple[int, int]]:
    """Each section runs from its bookmark's page to the page before the next section's."""
    starts = sorted((page, m.group(1)) for title, page in bookmarks if (m := _SECTION_TITLE.match(title)))
    ends = [page - 1 for page, _ in starts[1:]] + [last]
    return {letter: (first, end) for (first, letter), end in zip(starts, ends, strict=True)}


def _top_bookmarks(doc: pdfium.PdfDocument, first: int) -> list[tuple[str, int]]:
    marks = []
    for mark in doc.get_toc():
        dest = mark.get_dest() if mark.level == 0 else None
        index = dest.get_index() if dest is not None else None
        if index is not None:
            marks.append((mark.get_title(), first + index))
    return marks


def read_layout(bundle_pdf: Path, password: str | None = None) -> BundleLayout:
    """Page count, page prefix, first page number and section ranges, read from the built bundle."""
    _, doc = open_both(bundle_pdf, password)
    try:
        label = _LABEL.match(doc.get_page_label(0) or "1")
        prefix, first = (label.group(1), int(label.group(2))) if label else ("", 1)
        sections = _sections(_top_bookmarks(doc, first), first + len(doc) - 1)
        return BundleLayout(len(doc), prefix, sections, first)
    finally:
        doc.close()


def _compile(patterns: list[str], prefix: str) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        if "{prefix}" in pattern and not prefix:
            continue
        try:
            regex = re.compile(pattern.replace("{prefix}", re.escape(prefix)))
        except re.error as err:
            raise ProjectError(
                f"The reference pattern '{pattern}' is not a valid regular expression "
                f"({err}). Correct it and try again."
            ) from None
        if "page" not in regex.groupindex and regex.groups == 0:
            raise ProjectError(
                f"The reference pattern '{pattern}' has no (?P<page>...) group for the page "
                "number. Add one and try again."
            )
        compiled.append(regex)
    return compiled


def _matches(text: str, regexes: list[re.Pattern[str]]) -> list[re.Match[str]]:
    """Every match, left to right; where patterns overlap the earliest, longest one wins."""
    found = sorted(
        (m for r in regexes for m in r.finditer(text) if m.group(0).strip()), key=lambda m: (m.start(), -m.end())
    )
    kept: list[re.Match[str]] = []
    for m in found:
        if not kept or m.start() >= kept[-1].end():
            kept.append(m)
    return kept


def _group(m: re.Match[str], name: str) -> str | None:
    return m.group(name) if name in m.re.groupindex else None


def _pages(m: re.Match[str]) -> tuple[int, int | None]:
    page_text = _group(m, "page") or m.group(1)
    first, end = int(page_text), _group(m, "end")
    if end is None:
        return first, None
    if int(end) < first and len(end) < len(page_text):  # "pp.145-7" means 145 to 147
        end = page_text[: len(page_text) - len(end)] + end
    return first, int(end)


def _span(layout: BundleLayout, first: int, last: int) -> str:
    return f"page {layout.label(first)}" if first == last else f"pages {layout.label(first)}-{layout.label(last)}"


def _section_of(layout: BundleLayout, page: int) -> str:
    letter = next((k for k, (a, b) in layout.sections.items() if a <= page <= b), None)
    return f"in section {letter}" if letter else "in the front matter"


def _missing(layout: BundleLayout, cited: str, first: int, last: int) -> str:
    if last < first:
        return f"{cited} is not a range of pages (it runs backwards)"
    if layout.first > 1:
        runs = f"this volume runs from {layout.label(layout.first)} to {layout.label(layout.last)}"
        return f"{cited} is not in this volume: {runs}; check it against the volume that has it"
    end = f"the bundle ends at {layout.label(layout.last)}"
    if layout.first <= first <= layout.last:
        return f"{cited} run past the last page: {end}"
    return f"{cited} {'does' if first == last else 'do'} not exist: {end}"


def _judge(ref: Reference, layout: BundleLayout) -> Reference:
    first, last = ref.target_page, ref.end_page or ref.target_page
    cited = _span(layout, first, last)
    if first < layout.first or last > layout.last or last < first:
        ref.status, ref.message = "missing-page", _missing(layout, cited, first, last)
        return ref
    ref.bundle_index = first - layout.first
    span = layout.sections.get(ref.section) if ref.section else None
    if ref.section is None:
        ref.status, ref.message = "ok", f"{cited}, {_section_of(layout, first)}"
    elif span is None:
        known = ", ".join(sorted(layout.sections)) or "none"
        ref.status, ref.message = "wrong-section", f"the bundle has no section {ref.section} (it has: {known})"
    elif not (span[0] <= first and last <= span[1]):
        ref.status = "wrong-section"
        ref.message = f"{cited} is {_section_of(layout, first)}; section {ref.section} is {_span(layout, *span)}"
    else:
        ref.status, ref.message = "ok", f"{cited}, in section {ref.section}"
    return ref


def _reference(m: re.Match[str], passage: Passage, layout: BundleLayout) -> Reference:
    first, end = _pages(m)
    letters = (_group(m, "section") or _group(m, "prefix") or "").upper()
    own_prefix = bool(letters) and letters == layout.prefix.upper()
    section = letters if letters and not own_prefix and _group(m, "section") else None
    prefix = letters if _group(m, "prefix") or own_prefix else None
    lead = len(m.group(0)) - len(m.group(0).lstrip())
    offset = m.start() + lead if passage.pdf_chars else None
    ref = Reference(m.group(0).strip(), passage.page, first, section, "", "", end, prefix, passage.paragraph, offset)
    if letters and not own_prefix and section is None:
        ref.status = "other-bundle"
        own = f"'{layout.prefix}'" if layout.prefix else "none"
        ref.message = f"'{letters}' is not this bundle's page prefix ({own}): not checked"
        return ref
    return _judge(ref, layout)


def find_references(
    doc_path: Path, bundle_pdf: Path, patterns: list[str] | None = None, password: str | None = None
) -> list[Reference]:
    """Every bundle reference in the skeleton (.docx or .pdf), checked against ``bundle_pdf``."""
    layout = read_layout(bundle_pdf, password)
    regexes = _compile(DEFAULT_PATTERNS if patterns is None else patterns, layout.prefix)
    return [
        _reference(m, passage, layout) for passage in read_passages(doc_path) for m in _matches(passage.text, regexes)
    ]
