"""What one page shows: register forms, exhibit marks, identifier patterns, suggested people.

``page_spans`` combines them for ``detect.detect_text``. A pattern hit wholly inside a
register hit adds nothing; one reaching beyond it (an e-mail address around a name,
an address around a registered postcode) is kept. A suggested person overlapping a
register hit, or inside an address ("4 Albert Road"), is dropped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bundler.core.anonymise.patterns import find_patterns
from bundler.core.anonymise.people import suggest_people
from bundler.core.anonymise.shortforms import in_reference, worth_suggesting
from bundler.core.anonymise.terms import Target, find_matches, normalise

__all__ = ["Span", "page_spans", "suggested_people", "PERSON_RULE", "PERSON_SUGGESTION"]

PERSON_RULE = "suggest:person"  # a person the register does not name yet (``people.py``)
PERSON_SUGGESTION = "protect as a new person"


def _suggestion(replacement: str | None) -> str:
    return f"replace with {replacement}" if replacement is not None else "redact"


class Span(NamedTuple):
    """One hit on a page, before it becomes a ``Hit``."""

    start: int
    end: int
    rule: str
    category: str
    suggestion: str


def _register_spans(text: str, targets: list[Target], ocr: bool) -> list[Span]:
    """Register forms; a short or word-like form only where it is written as a name."""
    return [
        Span(m.start, m.end, f"register:{m.target.source_id}", m.target.category, _suggestion(m.target.replacement))
        for m in find_matches(text, targets, ocr=ocr)
        if worth_suggesting(text, m)
    ]


def _exhibit_marks(text: str, targets: list[Target]) -> list[Span]:
    """Exhibit marks made of a protected person's initials ("FK1", "FK/3"): they identify her."""
    spans, seen = [], set()
    for target in targets:
        letters = re.sub(r"[\s.]", "", target.text)
        if target.category != "initials" or not letters.isalpha() or letters in seen:
            continue
        seen.add(letters)
        for m in re.finditer(rf"(?<![^\W_]){re.escape(letters)}/?\d+(?![^\W_])", text):
            if not in_reference(text, m.start()):  # "Our ref: AB/1238" is a file, not an exhibit
                rule = f"register:{target.source_id}"
                spans.append(Span(m.start(), m.end(), rule, "exhibit-mark", _suggestion(target.replacement)))
    return spans


def _inside(span: Span, others: list[Span]) -> bool:
    return any(o.start <= span.start and span.end <= o.end for o in others)


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)


def page_spans(text: str, targets: list[Target], people: list[tuple[int, int]] | None, ocr: bool) -> list[Span]:
    """Register hits and exhibit marks; then, unless ``people`` is None, patterns and people.

    A pattern hit wholly inside a register hit adds nothing and is dropped; one reaching
    beyond it (the e-mail address around a name, the address around a postcode) is kept.
    """
    spans = _register_spans(text, targets, ocr)
    marks = _exhibit_marks(text, targets)  # "FK1" beats the bare initials "FK" inside it
    spans = [s for s in spans if not (s.category == "initials" and _inside(s, marks))]
    spans += [m for m in marks if not _overlaps(m, spans)]
    if people is None:
        return sorted(spans)
    known = list(spans)
    for pattern, start, end in find_patterns(text):
        span = Span(start, end, f"pattern:{pattern.name}", pattern.category, "redact")
        if not _inside(span, known):
            spans.append(span)
    places = [s for s in spans if s.category == "address"]  # "4 Albert Road" names no one
    for start, end in people:
        span = Span(start, end, PERSON_RULE, "person", PERSON_SUGGESTION)
        if not _overlaps(span, known) and not _inside(span, places):
            spans.append(span)
    return sorted(spans)


def suggested_people(pages: list[str], targets: list[Target]) -> list[list[tuple[int, int]] | None]:
    """Suggested names, less those that are only a pseudonym the register already gives ("Aisha")."""
    pseudonyms = {normalise(t.replacement).strip() for t in targets if t.category == "person" and t.replacement}
    if not pseudonyms:
        return list(suggest_people(pages))
    return [
        [(s, e) for s, e in spans if normalise(text[s:e]).strip() not in pseudonyms]
        for text, spans in zip(pages, suggest_people(pages), strict=True)
    ]
