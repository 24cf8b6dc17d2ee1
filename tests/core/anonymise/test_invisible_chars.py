"""Characters that print as nothing do not split a name for the matcher or the gate:
control characters (not white space) and Unicode's default-ignorable ones, as the
matcher already drops format characters ("Kha\u200dnum")."""

from __future__ import annotations

import pytest

from bundler.core.anonymise.gate.finder import _quick_fold, holds_target
from bundler.core.anonymise.terms import (
    Target,
    anonymise_text,
    find_matches,
    normalise,
    normalise_with_map,
    targets_from_register,
)
from bundler.core.model import Person, Register

TARGETS = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha")]))
INVISIBLE = [
    "\x00",
    "\x01",
    "\x08",
    "\x1b",
    "\x7f",
    "\x90",
    "\u034f",
    "\u115f",
    "\u3164",
    "\ufe0f",
    "\U000e0100",
    "\u17b4",
]


@pytest.mark.parametrize("ch", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_an_invisible_character_inside_the_name_hides_nothing(ch: str) -> None:
    form = f"Far{ch}ida Kha{ch}num"
    text = f"Statement of {form}, dated 3 May."
    assert [(m.start, m.end) for m in find_matches(text, TARGETS)] == [(13, 13 + len(form))]
    assert anonymise_text(text, TARGETS) == "Statement of Aisha, dated 3 May."
    assert holds_target(text, TARGETS)


@pytest.mark.parametrize("ch", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_the_quick_folds_agree_with_the_mapped_one(ch: str) -> None:
    text = f"A line with Far{ch}ida in it\nand more{ch} words - \nbroken"
    assert normalise(text) == normalise_with_map(text)[0]
    assert _quick_fold(text) == normalise_with_map(text)[0]


def test_white_space_controls_still_separate_words() -> None:
    assert normalise("Farida\tKhanum\x1cX") == "farida khanum x"
    assert normalise("Farida\x0bKhanum") == "farida khanum"


def test_a_right_to_left_override_is_read_as_a_viewer_shows_it() -> None:
    """ "\u202emunahK adiraF" shows as "Farida Khanum" in a bookmark panel: the gate reads it so."""
    assert holds_target("Statement of \u202emunahK adiraF\u202c.pdf", TARGETS)
    assert not holds_target("Statement of munahK adiraF.pdf", TARGETS)


def test_a_control_character_that_stands_for_a_drawn_glyph_still_parts_words() -> None:
    """PDFium shows an unmapped glyph as a control character ("\\x03habibi" in a real file):
    read with it kept, the word after it is found; read with it dropped, a name inside it."""
    targets = [Target("habibi", None, "t1", "identifier")]
    assert [(m.start, m.end) for m in find_matches("\u03f2\u0392\u03f4\u0392\x03habibi", targets)] == [(5, 11)]
    assert anonymise_text("Far\x00ida Khanum and Khanum", TARGETS) == "Aisha and Aisha"
