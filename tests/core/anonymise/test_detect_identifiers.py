"""Identifier patterns: line breaks inside numbers, passports, NI, port references, dates of birth."""

from __future__ import annotations

import pytest

from bundler.core.anonymise.detect import detect_text
from bundler.core.anonymise.patterns import find_patterns
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register


def _found(text: str) -> list[tuple[str, str]]:
    return [(pattern.name, text[s:e]) for pattern, s, e in find_patterns(text)]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("uk-phone", "call +44 20\n7946 0152 today", "+44 20\n7946 0152"),
        ("uk-phone", "tel 0161 496\n0123.", "0161 496\n0123"),
        ("ni-number", "NI number HH 16 71 62\nC.", "HH 16 71 62\nC"),
        ("ni-number", "NI number HH\n16 71 62 C.", "HH\n16 71 62 C"),
        ("nhs-number", "NHS 943 476\n5919", "943 476\n5919"),
    ],
)
def test_a_line_may_end_wherever_a_space_may_be(name: str, text: str, expected: str) -> None:
    assert (name, expected) in _found(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("passport no. F49674546 issued in Lagos", "F49674546"),
        ("her Nigerian passport DB3216142 was seized", "DB3216142"),
        ("passport number 804 104 218", "804 104 218"),
        ("a passport in the name of Amina Yusuf, number C19070899.", "C19070899"),
    ],
)
def test_passports_with_letters_or_spaces(text: str, expected: str) -> None:
    assert ("passport", expected) in _found(text)


@pytest.mark.parametrize("text", ["invoice F49674546", "passport 12345678 too short", "passport. Then 123456789"])
def test_what_is_no_passport(text: str) -> None:
    assert "passport" not in [name for name, _ in _found(text)]


def test_ni_numbers_in_lower_case() -> None:
    assert ("ni-number", "ab123456c") in _found("her NI number is ab123456c.")
    assert ("ni-number", "jt 12 34 56 d") in _found("NINO jt 12 34 56 d")


def test_port_references_without_a_slash_and_no_junk() -> None:
    assert ("port-ref", "LHR0437573") in _found("encountered at Heathrow, LHR0437573.")
    assert _found("the port reference is LHR/0437573") == [("port-ref", "LHR/0437573")]
    assert _found("the port reference is not known") == []  # not "erence"
    assert _found("application GWF012345678") == [("home-office-ref", "GWF012345678")]


def test_an_nhs_number_with_its_label_is_not_a_phone_number() -> None:
    assert _found("My NHS number is 053 353 6634.") == [("nhs-number", "053 353 6634")]


@pytest.mark.parametrize(
    "text",
    [
        "Jane Okafor-Hughes (14 Apr 1968) is my sister.",
        "our client JANE OKAFOR (14/04/1968)",
        "Musa Yusuf (born 3 March 2015)",
    ],
)
def test_a_name_then_a_date_in_brackets_is_a_date_of_birth(text: str) -> None:
    assert [name for name, _ in _found(text)] == ["date-of-birth"]


@pytest.mark.parametrize(
    "text",
    [
        "She was born in the UK and on 5 January 2020 applied for a passport.",
        "born in Kabul, and many years later in court on 12 March 2020",
        "the decision of the Home Office (14 April 2019)",
        "Mr Justice Lane (14 April 2019) dismissed it",
        "letter dated 3 March 2021",
    ],
)
def test_dates_that_are_no_date_of_birth(text: str) -> None:
    assert "date-of-birth" not in [name for name, _ in _found(text)]


def test_a_name_inside_an_email_address_does_not_hide_the_address() -> None:
    targets = targets_from_register(Register(people=[Person("Amina Yusuf", "AB", id="p-amina")]))
    hits = detect_text("d", "T", ["Write to amina.yusuf@example.com today."], targets)
    # the whole name through its dot ("amina.yusuf": the matcher reads through a mark inside a word)
    assert [(h.rule, h.text) for h in hits] == [
        ("register:p-amina", "amina.yusuf"),
        ("pattern:email", "amina.yusuf@example.com"),
    ]
