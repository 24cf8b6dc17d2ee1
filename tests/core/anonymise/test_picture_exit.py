"""The cheap exit of ``image_texts``: a page says it has no picture only when pypdf finds none.

``may_show_pictures`` reads the page's resources (forms' too) and looks for an
inline-image operator, instead of pypdf's parse of the whole content stream. It
must never say "no picture" for a page where ``page.images`` finds one.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.utils import ImageReader as RLImage
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.pdf.images import may_show_pictures

CORPUS = Path("/work/shared/corpus/real-pdfs")


def _picture() -> Image.Image:
    return Image.new("L", (80, 30), 128)


def _text_only(path: Path) -> Path:
    canvas = Canvas(str(path))
    canvas.drawString(72, 700, "BIRMINGHAM, ABIDE, 1BI: no operator")
    canvas.save()
    return path


def _xobject_image(path: Path) -> Path:
    canvas = Canvas(str(path))
    canvas.drawImage(RLImage(_picture()), 72, 600, 80, 30)
    canvas.save()
    return path


def _inline_image(path: Path) -> Path:
    canvas = Canvas(str(path))
    canvas.drawInlineImage(_picture(), 72, 600, 80, 30)
    canvas.save()
    return path


def _image_in_nested_form(path: Path) -> Path:
    """An image two forms deep: the page's resources hold only a form."""
    canvas = Canvas(str(path))
    canvas.beginForm("inner")
    canvas.drawImage(RLImage(_picture()), 0, 0, 80, 30)
    canvas.endForm()
    canvas.beginForm("outer")
    canvas.doForm("inner")
    canvas.endForm()
    canvas.doForm("outer")
    canvas.save()
    return path


def _inline_image_in_form(path: Path) -> Path:
    """A form whose own content holds an inline image (``BI`` in the form, not the page)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    form = pikepdf.Stream(pdf, b"q 20 0 0 20 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q")
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 200, 200]
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F1=form))
    page.Contents = pikepdf.Stream(pdf, b"/F1 Do")
    pdf.save(path)
    return path


def test_a_page_without_pictures_takes_the_exit(tmp_path: Path) -> None:
    page = PdfReader(_text_only(tmp_path / "text.pdf")).pages[0]
    assert not may_show_pictures(page)
    assert len(page.images) == 0


@pytest.mark.parametrize("make", [_xobject_image, _inline_image, _image_in_nested_form, _inline_image_in_form])
def test_every_way_of_placing_a_picture_is_seen(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    page = PdfReader(make(tmp_path / "p.pdf")).pages[0]
    assert may_show_pictures(page)


def _pdfs(tmp_path: Path) -> list[Path]:
    made = [
        f(tmp_path / f"{f.__name__}.pdf") for f in (_text_only, _xobject_image, _inline_image, _image_in_nested_form)
    ]
    return made + sorted(CORPUS.glob("*.pdf"))


def test_the_exit_never_hides_a_picture_pypdf_finds(tmp_path: Path) -> None:
    """On every page of the shared corpus (and the pages above): no exit where pypdf sees an image."""
    checked = 0
    for path in _pdfs(tmp_path):
        try:
            reader = PdfReader(path)
            if reader.is_encrypted:
                reader.decrypt("")
            pages = list(reader.pages)
        except Exception:  # noqa: BLE001 - a PDF pypdf cannot open has nothing to compare
            continue
        for page in pages:
            try:
                found = len(page.images)
            except Exception:  # noqa: BLE001 - pypdf cannot read it: image_texts falls to its own error
                continue
            checked += 1
            if found:
                assert may_show_pictures(page), f"{path.name}: pypdf found {found} image(s)"
    assert checked >= 5
