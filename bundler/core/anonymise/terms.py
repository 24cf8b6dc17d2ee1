"""Protected terms and how to find them in text, whatever the text went through.

Every consumer (detection, the DOCX anonymiser, PDF redaction, the leak gate)
matches through ``find_matches`` so they agree on what counts as a hit:
case, whitespace, line-break hyphenation, ligatures, diacritics, curly
apostrophes and letters of other scripts that print as Latin ones (Cyrillic а,
``lookalikes``) never hide a name. Both halves of a double-barrelled name are
protected alone and joined any way; identifiers match with any spacing or
punctuation between their characters, and with OCR's confusions when the text
came from OCR (``find_matches(..., ocr=True)``; the regexes are in ``forms``).
In text a reader shows, neither do marks or digits inside a word ("Fari-da", "Fari1da"),
letters glued on to take a word's edge away ("xFarida", "Farida\u00b2": ``glue``), two words
of a name glued together however ("XFARIDA XKHANUM"), nor a plural ("the Khanums").
"""

from __future__ import annotations

import bisect
import codecs
import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from bundler.core.anonymise.forms import (
    _OCR_CLASS,
    _WORD_BREAK,
    form_body,
    form_regex,
    glued_body,
    glued_regex,
    is_identifier,
    screen_regex,
)
from bundler.core.anonymise.glue import glued, inner, inside
from bundler.core.anonymise.lookalikes import fold_letters
from bundler.core.model import CaseDetails, Party, Register

__all__ = [
    "anonymise_case",
    "Target",
    "Match",
    "normalise",
    "normalise_with_map",
    "targets_from_register",
    "find_matches",
    "read_through",
    "screen",
    "target_body",
    "anonymise_text",
    "targets_fingerprint",
]

_HYPHENS = "-\u2010\u2011\u2012\u2013"
_JOINERS = "\u00ad\ufffe\u0002"  # pdfium reports a line-end hyphen as U+FFFE (older: U+0002)
# Plain ASCII folds by lower(): words of it (no hyphens, "`" or pdfium's joiner) and single spaces.
_ASCII_WORD = "[^\\s\\-`\x02\x80-\U0010ffff]+"
_PLAIN = re.compile(f"{_ASCII_WORD}(?: {_ASCII_WORD})*")
_PART_BREAK = re.compile("[-\u2010-\u2013]")  # the halves of a double-barrelled name
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
    """Ligatures expanded, diacritics dropped, look-alike letters of other scripts made Latin
    ("F\u0430rida", with a Cyrillic a, is "farida"), curly apostrophes straight, case folded."""
    return fold_letters(ch)


