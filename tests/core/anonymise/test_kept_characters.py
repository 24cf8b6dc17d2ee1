"""The redaction's "moved" net (``verify.kept_characters``, ``verify._same``), written as plain loops
for speed: the same answers as the rules they spell out, NaN and infinite boxes included."""

from __future__ import annotations

import math
import random

from bundler.core.anonymise.pdf.geometry import Spot, contains
from bundler.core.anonymise.pdf.locate import PageText
from bundler.core.anonymise.pdf.verify import _MOVE, _same, kept_characters

_ODD = [math.nan, math.inf, -math.inf]


def _box(rng: random.Random) -> tuple[float, float, float, float] | None:
    if rng.random() < 0.1:
        return None
    x, y = rng.uniform(0, 100), rng.uniform(0, 100)
    box = [x, y, x + rng.uniform(0, 10), y + rng.uniform(0, 10)]
    if rng.random() < 0.05:
        box[rng.randrange(4)] = rng.choice(_ODD)
    return (box[0], box[1], box[2], box[3])


def test_kept_characters_are_those_whose_centre_no_box_holds() -> None:
    rng = random.Random(35)
    for _ in range(500):
        chars = [rng.choice("ab \r\n\x02\ufffeF") for _ in range(rng.randint(0, 30))]
        boxes = [_box(rng) for _ in chars]
        spots = [Spot(b, "FK") for b in (_box(rng) for _ in range(rng.randint(0, 4))) if b is not None]
        text = PageText("".join(chars), list(range(len(chars))), chars, boxes)
        expected = [
            (ch, box)
            for ch, box in zip(chars, boxes, strict=True)
            if box is not None
            and not ch.isspace()
            and ch not in "\x02\ufffe"
            and not any(contains(s.rect, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2) for s in spots)
        ]
        assert kept_characters(text, spots) == expected


def test_same_is_every_character_equal_and_within_half_a_point() -> None:
    rng = random.Random(36)
    for _ in range(2000):
        n = rng.randint(0, 6)
        kept = [(rng.choice("ab"), _box(rng) or (0.0, 0.0, 1.0, 1.0)) for _ in range(n)]
        source = [
            (ch if rng.random() < 0.9 else "z", tuple(v + rng.choice([0.0, 0.2, 0.5, 0.6, -0.7]) for v in box))
            for ch, box in kept
        ]
        expected = all(
            ch == was and all(abs(a - b) <= _MOVE for a, b in zip(box, where, strict=True))
            for (ch, box), (was, where) in zip(kept, source, strict=True)
        )
        assert _same(kept, source) == expected  # type: ignore[arg-type]
    nan = (math.nan, 0.0, 1.0, 1.0)
    assert not _same([("a", nan)], [("a", nan)])  # a box PDFium cannot place has moved, as before
