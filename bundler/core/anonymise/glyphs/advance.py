"""Glyphs whose width readers take differently.

Within a run of text (from where a text object, ``Td``, ``Tm``, ``T*``, ``'`` or ``"`` sets the
pen, to where the next one does) each glyph moves the pen by its width. Readers agree on a width
when the font's ``/Widths`` gives it — except pdfminer.six, which takes the Adobe metrics of the
fourteen standard fonts whatever ``/Widths`` says — and when a standard font's own metrics have
the glyph. They do not agree on a code the encoding leaves undefined (poppler moves no width,
PDFium about a quarter of an em), on Symbol and ZapfDingbats without widths, on a code outside
``/Widths``, nor on ``/Widths`` they read differently (a ``/FirstChar`` below zero: PDFium then
reads none). Such a glyph draws nothing and reads as nothing while it moves what follows; where
the pen also moves back in that run (a ``TJ`` step back, a character or word spacing below zero,
a horizontal scaling of zero or less), one reader's place order can spell a name that PDFium's
does not — however small each step. Such a page is a doubt (``doubt.page_doubts``): made a
picture before redaction, refused by the gate while drawn.

Measured with PDFium, poppler and pdfminer.six on every code of every standard font and encoding
(``tests/core/anonymise/test_advance.py`` keeps the check).
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from fontTools import agl
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject, StreamObject
from reportlab.pdfbase import _fontdata

from bundler.core.anonymise.glyphs.vectors import blank_strings, content_streams, resource_forms
from bundler.core.pdf.quickcontent import quick_operations

__all__ = ["ADVANCE_DOUBT", "GAP_DOUBT", "advance_doubt", "cid_runs", "uncertain_codes"]

_MAX_DEPTH = 8
_STANDARD_ENCODINGS = {f"/{name}": name for name in ("WinAnsiEncoding", "MacRomanEncoding", "StandardEncoding")}
_STANDARD_ENCODINGS["/PDFDocEncoding"] = "PDFDocEncoding"
_BUILT_IN = {"Symbol": "SymbolEncoding", "ZapfDingbats": "ZapfDingbatsEncoding"}
# The codes WinAnsiEncoding leaves undefined (a bullet by the spec's note, nothing in PDFium) and its
# soft hyphen (a hyphen to some readers, nothing to others): readers place what follows them apart.
_WIN_ANSI_DISPUTED = (127, 129, 141, 143, 144, 157, 173)
# The Euro is not in the Adobe metrics pdfminer.six and poppler use; PDFium's own metrics differ from
# Adobe's for these glyphs (measured: ``tests/core/anonymise/test_advance.py``).
_DISPUTED = frozenset({"Euro"})
_PDFIUM_OWN = {
    "Helvetica": frozenset({"guillemotleft", "guillemotright", "guilsinglleft", "guilsinglright"}),
    "Helvetica-Bold": frozenset({"at"}),
    "Helvetica-Oblique": frozenset({"at", "guilsinglleft", "guilsinglright"}),
    "Helvetica-BoldOblique": frozenset({"at", "five", "oslash"}),
}
_SAME_WIDTH = 1.0  # thousandths of an em between /Widths and the standard metrics
_ALL = frozenset(range(256))


def _get(obj: Any, key: str) -> Any:
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value


def _number(value: Any) -> float | None:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _glyph_names(font: DictionaryObject, standard: str) -> list[str | None]:
    """The glyph each code names: the base encoding (the font's own for Symbol and ZapfDingbats),
    then ``/Differences``."""
    encoding = _get(font, "/Encoding")
    base = _get(encoding, "/BaseEncoding") if isinstance(encoding, DictionaryObject) else encoding
    name = _STANDARD_ENCODINGS.get(str(base)) if base is not None else None
    name = name or _BUILT_IN.get(standard, "StandardEncoding")
    names: list[str | None] = list(_fontdata.encodings[name])
    if name == "WinAnsiEncoding":
        for code in _WIN_ANSI_DISPUTED:
            names[code] = None
    code = 0
    for item in _get(encoding, "/Differences") or ():
        item = item.get_object() if isinstance(item, IndirectObject) else item
        if isinstance(item, NameObject):
            if 0 <= code < 256:
                names[code] = item[1:]
            code += 1
        elif (number := _number(item)) is not None:
            code = int(number)
    return names


def _known(standard: str, glyph: str | None) -> bool:
    """Whether every reader takes ``glyph``'s width from the same metrics of the standard font."""
    return (
        glyph is not None
        and glyph in _fontdata.widthsByFontGlyph[standard]
        and glyph not in _DISPUTED
        and glyph not in _PDFIUM_OWN.get(standard, ())
    )


def _code(value: Any) -> bool:
    """A whole number from 0 to 255, written as one (``32.0`` is read as 0 by some readers)."""
    return isinstance(value, int) and not isinstance(value, (bool, float)) and 0 <= value <= 255


@dataclass(frozen=True)
class _Facts:
    """What a font's widths say, worked out once: the codes readers may take differently, by how
    many ems each glyph of a simple font passes its /Widths (``_excess``, where it does), a Type0
    font's /W and /DW (``_cid_widths``), and the most any glyph may pass its width by (most fonts
    on most pages fall short of any doubt at their scaling: nothing more is asked of them)."""

    uncertain: frozenset[int]
    excess: dict[int, float]
    cids: _CidWidths | None
    most: float


_KNOWN: dict[int, tuple[weakref.ref[DictionaryObject], _Facts]] = {}
_KNOWN_LOCK = threading.RLock()  # re-entrant: a font dying inside it calls ``_forget``


def uncertain_codes(font: Any) -> frozenset[int]:
    """The one-byte codes of a simple font whose width readers may take differently (all of them
    for a font we cannot read); none for a Type0 font (its ``/W`` is ``doubt._width_doubt``'s).
    Kept for as long as the font object lives (a document's pages share their fonts)."""
    return _facts(font).uncertain


def _facts(font: Any) -> _Facts:
    font = font.get_object() if isinstance(font, IndirectObject) else font
    if not isinstance(font, DictionaryObject):
        return _Facts(_ALL, {}, None, 0.0)
    with _KNOWN_LOCK:
        known = _KNOWN.get(id(font))
    if known is not None and known[0]() is font:
        return known[1]
    excess = _excess(font)
    cids = _cid_widths(font) if font.get("/Subtype") == "/Type0" else None
    most = _FLOOR / 1000 - cids.least() if cids is not None else max(excess.values(), default=0.0)
    facts = _Facts(_uncertain_codes(font), excess, cids, most)
    with _KNOWN_LOCK:
        _KNOWN[id(font)] = (weakref.ref(font, partial(_forget, id(font))), facts)
    return facts


def _forget(key: int, _dead: object) -> None:
    with _KNOWN_LOCK:
        _KNOWN.pop(key, None)


def _uncertain_codes(font: DictionaryObject) -> frozenset[int]:
    if font.get("/Subtype") == "/Type0":
        return frozenset()
    base = _get(font, "/BaseFont")
    standard = str(base)[1:] if isinstance(base, NameObject) and str(base)[1:] in _fontdata.widthsByFontGlyph else ""
    widths = _get(font, "/Widths")
    if widths is None:
        if not standard or standard in _BUILT_IN:
            return _ALL  # metrics the reader makes up, or Symbol's and ZapfDingbats', read apart
        names = _glyph_names(font, standard)
        return frozenset(c for c in range(256) if not _known(standard, names[c]))
    first, last = _get(font, "/FirstChar"), _get(font, "/LastChar")
    if not (isinstance(widths, ArrayObject) and _code(first) and _code(last) and first <= last):
        return _ALL  # widths readers read differently, or not at all
    given = {first + at: _number(width) for at, width in enumerate(widths[: last - first + 1])}
    uncertain = {code for code in range(256) if given.get(code) is None}
    if font.get("/Subtype") == "/Type3":  # PDFium moves by the glyph's own d0/d1 width, poppler by /Widths
        uncertain |= _type3_apart(font, given)
    if standard:  # pdfminer.six takes the standard metrics over /Widths
        metrics = _fontdata.widthsByFontGlyph[standard]
        names = _glyph_names(font, standard)
        for code, width in given.items():
            glyph = names[code] if 0 <= code < 256 else None
            if not _known(standard, glyph) or abs(metrics[glyph or ""] - (width or 0)) > _SAME_WIDTH:
                uncertain.add(code)
    return frozenset(c for c in uncertain if 0 <= c < 256)


_GLYPH_WIDTH = re.compile(rb"\s*([-+.\d]+)\s+[-+.\d]+\s+(?:d0|(?:[-+.\d]+\s+){4}d1)(?![^\s\[\]()<>/%{}])")


def _type3_apart(font: DictionaryObject, given: dict[int, float | None]) -> set[int]:
    """The codes of a Type3 font whose glyph procedure's width (``d0``/``d1``) is not its /Widths
    entry, or whose glyph has no procedure that starts by saying its width."""
    procedures = _get(font, "/CharProcs")
    names = _glyph_names(font, "")
    apart = set()
    for code, width in given.items():
        name = names[code] if 0 <= code < 256 else None
        procedure = _get(procedures, "/" + name) if name else None
        try:
            m = _GLYPH_WIDTH.match(procedure.get_data()) if isinstance(procedure, StreamObject) else None
            own = float(m.group(1)) if m else None
        except Exception:  # noqa: BLE001 - a procedure that does not read (a bad stream, a bad number)
            own = None
        if own is None or width is None or abs(own - width) > 1e-3 * max(1.0, abs(width)):
            apart.add(code)
    return apart


def _bytes(operand: Any) -> bytes:
    original = getattr(operand, "original_bytes", None)
    if isinstance(original, bytes):
        return original
    return bytes(operand) if isinstance(operand, bytes) else b""


# ' and " show after; ET does not move the pen (text shown after it, which readers draw, goes on
# from there) and q/Q do not keep the text matrix
_NEW_RUN = frozenset({b"BT", b"Td", b"TD", b"Tm", b"T*", b"'", b'"'})
# An escape in a literal string readers decode otherwise than pypdf: an octal value over 255
# (poppler and PDFium keep its low byte, pypdf the backslash and digits), a backslash before
# anything but n r t b f ( ) \, an octal digit or a line end.
_ODD_ESCAPE = re.compile(rb"\\(?![nrtbf()\\\r\n]|[0-3][0-7]{2}|[0-7]{1,2}(?![0-7]))")
_SHOW = frozenset({b"Tj", b"TJ", b"'", b'"'})
# A run of number characters readers cut otherwise than pypdf: a sign after the first character,
# two signs, two points (names and strings aside). Only a stream quickcontent finds not plain can
# hold one (its numbers are plain decimals).
_ODD_NUMBER = re.compile(rb"(?<![\w/#])[+\-.\d]*(?:[\d.][+\-]|[+\-]{2}|\.\d*\.)")
# What can move the pen back, looked for before any parsing: TJ, Tc, Tw, Tz, '"', or a minus sign
# anywhere (a negative font size or matrix, however written: comments between the numbers too).
_MAY_TURN_LITERALS = (b"TJ", b"Tc", b"Tw", b"Tz", b'"', b"-")


@dataclass
class _State:
    """What of the graphics state decides how far a glyph moves the pen (``q``/``Q`` keep it)."""

    font: Any = None
    size: float = 1.0  # the font size: below zero, every advance and step turns back
    tc: float = 0.0  # character spacing
    tw: float = 0.0  # word spacing
    tz: float = 100.0  # horizontal scaling
    ctm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0)  # the matrix (cm), its linear part
    tm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0)  # the text matrix (Tm); BT sets it straight

    def stretch(self) -> float:
        """How much wider than high the text is drawn (``Tz`` times the matrices' x axis over their
        y axis): a gap's width in ems of what readers take for the font's size (round 33: a hyphen
        stretched 58 times by its ``Tm``, no ``Tz``, its /Widths 5/1000 em, hid a column's gutter)."""
        matrix = _times(self.tm, self.ctm)
        high = math.hypot(matrix[2], matrix[3])
        return abs(self.tz) / 100 * math.hypot(matrix[0], matrix[1]) / high if high > 0 else math.inf

    def turned_back(self) -> bool:
        """Whether the pen moves back along the line as it shows: a size or scaling of zero or
        less, text whose matrices turn the line back or mirror it, a Type3 font whose matrix does."""
        return self.size <= 0 or self.tz <= 0 or _turned(_times(self.tm, self.ctm)) or _type3_turned(self.font)


