"""Where an identifier pattern can match: windows around the digits a match must read.

Most identifier patterns cannot match without a digit, and their parts are bounded.
For such a pattern the regex needs to run only near digits, and there it gives exactly
what a pass over the whole text gives. Why, counting in units (``reach``: a character
that is not whitespace, or a whole run of whitespace; for a pattern with a long run of
letters in it, such as a labelled reference, a run of whitespace or of anything else):

- every match reads a digit (``_needs_digit`` proves it from the parsed regex: a digit
  it consumes, or one a lookahead must see), and all the characters the regex engine
  reads from a start ``i`` (lookaheads, and the one past a greedy repeat, included)
  lie within ``R`` units of ``i`` (``_units``, plus a margin);
- so a match starts at most ``R`` units before one of its digits and reads at most
  ``R`` units past it: a window from ``R`` units before a run of digits to ``R``
  units after it holds the match and everything the engine looked at to find it;
- windows that overlap are merged; a window's search sees the text before it
  (lookbehinds read the real text) and ends where no attempt inside it that could
  succeed reads any further, so each attempt inside a window ends as it does in the
  whole text, and attempts outside every window fail in the whole text too.

A pattern that needs no digit, or has an unbounded part that may read whitespace,
runs over the whole text as before (``reach`` gives None). The test compares both
ways on many texts (``tests/core/anonymise/test_patterns_windows.py``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import cache
from itertools import islice
from typing import Any, NamedTuple

if sys.version_info >= (3, 11):
    from re import _constants as sre_c
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as sre_c
    import sre_parse

__all__ = ["Reach", "Window", "reach", "windows", "digit_runs"]

_DIGITS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_MARGIN = 2  # a word boundary reads one character on; one more for good measure
Window = tuple[int, int]  # (start, end) in the text
_CATEGORIES = {  # a character standing for a whole category, for what it is made of
    sre_c.CATEGORY_DIGIT: "0",
    sre_c.CATEGORY_UNI_DIGIT: "0",
    sre_c.CATEGORY_SPACE: " ",
    sre_c.CATEGORY_UNI_SPACE: " ",
    sre_c.CATEGORY_WORD: "a",
    sre_c.CATEGORY_UNI_WORD: "a",
}


class Reach(NamedTuple):
    units: int
    words: bool  # a unit is a run of whitespace or a run of anything else (not one character)


def _is_digit(ch: str) -> bool:
    return _DIGIT.fullmatch(ch) is not None


def _chars(op: Any, av: Any) -> list[str] | None:
    """What one single-character item can match, when it is a plain set (a category: one of it)."""
    if op is sre_c.LITERAL:
        return [chr(av)]
    if op is not sre_c.IN or any(item[0] is sre_c.NEGATE for item in av):
        return None
    chars: list[str] = []
    for item_op, item_av in av:
        if item_op is sre_c.LITERAL:
            chars.append(chr(item_av))
        elif item_op is sre_c.RANGE and item_av[1] - item_av[0] < 256:
            chars.extend(chr(c) for c in range(item_av[0], item_av[1] + 1))
        elif item_op is sre_c.CATEGORY and item_av in _CATEGORIES:
            chars.append(_CATEGORIES[item_av])
        else:
            return None
    return chars


def _all(op: Any, av: Any, test: Callable[[str], bool]) -> bool:
    chars = _chars(op, av)
    return chars is not None and bool(chars) and all(test(ch) for ch in chars)


def _needs_digit(items: Any) -> bool:
    """Whether every match of this sequence of parsed items reads a digit (consumed, or in a lookahead)."""
    for op, av in items:
        if op in (sre_c.LITERAL, sre_c.IN) and _all(op, av, _is_digit):
            return True
        if op is sre_c.SUBPATTERN and _needs_digit(av[-1]):
            return True
        if op is sre_c.BRANCH and all(_needs_digit(alt) for alt in av[1]):
            return True
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] >= 1 and _needs_digit(av[2]):
            return True
        if op is sre_c.ASSERT and av[0] == 1 and _needs_digit(av[1]):
            return True
    return False


def _one_space(item: Any) -> bool:
    """One item that matches only whitespace: repeated, it stays inside one run of whitespace."""
    return len(item) == 1 and item[0][0] in (sre_c.LITERAL, sre_c.IN) and _all(item[0][0], item[0][1], str.isspace)


def _units(items: Any, words: bool) -> float:
    """At most how many units the engine reads from where this sequence starts (inf: unbounded).

    Characters: each character a unit, a run of whitespace one. Words (``words``): the
    items that may read whitespace, each a run of whitespace at most.
    """
    total = 0.0
    for op, av in items:
        if op in (sre_c.LITERAL, sre_c.NOT_LITERAL, sre_c.ANY, sre_c.IN):
            total += 1 if not words or not _all(op, av, lambda ch: not ch.isspace()) else 0
        elif op is sre_c.SUBPATTERN:
            total += _units(av[-1], words)
        elif op is sre_c.BRANCH:
            total += max(_units(alt, words) for alt in av[1])
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            low, high, item = av
            units = 1 if _one_space(item) else _units(item, words)
            total += units if _one_space(item) else float("inf") if high == sre_c.MAXREPEAT and units else high * units
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            total += _units(av[1], words) if av[0] == 1 else 0  # a lookbehind reads only what lies before
        elif op is not sre_c.AT:
            return float("inf")  # back-references and the like: not bounded here
    return total


@cache
def reach(regex: re.Pattern[str]) -> Reach | None:
    """How far around its digits a match of ``regex`` may read; None when it needs no digit or is unbounded.

    In characters (a run of whitespace counting once) when that is bounded; else in words
    (a run of whitespace or of anything else counting once), where ``w`` items that may
    read whitespace cross at most ``2w + 1`` runs.
    """
    parsed = sre_parse.parse(regex.pattern, regex.flags)
    if not _needs_digit(parsed):
        return None
    chars = _units(parsed, words=False)
    if chars != float("inf"):
        return Reach(int(chars) + _MARGIN, words=False)
    spaces = _units(parsed, words=True)
    return None if spaces == float("inf") else Reach(2 * int(spaces) + 1 + _MARGIN, words=True)


@cache
def _walk(reach: Reach) -> re.Pattern[str]:
    """Up to ``reach.units`` units: a run of whitespace (or of anything else, in words) counts once."""
    other = r"\S+" if reach.words else r"\S"
    return re.compile(rf"(?:\s+|{other}){{0,{reach.units}}}")


def digit_runs(text: str, most: int) -> list[Window] | None:
    """Where the runs of digits are; None when there are more than ``most`` (not worth windows)."""
    runs = [m.span() for m in islice(_DIGITS.finditer(text), most + 1)]
    return runs if len(runs) <= most else None


def _walked(walk: re.Pattern[str], text: str, at: int) -> int:
    """Where walking from ``at`` ends (the walk always matches, if only nothing)."""
    m = walk.match(text, at)
    return at if m is None else m.end()


def _clusters(runs: list[Window], gap: int) -> list[Window]:
    """Runs of digits at most ``gap`` characters apart, as one: a window around several holds
    everything the windows around each would, and a page of figures takes a few walks, not one per figure."""
    found: list[Window] = []
    for start, end in runs:
        if found and start - found[-1][1] <= gap:
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found


def windows(text: str, runs: list[Window], reach: Reach, backwards: str) -> list[Window]:
    """Disjoint (start, end) windows holding every match that reads a digit of ``runs``.

    ``backwards`` is ``text[::-1]`` (walking left is walking the reversed text right).
    Windows that meet become one.
    """
    walk, n = _walk(reach), len(text)
    found: list[Window] = []
    for start, end in _clusters(runs, 2 * reach.units):
        left, right = n - _walked(walk, backwards, n - start), _walked(walk, text, end)
        if found and left <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], right))
        else:
            found.append((left, right))
    return found
