"""Detection scored against the labelled set (``labelled_set``): precision and recall per kind.

Run twice: with each document's people in the register (the usual case), and with an
empty register (people must then be suggested from what the documents show).
``pytest -s`` prints the table. A planted identifier counts as found when a hit of its
kind overlaps it (an address: when one hit covers at least 80% of it). A hit is right
when it overlaps a planted identifier of its kind or lies inside any planted one (a
name inside an e-mail address); anything else is a false alarm.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest

from bundler.core.anonymise.detect import Hit, detect_text
from bundler.core.anonymise.labelled_set import LabelledPage, Planted, labelled_set
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register

_KIND_OF = {"initials": "person", "exhibit mark": "exhibit-mark"}
_HIT_KINDS = {"address", "postcode", "phone", "email", "ni-number", "nhs-number", "passport", "date-of-birth"}


@dataclass
class Score:
    found: Counter[str] = field(default_factory=Counter)  # planted, found, per kind
    planted: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)  # hits, right, per kind
    hits: Counter[str] = field(default_factory=Counter)

    def recall(self, kind: str | None = None) -> float:
        found, planted = (
            (sum(self.found.values()), sum(self.planted.values()))
            if kind is None
            else (self.found[kind], self.planted[kind])
        )
        return found / planted if planted else 1.0

    def precision(self, kind: str | None = None) -> float:
        right, hits = (
            (sum(self.right.values()), sum(self.hits.values())) if kind is None else (self.right[kind], self.hits[kind])
        )
        return right / hits if hits else 1.0


def _kind(hit: Hit) -> str:
    return _KIND_OF.get(hit.category, hit.category)


def _spans(page: LabelledPage, hits: list[Hit]) -> list[tuple[int, int, str]]:
    for hit in hits:
        assert page.text[hit.start : hit.end] == hit.text
    return [(hit.start, hit.end, _kind(hit)) for hit in hits]


def _found(p: Planted, spans: list[tuple[int, int, str]]) -> bool:
    if p.kind == "address":
        return any(k == "address" and min(e, p.end) - max(s, p.start) >= 0.8 * (p.end - p.start) for s, e, k in spans)
    return any(k == p.kind and s < p.end and p.start < e for s, e, k in spans)


def _right(span: tuple[int, int, str], planted: tuple[Planted, ...]) -> bool:
    s, e, kind = span
    return any((p.kind == kind and s < p.end and p.start < e) or (p.start <= s and e <= p.end) for p in planted)


def _score_page(score: Score, page: LabelledPage, hits: list[Hit]) -> None:
    spans = _spans(page, hits)
    for p in page.planted:
        score.planted[p.kind] += 1
        score.found[p.kind] += _found(p, spans)
    for span in spans:
        score.hits[span[2]] += 1
        score.right[span[2]] += _right(span, page.planted)


def _run(registered: bool) -> Score:
    score = Score()
    for doc in labelled_set():
        people = [Person(name, f"Q{n}") for n, name in enumerate(doc.people)] if registered else []
        targets = targets_from_register(Register(people=people))
        hits = detect_text(doc.id, doc.kind, [page.text for page in doc.pages], targets)
        for number, page in enumerate(doc.pages, start=1):
            _score_page(score, page, [h for h in hits if h.page == number])
    return score


def _table(title: str, score: Score) -> str:
    lines = [f"{title}\n{'kind':16} {'planted':>7} {'recall':>7} {'hits':>5} {'precision':>9} {'F1':>5}"]
    for kind in sorted(set(score.planted) | set(score.hits)):
        r, p = score.recall(kind), score.precision(kind)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{kind:16} {score.planted[kind]:7} {r:7.1%} {score.hits[kind]:5} {p:9.1%} {f1:5.2f}")
    lines.append(
        f"{'overall':16} {sum(score.planted.values()):7} {score.recall():7.1%} "
        f"{sum(score.hits.values()):5} {score.precision():9.1%}"
    )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def registered() -> Score:
    score = _run(registered=True)
    print("\n" + _table("People registered", score))
    return score


@pytest.fixture(scope="module")
def empty() -> Score:
    score = _run(registered=False)
    print("\n" + _table("Empty register (people suggested)", score))
    return score


def test_the_set_is_big_and_varied() -> None:
    docs = labelled_set()
    assert sum(doc.paragraphs for doc in docs) >= 500 and len({doc.kind for doc in docs}) == 5
    kinds = Counter(p.kind for doc in docs for page in doc.pages for p in page.planted)
    assert all(kinds[kind] >= 15 for kind in _HIT_KINDS | {"person", "home-office-ref", "port-ref", "tribunal-ref"})
    assert labelled_set() == docs  # a fixed seed: the same set every time


def test_with_people_registered(registered: Score) -> None:
    assert registered.recall() >= 0.95
    assert registered.recall("address") >= 0.90
    assert registered.precision() >= 0.90


def test_with_an_empty_register_people_are_suggested(empty: Score) -> None:
    assert empty.recall("person") >= 0.80
    assert empty.precision("person") >= 0.80
