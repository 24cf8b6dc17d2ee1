"""The redactor's raw scan screens each text once before matching: it finds exactly what
matching every target over every text finds.

``LeakScanner.in_text`` runs the combined screen (``terms.screen``) over the folded text
and only then ``find_matches``; a screen that let a text through unmatched would let a
stream holding a name past the redactor's own check.
"""

from __future__ import annotations

import random

import pytest
from pypdf.generic import DecodedStreamObject, NameObject

from bundler.core.anonymise import uris
from bundler.core.anonymise.pdf.scan import LeakScanner
from bundler.core.anonymise.terms import find_matches, targets_from_register
from bundler.core.anonymise.uris import may_be_encoded, uri_forms
from bundler.core.model import Person, Register, Term

TARGETS = targets_from_register(
    Register(
        people=[Person("Farida Khanum", "Aisha", variants=["Mrs Khanum"]), Person("Anna Smith-Jones", "Cara")],
        terms=[Term("SW1A 1AA", category="postcode"), Term("NH 12 34 56 C", category="ni-number")],
    )
)
PIECES = [
    "Far", "ida", "Kha", "num", "Anna", "Smith", "Jones", "-", "-\n", " ", "\n", "\u200d", "\u0301", "\ufb01",
    "SW1A", "5W1A", "1AA", "IAA", "NH", "12", "34", "56", "C", "0", "%61", "%20", "+", "(", ")", "Tj", "\u00ad\n",
    "x", "X", "\u00b2", ".", "'",
]  # fmt: skip


def _unscreened(text: str, shown: bool) -> list[str]:
    forms = [text, *uri_forms(text)] if may_be_encoded(text) else [text]
    return [form[m.start : m.end] for form in forms for m in find_matches(form, TARGETS, ocr=True, shown=shown)]


@pytest.mark.parametrize("shown", [True, False], ids=["shown-text", "raw-bytes"])
def test_the_screened_scan_finds_exactly_what_matching_every_target_finds(shown: bool) -> None:
    scanner = LeakScanner(TARGETS)
    rng = random.Random(5)
    hits = 0
    for _ in range(20000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 10)))
        expected = _unscreened(text, shown)
        hits += bool(expected)
        assert scanner.in_text(text, shown=shown) == expected, repr(text)
    assert hits > 1000  # many texts hold a target: equality is tested where it matters


def test_a_stream_with_the_name_is_still_a_leak() -> None:
    scanner = LeakScanner(TARGETS)
    assert scanner.in_text("BT (Statement of the claimant) Tj ET") == []
    assert scanner.in_text("BT (Statement of Fa) Tj (rida Khanum) Tj ET") == ["Khanum"]  # the surname alone
    assert scanner.in_text("BT (Statement of Farida Kha-\nnum) Tj ET") == ["Farida Kha-\nnum"]
    assert scanner.in_text("https://example.org/?q=F%61rida+Khanum")


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream[NameObject("/Length")] = NameObject("/X")
    return stream


def test_a_freed_stream_does_not_lend_its_verdict_to_a_new_one() -> None:
    """The redactor's check runs in rounds over fresh readings of the file; a stream of an
    earlier round, once freed, must not pass its verdict to a new stream at the same address
    (a clean page was once taken for a leaking one, and the other way round is a leak)."""
    scanner = LeakScanner(targets_from_register(Register(people=[Person("Farida Khanum", "Aisha")])))
    for _ in range(300):
        named = _stream(b"BT (Farida Khanum) Tj ET")
        assert scanner._stream_leak(named) is not None
        del named
        clean = _stream(b"BT (Aisha) Tj ET")
        assert scanner._stream_leak(clean) is None
        del clean
        named = _stream(b"BT (Farida Khanum) Tj ET")
        assert scanner._stream_leak(named) is not None


def test_the_quick_precheck_of_encoded_text_is_the_regex() -> None:
    """``may_be_encoded`` looks for "%", "+" or "--" before its case-blind regex: it must say
    what the regex alone says, on escapes, pluses and punycode labels in any case."""
    pieces = [
        "%",
        "%6",
        "%61",
        "%zz",
        "%A",
        "+",
        "-",
        "--",
        "xn--",
        "XN--",
        "xN--",
        "Xn-",
        "x",
        "n",
        "a",
        " ",
        "\u2013",
    ]
    rng = random.Random(29)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(30_000)]
    for text in texts:
        assert may_be_encoded(text) == (uris._ENCODED.search(text) is not None), repr(text)
    assert sum(map(may_be_encoded, texts)) > 10_000  # both answers were compared
