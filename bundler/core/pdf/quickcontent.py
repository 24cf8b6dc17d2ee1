"""pypdf's content-stream parsing with one regex, for streams made of plain tokens.

pypdf parses a content stream (``ContentStream.operations``) a byte and a ``seek`` at a
time: on the bench's first anonymised build that was 7% of all CPU, mostly inside the leak
gate's pypdf text. ``quick_operations`` cuts the stream into tokens with one regex and builds
every operand with pypdf's own constructors (``NumberObject``, ``FloatObject``,
``NameObject``, ``create_string_object``, ``read_string_from_stream``), so the operations are
pypdf's own, object for object. It takes only what it is sure pypdf reads the same way:

- operators of one to three letters (``'``, ``"`` and ``*`` too), but not ``BI`` (an inline
  image has a grammar of its own);
- numbers that are a plain decimal of at most 19 characters, as the run of ``[+,-.0-9]`` pypdf
  reads (a longer one pypdf reads another way, with limits of its own);
- names of printable ASCII without ``#`` escapes;
- literal strings without unescaped parentheses inside (escapes are read by pypdf's own
  reader), hexadecimal strings of hex digits and plain whitespace;
- arrays of those operands, not nested;
- separated by space, tab, line feed, carriage return or form feed.

Anything else anywhere in a stream — a comment, a dictionary, ``\\x00`` or ``\\x0b`` between
tokens (pypdf's readers disagree on those), a number followed by something like ``0 R``
(which pypdf reads as a reference and fails on), a very long token, more tokens than pypdf's
budget allows half of — and the whole stream goes to pypdf's parser, as before, with its
results and its errors.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from pypdf.generic import (
    ArrayObject,
    ContentStream,
    FloatObject,
    NameObject,
    NumberObject,
    create_string_object,
    read_string_from_stream,
)

__all__ = ["install", "quick_operations"]

_SPACES = b" \t\n\r\x0c"
_STOP = rb"(?=[ \t\n\r\x0c()<>\[\]/]|\Z)"  # what may follow an operator, number or name here
# Every run is possessive and a last alternative takes any other byte: a token that does not
# fit fails at once, in time linear in the stream, and nothing is searched for further on.
_TOKEN = re.compile(
    rb"[ \t\n\r\x0c]*+(?:"
    rb"([A-Za-z'\"][A-Za-z0-9*'\"]{0,2}+)"
    + _STOP  # 1: an operator
    + rb"|([+,\-.0-9]++)"
    + _STOP  # 2: a number: the whole run pypdf reads (checked in _operand)
    + rb"|(/[^\x00-\x20\x7f-\xff()<>\[\]{}/%#]{0,64}+)"
    + _STOP  # 3: a name
    + rb"|(\((?:[^\\()]|\\.){0,65536}+\))"  # 4: a literal string, nothing nested
    rb"|(<[0-9A-Fa-f \t\n\r\x0c]{0,65536}+>)"  # 5: a hexadecimal string
    rb"|(\[)|(\])"  # 6, 7: an array's start and end
    rb"|(.)"  # 8: anything else
    rb")",
    re.DOTALL,
)
_PLAIN_NUMBER = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_NUMBER_MOST = 19  # pypdf reads a number from a 20-byte peek; a longer one takes another road, with limits
_OPERATOR, _NUMBER, _NAME, _STRING, _HEX, _OPEN, _CLOSE, _OTHER = range(1, 9)
_HEX_SPACE = re.compile(rb"[ \t\n\r\x0c]")
_REFERENCE = re.compile(rb"[0-9]\s+[0-9]+\s+R(?![A-Za-z])")  # "1 0 R" (not "1 1 1 RG"): pypdf reads a
# reference there, then fails
_BUDGET = 1_000_000  # tokens: half pypdf's stream_parsing_work_maximum_count; near it, pypdf decides
_ARRAY_MOST = 10_000  # elements; pypdf allows 100,000


class _NotPlain(Exception):
    """The stream holds something ``quick_operations`` leaves to pypdf."""


def _operand(kind: int, token: bytes, encoding: Any) -> Any:
    if kind == _NUMBER:
        if len(token) > _NUMBER_MOST or not _PLAIN_NUMBER.fullmatch(token):
            raise _NotPlain  # "1,5", "1.2.3", "-": pypdf warns and reads 0; a long number: its limits
        return FloatObject(token) if b"." in token else NumberObject(token)
    if kind == _NAME:
        return NameObject(token.decode("ascii"))
    if kind == _STRING:
        if b"\\" in token:  # pypdf's reader on the very token: escapes mean what they mean to it
            return read_string_from_stream(BytesIO(token), encoding)
        return create_string_object(token[1:-1], encoding)
    digits = _HEX_SPACE.sub(b"", token[1:-1])
    return create_string_object(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii")), encoding)


def _operations(data: bytes, encoding: Any) -> list[tuple[Any, bytes]]:
    if _REFERENCE.search(data):
        raise _NotPlain
    operations: list[tuple[Any, bytes]] = []
    operands: list[Any] = []
    array: ArrayObject | None = None
    pos = count = 0
    for m in _TOKEN.finditer(data):
        if m.start() != pos:
            raise _NotPlain  # bytes no token here takes
        pos, kind = m.end(), m.lastindex or 0
        count += 1
        if kind == _OTHER:
            raise _NotPlain  # a byte no plain token starts with
        if kind == _OPERATOR:
            token = m[_OPERATOR]
            if array is not None or token == b"BI":
                raise _NotPlain  # a letter in an array (true, null …); an inline image
            operations.append((operands, token))
            operands = []
        elif kind == _OPEN:
            if array is not None:
                raise _NotPlain  # nested
            array = ArrayObject()
        elif kind == _CLOSE:
            if array is None:
                raise _NotPlain  # a stray "]": pypdf's error
            operands.append(array)
            array = None
        elif array is not None:
            array.append(_operand(kind, m[kind], encoding))
            if len(array) > _ARRAY_MOST:
                raise _NotPlain
        else:
            operands.append(_operand(kind, m[kind], encoding))
    if data[pos:].strip(_SPACES) or array is not None or count > _BUDGET:
        raise _NotPlain  # bytes left that no token takes; an array left open; too many tokens
    return operations


def quick_operations(data: bytes, encoding: Any = None) -> list[tuple[Any, bytes]] | None:
    """pypdf's ``ContentStream.operations`` for ``data``, or None: let pypdf parse it."""
    try:
        return _operations(data, encoding)
    except Exception:  # noqa: BLE001 - _NotPlain, or anything unforeseen: pypdf parses, and errs, as before
        return None


_PYPDFS = ContentStream._parse_content_stream


def _parse_content_stream(self: ContentStream, stream: Any) -> None:
    """``ContentStream._parse_content_stream``, the quick way when the stream allows it."""
    operations = quick_operations(stream.getvalue(), self.forced_encoding) if isinstance(stream, BytesIO) else None
    if operations is None:
        _PYPDFS(self, stream)
        return
    self._operations.extend(operations)


def install() -> None:
    """Parse pypdf's content streams the quick way where it gives pypdf's own operations."""
    ContentStream._parse_content_stream = _parse_content_stream  # type: ignore[method-assign]
