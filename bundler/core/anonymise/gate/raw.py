"""The file's bytes, for what the cross-reference does not account for.

Objects the cross-reference does not point at (earlier revisions, orphans) are
parsed where they stand and read like any other object; where they cannot be
parsed, their dictionary is read as text and a Flate stream inflated by hand.
Bytes between objects (comments, the trailer, anything after ``%%EOF``) are read
as text too.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.generic import StreamObject, read_object

from bundler.core.anonymise.gate import syntax
from bundler.core.anonymise.gate.found import Found, Text, Unreadable, unreadable
from bundler.core.anonymise.gate.streams import decoded_places, stream_places, text_places

__all__ = ["raw_places"]

_HEADER = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_BODY = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)|endobj")
_CLOSE = re.compile(rb"endstream\s*endobj")
Strings = Callable[[Any], str]


def _parsed(reader: PdfReader, data: bytes, start: int, place: str, strings: Strings) -> Iterator[Found] | None:
    """The object at ``start`` read by pypdf, or None when it cannot be parsed there."""
    buffer = io.BytesIO(data)
    buffer.seek(start + len(data[start : start + 256]) - len(data[start : start + 256].lstrip()))
    try:
        obj = read_object(buffer, reader)
        found: list[Found] = [Text(place, None, strings(obj))]
        if isinstance(obj, StreamObject):
            found += list(stream_places(obj, place))
    except Exception:  # noqa: BLE001 - read by hand below instead
        return None
    return iter(found)


def _by_hand(head: bytes, raw: bytes, place: str) -> Iterator[Found]:
    yield Text(place, None, "\n".join((head.decode("latin-1"), syntax.text_operands(head), syntax.decoded_names(head))))
    if not raw:
        return
    if b"/Filter" in head and b"/FlateDecode" not in head:
        yield Unreadable(place, None, "uses a filter the raw scan cannot read")
        return
    try:
        data = zlib.decompressobj().decompress(raw) if b"/Filter" in head else raw
    except zlib.error as exc:
        yield unreadable(place, None, exc)
        return
    yield from decoded_places(data, place, b"/EmbeddedFile" in head, b"/XML" in head)


def _closed(data: bytes, pos: int) -> int:
    """Where the raw scan goes on after a stream whose first ``endstream`` is at ``pos``: after
    ``endobj`` when only white space lies between; else just after that ``endstream``, so
    whatever was put between it and ``endobj`` (a second "stream" past ``/Length``, which no
    viewer draws but ``strings`` shows) is read as bytes between objects."""
    closing = _CLOSE.match(data, pos)
    return closing.end() if closing is not None else min(pos + len(b"endstream"), len(data))


def _gap(data: bytes, start: int, end: int) -> Iterator[Found]:
    if data[start:end].strip():
        yield from text_places(data[start:end], f"bytes {start}-{end} between objects (raw scan)")


def _stretches(data: bytes, spans: dict[int, int]) -> dict[int, int]:
    """Proven objects (start -> end) that follow one another with only white space between,
    merged: the scan steps over each stretch at once."""
    merged: dict[int, int] = {}
    start = end = -1
    for begin in sorted(spans):
        if begin >= end >= 0 and not data[end:begin].strip():
            end = spans[begin]
            continue
        if start >= 0:
            merged[start] = end
        start, end = begin, spans[begin]
    if start >= 0:
        merged[start] = end
    return merged


def raw_places(
    reader: PdfReader,
    data: bytes,
    listed: dict[tuple[int, int], int],
    strings: Strings,
    proven: dict[int, int] | None = None,
) -> Iterator[Found]:
    """Objects in the file bytes that the cross-reference does not point at, and the bytes between.

    ``proven``: objects (start -> end of their bytes) that a verdict stands for, byte for byte,
    at the offsets the cross-reference gives; like any listed object they are not read again,
    only stepped over without being taken apart."""
    pos = gap = 0
    stretches = _stretches(data, proven or {})
    while (m := _HEADER.search(data, pos)) is not None:
        if m.start() in stretches:
            yield from _gap(data, gap, m.start())
            pos = gap = stretches[m.start()]
            continue
        body = _BODY.search(data, m.end())
        has_stream = body is not None and body.group() != b"endobj"
        end = body.end() if body else len(data)
        pos = data.find(b"endstream", end) if has_stream else end
        pos = len(data) if pos < 0 else pos
        yield from _gap(data, gap, m.start())
        gap = _closed(data, pos) if has_stream else pos
        ident = (int(m.group(1)), int(m.group(2)))
        if 0 <= m.start() - listed.get(ident, -99) <= 4:
            continue  # the object walk has read this one properly
        place = f"object {ident[0]} {ident[1]} at byte {m.start()} (raw scan)"
        parsed = _parsed(reader, data, m.end(), place, strings)
        head = data[m.start() : body.start() if body else end]
        yield from parsed if parsed is not None else _by_hand(head, data[end:pos] if has_stream else b"", place)
    yield from _gap(data, gap, len(data))
