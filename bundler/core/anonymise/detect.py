"""Detection: suggest where protected people and identifiers appear; a person decides.

Register forms are found by the one shared matcher (``terms.find_matches``), so
detection agrees with redaction and the leak gate about case, line breaks,
hyphenation and diacritics. Initials of protected people and the identifier
patterns (``patterns.py``) are suggestions only: nothing is redacted until a person
accepts a hit. Each hit has a stable ``key`` so a rejection is remembered between runs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from bundler.core.anonymise.patterns import find_patterns
from bundler.core.anonymise.terms import (
    _NOT_NAMES,
    Target,
    find_matches,
    normalise,
    targets_from_register,
)
from bundler.core.model import Register
from bundler.core.pdf.sources import open_pdf
from bundler.core.progress import Progress, check_cancel

__all__ = [
    "Hit",
    "detect_text",
    "detect_documents",
    "page_texts",
    "extracted_text",
    "initials_targets",
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
    rule: str  # "register:<person or term id>" or "pattern:<name>"
    category: str
    suggestion: str  # "replace with Aisha" or "redact"


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


def _suggestion(replacement: str | None) -> str:
    return f"replace with {replacement}" if replacement is not None else "redact"


def _exhibit_marks(text: str, targets: list[Target]) -> list[tuple[int, int, str, str, str]]:
    """Exhibit marks made of a protected person's initials ("FK1", "FK/3"): they identify her."""
    spans, seen = [], set()
    for target in targets:
        letters = re.sub(r"[\s.]", "", target.text)
        if target.category != "initials" or not letters.isalpha() or letters in seen:
            continue
        seen.add(letters)
        for m in re.finditer(rf"(?<![^\W_]){re.escape(letters)}/?\d+(?![^\W_])", text):
            spans.append(
                (m.start(), m.end(), f"register:{target.source_id}", "exhibit-mark", _suggestion(target.replacement))
            )
    return spans


def _page_spans(text: str, targets: list[Target], patterns: bool) -> list[tuple[int, int, str, str, str]]:
    """(start, end, rule, category, suggestion); a pattern hit inside a register hit is dropped."""
    spans = [
        (
            m.start,
            m.end,
            f"register:{m.target.source_id}",
            m.target.category,
            _suggestion(m.target.replacement),
        )
        for m in find_matches(text, targets)
    ]
    marks = _exhibit_marks(text, targets)  # "FK1" beats the bare initials "FK" inside it
    spans = [s for s in spans if not (s[3] == "initials" and any(m[0] <= s[0] and s[1] <= m[1] for m in marks))]
    spans += [m for m in marks if not any(m[0] < s[1] and s[0] < m[1] for s in spans)]
    if patterns:
        taken = [(s, e) for s, e, *_ in spans]
        for pattern, start, end in find_patterns(text):
            if not any(start < e and s < end for s, e in taken):
                spans.append((start, end, f"pattern:{pattern.name}", pattern.category, "redact"))
    return sorted(spans)


def detect_text(
    document_id: str, title: str, pages: list[str], targets: list[Target], *, patterns: bool = True
) -> list[Hit]:
    """Hits on each page's text (``pages[0]`` is page 1), in reading order."""
    targets = [*targets, *initials_targets(targets)]
    hits: list[Hit] = []
    for number, text in enumerate(pages, start=1):
        seen: dict[tuple[str, str], int] = {}
        for start, end, rule, category, suggestion in _page_spans(text, targets, patterns):
            folded = normalise(text[start:end]).strip()
            occurrence = seen[(rule, folded)] = seen.get((rule, folded), -1) + 1
            raw_key = f"{document_id}/{number}/{rule}/{folded}/{occurrence}"
            key = hashlib.sha1(raw_key.encode("utf-8")).hexdigest()
            context = _context(text, start, end)
            hits.append(
                Hit(
                    key,
                    document_id,
                    title,
                    number,
                    text[start:end],
                    context,
                    rule,
                    category,
                    suggestion,
                )
            )
    return hits


# PDFium marks a hyphen that ended a line with U+FFFE (older builds: U+0002) and joins the lines.
_PDFIUM_HYPHEN = str.maketrans({"\ufffe": "\u00ad", "\x02": "\u00ad"})
_SOFT_AT_LINE_END = re.compile("\u00ad(?=[^\\S\\r\\n]*[\\r\\n])")


def extracted_text(text: str) -> str:
    """Text extracted from a PDF, made ready for ``terms``; same length, same indices.

    PDFium's hyphen marks become soft hyphens (which the matcher drops, joining the word)
    and a soft hyphen ending a line becomes "-" (which the matcher joins across the break).
    """
    return _SOFT_AT_LINE_END.sub("-", text.translate(_PDFIUM_HYPHEN))


def _pdfium_texts(path: Path, password: str | None) -> list[str]:
    doc = pdfium.PdfDocument(path, password=password)
    try:
        texts = []
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            texts.append(extracted_text(textpage.get_text_range()))
            textpage.close()
            page.close()
        return texts
    finally:
        doc.close()


def page_texts(path: Path, password: str | None = None) -> list[str]:
    """Text of every page: PDFium first, pypdf when PDFium cannot open the file."""
    try:
        return _pdfium_texts(path, password)
    except pdfium.PdfiumError:
        pass  # pypdf may still read it, and otherwise names the problem for the user
    reader = open_pdf(path, password)
    return [extracted_text(page.extract_text()) for page in reader.pages]


def detect_documents(
    items: list[tuple[str, str, Path]],
    register: Register,
    *,
    password_for: Callable[[Path], str | None] = lambda path: None,
    progress: Progress | None = None,
) -> list[Hit]:
    """Hits in each (document id, title, PDF) — DOCX callers pass the converted PDF.

    Rejected hits are returned too; ``Register.rejected_hits`` tells the caller which.
    """
    targets = targets_from_register(register)
    if progress is not None:
        progress.stage("Finding names and identifiers", len(items))
    hits: list[Hit] = []
    for document_id, title, path in items:
        if progress is not None:
            check_cancel(progress)
        hits.extend(detect_text(document_id, title, page_texts(path, password_for(path)), targets))
        if progress is not None:
            progress.advance()
    return hits
