"""Detection: register forms, initials and identifier patterns, each with hits and near misses."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.detect import Hit, detect_text, page_texts
from bundler.core.anonymise.detect_pool import detect_documents
from bundler.core.anonymise.patterns import find_patterns, nhs_checksum_ok
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.errors import Cancelled, PasswordError, SourceError
from bundler.core.model import Person, Register, Term

FARIDA = Person("Farida Khanum", "Aisha", variants=["Mrs Khanum"], id="p-farida")
REGISTER = Register(people=[FARIDA], terms=[Term("SW1A 1AA", category="postcode", id="t-postcode")])
TARGETS = targets_from_register(REGISTER)


def _found(text: str) -> list[tuple[str, str]]:
    return [(pattern.name, text[start:end]) for pattern, start, end in find_patterns(text)]


# -- patterns: each with what it must find and what it must not -----------------------

POSITIVE = [
    ("postcode", "lives at 10 Downing Street, London SW1A 2AA now", "SW1A 2AA"),
    ("postcode", "address: sw1a1aa.", "sw1a1aa"),
    ("postcode", "Girobank GIR 0AA", "GIR 0AA"),
    ("postcode", "Manchester M1 1AE", "M1 1AE"),
    ("postcode", "Birmingham B33 8TH", "B33 8TH"),
    ("postcode", "Croydon CR2 6XH", "CR2 6XH"),
    ("postcode", "DN55 1PT is a postcode", "DN55 1PT"),
    ("postcode", "London EC1A1BB", "EC1A1BB"),
    ("uk-phone", "call +44 7700 900123 today", "+44 7700 900123"),
    ("uk-phone", "call +44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
    ("uk-phone", "mobile 07700 900123.", "07700 900123"),
    ("uk-phone", "mobile 07700900123", "07700900123"),
    ("uk-phone", "tel 020 7946 0958", "020 7946 0958"),
    ("uk-phone", "tel 0161 496 0123", "0161 496 0123"),
    ("uk-phone", "tel (01632) 960123", "(01632) 960123"),
    ("uk-phone", "tel 0044 20 7946 0958", "0044 20 7946 0958"),
    ("email", "write to farida.k+case@example.co.uk.", "farida.k+case@example.co.uk"),
    ("ni-number", "NI number AB 12 34 56 C", "AB 12 34 56 C"),
    ("ni-number", "NINO JT123456D", "JT123456D"),
    ("nhs-number", "NHS no. 943 476 5919", "943 476 5919"),
    ("nhs-number", "NHS 9434765919", "9434765919"),
    ("nhs-number", "NHS 943-476-5919", "943-476-5919"),
    ("date-of-birth", "She was born on 12 March 1990 in Kabul", "12 March 1990"),
    ("date-of-birth", "DOB: 01/02/1985", "01/02/1985"),
    ("date-of-birth", "D.O.B. 3rd Jan 1977", "3rd Jan 1977"),
    ("date-of-birth", "Date of birth: 1980-05-06", "1980-05-06"),
    ("date-of-birth", "born\nMarch 4, 2001", "March 4, 2001"),
    ("home-office-ref", "Our ref K1234567 refers", "K1234567"),
    ("home-office-ref", "HO ref: B1234567/002", "B1234567/002"),
    ("home-office-ref", "Home Office reference number: X9876543", "X9876543"),
    ("home-office-ref", "UAN 1234-5678-9012-3456.", "1234-5678-9012-3456"),
    ("home-office-ref", "application GWF012345678", "GWF012345678"),
    ("port-ref", "Port ref: LHR/1234567", "LHR/1234567"),
    ("port-ref", "port reference AB12-34567", "AB12-34567"),
    ("tribunal-ref", "Appeal PA/12345/2019 allowed", "PA/12345/2019"),
    ("tribunal-ref", "appeal HU/01234/2020.", "HU/01234/2020"),
    ("tribunal-ref", "(RP/00012/2020)", "RP/00012/2020"),
    ("tribunal-ref", "EA/01234/2021 and", "EA/01234/2021"),
    ("tribunal-ref", "DA/00123/2019", "DA/00123/2019"),
    ("tribunal-ref", "Upper Tribunal UI-2022-001234", "UI-2022-001234"),
    ("passport", "passport number 123456789 issued", "123456789"),
    ("passport", "Passport No.: 987654321", "987654321"),
]


@pytest.mark.parametrize(("name", "text", "expected"), POSITIVE, ids=[f"{p[0]}:{p[2]}" for p in POSITIVE])
def test_pattern_finds(name: str, text: str, expected: str) -> None:
    assert (name, expected) in _found(text)


NEGATIVE = [
    ("postcode", "Q1 1AA starts with Q"),
    ("postcode", "SW1A 1CA has C inward"),
    ("postcode", "room 12345 and B2"),
    ("uk-phone", "reference 12345678901"),
    ("uk-phone", "Paris +33 1 23 45 67 89"),
    ("uk-phone", "ext 0123"),
    ("uk-phone", "0900 123 4567 premium"),
    ("email", "not an email@ address"),
    ("ni-number", "GB 12 34 56 A never issued"),
    ("ni-number", "QQ 12 34 56 C placeholder"),
    ("ni-number", "AO 12 34 56 B has O second"),
    ("ni-number", "DA 12 34 56 B has D first"),
    ("ni-number", "AB 12 34 56 E has suffix E"),
    ("nhs-number", "NHS 943 476 5918 bad checksum"),
    ("nhs-number", "NHS 123 456 7890 bad checksum"),
    ("nhs-number", "1234-5678-9012-3456 is longer"),
    ("date-of-birth", "The hearing is on 12 March 2020."),
    ("date-of-birth", "born in Kabul, and many years later in court on 12 March 2020"),
    ("home-office-ref", "K12345678 has eight digits"),
    ("home-office-ref", "k1234567 lower case"),
    ("tribunal-ref", "AC-2019-LON-002345 is a claim number"),
    ("tribunal-ref", "XY/12345/2019 unknown list"),
    ("passport", "invoice 123456789 unrelated"),
    ("passport", "passport 12345678 too short"),
]


@pytest.mark.parametrize(("name", "text"), NEGATIVE, ids=[f"{n[0]}:{n[1][:20]}" for n in NEGATIVE])
def test_pattern_does_not_find(name: str, text: str) -> None:
    assert name not in [found for found, _ in _found(text)]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9434765918", False),
        ("0000000000", True),
        ("1000000000", False),
        ("943476591", False),
    ],
)
def test_nhs_checksum(value: str, ok: bool) -> None:
    assert nhs_checksum_ok(value) is ok


# -- register forms ----------------------------------------------------------------------


def _one(hits: list[Hit], rule_prefix: str = "register:") -> Hit:
    found = [hit for hit in hits if hit.rule.startswith(rule_prefix)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text",
    [
        "Statement of Farida Khanum dated",
        "STATEMENT OF FARIDA KHANUM",
        "statement of Farïda Khänum",
        "statement of Farida Kha-\nnum",
        "statement of Farida\n   Khanum",
        "statement of Farida Khanum\u2019s",
    ],
)
def test_register_forms_are_found_however_written(text: str) -> None:
    hit = _one(detect_text("d1", "Statement", [text], TARGETS, patterns=False))
    assert hit.rule == "register:p-farida" and hit.suggestion == "replace with Aisha"
    assert hit.category == "person" and hit.document == "Statement" and hit.page == 1
    assert hit.text.replace("-\n", "").replace("\n   ", " ").casefold().startswith("far")


def test_register_term_and_its_pattern_are_one_hit() -> None:
    hits = detect_text("d1", "Letter", ["Address: 1 Road, London SW1A 1AA."], TARGETS)
    assert [(h.rule, h.text, h.suggestion) for h in hits] == [("register:t-postcode", "SW1A 1AA", "redact")]


def test_redacted_person_is_suggested_for_redaction() -> None:
    register = Register(people=[Person("Omar Haddad", "", action="redact", id="p-omar")])
    hit = _one(detect_text("d", "T", ["Omar Haddad said"], targets_from_register(register)))
    assert hit.suggestion == "redact"


def test_initials_are_suggested() -> None:
    hits = detect_text("d", "T", ["Exhibit F.K. 1 and FK2 and F. K. again; Mr F Kelly"], TARGETS)
    initials = [(h.text, h.rule, h.category) for h in hits if h.category == "initials"]
    assert initials == [
        ("F.K.", "register:p-farida", "initials"),
        ("F. K.", "register:p-farida", "initials"),
    ]
    assert [h.text for h in detect_text("d", "T", ["FK 2 exhibit"], TARGETS)] == ["FK"]


def test_initials_equal_to_the_cipher_are_not_suggested() -> None:
    register = Register(people=[Person("Ali Bashir", "AB", id="p-ali")])
    hits = detect_text("d", "T", ["The claimant AB (A.B.) says"], targets_from_register(register))
    assert hits == []


def test_context_is_one_line_around_the_hit() -> None:
    text = "x" * 100 + " the witness\nFarida Khanum\nsaid that " + "y" * 100
    hit = _one(detect_text("d", "T", [text], TARGETS))
    assert "\n" not in hit.context
    assert hit.context.startswith("x") and "the witness Farida Khanum said that" in hit.context
    assert len(hit.context) <= 40 + len("Farida Khanum") + 40


def test_keys_are_stable_and_distinct() -> None:
    pages = ["Farida Khanum met Farida Khanum.", "Farida Khanum"]
    first = detect_text("d1", "T", pages, TARGETS)
    again = detect_text("d1", "Renamed", pages, TARGETS)
    assert [h.key for h in first] == [h.key for h in again]
    assert len({h.key for h in first}) == 3
    assert {h.key for h in detect_text("d2", "T", pages, TARGETS)}.isdisjoint(h.key for h in first)
    only_page_two = detect_text("d1", "T", ["nothing here", "Farida Khanum"], TARGETS)
    assert only_page_two[0].key == first[2].key  # a hit's key does not depend on other pages


def test_patterns_can_be_switched_off() -> None:
    text = "Farida Khanum, NHS 943 476 5919, claims@example.org"
    assert [h.rule for h in detect_text("d", "T", [text], TARGETS, patterns=False)] == ["register:p-farida"]
    rules = [h.rule for h in detect_text("d", "T", [text], TARGETS)]
    assert rules == ["register:p-farida", "pattern:nhs-number", "pattern:email"]


# -- documents -------------------------------------------------------------------------------


def _pdf(path: Path, pages: list[str]) -> Path:
    pdf = Canvas(str(path))
    for text in pages:
        pdf.setFont("Helvetica", 12)
        for n, line in enumerate(text.split("\n")):
            pdf.drawString(72, 760 - 16 * n, line)
        pdf.showPage()
    pdf.save()
    return path


class _Progress:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.stages: list[tuple[str, int]] = []
        self.done, self.cancel_after = 0, cancel_after

    def stage(self, name: str, total: int, unit: str = "") -> None:
        self.stages.append((name, total))

    def advance(self, steps: int = 1) -> None:
        self.done += steps

    def cancelled(self) -> bool:
        return self.cancel_after is not None and self.done >= self.cancel_after


def test_documents_are_read_page_by_page(tmp_path: Path) -> None:
    first = _pdf(tmp_path / "a.pdf", ["Cover", "Statement of Mrs Kha-\nnum, DOB: 01/02/1985"])
    second = _pdf(tmp_path / "b.pdf", ["Call 07700 900123"])
    progress = _Progress()
    hits = detect_documents([("a", "Statement", first), ("b", "Note", second)], REGISTER, progress=progress)
    assert [(h.document_id, h.page, h.rule) for h in hits] == [
        ("a", 2, "register:p-farida"),
        ("a", 2, "pattern:date-of-birth"),
        ("b", 1, "pattern:uk-phone"),
    ]
    assert hits[0].document == "Statement" and hits[1].text == "01/02/1985"
    assert progress.stages == [("Finding names and identifiers", 2)] and progress.done == 2


def test_cancel_stops_detection(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "a.pdf", ["Farida Khanum"])
    with pytest.raises(Cancelled):
        detect_documents([("a", "A", pdf), ("b", "B", pdf)], REGISTER, progress=_Progress(cancel_after=1))


def test_password_protected_document(corpus: Path) -> None:
    pdf = corpus / "real-pdfs" / "libreoffice-writer-password.pdf"
    register = Register(terms=[Term("consetetur sadipscing", id="t-lorem")])
    with pytest.raises(PasswordError, match="libreoffice-writer-password.pdf"):
        detect_documents([("x", "X", pdf)], register)
    hits = detect_documents([("x", "X", pdf)], register, password_for=lambda path: "openpassword")
    assert hits and {h.rule for h in hits} == {"register:t-lorem"}


def test_not_a_pdf_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.pdf"
    bad.write_text("just words")
    with pytest.raises(SourceError, match="notes.pdf"):
        page_texts(bad)


def test_corpus_text_is_extracted(corpus: Path) -> None:
    texts = page_texts(corpus / "real-pdfs" / "pdflatex-4-pages.pdf")
    assert len(texts) == 4 and all(text.strip() for text in texts)


def test_exhibit_marks_made_of_initials_are_found_and_keep_their_number():
    from bundler.core.anonymise.register import accept_hit
    from bundler.core.model import CaseDetails, Person
    from bundler.core.templates import new_bundle

    bundle = new_bundle("jr-claim", CaseDetails("A v B", "1"))
    bundle.register.people.append(Person("Farida Khanum", "Aisha"))
    text = "Exhibit FK1, and FK/12, but not FKA1 or AFK1."
    hits = detect_text("d", "Statement", [text], targets_from_register(bundle.register))
    assert [(h.text, h.category) for h in hits] == [("FK1", "exhibit-mark"), ("FK/12", "exhibit-mark")]
    assert [accept_hit(bundle, h) for h in hits] == [
        "exhibit mark 'FK1' will read 'A1'",
        "exhibit mark 'FK/12' will read 'A/12'",
    ]
    assert [(t.text, t.replacement) for t in bundle.register.terms] == [("FK1", "A1"), ("FK/12", "A/12")]
