"""The gate's finder remembers what a short text holds (a file repeats its keys and operators
thousands of times): a remembered text must give the same findings, at each place it is met,
and what is remembered stays bounded."""

from __future__ import annotations

from bundler.core.anonymise.gate import finder as finder_module
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
