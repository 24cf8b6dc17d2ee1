"""Words drawn as shapes: text converted to outlines (letterheads, logos, signatures).

Such words are in no text layer and in no picture, so neither the redactor nor the
OCR of pictures sees them, while every eye and every OCR of the rendered page reads
them. A page whose content draws many curves is rendered and read by OCR; when that
finds a protected term its text layer does not hold, the page is made a picture like
a page with a picture of the name (``stage``), so OCR, redaction and the check after
redaction all see it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
from pypdf import PageObject
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from bundler.core.anonymise.pdf.images import ImageReader
from bundler.core.anonymise.terms import Target, find_matches

__all__ = ["curve_count", "drawn_words"]

_CURVE = re.compile(rb"(?<![^\s\]\)>])[cvy](?=[\s/\[\(<]|$)")
_MANY_CURVES = 40  # a word in outlines takes several curves a letter; a rule or a box takes none
_MAX_DEPTH = 8
_DPI = 250


def _get(obj: Any, key: str) -> Any:
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value


def _streams(owner: Any, depth: int, seen: set[int]) -> Iterator[bytes]:
    """The decoded content of ``owner`` (a page or a form) and of the forms it uses."""
    contents = _get(owner, "/Contents") if not isinstance(owner, StreamObject) else owner
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    for part in parts:
        part = part.get_object() if isinstance(part, IndirectObject) else part
        if isinstance(part, StreamObject):
            yield part.get_data()
    xobjects = _get(_get(owner, "/Resources"), "/XObject")
    for value in xobjects.values() if isinstance(xobjects, DictionaryObject) and depth < _MAX_DEPTH else ():
        if isinstance(value, IndirectObject):
            if value.idnum in seen:
                continue
            seen.add(value.idnum)
        form = value.get_object()
        if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
            yield from _streams(form, depth + 1, seen)


def curve_count(page: PageObject) -> int:
    """How many Bézier curve operators the page's content (forms included) draws, roughly."""
    try:
        return sum(len(_CURVE.findall(data)) for data in _streams(page, 0, set()))
    except Exception:  # noqa: BLE001 - a stream we cannot decode: read the page from its pixels
        return _MANY_CURVES


def drawn_words(
    page: PageObject, rendered: pdfium.PdfPage, text: str, targets: list[Target], images: ImageReader
) -> bool:
    """Whether OCR of the rendered page finds a protected term that ``text`` (its text layer) lacks."""
    if curve_count(page) < _MANY_CURVES:
        return False
    picture = rendered.render(scale=_DPI / 72, may_draw_forms=False).to_pil()
    seen = {match.target.text for match in find_matches(images.text(picture), targets, ocr=True)}
    return bool(seen - {match.target.text for match in find_matches(text, targets, ocr=True)})
