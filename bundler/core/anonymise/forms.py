"""How one protected form becomes a regex over folded text (``terms.normalise``).

Two kinds of form:

- **words** (names, places): the parts may be joined by a space, a hyphen or
  nothing, so "Osei-Bonsu", "Osei Bonsu" and "OseiBonsu" (a hyphen that ended a
  line, which folding removes) are one form; the whole form may also be
  letter-spaced ("K H A N U M", a letterhead's tracking, as text extraction gives
  it back), standing alone;
- **identifiers** (a term with a digit, or whose category is a reference, NI, NHS,
  passport, phone or postcode): any of space . , / ( ) + and dashes — or nothing —
  may stand between any two characters, so "O1234567" is also "O-123-4567" and
  "o123 4567". With ``ocr=True`` the characters OCR confuses (O/0, I/1/l, S/5,
  B/8, Z/2) count as one inside identifiers.

Letters or digits may not continue either side of a hit: "Ann" is not in "Annual".
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

__all__ = ["is_identifier", "form_body", "form_regex", "OCR_CONFUSIONS"]

# Kept narrow on purpose: "|" joins separate strings for one matcher pass (docx_xml, docx_sweep).
_SEPARATORS = " .,/()+-\u2010\u2011\u2012\u2013\u2014"
_SEP = "[ .,/()+\\-\u2010-\u2014]{0,3}"
_JOIN = "(?: ?[-\u2010-\u2013] ?| )?"  # between the words of a name: space, hyphen or nothing
_WORD_BREAK = re.compile("[ \u2010-\u2013-]+")
_ID_CATEGORY_WORDS = frozenset(
    "ref reference references ni nino insurance phone telephone tel mobile postcode passport nhs".split()
)
# OCR's usual confusions, folded (lower case); each group counts as one character.
OCR_CONFUSIONS = ("o0", "il1", "s5", "b8", "z2")
_OCR_CLASS = {ch: f"[{group}]" for group in OCR_CONFUSIONS for ch in group}
_EDGE_BEFORE = r"(?<![^\W_])"
_EDGE_AFTER = r"(?![^\W_])"


@cache
def is_identifier(text: str, category: str) -> bool:
    """A reference-like term: matched with any spacing or punctuation between its characters."""
    if any(ch.isdigit() for ch in text):
        return True
    return not _ID_CATEGORY_WORDS.isdisjoint(re.split(r"[^a-z]+", category.casefold()))


def _identifier_body(folded: str, ocr: bool) -> str:
    units = []
    for ch in folded:
        if ch.isalnum():
            units.append(_OCR_CLASS.get(ch, re.escape(ch)) if ocr else re.escape(ch))
        elif ch not in _SEPARATORS:
            units.append(re.escape(ch))  # "@" in an e-mail address must be there
    return _SEP.join(units)


# A letter-spaced form stands alone: no single letter and space before or after it, so
# "u m a" is not found in "h u m a n" (text shown glyph by glyph reads like that too).
_SPACED_BEFORE = r"(?<!^[^\W_] )(?<![\W_][^\W_] )"
_SPACED_AFTER = r"(?! [^\W_](?![^\W_]))"


def _letter_spaced(parts: list[str]) -> str:
    """The words set letter by letter, as a letterhead's tracking gives them back: "k h a n u m"."""
    letters = " ".join(re.escape(ch) for ch in "".join(parts))
    return f"{_SPACED_BEFORE}{letters}{_SPACED_AFTER}"


def _words_body(folded: str) -> str:
    """The words with a space, a hyphen or nothing between them, and "s" after ("the Khanums":
    a family; without it the edge rule would pass the plural); or all their letters spaced."""
    parts = [part for part in _WORD_BREAK.split(folded) if part]
    plain = _JOIN.join(re.escape(part) for part in parts)
    return f"(?:{plain}s?|{_letter_spaced(parts)})" if len("".join(parts)) > 1 else plain


@cache
def form_body(folded: str, identifier: bool, ocr: bool = False) -> str:
    """The regex for one folded form, without its edges (the leak gate's screen joins many)."""
    body = _identifier_body(folded, ocr) if identifier else _words_body(folded)
    return body or re.escape(folded)  # a form of separators only must not match everywhere


