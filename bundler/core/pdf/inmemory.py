"""A PDF held in memory, for pypdf to read without copying it."""

from __future__ import annotations

import io

__all__ = ["SharedBytes"]


class SharedBytes(io.BytesIO):
    """A file over ``data`` that never copies it.

    pypdf asks a stream for its size (and, when repairing, its bytes) through ``getbuffer()``.
    A ``BytesIO`` made from bytes shares them until then, and copies them to hand out a
    buffer: the whole file again (127 MB, 0.06 s, for a 5,000-page bundle). A view of the
    bytes themselves gives the same answers. Nothing writes to this stream."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self._data = data

    def getbuffer(self) -> memoryview:
        return memoryview(self._data)
