"""Images (JPEG, PNG, TIFF incl. multi-page) to PDF: one A4 page per image or frame.

Each image is fitted inside A4 margins that keep the page-number corner clear,
never enlarged beyond its natural size (no upscaling blur), and resampled down
to 300 dpi as placed when it is finer than the court's limit (PRODUCT.md §2.8).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from bundler.core.errors import ConversionError

__all__ = ["image_to_pdf", "MAX_DPI"]

MAX_DPI = 300
_MARGIN = 36.0  # points; the bottom margin is larger so the stamp never covers the image
_BOTTOM = 54.0
_DEFAULT_DPI = 96.0  # screen images carry no dpi; 96 is what the viewer showed the user


def _frames(path: Path) -> Iterator[tuple[Image.Image, bool]]:
    """Each frame, upright, and whether it is still exactly the file's own pixels."""
    try:
        with Image.open(path) as img:
            for frame in ImageSequence.Iterator(img):
                upright = ImageOps.exif_transpose(frame.copy())
                yield upright, upright.size == img.size and img.getexif().get(0x0112, 1) == 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ConversionError(
            path,
            f"cannot be read as an image ({exc.__class__.__name__})",
            "Open it in an image editor and save it again as PNG or JPEG, then add it again",
        ) from None


def _placement(img: Image.Image) -> tuple[tuple[float, float], float, float]:
    """Page size, and the image's placed width and height in points."""
    page = landscape(A4) if img.width > img.height else A4
    dpi = float((img.info.get("dpi") or (_DEFAULT_DPI,))[0] or _DEFAULT_DPI)
    natural_w, natural_h = img.width * 72.0 / dpi, img.height * 72.0 / dpi
    box_w, box_h = page[0] - 2 * _MARGIN, page[1] - _MARGIN - _BOTTOM
    scale = min(1.0, box_w / natural_w, box_h / natural_h)
    return page, natural_w * scale, natural_h * scale


def _downsampled(img: Image.Image, width_pt: float, height_pt: float) -> Image.Image:
    max_w, max_h = round(width_pt / 72 * MAX_DPI), round(height_pt / 72 * MAX_DPI)
    if img.width <= max_w and img.height <= max_h:
        return img
    return img.resize((max(1, max_w), max(1, max_h)), Image.Resampling.LANCZOS)


def _drawable(img: Image.Image) -> Image.Image:
    if img.mode in ("1", "L", "RGB", "CMYK"):
        return img
    if img.mode in ("RGBA", "LA", "P", "PA"):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")  # transparency onto paper white
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return img.convert("RGB")


def image_to_pdf(src: Path, dst: Path) -> int:
    """Write ``dst``; return the number of pages (frames)."""
    pdf = canvas.Canvas(str(dst), pageCompression=1, invariant=1)
    count = 0
    passthrough = src.suffix.lower() in (".jpg", ".jpeg")
    for frame, untouched in _frames(src):
        page, w, h = _placement(frame)
        pdf.setPageSize(page)
        x = (page[0] - w) / 2
        y = _BOTTOM + (page[1] - _MARGIN - _BOTTOM - h) / 2
        ready = _downsampled(frame, w, h)
        # A JPEG needing no change is embedded as it is: no re-encoding, no loss, small file.
        image = str(src) if passthrough and untouched and ready is frame else _drawable(ready)
        pdf.drawImage(ImageReader(image), x, y, w, h)
        pdf.showPage()
        count += 1
    if count == 0:
        raise ConversionError(src, "contains no image", "Check you have the right file, then add it again")
    pdf.save()
    return count
