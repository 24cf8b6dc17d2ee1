"""A JPEG's bytes walked as a decoder walks them; what draws the picture kept, the rest gone.

The images are real: Pillow's baseline and progressive JPEGs with EXIF, ICC and comments,
put in real PDF image XObjects by pypdf and read back. The leak gate reads what the
sanitiser leaves, and the two agree: whatever spelled a target, the gate finds before
cleaning and not after.
"""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from bundler.core.anonymise.gate import streams
from bundler.core.anonymise.gate.finder import holds_target
from bundler.core.anonymise.jpeg import jpeg_parts, rebuilt_jpeg
from bundler.core.anonymise.sanitise.images import clean_image
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register

TARGETS = targets_from_register(Register(people=[Person(id="p1", name="Farida Khanum", pseudonym="AB")]))


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def _photo(seed: int, progressive: bool = False, **extra: object) -> bytes:
    rng = random.Random(seed)
    picture = Image.frombytes("RGB", (64, 48), bytes(rng.randrange(256) for _ in range(64 * 48 * 3)))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, progressive=progressive, **extra)
    return out.getvalue()


def _pixels(jpeg: bytes) -> bytes:
    return Image.open(io.BytesIO(jpeg)).convert("RGB").tobytes()


def _reread_image(tmp_path: Path, data: bytes, filters: list[str], space: str = "/DeviceRGB") -> object:
    """An image XObject holding ``data`` behind ``filters``, as a reader finds it in a file."""
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    image = DecodedStreamObject()
    image.set_data(base64.a85encode(data, adobe=True, wrapcol=75) if "/ASCII85Decode" in filters else data)
    image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image")})
    image.update({NameObject("/Width"): NumberObject(64), NameObject("/Height"): NumberObject(48)})
    image.update({NameObject("/BitsPerComponent"): NumberObject(8), NameObject("/ColorSpace"): NameObject(space)})
    if filters:
        image[NameObject("/Filter")] = ArrayObject(NameObject(f) for f in filters)
    ref = writer._add_object(image.flate_encode() if not filters else image)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): ref})}
    )
    buf = io.BytesIO()
    writer.write(buf)
    return PdfReader(io.BytesIO(buf.getvalue())).pages[0]["/Resources"]["/XObject"]["/Im0"].get_object()


def _gate_finds(image: object) -> bool:
    return any(holds_target(found.text, TARGETS) for found in streams.stream_places(image, "object 9 0"))


# -- the walk ------------------------------------------------------------------------------


@pytest.mark.parametrize("progressive", [False, True])
def test_what_draws_the_picture_is_kept_byte_for_byte(progressive: bool) -> None:
    exif = Image.Exif()
    exif[0x013B] = "Farida Khanum"  # Artist
    jpeg = _photo(1, progressive, exif=exif.tobytes(), comment=b"Farida Khanum", icc_profile=b"\x00" * 200)
    rebuilt = rebuilt_jpeg(jpeg)
    assert b"Farida" not in rebuilt and _pixels(rebuilt) == _pixels(jpeg)
    scans = [jpeg[p.start : p.end] for p in jpeg_parts(jpeg) if p.kind == "scan"]
    assert scans == [rebuilt[p.start : p.end] for p in jpeg_parts(rebuilt) if p.kind == "scan"]
    assert len(scans) == (1 if not progressive else len(scans)) and all(scans)


def _random_layout(rng: random.Random) -> bytes:
    pieces = [b"\xff\xd8"]
    for _ in range(rng.randrange(1, 9)):
        kind = rng.randrange(7)
        if kind == 0:
            pieces.append(b"\xff" * rng.randrange(1, 4))  # fill bytes
        elif kind == 1:
            pieces.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 12))))  # stray bytes
        elif kind == 2:
            pieces.append(bytes([0xFF, rng.choice([0x01, 0xD0, 0xD7, 0xD8, 0x00])]))
        elif kind == 3:  # a scan: a header, then entropy-coded bytes with stuffing and restarts
            body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
            pieces.append(_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + body.replace(b"\xff", b"\xff\x00"))
            pieces.append(rng.choice([b"", b"\xff\xd3", b"\xff\xff\xd1"]))
        elif kind == 4:
            pieces.append(b"\xff\xd9")
        else:
            marker = rng.choice([0xE0, 0xE1, 0xEE, 0xFE, 0xDB, 0xC0, 0xC4, 0xF0])
            pieces.append(_segment(marker, bytes(rng.randrange(256) for _ in range(rng.randrange(0, 30)))))
    data = b"".join(pieces)
    return data[: rng.randrange(2, len(data) + 1)] if rng.random() < 0.2 else data


