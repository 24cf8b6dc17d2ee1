"""Letters of other scripts that print like Latin ones, and the one fold every matcher shares.

"F\u0430rid\u0430 Kh\u0430num" with Cyrillic small a (U+0430) prints exactly as "Farida
Khanum", and NFKD leaves it alone: without this table the redactor and the leak gate
read past it and the bundle shows the name. ``fold_letters`` is the per-character
fold of ``terms`` (the matcher) and of the gate's fast screen, so both see the name.

Where the table comes from: Unicode's confusables data (UTS #39, ``confusables.txt``,
not shipped here), its entries that map a letter to Latin letters where NFKD does not
already fold the letter, written out by hand and by character name, so a reader sees
what each one is. Added to them: the small letters case folding makes of capitals that
look Latin (Cyrillic К, М, Н, Т, В become к, м, н, т, в, which UTS #39 maps to small
capitals, not to k, m, h, t, b), Greek η and ω (n, w), the other small-capital Latin
letters, and Latin letters with a stroke, which NFKD does not take apart as it does
other diacritics ("Søren" is "Soren" as "Zoë" is "Zoe").
Left out: letters UTS #39 maps to digits (З to 3: OCR's confusions are ``forms``' job,
and folding would make hits in ordinary text), Hebrew, Arabic and Indic look-alikes
(common letters of their scripts that look like "o" or "l", and text in them holds no
Latin name), letters of rare and historic scripts (Runic, Lycian, Tifinagh...), and
look-alikes of two or more letters (Cyrillic ы for "bl"). Capital I-shapes fold to "i",
as Latin I does, where UTS #39 says "l".

Each letter folds to one or two Latin letters, so ``terms.normalise_with_map`` still
maps every folded character to the one it came from.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["LOOKALIKES", "FoldTable", "fold_letters"]

# Under each prefix of Unicode character names: the rest of the name, and the Latin letters
# the character prints as. Small letters unless a capital is there: a capital is case-folded
# to its small letter before the table is read again, and is listed only when that small
# letter looks like something else (Greek capital nu is an N, small nu a v).
# fmt: off
_BY_NAME: dict[str, dict[str, str]] = {
    "CYRILLIC SMALL LETTER": {
        "A": "a", "VE": "b", "SOFT SIGN": "b", "ES": "c", "KOMI DE": "d", "IE": "e", "ABKHASIAN CHE": "e",
        "KOMI SJE": "g", "EN": "h", "SHHA": "h", "BYELORUSSIAN-UKRAINIAN I": "i", "IOTA": "i", "PALOCHKA": "i",
        "JE": "j", "KA": "k", "EM": "m", "O": "o", "ER": "p", "QA": "q", "GHE": "r", "DZE": "s",
        "TE": "t", "IZHITSA": "v", "WE": "w", "OMEGA": "w", "HA": "x", "U": "y", "STRAIGHT U": "y",
    },
    "CYRILLIC SMALL LIGATURE": {"A IE": "ae"},
    "GREEK SMALL LETTER": {
        "ALPHA": "a", "BETA": "ss", "IOTA": "i", "KAPPA": "k", "ETA": "n", "OMICRON": "o", "SIGMA": "o",
        "RHO": "p", "TAU": "t", "UPSILON": "u", "NU": "v", "OMEGA": "w", "CHI": "x", "GAMMA": "y",
    },
    "GREEK CAPITAL LETTER": {
        "BETA": "b", "EPSILON": "e", "ETA": "h", "MU": "m", "NU": "n", "SAN": "m", "UPSILON": "y", "ZETA": "z",
    },
    "GREEK LETTER": {"DIGAMMA": "f", "YOT": "j"},
    "ARMENIAN SMALL LETTER": {
        "CO": "g", "HO": "h", "VO": "n", "RA": "n", "OH": "o", "GIM": "q", "ZA": "q", "SEH": "u", "AYB": "w",
    },
    "ARMENIAN CAPITAL LETTER": {"TIWN": "s"},
    "LATIN SMALL LETTER": {
        "ALPHA": "a", "AE": "ae", "B WITH STROKE": "b", "TONE SIX": "b", "BETA": "ss", "C WITH STROKE": "c",
        "D WITH STROKE": "d", "ETH": "d", "E WITH STROKE": "e", "BLACKLETTER E": "e", "F WITH STROKE": "f",
        "LENIS F": "f", "SCRIPT G": "g", "G WITH STROKE": "g", "G WITH PALATAL HOOK": "g", "TURNED DELTA": "g",
        "H WITH STROKE": "h", "DOTLESS I": "i", "I WITH STROKE": "i", "IOTA": "i", "DOTLESS J": "j",
        "J WITH STROKE": "j", "J WITH CROSSED-TAIL": "j", "KRA": "k", "L WITH STROKE": "l", "L WITH BAR": "l",
        "L WITH MIDDLE TILDE": "l", "O WITH STROKE": "o", "BLACKLETTER O": "o", "SIDEWAYS O": "o",
        "R WITH STROKE": "r", "R WITHOUT HANDLE": "r", "DOUBLE R": "r", "TONE FIVE": "s", "T WITH STROKE": "t",
        "U BAR": "u", "V WITH HOOK": "u", "U WITH SHORT RIGHT LEG": "u", "U WITH LEFT HOOK": "u",
        "VOLAPUK UE": "u", "TURNED M": "w", "CHI": "x", "Y WITH STROKE": "y", "GAMMA": "y", "Y WITH LOOP": "y",
        "V WITH PALATAL HOOK": "y", "Y WITH SHORT RIGHT LEG": "y", "Z WITH STROKE": "z",
    },
    "LATIN SMALL LIGATURE": {"OE": "oe"},
    "LATIN CAPITAL LETTER": {"BETA": "b"},
    "LATIN LETTER": {"DENTAL CLICK": "l"},
    "LATIN LETTER SMALL CAPITAL": {letter: letter.lower() for letter in "ABCDEFGHIJKLMNOPQRSTUVWYZ"},
    "CHEROKEE LETTER": {
        "GO": "a", "SI": "b", "YV": "b", "TLI": "c", "A": "d", "TSU": "d", "GV": "e", "NAH": "g", "YU": "g",
        "MI": "h", "NI": "h", "V": "i", "GU": "j", "TSO": "k", "TLE": "l", "LU": "m", "TLV": "p", "E": "r",
        "SV": "r", "DE": "s", "DU": "s", "I": "t", "DO": "v", "LA": "w", "TA": "w", "GI": "y", "MU": "y",
        "NO": "z",
    },
    "CHEROKEE SMALL LETTER": {"HU": "r"},  # case-folds to a capital that looks like no Latin letter
    "LISU LETTER": {
        "A": "a", "BA": "b", "CA": "c", "DA": "d", "PHA": "d", "E": "e", "TSA": "f", "GA": "g", "XA": "h",
        "I": "i", "JA": "j", "KA": "k", "LA": "l", "MA": "m", "NA": "n", "O": "o", "PA": "p", "ZHA": "r",
        "SA": "s", "TA": "t", "U": "u", "HA": "v", "WA": "w", "SHA": "x", "YA": "y", "DZA": "z",
    },
    "COPTIC SMALL LETTER": {"SIMA": "c", "O": "o", "RO": "p", "GAMMA": "r"},
    "COPTIC CAPITAL LETTER": {
        "HATE": "h", "IAUDA": "i", "KAPA": "k", "L-SHAPED HA": "l", "MI": "m", "NI": "n", "TAU": "t",
        "KHI": "x", "UA": "y",
    },
    "APL FUNCTIONAL SYMBOL": {
        "ALPHA": "a", "ALPHA UNDERBAR": "a", "IOTA": "i", "IOTA UNDERBAR": "i", "RHO": "p", "OMEGA": "w",
        "OMEGA UNDERBAR": "w", "EPSILON UNDERBAR": "e",
    },
    "TAI LE LETTER": {"NGA": "n", "PA": "u"},
    "CANADIAN SYLLABICS": {
        "CARRIER GHO": "a", "AIVILIK B": "b", "CARRIER KHE": "b", "KO": "d", "CARRIER THE": "d",
        "CARRIER PE": "d", "BLACKFOOT WE": "f", "NUNAVUT H": "h", "CO": "j", "MA": "l", "CARRIER GO": "m",
        "KI": "p", "TLHI": "r", "TE": "u", "PE": "v", "HK": "x", "SAYISI YI": "x",
    },
}
# fmt: on

# The table: each look-alike character and the Latin letters it prints as (lower case).
LOOKALIKES: dict[str, str] = {
    unicodedata.lookup(f"{prefix} {rest}"): latin for prefix, names in _BY_NAME.items() for rest, latin in names.items()
}
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"}  # "Farida’s" is "Farida's"
_FOLDS = {**LOOKALIKES, **_APOSTROPHES}


# Default-ignorable code points that are not format characters (Unicode's
# DerivedCoreProperties: the combining grapheme joiner, Hangul fillers, Khmer inherent
# vowels, Mongolian and other variation selectors): nothing is drawn for them.
_IGNORABLE = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0100, 0xE01EF),
)  # fmt: skip


_HOOKED = re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH ")


def _hooked(ch: str) -> str | None:
    """A Latin letter with a hook, tail, curl, loop, flourish or stroke that NFKD leaves whole
    ("\u0257" D WITH HOOK, "\u027e" R WITH FISHHOOK): the letter it is built on, by its
    Unicode name. Some 220 letters; the table above says otherwise where one looks like
    another letter (V WITH HOOK is a "u")."""
    m = _HOOKED.match(unicodedata.name(ch, ""))
    return m.group(1).lower() if m else None


def _invisible(ch: str) -> bool:
    """A default-ignorable character: the matcher drops it as it drops format characters.
    (Control characters are read both kept and dropped: ``terms.find_matches``.)"""
    cp = ord(ch)
    return any(low <= cp <= high for low, high in _IGNORABLE)


class FoldTable(dict[int, "int | str | None"]):
    """``str.translate`` table: combining marks, format and invisible characters dropped, look-alikes
    made Latin, curly apostrophes straight, everything else kept; filled one code point at a time.

    The matcher drops format characters too ("Kha\u200dnum" is "Khanum"). A code point is
    looked up the first time a text shows it, then kept, so the table grows with the
    characters seen, not the 1.1 M of Unicode, and translating stays at C speed."""

    def __missing__(self, cp: int) -> int | str | None:
        ch = chr(cp)
        folded: int | str | None = _FOLDS.get(ch) or _hooked(ch) or cp
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf" or _invisible(ch):
            folded = None
        self[cp] = folded
        return folded


@cache
def _table() -> FoldTable:
    return FoldTable()


def fold_letters(text: str) -> str:
    """``text`` decomposed (NFKD), without marks or format characters, look-alikes made
    Latin, apostrophes straight, case folded: characters as the matcher compares them.

    The table is read before case folding and again after it: a capital that looks Latin
    is folded as itself (Greek Η is an H, Ν an N), and a capital listed only by its small
    letter (Cyrillic К) as that. Whole texts fold as their characters one by one do."""
    if text.isascii():  # most text: every step maps one character alone, so one table does all
        return text.translate(_ascii_folds())
    return _full_fold(text)


def _full_fold(text: str) -> str:
    table = _table()
    return unicodedata.normalize("NFKD", text).translate(table).casefold().translate(table)


@cache
def _ascii_folds() -> dict[int, str]:
    """``fold_letters`` of each ASCII character, taken from the full fold itself."""
    return {cp: _full_fold(chr(cp)) for cp in range(128)}
