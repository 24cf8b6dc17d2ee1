"""The gate's finder: one combined screen, then the matcher, over every reading of a text.

A text is read as it is, with a line-end hyphen kept, with control characters taken out,
as a right-to-left override shows it and as a link decodes (``_readings``); each reading is
folded as ``terms`` folds (``_quick_fold``) and screened in one regex before the matcher
looks. What a short text holds is remembered, since a file repeats its keys and operators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bundler.core.anonymise.extracted import extracted_text
from bundler.core.anonymise.lookalikes import fold_letters
from bundler.core.anonymise.terms import _HYPHENS, Target, find_matches, read_through, screen
from bundler.core.anonymise.uris import may_be_encoded, uri_forms

__all__ = ["Leak", "holds_target"]


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
    return _one_space(fold_letters(text))


def _one_space(text: str) -> str:
    """``_SPACES.sub(" ", text)`` about ten times as fast on a text of many short lines (an
    image's printable runs): ``str.split`` breaks at the same whitespace as ``\\s``."""
    body = " ".join(text.split())
    if not body:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + body + (" " if text[-1].isspace() else "")


def _readings(
    text: str, shown: bool = True, targets: Sequence[Target] | None = None, folded: str | None = None
) -> list[str]:
    """The text; when a line ends in a hyphen, the text with that hyphen kept; decoded as a link.

    The matcher treats "Smith-⏎Jones" as a word broken in two ("SmithJones"); a
    double-barrelled name broken at its own hyphen must still be found. A link's
    "F%61rida+Kh%61num" is read as a browser shows it (``uris``); text after a right-to-left
    override as a viewer shows it, reversed up to the end of the override or the line. And
    as the matcher reads it again (``terms.read_through``: ``shown``, text a reader shows; only
    readings that could hold one of ``targets``, when given; ``folded``: the text's fold).
    """
    kept = _KEPT_HYPHEN.sub(r"\1", text).replace("\u00ad", "-")
    readings = [text] if kept == text else [text, kept]
    # what prints as nothing, punctuation inside a word, words glued: "Far\x00ida", "Fari-da", "xFarida"
    readings += read_through(text, shown, targets, folded)
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
        self._held: dict[tuple[str, bool], tuple[tuple[str, str, str], ...]] = {}
        self._size = 0  # characters held

    def leaks(self, place: str, page: int | None, text: str, shown: bool = False) -> Iterator[Leak]:
        """Each target in ``text`` (``shown``: text a reader shows, read through punctuation and
        glue too, ``terms.find_matches``)."""
        if len(text) <= _REMEMBERED:
            key = (text, shown)
            if key not in self._held:
                if self._size + len(text) > _REMEMBER:
                    self._held, self._size = {}, 0
                self._held[key] = tuple(self._found(text, shown))
                self._size += len(text) + 64
            found: Iterable[tuple[str, str, str]] = self._held[key]
        else:
            found = self._found(text, shown)
        for snippet, target, category in found:
            yield Leak(self.masked(place), page, snippet, target, category)

    def _found(self, text: str, shown: bool) -> Iterator[tuple[str, str, str]]:
        """(snippet, target, category) of each match in ``text``, in every reading of it."""
        for offset in range(0, len(text), _CHUNK - _OVERLAP):
            found: set[Target] = set()  # each target told once a text, whichever reading finds it
            piece = extracted_text(text[offset : offset + _CHUNK])
            folded = _quick_fold(piece)  # folded once: for the screen and for the readings' own
            for k, chunk in enumerate(_readings(piece, shown, self.targets, folded)):
                if self.screen.search(folded if k == 0 else _quick_fold(chunk)) is None:
                    continue
                for m in find_matches(chunk, self.targets, ocr=True, shown=shown):
                    if m.target not in found:
                        found.add(m.target)
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


def _mask(text: str) -> str:
    return " ".join(f"{word[0]}…" for word in text.split())
