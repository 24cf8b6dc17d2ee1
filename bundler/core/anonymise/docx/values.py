"""The catch-all pass: every remaining text node and attribute value of a part.

After paragraphs and field codes are done, this pass reaches what they do not:
image alt text, bookmark names, hyperlink anchors and tooltips, document
variables, content-control tags, chart and SmartArt values, core/app/custom
properties, custom XML data. It also sets every ``author``/``initials``
attribute and the core ``creator``/``lastModifiedBy`` to the given author.
The same text always gets the same replacement, so a bookmark and the links
that point to it stay consistent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from bundler.core.anonymise.docx.text import Hit
from bundler.core.anonymise.docx.xml import R, anonymise_value, local, screen
from bundler.core.anonymise.terms import Target

__all__ = ["ValueChanges", "anonymise_values"]

_AUTHOR_ATTRIBUTES = frozenset({"author", "initials"})
_CORE_PEOPLE = frozenset({"creator", "lastModifiedBy"})
_NAME_ATTRIBUTES = frozenset({("bookmarkStart", "name"), ("hyperlink", "anchor")})
_ALT_TEXT = frozenset({"docPr", "cNvPr"})


@dataclass
class ValueChanges:
    hits: list[Hit] = field(default_factory=list)
    property_hits: list[Hit] = field(default_factory=list)
    authors: int = 0  # author/initials attributes set to the neutral author
    people: list[str] = field(default_factory=list)  # core properties set to the author


def _attribute_place(el: etree._Element, name: str) -> str:
    owner = local(el)
    if owner in _ALT_TEXT:
        return f"image alt text ({name})"
    if (owner, name) == ("bookmarkStart", "name"):
        return "bookmark name"
    if owner == "hyperlink":
        return f"hyperlink {name}"
    if owner == "fldSimple":
        return "field code"
    if owner == "docVar":
        return "document variable"
    return f"attribute '{name}' of <{owner}>"


def _text_place(el: etree._Element, part: str) -> str:
    if part == "docProps/core.xml":
        return f"core property '{local(el)}'"
    if part == "docProps/app.xml":
        return f"app property '{local(el)}'"
    if part == "docProps/custom.xml":
        prop = el.getparent()
        name = prop.get("name", "") if prop is not None else ""
        return f"custom property '{name}'"
    return f"text of <{local(el)}>"


def _author(el: etree._Element, key: str, author: str, out: ValueChanges) -> None:
    if el.get(key) != author:
        el.set(key, author)
        out.authors += 1


def _slots(el: etree._Element, author: str, out: ValueChanges) -> Iterator[tuple[str, str]]:
    """(slot, value) pairs worth matching: attributes by key, then "text" and "tail"."""
    for key, value in el.attrib.items():
        ns, _, name = key[1:].partition("}") if key.startswith("{") else ("", "", key)
        if ns in R:
            continue  # relationship ids point into .rels files; renaming would break links
        if name in _AUTHOR_ATTRIBUTES:
            _author(el, key, author, out)
        else:
            yield key, value
    for slot in ("text", "tail"):
        value = getattr(el, slot)
        if value:
            yield slot, value


def _attribute(el: etree._Element, key: str, targets: list[Target], out: ValueChanges) -> None:
    name = key.rpartition("}")[2]
    done = anonymise_value(el.get(key, ""), targets)
    text = done.text
    if (local(el), name) in _NAME_ATTRIBUTES:
        text = re.sub(r"\W", "_", text)  # bookmark names allow letters, digits, "_"
    el.set(key, text)
    out.hits += [Hit(_attribute_place(el, name), m.target) for m in done.matches]


def _text(el: etree._Element, slot: str, targets: list[Target], part: str, out: ValueChanges) -> None:
    done = anonymise_value(getattr(el, slot), targets)
    setattr(el, slot, done.text)
    place = _text_place(el, part) if slot == "text" else f"text after <{local(el)}>"
    bucket = out.property_hits if part.startswith("docProps/") else out.hits
    bucket += [Hit(place, m.target) for m in done.matches]


def _core_person(el: etree._Element, part: str, author: str, out: ValueChanges) -> None:
    if part == "docProps/core.xml" and local(el) in _CORE_PEOPLE and el.text != author:
        el.text = author
        out.people.append(local(el))


def anonymise_values(root: etree._Element, targets: list[Target], *, part: str, author: str) -> ValueChanges:
    out = ValueChanges()
    slots: list[tuple[etree._Element, str]] = []
    values: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        _core_person(el, part, author, out)
        for slot, value in _slots(el, author, out):
            slots.append((el, slot))
            values.append(value)
    for (el, slot), flagged in zip(slots, screen(values, targets), strict=True):
        if not flagged:
            continue
        if slot in ("text", "tail"):
            _text(el, slot, targets, part, out)
        else:
            _attribute(el, slot, targets, out)
    return out
