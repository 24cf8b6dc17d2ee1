"""Whether a register hit on a short or word-like form is worth suggesting.

Detection only. The shared matcher finds "FK", "my", "May" and "Will" wherever
they are, in any case — and redaction and the leak gate keep doing exactly that.
But suggesting every "my" because a claimant's initials are M.Y. helps no one, so
a short form (three letters or fewer) or a given name that is also an English word
is suggested only where it is written as a name (capitals) and sits where a name
would: before the surname, in brackets after the name, as an exhibit mark, not as
a police constable's "PC" before a surname, not at a sentence start before an
ordinary word, not beside another word in capitals (a heading), not in "Our ref:",
not as a party in a case citation ("KM (Zimbabwe) v ...").
"""

from __future__ import annotations

import re
from functools import cache

from bundler.core.anonymise.people import in_citation
from bundler.core.anonymise.terms import Match, normalise
from bundler.core.anonymise.words import MONTHS, POLICE_RANKS, SHORT_WORDS, TITLES, WORD_NAMES

__all__ = ["worth_suggesting", "in_reference"]

_NAME_FOLLOWS = re.compile(r"[ \t]+[A-Z][a-z]")
_EXHIBIT_AFTER = re.compile(r"\s?/?\d")
_EXHIBIT_BEFORE = re.compile(r"(?i:exhibit(?:ed)?|marked)\s*$")
_REFERENCE_BEFORE = re.compile(r"(?i:\b(?:ref(?:erence)?|file)(?:\s*no)?\.?\s*:?)[^\n]{0,12}$")
_CODE_AFTER = re.compile(r"-\d")  # "AC-2019-LON-002345" is a claim number, not initials
_CAPS_WORD = re.compile(r"[A-Z]{2,}")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"\u201c(])\s*$")
_SAYS = frozenset("said says told was is has had stated explained lives lived went came attends saw".split())
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")


def in_reference(text: str, start: int) -> bool:
    """'Our ref: AB/1238': a file reference, not an exhibit mark or initials."""
    return _REFERENCE_BEFORE.search(text[max(0, start - 30) : start]) is not None


def _caps_beside(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 20) : start].split()
    after = text[end : end + 20].split()
    return any(_CAPS_WORD.fullmatch(w.strip(".,:;()")) for w in before[-1:] + after[:1])


def _marked(text: str, start: int, end: int) -> bool:
    """In brackets after a name, numbered as an exhibit ("MY1"), or after 'exhibit'/'marked'."""
    bracketed = text[start - 1 : start] == "(" and text[end : end + 1] == ")"
    numbered = text[start:end].isupper() and _EXHIBIT_AFTER.match(text, end) is not None
    return bracketed or numbered or _EXHIBIT_BEFORE.search(text[max(0, start - 12) : start]) is not None


def _short_ok(text: str, match: Match, letters: str) -> bool:
    seen = text[match.start : match.end]
    written = match.target.text
    if not seen[:1].isupper() or (written.isupper() and any(ch.islower() for ch in seen)):
        return False
    if in_reference(text, match.start) or _CODE_AFTER.match(text, match.end):
        return False
    if letters in TITLES or letters in POLICE_RANKS:
        return _marked(text, match.start, match.end) and not _NAME_FOLLOWS.match(text, match.end)
    if letters in SHORT_WORDS:
        return _marked(text, match.start, match.end) or (
            bool(_NAME_FOLLOWS.match(text, match.end)) and not _caps_beside(text, match.start, match.end)
        )
    return True


def _word_name_ok(text: str, match: Match, letters: str) -> bool:
    seen = text[match.start : match.end]
    name_follows = bool(_NAME_FOLLOWS.match(text, match.end))
    if not seen[:1].isupper() or (seen.isupper() and len(seen) > 1 and not name_follows):
        return False
    if letters in MONTHS and re.search(r"\d\s*$", text[max(0, match.start - 6) : match.start]):
        return False
    if letters in MONTHS and re.match(r"\s*\d", text[match.end :]):
        return False
    if _SENTENCE_START.search(text[max(0, match.start - 4) : match.start]):
        word = _NEXT_WORD.match(text, match.end)
        return name_follows or (word is not None and word.group(1).casefold() in _SAYS)
    return True


@cache
def _letters(form: str) -> str:
    return "".join(ch for ch in normalise(form) if ch.isalnum())


def worth_suggesting(text: str, match: Match) -> bool:
    """False for a short or word-like form written or placed as an ordinary word."""
    letters = _letters(match.target.text)
    if not letters.isalpha():
        return True
    if in_citation(text, match.start, match.end):
        return False
    if letters in WORD_NAMES and match.target.category != "initials":
        return _word_name_ok(text, match, letters)
    if len(letters) <= 3 or match.target.category == "initials":
        return _short_ok(text, match, letters)
    return True