def _linear(operands: list[Any]) -> tuple[float, ...] | None:
    numbers = [_number(value) for value in operands[:4]]
    return None if len(numbers) < 4 or None in numbers else tuple(n or 0.0 for n in numbers)


def _times(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """The linear part of ``m`` then ``n`` (PDF's row-vector order)."""
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3])


def _turned(matrix: tuple[float, ...] | None) -> bool:
    """A matrix whose x axis points back along the page (a < 0: mirrored left to right, or
    turned more than a quarter); a matrix that does not read counts as turned. A mirror top to
    bottom (``1 0 0 -1``, common) keeps the order along the line."""
    return matrix is None or matrix[0] < 0


def _type3_turned(font: Any) -> bool:
    """A Type3 font whose /FontMatrix turns its glyphs' widths back or shears them (readers then
    place what follows apart: pdfminer.six reads a shear otherwise than poppler and PDFium)."""
    font = font.get_object() if isinstance(font, IndirectObject) else font
    if not isinstance(font, DictionaryObject) or font.get("/Subtype") != "/Type3":
        return False
    matrix = _get(font, "/FontMatrix")
    if not isinstance(matrix, ArrayObject) or len(matrix) < 6:
        return True
    linear = _linear(list(matrix))
    return _turned(linear) or linear is None or linear[1] != 0 or linear[2] != 0


