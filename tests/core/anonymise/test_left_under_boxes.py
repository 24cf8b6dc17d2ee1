"""The redaction check's count of characters left under a box: the quick bounding test in
front of it changes no answer (compared with the rule written out plainly)."""

from __future__ import annotations

import random

from bundler.core.anonymise.pdf.draw import label_layout
from bundler.core.anonymise.pdf.geometry import Spot, contains
from bundler.core.anonymise.pdf.locate import PageText
from bundler.core.anonymise.pdf.verify import _SHRINK, _left_under_boxes
from bundler.core.naming import plural


def _plainly(text: PageText, spots: list[Spot], rotate: int) -> list[str]:
    inner = [(s.rect[0] + _SHRINK, s.rect[1] + _SHRINK, s.rect[2] - _SHRINK, s.rect[3] - _SHRINK) for s in spots]
    labels = [label_layout(s, rotate) for s in spots]
    label_boxes = [lab.box for lab in labels if lab is not None]
    expected = sum(len(lab.text.replace(" ", "")) for lab in labels if lab is not None)
    stray, ours = [], 0
    for ch, box in zip(text.chars, text.boxes, strict=True):
        if box is None or ch.isspace():
            continue
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        if not any(contains(r, *centre) for r in inner):
            continue
        if any(contains(b, *centre) for b in label_boxes):
            ours += 1
        else:
            stray.append(ch)
    extra = len(stray) + max(0, ours - expected)
    return [f"{plural(extra, 'character')} of text left under a box"] if extra else []


def test_the_quick_test_changes_no_answer() -> None:
    rng = random.Random(5)
    found = 0
    for _ in range(3000):
        spots = []
        for _ in range(rng.randrange(0, 4)):
            x, y = rng.uniform(0, 500), rng.uniform(0, 700)
            w, h = (
                rng.choice([rng.uniform(0, 2), rng.uniform(5, 200)]),
                rng.choice([rng.uniform(0, 2), rng.uniform(8, 30)]),
            )
            spots.append(Spot((x, y, x + w, y + h), rng.choice(["AB", "[REDACTED]", "[order]", ""])))
        chars, boxes = [], []
        for _ in range(rng.randrange(0, 60)):
            chars.append(rng.choice("AB[]REDACTED order xyz"))
            if rng.random() < 0.1:
                boxes.append(None)
                continue
            if spots and rng.random() < 0.6:
                s = rng.choice(spots).rect
                x, y = rng.uniform(s[0] - 3, s[2] + 3), rng.uniform(s[1] - 3, s[3] + 3)
            else:
                x, y = rng.uniform(0, 600), rng.uniform(0, 800)
            boxes.append((x, y, x + rng.uniform(0, 8), y + rng.uniform(0, 12)))
        text = PageText("".join(chars), list(range(len(chars))), chars, boxes)
        rotate = rng.choice([0, 90, 180, 270])
        answer = _left_under_boxes(text, spots, rotate)
        assert answer == _plainly(text, spots, rotate)
        found += bool(answer)
    assert found > 300  # the cases exercise both answers
