"""Identifier patterns run near digits only: exactly the hits of a pass over the whole text.

``_reference`` is the plain matcher (every pattern over the whole text, as before
``pattern_windows``); ``find_patterns`` must give the very same spans on texts made
here (identifiers at window edges, at the text's start and end, beside digits, with
OCR's confusions, across line breaks, in long digit runs, with unicode digits and
non-breaking spaces, long runs of whitespace), on every string the other detection
tests use, and on the real PDFs of the shared corpus. The comparison cannot pass
vacuously: the texts hold hits of every pattern, the windows do leave text out, and
narrower windows (a broken reach) make the comparison fail.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bundler.core.anonymise import pattern_windows, patterns
from bundler.core.anonymise.pattern_windows import Reach, digit_runs, reach, windows
from bundler.core.anonymise.patterns import PATTERNS, Pattern, find_patterns
from tests.anonymise_texts import corpus_texts, strings_of_tests

HERE = Path(__file__).resolve().parent

IDENTIFIERS = [
    "QQ 12 34 56 C",
    "AB123456C",
    "hh 16 71 62\nc",
    "JT\t12\t34\t56\tD",
    "NI number HH\n16 71 62 C",
    "943 476 5919",
    "9434765919",
    "NHS number: 943-476-5919",
    "NHS no. 401 023 2137",
    "NHS is 4010232137",
    "020 7946 0958",
    "+44 (0) 20 7946 0958",
    "07700 900123",
    "0044 20 7946 0958",
    "(020) 7946-0958",
    "+44 20\n7946 0152",
    "0161 496\n0123",
    "07700\n900\n123",
    "SW1A 1AA",
    "M1 1AE",
    "b33 8th",
    "CR2 6XH",
    "DN55 1PT",
    "GIR 0AA",
    "EC1A1BB",
    "jane.doe@example.co.uk",
    "a.b+c@mail-host.org",
    "born on 5 January 1990",
    "date of birth: 05/01/1990",
    "DOB 1990-01-05",
    "d.o.b. 5th of March, 1980",
    "born in Lagos, on 12.3.85",
    "Date  of\nBirth 1 Jan\n2001",
    "dob: 31/12/99",
    "Jane Okafor-Hughes (14 Apr 1968)",
    "Kofi Osei Bonsu (born 3 June 2004)",
    "Amina Yusuf (b. 01/02/2003)",
    "A1234567",
    "B1234567/2",
    "Home Office reference: K1234567",
    "HO ref no. 1234-5678-9012-3456",
    "home office ref is ABCDEFGHIJKLM1",
    "Home\nOffice\nReference\nNumber : X/12-34",
    "1234-5678-9012-3456",
    "GWF012345678",
    "gwf 012345678",
    "ABC/1234567",
    "LHR/0437573/12",
    "LHR0437573",
    "Port reference: XYZ1234/56",
    "port ref. QQQQQQQQQQQQQQ77",
    "PA/01234/2020",
    "UI-2022-001234",
    "HU-2021-123456",
    "JR/1234/2020",
    "passport no. 123456789",
    "Passport number F49674546",
    "passport 123 456 789",
    "passport, issued in Lagos on the 3rd day of the month, no. DB3216142",
    "21 Castle Street, Leeds LS1 4DT",
    "Flat 2B, Rosebank Court,\n14 Mill Lane\nBradford\nBD3 3XP",
    "PO Box 123, Hull HU1 1AA",
    "12-14 Station Road\nYork",
    "I live at Fairview, Fernhill Square, Hull",
]
FILLER = ["the", "Claimant", "said", "page", "No.", "ref", "Home", "(", ")", "/", "-", ",", ".", ":", "born", "port"]
SPACES = [" ", "  ", "\t", "\n", " \n ", "\u00a0", "\r\n", " " * 40, "\n\n", "\t \t"]
DIGITS = "0123456789"
ODD_DIGITS = "\u0663\u0967\uff11\u00b2\u2467"  # Arabic-Indic 3, Devanagari 1, fullwidth 1, superscript 2, circled 8
OCR = str.maketrans({"0": "O", "1": "l", "5": "S", "O": "0", "I": "1"})


def _reference(text: str, patterns: tuple[Pattern, ...] = PATTERNS) -> list[tuple[Pattern, int, int]]:
    """The plain matcher: each pattern over the whole text (``find_patterns`` before windows)."""
    found: dict[tuple[int, int], Pattern] = {}
    lower = text.lower()
    for pattern in patterns:
        if pattern.needles and not any(needle in lower for needle in pattern.needles):
            continue
        if pattern.hint is not None and pattern.hint.search(lower) is None:
            continue
        for span in pattern.spans(text):  # no windows: the whole text
            found.setdefault(span, pattern)
    return [(pattern, start, end) for (start, end), pattern in sorted(found.items())]


def _varied(identifier: str, rng: random.Random) -> str:
    """One identifier as documents garble it: spacing, line breaks, OCR, odd digits, neighbours."""
    text = identifier
    if rng.random() < 0.3:
        text = text.replace(" ", rng.choice(SPACES))
    if rng.random() < 0.15:
        text = text.translate(OCR)
    if rng.random() < 0.1:
        at = rng.randrange(len(text))
        text = text[:at] + rng.choice(ODD_DIGITS) + text[at + 1 :]
    if rng.random() < 0.2:
        text = rng.choice(DIGITS) * rng.randint(1, 3) + text
    if rng.random() < 0.2:
        text += rng.choice(DIGITS + "-/") * rng.randint(1, 3)
    return text


def _piece(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return _varied(rng.choice(IDENTIFIERS), rng)
    if roll < 0.5:
        return "".join(rng.choice(DIGITS + " -/") for _ in range(rng.randint(1, 40)))
    if roll < 0.65:
        return rng.choice(SPACES) * rng.randint(1, 4)
    if roll < 0.7:
        return rng.choice(ODD_DIGITS) * rng.randint(1, 12)
    return rng.choice(FILLER)


def made_texts(count: int = 2500, seed: int = 12) -> Iterator[str]:
    """Texts made of identifiers, digits, whitespace and words, joined with and without spaces."""
    rng = random.Random(seed)
    yield from IDENTIFIERS  # each alone: at the text's start and end
    for _ in range(count):
        pieces = [_piece(rng) for _ in range(rng.randint(1, 30))]
        yield "".join(piece + (" " if rng.random() < 0.5 else "") for piece in pieces)
    for identifier in IDENTIFIERS:  # far from other digits, behind long gaps of each kind
        for gap in (0, 1, 5, 11, 30, 64, 65, 200, 290):
            yield f"{'7' * (gap % 7)}{' ' * gap}{'x' * (gap % 13)} {identifier} {'y' * gap}9"


def _test_strings() -> Iterator[str]:
    """Every string of the other detection tests: they were written to find the patterns' limits."""
    return strings_of_tests(HERE, "test_detect*.py")


