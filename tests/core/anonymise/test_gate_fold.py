"""The gate's fast fold is the matcher's fold, on every code point.

``lookalikes.FoldTable`` is filled lazily (one look-up per code point a text shows) instead
of being built over all 1.1 M code points up front; it must map exactly what the full
table maps, whatever order the code points arrive in. And ``fold_letters`` over a whole
text (the gate) must give what it gives one character at a time (``terms``' index map).
"""

from __future__ import annotations

import random
import re
import unicodedata

from bundler.core.anonymise import lookalikes
from bundler.core.anonymise.gate import finder
from bundler.core.anonymise.gate.syntax import printable_runs
from bundler.core.anonymise.lookalikes import fold_letters

EVERY = "".join(map(chr, range(0x110000)))
# Default-ignorable code points that are neither format characters nor combining marks
# (Unicode's DerivedCoreProperties.txt), which print as nothing.
IGNORABLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, *range(0x180B, 0x1810)}
IGNORABLE |= {*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}


def _full_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(ch): latin for ch, latin in lookalikes._FOLDS.items()}
    for cp in range(0x110000):
        ch = chr(cp)
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf" or cp in IGNORABLE:
            table[cp] = None
        elif cp not in table:  # a Latin letter with a hook, tail or stroke NFKD keeps whole
            words = unicodedata.name(ch, "").split() + ["", "", "", "", ""]
            latin = words[0] == "LATIN" and words[1] in ("SMALL", "CAPITAL") and words[2] == "LETTER"
            if latin and len(words[3]) == 1 and words[4] == "WITH":
                table[cp] = words[3].lower()
    return table


def test_lazy_table_maps_exactly_as_the_full_table_on_every_code_point() -> None:
    full = _full_table()
    assert sum(v is None for v in full.values()) > 900 and len(lookalikes.LOOKALIKES) > 200  # not vacuous
    lazy = lookalikes.FoldTable()
    assert EVERY.translate(lazy) == EVERY.translate(full)
    assert EVERY[::-1].translate(lazy) == EVERY[::-1].translate(full)  # and again, from the filled table
    assert {cp: kept for cp, kept in lazy.items() if kept != cp} == full


def test_a_whole_text_folds_as_its_characters_one_by_one() -> None:
    assert fold_letters(EVERY) == "".join(fold_letters(ch) for ch in EVERY)


def test_fold_drops_accents_makes_look_alikes_latin_and_keeps_other_characters() -> None:
    assert finder._quick_fold("Fa\u0301rida  KHANUM \u4e2d\U0001e94ax") == "farida khanum \u4e2dx"
    assert finder._quick_fold("F\u0430rid\u0430\u2019s K\u041d\u0410NUM") == "farida's khanum"
    assert finder._quick_fold("\U0010ffff\ud800") == "\U0010ffff\ud800"


def test_one_space_is_the_regex_on_every_mix_of_whitespace() -> None:
    """``finder._one_space`` gives what ``re.sub(r"\\s+", " ", …)`` gives: every code point
    regex counts as whitespace, and every one it does not, at the start, the end and between
    words, alone and in runs; and the printable runs of random bytes, as images give them."""
    spaces = re.compile(r"\s+")
    white = [ch for ch in EVERY if spaces.fullmatch(ch)]
    assert white == [ch for ch in EVERY if ch.isspace()]  # the two agree on what whitespace is
    alphabet = [*white, "a", "Z", "\u200b", "\ufeff", "\x00", "\x1c", "é", "\ud800"]
    rnd = random.Random(2026)
    texts = ["", " ", "a", *white, *(f"{w}a{w}{w}b{w}" for w in white)]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))) for _ in range(50_000)]
    texts += [printable_runs(rnd.randbytes(20_000)) for _ in range(20)]
    for text in texts:
        assert finder._one_space(text) == spaces.sub(" ", text), repr(text)
