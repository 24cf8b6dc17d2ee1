"""People: short and word-like register forms need capitals and context; unnamed people are suggested.

Detection only. The matcher (and so redaction and the leak gate) keeps finding every
registered form in any case: the last tests here prove it did not get weaker.
"""

from __future__ import annotations

import pytest

from bundler.core.anonymise.detect import PERSON_RULE, Hit, detect_text
from bundler.core.anonymise.register import accept_hit
from bundler.core.anonymise.review import accept_hits, hit_state, planned_schedule, preview_accept_all
from bundler.core.anonymise.terms import Target, find_matches, targets_from_register
from bundler.core.model import Bundle, CaseDetails, Document, Person, Register
from bundler.core.templates import new_bundle

MAY = Person("May Yusuf", "Aisha", variants=["MY"], id="p-may")
PETER = Person("Peter Clarke", "Beth", id="p-peter")
TARGETS = targets_from_register(Register(people=[MAY, PETER]))


def _texts(text: str, targets: list[Target] | None = None) -> list[str]:
    return [h.text for h in detect_text("d", "T", [text], TARGETS if targets is None else targets, patterns=False)]


@pytest.mark.parametrize(
    "text",
    [
        "I went to my sister and to the shop at noon.",  # "MY" registered: not "my"
        "IN MY STATEMENT I SAID",  # a heading in capitals
        "The hearing is on 6 May 2020.",
        "It may be that May 2021 is too late.",
        "Will the court allow it? May I ask?",
        "PC Smith attended and PC Jones took notes.",  # Peter Clarke's initials are a title here
        "Our ref: PC/1238",
    ],
)
def test_short_and_word_like_forms_written_as_words_are_not_suggested(text: str) -> None:
    assert _texts(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May Yusuf said so.", ["May Yusuf"]),
        ("I told May that the letter came.", ["May"]),
        ("May said she was afraid.", ["May"]),
        ("The claimant (MY) and her son", ["MY"]),
        ("exhibit MY1 is the letter", ["MY"]),  # the registered initials, read apart from the exhibit's number
        ("Peter Clarke (PC) made a statement", ["Peter Clarke", "PC"]),
    ],
)
def test_short_and_word_like_forms_written_as_names_are(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_a_file_reference_is_no_exhibit_mark() -> None:
    targets = targets_from_register(Register(people=[Person("Amina Bakr", "CD")]))
    assert _texts("Our ref: AB/1238. See exhibit AB/12.", targets) == ["AB/12"]


def test_redaction_and_the_leak_gate_still_find_every_registered_form() -> None:
    text = "to my sister on 6 May; Will and PC Smith; our ref PC/1238"
    assert [text[m.start : m.end] for m in find_matches(text, TARGETS)] == ["my", "May"]
    will = targets_from_register(Register(people=[Person("Will Eze", "EF")]))
    assert [m.target.text for m in find_matches("Will and will", will)] == ["Will", "Will"]


# -- people the register does not name -------------------------------------------------


def _suggested(*pages: str) -> list[str]:
    return [h.text for h in detect_text("d", "T", list(pages), []) if h.rule == PERSON_RULE]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I, Tsegereda Haile, of Leeds, will say as follows", ["Tsegereda Haile"]),
        ("WITNESS STATEMENT OF TSEGEREDA HAILE", ["TSEGEREDA HAILE"]),
        ("Dear Ms Bekele,\n\nThank you", ["Bekele"]),
        ("DC Pennington attended with PC 4521 Lowther.", ["Pennington", "Lowther"]),
        ("Yours sincerely\n\n\nN. Mensah\nSolicitor", ["N. Mensah"]),
        ("my neighbour Habtom Gebreyes saw it", ["Habtom Gebreyes"]),
        ("her husband, Dawit, left", ["Dawit"]),
        ("Surname: KEBEDE\nForename(s): Tsion", ["KEBEDE", "Tsion"]),
        ("Nkechinyere Obi stated that she heard shouting", ["Nkechinyere Obi"]),
        ("We spoke to Amina Yusuf about it.", ["Amina Yusuf"]),  # a common given name starts it
    ],
)
def test_people_are_suggested_from_what_the_text_says(text: str, expected: list[str]) -> None:
    assert _suggested(text) == expected


