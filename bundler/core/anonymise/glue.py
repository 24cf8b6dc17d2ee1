"""Where one word ends and another begins with no space between them.

The matcher wants a word edge either side of a name ("Ann" is not in "Annual"). An attacker
takes the edge away by gluing something on -- a letter drawn invisibly or in white, a capital, a
digit, a superscript, a letter of another script -- and every reader still shows the name:
"xFarida", "XFarida", "FARIDAx", "Farida1", "Farida\u00b2", "\u00aaKhanum", "\u00b5Farida".
``terms.find_matches`` reads such text again with a space put at each place these say a new word
begins (``glued``):

- a change of kind between two letters or digits: a Latin letter (any cased letter that folds to
  a-z: accented, or a look-alike of another script, "\u0430"), a number (digits, superscripts,
  fractions), or any other letter ("\u00aa", "\u00b5", "\u0436");
- case: a small letter before a capital ("xFarida", "MsKhanum"); and either a letter before a
  capital that starts a word in small letters ("XFarida", read "X Farida") or, in a second
  reading, a small letter after two capitals ("FARIDAx", read "FARIDA x"): the two rules cut
  "XFarida" in different places, so each has its reading.

What no rule can cut: capitals glued to capitals ("XFARIDA"), small letters to small letters
("xfaridax"). One such word is a word to the matcher, as "prose" is not "Rose"; two words of a
name next to each other are found however glued (``forms.glued_body``: "XFARIDA XKHANUM").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from itertools import chain

from bundler.core.anonymise.lookalikes import fold_letters

__all__ = ["glued", "inside", "inner"]

# Where to look beyond ASCII: the Basic Multilingual Plane and the mathematical letters and digits.
_PLANES = (range(0x80, 0x10000), range(0x1D400, 0x1D800))


def _ranges(codes: list[int]) -> str:
    """A regex character class body for ``codes`` (sorted), as ranges."""
    parts: list[str] = []
    start = previous = None
    for code in [*codes, None]:
        if code is not None and previous is not None and code == previous + 1:
            previous = code
            continue
        if start is not None and previous is not None:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous > start else ""))
        start = previous = code
    return "".join(parts)


@cache
def _numbers() -> str:
    """A character class body for numbers: digits, superscripts, fractions, Roman numerals (alone:
    ``inner`` wants only these, which take a tenth of the time of ``_classes``)."""
    numbers = list(range(48, 58))
    numbers += [code for code in chain(*_PLANES) if unicodedata.category(chr(code)) in ("Nd", "No", "Nl")]
    return _ranges(numbers)


@cache
def _classes() -> tuple[str, str, str, str]:
    """Character class bodies: Latin letters, numbers, capitals, small letters."""
    latin = list(range(65, 91)) + list(range(97, 123))
    upper: list[int] = []
    lower: list[int] = []
    for code in chain(*_PLANES):
        ch = chr(code)
        kind = unicodedata.category(ch)
        if kind in ("Lu", "Ll", "Lt"):
            folded = fold_letters(ch)
            if folded and folded.isascii() and folded.isalpha():
                latin.append(code)
            (lower if kind == "Ll" else upper).append(code)
    upper = list(range(65, 91)) + upper
    lower = list(range(97, 123)) + lower
    return _ranges(sorted(latin)), _numbers(), _ranges(upper), _ranges(lower)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Each matches the one character before a place a new word begins (the regex engine finds
    a character quicker than a lookbehind): ``glued``'s two readings, and the capitals rule."""
    latin, numbers, upper, lower = _classes()
    other = f"[^\\W_{latin}{numbers}]"
    kinds = f"[{latin}](?=[{numbers}]|{other})|[{numbers}](?=[{latin}]|{other})|{other}(?=[{latin}{numbers}])"
    small_capital = f"[{lower}](?=[{upper}])"
    after_capitals = f"(?<=[{upper}])[{upper}](?=[{lower}])"
    first = re.compile(f"{kinds}|{small_capital}|[^\\W_](?=[{upper}][{lower}])")
    second = re.compile(f"{kinds}|{small_capital}|{after_capitals}")
    return first, second, re.compile(after_capitals)


@cache
def inner() -> str:
    """A regex for one character that may hide inside a word, a reader reading the word through
    it: punctuation, a symbol, "_", a digit or other number ("Fari-da", "Fari1da", "Fari\u00b2da")."""
    return f"(?:[^\\w\\s]|[_\\d{_numbers()}])"


@cache
def inside() -> re.Pattern[str]:
    """What hides inside a word, from the letter before it (kept) to the letter after it."""
    letter = f"[^\\W\\d_{_numbers()}]"
    # not an apostrophe before a last "s": "Khanum's" is the name's own (its edge is there)
    return re.compile(f"{letter}(?!['\u2019]s(?![^\\W_])){inner()}+(?={letter})")


def glued(text: str) -> list[re.Pattern[str]]:
    """Patterns for each reading ``text`` needs taken apart (none, one, or two when a small
    letter follows two capitals somewhere, "FARIDAx"): each match ends where a word begins."""
    first, second, capitals = _patterns()
    if first.search(text) is None:
        return [second] if capitals.search(text) is not None else []
    return [first, second] if capitals.search(text) is not None else [first]
