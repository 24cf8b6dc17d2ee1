"""What the gate's readers hand back: a text to search, or a place that could not be read."""

from __future__ import annotations

from typing import Any, NamedTuple

from pypdf.generic import DictionaryObject, IndirectObject

__all__ = ["Text", "Unreadable", "Found", "unreadable", "get"]


class Text(NamedTuple):
    place: str
    page: int | None
    text: str
    shown: bool = False  # text a reader shows (page text, bookmarks …), not a file's raw bytes


class Unreadable(NamedTuple):
    place: str
    page: int | None
    reason: str


Found = Text | Unreadable


def unreadable(place: str, page: int | None, exc: BaseException) -> Unreadable:
    return Unreadable(place, page, f"could not be read ({type(exc).__name__}: {exc})")


def get(obj: Any, key: str) -> Any:
    """``obj[key]`` resolved, or None; never raises on odd structures."""
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value
