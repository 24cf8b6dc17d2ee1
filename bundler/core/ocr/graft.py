"""Graft Tesseract's invisible text onto the original page, leaving its image alone.

Tesseract made its text-only page from a rendering of the page *as viewed*, so
its coordinates are viewed coordinates. We wrap that page as a form XObject (it
keeps its own font resources, so no names can clash with the page's) and draw it
through a matrix that scales it to the visible box and undoes ``/Rotate``.
The page's own content is bracketed by ``q … Q`` so a stream that leaves the
graphics state changed cannot displace the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
)

from bundler.core.pdf.stamp import Box, viewed_to_user, visible_box

__all__ = ["graft_text_layer", "text_matrix"]

Matrix = tuple[float, float, float, float, float, float]


def text_matrix(box: Box, rotate: int, width: float, height: float) -> Matrix:
    """Map a ``width`` × ``height`` viewed page onto ``box`` as shown with ``rotate``."""
    viewed_w, viewed_h = box[2] - box[0], box[3] - box[1]
    if rotate % 180:
        viewed_w, viewed_h = viewed_h, viewed_w
    sx, sy = viewed_w / width, viewed_h / height
    a, b, c, d, e, f = viewed_to_user(box, rotate)
    return (sx * a, sx * b, sy * c, sy * d, e, f)


def _page_box(page: Any) -> Box:
    media = tuple(float(v) for v in page.mediabox)
    crop = tuple(float(v) for v in page.cropbox) if "/CropBox" in page else None
    return visible_box(media, crop)  # type: ignore[arg-type]


def _content_bytes(page: Any) -> bytes:
    contents = page.get("/Contents")
    if contents is None:
        return b""
    obj = contents.get_object()
    streams = list(obj) if isinstance(obj, ArrayObject) else [contents]
    return b"\n".join(s.get_object().get_data() for s in streams)


def _stream(writer: PdfWriter, data: bytes, extra: dict[str, PdfObject] | None = None) -> PdfObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in (extra or {}).items():
        stream[NameObject(key)] = value
    return writer._add_object(stream.flate_encode())


def _form_xobject(writer: PdfWriter, text_page: Any) -> tuple[PdfObject, float, float]:
    llx, lly, urx, ury = (float(v) for v in text_page.mediabox)
    resources = text_page.get("/Resources", DictionaryObject()).get_object().clone(writer)
    ref = _stream(
        writer,
        _content_bytes(text_page),
        {
            "/Type": NameObject("/XObject"),
            "/Subtype": NameObject("/Form"),
            "/BBox": ArrayObject([FloatObject(v) for v in (llx, lly, urx, ury)]),
            "/Resources": resources,
        },
    )
    return ref, urx - llx, ury - lly


def _own_resources(page: Any) -> tuple[DictionaryObject, DictionaryObject]:
    """Copies of the page's /Resources and /XObject, so shared dictionaries stay as they were."""
    shared = page.get("/Resources")
    resources = DictionaryObject(shared.get_object() if shared is not None else {})
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object() if xobjects is not None else {})
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    return resources, xobjects


def _free_name(xobjects: DictionaryObject) -> NameObject:
    n = 0
    while f"/OcrText{n}" in xobjects:
        n += 1
    return NameObject(f"/OcrText{n}")


def _existing_streams(writer: PdfWriter, page: Any) -> list[PdfObject]:
    if "/Contents" not in page:
        return []
    raw = page.raw_get("/Contents")
    obj = raw.get_object()
    if isinstance(obj, ArrayObject):
        return list(obj)
    return [raw if isinstance(raw, IndirectObject) else writer._add_object(obj)]


def graft_text_layer(writer: PdfWriter, index: int, text_pdf: Path, rotate: int) -> None:
    """Draw the text-only page ``text_pdf`` invisibly over page ``index`` of ``writer``."""
    page = writer.pages[index]
    form, width, height = _form_xobject(writer, PdfReader(text_pdf).pages[0])
    _, xobjects = _own_resources(page)
    name = _free_name(xobjects)
    xobjects[name] = form
    matrix = " ".join(f"{v:.6f}" for v in text_matrix(_page_box(page), rotate, width, height))
    before = _stream(writer, b"q\n")
    after = _stream(writer, f"\nQ\nq {matrix} cm {name} Do Q\n".encode("ascii"))
    page[NameObject("/Contents")] = ArrayObject([before, *_existing_streams(writer, page), after])
