"""Search a PDF's objects for protected terms: strings, names and decompressed streams.

This is the raw half of our own verification (the other half reads the text
with two engines). Stream bytes are read as Latin-1, and string literals
written in hex or as UTF-16 (how ``/ActualText`` is usually stored) are
decoded as well. Image samples and embedded font programs are skipped: they
are not text, and random bytes would match short terms by chance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from bundler.core.anonymise.gate.syntax import text_operands
from bundler.core.anonymise.terms import Target, find_matches, normalise, read_through, screen
from bundler.core.anonymise.uris import may_be_encoded, uri_forms

__all__ = ["LeakScanner", "stream_text", "draws_content", "CONTENT_STREAM"]

_FONT_PROGRAMS = frozenset({"/FontFile", "/FontFile2", "/FontFile3"})
_PAGE_TYPES = frozenset({"/Page", "/Pages"})
_HEX_STRING = re.compile(rb"<([0-9A-Fa-f\s]{4,})>")
_UTF16_LITERAL = re.compile(rb"\((?:\xfe\xff|\\376\\377)((?:[^\\)]|\\.)*)\)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _decode_string(data: bytes) -> str:
    if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return data.decode("utf-16", errors="replace")
    return data.decode("latin-1")


def _unescape(body: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _ESCAPES.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, body, flags=re.DOTALL)


def stream_text(data: bytes) -> str:
    """Everything a stream could say: its bytes, and its hex and UTF-16 strings decoded."""
    parts = [data.decode("latin-1")]
    for match in _HEX_STRING.finditer(data):
        digits = re.sub(rb"\s", b"", match.group(1))
        parts.append(_decode_string(bytes.fromhex((digits + b"0"[: len(digits) % 2]).decode())))
    for match in _UTF16_LITERAL.finditer(data):
        parts.append(_decode_string(b"\xfe\xff" + _unescape(match.group(1))))
    return "\n".join(parts)


class LeakScanner:
    """Finds targets in objects; remembers each string and stream it has judged."""

    def __init__(self, targets: list[Target]) -> None:
        self.targets = targets
        self._screen = screen(targets, ocr=True) if targets else None
        self._strings: dict[str, bool] = {}
        self._streams: dict[int, tuple[StreamObject, str | None]] = {}

    def in_text(self, text: str, shown: bool = False) -> list[str]:
        """The targets in ``text``, read as it is and, for a link, decoded (``uris``); ``shown``:
        text a reader shows, read through punctuation and glue too (``terms.find_matches``)."""
        if not self.targets:
            return []
        forms = [text, *uri_forms(text)] if may_be_encoded(text) else [text]
        held = [form for form in forms if self._may_hold(form, shown)]
        found = (find_matches(form, self.targets, ocr=True, shown=shown) for form in held)
        return [form[m.start : m.end] for form, matches in zip(held, found, strict=True) for m in matches]

    def _may_hold(self, text: str, shown: bool) -> bool:
        # one pass of the combined screen over the folded text, instead of one per target:
        # it passes every text ``find_matches`` finds a target in (``terms.screen``)
        # (and over the text as the matcher reads it again: ``terms.read_through``)
        folded = normalise(text)
        if self._screen is None or self._screen.search(folded) is not None:
            return True
        rereadings = read_through(text, shown, self.targets, folded)  # folded once, not again inside
        return any(self._screen.search(normalise(read)) is not None for read in rereadings)

    def _string_leaks(self, text: str) -> bool:
        if text not in self._strings:
            self._strings[text] = bool(self.in_text(text))
        return self._strings[text]

    def _stream_leak(self, stream: StreamObject) -> str | None:
        # Keyed by the object, which the entry keeps alive: a stream read in an earlier check
        # round and then freed must not lend its number, and its verdict, to a new stream.
        key = id(stream)
        if key not in self._streams:
            try:
                data = stream.get_data()
                found = self.in_text(stream_text(data))
                drawn = found and draws_content(stream) and self.in_text(text_operands(data))
                verdict = (CONTENT_STREAM if drawn else "a stream") if found else None
            except (PyPdfError, ValueError, NotImplementedError, KeyError, TypeError):
                verdict = "a stream that cannot be decoded for checking"
            self._streams[key] = (stream, verdict)
        return self._streams[key][1]

    def own_leak(self, obj: Any) -> str | None:
        """What kind of thing in ``obj`` itself holds a target (not in what it refers to).

        Never the target's text: these descriptions end up in reports and messages.
        """
        if isinstance(obj, NameObject):
            return "a name" if self._string_leaks(str(obj)) else None
        if isinstance(obj, TextStringObject):
            return "a string" if self._string_leaks(str(obj)) else None
        if isinstance(obj, ByteStringObject):
            return "a string" if self._string_leaks(_decode_string(bytes(obj))) else None
        if isinstance(obj, StreamObject) and obj.get("/Subtype") != "/Image":
            return self._stream_leak(obj)
        return None

    def leaks(self, start: Any, visited: set[int] | None = None) -> list[str]:
        """Leaks in ``start`` and everything it refers to, stopping at other pages."""
        visited = visited if visited is not None else set()
        found: list[str] = []
        for obj, where in _walk(start, visited):
            leak = self.own_leak(obj)
            if leak:
                found.append(f"{leak} in {where}")
        return found


CONTENT_STREAM = "text drawn by a content stream"


def draws_content(stream: StreamObject) -> bool:
    """A page's content, a form XObject, a pattern or a glyph procedure: operators that draw
    (not an image, font program, ICC profile, metadata or attachment)."""
    if stream.get("/Subtype") == "/Form" or "/PatternType" in stream:
        return True
    return not any(key in stream for key in ("/Type", "/Subtype", "/N", "/Length1", "/Length2", "/Length3"))


def _children(obj: Any) -> Iterator[Any]:
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            yield NameObject(key)
            if key not in _FONT_PROGRAMS:
                yield value
    elif isinstance(obj, ArrayObject):
        yield from obj


def _walk(start: Any, visited: set[int]) -> Iterator[tuple[Any, str]]:
    """Every object reachable from ``start`` once, with the indirect object it sits in."""
    stack: list[tuple[Any, str]] = [(start, _where(start))]
    first = True
    while stack:
        obj, where = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in visited:
                continue
            visited.add(obj.idnum)
            where = f"object {obj.idnum}"
            obj = obj.get_object()
            if not first and isinstance(obj, DictionaryObject) and obj.get("/Type") in _PAGE_TYPES:
                continue  # another page: it is checked on its own
        first = False
        yield obj, where
        stack.extend((child, where) for child in _children(obj))


def _where(obj: Any) -> str:
    ref = getattr(obj, "indirect_reference", None)
    return f"object {ref.idnum}" if ref is not None else "direct object"
