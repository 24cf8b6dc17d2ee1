"""A labelled test set for detection: documents with every planted identifier marked.

``labelled_set(seed)`` writes witness statements, letters before claim, Home Office
letters, police reports and tribunal decisions from the templates in
``labelled_templates``, filling each slot with a made-up person or identifier
(``labelled_people``, ``labelled_values``) and recording where it went. Look-alikes
(case citations, claim numbers, page references, money, judges, other dates) are
written in but not marked: reporting them is a false alarm. The same seed gives the
same set. Detection is scored against it in ``tests/core/anonymise/test_detect_scores.py``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from bundler.core.anonymise.labelled_people import Castee, address, email, make_cast, mention
from bundler.core.anonymise.labelled_templates import DOCUMENTS, LOOK_ALIKES
from bundler.core.anonymise.labelled_values import COUNSEL, GIVEN_F, Piece, Values

__all__ = ["Planted", "LabelledPage", "LabelledDocument", "labelled_set"]

_SLOT = re.compile(r"\{(\w+)(?::(\w+))?\}")
_FORMS = ("full", "full", "title", "title", "given", "given", "surname", "FULL", "initial", "title_full", "broken")


@dataclass(frozen=True)
class Planted:
    start: int
    end: int
    kind: str  # person, address, postcode, phone, email, ni-number, nhs-number, passport, ...


@dataclass(frozen=True)
class LabelledPage:
    text: str
    planted: tuple[Planted, ...]


@dataclass(frozen=True)
class LabelledDocument:
    id: str
    kind: str
    pages: tuple[LabelledPage, ...]
    people: tuple[str, ...]  # the full names of the people it mentions (for a register)
    paragraphs: int


class _Writer:
    """Fills one document's slots; the cast stays the same throughout the document."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.values = rng, Values(rng)
        self.cast = make_cast(rng)
        self.mentioned: dict[str, Castee] = {}
        v = self.values
        self.makers: dict[str, Callable[[str], Piece]] = {
            "address": lambda form: address(rng, v, multiline=form == "lines"),
            "phone": lambda form: v.phone(),
            "email": lambda form: email(rng, self._person("claimant")),
            "ni": lambda form: v.ni_number(),
            "nhs": lambda form: v.nhs_number(),
            "passport": lambda form: v.passport(),
            "dob": lambda form: v.dob(),
            "ho_ref": lambda form: v.ho_ref(),
            "uan": lambda form: Piece(u := "-".join(v.digits(4) for _ in range(4)), ((0, len(u), "home-office-ref"),)),
            "port_ref": lambda form: v.port_ref(),
            "tribunal_ref": lambda form: v.tribunal_ref(),
            "exhibit": lambda form: self._exhibit(),
            "counsel": lambda form: self._counsel(),
            "date": lambda form: Piece(v.date(2012, 2024)),
            "our_ref": lambda form: Piece(self._our_ref()),
            "rel_spouse": lambda form: Piece(rng.choice(["husband", "wife", "partner"])),
            "rel_child": lambda form: Piece(rng.choice(["son", "daughter"])),
        }

    def _person(self, role: str) -> Castee:
        self.mentioned[role] = self.cast[role]
        return self.cast[role]

    def _initials(self) -> str:
        claimant = self.cast["claimant"]
        return f"{claimant.given[0]}{claimant.surname[0]}"

    def _exhibit(self) -> Piece:
        self._person("claimant")
        text = self._initials() + self.rng.choice(["1", "2", "/3", "/12", "5"])
        return Piece(text, ((0, len(text), "exhibit-mark"),))

    def _counsel(self) -> Piece:
        """Counsel or a presenting officer: a person, but not one the case's register names."""
        person = Castee(self.rng.choice(GIVEN_F), self.rng.choice(COUNSEL), self.rng.choice(["Ms", "Mr", "Miss"]))
        name = mention(self.rng, person, "title")
        return Piece(name.text + self.rng.choice([" of counsel", ", the Presenting Officer"]), name.spans)

    def _our_ref(self) -> str:
        digits = self.values.digits(4)
        return self.rng.choice([f"{self._initials()}/{digits}", f"HL/{digits}/{self._initials()}", f"MK/{digits}"])

    def piece(self, slot: str, form: str | None) -> Piece:
        if slot in self.cast:
            return mention(self.rng, self._person(slot), form or self.rng.choice(_FORMS))
        if slot in self.makers:
            return self.makers[slot](form or "")
        return Piece(self.rng.choice(LOOK_ALIKES[slot]))

    def fill(self, template: str) -> tuple[str, list[Planted]]:
        out: list[str] = []
        planted: list[Planted] = []
        size, last = 0, 0
        for m in _SLOT.finditer(template):
            out.append(template[last : m.start()])
            size += m.start() - last
            piece = self.piece(m.group(1), m.group(2))
            planted += [Planted(size + s, size + e, kind) for s, e, kind in piece.spans]
            out.append(piece.text)
            size += len(piece.text)
            last = m.end()
        out.append(template[last:])
        return "".join(out), planted


def _paragraphs(rng: random.Random, kind: str) -> list[str]:
    opening, body, closing = DOCUMENTS[kind]
    chosen = rng.sample(body, k=min(len(body), rng.randint(3, 6)))
    return [rng.choice(opening), *chosen, rng.choice(closing)]


def _page(writer: _Writer, templates: list[str]) -> LabelledPage:
    texts: list[str] = []
    planted: list[Planted] = []
    offset = 0
    for template in templates:
        text, spans = writer.fill(template)
        planted += [Planted(p.start + offset, p.end + offset, p.kind) for p in spans]
        texts.append(text)
        offset += len(text) + 2
    return LabelledPage("\n\n".join(texts), tuple(planted))


def _document(rng: random.Random, number: int) -> LabelledDocument:
    kind = rng.choice(sorted(DOCUMENTS))
    writer = _Writer(rng)
    paragraphs = _paragraphs(rng, kind)
    pages = tuple(_page(writer, paragraphs[i : i + 2]) for i in range(0, len(paragraphs), 2))
    people = tuple(person.name for person in writer.mentioned.values())
    return LabelledDocument(f"doc{number:03d}", kind, pages, people, len(paragraphs))


def labelled_set(seed: int = 15, documents: int = 150) -> list[LabelledDocument]:
    """``documents`` labelled documents (about six paragraphs each), the same for the same seed."""
    rng = random.Random(seed)
    return [_document(rng, n) for n in range(1, documents + 1)]
