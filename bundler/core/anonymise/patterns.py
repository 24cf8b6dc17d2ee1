"""Patterns for identifiers a register may not list yet (PRODUCT.md §3).

Each pattern is a small named regex, optionally with a validator for what a regex
cannot say (an NHS number's checksum, a phone number's length). Where the digits
alone would be too common (a date, nine digits), the regex asks for a context word
before them ("born", "passport") and reports only the identifier itself, in the
group named ``hit``. Detection only suggests: a person accepts or rejects each hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bundler.core.anonymise.addresses import ADDRESS, ADDRESS_HINT, POSTCODE
from bundler.core.anonymise.pattern_windows import Reach, Window, digit_runs, reach, windows
from bundler.core.anonymise.words import ORG_WORDS

__all__ = ["Pattern", "PATTERNS", "find_patterns", "nhs_checksum_ok", "ni_number_ok", "uk_phone_ok"]


@dataclass(frozen=True)
class Pattern:
    name: str  # the rule is "pattern:<name>"
    category: str  # register category a hit suggests
    regex: re.Pattern[str]
    validate: Callable[[str], bool] | None = None  # the hit itself
    check: Callable[[re.Match[str]], bool] | None = None  # the whole match, context included
    needles: tuple[str, ...] = ()  # lower-case text that must be present for a hit (a quick test)
    hint: re.Pattern[str] | None = None  # a quicker regex that must find something in the lower-cased text

    def spans(self, text: str, near: list[Window] | None = None) -> Iterator[tuple[int, int]]:
        """(start, end) of each valid hit; the ``hit`` group when the regex has one.

        ``near``: the windows (``pattern_windows``) that hold every match; None: the whole text.
        """
        group = "hit" if "hit" in self.regex.groupindex else 0
        for m in self._matches(text, near):
            start, end = m.span(group)
            if self.validate is not None and not self.validate(text[start:end]):
                continue
            if self.check is None or self.check(m):
                yield start, end

    def _matches(self, text: str, near: list[Window] | None) -> Iterator[re.Match[str]]:
        if near is None:
            yield from self.regex.finditer(text)
        for start, end in near or ():
            yield from self.regex.finditer(text, start, end)


_SHORT = 64  # reaches up to this many units (characters) share one set of windows
_WORD = 6  # characters a word and its space take, about (for how much windows of words cover)
_RUNS_EVERY = _SHORT  # more runs of digits than one per this many characters: no window would pay


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def nhs_checksum_ok(value: str) -> bool:
    """Modulus 11 with weights 10..2; a remainder giving 10 is never issued."""
    digits = [int(d) for d in _digits(value)]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return check != 10 and (check % 11) == digits[9]


_NI_NEVER = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def ni_number_ok(value: str) -> bool:
    """Prefix letters are in the regex; a few pairs were never issued (HMRC)."""
    return value[:2].upper() not in _NI_NEVER


def uk_phone_ok(value: str) -> bool:
    """Ten (rarely nine) national digits after +44 / 0044 / 0, starting as UK numbers do."""
    digits = _digits(value)
    if value.startswith("+"):
        digits = digits[2:]
    elif digits.startswith("0044"):
        digits = digits[4:]
    national = digits.removeprefix("0")
    return 9 <= len(national) <= 10 and national[0] in "123578"


_EDGE = r"(?<![A-Za-z0-9])"  # an identifier starts and ends at a word edge
_END = r"(?![A-Za-z0-9])"
_S = r"[ \t]*\n?[ \t]*"  # wherever a space may be, a line may end
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}})"
)
# Between "born" and the date: no new clause ("born in the UK and on 5 January 2020 applied").
_DOB_GAP = r"(?:(?!\b(?:and|but|then|when|where|after|before|until|applied)\b|[.;])[\s\S]){0,30}?"
_NHS = r"\d{3}(?:[ -]|\n)?\d{3}(?:[ -]|\n)?\d{4}"
_REF_LABEL = r"(?:\s+(?:no\.?|number|is))?\s*[:.-]?\s*"
_TRIBUNAL = r"(?:AA|AS|DA|DC|EA|EU|HU|IA|JR|LD|LH|LP|OA|PA|RP|VA)"
_NAME_WORD = r"[A-Z][A-Za-z'\u2019]+(?:-\n?[A-Z][A-Za-z'\u2019]+)*"
_NOT_A_PERSON = ORG_WORDS | frozenset(
    "state secretary decision letter judgment order application report hearing appeal claim minister"
    " judge justice lord lady hhj mr mrs ms dr upper first-tier high".split()
)


def _names_a_person(m: re.Match[str]) -> bool:
    """'Jane Okafor-Hughes (14 Apr 1968)': the words before the date name a person, not a body."""
    words = re.split(r"[\s-]+", m.group("name").casefold())
    return _NOT_A_PERSON.isdisjoint(words)


def _p(
    name: str,
    category: str,
    regex: str,
    validate: Callable[[str], bool] | None = None,
    flags: int = 0,
    check: Callable[[re.Match[str]], bool] | None = None,
    needles: tuple[str, ...] = (),
    hint: re.Pattern[str] | None = None,
) -> Pattern:
    return Pattern(name, category, re.compile(regex, flags), validate, check, needles, hint)


PATTERNS: tuple[Pattern, ...] = (
    _p("address", "address", ADDRESS, hint=ADDRESS_HINT),
    _p("postcode", "postcode", rf"{_EDGE}(?P<hit>{POSTCODE}){_END}", flags=re.I),
    _p(
        "email",
        "email",
        r"(?<![\w.+-])(?P<hit>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
        needles=("@",),
    ),
    _p(  # labelled as an NHS number: wins over a phone number with the same digits
        "nhs-number",
        "nhs-number",
        rf"(?<!\w)NHS(?:\s+(?:no\.?|number))?\s*(?:is\s+)?[:.]?\s*(?P<hit>{_NHS})(?![\d-])",
        nhs_checksum_ok,
        flags=re.I,
        needles=("nhs",),
    ),
    _p(
        "uk-phone",
        "phone",
        r"(?<![\w+])(?P<hit>(?:(?:\+|00)44\s?(?:\(0\)\s?)?|\(?0)\d(?:(?:[ )-]|[ )]?\n){0,2}\d){8,9})(?!\d)",
        uk_phone_ok,
    ),
    _p(
        "ni-number",
        "ni-number",
        rf"{_EDGE}(?P<hit>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
        rf"{_S}\d{{2}}{_S}\d{{2}}{_S}\d{{2}}{_S}[A-D]){_END}",
        ni_number_ok,
        flags=re.I,
    ),
    _p(
        "nhs-number",
        "nhs-number",
        rf"(?<![\d-])(?P<hit>{_NHS})(?![\d-])",
        nhs_checksum_ok,
    ),
    _p(
        "date-of-birth",
        "date-of-birth",
        rf"(?<![\w.])(?:born|dob|d\.\s?o\.\s?b\.?|date\s+of\s+birth)(?!\w){_DOB_GAP}(?P<hit>{_DATE})(?!\d)",
        flags=re.I,
        needles=("born", "dob", "birth", "d.", "d. o"),
    ),
    _p(
        "date-of-birth",
        "date-of-birth",
        rf"(?<![\w-])(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,3}})[ \t]*\([ \t]*(?:(?i:born|b\.)[ \t]*)?"
        rf"(?P<hit>(?i:{_DATE}))[ \t]*\)",
        check=_names_a_person,
        needles=("(",),
    ),
    _p("home-office-ref", "home-office-ref", rf"{_EDGE}(?P<hit>[A-Z]\d{{7}}(?:/\d{{1,4}})?){_END}"),
    _p(
        "home-office-ref",
        "home-office-ref",
        rf"(?<!\w)(?:HO|home\s+office)\s+ref(?:erence)?(?![a-z])\.?{_REF_LABEL}"
        # a reference has a digit: without this, "reference" itself matched as "erence"
        rf"(?P<hit>(?=[A-Z/-]*\d)[A-Z0-9][A-Z0-9/-]{{4,}}[A-Z0-9])",
        flags=re.I,
        needles=("ref",),
    ),
    _p(
        "home-office-ref",
        "home-office-ref",
        r"(?<![\d-])(?P<hit>\d{4}-\d{4}-\d{4}-\d{4})(?![\d-])",
        needles=("-",),
    ),
    _p("home-office-ref", "home-office-ref", rf"{_EDGE}(?P<hit>GWF\d{{9}}){_END}", flags=re.I, needles=("gwf",)),
    _p(
        "port-ref",
        "port-ref",
        rf"(?<![A-Za-z0-9/])(?P<hit>[A-Z]{{3,4}}/\d{{5,10}}(?:/\d{{1,4}})?|(?!GWF|NHS|UAN)[A-Z]{{3}}\d{{6,9}}){_END}",
    ),
    _p(
        "port-ref",
        "port-ref",
        rf"(?<!\w)port\s+ref(?:erence)?(?![a-z])\.?{_REF_LABEL}"
        rf"(?P<hit>(?=[A-Z/-]*\d)[A-Z0-9][A-Z0-9/-]{{4,}}[A-Z0-9])",
        flags=re.I,
        needles=("port",),
    ),
    _p(
        "tribunal-ref",
        "tribunal-ref",
        rf"(?<![A-Za-z0-9/])(?P<hit>{_TRIBUNAL}/\d{{4,6}}/\d{{4}}|(?:UI|{_TRIBUNAL})-\d{{4}}-\d{{6}}){_END}",
        needles=("/", "-"),
    ),
    _p(
        "passport",
        "passport",
        # the number follows in the same sentence ("no. F49674546" is still the same sentence)
        r"(?<!\w)passport(?!\w)(?:(?!(?<!\bno)\.\s)[\s\S]){0,60}?(?<![\w-])"
        r"(?P<hit>\d{9}|\d{3}[ \t]\d{3}[ \t]\d{3}|[A-Z]{1,2}\d{7,8})(?![\w-])",
        flags=re.I,
        needles=("passport",),
    ),
)


def _worth_windows(text: str, runs: list[Window], found: Reach) -> bool:
    """False where windows around so many digits would cover most of the page anyway."""
    return len(runs) * found.units * (_WORD if found.words else 1) <= len(text)


def _near(
    pattern: Pattern, text: str, runs: list[Window] | None, backwards: str, near_by: dict[Reach, list[Window]]
) -> list[Window] | None:
    """Where ``pattern`` need look: windows around the digits, or None (the whole text).

    Short reaches share the windows of the longest of them (wider windows lose no match).
    Where digits are many (dates and numbers on every line), windows would cover most of
    the page and cost more than they save: the whole text is searched, as it always may be.
    """
    found = reach(pattern.regex) if runs is not None else None
    if found is not None and not found.words and found.units <= _SHORT:
        found = Reach(_SHORT, words=False)
    if found is None or runs is None or not _worth_windows(text, runs, found):
        return None
    if found not in near_by:
        near_by[found] = windows(text, runs, found, backwards)
    return near_by[found]


def find_patterns(text: str, patterns: tuple[Pattern, ...] = PATTERNS) -> list[tuple[Pattern, int, int]]:
    """Every valid hit of every pattern, in text order; a span found twice is kept once.

    A pattern whose every match holds a digit runs only in windows around the digits,
    which gives exactly what a pass over the whole text gives (``pattern_windows``).
    """
    found: dict[tuple[int, int], Pattern] = {}
    lower, runs, backwards = text.lower(), digit_runs(text, len(text) // _RUNS_EVERY), text[::-1]
    near_by: dict[Reach, list[Window]] = {}
    for pattern in patterns:
        if pattern.needles and not any(needle in lower for needle in pattern.needles):
            continue
        if pattern.hint is not None and pattern.hint.search(lower) is None:
            continue
        for span in pattern.spans(text, _near(pattern, text, runs, backwards, near_by)):
            found.setdefault(span, pattern)
    return [(pattern, start, end) for (start, end), pattern in sorted(found.items())]
