"""The boxes drawn over removed text, and where their labels go.

A redaction is a black box with "[REDACTED]" in white; a replacement is a white
box with a thin border and the pseudonym in black, so the sentence still reads.
Labels are upright as the page is viewed (``/Rotate`` is taken into account)
and shrink to fit the box, or are left out when the box is too small to read.

A box over glyphs removed from the page's own content is drawn where they were, in
the order the page draws its text (``inline``): the label then reads in its sentence
("Statement of FK dated"), for a reader in content order as for one by position, and
the page needs no second reading in visual order (``layout.out_of_order``). Any other
box (drawn by hand, over a form's glyphs) is drawn after the page (``overlay``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pypdf.generic import BooleanObject, DictionaryObject, FloatObject, NameObject
from reportlab.pdfbase.pdfmetrics import stringWidth

from bundler.core.anonymise.pdf.geometry import Matrix, Rect, Spot, bbox_of, invert

__all__ = [
    "LABEL_FONT",
    "LABEL_STATE",
    "Label",
    "Names",
    "OURS",
    "label_layout",
    "label_font",
    "label_state",
    "inline",
    "overlay",
]

LABEL_FONT = "/RdxLabel"
LABEL_STATE = "/RdxPlain"  # an ExtGState: opaque, normal blending, no soft mask, no overprint
_MIN_SIZE = 3.0  # points: smaller labels would be unreadable noise
_CAP_HEIGHT = 0.72  # Helvetica, em


@dataclass(frozen=True)
class Names:
    """The resource names a page's boxes use: ours, or fresh ones where the page has its own."""

    font: str = LABEL_FONT
    state: str = LABEL_STATE

    @classmethod
    def free_in(cls, resources: Any) -> Names:
        resources = resources.get_object() if resources is not None else {}
        return cls(_free(resources, "/Font", LABEL_FONT), _free(resources, "/ExtGState", LABEL_STATE))


def _free(resources: Any, category: str, name: str) -> str:
    taken = resources.get(category)
    taken = taken.get_object() if taken is not None else {}
    fresh, number = name, 0
    while fresh in taken:
        number += 1
        fresh = f"{name}{number}"
    return fresh


OURS = Names()  # on a page that has no resource of these names


@dataclass(frozen=True)
class Label:
    text: str  # only characters Helvetica/WinAnsi can show
    size: float
    angle: int  # degrees counter-clockwise in user space
    matrix: Matrix  # text matrix: rotation and baseline start
    box: Rect  # the area the label's glyphs occupy, in user space


def _printable(label: str) -> str:
    return label.encode("cp1252", errors="replace").decode("cp1252")


def _angle(rect: Rect, rotate: int) -> int:
    """Upright as the page is viewed, unless the box runs the other way (like its text)."""
    wide = rect[2] - rect[0] >= rect[3] - rect[1]
    if wide == (rotate % 180 == 0):
        return rotate % 360
    return 0 if wide else 90


def label_layout(spot: Spot, rotate: int) -> Label | None:
    """Fit ``spot.label`` inside ``spot.rect``, reading upright on a page shown at ``rotate``."""
    text = _printable(spot.label)
    x0, y0, x1, y1 = spot.rect
    degrees = _angle(spot.rect, rotate)
    length, thickness = (y1 - y0, x1 - x0) if degrees % 180 == 90 else (x1 - x0, y1 - y0)
    width_em = stringWidth(text, "Helvetica", 1) or 1.0
    size = min(thickness * 0.75, (length - 2) / width_em)
    if size < _MIN_SIZE:
        return None
    angle = math.radians(degrees)
    cos, sin = round(math.cos(angle), 9), round(math.sin(angle), 9)
    half_w, half_h = width_em * size / 2, _CAP_HEIGHT * size / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    start = (cx - half_w * cos + half_h * sin, cy - half_w * sin - half_h * cos)
    matrix = (cos, sin, -sin, cos, start[0], start[1])
    glyphs = (0.0, -0.25 * size, width_em * size, 1.0 * size)
    return Label(text, size, degrees, matrix, bbox_of(matrix, glyphs))


def label_font() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def label_state() -> DictionaryObject:
    """What an inline box resets of the graphics state it is drawn in (``inline``)."""
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/ExtGState"),
            NameObject("/CA"): FloatObject(1),
            NameObject("/ca"): FloatObject(1),
            NameObject("/BM"): NameObject("/Normal"),
            NameObject("/SMask"): NameObject("/None"),
            NameObject("/OP"): BooleanObject(False),
            NameObject("/op"): BooleanObject(False),
        }
    )


def _number(value: float, places: int = 4) -> str:
    return f"{value + 0.0:.{places}f}".rstrip("0").rstrip(".")  # + 0.0 turns -0.0 into 0


def _box_ops(spot: Spot) -> str:
    x0, y0, x1, y1 = spot.rect
    path = " ".join(_number(v) for v in (x0, y0, x1 - x0, y1 - y0)) + " re"
    if spot.replace:
        return f"1 g 0 G 0.5 w {path} B\n"
    return f"0 g {path} f\n"


def _label_ops(spot: Spot, rotate: int, font: str) -> str:
    label = label_layout(spot, rotate)
    if label is None:
        return ""
    encoded = label.text.encode("cp1252").hex()
    matrix = " ".join(_number(v) for v in label.matrix)
    colour = "0 g" if spot.replace else "1 g"
    return f"BT {colour} {font} {_number(label.size)} Tf {matrix} Tm <{encoded}> Tj ET\n"


def inline(spot: Spot, rotate: int, ctm: Matrix, names: Names) -> bytes | None:
    """Content drawing ``spot``'s box and label inside the page's content, where the current
    transformation is ``ctm``: back to user space, and every part of the graphics and text
    state the box and label use set anew (the page's own is restored by ``Q``). None when
    ``ctm`` cannot be undone (it flattens the page)."""
    undo = invert(ctm)
    if undo is None:
        return None
    matrix = " ".join(_number(v, 9) for v in undo)
    reset = f"{names.state} gs [] 0 d 0 J 0 j 10 M 0 Tc 0 Tw 100 Tz 0 Ts 0 Tr\n"
    return f"q {matrix} cm {reset}{_box_ops(spot)}{_label_ops(spot, rotate, names.font)}Q".encode("ascii")


def overlay(spots: list[Spot], rotate: int, names: Names = OURS) -> bytes:
    """Content drawing every spot's box and label, in a clean graphics state."""
    parts = ["q\n"]
    for spot in spots:
        parts.append(_box_ops(spot))
        parts.append(_label_ops(spot, rotate, names.font))
    parts.append("Q\n")
    return "".join(parts).encode("ascii")
