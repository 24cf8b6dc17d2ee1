"""Accepting a suggested person (rule ``suggest:person``): a new Person with a cipher.

The suggestion's text becomes the person's name, on one line ("OKAFOR-⏎HUGHES" is
"Okafor-Hughes"); the pseudonym is a two-letter cipher nobody in the register uses
and that is not anyone's initials (a cipher must not point back to the name).
A suggestion the register already covers in full ("Yusuf" once "Amina Yusuf" is
in it) adds nothing.
"""

from __future__ import annotations

import re
from itertools import product
from typing import TYPE_CHECKING

from bundler.core.anonymise.terms import Target, find_matches, targets_from_register
from bundler.core.model import Person, Register

if TYPE_CHECKING:
    from bundler.core.anonymise.detect import Hit

__all__ = ["suggested_person", "new_cipher", "name_from_hit", "covering_person"]

# Letters OCR and readers confuse (I, O, Q) are left out of ciphers; "AB", "CD" … come first.
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_FIRST_CIPHERS = ("AB", "CD", "EF", "GH", "JK", "LM", "NP", "RS", "TU", "VW", "XY")


def name_from_hit(text: str) -> str:
    """One line, single spaces; a name written in capitals gets ordinary capitals."""
    name = re.sub(r"-\s+", "-", " ".join(text.split()))
    return name.title() if name.isupper() else name


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.split(r"[\s-]+", name) if word[:1].isalpha()).upper()


def new_cipher(register: Register, name: str) -> str:
    """Two capitals no one uses as a pseudonym and that are no one's initials (this name's included)."""
    taken = {re.sub(r"[\s.]", "", p.pseudonym).upper() for p in register.people}
    taken |= {_initials(p.name) for p in register.people} | {_initials(name)}
    others = ("".join(pair) for pair in product(_LETTERS, repeat=2))
    return next(c for c in (*_FIRST_CIPHERS, *others) if c not in taken and c[0] != c[1])


def _person_targets(register: Register) -> list[Target]:
    return [t for t in targets_from_register(register) if t.category == "person"]


def covering_person(register: Register, text: str, targets: list[Target] | None = None) -> Person | None:
    """The registered person whose forms cover every word of ``text``; None if any word is left."""
    targets = _person_targets(register) if targets is None else targets
    matches = find_matches(text, targets)
    words = [m.span() for m in re.finditer(r"[^\W\d_][\w'\u2019-]*", text)]
    if not matches or not all(any(m.start <= s and e <= m.end for m in matches) for s, e in words):
        return None
    return next((p for p in register.people if p.id == matches[0].target.source_id), None)


def suggested_person(register: Register, hit: Hit) -> tuple[str, str] | None:
    """The name a suggestion proposes and a new cipher for it; None when the register covers it."""
    name = name_from_hit(hit.text)
    if covering_person(register, name) is not None:
        return None
    return name, new_cipher(register, name)
