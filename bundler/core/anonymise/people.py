"""Suggest people the register does not name yet, from what the documents show.

Rules, not a model (offline, nothing to download). A name is suggested where the
text itself says it is one: "I, NAME, of", a title ("Mrs NAME", "DC NAME"),
"Dear NAME,", the name under "Yours sincerely", "my son NAME", "WITNESS STATEMENT
OF NAME", a label ("Victim: NAME"); or where a run of capitals starts with a common
given name (``given_names``). Every part of a name found so is then looked for
across the whole document, so "Yusuf" alone is suggested once "Amina Yusuf" was.

Look-alikes are left out: runs holding an organisation word ("Queen Elizabeth
Hospital", "Wessex Police"), streets, judges ("Judge Ahmed"), saints ("St James"),
and parties named in case citations ("R (Aisha) v Secretary of State").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from bundler.core.anonymise.given_names import GIVEN_NAMES
from bundler.core.anonymise.words import MONTHS, NOT_NAME_WORDS, ORG_WORDS, RELATIONS, SHORT_WORDS, WORD_NAMES

__all__ = ["suggest_people", "name_parts", "in_citation"]

Span = tuple[int, int]

_W = r"(?:[A-Z][a-z]*['\u2019])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-\n?[A-Z][a-z]+)*"
_U = r"(?:[A-Z]['\u2019])?[A-Z]{2,}(?:-\n?[A-Z]{2,})*"
_NAME = rf"{_W}(?:[ \t]+(?:[A-Z]\.?[ \t]+)?{_W}){{0,3}}"
_NAME_UP = rf"{_U}(?:[ \t]+{_U}){{0,3}}"
_ANY = rf"(?:{_NAME_UP}|{_NAME})"
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master)\.?"
_RANK = r"(?:(?:PC|DC|DS|DI|DCI|DSU|WPC|PS|Sgt)\.?|Sergeant|Inspector|Constable|Detective(?:[ \t]+[A-Z][a-z]+)?)"
_REL = "|".join(re.escape(r) for r in sorted(RELATIONS, key=len, reverse=True))
_OWNER = r"(?:[Mm]y|[Hh]er|[Hh]is|[Tt]heir|[Oo]ur|[Yy]our|the[ \t]+(?:claimant|appellant|applicant|victim)['\u2019]s)"
_LABEL = (
    r"(?:Name|Full[ \t]+name|Print[ \t]+name|Client|Our[ \t]+client|Claimant|Applicant|Appellant|Witness"
    r"|Victim|Suspect|Patient|Deponent|Informant|Surname|Family[ \t]+name|Forenames?(?:\(s\))?"
    r"|First[ \t]+names?|Given[ \t]+names?|Other[ \t]+names?)"
)
# Narrative around a run of two or three name words: "Bolanle Nwosu stated", "a call from
# Mulu Mirza", "I asked Precious Abubakar to".
_SAYS = r"(?:stated|said|says|told|explained|confirmed|reported|was[ \t]+spoken|gave[ \t]+evidence|works|lives)"
_SAYS_AFTER = re.compile(rf"[ \t]+{_SAYS}\b")
_TOLD_BEFORE = re.compile(
    r"(?:\b(?:call|calls|message|letter|email|statement|evidence)[ \t]+from|\b(?:spoke|spoken|talked|wrote|went)"
    r"[ \t]+(?:to|with)|\basked)[ \t]+$"
)
_RANK_NEEDLES = ("PC", "DC", "DS", "DI", "PS", "Sgt", "Sergeant", "Inspector", "Constable", "Detective")
_SIGN_OFF = r"(?:Yours[ \t]+(?:sincerely|faithfully|truly)|(?:Kind|Best)[ \t]+(?:regards|wishes)|Signed)"
# (rule, words one of which the text must hold for the rule to be worth running)
_CONTEXT_RULES: tuple[tuple[re.Pattern[str], tuple[str, ...] | frozenset[str]], ...] = tuple(
    (re.compile(rule), needles)
    for rule, needles in (
        (rf"\bI,[ \t]+(?:{_TITLE}[ \t]+|{_RANK}[ \t]+)?(?P<name>{_ANY})[ \t]*,", ("I,",)),
        (
            rf"\b{_TITLE}[ \t]+(?P<name>(?:[A-Z]\.?[ \t]+)?{_W}(?:[ \t]+{_W})?)",
            ("Mr", "Ms", "Miss", "Dr", "Mx", "Master"),
        ),
        (rf"\b(?:MR|MRS|MS|MISS|DR)\.?[ \t]+(?P<name>{_NAME_UP})", ("MR", "MS", "MISS", "DR")),
        (rf"\b{_RANK}[ \t]+(?:\d{{2,5}}[ \t]+)?(?P<name>{_W}(?:[ \t]+{_W})?)", _RANK_NEEDLES),
        (rf"\bDear[ \t]+(?P<name>{_W}(?:[ \t]+{_W})?)[ \t]*[,\n]", ("Dear",)),
        (
            rf"{_SIGN_OFF}[ \t]*[,:]?[ \t]*\n(?:[ \t]*\n){{0,3}}[ \t]*(?P<name>(?:[A-Z]\.[ \t]*)*{_ANY})[ \t]*(?=\n|$)",
            ("Yours", "regards", "wishes", "Signed"),
        ),
        # a relation stands between spaces, tabs or a comma: looked for as such a word (a set)
        (rf"\b{_OWNER}[ \t]+(?:[a-z]+[ \t]+)?(?:{_REL})[ \t]*,?[ \t]+(?P<name>{_NAME})", frozenset(RELATIONS)),
        (rf"STATEMENT[ \t]+OF[ \t]+(?P<name>{_NAME_UP})", ("STATEMENT",)),
        (rf"\b[Ss]tatement[ \t]+of[ \t]+(?P<name>{_NAME})", ("tatement",)),
        (rf"\b{_LABEL}[ \t]*:[ \t]*(?P<name>{_ANY})", (":",)),
        (rf"\bBetween[ \t]*\n(?:[ \t]*\n)*[ \t]*(?P<name>{_ANY})[ \t]*\n", ("Between",)),
        (
            rf"\b(?:in[ \t]+the[ \t]+name[ \t]+of|known[ \t]+as|named|called)[ \t]+(?P<name>{_NAME})",
            ("name of", "known as", "named", "called"),
        ),
    )
)
_RUN = re.compile(rf"{_W}(?:['\u2019]s)?(?:[ \t]+{_W}(?:['\u2019]s)?)*|{_U}(?:[ \t]+{_U})*")
_CAPITAL = re.compile("[A-Z]")  # where every run starts
_WORD = re.compile(r"[^\s]+")
_NOT_PARTS = NOT_NAME_WORDS | SHORT_WORDS | WORD_NAMES  # never looked for alone
_TOKEN = re.compile(r"(?<![\w'\u2019-])[A-Z][\w'\u2019]*(?:-\n?[A-Z][\w'\u2019]*)*(?![\w-])")
# Street kinds that are never surnames ("Albert Road"); Hill, Green, Lane, Park … can be.
_STREETS = frozenset("road rd street avenue ave close drive crescent terrace gardens mews square boulevard".split())
_CITATION_BEFORE = re.compile(r"(?:\bv\.?|\bR[ \t]*\(|application[ \t]+of)[ \t]*$")
_CITATION_AFTER = re.compile(r"\)?(?:[ \t]+\([A-Z][A-Za-z ]+\))?[ \t]+v\.?[ \t]")
_JUDGE_BEFORE = re.compile(r"(?:\b(?:Judge|Justice|HHJ|Lord|Lady|St|Saint|Master)\.?)[ \t]+$")


def _fold(word: str) -> str:
    return word.strip(".,'\u2019:;()").removesuffix("'s").removesuffix("\u2019s").casefold()


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(start + m.start(), start + m.end(), _fold(m.group())) for m in _WORD.finditer(text[start:end])]


def in_citation(text: str, start: int, end: int) -> bool:
    """A party named in a case citation: "R (Aisha) v", "KM (Zimbabwe) v", "Razgar v"."""
    return bool(_CITATION_BEFORE.search(text[max(0, start - 30) : start]) or _CITATION_AFTER.match(text, end))


def _look_alike(text: str, start: int, end: int) -> bool:
    """A judge, a saint or a party named in a case citation."""
    return in_citation(text, start, end) or _JUDGE_BEFORE.search(text[max(0, start - 30) : start]) is not None


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """The name without trailing non-name words; None when it is no name at all.

    A month may begin a name ("Dr May Dlamini") when a surname follows it.
    """
    words = _words(text, start, end)
    month_name = len(words) > 1 and words[0][2] in MONTHS
    if not words or (words[0][2] in NOT_NAME_WORDS and not month_name) or any(w[2] in ORG_WORDS for w in words):
        return None
    while words and words[-1][2] in NOT_NAME_WORDS:
        words.pop()
    if not words or _look_alike(text, start, words[-1][1]):
        return None
    return start, words[-1][1]


def _worth_running(text: str, needles: tuple[str, ...] | frozenset[str]) -> bool:
    """Whether ``text`` holds one of a rule's words: anywhere (a tuple, looked for with ``in``,
    quicker than a regex of them) or as a whole word between spaces, tabs and commas (a set)."""
    if isinstance(needles, frozenset):
        return not needles.isdisjoint(text.replace("\t", " ").replace(",", " ").split(" "))
    return any(needle in text for needle in needles)


def _by_context(text: str) -> Iterator[Span]:
    for rule, needles in _CONTEXT_RULES:
        if not _worth_running(text, needles):
            continue
        for m in rule.finditer(text):
            span = _trimmed(text, *m.span("name"))
            if span is not None:
                yield span


def _is_given(word: str) -> bool:
    return word in GIVEN_NAMES and word not in WORD_NAMES and word not in SHORT_WORDS and word not in NOT_NAME_WORDS


def _in_run(text: str, words: list[tuple[int, int, str]]) -> Iterator[Span]:
    """From a given name to the end of its run of name words (at most three more)."""
    for n, (start, _, word) in enumerate(words):
        if not _is_given(word) or (n and _is_given(words[n - 1][2]) and words[n - 1][1] + 1 >= start):
            continue
        tail = [w for w in words[n + 1 : n + 4]]
        cut = next((i for i, w in enumerate(tail) if w[2] in NOT_NAME_WORDS), len(tail))
        end = (tail[cut - 1] if cut else words[n])[1]
        if not _look_alike(text, start, end):
            yield start, end


def _told(text: str, words: list[tuple[int, int, str]]) -> Iterator[Span]:
    """The last two or three name words of a run the narrative says is a person."""
    while words and words[0][2] in NOT_NAME_WORDS:
        words = words[1:]
    words = words[-3:]
    if len(words) >= 2 and not _look_alike(text, words[0][0], words[-1][1]):
        yield words[0][0], words[-1][1]


def _runs(text: str) -> Iterator[re.Match[str]]:
    """What ``_RUN.finditer(text)`` gives, found quicker: a run starts with a capital, which a
    one-class regex finds fast, and is matched from there."""
    at = 0
    while (capital := _CAPITAL.search(text, at)) is not None:
        run = _RUN.match(text, capital.start())
        if run is None:
            at = capital.start() + 1
            continue
        yield run
        at = run.end()


@lru_cache(maxsize=8192)
def _holds_given_name(run: str) -> bool:
    """Kept for each run: the same few ("The", "Home Office") come again and again."""
    return any(_fold(word) in GIVEN_NAMES for word in run.split())


def _by_runs(text: str) -> Iterator[Span]:
    """Runs of capitalised words that start with a given name, or that the narrative marks."""
    for run in _runs(text):
        start, end = run.span()
        before = text[max(0, start - 30) : start]
        cue = before.rstrip().endswith(("from", "to", "with", "asked"))
        told = _SAYS_AFTER.match(text, end) or (cue and _TOLD_BEFORE.search(before))
        if not told and not _holds_given_name(run.group()):
            continue  # most runs ("The", "Home Office") hold no given name: skip the detail
        words = _words(text, start, end)
        if any(w[2] in ORG_WORDS or w[2] in _STREETS for w in words):
            continue
        if told:
            yield from _told(text, words)
        yield from _in_run(text, words)


def name_parts(text: str) -> set[str]:
    """The parts of a found name worth looking for alone: "Okafor-Hughes", "Okafor", "Hughes"."""
    parts: set[str] = set()
    for word in re.split(r"\s+", text.replace("-\n", "-")):
        word = word.strip(".,'\u2019")
        for part in (word, *word.split("-")):
            folded = part.casefold()
            if len(part) >= 3 and folded not in _NOT_PARTS:
                parts.add(part)
    return parts


def _again(text: str, parts: set[str], found: list[Span]) -> Iterator[Span]:
    """Each capitalised word of ``text`` that is one of ``parts``, unless it names a body or a judge."""
    for m in _TOKEN.finditer(text):
        if m.group().replace("-\n", "-") not in parts or any(s <= m.start() < e for s, e in found):
            continue
        run = _RUN.match(text, m.start())
        words = _words(text, *run.span()) if run else []
        if not any(w[2] in ORG_WORDS for w in words) and not _look_alike(text, *m.span()):
            yield m.span()


def _merged(spans: list[Span], text: str) -> list[Span]:
    """Overlapping spans as one; "Amina" and "Yusuf" side by side as "Amina Yusuf"."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and (start <= out[-1][1] or (start - out[-1][1] == 1 and text[out[-1][1]] in " -")):
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def suggest_people(pages: list[str]) -> list[list[Span]]:
    """(start, end) of each suggested person name on each page of one document."""
    found = [[*_by_context(text), *_by_runs(text)] for text in pages]
    parts = {part for text, spans in zip(pages, found, strict=True) for s, e in spans for part in name_parts(text[s:e])}
    parts |= {part.upper() for part in parts}
    if parts:
        for text, spans in zip(pages, found, strict=True):
            spans.extend(list(_again(text, parts, spans)))
    return [_merged(spans, text) for text, spans in zip(pages, found, strict=True)]
