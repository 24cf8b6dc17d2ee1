"""Where a page's visible area sits in PDF user space, and how it is turned for viewing.

The preview shows pages as viewed (``/Rotate`` applied, cropped), but redaction
boxes and hit highlights live in unrotated user space (``RedactionBox.rect``).
QtPdf does not expose the crop box or the rotation, so they are read here with
pypdf, one page at a time: walking the page tree by ``/Count`` touches a handful
of objects, where ``reader.pages[i]`` would flatten all 5,000 pages first.
pypdf rather than pypdfium2 because PDFium must not be entered from two threads,
and the app's workers use pypdfium2 while the preview runs on the UI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

__all__ = ["Rect", "PageGeometry", "PageGeometryReader"]

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
_LETTER: Rect = (0.0, 0.0, 612.0, 792.0)  # PDFium's stand-in for a missing /MediaBox
_INHERITED = ("/MediaBox", "/CropBox", "/Rotate")
_MAX_DEPTH = 64  # a deeper page tree is a loop or an attack
_log = logging.getLogger(__name__)


def _normal(rect: Rect) -> Rect:
    x0, y0, x1, y1 = rect
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


@dataclass(frozen=True)
class PageGeometry:
    """A page's visible area in user space and its clockwise ``/Rotate``."""

    box: Rect
    rotation: int = 0  # 0, 90, 180 or 270

    @property
    def viewed_size(self) -> tuple[float, float]:
        width, height = self.box[2] - self.box[0], self.box[3] - self.box[1]
        return (height, width) if self.rotation in (90, 270) else (width, height)

    def to_user(self, u: float, v: float) -> tuple[float, float]:
        """Viewed point (points from the viewed top-left) to user space."""
        left, bottom, right, top = self.box
        return {
            0: (left + u, top - v),
            90: (left + v, bottom + u),
            180: (right - u, bottom + v),
            270: (right - v, top - u),
        }[self.rotation]

    def to_viewed(self, x: float, y: float) -> tuple[float, float]:
        left, bottom, right, top = self.box
        return {
            0: (x - left, top - y),
            90: (y - bottom, x - left),
            180: (right - x, y - bottom),
            270: (top - y, right - x),
        }[self.rotation]

    def rect_to_user(self, viewed: Rect) -> Rect:
        u0, v0, u1, v1 = viewed
        return _normal((*self.to_user(u0, v0), *self.to_user(u1, v1)))

    def rect_to_viewed(self, rect: Rect) -> Rect:
        x0, y0, x1, y1 = rect
        return _normal((*self.to_viewed(x0, y0), *self.to_viewed(x1, y1)))


def _number(value: Any) -> float:
    return float(value.get_object() if hasattr(value, "get_object") else value)


def _rect(value: Any) -> Rect | None:
    try:
        x0, y0, x1, y1 = (_number(v) for v in value)
    except (TypeError, ValueError):
        return None
    return _normal((x0, y0, x1, y1))


def _visible_box(media: Rect | None, crop: Rect | None) -> Rect:
    """As PDFium: the crop box clipped to the media box; the media box when that is empty."""
    media = media if media and media[2] > media[0] and media[3] > media[1] else _LETTER
    if crop is None:
        return media
    clipped = (
        max(crop[0], media[0]),
        max(crop[1], media[1]),
        min(crop[2], media[2]),
        min(crop[3], media[3]),
    )
    return clipped if clipped[2] > clipped[0] and clipped[3] > clipped[1] else media


def _rotation(value: Any) -> int:
    try:
        quarter = int(float(value) / 90)  # truncates like PDFium's integer division
    except (TypeError, ValueError):
        return 0
    return (quarter % 4) * 90


def _kid_at(node: Any, index: int) -> tuple[Any, int]:
    """The child of a page-tree node holding page ``index``, and the index within it."""
    kids = node["/Kids"]
    if int(node.get("/Count", -1)) == len(kids):  # a flat node: the page is kids[index]
        guess = kids[index].get_object()
        if "/Kids" not in guess:
            return guess, 0
    for ref in kids:
        kid = ref.get_object()
        size = int(kid.get("/Count", 0)) if "/Kids" in kid else 1
        if index < size:
            return kid, index
        index -= size
    raise IndexError("page index beyond the page tree")


def _find_page(root: Any, index: int) -> dict[str, Any]:
    """The inheritable attributes that apply to page ``index`` (0-based)."""
    node, found = root, {}
    for _ in range(_MAX_DEPTH):
        found.update({key: node[key] for key in _INHERITED if key in node})
        if "/Kids" not in node:
            return found
        node, index = _kid_at(node, index)
    raise IndexError("page tree too deep")


class PageGeometryReader:
    """Reads pages' geometry from one PDF on demand; opens the file on first use."""

    def __init__(self, path: Path, password: str | None = None) -> None:
        self._path, self._password = path, password
        self._reader: PdfReader | None = None
        self._cache: dict[int, PageGeometry | None] = {}

    def page(self, index: int) -> PageGeometry | None:
        """Geometry of page ``index`` (0-based), or None when the file cannot tell."""
        if index not in self._cache:
            self._cache[index] = self._read(index)
        return self._cache[index]

    def _read(self, index: int) -> PageGeometry | None:
        try:
            attrs = _find_page(self._open()["/Root"]["/Pages"].get_object(), index)
        except (
            PyPdfError,
            OSError,
            KeyError,
            IndexError,
            TypeError,
            ValueError,
            AttributeError,
        ) as exc:
            _log.info("no geometry for page %d of %s: %s", index + 1, self._path.name, exc)
            return None
        box = _visible_box(_rect(attrs.get("/MediaBox")), _rect(attrs.get("/CropBox")))
        return PageGeometry(box, _rotation(attrs.get("/Rotate", 0)))

    def _open(self) -> Any:
        if self._reader is None:
            reader = PdfReader(self._path, strict=False)
            if reader.is_encrypted:
                reader.decrypt(self._password or "")
            self._reader = reader
        return self._reader.trailer