def test_a_name_found_once_is_suggested_wherever_it_recurs() -> None:
    assert _suggested("I, Tsegereda Haile, say:", "Haile was not there. TSEGEREDA came later.") == [
        "Tsegereda Haile",
        "Haile",
        "TSEGEREDA",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "R (Aisha) v Secretary of State for the Home Department [2019] EWHC 123 (Admin)",
        "KM (Zimbabwe) v Secretary of State",
        "We wrote to the Home Office and to Wessex Police.",
        "Decision of Upper Tribunal Judge Blum; Judge Ahmed agreed; Mr Justice Lane refused.",
        "She was treated at St James's University Hospital and the Queen Elizabeth Hospital.",
        "The Helen Bamber Foundation helped her.",
        "She walked down Albert Road in March, on a Monday.",
        "Yours faithfully\n\nHarcourt & Lowe Solicitors",
        "Yours sincerely\n\nCaseworker\nHome Office",
        "Dear Sirs\n\nDear Sir or Madam,",
    ],
)
def test_look_alikes_are_not_suggested(text: str) -> None:
    assert _suggested(text) == []


def test_a_registered_pseudonym_is_not_suggested() -> None:
    targets = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha")]))
    hits = detect_text("d", "T", ['She will be referred to as "Aisha"; Aisha agrees.'], targets)
    assert hits == []


# -- accepting suggestions --------------------------------------------------------------


def _bundle_and_hits(text: str) -> tuple[Bundle, list[Hit]]:
    bundle = new_bundle("jr-claim", CaseDetails("A v B", "1"))
    return bundle, detect_text("d1", "Statement", [text], targets_from_register(bundle.register))


STATEMENT = "I, Amina Yusuf, of Leeds, say. My son Musa Yusuf is seven. Mrs Yusuf cried. Call 07700 900123."


def test_accepting_a_suggested_person_adds_a_person_with_a_cipher() -> None:
    bundle, hits = _bundle_and_hits(STATEMENT)
    suggested = [h for h in hits if h.rule == PERSON_RULE]
    assert [h.text for h in suggested] == ["Amina Yusuf", "Musa Yusuf", "Yusuf"]
    assert accept_hit(bundle, suggested[0]) == "'Amina Yusuf' added as a protected person, replaced with 'AB'"
    assert accept_hit(bundle, suggested[2]) == "covered by the register"
    accept_hits(bundle, suggested)
    assert [(p.name, p.pseudonym) for p in bundle.register.people] == [("Amina Yusuf", "AB"), ("Musa Yusuf", "CD")]
    assert {hit_state(bundle.register, h) for h in suggested} == {"accepted"}
    again = detect_text("d1", "Statement", [STATEMENT], targets_from_register(bundle.register))
    assert not [h for h in again if h.rule == PERSON_RULE]


def test_a_cipher_is_never_the_persons_own_initials() -> None:
    bundle, hits = _bundle_and_hits("I, Ali Bashir, of Leeds, say.")
    (hit,) = [h for h in hits if h.rule == PERSON_RULE]
    accept_hit(bundle, hit)
    assert bundle.register.people[0].pseudonym == "CD"  # "AB" are Ali Bashir's initials


def test_capitals_become_a_readable_name() -> None:
    bundle, hits = _bundle_and_hits("WITNESS STATEMENT OF CHIDI OKONKWO-\nREYES")
    accept_hits(bundle, [h for h in hits if h.rule == PERSON_RULE])
    assert [p.name for p in bundle.register.people] == ["Chidi Okonkwo-Reyes"]


def test_the_review_says_how_many_places_accepting_all_will_touch() -> None:
    bundle, hits = _bundle_and_hits(STATEMENT + " Her postcode is LS1 4AB; yes, LS1 4AB.")
    people = preview_accept_all(bundle, hits, rule=PERSON_RULE)
    assert (people.places, people.documents, people.entries) == (3, 1, 2)
    postcodes = preview_accept_all(bundle, hits, category="postcode")
    assert (postcodes.places, postcodes.entries) == (2, 1)
    assert bundle.register.people == [] and bundle.register.terms == []  # nothing accepted yet
    accept_hits(bundle, [h for h in hits if h.rule == PERSON_RULE])
    assert preview_accept_all(bundle, hits, rule=PERSON_RULE).places == 0


def test_the_planned_schedule_shows_the_new_cipher() -> None:
    bundle, hits = _bundle_and_hits("I, Amina Yusuf, of Leeds, say.")
    bundle.sections[0].documents.append(Document("s.pdf", "", "Statement", id="d1"))
    accept_hits(bundle, hits)
    assert [(r.category, r.action) for r in planned_schedule(bundle, hits) if r.category == "person"] == [
        ("person", "replaced with 'AB'")
    ]