def _set(state: _State, operator: bytes, operands: list[Any], resources: Any) -> None:
    """The font, size, spacing, scaling or matrix an operator sets (``Tf``, ``Tc``, ``Tw``, ``Tz``,
    ``gs``, ``cm``, ``Tm``, ``BT``)."""
    if operator == b"BT":
        state.tm = (1.0, 0.0, 0.0, 1.0)
    if not operands:
        return
    if operator == b"Tf":
        fonts = _get(resources, "/Font")
        state.font = _get(fonts, str(operands[0])) if isinstance(fonts, DictionaryObject) else None
        state.size = (_number(operands[1]) if len(operands) > 1 else None) or 0.0
    elif operator == b"cm":
        linear = _linear(operands)
        state.ctm = _times(linear, state.ctm) if linear is not None else (-1.0, 0.0, 0.0, 1.0)
    elif operator == b"Tm":
        state.tm = _linear(operands) or (-1.0, 0.0, 0.0, 1.0)  # one that does not read: turned
    elif operator in (b"Tc", b"Tw", b"Tz"):
        setattr(state, operator.decode().lower(), _number(operands[0]) or 0.0)
    elif operator == b"gs":
        setting = _get(_get(_get(resources, "/ExtGState"), str(operands[0])), "/Font")
        if isinstance(setting, ArrayObject) and setting:
            state.font = setting[0].get_object()
            state.size = (_number(setting[1]) if len(setting) > 1 else None) or 0.0


