"""Replace protected text inside paragraphs, keeping the formatting of the runs.

A name is often split over several runs ("Far" bold, "ida Khan" italic, "um"),
so matching is done over the paragraph's visible text: every ``w:t``/``a:t``/
``m:t`` plus the characters that tabs, breaks and ``w:sym`` render. The label
goes into the first run the match touches; the matched text is cut from the
rest. Field instructions (``w:instrText``) are never shown, so they are
matched as a separate stream and rewritten whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from bundler.core.anonymise.docx.xml import (
    TEXT_NAMESPACES,
    A,
    M,
    W,
    anonymise_value,
    is_el,
    local,
    namespace,
    reveal,
    screen,
    without_invisible,
)
from bundler.core.anonymise.terms import Match, Target, find_matches

__all__ = ["Hit", "anonymise_paragraphs", "anonymise_field_codes", "paragraphs", "sym_char"]

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_W_CHARS = {
    "tab": "\t",
    "ptab": "\t",
    "br": "\n",
    "cr": "\n",
    "noBreakHyphen": "-",
    "softHyphen": "\u00ad",
}
_NOT_SHOWN = ("instrText", "delText", "delInstrText")
_BREAKS = frozenset("\t\n")  # tabs and breaks inside a match stay: they carry layout, not text


@dataclass(frozen=True)
class Hit:
    location: str
    target: Target


@dataclass(frozen=True)
class _Segment:
    element: etree._Element
    start: int  # offset of this segment in the paragraph's text
    length: int
    is_text: bool  # a w:t-like element (edit its text) or a one-character element (remove it)


def sym_char(el: etree._Element) -> str:
    """The character a ``w:sym`` draws; symbol fonts use the U+F0xx private range."""
    raw = next((v for k, v in el.attrib.items() if k.endswith("}char")), "")
    try:
        code = int(raw, 16)
    except ValueError:
        return ""
    return chr(code - 0xF000 if 0xF000 <= code <= 0xF0FF else code)


def paragraphs(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if is_el(el, W | A, "p")]


def _shown(el: etree._Element) -> str | None:
    """Text an element contributes to its paragraph, or None to look inside it."""
    if is_el(el, TEXT_NAMESPACES, "t"):
        return el.text or ""
    if is_el(el, W, *_W_CHARS):
        return _W_CHARS[local(el)]
    if is_el(el, W, "sym"):
        return sym_char(el)
    if is_el(el, A, "br"):
        return "\n"
    return None


def _walk(el: etree._Element) -> Iterator[etree._Element]:
    for child in el:
        if is_el(child, W | A, "p") or is_el(child, W, *_NOT_SHOWN):
            continue  # nested paragraphs (text boxes) are matched on their own
        if namespace(child) in TEXT_NAMESPACES and local(child).endswith("Pr"):
            continue  # run and paragraph properties: tab stops are not tabs
        if _shown(child) is not None:
            yield child
        else:
            yield from _walk(child)


def _segments(paragraph: etree._Element) -> tuple[str, list[_Segment]]:
    parts: list[str] = []
    segments: list[_Segment] = []
    offset = 0
    for el in _walk(paragraph):
        text = _shown(el) or ""
        segments.append(_Segment(el, offset, len(text), is_el(el, TEXT_NAMESPACES, "t")))
        parts.append(text)
        offset += len(text)
    return "".join(parts), segments


def _revealed_segments(paragraph: etree._Element, targets: list[Target]) -> tuple[str, list[_Segment]]:
    """Segments; invisible characters are first dropped where they split a name ("Far\u200bida")."""
    text, segments = _segments(paragraph)
    if reveal(text, targets) == text:
        return text, segments
    for seg in segments:
        if seg.is_text:
            _set_text(seg.element, without_invisible(seg.element.text or ""))
    return _segments(paragraph)


def _set_text(el: etree._Element, text: str) -> None:
    el.text = text
    if is_el(el, W | M, "t", "instrText"):
        el.set(_XML_SPACE, "preserve")


def _text_in_place_of(el: etree._Element, label: str) -> None:
    """Swap a one-character element (``w:sym``) for a text element holding ``label``."""
    ns = el.tag[1:].partition("}")[0]
    text = etree.Element(f"{{{ns}}}t")
    _set_text(text, label)
    el.addprevious(text)
    el.getparent().remove(el)


def _apply(match: Match, segments: list[_Segment]) -> None:
    touched = [s for s in segments if s.start < match.end and match.start < s.start + s.length]
    for n, seg in enumerate(touched):
        label = match.target.label if n == 0 else ""
        if not seg.is_text:
            if label:
                _text_in_place_of(seg.element, label)
            elif not _BREAKS.intersection(_shown(seg.element) or "") and seg.element.getparent() is not None:
                seg.element.getparent().remove(seg.element)  # a symbol or hyphen inside the name
            continue
        current = seg.element.text or ""
        cut_from = max(match.start - seg.start, 0)
        cut_to = min(match.end - seg.start, seg.length)
        _set_text(seg.element, current[:cut_from] + label + current[cut_to:])


def anonymise_paragraphs(root: etree._Element, targets: list[Target]) -> list[Hit]:
    """Replace every match in every paragraph of a part (text boxes included)."""
    hits: list[Hit] = []
    found = [_revealed_segments(paragraph, targets) for paragraph in paragraphs(root)]
    flags = screen([text for text, _ in found], targets)
    for number, ((text, segments), flagged) in enumerate(zip(found, flags, strict=True), start=1):
        if not flagged:
            continue
        matches = find_matches(text, targets)
        for match in reversed(matches):  # from the end, so earlier offsets stay valid
            _apply(match, segments)
        hits += [Hit(f"paragraph {number}", m.target) for m in matches]
    return hits


def _instruction_groups(root: etree._Element) -> list[list[etree._Element]]:
    """Consecutive ``w:instrText`` elements: one field's instruction, however split."""
    groups: list[list[etree._Element]] = [[]]
    for el in root.iter():
        if is_el(el, W, "instrText"):
            groups[-1].append(el)
        elif is_el(el, W, "fldChar") and groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def anonymise_field_codes(root: etree._Element, targets: list[Target]) -> list[Hit]:
    hits: list[Hit] = []
    for number, group in enumerate(_instruction_groups(root), start=1):
        done = anonymise_value("".join(el.text or "" for el in group), targets)
        if not done.matches:
            continue
        _set_text(group[0], done.text)
        for el in group[1:]:
            _set_text(el, "")
        hits += [Hit(f"field code {number}", m.target) for m in done.matches]
    return hits