def _special(text: str, i: int) -> tuple[str, int]:
    """Fold the one character at ``i`` that is not plain ASCII; returns (output, next index)."""
    ch, n = text[i], len(text)
    if ch in _JOINERS:  # soft hyphen, or pdfium's mark for a hyphen it joined across lines
        j = i + 1
        while j < n and text[j].isspace():
            j += 1
        return "", j if "\n" in text[i:j] or "\r" in text[i:j] or ch != "\u00ad" else i + 1
    if unicodedata.category(ch) == "Cf":  # zero-width space, joiners, BOM: "Far\u200bida"
        return "", i + 1
    if ch in _HYPHENS:
        j = i + 1
        while j < n and text[j].isspace() and text[j] not in "\r\n":
            j += 1
        if j < n and text[j] in "\r\n":  # hyphen at a line end: a word broken in two
            while j < n and text[j].isspace():
                j += 1
            return "", j
    return _fold_char(ch), i + 1


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for matching; ``index[i]`` is the original index of output char ``i``.

    Line-break hyphenation ("Kha-\\nnum") and soft hyphens vanish, whitespace runs
    become one space, ligatures expand, diacritics drop, look-alikes become Latin,
    case folds. Runs of plain ASCII (most text) are folded at once; other characters
    one by one.
    """
    out: list[str] = []
    index: list[int] = []
    i, n = 0, len(text)
    while i < n:
        plain = _PLAIN.match(text, i)
        if plain is not None:
            out.append(plain.group().lower())
            index.extend(range(i, plain.end()))
            i = plain.end()
        elif text[i].isspace():
            if out and out[-1][-1] != " ":
                out.append(" ")
                index.append(i)
            i += 1
        else:
            folded, j = _special(text, i)
            for ch in folded:
                out.append(ch)
                index.append(i)
            i = j
    return "".join(out), index


def normalise(text: str) -> str:
    return _folded_page(text)[0]  # the same text as ``normalise_with_map``, quicker when plain ASCII


# For plain ASCII text: what ``_special`` drops (pdfium's old joiner and the whitespace after it,
# a hyphen ending a line and the whitespace around the break).
_ASCII_DROPS = re.compile("\x02\\s*|-[^\\S\\r\\n]*[\\r\\n]\\s*")
# Control characters that are not white space. An extracted text shows one where a glyph
# had no known character (a drawn mark between words: "\x03habibi"), or an attacker put one
# inside a name that prints as nothing ("Far\x00ida"): matched both ways (``find_matches``).
CONTROLS = re.compile("[\x00\x01\x03-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def _folded_page(text: str) -> tuple[str, list[int] | None]:
    """``normalise_with_map(text)``, quicker for plain ASCII text (most pages): then the same
    folding is made by substitutions over the whole text, and the index is left to be made
    (None) when a form is found."""
    if not text.isascii():
        return normalise_with_map(text)
    kept = _ASCII_DROPS.sub("", text) if "-" in text or "\x02" in text else text
    words = kept.split()  # at whitespace, as ``str.isspace`` says: as the loop does
    folded = " ".join(words) + (" " if words and kept[-1].isspace() else "")
    return folded.replace("`", "'").lower(), None


def _person_forms(name: str, variants: list[str]) -> list[str]:
    """The name and variants, runs of their words ("Osei Bonsu" of "Kofi Osei Bonsu"), each
    word, and each half of a double-barrelled word."""
    whole = [name.strip(), *(variant.strip() for variant in variants)]
    words = [word for form in whole for word in form.split()]
    parts = [part for word in words for part in (word, *_PART_BREAK.split(word))]
    return whole + _runs(whole) + [part.strip(".,'") for part in parts if _is_name_part(part)]


def _runs(forms: list[str]) -> list[str]:
    """Two or more neighbouring words of a longer form, not starting with a title ("Mrs Farida")."""
    runs = []
    for words in (form.split() for form in forms):
        spans = [(i, j) for i in range(len(words)) for j in range(i + 2, len(words) + 1) if j - i < len(words)]
        runs += [" ".join(words[i:j]) for i, j in spans if normalise(words[i]).strip(".") not in _NOT_NAMES]
    return runs


def _is_name_part(part: str) -> bool:
    folded = normalise(part.strip(".,'")).strip()
    return len(folded) >= _MIN_PART and folded not in _NOT_NAMES


def targets_from_register(register: Register) -> list[Target]:
    """Every form to look for, longest first so "Mrs Khanum" wins over "Khanum".

    A person is found by the whole name, each variant, and every part of either
    longer than two letters: both halves of "Okonkwo-Reyes" alone and joined. A variant
    with its own replacement ("Mrs Khanum" -> "Aisha") is replaced by that, not the pseudonym.
    """
    found: dict[str, Target] = {}
    for person in register.people:
        replacement = person.pseudonym if person.action == "replace" else None
        own = person.variant_replacements if person.action == "replace" else {}
        for variant, its_own in own.items():  # before the forms, so "Mrs Khanum" keeps its own replacement
            found.setdefault(
                normalise(variant).strip(), Target(variant.strip(), its_own, person.id, "person", person.reason)
            )
        for form in _person_forms(person.name, person.variants):
            key = normalise(form).strip()
            if key and key not in found:
                found[key] = Target(form, replacement, person.id, "person", person.reason)
    for term in register.terms:
        replacement = (term.replacement or None) if term.action == "replace" else None
        key = normalise(term.text).strip()
        if key and key not in found:
            found[key] = Target(term.text.strip(), replacement, term.id, term.category, term.reason)
    return sorted(found.values(), key=lambda t: -len(normalise(t.text)))


@cache
def _folded(text: str) -> str:
    return normalise(text).strip()


def target_body(target: Target, *, ocr: bool = False) -> str:
    """The regex body ``find_matches`` uses for ``target`` (the leak gate screens with it)."""
    return form_body(_folded(target.text), is_identifier(target.text, target.category), ocr)


def _regex(target: Target, ocr: bool) -> re.Pattern[str]:
    return form_regex(_folded(target.text), is_identifier(target.text, target.category), ocr)


@cache
def _needles(target: Target) -> tuple[str, ...]:
    """Text a folded page must hold for a words form to match there (none: look anyway).

    A words form's regex (``forms``) starts with its first word, or with all its letters
    spaced out ("f a r i d a k h a n u m"), so one of these two is in any text it matches.
    """
    parts = [part for part in _WORD_BREAK.split(_folded(target.text)) if part]
    if is_identifier(target.text, target.category) or not parts:
        return ()
    return (parts[0], " ".join(parts[0]))


def screen(targets: list[Target], *, ocr: bool = False) -> re.Pattern[str]:
    """One regex over folded text that passes every text ``find_matches`` would find a target in."""
    glued = {body for t in targets if (body := _glued_body(t)) is not None}
    return screen_regex({target_body(t, ocr=ocr) for t in targets}, glued)


def _glued_body(target: Target) -> str | None:
    return None if is_identifier(target.text, target.category) else glued_body(_folded(target.text))


def find_matches(text: str, targets: list[Target], *, ocr: bool = False, shown: bool = True) -> list[Match]:
    """Non-overlapping matches of ``targets`` in ``text``; longer forms win.

    ``ocr=True`` is for text read by OCR: inside identifiers the characters OCR
    confuses (O/0, I/1/l, S/5, B/8, Z/2) then count as the same (``forms.py``).
    The text is read again without control characters ("Far\x00ida"); and when it is text a
    reader shows (``shown``: not a file's raw bytes, where random letters would give false
    hits), without punctuation or digits inside words ("Fari-da", "Fari1da", ``glue.inside``: the
    first reading still finds "Anna" in "Anna-Marie"; "so far. Ida" is two words), and then with words
    glued together taken apart ("xFarida", "Farida1", ``glue``): ``_rereadings``.
    """
    folded = _folded_page(text)
    matches = _matches(text, targets, ocr, shown, folded)
    for read, places in _rereadings(text, shown, targets, folded[0]):
        more = _matches(read, targets, ocr, shown)
        for place in reversed(places):  # back through each rewriting to the text's own places
            more = [Match(place(m.start), max(place(m.end - 1) + 1, place(m.start) + 1), m.target) for m in more]
        matches = _longer(matches, more)
    return sorted(matches, key=lambda m: m.start)


@lru_cache(maxsize=8)
def _hold_screens(targets: tuple[Target, ...]) -> tuple[re.Pattern[str], ...]:
    """Regexes passing folded text in which any reading (``_rereadings``) could find one of
    ``targets``: readings only take out what hides inside a word or put in spaces, so the text
    holds the letters of a name's first word in order with nothing but punctuation or digits
    between them, or spaced out (an identifier's characters, anything but letters and digits
    between).
    One regex a key: each starts with a letter the regex engine scans for at C speed, where one
    alternation of them all would be tried at every position (about 4x slower)."""
    bodies = set()
    for target in targets:
        folded = _folded(target.text)
        identifier = is_identifier(target.text, target.category)
        first = folded if identifier else _WORD_BREAK.split(folded.strip())[0]
        chars = [ch for ch in first if ch.isalnum()]
        units = [_OCR_CLASS.get(ch, re.escape(ch)) if identifier else re.escape(ch) for ch in chars]
        if units and identifier:
            bodies.add("[\\W_]*".join(units))  # an identifier matches with any separators
        elif units:
            bodies |= {f"{inner()}*".join(units), " ".join(units)}  # punctuated, or letter-spaced
    return tuple(re.compile(body) for body in sorted(bodies))


# For ASCII keys the same test by bytes, and a finer one: a reading can only add a match where a
# word of a target is read through marks or digits, glued to more letters, or spaced out.
_NOT_LETTERS = bytes(c for c in range(128) if not (chr(c).isalpha() or chr(c).isspace()))
_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())
_OCR_BYTES = bytes.maketrans(b"0i1582", b"ollsbz")
_GLUE_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _as_ascii(error: UnicodeError) -> tuple[str, int]:
    """What is not ASCII as one byte each: "x" for a letter or digit (glue), "#" for anything else
    (a mark, taken out with the other marks)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join("x" if ch.isalnum() else "#" for ch in error.object[error.start : error.end]), error.end


