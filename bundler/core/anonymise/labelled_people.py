"""The made-up people of one labelled document, their addresses and email addresses.

A person is mentioned the ways documents mention people: in full, as "Mrs Yusuf"
(the title is not part of the name), by first name, by surname, in capitals, with a
double-barrelled surname spaced or broken over a line. Addresses come as one line,
over several lines, with a flat or house name, as a PO box, or without a postcode.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bundler.core.anonymise.labelled_values import (
    BLOCKS,
    GIVEN_F,
    GIVEN_M,
    HOUSE_NAMES,
    OFFICERS,
    STREET_KINDS,
    STREETS,
    SURNAMES,
    TOWNS,
    Piece,
    Values,
)

__all__ = ["Castee", "make_cast", "address", "email"]

ROLES = ("claimant", "spouse", "child", "friend", "witness", "officer", "doctor")


@dataclass(frozen=True)
class Castee:
    given: str
    surname: str
    title: str  # Mr, Mrs, Ms, Miss, Dr, DC, PC, DS

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}"


def _person(rng: random.Random, surname: str | None = None, *, female: bool | None = None) -> Castee:
    female = rng.random() < 0.5 if female is None else female
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    title = rng.choice(["Mrs", "Ms", "Miss"] if female else ["Mr"])
    return Castee(given, surname or rng.choice(SURNAMES), title)


def make_cast(rng: random.Random) -> dict[str, Castee]:
    """The claimant, family, a friend or neighbour, a witness, a police officer, a GP."""
    claimant = _person(rng)
    family = claimant.surname if rng.random() < 0.7 else None
    cast = {
        "claimant": claimant,
        "spouse": _person(rng, family, female=claimant.title == "Mr"),
        "child": _person(rng, family),
        "friend": _person(rng),
        "witness": _person(rng),
        "officer": Castee(rng.choice(GIVEN_M + GIVEN_F), rng.choice(OFFICERS), rng.choice(["DC", "PC", "DS"])),
        "doctor": Castee(rng.choice(GIVEN_F + GIVEN_M), rng.choice(SURNAMES), "Dr"),
    }
    return cast


def _surname_written(rng: random.Random, surname: str) -> str:
    if "-" not in surname:
        return surname
    return rng.choice([surname, surname, surname.replace("-", " "), surname.replace("-", "-\n")])


def _titled(title: str, name: str) -> Piece:
    return Piece(f"{title} {name}", ((len(title) + 1, len(title) + 1 + len(name), "person"),))


def mention(rng: random.Random, person: Castee, form: str) -> Piece:
    """One mention of ``person`` (the title is never part of the name)."""
    surname = _surname_written(rng, person.surname)
    if form == "title":
        return _titled(rng.choice([person.title] * 4 + [person.title + "."]), surname)
    if form == "title_full":
        return _titled(person.title, f"{person.given} {surname}")
    if form == "numbered":  # a police officer with a collar number: "PC 4521 Walker"
        return _titled(f"{person.title} {rng.randint(1000, 9999)}", surname)
    text = {
        "full": f"{person.given} {surname}",
        "FULL": f"{person.given} {person.surname}".upper(),
        "given": person.given,
        "surname": surname,
        "SURNAME": person.surname.upper(),
        "initial": f"{person.given[0]}. {surname}",
        "surname_first": f"{person.surname.upper()}, {person.given}",
        "broken": f"{person.given}\n{surname}",
    }[form]
    return Piece(text, ((0, len(text), "person"),))


def _street(rng: random.Random) -> str:
    number = rng.choice(
        [str(rng.randint(1, 240))] * 6
        + [f"{rng.randint(1, 90)}a", f"{rng.randint(1, 20)}-{rng.randint(21, 40)}", f"{rng.randint(1, 99)},"]
    )
    kind = rng.choice(STREET_KINDS)
    kind = {"Street": "St.", "Road": "Rd", "Avenue": "Ave"}.get(kind, kind) if rng.random() < 0.1 else kind
    return f"{number} {rng.choice(STREETS)} {kind}"


def _lines(rng: random.Random, values: Values) -> tuple[list[str], str]:
    town, area, localities = rng.choice(TOWNS)
    postcode = values.postcode_text(area)
    street = _street(rng)
    shape = rng.randrange(8)
    if shape == 0:
        flat = rng.choice(
            [str(rng.randint(1, 30)), f"{rng.randint(1, 9)}B", f"{rng.randint(0, 3)}/{rng.randint(1, 2)}"]
        )
        lines = [f"Flat {flat}", street]
    elif shape == 6:
        lines = [rng.choice(["Ground Floor Flat", "Basement Flat", "First Floor Flat", "Room 4"]), street]
    elif shape == 1:
        lines = [f"Apartment {rng.randint(1, 60)}", rng.choice(BLOCKS), street]
    elif shape == 2:
        lines = [rng.choice(HOUSE_NAMES), street.split(" ", 1)[1]]
    elif shape == 7:
        return [street], postcode  # no town: "12 Elm Grove, LS6 2AB"
    elif shape == 3:
        lines = [f"PO Box {rng.randint(100, 9999)}"]
    else:
        lines = [street]
    if rng.random() < 0.5:
        lines.append(rng.choice(localities))
    return [*lines, town], postcode


def address(rng: random.Random, values: Values, *, multiline: bool = False) -> Piece:
    """A postal address; its postcode (when it has one) is planted inside it too."""
    lines, postcode = _lines(rng, values)
    with_postcode = multiline or rng.random() < 0.8
    if multiline:
        text = "\n".join([*lines, postcode])
    else:
        joined = ", ".join(lines)
        text = joined + (rng.choice([" ", ", "]) + postcode if with_postcode else "")
        if rng.random() < 0.1:
            text = text.upper()
    spans = [(0, len(text), "address")]
    if with_postcode:
        spans.append((len(text) - len(postcode), len(text), "postcode"))
    return Piece(text, tuple(spans))


def email(rng: random.Random, person: Castee) -> Piece:
    given, surname = person.given.lower(), person.surname.lower().replace("'", "").replace("-", "")
    local = rng.choice([f"{given}.{surname}", f"{given[0]}.{surname}{rng.randint(60, 99)}", f"{surname}_{given}"])
    text = f"{local}@{rng.choice(['example.com', 'example.co.uk', 'mail.example.org'])}"
    return Piece(text, ((0, len(text), "email"),))