def _shown_items(operands: list[Any]) -> list[Any]:
    """A show operator's strings and numbers (its last operand, or the ``TJ`` array's items)."""
    shown = operands[-1]
    return list(shown) if isinstance(shown, ArrayObject) else [shown]


def _shown_codes(operands: list[Any], items: list[Any] | None = None) -> bytes:
    """The codes a show operator shows (``items``: its ``_shown_items``, when already made)."""
    return b"".join(
        _bytes(item) for item in (items if items is not None else _shown_items(operands)) if _number(item) is None
    )


class _Scan:
    """One page's content read run by run: whether a run shows a glyph of uncertain width and
    moves the pen back."""

    def __init__(self) -> None:
        self.uncertain: dict[int, frozenset[int]] = {}
        self.seen: set[tuple[object, ...]] = set()  # forms read, with what they inherit

    def codes(self, font: Any) -> frozenset[int]:
        key = id(font.get_object() if isinstance(font, IndirectObject) else font)
        if key not in self.uncertain:
            self.uncertain[key] = uncertain_codes(font)
        return self.uncertain[key]

    def page(self, page: DictionaryObject) -> bool:
        contents = _get(page, "/Contents")
        parts = contents if isinstance(contents, ArrayObject) else [contents]
        data = b"\n".join(
            part.get_data()
            for part in (p.get_object() for p in parts if p is not None)
            if isinstance(part, StreamObject)
        )
        return self._operations(data, _get(page, "/Resources"), _State(), 0)

    def _operations(self, data: bytes, resources: Any, state: _State, depth: int) -> bool:
        stream = ContentStream(None, None)
        stream.set_data(data)
        saved: list[_State] = []
        # A number pypdf reads otherwise than the readers (``280.0-0``: pypdf 0, the readers 280
        # then -0) may be a step back the operations do not show: every run then counts as moving back.
        odd = quick_operations(data) is None and _ODD_NUMBER.search(blank_strings(data)) is not None
        # and a string pypdf may decode otherwise than the readers may show any code
        escaped = _ODD_ESCAPE.search(data) is not None
        run = [escaped, odd]  # the current run has shown a glyph of uncertain width; has moved back
        for operands, operator in stream.operations:
            if operator in _NEW_RUN:
                run = [escaped, odd]
            if operator in _SHOW and operands:
                if self._show(operator, operands, state, run):
                    return True
            elif operator == b"Do" and operands and depth < _MAX_DEPTH:
                if self._form(resources, operands[0], replace(state), depth):
                    return True
            elif operator == b"q":
                saved.append(replace(state))
            elif operator == b"Q" and saved:
                state = saved.pop()
            else:
                _set(state, operator, operands, resources)
        return False

    def _show(self, operator: bytes, operands: list[Any], state: _State, run: list[bool]) -> bool:
        """Note what one show does to the run; True once the run has both (``_operations``)."""
        if operator == b'"' and len(operands) >= 3:
            state.tw, state.tc = _number(operands[0]) or 0.0, _number(operands[1]) or 0.0
        items = _shown_items(operands)
        codes = _shown_codes(operands, items)
        steps_back = any((_number(item) or 0.0) > 0 for item in items)
        spaced_back = bool(codes) and (state.tc < 0 or state.turned_back() or (state.tw < 0 and b" " in codes))
        run[0] = run[0] or not self.codes(state.font).isdisjoint(codes)
        run[1] = run[1] or steps_back or spaced_back
        return run[0] and run[1]

    def _form(self, resources: Any, name: Any, state: _State, depth: int) -> bool:
        value = _get(resources, "/XObject")
        value = value.get(str(name)) if isinstance(value, DictionaryObject) else None
        if isinstance(value, IndirectObject):
            # a form drawn again is read again when what it inherits could read otherwise
            inherited = (
                id(state.font),
                state.size <= 0,
                state.tc < 0,
                state.tw < 0,
                state.turned_back(),
                state.stretch(),
            )
            if (value.idnum, *inherited) in self.seen:
                return False
            self.seen.add((value.idnum, *inherited))
        form = value.get_object() if value is not None else None
        if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form":
            return False
        matrix = _get(form, "/Matrix")
        if matrix is not None:  # the form's space, then the page's
            linear = _linear(list(matrix)) if isinstance(matrix, ArrayObject) else None
            state.ctm = _times(linear, state.ctm) if linear is not None else (-1.0, 0.0, 0.0, 1.0)
        own = _get(form, "/Resources")
        return self._operations(form.get_data(), own if own is not None else resources, state, depth + 1)


