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
