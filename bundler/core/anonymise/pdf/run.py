"""One pass over one content stream: the state machine behind ``ContentEditor``.

Each operator we care about has a handler; a handler returns ``None`` to keep
the operator as it was, or the operators that replace it.

In the page's own content a located box's label is drawn where its first glyph was
removed (``show``): the text object is ended there, the box and label drawn in a
state of their own, and a new text object starts exactly where the old one was
(its line matrix, then the pen moved along the line by a ``TJ`` number). Not inside
a form, a marked-content span begun inside the text object, optional content, a
text object that shows text that clips (``Tr`` 4-7, applied at ``ET``) or holds
``q``/``Q`` or another ``BT`` (readers differ on where its text then goes): there the
box is drawn after the page. What is painted later is followed (paths with their line
width, shadings, text by its glyphs' em squares): one over a box drawn in place would
hide it (``covered``), and the page is then edited again with every box drawn after it
(``page.remove_glyphs``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from pypdf import PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from bundler.core.anonymise.pdf.draw import Names, inline
from bundler.core.anonymise.pdf.fonts import GlyphFont
from bundler.core.anonymise.pdf.geometry import (
    IDENTITY,
    Matrix,
    Rect,
    apply,
    bbox_of,
    intersects,
    multiply,
    translate,
    union,
)
from bundler.core.anonymise.pdf.show import GlyphJudge, TextState, show_text
from bundler.core.anonymise.pdf.stream import Op

__all__ = ["Edited", "Editor", "GState", "StreamRun"]

_MAX_DEPTH = 16
_EVERYWHERE: Rect = (-float("inf"), -float("inf"), float("inf"), float("inf"))
_HIDDEN_TEXT_KEYS = ("/ActualText", "/Alt", "/E")  # marked-content text a reader may extract


@dataclass
class Edited:
    operations: list[Op]
    changed: bool
    new_xobjects: dict[str, IndirectObject] = field(default_factory=dict)
    drawn: set[str] = field(default_factory=set)  # XObject names the edited content still draws


@dataclass
class GState:
    ctm: Matrix
    text: TextState
    line_width: float = 1.0  # what a stroke adds either side of its path (half of it), in its space

    def copy(self) -> GState:
        return GState(self.ctm, replace(self.text), self.line_width)


class Editor(Protocol):
    """What a run needs of the page's editor (``content.ContentEditor``), and no more."""

    writer: PdfWriter
    judge: GlyphJudge
    active: set[int]
    rotate: int  # the page's /Rotate: labels read upright as it is shown
    names: Names  # the resource names the boxes use
    inline: bool  # whether boxes may be drawn in the page's content (``StreamRun.show``)
    placed: set[int]  # spots whose box and label are drawn there
    covered: bool  # something painted later lies over one of those

    def font(self, fonts: DictionaryObject, name: str) -> GlyphFont: ...
    def edit(self, operations: list[Op], resources: Any, gs: GState | None = None, depth: int = 0) -> Edited: ...
    def fresh_name(self, taken: DictionaryObject) -> str: ...
    def copy_form(self, form: StreamObject, resources: Any, edited: Edited) -> IndirectObject: ...