def _forms(resources: Any, depth: int, seen: set[int]) -> Iterator[Any]:
    """Every form ``resources`` (and its forms') name, each once."""
    if not isinstance(resources, DictionaryObject) or depth > _MAX_DEPTH:
        return
    for form in resource_forms(resources, seen):
        yield form
        yield from _forms(_get(form, "/Resources"), depth + 1, seen)


def _fonts(resources: Any, depth: int, seen: set[int]) -> Iterator[tuple[Any, bool]]:
    """Every font ``resources`` (and its forms') name, each once, and whether a graphics state
    (``gs``) sets it, with its size, out of the content's sight."""
    if not isinstance(resources, DictionaryObject) or depth > _MAX_DEPTH:
        return
    fonts = _get(resources, "/Font")
    yield from ((font, False) for font in (fonts.values() if isinstance(fonts, DictionaryObject) else ()))
    states = _get(resources, "/ExtGState")
    for state in states.values() if isinstance(states, DictionaryObject) else ():
        setting = _get(state.get_object(), "/Font")
        if isinstance(setting, ArrayObject) and setting:
            yield setting[0], True
    for form in resource_forms(resources, seen):
        yield from _fonts(_get(form, "/Resources"), depth + 1, seen)


_PLAIN_LITERAL = re.compile(rb"\(([^()\\]*)\)")  # no escape, no parenthesis inside
_HEX = re.compile(rb"(?<!<)<([0-9A-Fa-f\s]*)>")
_LONE_LT = re.compile(rb"(?<!<)<(?!<)")


def _strings(data: bytes) -> list[bytes] | None:
    """The bytes of every string in ``data``; None unless every "(" opens a plain literal and
    every lone "<" a hexadecimal string (escapes, nesting, inline images: the full scan reads)."""
    literals = [m.group(1) for m in _PLAIN_LITERAL.finditer(data)]
    if len(literals) != data.count(b"("):
        return None
    hexes = [re.sub(rb"\s", b"", m.group(1)) for m in _HEX.finditer(data)]
    if len(hexes) != len(_LONE_LT.findall(data)):
        return None
    return literals + [bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()) for digits in hexes]


def _may_turn_back(data: bytes) -> bool:
    return any(op in data for op in _MAY_TURN_LITERALS)


def _may_show(streams: list[bytes], uncertain: frozenset[int]) -> bool:
    """False when no stream can move the pen back (``_MAY_TURN_BACK``) or no string in any of
    them holds a code in ``uncertain`` (the cheap look first)."""
    if not any(_may_turn_back(data) for data in streams):
        return False
    certain = bytes(code for code in range(256) if code not in uncertain)
    for data in streams:
        strings = _strings(data)
        if strings is None or any(shown.translate(None, certain) for shown in strings):
            return True
    return False


