"""The shared matcher: every form of a name and of an identifier, for every consumer.

Double-barrelled names are protected by each part and joined any way; identifiers
match whatever stands between their characters, and with OCR's confusions when asked.
Redaction, the DOCX anonymiser and the leak gate all use the matcher, so one PDF
and one DOCX prove the forms reach them.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise import terms
from bundler.core.anonymise.docx.anonymise import anonymise_docx
from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.pdf.redact import redact_pdf
from bundler.core.anonymise.terms import anonymise_text, find_matches, normalise_with_map, targets_from_register
from bundler.core.model import Person, Register, Term

REGISTER = Register(
    people=[Person("Chidi Okonkwo-Reyes", "AB", id="p-chidi"), Person("Kofi Osei Bonsu", "CD", id="p-kofi")],
    terms=[
        Term("O1234567", category="home-office-ref", id="t-ho"),
        Term("LS6 2AB", category="postcode", id="t-pc"),
        Term("AB 12 34 56 C", category="NI number", id="t-ni"),
    ],
)
TARGETS = targets_from_register(REGISTER)


def _found(text: str, *, ocr: bool = False) -> list[str]:
    return [text[m.start : m.end] for m in find_matches(text, TARGETS, ocr=ocr)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr Okonkwo said", "Okonkwo"),
        ("Mrs Reyes said", "Reyes"),
        ("Mr Okonkwo-Reyes said", "Okonkwo-Reyes"),
        ("Mr Okonkwo Reyes said", "Okonkwo Reyes"),
        ("Mr OkonkwoReyes said", "OkonkwoReyes"),
        ("Mr Okonkwo-\nReyes said", "Okonkwo-\nReyes"),
        ("Mr Okonkwo\nReyes said", "Okonkwo\nReyes"),
        ("Mr Osei-Bonsu said", "Osei-Bonsu"),  # registered with a space, written with a hyphen
        ("MR OSEI BONSU SAID", "OSEI BONSU"),
    ],
)
def test_every_part_of_a_double_barrelled_name(text: str, expected: str) -> None:
    assert _found(text) == [expected]


def test_a_hyphenated_registration_matches_without_the_hyphen() -> None:
    targets = targets_from_register(Register(people=[Person("Ama Osei-Bonsu", "EF")]))
    for text in ("Osei Bonsu", "Osei-Bonsu", "OseiBonsu", "Osei \u2013 Bonsu"):
        assert [text[m.start : m.end] for m in find_matches(text, targets)] == [text]


def test_short_parts_are_not_protected_alone() -> None:
    targets = targets_from_register(Register(people=[Person("Ali Al-Amin", "GH")]))
    assert {t.text for t in targets} == {"Ali Al-Amin", "Al-Amin", "Ali", "Amin"}  # "Al" alone is no name


@pytest.mark.parametrize(
    "text",
    ["O1234567", "O123 4567", "O-123-4567", "o1234567", "O.123.4567", "O/123/4567", "O123\n4567", "O 1 2 3 4 5 6 7"],
)
def test_identifiers_match_with_any_separator(text: str) -> None:
    assert _found(f"ref {text}.") == [text]


@pytest.mark.parametrize("text", ["ls62ab", "LS6\n2AB", "ab123456c", "AB-12-34-56-C", "AB 123456 C"])
def test_postcodes_and_ni_numbers_too(text: str) -> None:
    assert _found(f"see {text} here") == [text]


def test_identifiers_keep_their_edges() -> None:
    assert _found("X01234567 and O12345678 and O1234566") == []


@pytest.mark.parametrize(("text", "expected"), [("0l23 4S67", ["0l23 4S67"]), ("O1Z34567", ["O1Z34567"])])
def test_ocr_confusions_only_in_ocr_mode(text: str, expected: list[str]) -> None:
    assert _found(text) == []
    assert _found(text, ocr=True) == expected
    assert anonymise_text(f"ref {text}", TARGETS, ocr=True) == "ref [REDACTED]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("O K O N K W O - R E Y E S", ["O K O N K W O", "R E Y E S"]),  # a letterhead's tracking: each half
        ("Dear K O F I  O S E I  B O N S U,", ["K O F I  O S E I  B O N S U"]),
        ("Mr R E Y E S.", ["R E Y E S"]),
        ("t h e  r e y e s a l e", []),  # glyph-by-glyph text: no name inside a longer spaced word
        ("a b R E Y E S", []),  # nor right after a spaced letter
        ("R E Y E S x y", []),
    ],
)
def test_letter_spaced_names_stand_alone(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


def test_names_are_not_ocr_folded() -> None:
    assert _found("Mr 0konkwo said", ocr=True) == []


def test_fast_folding_agrees_with_folding_one_character_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    alphabet = list("aZ ß\t\n\r-\u00ad\u2010éÏ\u0301\ufb01\u2019'`İ\u00a0\u00a8x1.\ufffe\x02\u200bAb") + ["-\n", " \n"]
    rng = random.Random(11)
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))) for _ in range(3000)]
    fast = [normalise_with_map(text) for text in samples]
    monkeypatch.setattr(terms, "_PLAIN", re.compile("(?!)"))  # never matches: the slow path only
    assert fast == [normalise_with_map(text) for text in samples]


def _pdf(path: Path, lines: list[str]) -> Path:
    canvas = Canvas(str(path))
    for n, line in enumerate(lines):
        canvas.drawString(72, 740 - 18 * n, line)
    canvas.save()
    return path


LINES = ["Home Office ref: O-123-4567", "Mr Okonkwo Reyes of LS6 2AB", "Reyes signed."]


def test_the_leak_gate_finds_every_form(tmp_path: Path) -> None:
    leaks = leak_scan(_pdf(tmp_path / "a.pdf", LINES), TARGETS)
    assert {leak.target for leak in leaks} >= {"O1234567", "Okonkwo-Reyes", "Reyes", "LS6 2AB"}


def test_redaction_removes_every_form(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    redact_pdf(_pdf(tmp_path / "a.pdf", LINES), out, TARGETS)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Home Office ref:" in text and find_matches(text, TARGETS) == []
    assert not any(word in text for word in ("123", "4567", "Okonkwo", "Reyes", "LS6")), text
    assert leak_scan(out, TARGETS) == []


def test_docx_anonymisation_replaces_every_form(tmp_path: Path) -> None:
    src, dst = tmp_path / "a.docx", tmp_path / "b.docx"
    document = docx.Document()
    for line in LINES:
        document.add_paragraph(line)
    document.save(str(src))
    anonymise_docx(src, dst, TARGETS)
    text = "\n".join(p.text for p in docx.Document(str(dst)).paragraphs)
    assert text == "Home Office ref: [REDACTED]\nMr AB of [REDACTED]\nAB signed."


# --- punctuation inside a name ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr Okon-kwo said", ["Okon-kwo"]),  # a hyphen a reader reads through
        ("Mr O.k.o.n.k.w.o said", ["O.k.o.n.k.w.o"]),
        ("Mr Okon'kwo and Rey_es", ["Okon'kwo", "Rey_es"]),
        ("Mr Okon\u2010kwo-Re.yes said", ["Okon\u2010kwo-Re.yes"]),  # the whole name, not its halves
        ("Mr Oko\x00n-kwo said", ["Oko\x00n-kwo"]),  # with a control character too
        ("Kofi Osei-Bon/su", ["Kofi Osei-Bon/su"]),
        ("Re-\nyes and Rey.es", ["Re-\nyes", "Rey.es"]),
    ],
)
def test_punctuation_inside_a_name_does_not_hide_it(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "went so far. Reyes then",  # a space after the stop: two words, read as they are
        "Reyesville-Smith",
        "e-mail: reyesx@example.org",
    ],
)
def test_punctuation_between_words_keeps_their_edges(text: str) -> None:
    found = _found(text)
    assert found in ([], ["Reyes"], ["Okonkwo"]), found
    assert all(text[text.index(f) + len(f) : text.index(f) + len(f) + 1] in ("", " ") for f in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Okonkwo's", ["Okonkwo"]),  # the possessive keeps its "'s" (the apostrophe is the edge)
        ("the Reyeses", []),
        ("the Okonkwos came", ["Okonkwo"]),  # the plural found, its "s" kept out of the match
        ("xReyes", ["Reyes"]),
        ("XReyes and REYESx", ["Reyes", "REYES"]),
        ("Reyes\u00b2 \u00aaReyes \u00b5Reyes Reyes\u00bd", ["Reyes"] * 4),
        ("XREYES", []),  # capitals glued to capitals: a word to the matcher, as "prose" is not "Rose"
        ("Mr XOKONKWO XREYES said", ["OKONKWO XREYES"]),  # but two words of the name, however glued
        ("quashingokonkwoabcdereyes", []),  # not with more than two letters glued on each side
        ("kofix oseix bonsux", ["kofix oseix bonsu"]),
    ],
)
def test_plurals_and_glue(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


def test_raw_bytes_are_not_read_through_glue() -> None:
    """In a file's raw bytes random letters would make false hits: only shown text is read apart."""
    assert find_matches("WMReyesQ", TARGETS, shown=False) == []
    assert [m.target.text for m in find_matches("WMReyesQ", TARGETS)] == ["Reyes"]


def test_gate_and_redaction_read_through_punctuation(tmp_path: Path) -> None:
    source = _pdf(tmp_path / "a.pdf", ["Statement of Okon-kwo Re.yes, dated", "signed O.k.o.n.k.w.o"])
    assert {leak.target for leak in leak_scan(source, TARGETS)} >= {"Chidi Okonkwo-Reyes"[6:], "Okonkwo"}
    out = tmp_path / "out.pdf"
    redact_pdf(source, out, TARGETS)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    letters = "".join(ch for ch in text.casefold() if ch.isalpha() or ch == "\n")
    assert "okonkwo" not in letters and "reyes" not in letters and "statementof" in letters, text
    assert leak_scan(out, TARGETS) == []
