"""State shared by the parts of one DOCX render (never kept between renders)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from bundler.core.convert.docx.numbering import Numbering, format_number
from bundler.core.convert.docx.props import Element, StyleSheet

__all__ = ["Fields", "Notes", "RenderContext", "related_blob", "part_element", "hyperlink_target"]


@dataclass
class Fields:
    """Values of page fields, known only while a page is drawn ("" / 0 = unknown).

    ``page`` is the number as the document shows it (sections may restart it or use
    roman numerals); ``total`` counts the pages of the PDF.
    """

    page: str = ""
    number: int = 0
    total: int = 0
    uses_total: bool = False


@dataclass
class Notes:
    """Footnotes and endnotes in the order the text refers to them."""

    refs: list[tuple[str, str]] = field(default_factory=list)

    def add(self, kind: str, note_id: str) -> str:
        self.refs.append((kind, note_id))
        return self.label(kind, sum(1 for k, _ in self.refs if k == kind))

    @staticmethod
    def label(kind: str, number: int) -> str:
        # Word's defaults: footnotes 1, 2, 3 …; endnotes i, ii, iii …
        return str(number) if kind == "footnote" else format_number(number, "lowerRoman")


@dataclass
class RenderContext:
    """What the converters need: styles, lists, the part whose relationships apply …"""

    sheet: StyleSheet
    numbering: Numbering
    part: Any  # python-docx Part: resolves r:id of images and links in this story
    fields: Fields = field(default_factory=Fields)
    notes: Notes = field(default_factory=Notes)
    note_label: str = ""
    safe: bool = False  # after a layout failure: tables flattened to plain paragraphs
    # Pictures are capped a little below the smallest body height, so that one in a
    # table cell (where the frame cannot limit it) still leaves room for the cell padding.
    max_height: float = 10_000.0


def part_element(part: Any) -> Element | None:
    """The XML root of a part, parsed if python-docx loaded it as plain bytes."""
    if part is None:
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element
    return parse_xml(part.blob)


def related_blob(part: Any, rel_id: str | None) -> bytes | None:
    """Bytes of the part that ``rel_id`` points to, or None if it is missing/external."""
    if not rel_id or part is None:
        return None
    rel = part.rels.get(rel_id)
    if rel is None or rel.is_external:
        return None
    blob = rel.target_part.blob
    return blob if isinstance(blob, bytes) else None


def hyperlink_target(part: Any, el: Element) -> str:
    rel_id = el.get(qn("r:id"))
    rel = None if part is None or not rel_id else part.rels.get(rel_id)
    return str(rel.target_ref) if rel is not None and rel.is_external else ""
