"""``QuickReader`` reads object headers as pypdf does: same numbers, same byte after, same failures."""

from __future__ import annotations

import io
import itertools
import random
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from bundler.core.pdf.quickreader import QuickReader
from tests.pdfs import make_pdf

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "real-pdfs"


def _shown(obj: object) -> str:
    """``obj`` as text, its references without the reader they belong to."""
    return re.sub(r"IndirectObject\((\d+), (\d+), \d+\)", r"\1 \2 R", repr(obj))


def _outcome(reader: PdfReader, method: object, data: bytes, at: int) -> tuple[object, int]:
    stream = io.BytesIO(data)
    stream.seek(at)
    try:
        result: object = method(reader, stream)  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - the kind of failure is compared too
        result = type(exc)
    return result, stream.tell()


def _headers(rng: random.Random) -> list[bytes]:
    """Plain headers, and their near misses: comments, odd whitespace, long numbers, letters, ends;
    every combination of the parts around the numbers, the numbers drawn at random."""
    pieces = [b"0", b"7", b"12", b"007", b"4294967296", b"9" * 25, b"1a", b"-3", b"+4", b""]
    leads = [b"", b" ", b"\n", b"%comment\n", b"\r\n", b"\x0b", b"\x00"]
    spaces = [b" ", b"  ", b"\n", b"\r\n", b"\t", b"\x00", b"\x0c", b"\x0b", b""]
    words = [b"obj", b"ob", b"OBJ", b"objx", b"obj<<", b"xyz"]
    tails = [b"", b" ", b"\n", b"\r\n  ", b"<< /A 1 >>", b"\n" * 70 + b"<<", b" " * 63, b"\x0b<<", b"%c\n<<"]
    return [
        lead + rng.choice(numbers) + first + rng.choice(numbers) + second + word + tail
        for lead, first, second, word, tail in itertools.product(leads, spaces, spaces, words, tails)
        for numbers in (pieces[:5], pieces)  # numbers pypdf reads, and any
    ]


def test_every_header_reads_as_pypdf_reads_it(tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "doc.pdf", pages=1).read_bytes()
    plain, quick = PdfReader(io.BytesIO(source)), QuickReader(io.BytesIO(source))
    for header in _headers(random.Random(12)):
        for data, at in ((header, 0), (b"xx" + header, 2)):
            expected = _outcome(plain, PdfReader.read_object_header, data, at)
            assert _outcome(quick, QuickReader.read_object_header, data, at) == expected, header


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.pdf")))
def test_real_files_open_to_the_same_objects(name: str) -> None:
    data = (CORPUS / name).read_bytes()
    plain, quick = PdfReader(io.BytesIO(data), strict=False), QuickReader(io.BytesIO(data), strict=False)
    assert quick.xref == plain.xref and quick.xref_objStm == plain.xref_objStm
    assert _shown(quick.trailer) == _shown(plain.trailer)
    for table in plain.xref.values():
        for idnum, offset in table.items():
            expected = _outcome(plain, PdfReader.read_object_header, data, offset)
            assert _outcome(quick, QuickReader.read_object_header, data, offset) == expected
            if not plain.is_encrypted:
                assert _shown(quick.get_object(idnum)) == _shown(plain.get_object(idnum))


def _stream_file(bodies: list[bytes]) -> tuple[bytes, list[int]]:
    """A file whose objects are ``bodies`` (``N 0 obj`` put before each, ``endobj`` after), with
    its cross-reference table; and the objects' numbers."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>", *bodies], 1
    ):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out), list(range(3, len(offsets) + 1))


def _read(reader: PdfReader, number: int) -> tuple[object, ...]:
    try:
        obj = reader.get_object(number)
    except Exception as exc:  # noqa: BLE001 - the kind of failure is compared too
        return (type(exc),)
    data = obj.get_data() if hasattr(obj, "get_data") else None
    where = getattr(obj, "indirect_reference", None)
    return type(obj), _shown(obj), data, (where.idnum, where.generation) if where is not None else None


def _plain(body: bytes) -> bool:
    whole = re.fullmatch(rb"<<\n/Length ([0-9]+)\n>>\nstream\n(.*)\nendstream", body, re.DOTALL)
    return whole is not None and int(whole[1]) == len(whole[2])


def test_a_plain_stream_reads_as_pypdf_reads_it_and_any_other_byte_is_pypdfs() -> None:
    """The stamp streams a bundle has one of per page are made without pypdf's token by token
    parse, into the same object; every near miss (each byte of one changed, cut, grown) is read
    by pypdf, so reads the same too."""
    content = b"q 0 g BT /F1 10 Tf 5 5 Td (12) Tj ET Q\n 123"
    plain = b"<<\n/Length %d\n>>\nstream\n%s\nendstream" % (len(content), content)
    near = [plain[:k] + bytes([b]) + plain[k + 1 :] for k in range(len(plain)) for b in (0x20, 0x0A, 0x30, 0x65)]
    near += [plain[:k] + plain[k + 1 :] for k in range(len(plain))] + [
        plain[:k] + b" " + plain[k:] for k in range(len(plain))
    ]
    near += [b"<<\n/Length 0\n>>\nstream\n\nendstream", b"<<\n/Length 9999999\n>>\nstream\nshort\nendstream"]
    near += [
        b"<<\n/Length 3\n/Filter /FlateDecode\n>>\nstream\nabc\nendstream",
        b"<<\n/Length 5 0 R\n>>\nstream\nabcde\nendstream",
    ]
    bodies = [plain, *near]
    data, numbers = _stream_file(bodies)
    slow, quick = PdfReader(io.BytesIO(data), strict=False), QuickReader(io.BytesIO(data), strict=False)
    taken = []
    for number in numbers:
        fresh = QuickReader(io.BytesIO(data), strict=False)
        if fresh._plain_stream(number) is not None:
            taken.append(bodies[number - 3])
        assert _read(quick, number) == _read(slow, number), bodies[number - 3]
        assert _read(quick, number) == _read(slow, number)  # and again, from the cache
    assert quick._plain_stream(3) is None  # read once: the cached object is pypdf's to give
    # taken: the plain one, and near misses that are still plain (a byte of the content changed)
    assert plain in taken and all(_plain(body) for body in taken)
    assert 100 < len(taken) < len(bodies) // 2


def test_an_encrypted_file_is_read_by_pypdf_alone(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=make_pdf(tmp_path / "doc.pdf", pages=2))
    writer.encrypt("", "owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    quick = QuickReader(io.BytesIO(out.getvalue()))
    assert all(quick._plain_stream(n) is None for n in quick.xref[0])
    slow = PdfReader(io.BytesIO(out.getvalue()))
    assert [_read(quick, n) for n in quick.xref[0]] == [_read(slow, n) for n in slow.xref[0]]
