"""pypdf's reader, with its object headers read in one step where they are plain.

Opening a file, pypdf (when not strict) checks every entry of the cross-reference by
reading the object header it points at ("12 0 obj"), a byte at a time: on a 5,000-page
bundle of 26,000 objects that is 0.2 s of every open, the leak gate's included. An
ordinary header — digits, one space, digits, one space, ``obj``, then whitespace and
the object — is read here with one match, and gives what pypdf's own reading gives: the
same numbers, the stream left at the same byte. Anything else (a comment, extra or odd
whitespace, a long number, the end of the file close by) is read by pypdf itself.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader

__all__ = ["QuickReader"]

# pypdf's whitespace (``_utils.WHITESPACES``); \v is not among them
_PLAIN = re.compile(rb"([0-9]{1,20}) ([0-9]{1,20}) obj[\x00\t\n\x0c\r ]*")
_WINDOW = 64


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
