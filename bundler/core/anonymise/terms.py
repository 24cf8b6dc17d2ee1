"""Protected terms and how to find them in text, whatever the text went through.

Every consumer (detection, the DOCX anonymiser, PDF redaction, the leak gate)
matches through ``find_matches`` so they agree on what counts as a hit:
case, whitespace, line-break hyphenation, ligatures, diacritics and curly
apostrophes never hide a name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from bundler.core.model import Register

__all__ = [
    "Target",
    "Match",
    "normalise",
    "normalise_with_map",
    "targets_from_register",
    "find_matches",
    "anonymise_text",
    "targets_fingerprint",
]

_HYPHENS = "-\u2010\u2011\u2012\u2013"
_JOINERS = "\u00ad\ufffe\u0002"  # pdfium reports a line-end hyphen as U+FFFE (older: U+0002)
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"}
_MIN_PART = 3  # name parts shorter than this ("Al", "Li") only match as part of a longer form
# Honorifics and particles are not names on their own: "Mrs" must not be a protected term.
_NOT_NAMES = frozenset(
    "mr mrs ms miss mx dr prof sir dame lord lady rev the and von van der den bin binti ibn abu del della".split()
)


@dataclass(frozen=True)
class Target:
    """One form of a protected original and what replaces it (``None``: redact)."""

    text: str
    replacement: str | None
    source_id: str  # the Person or Term it came from
    category: str
    reason: str = ""

    @property
    def label(self) -> str:
        return self.replacement if self.replacement is not None else "[REDACTED]"


@dataclass(frozen=True)
class Match:
    start: int  # indices into the original (un-normalised) text
    end: int
    target: Target


@cache
def _fold_char(ch: str) -> str:
    ch = _APOSTROPHES.get(ch, ch)
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for matching; ``index[i]`` is the original index of output char ``i``.

    Line-break hyphenation ("Kha-\\nnum") and soft hyphens vanish, whitespace runs
    become one space, ligatures expand, diacritics drop, case folds.
    """
    out: list[str] = []
    index: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _JOINERS:  # soft hyphen, or pdfium's mark for a hyphen it joined across lines
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            i = j if "\n" in text[i:j] or "\r" in text[i:j] or ch != "\u00ad" else i + 1
            continue
        if unicodedata.category(ch) == "Cf":  # zero-width space, joiners, BOM: "Far\u200bida"
            i += 1
            continue
        if ch in _HYPHENS:
            j = i + 1
            while j < n and text[j].isspace() and text[j] not in "\r\n":
                j += 1
            if j < n and text[j] in "\r\n":  # hyphen at a line end: a word broken in two
                while j < n and text[j].isspace():
                    j += 1
                i = j
                continue
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                index.append(i)
            i += 1
            continue
        for folded in _fold_char(ch):
            out.append(folded)
            index.append(i)
        i += 1
    return "".join(out), index


def normalise(text: str) -> str:
    return normalise_with_map(text)[0]


def _person_forms(name: str, variants: list[str]) -> list[str]:
    forms = [name, *variants]
    for form in (name, *variants):
        for part in re.split(r"\s+", form):
            part = part.strip(".,'")
            if len(part) >= _MIN_PART and normalise(part) not in _NOT_NAMES:
                forms.append(part)
    return forms


def targets_from_register(register: Register) -> list[Target]:
    """Every form to look for, longest first so "Mrs Khanum" wins over "Khanum"."""
    found: dict[str, Target] = {}
    for person in register.people:
        replacement = person.pseudonym if person.action == "replace" else None
        for form in _person_forms(person.name, person.variants):
            key = normalise(form).strip()
            if key and key not in found:
                found[key] = Target(form.strip(), replacement, person.id, "person", person.reason)
    for term in register.terms:
        replacement = (term.replacement or None) if term.action == "replace" else None
        key = normalise(term.text).strip()
        if key and key not in found:
            found[key] = Target(term.text.strip(), replacement, term.id, term.category, term.reason)
    return sorted(found.values(), key=lambda t: -len(normalise(t.text)))


@cache
def _folded(text: str) -> str:
    return normalise(text).strip()


@cache
def _pattern(folded: str) -> re.Pattern[str]:
    # A space in the form may be missing or doubled in extracted text; letters must
    # not continue on either side (so "Ann" does not hit "Annual").
    # A hyphen in the name ("Smith-Jones") vanishes when it falls at a line end.
    body = r" ?".join(re.escape(part).replace(r"\-", "-?") for part in folded.split(" "))
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


def find_matches(text: str, targets: list[Target]) -> list[Match]:
    """Non-overlapping matches of ``targets`` in ``text``; longer forms win."""
    folded, index = normalise_with_map(text)
    taken: list[tuple[int, int]] = []
    matches: list[Match] = []
    for target in targets:
        for m in _pattern(_folded(target.text)).finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            start = index[m.start()]
            end = index[m.end() - 1] + 1
            matches.append(Match(start, end, target))
    return sorted(matches, key=lambda m: m.start)


def anonymise_text(text: str, targets: list[Target]) -> str:
    """``text`` with every match replaced by its pseudonym or ``[REDACTED]``.

    For our own words (case name, titles, bookmarks); sources go through the
    DOCX anonymiser or PDF redaction instead.
    """
    out, last = [], 0
    for match in find_matches(text, targets):
        out.append(text[last : match.start])
        out.append(match.target.label)
        last = match.end
    out.append(text[last:])
    return "".join(out)


def targets_fingerprint(targets: list[Target]) -> str:
    """Changes whenever the register would change what redaction produces (cache keys)."""
    digest = hashlib.sha256()
    for t in sorted(targets, key=lambda t: (t.text, t.source_id)):
        digest.update(f"{t.text}\x00{t.replacement}\x00{t.category}\x00{t.reason}\x01".encode())
    return digest.hexdigest()[:16]
