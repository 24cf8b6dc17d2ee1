"""The matcher's regexes start with a lookahead of the characters a match can start with
(``forms._first_class``): the engine rejects most positions on one character. It must never
reject a position where the regex without it matches: the same matches, on texts made to hold
every form (spaced letters, joins, OCR's confusions, look-alikes, edges) and on real text."""

from __future__ import annotations

import random
import re

import pytest

from bundler.core.anonymise.forms import _first_class, form_regex
from bundler.core.anonymise.terms import _folded_page, screen, target_body, targets_from_register
from bundler.core.model import Person, Register, Term
from tests.anonymise_texts import CORPUS

REGISTER = Register(
    people=[
        Person("Farida Khanum", "Aisha", variants=["Mrs Khanum", "F. Khanum"]),
        Person("Anna Smith-Jones", "Cara"),
        Person("Zoë O'Brien", "Dee"),
        Person("Li", "E"),
    ],
    terms=[
        Term("SW1A 1AA", category="postcode"),
        Term("QQ 12 34 56 C", category="NI number"),
        Term("quashing order"),
        Term("07700 900123", category="phone"),
        Term("HO/123456/B", category="reference"),
        Term("x@y.org", category="email"),
    ],
)
TARGETS = targets_from_register(REGISTER)


def _without(pattern: re.Pattern[str]) -> re.Pattern[str]:
    first = re.match(r"\(\?=\[(?:\\.|[^\]\\])*\]\)", pattern.pattern)
    assert first is not None, "no lookahead: the speed-up does not apply"
    return re.compile(pattern.pattern[first.end() :])


def _texts() -> list[str]:
    rng = random.Random(7)
    pieces = [t.text for t in TARGETS] + [
        "f a r i d a k h a n u m",
        "smith-\njones",
        "sw1a-1aa",
        "5w1a 1aa",
        "qq123456c",
        "0770o 9oo123",
        "ho/l23456/8",
        "xfarida",
        "faridax",
        "k h a n u m s",
        "a k h a n u m",
        "li.",
        "(li)",
        "_li_",
        "ли",
        "mrs  khanum",
        "f.khanum",
        "o'brien",
        "zoe o brien",
        "Ｆarida",
        "ﬁ",
        "é",
        "\u00a0",
        "\t",
        "-",
        "‐",
    ]
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .,/()+-_'\n\u2010\u2013"
    texts = []
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.5:
                parts.append(rng.choice(pieces))
            else:
                parts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))))
        texts.append(rng.choice(["", " ", "x"]).join(parts))
    return texts


@pytest.mark.parametrize("ocr", [False, True])
def test_each_form_and_the_screen_match_as_without_the_lookahead(ocr: bool) -> None:
    texts = [_folded_page(text)[0] for text in _texts()]
    regexes = [screen(TARGETS, ocr=ocr)]
    regexes += [form_regex(*key) for key in _form_keys(ocr)]
    hits = 0
    for regex in regexes:
        plain = _without(regex)
        for text in texts:
            found = [m.span() for m in regex.finditer(text)]
            assert found == [m.span() for m in plain.finditer(text)], (regex.pattern, text)
            hits += bool(found)
    assert hits > 200  # the texts do hold the forms


def _form_keys(ocr: bool) -> list[tuple[str, bool, bool]]:
    from bundler.core.anonymise.forms import is_identifier
    from bundler.core.anonymise.terms import _folded

    return [(_folded(t.text), is_identifier(t.text, t.category), ocr) for t in TARGETS]


def test_real_text_is_screened_as_without_the_lookahead() -> None:
    regex = screen(TARGETS, ocr=True)
    plain = _without(regex)
    files = sorted(CORPUS.glob("*.pdf"))
    assert files
    import pypdfium2 as pdfium

    for path in files:
        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            continue
        for index in range(min(len(doc), 10)):
            text = _folded_page(doc[index].get_textpage().get_text_range())[0]
            assert [m.span() for m in regex.finditer(text)] == [m.span() for m in plain.finditer(text)]
        doc.close()


def test_a_pattern_that_may_start_anywhere_gets_no_lookahead() -> None:
    assert _first_class(r"(?<!x)\w+") == ""  # a category: any letter
    assert _first_class(r"a?") == ""  # may match nothing
    assert _first_class(r"(?i)abc") == ""  # ignoring case changes the letters
    assert _first_class(r"(?:a|b?)c") == "(?=[abc])"  # the optional branch lets "c" start it
    assert target_body(TARGETS[0]) and _first_class(f"(?:{target_body(TARGETS[0])})")
