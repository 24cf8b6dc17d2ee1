"""Detection: suggest where protected people and identifiers appear; a person decides.

Register forms are found by the one shared matcher (``terms.find_matches``), so
detection agrees with redaction and the leak gate about case, line breaks,
hyphenation and diacritics. Initials of protected people, the identifier
patterns (``patterns.py``, addresses in ``addresses.py``) and people the register
does not name yet (``people.py``, rule ``suggest:person``) are suggestions only:
nothing is redacted until a person accepts a hit. Short or word-like register forms
("MY", "May") are suggested only where written as names (``shortforms.py``); the
matcher itself still finds them everywhere. How one page's hits are combined is in
``page_hits.py``. Each hit has a stable ``key`` so a rejection is remembered between runs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from bundler.core.anonymise.extracted import extracted_text, pdfium_texts
from bundler.core.anonymise.page_hits import PERSON_RULE, Span, page_spans, suggested_people
from bundler.core.anonymise.terms import (
    _NOT_NAMES,
    Target,
    normalise,
)

__all__ = [
    "Hit",
    "detect_text",
    "page_texts",
    "pdfium_texts",
    "extracted_text",
    "initials_targets",
    "PERSON_RULE",
]

_CONTEXT = 40  # characters either side of a hit shown to the reviewer


@dataclass(frozen=True)
class Hit:
    key: str  # stable id: remembered in Register.rejected_hits when rejected
    document_id: str
    document: str  # title
    page: int  # 1-based
    text: str  # the matched text as it appears
    context: str  # about 40 characters either side, on one line
    rule: str  # "register:<person or term id>", "pattern:<name>" or "suggest:person"
    category: str
    suggestion: str  # "replace with Aisha" or "redact"
    start: int = -1  # where the hit is in the page's extracted text
    end: int = -1


def _initials(target: Target) -> list[str]:
    """Initials, "F. K." and "FK" for "Farida Khanum"; none for a one-word name."""
    words = [w for w in target.text.split() if normalise(w).strip(".,") not in _NOT_NAMES]
    if target.category != "person" or len(words) < 2:
        return []
    letters = [word[0].upper() for word in words]
    cipher = re.sub(r"[\s.]", "", normalise(target.replacement or ""))
    return [] if normalise("".join(letters)) == cipher else [". ".join(letters) + ".", "".join(letters)]


def initials_targets(targets: list[Target]) -> list[Target]:
    """Initials of each protected person's name, as targets for suggestions only.

    Initials equal to the person's own pseudonym or cipher are left out: flagging
    "AB" everywhere "AB" already stands for the claimant helps no one.
    """
    taken = {normalise(t.text).strip() for t in targets}
    extra: list[Target] = []
    for target in targets:
        for form in _initials(target):
            if normalise(form) not in taken:
                taken.add(normalise(form))
                extra.append(Target(form, target.replacement, target.source_id, "initials", target.reason))
    return extra


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - _CONTEXT) : start]
    after = text[end : end + _CONTEXT]
    return " ".join(f"{before}{text[start:end]}{after}".split())


def _hit(document_id: str, title: str, page: int, text: str, span: Span, folded: str, occurrence: int) -> Hit:
    # The place, not the rule: a postcode accepted into the register is found next time by the
    # register entry, and a decision on that place must still be recognised (and survive rebuilds).
    raw_key = f"{document_id}/{page}/{folded}/{occurrence}"
    key = hashlib.sha1(raw_key.encode("utf-8")).hexdigest()
    context = _context(text, span.start, span.end)
    found = text[span.start : span.end]
    return Hit(key, document_id, title, page, found, context, span.rule, span.category, span.suggestion, *span[:2])


def detect_text(
    document_id: str,
    title: str,
    pages: list[str],
    targets: list[Target],
    *,
    patterns: bool = True,
    ocr: bool = False,
) -> list[Hit]:
    """Hits on each page's text (``pages[0]`` is page 1), in reading order.

    ``patterns=False`` leaves out identifier patterns and suggested people (register
    forms only); ``ocr=True`` matches register identifiers with OCR's confusions.
    """
    people = suggested_people(pages, targets) if patterns else [None for _ in pages]
    targets = [*targets, *initials_targets(targets)]
    hits: list[Hit] = []
    for number, (text, found) in enumerate(zip(pages, people, strict=True), start=1):
        starts: dict[str, list[int]] = {}  # where each text occurs on the page, in reading order
        for span in page_spans(text, targets, found, ocr):
            folded = normalise(text[span.start : span.end]).strip()
            places = starts.setdefault(folded, [])
            if span.start not in places:
                places.append(span.start)
            hits.append(_hit(document_id, title, number, text, span, folded, places.index(span.start)))
    return hits


def page_texts(path: Path, password: str | None = None) -> list[str]:
    """Text of every page: PDFium first, pypdf when PDFium cannot open the file."""
    try:
        return pdfium_texts(path, password)
    except pdfium.PdfiumError:
        pass  # pypdf may still read it, and otherwise names the problem for the user
    from bundler.core.pdf import quicktext  # noqa: PLC0415 - pypdf: loaded only when PDFium fails
    from bundler.core.pdf.sources import open_pdf  # pypdf: loaded only when PDFium fails (workers start quicker)

    reader = open_pdf(path, password)
    with quicktext.reading():  # a font shared by pages is worked out once
        return [extracted_text(page.extract_text()) for page in reader.pages]
