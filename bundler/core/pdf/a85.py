"""ASCII85 decoding at C speed, byte for byte what ``base64.a85decode`` returns.

reportlab and many office tools wrap every content stream in ASCII85. pypdf decodes
it with ``base64.a85decode``, a Python loop over every character: about a fifth of
an anonymised rebuild's CPU time on the bench corpus. The leak gate and the
redactor's check read those streams through pypdf, so both gain.

Only the common, well-formed case is taken fast (Adobe framing, no ``y`` folding);
anything else — a stray character, a ``z`` inside a group, an overflowing group, a
missing end marker — goes to the standard decoder, so errors are exactly its errors.
Large inputs (a scanned page's JPEG, wrapped by reportlab) go to qpdf's decoder
through pikepdf, forty times quicker still; the checks that keep the result exact
(digits only, no overflowing group, the length it must have) are made here first.
"""

from __future__ import annotations

import base64
import re
import struct
import sys
import threading
from functools import cache
from operator import add
from typing import Any

__all__ = ["a85decode", "install"]

_STANDARD = base64.a85decode
_WHITESPACE = b" \n\r\t\x00\x0c"  # pypdf's WHITESPACES_AS_BYTES
_DIGITS = bytes(range(ord("!"), ord("u") + 1))
_TABLES = [[(c - 33) * 85**power if 33 <= c <= 117 else 0 for c in range(256)] for power in (4, 3, 2, 1, 0)]
_ZERO_GROUP = b"!!!!!"  # decodes to four zero bytes, as "z" does
_QPDF_FROM = 4096  # bytes of digits: below this, starting qpdf costs more than it saves
_HIGH_START = re.compile(b"[s-u]")  # only a group starting so can exceed 32 bits


def _body(data: bytes, ignorechars: bytes | bytearray) -> bytes | None:
    """The digits between the markers with ``z`` spelled out; None when anything is unusual."""
    if not data.endswith(b"~>") or set(ignorechars) - set(_WHITESPACE):
        return None
    body = data[2:-2] if data.startswith(b"<~") else data[:-2]
    body = body.translate(None, ignorechars)
    if b"z" in body:
        parts = body.split(b"z")
        if any(len(part) % 5 for part in parts[:-1]):
            return None  # a "z" inside a group: the standard decoder names the error
        body = _ZERO_GROUP.join(parts)
    return None if body.translate(None, _DIGITS) else body


@cache
def _pair_table(high: int) -> list[int]:
    """The value of two digits read as one native 16-bit index (built once, on first use)."""
    first, second = _TABLES[high], _TABLES[high + 1]
    if sys.byteorder == "little":
        return [first[i & 255] + second[i >> 8] for i in range(65536)]
    return [first[i >> 8] + second[i & 255] for i in range(65536)]


