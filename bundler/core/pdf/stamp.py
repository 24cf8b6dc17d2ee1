"""Page-number stamps: computed-text numbers, upright as the page is viewed.

A stamp is a few operators appended to a page's content (never a per-page
``merge_page`` of an overlay: measured 2.5x slower and 5% bigger). The page's
own content is wrapped in ``q … Q`` so its graphics state cannot leak into the
stamp. Geometry works in *viewed* coordinates (after ``/Rotate``, inside the
CropBox) and is mapped back to user space by one matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

__all__ = [
    "Box",
    "StampStyle",
    "visible_box",
    "viewed_to_user",
    "stamp_rect",
    "stamp_operators",
    "shrink_operators",
    "map_rect",
]

Box = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]
FONT_RESOURCE = "/BdlStamp"
SOURCE_RESOURCE = "/BdlSource"  # the page's own content, isolated in a form XObject


@dataclass(frozen=True)
class StampStyle:
    size: float = 10.0
    right: float = 24.0  # viewed distance from the visible right edge to the box
    bottom: float = 14.0  # viewed distance from the visible bottom edge to the box
    pad: float = 3.0


def visible_box(media: Box, crop: Box | None) -> Box:
    """CropBox ∩ MediaBox: what a reader actually shows."""
    if crop is None:
        return media
    box = (max(media[0], crop[0]), max(media[1], crop[1]), min(media[2], crop[2]), min(media[3], crop[3]))
    return box if box[0] < box[2] and box[1] < box[3] else media


def viewed_to_user(box: Box, rotate: int) -> Matrix:
    """Matrix taking viewed coordinates (origin at the viewed bottom-left) to user space."""
    llx, lly, urx, ury = box
    return {
        0: (1, 0, 0, 1, llx, lly),
        90: (0, 1, -1, 0, urx, lly),
        180: (-1, 0, 0, -1, urx, ury),
        270: (0, -1, 1, 0, llx, ury),
    }[rotate % 360]


def _viewed_size(box: Box, rotate: int) -> tuple[float, float]:
    width, height = box[2] - box[0], box[3] - box[1]
    return (height, width) if rotate % 180 else (width, height)


def stamp_rect(box: Box, rotate: int, label: str, style: StampStyle) -> Box:
    """The stamp's box in viewed coordinates."""
    width, _ = _viewed_size(box, rotate)
    text = stringWidth(label, "Helvetica-Bold", style.size)
    x1 = width - style.right
    x0 = x1 - text - 2 * style.pad
    return (x0, style.bottom, x1, style.bottom + style.size + 2 * style.pad)


def map_rect(matrix: Matrix, rect: Box) -> Box:
    """Transform a rectangle and return its axis-aligned bounds."""
    a, b, c, d, e, f = matrix
    xs, ys = [], []
    for x, y in ((rect[0], rect[1]), (rect[2], rect[3]), (rect[0], rect[3]), (rect[2], rect[1])):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return (min(xs), min(ys), max(xs), max(ys))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def stamp_operators(box: Box, rotate: int, label: str, style: StampStyle) -> bytes:
    """Restore the page's state, then draw a white, bordered box with the bold number."""
    x0, y0, x1, y1 = stamp_rect(box, rotate, label, style)
    matrix = " ".join(_num(v) for v in viewed_to_user(box, rotate))
    baseline = y0 + style.pad + 0.22 * style.size
    return (
        f"Q\nq {matrix} cm 1 g 0 G 0.6 w {_num(x0)} {_num(y0)} {_num(x1 - x0)} {_num(y1 - y0)} re B "
        f"BT 0 g {FONT_RESOURCE} {_num(style.size)} Tf {_num(x0 + style.pad)} {_num(baseline)} Td "
        f"({_escape(label)}) Tj ET Q\n"
    ).encode("latin-1")


def shrink_operators(box: Box, rotate: int, strip: float) -> tuple[bytes, Matrix]:
    """Scale the page content about its viewed top centre so a bottom ``strip`` is free.

    Returns the opening operators and the matrix (for moving annotation rectangles).
    """
    width, height = _viewed_size(box, rotate)
    scale = (height - strip) / height
    to_user = viewed_to_user(box, rotate)
    a, b, c, d, e, f = to_user
    px, py = a * width / 2 + c * height + e, b * width / 2 + d * height + f
    matrix = (scale, 0.0, 0.0, scale, px * (1 - scale), py * (1 - scale))
    return ("q " + " ".join(_num(v) for v in matrix) + " cm\n").encode("latin-1"), matrix


MIN_SIDE = 144.0  # points (2 in): smaller pages cannot carry a readable stamp; they are fitted to A4
_A4 = (595.2756, 841.8898)
_FIT_MARGIN = 60.0


def is_tiny(box: Box) -> bool:
    return min(box[2] - box[0], box[3] - box[1]) < MIN_SIDE


def fit_to_a4(box: Box) -> tuple[bytes, Matrix, Box]:
    """Scale a tiny page's content up to fill an A4 page (orientation by aspect), with
    margins that keep every corner clear. Returns operators, matrix and the new box."""
    width, height = box[2] - box[0], box[3] - box[1]
    page_w, page_h = _A4 if height >= width else (_A4[1], _A4[0])
    scale = min((page_w - 2 * _FIT_MARGIN) / width, (page_h - 2 * _FIT_MARGIN) / height)
    e = (page_w - width * scale) / 2 - box[0] * scale
    f = (page_h - height * scale) / 2 - box[1] * scale
    matrix = (scale, 0.0, 0.0, scale, e, f)
    ops = ("q " + " ".join(_num(v) for v in matrix) + " cm\n").encode("latin-1")
    return ops, matrix, (0.0, 0.0, page_w, page_h)
