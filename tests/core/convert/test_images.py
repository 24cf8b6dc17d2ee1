"""Images in: one A4 page each, fitted, never enlarged, at most 300 dpi as placed."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader

from bundler.core.convert.images import image_to_pdf

A4 = (595.2756, 841.8898)


def _placed_images(pdf: Path) -> list[tuple[int, int, float, float]]:
    """(pixel width, pixel height, placed width pt, placed height pt) per page, by pdfium."""
    doc = pdfium.PdfDocument(str(pdf))
    out = []
    for page in doc:
        for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]):
            left, bottom, right, top = obj.get_bounds()
            width, height = obj.get_px_size()
            out.append((width, height, right - left, top - bottom))
    return out


def test_a_300_dpi_a4_scan_fills_the_page_without_upscaling(tmp_path):
    src = tmp_path / "scan.jpg"
    Image.new("L", (2480, 3508), 255).save(src, dpi=(300, 300))
    assert image_to_pdf(src, tmp_path / "out.pdf") == 1
    page = PdfReader(tmp_path / "out.pdf").pages[0]
    assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]
    ((px, py, w, h),) = _placed_images(tmp_path / "out.pdf")
    assert px / (w / 72) <= 301 and w <= A4[0] - 60  # inside the margins, at most 300 dpi


def test_a_wide_png_with_transparency_gets_a_landscape_page(tmp_path):
    src = tmp_path / "chart.png"
    Image.new("RGBA", (1600, 900), (255, 0, 0, 128)).save(src)
    image_to_pdf(src, tmp_path / "out.pdf")
    box = PdfReader(tmp_path / "out.pdf").pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_a_small_image_is_not_enlarged(tmp_path):
    src = tmp_path / "signature.png"
    Image.new("RGB", (192, 96), "white").save(src, dpi=(96, 96))
    image_to_pdf(src, tmp_path / "out.pdf")
    ((_, _, w, h),) = _placed_images(tmp_path / "out.pdf")
    assert abs(w - 144) < 1 and abs(h - 72) < 1  # its natural size: 2 x 1 inches


def test_a_600_dpi_scan_is_resampled_to_300_dpi(tmp_path):
    src = tmp_path / "fine.png"
    Image.new("L", (4960, 7016), 200).save(src, dpi=(600, 600))
    image_to_pdf(src, tmp_path / "out.pdf")
    ((px, _, w, _),) = _placed_images(tmp_path / "out.pdf")
    assert px / (w / 72) <= 301


def test_every_frame_of_a_multipage_tiff_is_a_page(tmp_path):
    src = tmp_path / "exhibits.tif"
    frames = [Image.new("L", (1000, 1400), shade) for shade in (0, 128, 255)]
    frames[0].save(src, save_all=True, append_images=frames[1:], dpi=(150, 150))
    assert image_to_pdf(src, tmp_path / "out.pdf") == 3
    assert len(PdfReader(tmp_path / "out.pdf").pages) == 3
