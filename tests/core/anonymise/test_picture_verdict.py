"""A picture is judged clean, showing a protected term, or unreadable — and an unreadable
one is not reported as showing a name (the user is told to build again, not to hunt for
a name that is not there)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PageObject, PdfReader
from reportlab.lib.utils import ImageReader as PictureFile
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.glyphs.stage import picture_verdict
from bundler.core.anonymise.pdf.images import ImageReader
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.assets import font_path
from bundler.core.model import Person, Register
from bundler.core.ocr.tesseract import find_tesseract
from tests.conftest import require

TARGETS = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha")]))


def _page(tmp_path: Path, words: str) -> PageObject:
    picture = Image.new("L", (700, 120), 255)
    ImageDraw.Draw(picture).text((10, 30), words, fill=0, font=ImageFont.truetype(str(font_path("DejaVuSans")), 48))
    png = io.BytesIO()
    picture.save(png, "PNG")
    path = tmp_path / f"{words[:6]}.pdf"
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, "The grounds of claim follow below.")
    pdf.drawImage(PictureFile(io.BytesIO(png.getvalue())), 72, 500, 350, 60)
    pdf.save()
    return PdfReader(path).pages[0]


def test_a_real_tesseract_tells_a_name_from_none(tmp_path: Path) -> None:
    require(find_tesseract() is not None, "Tesseract (tesseract-ocr)")
    reader = ImageReader(tmp_path / "ocr")
    assert picture_verdict(_page(tmp_path, "Farida Khanum"), TARGETS, reader) == "shows"
    assert picture_verdict(_page(tmp_path, "Nothing here"), TARGETS, reader) == "clean"


def test_a_tesseract_that_fails_makes_the_picture_unreadable_not_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "tesseract"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setitem(os.environ, "BUNDLER_TESSERACT", str(broken))
    reader = ImageReader(tmp_path / "ocr")
    assert picture_verdict(_page(tmp_path, "Nothing here"), TARGETS, reader) == "unreadable"
