"""The gate's fast fold drops exactly the combining marks and format characters, on every code point.

``gate._combining`` is filled lazily (one look-up per code point a text shows) instead
of being built over all 1.1 M code points up front; it must remove exactly what the full
table removes, whatever order the code points arrive in.
"""

from __future__ import annotations

import unicodedata

from bundler.core.anonymise.gate import gate


def _full_table() -> dict[int, None]:
    return {
        cp: None for cp in range(0x110000) if unicodedata.combining(chr(cp)) or unicodedata.category(chr(cp)) == "Cf"
    }


def test_lazy_table_drops_exactly_the_combining_marks_and_format_characters_on_every_code_point() -> None:
    every = "".join(map(chr, range(0x110000)))
    full = _full_table()
    assert len(full) > 900  # the full table is not empty: the comparison means something
    lazy = gate._CombiningTable()
    assert every.translate(lazy) == every.translate(full)
    assert every[::-1].translate(lazy) == every[::-1].translate(full)  # and again, from the filled table
    assert {cp for cp, kept in lazy.items() if kept is None} == set(full)


def test_fold_drops_accents_and_keeps_other_characters() -> None:
    assert gate._quick_fold("Fa\u0301rida  KHANUM \u4e2d\U0001e94ax") == "farida khanum \u4e2dx"
    assert gate._quick_fold("\U0010ffff\ud800") == "\U0010ffff\ud800"
