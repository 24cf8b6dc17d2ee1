"""Text-showing operators: place each glyph, drop those under a box, keep the layout.

A removed glyph becomes a ``TJ`` number worth exactly its advance (width, char
and word spacing, horizontal scaling), so the glyphs after it on the line stay
where they were and the remaining text extracts as before. The caller may ask for
the operator to be cut before the first glyph removed under a box (``cut``): its
label is then drawn there, in the order the page is read (``run.StreamRun.show``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pypdf.generic import ArrayObject, ByteStringObject, FloatObject, PdfObject

from bundler.core.anonymise.pdf.fonts import Glyph, GlyphFont
from bundler.core.anonymise.pdf.geometry import (
    Matrix,
    Spot,
    apply,
    axis_aligned,
    contains,
    multiply,
    translate,
)

__all__ = ["TextState", "GlyphJudge", "Shown", "show_text"]

_CENTRE_HEIGHT = 0.3  # em above the baseline: mid-height of lower-case letters


@dataclass
class TextState:
    """The text parameters that ``q``/``Q`` save and restore."""

    font: GlyphFont | None = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0  # Tz / 100
    leading: float = 0.0
    rise: float = 0.0
    render: int = 0  # Tr: 4-7 add the text to the clipping path, which ET applies


@dataclass
class GlyphJudge:
    """Decides, glyph by glyph, what lies under a box; collects reasons to fail closed."""

    spots: list[Spot]
    removed: list[int] = field(default_factory=list)  # glyphs removed per spot
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.removed = [0] * len(self.spots)

    def problem(self, reason: str) -> None:
        if reason not in self.problems:
            self.problems.append(reason)

    def under_box(self, trm: Matrix, glyph: Glyph, font: GlyphFont, guessed: bool) -> int | None:
        """The index of the spot the glyph lies under (it is removed), else None."""
        x, y = apply(trm, glyph.width / 2, _CENTRE_HEIGHT)
        for i, spot in enumerate(self.spots):
            if contains(spot.rect, x, y):
                self._check(trm, font, guessed)
                self.removed[i] += 1
                return i
        if guessed and self._on_a_boxed_line(trm):
            self.problem(f"text in font {font.name} cannot be placed exactly ({font.problem})")
        return None

    def _check(self, trm: Matrix, font: GlyphFont, guessed: bool) -> None:
        if guessed:
            self.problem(f"text in font {font.name} cannot be placed exactly ({font.problem or 'after it'})")
        elif font.type3:
            self.problem(f"a Type3 font ({font.name}) is under a box")
        elif not axis_aligned(trm):
            self.problem("rotated or skewed text is under a box")

    def _on_a_boxed_line(self, trm: Matrix) -> bool:
        """Could a glyph of unknown horizontal position on this line fall in a box?"""
        if not axis_aligned(trm):
            return bool(self.spots)
        (x0, y0), (x1, y1) = apply(trm, 0, -0.3), apply(trm, 0, 1.2)
        horizontal = abs(trm[1]) <= abs(trm[0]) + 1e-9
        lo, hi = (min(y0, y1), max(y0, y1)) if horizontal else (min(x0, x1), max(x0, x1))
        axis = (1, 3) if horizontal else (0, 2)
        return any(s.rect[axis[0]] < hi and lo < s.rect[axis[1]] for s in self.spots)


class _Rebuilt:
    """The new TJ array: kept codes as strings, removed ones as displacements."""

    def __init__(self) -> None:
        self.items: list[PdfObject] = []
        self.pending = b""
        self.changed = False

    def keep(self, code: bytes) -> None:
        self.pending += code

    def number(self, value: float) -> None:
        self._flush()
        if self.items and isinstance(self.items[-1], FloatObject):
            value += float(self.items[-1])
            self.items.pop()
        self.items.append(FloatObject(round(value, 4)))

    def remove(self, advance: float, text_scale: float, judge: GlyphJudge) -> None:
        self.changed = True
        if abs(text_scale) < 1e-9:
            judge.problem("text of size zero is under a box")
            return
        self.number(-advance * 1000 / text_scale)

    def _flush(self) -> None:
        if self.pending:
            self.items.append(ByteStringObject(self.pending))
            self.pending = b""

    def array(self) -> ArrayObject:
        self._flush()
        return ArrayObject(self.items)

    def cut(self) -> ArrayObject:
        """The array so far, ending it: what follows goes into a new one."""
        done = self.array()
        self.items = []
        return done


@dataclass
class Shown:
    """What ``show_text`` made of one operator.

    ``arrays``: the rebuilt ``TJ`` arrays (None: nothing was removed), one more than ``cuts``:
    (spot index, pen position along the line in text space) where the operator was cut."""

    arrays: list[ArrayObject] | None
    tm: Matrix  # the text matrix after the operator
    guessed: bool  # positions are now only guessed
    advance: float  # how far the pen moved along the line, in text space
    cuts: list[tuple[int, float]] = field(default_factory=list)


def _advance(glyph: Glyph, ts: TextState) -> float:
    spacing = ts.char_space + (ts.word_space if glyph.is_space else 0.0)
    return (glyph.width * ts.size + spacing) * ts.scale


def _string_bytes(item: Any) -> bytes | None:
    if isinstance(item, (bytes, str)) and hasattr(item, "original_bytes"):
        return bytes(item.original_bytes)
    return None


def show_text(
    elements: list[Any],
    ts: TextState,
    tm: Matrix,
    ctm: Matrix,
    guessed: bool,
    judge: GlyphJudge,
    cut: Callable[[int], bool] | None = None,
) -> Shown:
    """Walk one show operator's strings and numbers.

    ``cut(i)`` is asked before a glyph under spot ``i`` is removed, whether to end the
    array there (the caller draws the spot's label at that point and asks once per spot)."""
    font = ts.font
    if font is None:
        judge.problem("text is shown before any font is chosen")
        return Shown(None, tm, True, 0.0)
    out = _Rebuilt()
    arrays: list[ArrayObject] = []
    cuts: list[tuple[int, float]] = []
    text_scale = ts.size * ts.scale
    a, b, c, d, e, f = multiply(tm, ctm)
    x = 0.0  # pen position along the line, in text space
    for item in elements:
        data = _string_bytes(item)
        if data is None:
            x -= float(item) / 1000 * text_scale
            out.number(float(item))
            continue
        for glyph in font.glyphs(data):
            guessed = guessed or bool(font.problem)
            # rendering matrix: size and scaling, then the pen position, through tm × ctm
            trm = (
                text_scale * a,
                text_scale * b,
                ts.size * c,
                ts.size * d,
                x * a + ts.rise * c + e,
                x * b + ts.rise * d + f,
            )
            advance = _advance(glyph, ts)
            spot = judge.under_box(trm, glyph, font, guessed)
            if spot is None:
                out.keep(glyph.code)
            else:
                if cut is not None and not guessed and cut(spot):
                    arrays.append(out.cut())
                    cuts.append((spot, x))
                out.remove(advance, text_scale, judge)
            x += advance
    after = multiply(translate(x, 0), tm)
    return Shown([*arrays, out.array()] if out.changed else None, after, guessed, x, cuts)