codecs.register_error("bundler-as-ascii", _as_ascii)
_Words = tuple[tuple[bytes, ...], bytes]  # a target's words, its first word letter-spaced


_Keys = tuple[tuple[_Words, ...], frozenset[bytes], bool]


@lru_cache(maxsize=8)
def _hold_keys(targets: tuple[Target, ...]) -> _Keys:
    """Each words target's words (letters only) and first word letter-spaced; each identifier's
    letters and digits (OCR's confusions made one); as bytes. And whether all of them are ASCII
    (else ``_hold_screens`` decide)."""
    names: list[_Words] = []
    identifiers: set[bytes] = set()
    for target in targets:
        folded = _folded(target.text)
        if is_identifier(target.text, target.category):
            identifiers.add("".join(ch for ch in folded if ch.isalnum()).encode("utf-8").translate(_OCR_BYTES))
            continue
        words = ["".join(ch for ch in word if ch.isalpha()) for word in _WORD_BREAK.split(folded.strip())]
        words = [word for word in words if word]
        if words:
            names.append((tuple(word.encode("utf-8") for word in words), " ".join(words[0]).encode("utf-8")))
    ascii_only = all(word.isascii() and spaced.isascii() for words, spaced in names for word in words)
    return tuple(names), frozenset(identifiers), ascii_only