class StreamRun:
    """One pass over one content stream (a page's, or a form's)."""

    def __init__(self, editor: Editor, resources: Any, gs: GState, depth: int) -> None:
        self.editor = editor
        self.judge = editor.judge
        self.resources = resources.get_object() if resources is not None else DictionaryObject()
        self.depth = depth
        self.gs = gs
        self.stack: list[GState] = []
        self.tm = self.tlm = IDENTITY
        self.along = 0.0  # tm is tlm moved this far along the line (text space)
        self.in_text = False  # between BT and ET
        self.whole = False  # this text object may not be ended early: it showed text that clips
        # (Tr 4-7, which ET applies), or holds q/Q or a BT (readers differ on where its text goes)
        self.path: Rect | None = None  # the bounds of the path being built, in user space
        self.guessed = False
        self.marks: list[list[Any]] = []  # [index of the BDC in out (or -1), touched, may_cut]
        # may_cut: begun outside any text object and not optional content (a label drawn inside
        # it stays valid content and is shown whenever the span is)
        self.out: list[Op] = []
        self.changed = False
        self.new_xobjects: dict[str, IndirectObject] = {}
        self.drawn: set[str] = set()

    def run(self, operations: list[Op]) -> Edited:
        for operands, op in operations:
            handler = _HANDLERS.get(op)
            replacement = None
            try:
                replacement = handler(self, operands) if handler else None
            except (TypeError, ValueError, IndexError, KeyError, AttributeError, PyPdfError):
                self.judge.problem(f"a malformed '{op.decode('latin-1')}' operator")
            if replacement is None:
                self.out.append((operands, op))
            else:
                self.out.extend(replacement)
                self.changed = True
        return Edited(self.out, self.changed, self.new_xobjects, self.drawn)

    def resource(self, category: str) -> DictionaryObject:
        found = self.resources.get(category)
        return found.get_object() if found is not None else DictionaryObject()

    # -- graphics state -------------------------------------------------------

    def op_q(self, _: list[Any]) -> None:
        self.whole = self.whole or self.in_text
        self.stack.append(self.gs.copy())

    def op_Q(self, _: list[Any]) -> None:
        self.whole = self.whole or self.in_text
        if self.stack:
            self.gs = self.stack.pop()

    def op_cm(self, operands: list[Any]) -> None:
        self.gs.ctm = multiply(_matrix(operands), self.gs.ctm)

    # -- text state and positioning ------------------------------------------

    def op_BT(self, _: list[Any]) -> None:
        self.whole = self.in_text  # a BT inside a text object: it stays whole to its end
        self.in_text = True
        self.move_to(IDENTITY)

    def op_ET(self, _: list[Any]) -> None:
        self.in_text = False

    def op_Tf(self, operands: list[Any]) -> None:
        self.gs.text.font = self.editor.font(self.resource("/Font"), operands[0])
        self.gs.text.size = float(operands[1])

    def set_text(self, name: str, value: float) -> None:
        setattr(self.gs.text, name, value)

    def move_to(self, matrix: Matrix) -> None:
        self.tm = self.tlm = matrix
        self.along = 0.0
        self.guessed = False  # a new line position is known whatever came before

    def op_Td(self, operands: list[Any]) -> None:
        self.move_to(multiply(translate(float(operands[0]), float(operands[1])), self.tlm))

    def op_TD(self, operands: list[Any]) -> None:
        self.gs.text.leading = -float(operands[1])
        self.op_Td(operands)

    def op_Tstar(self, _: list[Any]) -> None:
        self.move_to(multiply(translate(0, -self.gs.text.leading), self.tlm))

    # -- text showing -----------------------------------------------------------

    def show(self, elements: list[Any], prefix: list[Op]) -> list[Op] | None:
        start = self.along
        scale = self.gs.text.size * self.gs.text.scale
        self.whole = self.whole or bool(self.gs.text.render & 4)  # clips, as poppler reads the mode
        cuttable = (
            self.editor.inline
            and self.depth == 0
            and self.in_text
            and not self.whole
            and abs(scale) > 1e-9
            and all(mark[2] for mark in self.marks)
        )
        labels: dict[int, bytes] = {}

        def cut(spot: int) -> bool:
            if not cuttable or spot in self.editor.placed or spot in labels:
                return False
            drawn = self.judge.spots[spot]
            content = None if drawn.manual else inline(drawn, self.editor.rotate, self.gs.ctm, self.editor.names)
            if content is not None:
                labels[spot] = content
            return content is not None

        drawn_before = bool(self.editor.placed)
        tm = self.tm
        shown = show_text(elements, self.gs.text, self.tm, self.gs.ctm, self.guessed, self.judge, cut)
        self.tm, self.guessed, self.along = shown.tm, shown.guessed, start + shown.advance
        if drawn_before and self.gs.text.render % 8 not in (3, 7):  # text shown over a box drawn earlier
            self.over(self.text_extent(tm, shown.advance))
        if shown.arrays is None:
            return None
        for mark in self.marks:
            mark[1] = True
        self.editor.placed.update(labels)
        return [*prefix, *self._cut_ops(shown.arrays, shown.cuts, labels, start, scale)]

    def text_extent(self, tm: Matrix, advance: float) -> Rect:
        """Bounds of what a show operator drew from ``tm``, ``advance`` along the line: each glyph's
        em square (a quarter below the baseline to the size above it), raised by the rise."""
        ts = self.gs.text
        low, high = sorted((ts.rise - 0.25 * ts.size, ts.rise + ts.size))
        return bbox_of(multiply(tm, self.gs.ctm), (min(0.0, advance), low, max(0.0, advance), high))

    def _cut_ops(
        self,
        arrays: list[ArrayObject],
        cuts: list[tuple[int, float]],
        labels: dict[int, bytes],
        start: float,
        scale: float,
    ) -> list[Op]:
        """The rebuilt operator in pieces, each box and label drawn between two (``show``)."""
        ops: list[Op] = [([arrays[0]], b"TJ")] if arrays[0] else []
        line = [FloatObject(round(v, 9)) for v in self.tlm]
        for (spot, pen), rest in zip(cuts, arrays[1:], strict=True):
            moved = FloatObject(round(-(start + pen) * 1000 / scale, 4))
            ops += [([], b"ET"), ([], labels[spot]), ([], b"BT"), (line, b"Tm"), ([ArrayObject([moved, *rest])], b"TJ")]
        return ops

    def op_Tj(self, operands: list[Any]) -> list[Op] | None:
        return self.show([operands[0]], [])

    def op_TJ(self, operands: list[Any]) -> list[Op] | None:
        return self.show(list(operands[0]), [])

    def op_quote(self, operands: list[Any]) -> list[Op] | None:
        self.op_Tstar([])
        return self.show([operands[0]], [([], b"T*")])

    def op_dquote(self, operands: list[Any]) -> list[Op] | None:
        self.gs.text.word_space, self.gs.text.char_space = float(operands[0]), float(operands[1])
        self.op_Tstar([])
        prefix: list[Op] = [([operands[0]], b"Tw"), ([operands[1]], b"Tc"), ([], b"T*")]
        return self.show([operands[2]], prefix)

    # -- marked content ---------------------------------------------------------

    def op_BDC(self, operands: list[Any]) -> None:
        self.marks.append([len(self.out), False, not self.in_text and operands[:1] != ["/OC"]])

    def op_BMC(self, _: list[Any]) -> None:
        self.marks.append([-1, False, not self.in_text])

    def op_EMC(self, _: list[Any]) -> None:
        if not self.marks:
            return
        index, touched, _ = self.marks.pop()
        if touched and index >= 0:
            self.strip_hidden_text(index)

    def strip_hidden_text(self, index: int) -> None:
        """Replacement text of a span whose glyphs we removed would still extract."""
        operands, op = self.out[index]
        props = operands[1] if len(operands) > 1 else None
        if isinstance(props, DictionaryObject) and any(k in props for k in _HIDDEN_TEXT_KEYS):
            kept = DictionaryObject({k: v for k, v in props.items() if k not in _HIDDEN_TEXT_KEYS})
            self.out[index] = ([operands[0], kept], op)
            self.changed = True

    # -- paths: painted over a box drawn in place? ---------------------------------

    def points(self, operands: list[Any]) -> None:
        try:
            values = [float(v) for v in operands]
        except (TypeError, ValueError):
            values = []
        if not values or len(values) % 2:  # malformed: readers may draw it anywhere
            self.path = _EVERYWHERE
            return
        for x, y in zip(values[::2], values[1::2], strict=True):
            px, py = apply(self.gs.ctm, x, y)
            box = (px, py, px, py)
            self.path = box if self.path is None else union(self.path, box)

    def op_re(self, operands: list[Any]) -> None:
        try:
            x, y, w, h = (float(v) for v in operands)
        except (TypeError, ValueError):
            self.path = _EVERYWHERE
            return
        self.points([x, y, x + w, y, x, y + h, x + w, y + h])

    def fill(self, _: list[Any]) -> None:
        if self.path is not None:
            self.over(self.path)
        self.path = None

    def stroke(self, _: list[Any]) -> None:
        """A stroke paints half its width either side of the path, and caps and joins beyond."""
        if self.path is not None:
            a, b, c, d = self.gs.ctm[:4]
            reach = 0.75 * abs(self.gs.line_width) * max(math.hypot(a, b), math.hypot(c, d))
            x0, y0, x1, y1 = self.path
            self.over((x0 - reach, y0 - reach, x1 + reach, y1 + reach))
        self.path = None

    def op_w(self, operands: list[Any]) -> None:
        self.gs.line_width = _width(operands[0] if operands else None)

    def op_gs(self, operands: list[Any]) -> None:
        state = self.resource("/ExtGState").get(operands[0]) if operands else None
        state = state.get_object() if state is not None else None
        if isinstance(state, DictionaryObject) and "/LW" in state:
            self.gs.line_width = _width(state.get("/LW"))

    def over(self, box: Rect | None) -> None:
        """Something is painted over ``box`` (None: anywhere) after the boxes drawn so far: it hides
        one when it covers a quarter of it (a link's underline, a table's rule do not)."""
        placed = self.editor.placed
        if placed and not self.editor.covered:
            rects = [self.judge.spots[i].rect for i in placed]
            self.editor.covered = any(box is None or _covers(box, rect) for rect in rects)

    # -- images, shadings and forms ----------------------------------------------

    def image_at(self, ctm: Matrix) -> None:
        box = bbox_of(ctm)
        if any(intersects(box, spot.rect) for spot in self.judge.spots):
            self.judge.problem("an image lies under a box (its pixels must be destroyed)")

    def op_inline_image(self, _: Any) -> None:
        self.image_at(self.gs.ctm)

    def op_sh(self, _: list[Any]) -> None:
        if any(spot.manual for spot in self.judge.spots):  # its extent is the clip: unknown here
            self.judge.problem("a shading may lie under a box drawn by hand")
        self.over(None)

    def op_Do(self, operands: list[Any]) -> list[Op] | None:
        xobject: Any = self.resource("/XObject")[operands[0]].get_object()
        subtype = xobject.get("/Subtype")
        replacement = None
        if subtype == "/Image":
            self.image_at(self.gs.ctm)
        elif subtype == "/Form":
            replacement = self.form(xobject)
        self.drawn.add(replacement[0][0][0] if replacement else operands[0])
        return replacement

    def form(self, form: StreamObject) -> list[Op] | None:
        key = id(form)
        if self.depth >= _MAX_DEPTH or key in self.editor.active:
            self.judge.problem("form XObjects nest too deeply or draw themselves")
            return None
        resources = form.get("/Resources", self.resources)  # a form without resources uses ours
        gs = GState(multiply(_matrix(form.get("/Matrix", IDENTITY)), self.gs.ctm), replace(self.gs.text))
        self.editor.active.add(key)
        try:
            operations = ContentStream(form, self.editor.writer).operations
            edited = self.editor.edit(operations, resources, gs, self.depth + 1)
        finally:
            self.editor.active.discard(key)
        if not edited.changed:
            return None
        name = self.editor.fresh_name(self.resource("/XObject"))
        self.new_xobjects[name] = self.editor.copy_form(form, resources, edited)
        return [([NameObject(name)], b"Do")]


