"""The gate reads inline images (``gate.inline``) and is not fooled by a fake one, and the
sanitiser cleans them in place (``sanitise.images.clean_inline_images``)."""

from __future__ import annotations

import base64
import binascii
import zlib

import pytest
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from bundler.core.anonymise.gate.finder import holds_target
from bundler.core.anonymise.gate.found import Text
from bundler.core.anonymise.gate.inline import image_stream, inline_images
from bundler.core.anonymise.gate.streams import decoded_places
from bundler.core.anonymise.sanitise.images import clean_inline_images
from bundler.core.anonymise.terms import Target

TARGETS = [Target("Farida Khanum", "AB", "p1", "person")]
ROWS = b"  Farida Khanum  " * 4
GREY = b"/W 17 /H 4 /BPC 8 /CS /G"

ENCODED = {
    "none": (b"", ROWS),
    "hex": (b"/F /AHx", binascii.hexlify(ROWS) + b">"),
    "ascii85": (b"/F /A85", base64.a85encode(ROWS) + b"~>"),
    "ascii85-flate": (b"/F [/A85 /Fl]", base64.a85encode(zlib.compress(ROWS)) + b"~>"),
    "full-names": (b"/Filter /ASCIIHexDecode", binascii.hexlify(ROWS) + b">"),
}


def _content(settings: bytes, data: bytes) -> bytes:
    return b"q 17 0 0 4 0 0 cm BI " + GREY + b" " + settings + b" ID " + data + b"\nEI Q\n"


def _gate_finds(data: bytes) -> list[str]:
    return [
        f.place
        for f in decoded_places(data, "content", False, False)
        if isinstance(f, Text) and holds_target(f.text, TARGETS)
    ]


@pytest.mark.parametrize("kind", sorted(ENCODED))
def test_the_gate_reads_an_inline_images_decoded_bytes(kind: str) -> None:
    assert _gate_finds(_content(*ENCODED[kind]))


def test_an_inline_image_stands_for_the_image_xobject_with_full_names() -> None:
    (image,) = inline_images(_content(b"/F [/A85 /Fl] /DP [null null]", b"z~>"))
    assert image["/Width"] == 17 and image["/Height"] == 4 and image["/BitsPerComponent"] == 8
    assert image["/ColorSpace"] == "/DeviceGray" and list(image["/Filter"]) == ["/ASCII85Decode", "/FlateDecode"]
    assert image["/Subtype"] == "/Image" and "/DecodeParms" in image


def test_a_fake_inline_image_in_strings_hides_nothing_from_the_raw_reading() -> None:
    """``ID`` and ``EI`` inside string operands make the strip take what lies between:
    here an /Alt property no text engine reads. The content read with its inline
    images left in still finds it."""
    data = b"BT (a ID ) Tj ET /Span <</Alt <466172696461204b68616e756d>>> BDC EMC BT (b EI ) Tj ET (BI) Tj"
    assert _gate_finds(data)


def test_clean_inline_images_unspells_and_leaves_other_content_alone() -> None:
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 700 Td (Kept words) Tj ET\n" + _content(*ENCODED["hex"]))
    assert clean_inline_images(stream, TARGETS)
    assert not _gate_finds(stream.get_data())
    assert b"(Kept words) Tj" in stream.get_data()
    (image,) = inline_images(stream.get_data())
    samples = image.get_data()
    assert len(samples) == len(ROWS) and all(abs(a - b) <= 1 for a, b in zip(samples, ROWS, strict=True))


def test_clean_inline_images_leaves_an_innocent_stream_byte_for_byte() -> None:
    stream = DecodedStreamObject()
    data = _content(b"/F /AHx", binascii.hexlify(b"  Nothing to see  " * 4) + b">")
    stream.set_data(data)
    assert not clean_inline_images(stream, TARGETS)
    assert stream.get_data() == data


def test_an_image_stream_keeps_its_bytes_encoded() -> None:
    image = image_stream(DictionaryObject({NameObject("/W"): NumberObject(1)}), b"ab>")
    assert bytes(image._data) == b"ab>" and image["/Width"] == 1
