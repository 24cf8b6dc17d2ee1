"""The gate's finder remembers what a short text holds (a file repeats its keys and operators
thousands of times), and the text operands of a short stream (the gate reads each page stamp
twice): a remembered text must give the same findings, at each place it is met,
and what is remembered stays bounded."""

from __future__ import annotations

from bundler.core.anonymise.gate import finder as finder_module
from bundler.core.anonymise.gate import syntax
from bundler.core.anonymise.gate.finder import _Finder
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register, Term

TARGETS = targets_from_register(
    Register(people=[Person("Farida Khanum", "Aisha")], terms=[Term("SW1A 1AA", category="postcode")])
)
TEXTS = [
    "/Length",
    "BT (Farida Khanum) Tj ET",
    "F a r i d a  K h a n u m",
    "sw1a-1aa",
    "Far\x00ida Khanum",
    "\u202emunahK adiraF",
    "F%61rida+Khanum",
    "Smith-\nJones and Farida-\nKhanum",
    "",
]


def test_a_remembered_text_gives_the_same_findings_at_each_place() -> None:
    fresh = [list(_Finder(TARGETS).leaks(f"object {i}", i, text)) for i, text in enumerate(TEXTS)]
    finder = _Finder(TARGETS)
    for round_ in range(3):  # met again and again, at other places
        for i, text in enumerate(TEXTS):
            found = list(finder.leaks(f"object {i}", i, text))
            assert found == fresh[i], (round_, text)
    assert sum(bool(f) for f in fresh) >= 6  # the texts do hold the targets
    moved = list(finder.leaks("annotation on page 9", 9, TEXTS[1]))
    assert moved and all(leak.place == "annotation on page 9" and leak.page == 9 for leak in moved)


def test_what_is_remembered_stays_bounded(monkeypatch) -> None:
    monkeypatch.setattr(finder_module, "_REMEMBER", 10_000)
    finder = _Finder(TARGETS)
    for n in range(2_000):
        list(finder.leaks("x", None, f"operator {n} " * 5))
    assert finder._size <= 10_000
    long_text = "Farida Khanum " + "x" * 5_000  # longer than what is remembered: searched each time
    assert list(finder.leaks("y", None, long_text)) and long_text not in finder._held


STREAMS = [
    b"BT /F1 10 Tf 551 19 Td (101) Tj ET",
    b"BT [(Far) 20 (ida)] TJ ( Khanum) Tj ET",
    b"BT <466172696461> Tj ET BT (Khanum) Tj ET",
    b"q 1 0 0 1 0 0 cm Q",
    b"BT (Fa\\162ida \\(Khanum\\)) Tj ET",
]


def test_a_stamps_text_operands_are_remembered_and_the_same(monkeypatch) -> None:
    fresh = [syntax._operands(data) for data in STREAMS]
    memo = syntax._Remembered(2048, 600)  # a budget small enough to be spent and cleared
    monkeypatch.setattr(syntax, "_remembered", memo)
    for _ in range(20):
        assert [syntax.text_operands(data) for data in STREAMS] == fresh
    assert memo._held <= 600 + max(len(d) + 2 * len(t) + 100 for d, t in zip(STREAMS, fresh, strict=True))
    assert "Farida" in fresh[1] and "Farida" in fresh[2] and "Farida (Khanum)" in fresh[4]
    long_stream = b"BT (Farida Khanum) Tj ET " + b"0 0 m " * 1000  # longer than what is remembered
    assert "Farida Khanum" in syntax.text_operands(long_stream) and long_stream not in memo._texts
