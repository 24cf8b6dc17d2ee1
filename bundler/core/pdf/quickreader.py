"""pypdf's reader, with its object headers read in one step where they are plain.

Opening a file, pypdf (when not strict) checks every entry of the cross-reference by
reading the object header it points at ("12 0 obj"), a byte at a time: on a 5,000-page
bundle of 26,000 objects that is 0.2 s of every open, the leak gate's included. An
ordinary header — digits, one space, digits, one space, ``obj``, then whitespace and
the object — is read here with one match, and gives what pypdf's own reading gives: the
same numbers, the stream left at the same byte. Anything else (a comment, extra or odd
whitespace, a long number, the end of the file close by) is read by pypdf itself.

The same for the plainest stream object, which a bundle has one of per page (its page number's
stamp): ``N 0 obj``, a dictionary of nothing but ``/Length L``, and L bytes between ``stream``
and ``endstream``, all laid out exactly as pypdf's writer lays them out. pypdf parses such an
object token by token (about 45 microseconds); it gives a ``DecodedStreamObject`` with no keys and
those L bytes, which is what is made here, cached as pypdf caches it. An encrypted file, an
object pypdf has read or is reading, one in an object stream, a free entry, or any other byte
anywhere: pypdf reads it.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DecodedStreamObject, IndirectObject, PdfObject

__all__ = ["QuickReader"]

# pypdf's whitespace (``_utils.WHITESPACES``); \v is not among them
_PLAIN = re.compile(rb"([0-9]{1,20}) ([0-9]{1,20}) obj[\x00\t\n\x0c\r ]*")
_WINDOW = 64
_PLAIN_STREAM = re.compile(rb"([0-9]{1,20}) 0 obj\n<<\n/Length ([0-9]{1,7})\n>>\nstream\n")
_END = b"\nendstream"


class QuickReader(PdfReader):
    """A ``PdfReader`` whose ``read_object_header`` takes plain headers in one step."""

    def read_object_header(self, stream: Any) -> tuple[int, int]:
        start = stream.tell()
        head = stream.read(_WINDOW)
        plain = _PLAIN.match(head)
        if plain is not None and plain.end() < len(head):  # the object's first byte is there
            stream.seek(start + plain.end())
            return int(plain[1]), int(plain[2])
        stream.seek(start)
        return super().read_object_header(stream)

    def get_object(self, indirect_reference: int | IndirectObject) -> PdfObject | None:
        plain = self._plain_stream(indirect_reference)
        return plain if plain is not None else super().get_object(indirect_reference)

    def _plain_stream(self, reference: int | IndirectObject) -> DecodedStreamObject | None:
        """The object as pypdf would read it, if it is a plain stream (above); else None."""
        idnum, generation = (reference, 0) if isinstance(reference, int) else (reference.idnum, reference.generation)
        table = self.xref.get(0)
        if (
            generation != 0
            or table is None
            or idnum not in table
            or (0, idnum) in self.resolved_objects
            or idnum in self.xref_objStm
            or self.xref_free_entry.get(0, {}).get(idnum, False)
            or (idnum, 0) in self._known_objects
            or self._encryption is not None
        ):
            return None
        start = table[idnum]
        self.stream.seek(start)
        head = _PLAIN_STREAM.match(self.stream.read(_WINDOW))
        if head is None or int(head[1]) != idnum:
            return None
        length = int(head[2])
        self.stream.seek(start + head.end())
        body = self.stream.read(length + len(_END))
        if len(body) != length + len(_END) or not body.endswith(_END):
            return None
        stream = DecodedStreamObject()
        stream._data = body[:length]
        self.cache_indirect_object(0, idnum, stream)
        return stream
