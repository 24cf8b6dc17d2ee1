"""Freeze fields that would print or fetch something from outside the document.

A converter that updates fields would print the copy's path for FILENAME and
pull other files in for INCLUDETEXT, INCLUDEPICTURE, LINK or DDE: content we
never saw and could not anonymise. Such fields are replaced by their last
result, which is ordinary (anonymised) text. Master-document links
(``w:subDoc``) and mail-merge data sources go for the same reason, and so does
``w:fldData``: base64 that could carry a name no text check can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from bundler.core.anonymise.docx.xml import W, is_el

__all__ = ["freeze_outside_fields"]

_FREEZE = frozenset(
    {
        "FILENAME",
        "INCLUDETEXT",
        "INCLUDEPICTURE",
        "LINK",
        "DDE",
        "DDEAUTO",
        "IMPORT",
        "RD",
        "DATABASE",
        "USERNAME",
        "USERINITIALS",
        "USERADDRESS",
        "LASTSAVEDBY",
    }
)
# fldData is opaque base64 that no matcher can read; fields work without it.
_OUTSIDE = ("subDoc", "mailMerge", "fldData")


@dataclass
class _Field:
    begin: etree._Element
    instruction: list[str] = field(default_factory=list)
    separate: etree._Element | None = None


def _keyword(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _freeze(found: _Field, end: etree._Element, runs: list[etree._Element]) -> None:
    """Drop begin..separate (the instruction, nested fields and all); keep the result."""
    index = {id(run): n for n, run in enumerate(runs)}
    last = found.separate if found.separate is not None else end
    first_run, last_run = found.begin.getparent(), last.getparent()
    if id(first_run) not in index or id(last_run) not in index:
        return  # field characters outside runs: malformed, leave to the leak sweep
    for run in runs[index[id(first_run)] : index[id(last_run)] + 1]:
        _remove(run)
    _remove(end)


def _complex_fields(root: etree._Element) -> int:
    runs = [el for el in root.iter() if is_el(el, W, "r")]
    stack: list[_Field] = []
    frozen = 0
    for el in [e for e in root.iter() if is_el(e, W, "fldChar", "instrText")]:
        kind = next((v for k, v in el.attrib.items() if k.endswith("}fldCharType")), "")
        if kind == "begin":
            stack.append(_Field(el))
        elif not stack:
            continue
        elif is_el(el, W, "instrText") and stack[-1].separate is None:
            stack[-1].instruction.append(el.text or "")
        elif kind == "separate":
            stack[-1].separate = el
        elif kind == "end":
            done = stack.pop()
            if _keyword("".join(done.instruction)) in _FREEZE:
                _freeze(done, el, runs)
                frozen += 1
    return frozen


def _simple_fields(root: etree._Element) -> int:
    found = [el for el in root.iter() if is_el(el, W, "fldSimple")]
    frozen = 0
    for el in found:
        instruction = next((v for k, v in el.attrib.items() if k.endswith("}instr")), "")
        if _keyword(instruction) in _FREEZE and el.getparent() is not None:
            for child in list(el):
                el.addprevious(child)
            _remove(el)
            frozen += 1
    return frozen


def freeze_outside_fields(root: etree._Element) -> int:
    """Freeze outside-looking fields, drop sub-document and mail-merge links; return how many."""
    outside = [el for el in root.iter() if is_el(el, W, *_OUTSIDE)]
    for el in outside:
        _remove(el)
    return _complex_fields(root) + _simple_fields(root) + len(outside)
