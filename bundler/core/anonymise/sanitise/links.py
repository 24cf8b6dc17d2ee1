"""Whether a link's target shows a protected name, read as a browser would show it.

Every string and name in the link's action chain (``/URI``, a remote file's
``/F``, a named destination, ``/Next`` actions) and its ``/Dest`` is matched as it
is and decoded (``uris``): ``mailto:f%61rida.khanum@…`` and a punycode host count.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, IndirectObject

from bundler.core.anonymise.terms import Target, find_matches
from bundler.core.anonymise.uris import uri_forms

__all__ = ["link_shows_target"]

_DEPTH = 8  # action chains deeper than this are hostile; their strings are still read
_AWAY = ("/P", "/Parent", "/Kids")  # the page and tree a link sits in are not its target


def _strings(obj: Any, depth: int = 0) -> Iterator[str]:
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
        if isinstance(obj, DictionaryObject) and obj.get("/Type") in ("/Page", "/Pages"):
            return  # a page destination: its text is gated as the page
    if isinstance(obj, ByteStringObject):
        yield bytes(obj).decode("latin-1")
    elif isinstance(obj, str):
        yield str(obj)
    elif isinstance(obj, DictionaryObject) and depth < _DEPTH:
        for key, value in obj.items():
            if key not in _AWAY:
                yield from _strings(value, depth + 1)
    elif isinstance(obj, ArrayObject) and depth < _DEPTH:
        for value in obj:
            yield from _strings(value, depth + 1)


def link_shows_target(annotation: DictionaryObject, targets: list[Target]) -> bool:
    """True when the link's action or destination holds a protected term, decoded or not."""
    if not targets:
        return False
    for text in _strings(DictionaryObject({k: v for k, v in annotation.items() if k in ("/A", "/Dest", "/PA")})):
        if any(find_matches(form, targets) for form in (text, *uri_forms(text))):
            return True
    return False
