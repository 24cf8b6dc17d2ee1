"""A long ASCII85-wrapped JPEG is judged from its first bytes: the same answers as decoding it whole.

The images are real PDF image XObjects, written by pypdf and read back; the metadata a
photo carries (EXIF, a comment) is present before and, where it was, gone after.
"""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from bundler.core.anonymise.sanitise.images import _HEAD, _keeps_all, clean_image, strip_jpeg_metadata

SOI, SOS = b"\xff\xd8", b"\xff\xda"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def _jpeg(segments: list[bytes], rng: random.Random, pixels: int = 120_000) -> bytes:
    """A JPEG's layout: its segments, then a scan of (random) pixel bytes."""
    return SOI + b"".join(segments) + SOS + bytes(rng.randrange(256) for _ in range(pixels)) + b"\xff\xd9"


def _reread_image(tmp_path: Path, jpeg: bytes, filters: list[str]) -> object:
    """An image XObject holding ``jpeg`` behind ``filters``, as a reader finds it in a file."""
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    image = DecodedStreamObject()
    image.set_data(base64.a85encode(jpeg, adobe=True, wrapcol=75) if "/ASCII85Decode" in filters else jpeg)
    for key, value in {"/Type": "/XObject", "/Subtype": "/Image", "/BitsPerComponent": 8}.items():
        image[NameObject(key)] = NameObject(value) if isinstance(value, str) else NumberObject(value)
    image[NameObject("/Filter")] = ArrayObject(NameObject(f) for f in filters)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})}
    )
    buf = io.BytesIO()
    writer.write(buf)
    path = tmp_path / "image.pdf"
    path.write_bytes(buf.getvalue())
    return PdfReader(path).pages[0]["/Resources"]["/XObject"]["/Im0"].get_object()


JFIF, ADOBE = _segment(0xE0, b"JFIF\x00" + b"\x01" * 9), _segment(0xEE, b"Adobe" + b"\x00" * 7)
QUANT = _segment(0xDB, bytes(65))  # zero bytes: ASCII85 writes them as "z"
EXIF = _segment(0xE1, b"Exif\x00\x00Artist Aisha Khan")
COMMENT = _segment(0xFE, b"scanned for Aisha Khan")


@pytest.mark.parametrize(
    ("segments", "stripped"),
    [
        ([JFIF, QUANT, ADOBE], False),  # a scanner's JPEG: nothing to strip
        ([JFIF, EXIF, QUANT], True),
        ([JFIF, QUANT, COMMENT], True),
        ([JFIF] + [_segment(0xDB, bytes(60_000))] * 2 + [COMMENT], True),  # the comment lies past the head
    ],
)
def test_a_long_ascii85_jpeg_is_cleaned_as_when_decoded_whole(tmp_path, segments, stripped):
    rng = random.Random(len(segments))
    jpeg = _jpeg(segments, rng)
    image = _reread_image(tmp_path, jpeg, ["/ASCII85Decode", "/DCTDecode"])
    assert len(image._data) > _HEAD  # the stream is long enough to be judged by its head
    assert image.get_data() == jpeg  # (pypdf's own decoding of the stream, before)
    image = _reread_image(tmp_path, jpeg, ["/ASCII85Decode", "/DCTDecode"])
    assert clean_image(image) is stripped
    assert (strip_jpeg_metadata(jpeg) != jpeg) is stripped
    if stripped:  # the stream written is the stripped JPEG, with nothing left to undo
        assert image._data == strip_jpeg_metadata(jpeg) and image["/Filter"] == "/DCTDecode"
        assert b"Aisha" not in image._data and b"Aisha" in jpeg
    else:
        assert [str(f) for f in image["/Filter"]] == ["/ASCII85Decode", "/DCTDecode"]
        assert image.get_data() == jpeg


@pytest.mark.parametrize("seed", range(4))
def test_the_head_walk_agrees_with_the_whole_strip(seed):
    """Any prefix of any segment layout: when the head gives an answer, it is the strip's."""
    rng = random.Random(seed)
    answered = 0
    for _ in range(300):
        markers = [rng.choice([0xE0, 0xE1, 0xE2, 0xEE, 0xEF, 0xFE, 0xDB, 0xC0, 0xC4, 0x01]) for _ in range(4)]
        segments = [_segment(m, bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))) for m in markers]
        if rng.random() < 0.1:  # malformed lengths and stray bytes
            segments.insert(rng.randrange(len(segments)), bytes([0xFF, 0xE5, 0, rng.randrange(2)]))
        if rng.random() < 0.1:
            segments.insert(rng.randrange(len(segments)), b"\x00\x11")
        data = _jpeg(segments, rng, pixels=20) if rng.random() < 0.95 else bytes(rng.randrange(256) for _ in range(9))
        whole = strip_jpeg_metadata(data) == data
        for cut in range(2, len(data) + 1):
            verdict = _keeps_all(data[:cut])
            if verdict is not None:
                answered += 1
                assert verdict is whole, (data, cut)
    assert answered > 1000


# -- the leak gate reads a long ASCII85 JPEG's metadata from its start, as from the whole --


@pytest.mark.parametrize(
    "segments",
    [
        [JFIF, QUANT, ADOBE],
        [JFIF, EXIF, QUANT],
        [JFIF, QUANT, COMMENT],
        [JFIF] + [_segment(0xDB, bytes(60_000))] * 2 + [COMMENT],  # past the largest head: decoded whole
        [JFIF, _segment(0xE1, b"Exif\x00\x00" + b"Aisha Khan " * 5900)],  # one segment longer than the head
    ],
)
def test_the_gate_reads_the_same_jpeg_metadata_from_the_head(tmp_path, segments):
    from bundler.core.anonymise.gate import streams, syntax

    jpeg = _jpeg(segments, random.Random(len(segments)))
    image = _reread_image(tmp_path, jpeg, ["/ASCII85Decode", "/DCTDecode"])
    assert len(image._data) > _HEAD
    read = [found.text for found in streams.stream_places(image, "object 9 0")]
    assert read == [syntax.jpeg_metadata(jpeg)]
    assert ("Aisha" in read[0]) is (b"Aisha" in jpeg)


@pytest.mark.parametrize("seed", range(4))
def test_a_head_holding_the_metadata_reads_as_the_whole(seed):
    """Any prefix of any segment layout: when ``holds_jpeg_metadata`` says the head is enough,
    the metadata read from it is the whole's."""
    from bundler.core.anonymise.gate.syntax import holds_jpeg_metadata, jpeg_metadata

    rng = random.Random(seed)
    held = 0
    for _ in range(300):
        markers = [rng.choice([0xE0, 0xE1, 0xE2, 0xEE, 0xEF, 0xFE, 0xDB, 0xC0, 0xC4, 0x01]) for _ in range(4)]
        segments = [_segment(m, bytes(rng.randrange(32, 127) for _ in range(rng.randrange(0, 40)))) for m in markers]
        if rng.random() < 0.1:
            segments.insert(rng.randrange(len(segments)), bytes([0xFF, 0xE5, 0, rng.randrange(2)]))
        data = _jpeg(segments, rng, pixels=20)
        whole = jpeg_metadata(data)
        for cut in range(2, len(data) + 1):
            if holds_jpeg_metadata(data[:cut]):
                held += 1
                assert jpeg_metadata(data[:cut]) == whole, (data, cut)
    assert held > 1000
