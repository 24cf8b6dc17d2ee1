"""Attacks on the public bundle through an image's bytes: the name where no decoder looks.

A JPEG's decoder skips comments and APPn segments wherever they are, fill bytes before a
marker, stray bytes between segments and anything after the end of the image; and any
image's bytes (a JPEG's tables and entropy-coded data, a Flate image's samples) can
spell letters. None of it is drawn, but ``qpdf --qdf`` writes it out and ``grep`` finds
it. Each source is built through the real CLI and the bundle read back with qpdf and
with pypdf's own view of every image; the pictures must still draw (poppler).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, NumberObject
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.anonymise.jpeg import jpeg_parts
from bundler.core.errors import ExitCode
from tests.cli.attack_helpers import attack_project, draw_on_first_page, draws_cleanly, flat, qpdf_raw

NAME = b"Farida Khanum"
KEPT = "The grounds of claim follow below."


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def _photo(progressive: bool = False) -> bytes:
    picture = Image.effect_noise((240, 160), 40).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80, progressive=progressive)
    return out.getvalue()


def _insert_before(jpeg: bytes, marker: int, occurrence: int, data: bytes) -> bytes:
    """``data`` put before the ``occurrence``-th segment with ``marker``."""
    starts = [p.start for p in jpeg_parts(jpeg) if p.kind == "segment" and p.marker == marker]
    at = starts[occurrence]
    return jpeg[:at] + data + jpeg[at:]


def _comment_after_fill_byte() -> bytes:
    jpeg = _photo()
    return jpeg[:2] + b"\xff" + _segment(0xFE, b"Photo of " + NAME) + jpeg[2:]


def _comment_after_the_end() -> bytes:
    return _photo() + _segment(0xFE, NAME) + b"\xff\xd9"


def _comment_between_scans() -> bytes:
    return _insert_before(_photo(progressive=True), 0xDA, 2, _segment(0xFE, NAME))


def _second_jpeg_appended() -> bytes:
    second = _photo()
    return _photo() + second[:2] + _segment(0xFE, NAME) + second[2:]


def _stray_bytes_between_segments() -> bytes:
    return _insert_before(_photo(), 0xDB, 0, b"  " + NAME + b"  ")


def _name_in_the_scan() -> bytes:
    """The name's letters inside the entropy-coded data (no 0xFF in them: still one scan)."""
    jpeg = _photo()
    scan = next(p for p in jpeg_parts(jpeg) if p.kind == "scan")
    middle = (scan.start + scan.end) // 2
    while jpeg[middle - 1] == 0xFF:
        middle += 1
    return jpeg[:middle] + b" " + NAME + b" " + jpeg[middle:]


def _name_in_a_quantisation_table() -> bytes:
    """A DQT whose first coefficients are the name's letters: a valid, odd-looking picture."""
    jpeg = _photo()
    dqt = next(p for p in jpeg_parts(jpeg) if p.kind == "segment" and p.marker == 0xDB)
    table = bytearray(jpeg[dqt.start + 5 : dqt.end])
    table[: len(NAME)] = NAME
    return jpeg[: dqt.start + 5] + bytes(table) + jpeg[dqt.end :]


def _jpeg_source(make: Callable[[], bytes], ascii85: bool) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        jpeg = make()
        pdf = Canvas(str(path))
        pdf.drawString(72, 760, KEPT)
        pdf.save()
        writer = PdfWriter(clone_from=str(path))
        image = DecodedStreamObject()
        image.set_data(base64.a85encode(jpeg, adobe=True) if ascii85 else jpeg)
        filters = ["/ASCII85Decode", "/DCTDecode"] if ascii85 else ["/DCTDecode"]
        _show(writer, image, 240, 160, "/DeviceRGB", ArrayObject(map(NameObject, filters)))
        writer.write(str(path))

    return write


def _samples_spell_the_name(path: Path) -> None:
    """A grey Flate image whose rows of samples are the name's letters."""
    rows = (b"  " + NAME + b"  ") * 8
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, KEPT)
    pdf.save()
    writer = PdfWriter(clone_from=str(path))
    image = DecodedStreamObject()
    image.set_data(rows)
    _show(writer, image, len(NAME) + 4, 8, "/DeviceGray", None)
    writer.write(str(path))


def _show(writer: PdfWriter, image: DecodedStreamObject, width: int, height: int, space: str, filters: object) -> None:
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): NameObject(space),
            NameObject("/BitsPerComponent"): NumberObject(8),
        }
    )
    ref = writer._add_object(image.flate_encode() if filters is None else image)
    if filters is not None:
        image[NameObject("/Filter")] = filters
    draw_on_first_page(writer, b"q 240 0 0 160 72 400 cm /Im7 Do Q", {"/Im7": ref})


SOURCES: dict[str, Callable[[Path], None]] = {
    "comment-after-a-fill-byte": _jpeg_source(_comment_after_fill_byte, False),
    "comment-after-a-fill-byte-ascii85": _jpeg_source(_comment_after_fill_byte, True),
    "comment-after-the-end": _jpeg_source(_comment_after_the_end, False),
    "comment-between-progressive-scans": _jpeg_source(_comment_between_scans, False),
    "second-jpeg-appended": _jpeg_source(_second_jpeg_appended, True),
    "stray-bytes-between-segments": _jpeg_source(_stray_bytes_between_segments, False),
    "name-in-the-entropy-coded-data": _jpeg_source(_name_in_the_scan, False),
    "name-in-a-quantisation-table": _jpeg_source(_name_in_a_quantisation_table, True),
    "flate-samples-spell-the-name": _samples_spell_the_name,
}


def _image_bytes(pdf: Path) -> str:
    """Every image's bytes as pypdf gives them (the JPEG itself for a JPEG)."""
    reader = PdfReader(pdf)
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if hasattr(obj, "get_data") and obj.get("/Subtype") == "/Image":
            found.append(obj.get_data().decode("latin-1"))
    return "\n".join(found)


def _project(folder: Path, kind: str) -> Path:
    source = folder / "source.pdf"
    SOURCES[kind](source)
    return attack_project(folder, source, NAME.decode())


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_no_image_byte_spells_the_name_and_the_picture_still_draws(tmp_path: Path, kind: str) -> None:
    project = _project(tmp_path, kind)
    source = tmp_path / "source.pdf"
    assert b"Farida Khanum" in (qpdf_raw(source) + _image_bytes(source)).encode("latin-1")  # (the attack)
    out = tmp_path / "public.pdf"
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache"), "--no-ocr"])
    assert code == ExitCode.OK
    for reader, text in {"qpdf --qdf": qpdf_raw(out), "pypdf image data": _image_bytes(out)}.items():
        read = flat(text)
        assert "farida" not in read and "khanum" not in read, f"{reader} reads the name in the public bundle"
    draws_cleanly(out, tmp_path)
