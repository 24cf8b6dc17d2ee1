"""Content-stream plumbing: new stream objects, resource copies, and writing operators back.

pypdf writes byte strings in hex and an inline image with no space before
``EI``; we write literals (half the size, and searchable raw) and a clean ``EI``.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

__all__ = ["Op", "add_stream", "with_entries", "balanced", "serialise"]

Op = tuple[Any, bytes]  # operands are a list, or a dict for an inline image


def add_stream(writer: PdfWriter, data: bytes, entries: DictionaryObject | None = None) -> IndirectObject:
    """A new Flate-compressed stream object in ``writer``."""
    stream = DecodedStreamObject()
    for key, value in (entries or DictionaryObject()).items():
        if key not in ("/Length", "/Filter", "/DecodeParms"):
            stream[key] = value
    stream.set_data(data)
    # pypdf has no public way to register a new indirect object on a writer
    return writer._add_object(stream.flate_encode())


def with_entries(resources: Any, category: str, entries: dict[str, Any], drop: Iterable[str] = ()) -> DictionaryObject:
    """A copy of ``resources`` whose ``category`` dictionary also holds ``entries``, less ``drop``.

    Resource dictionaries are often shared between pages, so we never change them in place.
    """
    copied = DictionaryObject(resources.get_object()) if resources is not None else DictionaryObject()
    inner = copied.get(category)
    inner = DictionaryObject(inner.get_object()) if inner is not None else DictionaryObject()
    for name in drop:
        inner.pop(name, None)
    for name, value in entries.items():
        inner[NameObject(name)] = value
    copied[NameObject(category)] = inner
    return copied


def balanced(operations: list[Op]) -> list[Op]:
    """Drop ``Q`` without a ``q`` and close what is left open, so what we draw after is clean."""
    depth, in_text, out = 0, False, []
    for operands, op in operations:
        if op == b"Q":
            if depth == 0:
                continue
            depth -= 1
        depth += op == b"q"
        in_text = (in_text or op == b"BT") and op != b"ET"
        out.append((operands, op))
    if in_text:
        out.append(([], b"ET"))
    out.extend(([], b"Q") for _ in range(depth))
    return out


_LITERAL_ESCAPES = {
    ord("\\"): b"\\\\",
    ord("("): b"\\(",
    ord(")"): b"\\)",
    ord("\r"): b"\\r",
    ord("\n"): b"\\n",
}


def _write_operand(operand: Any, buf: BytesIO) -> None:
    """Byte strings as literals, not pypdf's hex: half the size, and quicker to search raw."""
    if isinstance(operand, (ByteStringObject, TextStringObject)):
        raw = bytes(operand.original_bytes)
        buf.write(b"(" + b"".join(_LITERAL_ESCAPES.get(c, bytes([c])) for c in raw) + b")")
    elif isinstance(operand, ArrayObject):
        buf.write(b"[")
        for item in operand:
            _write_operand(item, buf)
            buf.write(b" ")
        buf.write(b"]")
    else:
        operand.write_to_stream(buf)


def serialise(operations: list[Op]) -> bytes:
    buf = BytesIO()
    for operands, op in operations:
        if op == b"INLINE IMAGE":
            buf.write(b"BI\n")
            for key, value in operands["settings"].items():
                NameObject(key).write_to_stream(buf)
                buf.write(b" ")
                value.write_to_stream(buf)
                buf.write(b"\n")
            buf.write(b"ID ")
            buf.write(operands["data"])
            buf.write(b"\nEI\n")
            continue
        for operand in operands:
            _write_operand(operand, buf)
            buf.write(b" ")
        buf.write(op)
        buf.write(b"\n")
    return buf.getvalue()