@pytest.fixture(params=["as shipped", "windows everywhere"])
def everywhere(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """As shipped (no windows where digits are many), and with windows wherever a pattern allows
    them, so that the made texts, full of digits, test the windows themselves."""
    if request.param == "windows everywhere":
        monkeypatch.setattr(patterns, "_RUNS_EVERY", 1)
        monkeypatch.setattr(patterns, "_worth_windows", lambda text, runs, found: True)
    return str(request.param)


def _as_names(found: list[tuple[Pattern, int, int]]) -> list[tuple[str, int, int]]:
    return [(p.name, start, end) for p, start, end in found]


def _mismatches(texts: list[str]) -> list[str]:
    return [text for text in texts if _as_names(find_patterns(text)) != _as_names(_reference(text))]


def test_made_texts_give_the_same_spans(everywhere: str) -> None:
    texts = list(made_texts())
    assert _mismatches(texts) == []
    names = Counter(p.name for text in texts for p, _, _ in _reference(text))
    assert set(names) == {p.name for p in PATTERNS}, names  # every pattern hits: no vacuous comparison


def test_the_other_tests_strings_give_the_same_spans(everywhere: str) -> None:
    texts = list(_test_strings())
    assert len(texts) > 100
    assert _mismatches(texts) == []
    assert sum(len(_reference(text)) for text in texts) > 50


def test_real_pdfs_give_the_same_spans(everywhere: str) -> None:
    texts = corpus_texts()
    assert sum(map(len, texts)) > 10_000
    assert _mismatches(texts) == []


def test_windows_leave_text_out() -> None:
    """Near digits only: a page of words with one identifier is mostly not searched."""
    text = "word " * 400 + "NI number HH 16 71 62 C " + "word " * 400
    near = windows(text, digit_runs(text, 100) or [], Reach(64, words=False), text[::-1])
    assert len(near) == 1 and near[0][1] - near[0][0] < 200
    assert _as_names(find_patterns(text)) == [("ni-number", 2010, 2023)] == _as_names(_reference(text))


def test_pages_of_figures_are_searched_whole() -> None:
    """Windows pay where digits are few; around dates and numbers on every line they would cover it all."""
    sparse = "word " * 400 + "NI number HH 16 71 62 C " + "word " * 400
    figures = " ".join(str(n * 37 % 1000) for n in range(700))
    ni = next(p for p in PATTERNS if p.name == "ni-number")
    near = patterns._near(ni, sparse, digit_runs(sparse, 1000), sparse[::-1], {})
    assert near is not None and sum(end - start for start, end in near) < len(sparse) / 10
    assert patterns._near(ni, figures, digit_runs(figures, 10_000), figures[::-1], {}) is None
    assert digit_runs(figures, len(figures) // patterns._RUNS_EVERY) is None  # not even all counted


def test_which_patterns_run_in_windows() -> None:
    windowed = [p.name for p in PATTERNS if reach(p.regex) is not None]
    assert windowed.count("home-office-ref") == 4 and "postcode" in windowed and "uk-phone" in windowed
    assert reach(PATTERNS[0].regex) is None  # an address needs no digit ("Rose Cottage, Church Lane")


@pytest.mark.parametrize("shrink", [lambda units: units // 4, lambda units: units - 8, lambda units: units - 3])
def test_narrower_windows_lose_hits(monkeypatch: pytest.MonkeyPatch, shrink: Callable[[int], int]) -> None:
    """The mutation check: with narrower windows (used wherever allowed) the texts above find the difference."""

    def narrower(regex: re.Pattern[str]) -> Reach | None:
        found = reach(regex)
        return None if found is None else Reach(max(0, shrink(found.units)), found.words)

    monkeypatch.setattr(patterns, "reach", narrower)
    monkeypatch.setattr(patterns, "_SHORT", 0)
    monkeypatch.setattr(patterns, "_RUNS_EVERY", 1)
    monkeypatch.setattr(patterns, "_worth_windows", lambda text, runs, found: True)
    assert _mismatches(list(made_texts(count=600)))


def test_runs_of_whitespace_count_once_only_when_they_are_one_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk counting each space (not each run) would cut an NI number spread over 40 spaces."""
    text = "word " * 100 + "NI HH" + " " * 40 + "16 71 62 C " + "word " * 100
    monkeypatch.setattr(pattern_windows, "_walk", lambda r: pattern_windows.re.compile(rf"\S{{0,{r.units}}}"))
    assert _as_names(find_patterns(text)) != _as_names(_reference(text))