def advance_doubt(page: DictionaryObject) -> str:
    """``ADVANCE_DOUBT`` when a run of the page's text (forms' included) shows a glyph whose
    width readers take differently and moves the pen back; ``GAP_DOUBT`` when it shows one whose
    ``/Widths`` is so much narrower than the standard metrics that a gap may lie unseen; content
    we cannot read counts."""
    fonts = list(_fonts(_get(page, "/Resources"), 0, set()))
    uncertain = frozenset().union(*(uncertain_codes(font) for font, _ in fonts))
    try:
        streams = list(content_streams(page))
        forms = list(_forms(_get(page, "/Resources"), 0, set()))
        if _hides_gaps(fonts, streams, forms) and _GapScan().page(page):
            return GAP_DOUBT
        # a Type3 font turned back, or a font (and size) set by a graphics state, which the content
        # does not show: the cheap look cannot rule them out
        beyond = any(by_state or _type3_turned(font) for font, by_state in fonts)
        if not uncertain or not (beyond or _may_show(streams, uncertain)):
            return ""
        return ADVANCE_DOUBT if _Scan().page(page) else ""
    except Exception:  # noqa: BLE001 - content pypdf cannot parse: nothing about it is certain
        return ADVANCE_DOUBT


ADVANCE_DOUBT = "its glyphs move the text by widths readers take differently, and the text moves back"
GAP_DOUBT = "its glyphs are far wider to one reader than the text moves past them: a gap may lie unseen"
_HIDDEN = 0.4  # ems (times the horizontal scaling) a glyph's standard width may pass its /Widths by
_SCALING = re.compile(rb"(?<![\w.])([-+]?(?:\d+\.?\d*|\.\d+))\s+Tz(?![\w])")


_NUMBER = rb"([-+]?(?:\d+\.?\d*|\.\d+))"
_MATRIX = re.compile(
    rb"(?<![\w.])" + rb"\s+".join([_NUMBER] * 4) + rb"\s+" + rb"\s+".join([_NUMBER] * 2) + rb"\s+(?:Tm|cm)(?![\w])"
)
_MATRIX_OPERATOR = re.compile(rb"(?<![\w])(?:Tm|cm)(?![\w])")


def _most_stretch(streams: list[bytes], forms: list[Any]) -> float:
    """An upper bound of how much wider than high any text of the page is drawn by its matrices:
    every ``Tm``, ``cm`` and form ``/Matrix`` that stretches, multiplied (nested ones do); without
    bound when one does not read (``_GapScan`` then reads the page)."""
    most = 1.0
    for data in streams:
        found = _MATRIX.findall(data)
        if len(found) != len(_MATRIX_OPERATOR.findall(data)):
            return math.inf
        for a, b, c, d, _, _ in found:
            most *= max(1.0, _stretched(float(a), float(b), float(c), float(d)))
    for form in forms:
        matrix = _get(form, "/Matrix")
        linear = _linear(list(matrix)) if isinstance(matrix, ArrayObject) else (1.0, 0.0, 0.0, 1.0)
        most *= max(1.0, _stretched(*linear) if linear is not None else math.inf)
    return most


def _stretched(a: float, b: float, c: float, d: float) -> float:
    high = math.hypot(c, d)
    return math.hypot(a, b) / high if high > 0 else math.inf


def _hides_gaps(fonts: list[tuple[Any, bool]], streams: list[bytes], forms: list[Any]) -> bool:
    """Whether the page may show a glyph whose /Widths (the advance poppler moves by) falls short
    of its width (what PDFium's box for it spans, ``_excess``) by more than ``_HIDDEN`` em at the
    page's largest horizontal scaling: PDFium's box then covers a gap that
    poppler sees, and may read a column across (round 26: Helvetica with /Widths of 5/1000 em
    under ``Tz`` 11700). Neither the screen nor reading order, which work from PDFium's boxes, can
    see it: the page is a picture's to read."""
    scale = max([100.0, *(abs(float(m.group(1))) for data in streams for m in _SCALING.finditer(data))]) / 100
    scale *= _most_stretch(streams, forms)
    hiding = frozenset().union(*(_narrow(font, scale).bytes_held() for font, _ in fonts))
    if not hiding:
        return False
    shown = bytes(code for code in range(256) if code not in hiding)
    for data in streams:
        strings = _strings(data)
        if strings is None or any(text.translate(None, shown) for text in strings):
            return True  # maybe: ``_GapScan`` asks which font shows each string (a subset font
            # lists 0 for the codes it does not hold, which another font on the page may show)
    return False


