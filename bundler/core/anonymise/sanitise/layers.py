"""Hidden optional content goes before the layers do.

The bundle drops ``/OCProperties`` (a court bundle has no layers), which would make
every hidden layer show. So what is hidden by default — marked content ``/OC /name
BDC … EMC`` whose group is off, and XObjects whose ``/OC`` is off — is cut from the
pages first: what the reader saw is what the bundle shows, and nothing hidden rides
along. Groups are read from the source's ``/OCProperties /D`` (``/BaseState``, ``/ON``,
``/OFF``); a membership dictionary is off when its policy says so.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

__all__ = ["hidden_groups", "drop_hidden_content"]


def _get(obj: Any, key: str) -> Any:
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value


def _raw(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, DictionaryObject) else None


def _ids(value: Any) -> set[int]:
    items = value if isinstance(value, ArrayObject) else []
    return {item.idnum for item in items if isinstance(item, IndirectObject)}


def hidden_groups(reader: PdfReader, writer: PdfWriter) -> set[int]:
    """The object numbers, in ``writer``, of the groups ``reader`` hides by default."""
    properties = _get(reader.trailer["/Root"], "/OCProperties")
    default = _get(properties, "/D")
    if not isinstance(default, DictionaryObject):
        return set()
    groups = _ids(_get(properties, "/OCGs"))
    off = groups - _ids(_get(default, "/ON")) if _get(default, "/BaseState") == "/OFF" else _ids(_get(default, "/OFF"))
    translated = writer._id_translated.get(id(reader), {})  # pypdf's map of cloned objects
    return {translated[n] for n in off if n in translated}


def _is_hidden(ref: Any, hidden: set[int]) -> bool:
    if not isinstance(ref, IndirectObject):
        return False
    member = ref.get_object()
    if _get(member, "/Type") != "/OCMD":
        return ref.idnum in hidden
    groups = _get(member, "/OCGs")
    refs = [g for g in (groups if isinstance(groups, ArrayObject) else [_raw(member, "/OCGs")]) if g is not None]
    off = [isinstance(g, IndirectObject) and g.idnum in hidden for g in refs]
    policy = _get(member, "/P") or "/AnyOn"
    return {"/AllOn": any(off), "/AnyOff": not any(off), "/AllOff": not all(off)}.get(str(policy), all(off))


def _kept(operations: list[Any], resources: Any, hidden: set[int]) -> list[Any]:
    properties, xobjects = _get(resources, "/Properties") or {}, _get(resources, "/XObject") or {}
    kept, depth, skipping = [], 0, 0
    for operands, operator in operations:
        if operator in (b"BDC", b"BMC"):
            depth += 1
            if not skipping and operator == b"BDC" and operands[0] == "/OC":
                skipping = depth if _is_hidden(properties.get(operands[1]), hidden) else 0
        elif operator == b"EMC":
            depth -= 1
            if skipping and depth < skipping:
                skipping = 0
                continue
        if skipping:
            continue
        if operator == b"Do" and _is_hidden(_raw(_get(xobjects, operands[0]), "/OC"), hidden):
            continue
        kept.append((operands, operator))
    return kept


def drop_hidden_content(writer: PdfWriter, hidden: set[int]) -> int:
    """Cut hidden content from every page of ``writer``; return how many pages changed."""
    changed = 0
    for page in writer.pages if hidden else []:
        contents = page.get_contents()
        if contents is None:
            continue
        content = ContentStream(contents, writer)
        kept = _kept(content.operations, _get(page, "/Resources"), hidden)
        if len(kept) != len(content.operations):
            content.operations = kept
            page.replace_contents(content)
            changed += 1
    return changed
