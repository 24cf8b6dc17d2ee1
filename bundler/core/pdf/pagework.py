"""Work on one page object in a pypdf writer: the stamp's font and streams, fitting
tiny pages to A4, shrinking a page whose corner is inked, explicit link targets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
)

from bundler.core.pdf.stamp import (
    FONT_RESOURCE,
    SOURCE_RESOURCE,
    Box,
    fit_to_a4,
    is_tiny,
    map_rect,
    shrink_operators,
    visible_box,
)

__all__ = ["STAMP_STRIP", "page_box", "explicit_link_dests", "new_font", "new_stream", "add_font", "stamp_page"]

STAMP_STRIP = 40.0  # viewed points kept free at the bottom of a shrunk page


def page_box(page: Any) -> Box:
    media = tuple(float(v) for v in page.mediabox)
    crop = tuple(float(v) for v in page.cropbox) if "/CropBox" in page else None
    return visible_box(media, crop)  # type: ignore[arg-type]


def explicit_link_dests(reader: PdfReader, pages: list[int]) -> None:
    """Named destinations of two sources can collide in one file: make them explicit.

    This edits only the reader's in-memory objects; the source file is untouched.
    """
    named = reader.named_destinations
    for index in pages:
        for ref in reader.pages[index].get("/Annots") or []:
            annot = ref.get_object()
            holder = annot["/A"].get_object() if "/A" in annot else annot
            key = "/D" if holder is not annot else "/Dest"
            name = holder.get(key)
            if isinstance(name, str) and str(name) in named:
                dest = named[str(name)]
                left, top = dest.get("/Left"), dest.get("/Top")
                holder[NameObject(key)] = ArrayObject(
                    [
                        dest.page,
                        NameObject("/XYZ"),
                        FloatObject(left) if left is not None else NullObject(),
                        FloatObject(top) if top is not None else NullObject(),
                        NullObject(),
                    ]
                )


def new_font(writer: PdfWriter) -> IndirectObject:
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )


def new_stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def add_font(page: Any, font: IndirectObject) -> None:
    resources = page.get("/Resources")
    if resources is None:
        page[NameObject("/Resources")] = resources = DictionaryObject()
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        resources[NameObject("/Font")] = fonts = DictionaryObject()
    fonts.get_object()[NameObject(FONT_RESOURCE)] = font


def _move_annotations(page: Any, matrix: tuple[float, ...]) -> None:
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        if "/Rect" in annot:
            rect = tuple(float(v) for v in annot["/Rect"])
            annot[NameObject("/Rect")] = ArrayObject(FloatObject(v) for v in map_rect(matrix, rect))  # type: ignore[arg-type]


def _fit_tiny_page(page: Any) -> tuple[bytes, tuple[float, ...]]:
    ops, matrix, box = fit_to_a4(page_box(page))
    for key in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
        if key in page:
            del page[key]
    page[NameObject("/MediaBox")] = ArrayObject(FloatObject(v) for v in box)
    return ops, matrix


def stamp_page(
    writer: PdfWriter,
    page: Any,
    closer: Callable[[Box, int], IndirectObject],
    shared: tuple[IndirectObject, IndirectObject],
    shrink: bool,
) -> tuple[Box, int]:
    """Wrap the page's content in an opener … ``closer(box, rotate)`` (which draws the stamp
    with the ``shared`` font; the shared opener is a plain ``q``), fitting a tiny page to A4
    and shrinking an inked one first. Returns the page's final box and turn."""
    font, opener = shared
    add_font(page, font)
    if is_tiny(page_box(page)):
        ops, matrix = _fit_tiny_page(page)
        opener = new_stream(writer, ops)
        _move_annotations(page, matrix)
    box, rotate = page_box(page), page.rotation % 360
    if shrink:
        ops, matrix = shrink_operators(box, rotate, STAMP_STRIP)
        opener = new_stream(writer, ops)
        _move_annotations(page, matrix)
    contents = page.get("/Contents")
    existing = [] if contents is None else contents.get_object()
    parts = list(existing) if isinstance(existing, ArrayObject) else ([contents] if contents is not None else [])
    source = [_isolated(writer, page, parts)] if parts else []
    page[NameObject("/Contents")] = ArrayObject([opener, *source, closer(box, rotate)])
    return box, rotate


def _isolated(writer: PdfWriter, page: Any, parts: list[Any]) -> IndirectObject:
    """The page's own content as one form XObject, drawn by a one-line stream.

    A content stream that leaves an array, dictionary or inline image open would swallow
    operators appended after it in the same content; a form's content ends with the form,
    and its graphics state is restored after it, so nothing it leaves open reaches the stamp."""
    data = b"\n".join(part.get_object().get_data() for part in parts)
    plain = DecodedStreamObject()
    plain.set_data(data)
    form = plain.flate_encode()
    resources = page.get("/Resources")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
            NameObject("/Resources"): _shared(writer, resources) if resources is not None else DictionaryObject(),
        }
    )
    ref = writer._add_object(form)
    own = DictionaryObject(resources.get_object()) if resources is not None else DictionaryObject()
    xobjects = own.get("/XObject")
    own[NameObject("/XObject")] = xobjects = DictionaryObject(xobjects.get_object() if xobjects is not None else {})
    xobjects[NameObject(SOURCE_RESOURCE)] = ref
    page[NameObject("/Resources")] = own
    return new_stream(writer, f"{SOURCE_RESOURCE} Do\n".encode("latin-1"))


def _shared(writer: PdfWriter, resources: Any) -> Any:
    """``resources`` as an indirect object, so the page and its form share one copy."""
    if isinstance(resources, IndirectObject):
        return resources
    return writer._add_object(resources)