class _GapScan(_Scan):
    """One page's content read show by show: whether one shows a code its font's widths make
    far narrower than the glyph (``_narrow``, at the scaling then in force)."""

    def __init__(self) -> None:
        super().__init__()
        self.narrow: dict[tuple[int, float], _Narrow] = {}

    def _show(self, operator: bytes, operands: list[Any], state: _State, run: list[bool]) -> bool:
        codes = _shown_codes(operands)
        scale = max(1.0, state.stretch())
        key = (id(state.font.get_object() if isinstance(state.font, IndirectObject) else state.font), scale)
        if key not in self.narrow:
            self.narrow[key] = _narrow(state.font, scale) if state.font is not None else _EVERY
        return self.narrow[key].shows(codes)


@dataclass(frozen=True)
class _Narrow:
    """The codes a font shows far narrower than their glyphs at one scaling, as sorted, disjoint
    (first, last) ranges: one-byte codes of a simple font, two-byte CIDs of a Type0 font under
    Identity-H or -V. Under any other CMap (``size`` 0) the CMap, which we do not read, says which
    CID a code shows: any code may show a narrow one."""

    ranges: tuple[tuple[int, int], ...]
    size: int  # bytes a code takes; 0: any

    def bytes_held(self) -> frozenset[int]:
        """Every byte a string showing one of the codes holds, for a look at the strings alone."""
        if self.size != 1:
            return _ALL if self.ranges else frozenset()
        return frozenset(code for first, last in self.ranges for code in range(first, last + 1))

    def shows(self, codes: bytes) -> bool:
        """Whether a string shown (``codes``) holds one of the codes."""
        if self.size == 0:
            return bool(self.ranges and codes)
        step = self.size
        return any(self._holds(int.from_bytes(codes[at : at + step], "big")) for at in range(0, len(codes), step))

    def _holds(self, code: int) -> bool:
        at = bisect.bisect_right(self.ranges, (code, _LAST_CID)) - 1
        return at >= 0 and self.ranges[at][1] >= code


_LAST_CID = 0xFFFF
_EVERY = _Narrow(((0, _LAST_CID),), 0)


def _narrow(font: Any, scale: float) -> _Narrow:
    """The codes whose width (/Widths; /W or /DW) falls short of the glyph's by more than
    ``_HIDDEN`` em at ``scale`` (``_excess``, ``_CidWidths``)."""
    facts, limit = _facts(font), _HIDDEN / scale
    if facts.most <= limit:
        return _Narrow((), 1)
    if facts.cids is not None:
        return facts.cids.narrow(_FLOOR / 1000 - limit)
    return _Narrow(tuple((code, code) for code, ems in sorted(facts.excess.items()) if ems > limit), 1)


def _excess(font: DictionaryObject) -> dict[int, float]:
    """By how many ems each glyph of a simple font passes its /Widths, where it does. The glyph's
    width is the standard font's where the font is one of the fourteen; for any other name (PDFium
    takes "Arial" for Helvetica, round 27) or a font program of its own, the narrowest the glyph is
    in Helvetica, Times and Courier: a text font's letters are not far narrower than all three
    (``_real_width``)."""
    if font.get("/Subtype") in ("/Type0", "/Type3"):
        return {}
    base = _get(font, "/BaseFont")
    standard = str(base)[1:] if isinstance(base, NameObject) and str(base)[1:] in _fontdata.widthsByFontGlyph else ""
    widths, first, last = _get(font, "/Widths"), _get(font, "/FirstChar"), _get(font, "/LastChar")
    if not isinstance(widths, ArrayObject) or not (_code(first) and _code(last) and first <= last):
        return {}  # no /Widths to fall short, or ones ``uncertain_codes`` already doubts whole
    names = _glyph_names(font, standard or "Helvetica")
    least = _fontdata.widthsByFontGlyph[standard] if standard in _STANDARD_TEXT else _narrowest()
    excess = {}
    for at, value in enumerate(widths[: last - first + 1]):
        code, width = first + at, _number(value)
        if width is not None and (real := _real_width(names[code], least)) > width:
            excess[code] = (real - width) / 1000
    return excess


