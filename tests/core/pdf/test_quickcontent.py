"""The quick content-stream parse gives pypdf's own operations, object for object, or leaves the
stream to pypdf.

Compared with pypdf's parser on every content stream (pages and forms) of the shared corpus
and of PDFs made here, on streams generated token by token with every edge the quick parse
must refuse (comments, escapes, nested strings and arrays, references, inline images, odd
whitespace, commas in numbers, long tokens), and on real streams with random bytes changed.
Wherever the quick parse answers, pypdf's must be the same objects of the same types (and
must not fail); where pypdf fails, the quick parse must not answer.
"""

from __future__ import annotations

import random
import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, StreamObject

from bundler.core.pdf import quickcontent
from bundler.core.pdf.quickcontent import quick_operations
from tests.cli.test_attacks_cli import SOURCES
from tests.glyphfonts import type0_page
from tests.pdfs import CORPUS, make_mixed_pdf, make_pdf


def _pypdfs(data: bytes, encoding: Any = None) -> list[tuple[Any, bytes]] | type[BaseException]:
    stream = ContentStream(None, None, forced_encoding=encoding)
    try:
        quickcontent._PYPDFS(stream, BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - the error is what is compared
        return type(exc)
    return stream._operations


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b and repr(a) == repr(b) and getattr(a, "__dict__", {}) == getattr(b, "__dict__", {})


def _check(data: bytes, encoding: Any = None) -> bool:
    """Whether the quick parse answered (and, if so, gave pypdf's operations)."""
    quick = quick_operations(data, encoding)
    if quick is None:
        return False
    expected = _pypdfs(data, encoding)
    assert not isinstance(expected, type), f"pypdf fails ({expected.__name__}) where the quick parse answers: {data!r}"
    assert _same(quick, expected), data
    return True


def _streams(path: Path) -> list[bytes]:
    """Every page's and form's content, as pypdf hands it to the parser."""
    try:
        reader = PdfReader(path)
        found = []
        for page in reader.pages:
            contents = page.get_contents()
            if contents is not None:
                found.append(contents.get_data())
            resources = page.get("/Resources")
            xobjects = resources.get_object().get("/XObject") if resources is not None else None
            for ref in xobjects.get_object().values() if xobjects is not None else []:
                obj = ref.get_object()
                if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Form":
                    found.append(obj.get_data())
        return found
    except Exception:  # noqa: BLE001 - a file pypdf cannot take apart has no streams to compare
        return []


def odd_text_pdfs(tmp_path: Path) -> list[Path]:
    """The shared corpus's PDFs and PDFs made here with text drawn every odd way: plain, mixed,
    the attack tests' sources and a Type0 font."""
    paths = sorted((CORPUS / "real-pdfs").glob("*.pdf"))
    paths += [make_pdf(tmp_path / "plain.pdf", pages=3, corner_text=True), make_mixed_pdf(tmp_path / "mixed.pdf")]
    for name, (suffix, make) in SOURCES.items():  # the attack tests' sources: text drawn every odd way
        if suffix == ".pdf":
            make(tmp_path / f"{name}.pdf")
            paths.append(tmp_path / f"{name}.pdf")
    paths.append(type0_page(tmp_path / "type0.pdf", ["ABBA CAB", "BAD ABC"]))
    return paths


def _real_streams(tmp_path: Path) -> list[bytes]:
    return [data for path in odd_text_pdfs(tmp_path) for data in _streams(path)]


def test_real_streams_parse_as_pypdf_parses_them(tmp_path: Path) -> None:
    streams = _real_streams(tmp_path)
    answered = sum(_check(data) for data in streams)
    assert len(streams) >= 20 and answered >= len(streams) // 3  # most real streams go the quick way


_TOKENS = [
    b"BT",
    b"ET",
    b"Tf",
    b"Tj",
    b"TJ",
    b"'",
    b'"',
    b"T*",
    b"d0",
    b"q",
    b"Q",
    b"cm",
    b"Do",
    b"re",
    b"f*",
    b"BI",
    b"ID",
    b"EI",
    b"true",
    b"null",
    b"false",
    b"R",
    b"obj",
    b"Tjx",
    b"abcd",
    b"0",
    b"12",
    b"-3",
    b"+4",
    b".5",
    b"-.5",
    b"6.",
    b"1.25",
    b"007",
    b"1,5",
    b"-",
    b".",
    b"1.2.3",
    b"1e5",
    b"+-1",
    b"12345678901234567",
    b"1 0 R",
    b"3 0 obj",
    b"/F1",
    b"/",
    b"/A#20B",
    b"/Name\x00x",
    b"/caf\xc3\xa9",
    b"/" + b"x" * 70,
    b"/a'b",
    b"/a*b",
    b"(Hello)",
    b"()",
    b"(a\\(b\\)c)",
    b"(a(b)c)",
    b"(\\222)",
    b"(\\0053)",
    b"(a\\\nb)",
    b"(a\\\r\nb)",
    b"(a\rb)",
    b"(\\q)",
    b"(\xfe\xff\x00A)",
    b"(\x00A\x00B)",
    b"(unterminated",
    b"(\\",
    b"(a\\)",
    b"(x\\\\)",
    b"<>",
    b"<41>",
    b"<4>",
    b"<41 42\n43>",
    b"<4G>",
    b"<<",
    b">>",
    b"<</A 1>>",
    b"<41\x0042>",
    b"[",
    b"]",
    b"[1 2]",
    b"[(a) -120 (b)]",
    b"[[1]]",
    b"[null]",
    b"[/A /B]",
    b"[<41> 3]",
    b"[1\x0b2]",
    b"{",
    b"}",
    b"%comment\n",
    b"%",
    b")",
    b">",
]
_SPACES = [b" ", b"\n", b"\r\n", b"\t", b"\x0c", b"", b"\x00", b"\x0b", b"  "]


def _generated(rnd: random.Random) -> bytes:
    parts = []
    for _ in range(rnd.randint(0, 14)):
        parts.append(rnd.choice(_TOKENS))
        parts.append(rnd.choice(_SPACES) if rnd.random() < 0.8 else b" ")
    return b"".join(parts)


@pytest.mark.parametrize("encoding", [None, {65: "Z", 200: "é"}, ["x"] * 70])
def test_generated_streams_parse_as_pypdf_parses_them_or_go_to_pypdf(encoding: Any) -> None:
    rnd = random.Random(2026 if encoding is None else 7)
    answered = sum(_check(_generated(rnd), encoding) for _ in range(20_000))
    assert answered > 1_000  # the comparison is not empty


def test_real_streams_with_bytes_changed_parse_as_pypdf_or_go_to_pypdf(tmp_path: Path) -> None:
    streams = [s for s in _real_streams(tmp_path) if 0 < len(s) < 200_000]
    rnd = random.Random(11)
    special = b"()<>[]{}/%#\\\x00\x0b\r\n 0R.,-+'\"BIT"
    answered = 0
    for _ in range(3_000):
        data = bytearray(rnd.choice(streams))
        for _ in range(rnd.randint(1, 4)):
            at = rnd.randrange(len(data))
            what = rnd.random()
            if what < 0.4:
                data[at] = rnd.choice(special)
            elif what < 0.7:
                del data[at]
            else:
                data.insert(at, rnd.choice(special))
        answered += _check(bytes(data))
    assert answered > 300


def test_what_pypdf_refuses_is_refused_and_pypdf_still_decides() -> None:
    for refused in (b"1 0 R Do", b"BI /W 1 /H 1 ID \x00 EI", b"(a(b)c) Tj", b"%c\nBT ET", b"[[1]] TJ", b"1,5 w"):
        assert quick_operations(refused) is None, refused
    stream = ContentStream(None, None)
    stream.set_data(b"q 1 0 0 1 5 5 cm (Hi) Tj Q")
    assert [op for _, op in stream.operations] == [b"q", b"cm", b"Tj", b"Q"]  # installed, through pypdf's API
    assert ContentStream._parse_content_stream is quickcontent._parse_content_stream


def test_long_numbers_and_long_runs_go_to_pypdf() -> None:
    """pypdf reads a number from a 20-byte peek; a longer one through a reader with limits of its
    own (from 48 characters it fails). The quick parse answers only up to 19 characters, and
    gives up on a long run of any token at once."""
    for length in range(1, 72):
        for number in (
            b"1" * length,
            b"-" + b"1" * (length - 1),
            b"1" * (length // 2) + b"." + b"1" * (length - 1 - length // 2),
        ):
            for tail in (b"", b" 0 0 m 10 10 l S q Q BT ET q Q q Q"):
                answered = _check(number + b" w" + tail)
                assert answered == (len(number) <= 19 and _plain(number)), number
    for run in (b"1" * 300_000, b"a" * 300_000, b"/" + b"a" * 300_000, b"(" + b"a" * 300_000, b"<" + b"4" * 300_000):
        assert quick_operations(run + b" w") is None
        assert quick_operations(b"q " + run) is None


def _plain(number: bytes) -> bool:
    return re.fullmatch(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)", number) is not None