@pytest.mark.parametrize("seed", range(4))
def test_every_byte_is_in_exactly_one_part_whatever_the_layout(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        data = _random_layout(rng)
        parts = list(jpeg_parts(data))
        assert b"".join(data[p.start : p.end] for p in parts) == data
        assert all(p.end > p.start for p in parts)
        assert b"\xff\xfe" not in rebuilt_jpeg(data).replace(b"\xff\xff", b"")[:2]


# -- the sanitiser, on image objects -------------------------------------------------------


@pytest.mark.parametrize("filters", [["/DCTDecode"], ["/ASCII85Decode", "/DCTDecode"]])
def test_a_scanners_jpeg_keeps_its_bytes_and_is_stored_plain(tmp_path: Path, filters: list[str]) -> None:
    jpeg = _photo(2)
    image = _reread_image(tmp_path, jpeg, filters)
    assert clean_image(image, TARGETS) is (filters != ["/DCTDecode"])  # only the ASCII85 wrapper goes
    assert bytes(image._data) == jpeg and streams._filters(image) == ["/DCTDecode"]


HIDDEN = {
    "comment-after-a-fill-byte": lambda j: j[:2] + b"\xff" + _segment(0xFE, b"Farida Khanum") + j[2:],
    "comment-after-the-end": lambda j: j + _segment(0xFE, b"Farida Khanum"),
    "exif-in-utf-16": lambda j: j[:2] + _segment(0xE1, b"Exif\x00\x00" + "Farida Khanum".encode("utf-16-le")) + j[2:],
    "second-jpeg": lambda j: j + j[:2] + _segment(0xFE, b"Farida Khanum") + j[2:],
    "stray-bytes": lambda j: j[:2] + b"Farida Khanum" + j[2:],
    "in-the-scan": lambda j: j[:-200] + b"Farida Khanum" + j[-200:],
}


@pytest.mark.parametrize("where", sorted(HIDDEN))
@pytest.mark.parametrize("filters", [["/DCTDecode"], ["/ASCII85Decode", "/DCTDecode"]])
def test_the_gate_finds_what_the_sanitiser_then_removes(tmp_path: Path, where: str, filters: list[str]) -> None:
    jpeg = HIDDEN[where](_photo(3))
    image = _reread_image(tmp_path, jpeg, filters)
    assert _gate_finds(image)
    assert clean_image(image, TARGETS)
    assert not _gate_finds(image)
    assert Image.open(io.BytesIO(bytes(image._data))).size == (64, 48)
    if where != "in-the-scan":  # (there the picture is drawn again)
        assert _pixels(bytes(image._data)) == _pixels(rebuilt_jpeg(jpeg))


def _samples(rng: random.Random) -> bytes:
    """Grey samples with the name's words spelled here and there, one letter a byte or as
    UTF-16 of either byte order, joined by any byte."""
    data = bytearray(rng.randrange(256) for _ in range(64 * 48))
    for _ in range(rng.randrange(1, 4)):
        spelled = [b"Farida Khanum", b"FARIDA", b"khanum", b"Farida\x01Khanum"]
        spelled += ["Farida Khanum".encode("utf-16-le"), "KHANUM".encode("utf-16-be")]  # as strings -e l / -e b read
        word = b"\x01" + rng.choice(spelled) + b"\x02"
        at = rng.randrange(len(data) - len(word))
        data[at : at + len(word)] = word
    return bytes(data)


@pytest.mark.parametrize("seed", range(3))
def test_samples_that_spell_a_name_are_changed_by_one_level_at_most(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        samples = _samples(rng)
        image = _reread_image(tmp_path, samples, [], space="/DeviceGray")
        assert _gate_finds(image)
        assert clean_image(image, TARGETS)
        assert not _gate_finds(image)
        after = image.get_data()
        assert len(after) == len(samples) and max(abs(a - b) for a, b in zip(after, samples, strict=True)) <= 1


def test_an_image_that_spells_nothing_is_left_alone(tmp_path: Path) -> None:
    samples = bytes(random.Random(9).randrange(256) for _ in range(64 * 48))
    image = _reread_image(tmp_path, samples, [], space="/DeviceGray")
    before = bytes(image._data)
    assert not clean_image(image, TARGETS) and bytes(image._data) == before