# Thousandths of an em: the narrowest letter of Helvetica, Times and Courier (Helvetica's i, j, l).
# A glyph whose width nothing tells (a name of its own, a ligature, no name, any CID) is taken to be
# at least this wide: a tiny width is then a doubt once the scaling passes 180% (0.4 em over 0.222),
# and never at 100% (no width under 0.222 em passes 0.4 em there), where real text with marks of
# no width (accents, combining marks) is shown.
_FLOOR = 222.0


def _real_width(glyph: str | None, least: dict[str, float]) -> float:
    """The glyph's width in ``least``, by its name or by the standard name of the character that
    the name stands for in the Adobe glyph list (``uni004E``, ``u004E``, ``N.alt``: "N", as
    PDFium and poppler read them); ``_FLOOR`` where neither is known."""
    if glyph in least:
        return least[glyph]
    text = agl.toUnicode(glyph) if glyph else ""
    standard = agl.UV2AGL.get(ord(text)) if len(text) == 1 else None
    return least.get(standard or "", _FLOOR)


@dataclass(frozen=True)
class _CidWidths:
    """A Type0 font's widths in ems: each /W entry (first CID, last CID, width), the /DW that
    every other CID takes, and whether the font's codes are its CIDs (Identity-H and -V). No CID's
    own width is known (the CMap and the font program say which glyph it is): each is taken to be
    ``_FLOOR`` wide."""

    runs: tuple[tuple[int, int, float], ...]
    default: float
    identity: bool

    def least(self) -> float:
        return min([self.default, *(width for _, _, width in self.runs)])

    def narrow(self, under: float) -> _Narrow:
        """The CIDs narrower than ``under`` ems (every code, when the CMap is not Identity)."""
        ranges = [(first, last) for first, last, width in self.runs if width < under]
        if self.default < under:
            ranges += _unlisted(self.runs)
        return _Narrow(_merged(ranges), 2 if self.identity else 0)


def _cid_widths(font: DictionaryObject) -> _CidWidths:
    """The ``_CidWidths`` of a Type0 font's descendant. A /W or /DW that does not read counts as no
    width at all (``doubt._width_doubt`` doubts the font's text for it too)."""
    kids = _get(font, "/DescendantFonts")
    kid = kids[0].get_object() if isinstance(kids, ArrayObject) and kids else None
    given = _get(kid, "/DW")
    default = 1.0 if given is None else (_number(given) or 0.0) / 1000
    identity = _get(font, "/Encoding") in ("/Identity-H", "/Identity-V")
    runs = []
    for first, last, width in cid_runs(_get(kid, "/W")):
        if not (_whole(first) and _whole(last) and first <= last) or (ems := _number(width)) is None:
            return _CidWidths(((0, _LAST_CID, 0.0),), 0.0, identity)
        runs.append((first, last, ems / 1000))
    return _CidWidths(tuple(runs), default, identity)


def cid_runs(w: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(first CID, last CID, width) of each width a CID font's ``/W`` gives (``c [w1 w2 …]`` or
    ``c_first c_last w``), as written; an array that does not parse so yields (None, None, None)."""
    items = [_resolved(item) for item in w] if isinstance(w, ArrayObject) else []
    at = 0
    while at < len(items):
        if at + 1 < len(items) and isinstance(items[at + 1], ArrayObject):
            first = items[at]
            for offset, width in enumerate(items[at + 1]):
                code = first + offset if _whole(first) else None
                yield code, code, _resolved(width)
            at += 2
        elif at + 2 < len(items):
            yield items[at], items[at + 1], items[at + 2]
            at += 3
        else:
            yield None, None, None
            return


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, (bool, float))


def _merged(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """``ranges`` sorted, those that overlap or touch made one."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


def _unlisted(runs: tuple[tuple[int, int, float], ...]) -> list[tuple[int, int]]:
    """The CIDs (0 to 65535) no run gives a width to: those /DW gives its width."""
    gaps, start = [], 0
    for first, last in _merged([(first, last) for first, last, _ in runs]):
        if first > start:
            gaps.append((start, first - 1))
        start = max(start, last + 1)
    return [*gaps, (start, _LAST_CID)] if start <= _LAST_CID else gaps


_STANDARD_TEXT = frozenset(name for name in _fontdata.widthsByFontGlyph if name not in ("Symbol", "ZapfDingbats"))


@functools.cache
def _narrowest() -> dict[str, float]:
    """Each glyph's narrowest width among the standard text fonts (Helvetica, Times, Courier)."""
    least: dict[str, float] = {}
    for name in _STANDARD_TEXT:
        for glyph, width in _fontdata.widthsByFontGlyph[name].items():
            least[glyph] = min(width, least.get(glyph, width))
    return least
