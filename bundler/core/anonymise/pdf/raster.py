"""Fail closed: replace a page by a picture of itself with the boxes burned in.

The picture is rendered from the source page with its rotation set aside, so
it lies in the page's own (unrotated) space; the new page keeps the original
boxes and ``/Rotate`` and therefore looks exactly as before. Pixels under a
box are painted over in the bitmap itself: nothing of them survives.
"""

from __future__ import annotations

import io
import zlib

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from bundler.core.anonymise.pdf.draw import label_layout
from bundler.core.anonymise.pdf.geometry import Rect, Spot
from bundler.core.anonymise.pdf.stream import add_stream
from bundler.core.assets import font_path

__all__ = ["render_redacted", "image_only_page"]

_PAGE_IMAGE = "/RdxPage"
_KEEP_KEYS = (
    "/Type",
    "/Parent",
    "/MediaBox",
    "/CropBox",
    "/BleedBox",
    "/TrimBox",
    "/ArtBox",
    "/Rotate",
    "/UserUnit",
)
_FLATE_ENOUGH = 8  # compression ratio below which a photo-like page is stored as JPEG instead


def _to_pixels(rect: Rect, bbox: Rect, scale: float) -> tuple[int, int, int, int]:
    left, top = (rect[0] - bbox[0]) * scale, (bbox[3] - rect[3]) * scale
    right, bottom = (rect[2] - bbox[0]) * scale, (bbox[3] - rect[1]) * scale
    return int(left), int(top), int(right + 0.999), int(bottom + 0.999)


def _burn_label(image: Image.Image, spot: Spot, box: tuple[int, int, int, int], rotate: int, scale: float) -> None:
    """The label as ``overlay`` would draw it, painted into the bitmap."""
    label = label_layout(spot, rotate)
    if label is None:
        return
    font = ImageFont.truetype(str(font_path("DejaVuSans")), max(1, int(label.size * scale * 0.9)))
    left, top, right, bottom = font.getbbox(label.text)
    tile = Image.new("L", (int(right - left) + 2, int(bottom - top) + 2), 0)
    ImageDraw.Draw(tile).text((1 - left, 1 - top), label.text, fill=255, font=font)
    tile = tile.rotate(label.angle, expand=True)  # counter-clockwise, as in user space
    x = (box[0] + box[2] - tile.width) // 2
    y = (box[1] + box[3] - tile.height) // 2
    ink = (0, 0, 0) if spot.replace else (255, 255, 255)
    image.paste(Image.new("RGB", tile.size, ink), (x, y), tile)


def _burn(image: Image.Image, spots: list[Spot], bbox: Rect, scale: float, rotate: int) -> None:
    draw = ImageDraw.Draw(image)
    for spot in spots:
        box = _to_pixels(spot.rect, bbox, scale)
        if spot.replace:
            draw.rectangle(box, fill=(255, 255, 255), outline=(0, 0, 0), width=max(1, int(scale / 2)))
        else:
            draw.rectangle(box, fill=(0, 0, 0))
        _burn_label(image, spot, box, rotate, scale)


def render_redacted(page: pdfium.PdfPage, spots: list[Spot], dpi: int) -> tuple[Image.Image, Rect]:
    """The page as an RGB bitmap of its unrotated visible area, boxes burned in."""
    rotate = page.get_rotation()
    page.set_rotation(0)
    try:
        scale = dpi / 72
        bitmap = page.render(scale=scale, may_draw_forms=False, draw_annots=False)
        image = bitmap.to_pil().convert("RGB")
        bbox = tuple(float(v) for v in page.get_bbox())
    finally:
        page.set_rotation(rotate)
    _burn(image, spots, bbox, scale, rotate)  # type: ignore[arg-type]
    return image, bbox  # type: ignore[return-value]


def _grey_if_possible(image: Image.Image) -> Image.Image:
    red, green, blue = image.split()
    if ImageChops.difference(red, green).getbbox() or ImageChops.difference(green, blue).getbbox():
        return image
    return red


def _image_stream(writer: PdfWriter, image: Image.Image) -> IndirectObject:
    image = _grey_if_possible(image)
    entries = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(image.width),
            NameObject("/Height"): NumberObject(image.height),
            NameObject("/ColorSpace"): NameObject("/DeviceGray" if image.mode == "L" else "/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
        }
    )
    raw = image.tobytes()
    packed = zlib.compress(raw, 6)
    if len(raw) < _FLATE_ENOUGH * len(packed):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        stream = DecodedStreamObject()
        stream.update(entries)
        stream[NameObject("/Filter")] = NameObject("/DCTDecode")
        stream.set_data(buffer.getvalue())  # already compressed: written as is
        return writer._add_object(stream)
    return add_stream(writer, raw, entries)


def image_only_page(
    writer: PdfWriter,
    page: PageObject,
    image: Image.Image,
    bbox: Rect,
    annots: list[IndirectObject],
) -> None:
    """Make ``page`` one image covering ``bbox``; its boxes, rotation and ``annots`` stay."""
    for key in [k for k in page if k not in _KEEP_KEYS]:
        del page[key]
    name = NameObject(_PAGE_IMAGE)
    xobjects = DictionaryObject({name: _image_stream(writer, image)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    x0, y0, x1, y1 = bbox
    content = f"q {x1 - x0:.4f} 0 0 {y1 - y0:.4f} {x0:.4f} {y0:.4f} cm {_PAGE_IMAGE} Do Q\n"
    page[NameObject("/Contents")] = add_stream(writer, content.encode("ascii"))
    if annots:  # not in the bitmap (rendered without them), so they still show as before
        page[NameObject("/Annots")] = ArrayObject(annots)
