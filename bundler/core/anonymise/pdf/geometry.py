"""Affine matrices and rectangles in PDF user space, for locating glyphs.

PDF multiplies row vectors: a point ``p`` is drawn at ``p × M``, and ``A × B``
means "apply A, then B" — the order the content stream builds transforms in.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Spot",
    "Matrix",
    "Rect",
    "IDENTITY",
    "multiply",
    "invert",
    "translate",
    "apply",
    "axis_aligned",
    "normal_rect",
    "contains",
    "intersects",
    "bbox_of",
    "union",
]

Matrix = tuple[float, float, float, float, float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 with x0 <= x1, y0 <= y1


@dataclass(frozen=True)
class Spot:
    """One area to redact on a page, in unrotated user space, and the label it gets."""

    rect: Rect
    label: str
    manual: bool = False  # drawn by hand: anything under it is destroyed, text or not
    replace: bool = False  # labelled with a pseudonym rather than "[REDACTED]"


IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_EPSILON = 1e-6


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m × n``: the transform that applies ``m`` first, then ``n``."""
    a, b, c, d, e, f = m
    na, nb, nc, nd, ne, nf = n
    return (
        a * na + b * nc,
        a * nb + b * nd,
        c * na + d * nc,
        c * nb + d * nd,
        e * na + f * nc + ne,
        e * nb + f * nd + nf,
    )


def invert(m: Matrix) -> Matrix | None:
    """The transform that undoes ``m``; None when ``m`` flattens the plane."""
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-9:
        return None
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def translate(tx: float, ty: float) -> Matrix:
    return (1.0, 0.0, 0.0, 1.0, tx, ty)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (x * a + y * c + e, x * b + y * d + f)


def axis_aligned(m: Matrix) -> bool:
    """True for 0/90/180/270-degree orientations (with any scale), no skew."""
    a, b, c, d = (abs(v) for v in m[:4])
    scale = max(a, b, c, d, _EPSILON)
    return (b <= scale * 1e-3 and c <= scale * 1e-3) or (a <= scale * 1e-3 and d <= scale * 1e-3)


def normal_rect(x0: float, y0: float, x1: float, y1: float) -> Rect:
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def contains(rect: Rect, x: float, y: float) -> bool:
    return rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]


def intersects(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def bbox_of(m: Matrix, box: Rect = (0.0, 0.0, 1.0, 1.0)) -> Rect:
    """Axis-aligned bounds of ``box`` drawn through ``m`` (e.g. an image's unit square)."""
    corners = [apply(m, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def union(a: Rect, b: Rect) -> Rect:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