def _pairs(padded: bytes, column: int, full: int) -> memoryview:
    """Digits ``column`` and ``column + 1`` of every group, side by side as 16-bit numbers."""
    both = bytearray(2 * (full // 5))
    both[0::2], both[1::2] = padded[column:full:5], padded[column + 1 : full : 5]
    return memoryview(both).cast("H")


def _words(body: bytes) -> bytes | None:
    padded = body + b"u" * 4
    full = len(padded) // 5 * 5
    high = map(_pair_table(0).__getitem__, _pairs(padded, 0, full))
    middle = map(_pair_table(2).__getitem__, _pairs(padded, 2, full))
    words = list(map(add, map(add, high, middle), map(_TABLES[4].__getitem__, padded[4:full:5])))
    try:
        decoded = struct.pack(f">{len(words)}I", *words)
    except struct.error:
        return None  # an overflowing group: the standard decoder raises
    padding = 4 - (len(padded) - full)
    return decoded[:-padding] if padding else decoded


def _overflows(padded: bytes) -> bool:
    """A group of ``padded`` (whole groups) whose value does not fit in 32 bits."""
    for m in _HIGH_START.finditer(padded[0::5]):
        group = padded[5 * m.start() : 5 * m.start() + 5]
        if sum(_TABLES[k][c] for k, c in enumerate(group)) > 0xFFFFFFFF:
            return True
    return False


def _by_qpdf(body: bytes) -> bytes | None:
    """``body`` (digits only, ``z`` spelled out) decoded by qpdf; None when it could not be
    exact: an overflowing group, a lone final digit, or a length other than it must be."""
    tail = len(body) % 5
    if tail == 1 or _overflows(body + b"u" * (-len(body) % 5)):
        return None
    import pikepdf  # noqa: PLC0415 - only large streams need it: not every start pays its import

    try:
        with pikepdf.Pdf.new() as pdf:  # the stream lives only as long as its PDF
            stream = pikepdf.Stream(pdf, b"")
            stream.write(body + b"~>", filter=pikepdf.Name.ASCII85Decode)
            decoded = stream.read_bytes()
    except Exception:  # noqa: BLE001 - qpdf refused: the standard path decides
        return None
    return decoded if len(decoded) == len(body) // 5 * 4 + max(0, tail - 1) else None


class _Recent:
    """The streams decoded last, by their exact bytes (and the characters ignored): the
    sanitiser, the leak scanner, text extraction and image finding each open the same
    file with a reader of their own and decode its streams again. Streams up to
    ``_HELD_MAX`` bytes are held (a bigger one is not even looked up: hashing it costs),
    the oldest let go beyond ``_HELD_BUDGET`` bytes held in all (encoded and decoded, and
    ``_ENTRY_COST`` for each entry's own objects, so that many tiny streams are bounded
    too); a lookup compares the bytes themselves, never a digest."""

    def __init__(self) -> None:
        self._held: dict[tuple[bytes, bytes], bytes] = {}
        self._size = 0
        self._lock = threading.Lock()  # the app decodes on more than one thread

    def get(self, key: tuple[bytes, bytes]) -> bytes | None:
        with self._lock:
            found = self._held.pop(key, None)
            if found is not None:
                self._held[key] = found  # the newest again
            return found

    def keep(self, key: tuple[bytes, bytes], decoded: bytes) -> None:
        with self._lock:
            if key in self._held:
                return
            self._held[key] = decoded
            self._size += _cost(key, decoded)
            while self._size > _HELD_BUDGET and self._held:
                oldest = next(iter(self._held))
                self._size -= _cost(oldest, self._held.pop(oldest))


_HELD_MAX = 1 << 20
_HELD_BUDGET = 12 << 20
_ENTRY_COST = 256  # a tuple, two bytes objects and a slot of the dict: about 200 bytes


def _cost(key: tuple[bytes, bytes], decoded: bytes) -> int:
    """What an entry holds: its bytes, and its own objects (so many tiny streams are bounded too)."""
    return len(key[0]) + len(decoded) + _ENTRY_COST


_RECENT = _Recent()


def a85decode(
    b: Any, *, foldspaces: bool = False, adobe: bool = False, ignorechars: bytes | bytearray = b" \t\n\r\x0b"
) -> bytes:
    """``base64.a85decode`` with the same arguments and the same result."""
    if isinstance(b, bytes) and adobe and not foldspaces:
        key = (b, bytes(ignorechars)) if len(b) <= _HELD_MAX else None  # a bigger one is never kept
        decoded = _RECENT.get(key) if key is not None else None
        if decoded is not None:
            return decoded
        body = _body(b, ignorechars)
        if body is not None:
            decoded = (_by_qpdf(body) if len(body) >= _QPDF_FROM else None) or _words(body)
        if decoded is not None:
            if key is not None:
                _RECENT.keep(key, decoded)
            return decoded
    return _STANDARD(b, foldspaces=foldspaces, adobe=adobe, ignorechars=ignorechars)


def install() -> None:
    """Make pypdf's ASCII85 filter use this decoder (it calls ``a85decode`` by name)."""
    import pypdf.filters

    vars(pypdf.filters)["a85decode"] = a85decode  # pypdf looks the name up on every call