_last_keys: list[tuple[tuple[Target, ...], _Keys]] = []  # the last targets asked about, and their keys


def _keys_of(targets: Sequence[Target]) -> tuple[tuple[Target, ...], _Keys]:
    """``targets`` as a tuple and their ``_hold_keys``; the same targets as last time (the very
    same objects, in order) are not hashed again: the gate asks once per text, with one list."""
    last = _last_keys[0] if _last_keys else None
    if last is not None and len(last[0]) == len(targets) and all(a is b for a, b in zip(last[0], targets, strict=True)):
        return last
    held = tuple(targets)
    found = (held, _hold_keys(held))
    _last_keys[:] = [found]
    return found


def _unclean(text: str, data: bytes, letters: bytes, word: bytes) -> bool:
    """``word`` is in the text only through marks or digits, or glued on where ``glue`` would cut
    it off (where it shows with a space or a mark either side, the first reading finds it; glued
    to letters of its own case and kind, no reading cuts it: a text read with no spaces)."""
    if letters.count(word) > data.count(word):
        return True
    start = data.find(word)
    while start >= 0:
        end = start + len(word)
        if (start and data[start - 1] in _GLUE_BYTES) or (end < len(data) and data[end] in _GLUE_BYTES):
            return _cut_off(text, word.decode("ascii"), data.count(word))
        start = data.find(word, start + 1)
    return False


def _cut_off(text: str, word: str, folded: int) -> bool:
    """Whether an occurrence of ``word`` in ``text`` (the text before folding) has glue beside it
    that ``glue`` would cut off: a digit, "_" or a letter not ASCII; a change of case into or out
    of it. Where the text shows fewer of it than its fold (ligatures, look-alikes), yes."""
    found = list(re.finditer(re.escape(word), text, re.IGNORECASE))
    if len(found) < folded:
        return True
    for match in found:
        start, end = match.start(), match.end()
        before, after = text[start - 1 : start], text[end : end + 1]
        first, last = text[start], text[end - 1]
        if any(ch and (ch.isdigit() or ch == "_" or (ch.isalnum() and not ch.isascii())) for ch in (before, after)):
            return True
        if before.isalpha() and first.isupper() and (before.islower() or text[start + 1 : start + 2].islower()):
            return True  # "xFarida", "XFarida"
        if (
            after.isalpha()
            and last.isalpha()
            and ((last.islower() and after.isupper()) or (after.islower() and text[end - 2 : end].isupper()))
        ):
            return True  # "FaridaX", "FARIDAx"
    return False


def _may_hold(text: str, folded: str, targets: Sequence[Target]) -> bool:
    """Whether a reading of ``text`` (its fold: ``folded``) beyond the first could find one of
    ``targets``."""
    held, (names, identifiers, ascii_only) = _keys_of(targets)
    if not ascii_only:
        return any(screen.search(folded) is not None for screen in _hold_screens(held))
    data = folded.encode("ascii", "bundler-as-ascii")
    letters = data.translate(None, _NOT_LETTERS)
    for words, spaced in names:  # loops, not generators: this runs once for each text the gate reads
        if spaced in letters:
            return True
        for word in words:
            if word not in letters:
                break
        else:
            for word in words:
                if _unclean(text, data, letters, word):
                    return True
    if identifiers:
        alnum = data.translate(_OCR_BYTES, _NOT_ALNUM)
        for key in identifiers:
            if key in alnum:
                return True
    return False


