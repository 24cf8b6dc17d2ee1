"""UK postal addresses: one hit from the flat or house to the postcode, and what is no address."""

from __future__ import annotations

import pytest

from bundler.core.anonymise.detect import detect_text
from bundler.core.anonymise.patterns import find_patterns
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register, Term


def _addresses(text: str) -> list[str]:
    return [text[s:e] for pattern, s, e in find_patterns(text) if pattern.name == "address"]


ADDRESSES = [
    "21 Castle Street, Leeds LS1 4AB",
    "Flat 3, 21 Castle Street, Headingley, Leeds LS6 2AB",
    "Flat 2B, Rosebank Court, 14 Mill Lane, Bradford BD1 3QT",
    "Apartment 4, 7 Orchard Mews, Reading RG1 7QP",
    "PO Box 2045, Bradford",
    "P.O. Box 12, Leeds LS1 1AA",
    "Rose Cottage, Church Lane, Little Wenham, Ipswich IP7 6QT",
    "Sunnyside, Albert Gardens, Bradford BD3 3XP",
    "The Willows, Stanley Lane, Bradford BD2 1AB",
    "14a Moss Lane, Manchester",
    "12-14 Station Road, Croydon CR0 2AB",
    "Ground Floor Flat, 9 Belgrave Crescent, Bristol BS8 3DX",
    "Flat 3/2, 136 Brunswick Square, Glasgow G4 0XX",
    "77, St John's Grove, Stoke-on-Trent ST4 2AA",
    "21 CASTLE STREET, LEEDS LS1 4AB",
    "70a Carlton St., Belgrave, Leicester LE5 8RU",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_whole_address_is_one_hit(address: str) -> None:
    assert _addresses(f"She lives at {address}. Her son lives with her.") == [address]


def test_an_address_over_several_lines_of_a_letter() -> None:
    letter = "Ms Amina Yusuf\nApartment 37\nPrinces Tower\n54a Fernhill Gardens\nCardiff\nCF11 7LG\n\nDear Ms Yusuf"
    assert _addresses(letter) == ["Apartment 37\nPrinces Tower\n54a Fernhill Gardens\nCardiff\nCF11 7LG"]


def test_a_letter_line_after_the_address_is_not_a_town() -> None:
    assert _addresses("12 Elm Grove\nLeeds\nDear Mrs Yusuf") == ["12 Elm Grove\nLeeds"]


def test_without_a_postcode_a_house_name_needs_the_sentence_to_announce_an_address() -> None:
    assert _addresses("I live at Fairview, Fernhill Square, Newland, Hull.") == [
        "Fairview, Fernhill Square, Newland, Hull"
    ]
    assert _addresses("Dear Sir, Church Lane, Leeds.") == []


@pytest.mark.parametrize(
    "text",
    [
        "the shop on Castle Street on 12 May 2019",
        "Address: 1 Road, London",  # a number and a street kind, but no street name
        "IN THE HIGH COURT OF JUSTICE\nKING'S BENCH DIVISION\nADMINISTRATIVE COURT\nClaim No. CO/1234/2021",
        "at Waterside Court on 2017-03-07",
        "paragraph 12 Immigration Rules",
        "[2019] EWHC 123 (Admin)",
    ],
)
def test_what_is_no_address(text: str) -> None:
    assert _addresses(text) == []


def test_accepting_the_address_hit_protects_all_of_it() -> None:
    text = "I, Amina Yusuf, of Flat 3, 21 Castle Street, Leeds LS1 4AB, say"
    hits = detect_text("d", "T", [text], [])
    (address,) = [h for h in hits if h.category == "address"]
    assert address.text == "Flat 3, 21 Castle Street, Leeds LS1 4AB" and address.rule == "pattern:address"
    assert text[address.start : address.end] == address.text
    assert "LS1 4AB" in [h.text for h in hits if h.category == "postcode"]  # the postcode alone, too


def test_an_address_around_a_registered_postcode_is_still_suggested() -> None:
    register = Register(terms=[Term("LS1 4AB", category="postcode", id="t-pc")])
    hits = detect_text("d", "T", ["of 21 Castle Street, Leeds LS1 4AB."], targets_from_register(register))
    assert [(h.rule, h.text) for h in hits] == [
        ("pattern:address", "21 Castle Street, Leeds LS1 4AB"),
        ("register:t-pc", "LS1 4AB"),
    ]


def test_a_street_named_after_a_person_is_no_person() -> None:
    hits = detect_text("d", "T", ["We moved to 4 Albert Road, Leeds LS6 1AA last year."], [])
    assert {h.category for h in hits} == {"address", "postcode"}
    registered = targets_from_register(Register(people=[Person("Albert Mensah", "AB")]))
    assert "register:" + registered[0].source_id in {h.rule for h in detect_text("d", "T", ["Albert said"], registered)}