def _first(items: list[Any], chars: set[tuple[int, int]]) -> bool:
    """Add to ``chars`` (code point ranges) what a match of the parsed sequence ``items`` can
    start with; True if it always consumes a character. Raises ``_Unsure`` on anything else."""
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            chars.add((arg, arg))
            return True
        if name == "IN":
            for kind, value in arg:
                if str(kind) == "LITERAL":
                    chars.add((value, value))
                elif str(kind) == "RANGE":
                    chars.add(value)
                else:  # a negated set, a category (\\w, \\d): any first character may do
                    raise _Unsure
            return True
        if name == "BRANCH":
            if not all([_first(list(branch), chars) for branch in arg[1]]):
                continue  # one branch may match nothing: what follows may start the match
            return True
        if name in ("SUBPATTERN", "ATOMIC_GROUP"):
            inner = arg[3] if name == "SUBPATTERN" else arg
            if name == "SUBPATTERN" and (arg[1] or arg[2]):  # flags (ignore case) change the letters
                raise _Unsure
            if _first(list(inner), chars):
                return True
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            least, _, inner = arg
            if _first(list(inner), chars) and least > 0:
                return True
            continue
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # consumes nothing: the next item starts the match
        raise _Unsure  # ANY, NOT_LITERAL, group references …
    return False


class _Unsure(Exception):
    pass


@cache
def _first_class(pattern: str) -> str:
    """A lookahead for the characters a match of ``pattern`` can start with, so the regex
    engine rejects most positions on one character instead of trying every form there
    (2-3x quicker on long texts); "" when that cannot be worked out for certain."""
    try:
        try:
            from re import _parser  # type: ignore[attr-defined]
        except ImportError:  # Python 3.10
            import sre_parse as _parser
        parsed = _parser.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.LOCALE):
            return ""  # letters of either case (or the locale's) would start it
        chars: set[tuple[int, int]] = set()
        if not _first(list(parsed), chars):
            return ""  # the pattern may match nothing: any position may start it
    except Exception:  # noqa: BLE001 - _Unsure, or a Python whose parser differs: no lookahead
        return ""
    ranges = "".join(re.escape(chr(lo)) + (f"-{re.escape(chr(hi))}" if hi > lo else "") for lo, hi in sorted(chars))
    return f"(?=[{ranges}])"


def _edged(body: str) -> re.Pattern[str]:
    """``body`` between the edges: letters or digits may not continue either side."""
    pattern = f"{_EDGE_BEFORE}{body}{_EDGE_AFTER}"
    return re.compile(_first_class(pattern) + pattern)


@cache
def form_regex(folded: str, identifier: bool, ocr: bool = False) -> re.Pattern[str]:
    return _edged(form_body(folded, identifier, ocr))


_GLUE = "[^\\W_]{0,2}"  # letters or digits glued on to a word of a name (``glued_body``), each side
_MIN_GLUED = 3  # each word of a name at least this long to be found with letters glued on


@cache
def glued_body(folded: str) -> str | None:
    """For a name of two or more words (each of ``_MIN_GLUED`` letters or more): the words with
    up to two letters or digits glued on either side of what is between them and no edge either
    side, "faridax xkhanum" in "xfaridax xkhanumx" (no more: in text read with no spaces, as
    reading order reads it too, "quashingquashingorderorder" must not give "quashingorderorder").
    Capitals glued to capitals ("XFARIDA XKHANUM") leave no edge the word rules could find; two
    words of the name next to each other are the name however glued (one word alone keeps its
    edges: "Rose" is not in "prose"). None for other forms."""
    parts = [part for part in _WORD_BREAK.split(folded) if part]
    if len(parts) < 2 or any(len(part) < _MIN_GLUED or not part.isalpha() for part in parts):
        return None
    return f"{_GLUE}{_JOIN}{_GLUE}".join(re.escape(part) for part in parts)


@cache
def glued_regex(folded: str) -> re.Pattern[str] | None:
    body = glued_body(folded)
    return None if body is None else re.compile(_first_class(body) + body)


def screen_regex(bodies: set[str], glued: set[str] | None = None) -> re.Pattern[str]:
    """One regex passing any text in which one of ``bodies`` could match (longest first), or,
    without edges, one of the ``glued`` bodies."""
    alternatives = "|".join(sorted(bodies - {""}, key=len, reverse=True))
    pattern = f"{_EDGE_BEFORE}(?:{alternatives}){_EDGE_AFTER}"
    if glued:
        pattern = f"(?:{pattern})|" + "|".join(sorted(glued, key=len, reverse=True))
    return re.compile(_first_class(pattern) + pattern)