def _rereadings(
    text: str, shown: bool = True, targets: Sequence[Target] | None = None, folded: str | None = None
) -> list[tuple[str, list[Callable[[int], int]]]]:
    """The text without what prints as nothing or (``shown``) hides inside a word, and that with
    glued words taken apart (one or two ways); each with the way back to ``text``'s places.
    None when no reading could hold one of ``targets`` (when given; ``folded``: the text's
    ``normalise``, when the caller has it)."""
    if targets is not None and not _may_hold(text, _folded_page(text)[0] if folded is None else folded, targets):
        return []
    read, places = text, []
    if CONTROLS.search(read) is not None:
        read, place = _rewritten(read, [m.span() for m in CONTROLS.finditer(read)], "")
        places.append(place)
    hidden = inside()
    if shown and hidden.search(read) is not None:  # the letter before is kept
        read, place = _rewritten(read, [(m.start() + 1, m.end()) for m in hidden.finditer(read)], "")
        places.append(place)
    readings = [(read, places)] if places else []
    for found in glued(read) if shown else ():  # each match ends where a new word begins
        spaced, place = _rewritten(read, [(m.end(), m.end()) for m in found.finditer(read)], " ")
        readings.append((spaced, [*places, place]))
    return readings


def read_through(
    text: str, shown: bool = True, targets: Sequence[Target] | None = None, folded: str | None = None
) -> list[str]:
    """The texts ``find_matches`` reads besides ``text`` itself (the screens before it must
    pass any of them that holds a target; ``targets``: only readings that could hold one;
    ``folded``: the text's ``normalise``, when the caller has it)."""
    return [read for read, _ in _rereadings(text, shown, targets, folded)]


def _rewritten(text: str, spans: list[tuple[int, int]], put: str) -> tuple[str, Callable[[int], int]]:
    """``text`` with each of ``spans`` (in order, apart) replaced by ``put``, and where each
    position of that text was in ``text`` (a position inside what was put: just after what it
    replaced)."""
    pieces, last = [], 0
    starts, shifts = [0], [0]  # a position p at or after starts[k] was p + shifts[k]
    for start, end in spans:
        pieces += [text[last:start], put]
        last = end
        starts.append(start - shifts[-1] + len(put))
        shifts.append(shifts[-1] + end - start - len(put))

    def place(p: int) -> int:
        k = bisect.bisect_right(starts, p) - 1
        return max(p + shifts[k], spans[k - 1][1] if k else 0)

    return "".join([*pieces, text[last:]]), place


def _longer(matches: list[Match], more: list[Match]) -> list[Match]:
    """Both readings' matches, not overlapping: the longer wins."""
    if not more:
        return matches
    kept: list[Match] = []
    for m in sorted(matches + more, key=lambda m: (m.start - m.end, m.start)):
        if not any(m.start < other.end and other.start < m.end for other in kept):
            kept.append(m)
    return kept


def _matches(
    text: str, targets: list[Target], ocr: bool, shown: bool = False, known: tuple[str, list[int] | None] | None = None
) -> list[Match]:
    """Matches of each form in turn (longest first); ``shown``: names of two words or more are
    also found with letters glued on (``forms.glued_body``), before the forms with edges.
    ``known``: ``_folded_page(text)``, when the caller has it."""
    folded, index = _folded_page(text) if known is None else known
    taken: list[tuple[int, int]] = []
    matches: list[Match] = []
    glued = [(t, glued_regex(_folded(t.text))) for t in targets if shown and _glued_body(t) is not None]
    # the glued forms first: a word of the name found with its edges must not keep the whole
    # name, glued, from being found ("Farida XKHANUM")
    searches = [(t, r) for t, r in glued if r is not None] + [(target, _regex(target, ocr)) for target in targets]
    for target, regex in searches:
        needles = _needles(target)
        if needles and not any(needle in folded for needle in needles):
            continue  # the form cannot be in this text: its regex need not look
        for m in regex.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            index = index if index is not None else normalise_with_map(text)[1]
            end = m.end() - (m.group()[-1] == "s" != _folded(target.text)[-1:])  # a plural's "s" stays
            matches.append(Match(index[m.start()], index[end - 1] + 1, target))
    return matches


def anonymise_text(text: str, targets: list[Target], *, ocr: bool = False) -> str:
    """``text`` with every match replaced by its pseudonym or ``[REDACTED]``.

    For our own words (case name, titles, bookmarks); sources go through the
    DOCX anonymiser or PDF redaction instead.
    """
    out, last = [], 0
    for match in find_matches(text, targets, ocr=ocr):
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


def anonymise_case(case: CaseDetails, targets: list[Target]) -> CaseDetails:
    """The case details as a public bundle prints them: every word we print on the cover,
    the parties' names included, with the pseudonyms."""
    words = {
        name: anonymise_text(getattr(case, name), targets)
        for name in ("case_name", "short_name", "bundle_name", "court")
    }
    parties = [Party(anonymise_text(p.name, targets), p.role) for p in case.parties]
    return dataclasses.replace(case, parties=parties, **words)
