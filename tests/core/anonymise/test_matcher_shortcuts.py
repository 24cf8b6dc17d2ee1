"""Detection's shortcuts change nothing: the same matches and names as the plain way.

``find_matches`` folds plain ASCII pages by whole-text substitutions (the index only
when a form is found) and skips a words form whose first word (plain or letter-spaced)
is not in the folded page; ``people`` finds runs of capitals from a quick capital search and tests
its rules' words with ``in`` (the relations: as whole words). Each is compared here with
the plain way (the folding loop, no skipping, ``_RUN.finditer``, one regex of the words) on texts made to
reach the edges, on the other tests' strings and on the shared corpus's PDFs.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bundler.core.anonymise import people, terms
from bundler.core.anonymise.terms import find_matches, targets_from_register
from bundler.core.model import Person, Register, Term
from tests.anonymise_texts import corpus_texts, strings_of_tests

HERE = Path(__file__).resolve().parent

NAMES = [
    "Farida Khanum",
    "FARIDA KHANUM",
    "Fa-\nrida Kha-\nnum",
    "f a r i d a k h a n u m",
    "F A R I D A",
    "Farída",
    "Faridakhanum",
    "Farida-Khanum",
    "Farida \u2010 Khanum",
    "Far\u00adida",
    "Far\ufffe\nida",
    "Khanum's",
    "Khanum\u2019s",
    "Okonkwo-Reyes",
    "Okonkwo Reyes",
    "OKONKWO-\nREYES",
    "Reyes",
    "Zoë Ng",
    "Zoe Ng",
    "ZOË",
    "\ufb01ona Lee",
    "Fiona Lee",
    "quashing order",
    "Quashing  Order",
    "quashing-order",
    "AB 12 34 56 C",
    "ab123456c",
    "AB-12/34.56 C",
    "A8 l2 34 S6 C",
    "Mrs Khanum",
    "Mrs. Khanum",
    "FK",
    "F. K.",
    "FK1",
    "Annual",
    "Farid",
    "Faridas",
    "my son, Kofi Osei Bonsu",
]
PEOPLE_TEXT = [
    "my son, Amina Yusuf",
    "her\tbrother-in-law,  Kofi Mensah",
    "his step son Tom Jones",
    "Our mother Jane Doe",
    "the claimant's husband, Tariq Aziz",
    "my sons Ali Khan",
    "I, Precious Abubakar, of",
    "Dear Mrs Okafor,",
    "Yours sincerely,\n\nBolanle Nwosu\n",
    "DC 1234 Mark Evans",
    "WITNESS STATEMENT OF AMINA YUSUF",
    "Statement of Jane Smith",
    "Victim: Mulu Mirza",
    "Between\n\nJOHN DOE\n",
    "known as Sam Reid",
    "Bolanle Nwosu stated",
    "a call from Mulu Mirza",
    "Home Office",
    "Queen Elizabeth Hospital",
    "R (Aisha) v Secretary of State",
    "McDonald said",
    "iPhone",
    "NHS",
    "I A",
    "Judge Ahmed",
    "St James",
    "Albert Road",
    "May Dlamini",
    "Dr May Dlamini",
]
SPACES = [" ", "  ", "\t", "\n", " \n ", ", ", ",", "\u00a0", "-\n", "\r\n"]


def made_texts(count: int = 1500, seed: int = 7) -> Iterator[str]:
    rng = random.Random(seed)
    pieces = NAMES + PEOPLE_TEXT + ["the", "and", "said", "was", "Officer", "Police", "(", ")", "12", "page 4"]
    yield from pieces
    for _ in range(count):
        parts = [rng.choice(pieces) for _ in range(rng.randint(1, 25))]
        yield "".join(part + rng.choice(SPACES) for part in parts)


def _test_strings() -> Iterator[str]:
    return strings_of_tests(HERE, "test_*.py")


def _register() -> Register:
    return Register(
        people=[
            Person("Farida Khanum", "Aisha", variants=["Mrs Khanum"]),
            Person("Okonkwo-Reyes", "Bola"),
            Person("Zoë Ng", "", action="redact"),
            Person("Fiona Lee", "FL"),
        ],
        terms=[
            Term("quashing order", category="identifier", action="replace", replacement="[order]"),
            Term("AB123456C", category="ni-number"),
        ],
    )


def _spans(texts: list[str], ocr: bool) -> list[list[tuple[int, int, str]]]:
    targets = targets_from_register(_register())
    return [[(m.start, m.end, m.target.text) for m in find_matches(text, targets, ocr=ocr)] for text in texts]


@pytest.mark.parametrize("ocr", [False, True])
def test_find_matches_is_the_same_without_the_shortcut(monkeypatch: pytest.MonkeyPatch, ocr: bool) -> None:
    texts = [*made_texts(), *_test_strings(), *corpus_texts()]
    new = _spans(texts, ocr)
    with monkeypatch.context() as patched:
        patched.setattr(terms, "_needles", lambda target: ())  # the plain way: every form's regex everywhere
        patched.setattr(terms, "_folded_page", terms.normalise_with_map)  # ... over text folded by the loop
        plain = _spans(texts, ocr)
    assert new == plain
    assert sum(map(len, plain)) > 1000  # not vacuous: many matches of many forms
    assert len({m[2] for spans in plain for m in spans}) >= 8


ASCII_PIECES = [
    "a",
    "B",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "-",
    "-\n",
    "- \n ",
    " -",
    "--\n",
    "x-y",
    "\x02",
    "\x02 ",
]
ASCII_PIECES += ["`", "\x0b", "\x0c", "\x1c", "\x1f", "\x01", "Word", "Kha-\n  num", "O'Neil", "\u00e9", "\u00ad\n"]


def test_plain_ascii_pages_fold_as_the_loop_folds() -> None:
    rng = random.Random(3)
    texts = ["", " ", "\n\n", "-", "-\n", "\x02", *ASCII_PIECES, *_test_strings(), *corpus_texts()]
    texts += ["".join(rng.choice(ASCII_PIECES) for _ in range(rng.randint(0, 14))) for _ in range(60_000)]
    for text in texts:
        folded, index = terms._folded_page(text)
        assert (folded, index or terms.normalise_with_map(text)[1]) == terms.normalise_with_map(text), repr(text)
        assert (index is None) == text.isascii()


def test_the_shortcut_does_skip_forms() -> None:
    target = next(t for t in targets_from_register(_register()) if t.text == "Farida Khanum")
    assert terms._needles(target) == ("farida", "f a r i d a")
    assert find_matches("nothing to see", [target]) == []


def _plain_runs(text: str) -> Iterator[re.Match[str]]:
    return people._RUN.finditer(text)


def _plain_worth_running(text: str, needles: tuple[str, ...] | frozenset[str]) -> bool:
    return re.search("|".join(map(re.escape, needles)), text) is not None


def test_suggested_people_are_the_same_without_the_shortcuts(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = [list(made_texts(count=300, seed=n)) for n in range(4)]
    documents += [list(_test_strings()), corpus_texts()]
    new = [people.suggest_people(pages) for pages in documents]
    with monkeypatch.context() as patched:
        patched.setattr(people, "_runs", _plain_runs)
        patched.setattr(people, "_worth_running", _plain_worth_running)
        plain = [people.suggest_people(pages) for pages in documents]
    assert new == plain
    assert sum(len(spans) for pages in plain for spans in pages) > 500


def test_runs_and_rules_one_text_at_a_time() -> None:
    texts = [*made_texts(), *_test_strings(), *corpus_texts()]
    for text in texts:
        assert [m.span() for m in people._runs(text)] == [m.span() for m in _plain_runs(text)], text
        for _, needles in people._CONTEXT_RULES:
            if people._worth_running(text, needles) != _plain_worth_running(text, needles):
                assert isinstance(needles, frozenset)  # the relations' gate is narrower, never wider
                assert not people._worth_running(text, needles)
    assert any(people._worth_running(text, people._CONTEXT_RULES[6][1]) for text in texts)