def _width(value: Any) -> float:
    """A line width; one readers may take otherwise counts as covering everything (only the
    check of what is painted over a box reads it)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")


def _covers(paint: Rect, box: Rect) -> bool:
    """Whether ``paint`` lies over a quarter or more of ``box`` (any of a box with no area)."""
    if not intersects(paint, box) and not (paint[0] <= box[0] <= paint[2] and paint[1] <= box[1] <= paint[3]):
        return False
    width = min(paint[2], box[2]) - max(paint[0], box[0])
    height = min(paint[3], box[3]) - max(paint[1], box[1])
    area = (box[2] - box[0]) * (box[3] - box[1])
    return area <= 0 or width * height >= 0.25 * area


def _matrix(values: Any) -> Matrix:
    a, b, c, d, e, f = (float(v) for v in values)
    return (a, b, c, d, e, f)


def _text_param(name: str, convert: Callable[[float], float] = float) -> Callable[[StreamRun, list[Any]], None]:
    return lambda run, operands: run.set_text(name, convert(float(operands[0])))


_HANDLERS: dict[bytes, Callable[[StreamRun, Any], list[Op] | None]] = {
    b"q": StreamRun.op_q,
    b"Q": StreamRun.op_Q,
    b"cm": StreamRun.op_cm,
    b"BT": StreamRun.op_BT,
    b"ET": StreamRun.op_ET,
    b"Tr": _text_param("render", int),
    b"Tf": StreamRun.op_Tf,
    b"Tc": _text_param("char_space"),
    b"Tw": _text_param("word_space"),
    b"Tz": _text_param("scale", lambda v: v / 100),
    b"TL": _text_param("leading"),
    b"Ts": _text_param("rise"),
    b"Td": StreamRun.op_Td,
    b"TD": StreamRun.op_TD,
    b"Tm": lambda run, operands: run.move_to(_matrix(operands)),
    b"T*": StreamRun.op_Tstar,
    b"Tj": StreamRun.op_Tj,
    b"TJ": StreamRun.op_TJ,
    b"'": StreamRun.op_quote,
    b'"': StreamRun.op_dquote,
    b"BDC": StreamRun.op_BDC,
    b"BMC": StreamRun.op_BMC,
    b"EMC": StreamRun.op_EMC,
    b"INLINE IMAGE": StreamRun.op_inline_image,
    b"sh": StreamRun.op_sh,
    b"Do": StreamRun.op_Do,
    b"m": StreamRun.points,
    b"l": StreamRun.points,
    b"c": StreamRun.points,
    b"v": StreamRun.points,
    b"y": StreamRun.points,
    b"re": StreamRun.op_re,
    **dict.fromkeys((b"f", b"F", b"f*"), StreamRun.fill),
    **dict.fromkeys((b"S", b"s", b"B", b"B*", b"b", b"b*"), StreamRun.stroke),
    b"w": StreamRun.op_w,
    b"gs": StreamRun.op_gs,
    b"n": lambda run, _: setattr(run, "path", None),
}
