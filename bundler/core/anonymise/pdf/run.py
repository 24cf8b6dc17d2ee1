"""One pass over one content stream: the state machine behind ``ContentEditor``.

Each operator we care about has a handler; a handler returns ``None`` to keep
the operator as it was, or the operators that replace it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from pypdf import PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject, NameObject, StreamObject

from bundler.core.anonymise.pdf.fonts import GlyphFont
from bundler.core.anonymise.pdf.geometry import (
    IDENTITY,
    Matrix,
    bbox_of,
    intersects,
    multiply,
    translate,
)
from bundler.core.anonymise.pdf.show import GlyphJudge, TextState, show_text
from bundler.core.anonymise.pdf.stream import Op

__all__ = ["Edited", "Editor", "GState", "StreamRun"]

_MAX_DEPTH = 16
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

    def copy(self) -> GState:
        return GState(self.ctm, replace(self.text))


class Editor(Protocol):
    """What a run needs of the page's editor (``content.ContentEditor``), and no more."""

    writer: PdfWriter
    judge: GlyphJudge
    active: set[int]

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
        self.guessed = False
        self.marks: list[list[Any]] = []  # [index of the BDC in out (or -1), touched]
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
        self.stack.append(self.gs.copy())

    def op_Q(self, _: list[Any]) -> None:
        if self.stack:
            self.gs = self.stack.pop()

    def op_cm(self, operands: list[Any]) -> None:
        self.gs.ctm = multiply(_matrix(operands), self.gs.ctm)

    # -- text state and positioning ------------------------------------------

    def op_BT(self, _: list[Any]) -> None:
        self.move_to(IDENTITY)

    def op_Tf(self, operands: list[Any]) -> None:
        self.gs.text.font = self.editor.font(self.resource("/Font"), operands[0])
        self.gs.text.size = float(operands[1])

    def set_text(self, name: str, value: float) -> None:
        setattr(self.gs.text, name, value)

    def move_to(self, matrix: Matrix) -> None:
        self.tm = self.tlm = matrix
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
        rebuilt, self.tm, self.guessed = show_text(
            elements, self.gs.text, self.tm, self.gs.ctm, self.guessed, self.judge
        )
        if rebuilt is None:
            return None
        for mark in self.marks:
            mark[1] = True
        return [*prefix, ([rebuilt], b"TJ")]

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

    def op_BDC(self, _: list[Any]) -> None:
        self.marks.append([len(self.out), False])

    def op_BMC(self, _: list[Any]) -> None:
        self.marks.append([-1, False])

    def op_EMC(self, _: list[Any]) -> None:
        if not self.marks:
            return
        index, touched = self.marks.pop()
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
}
