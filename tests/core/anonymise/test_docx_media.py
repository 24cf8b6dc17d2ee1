"""A Word file's pictures lose their metadata however their JPEG bytes are laid out
(``docx.media``), and the sweep reads every byte that is not pixels."""

from __future__ import annotations

import io

from PIL import Image, ImageCms

from bundler.core.anonymise.docx.media import clean_image, image_texts
from bundler.core.anonymise.jpeg import jpeg_parts

NAME = b"Farida Khanum"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def _photo() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = NAME.decode()  # Artist
    exif[0x0112] = 6  # Orientation: Word turns the photo by it
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.effect_noise((64, 48), 40).convert("RGB").save(out, "JPEG", exif=exif, icc_profile=profile)
    return out.getvalue()


def _awkward() -> bytes:
    """A comment after a stray byte run and a fill byte, and a second JPEG after the end."""
    jpeg = _photo()
    dqt = next(p for p in jpeg_parts(jpeg) if p.kind == "segment" and p.marker == 0xDB)
    hidden = b"  " + NAME + b"  " + b"\xff" + _segment(0xFE, b"Photo of " + NAME)
    return jpeg[: dqt.start] + hidden + jpeg[dqt.start :] + jpeg[:2] + _segment(0xFE, NAME) + jpeg[2:]


def test_an_awkwardly_laid_out_jpeg_is_still_cleaned_and_keeps_its_picture() -> None:
    data = _awkward()
    cleaned = clean_image(data)
    assert NAME not in cleaned and b"Farida" not in cleaned and b"Khanum" not in cleaned
    before, after = Image.open(io.BytesIO(data)), Image.open(io.BytesIO(cleaned))
    assert before.tobytes() == after.tobytes()
    assert after.getexif().get(0x0112) == 6 and 0x013B not in after.getexif()
    assert after.info.get("icc_profile") == before.info.get("icc_profile")


def test_the_sweep_reads_stray_bytes_and_what_follows_the_end() -> None:
    data = _photo() + b"  trailing " + NAME
    texts = image_texts(data)
    assert any(NAME.decode() in text for text in texts)
    stray = _awkward()
    assert sum(text.count(NAME.decode()) for text in image_texts(stray)[:1]) >= 3
