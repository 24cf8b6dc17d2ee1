"""Edits to a bundle as plain functions (the GUI wraps them in undo commands).

Sections and documents are found, added, moved, renamed and changed here; every
change is checked first and returns what the undo needs.
"""

from __future__ import annotations

import string
from pathlib import Path

from bundler.core.errors import ProjectError
from bundler.core.model import Bundle, Document, Section
from bundler.core.naming import date_problem, parse_typed_date
from bundler.core.pdf.sources import parse_page_selection

__all__ = [
    "EDITABLE_FIELDS",
    "find_section",
    "add_section",
    "insert_section",
    "remove_section",
    "rename_section",
    "move_section",
    "insert_document",
    "document_position",
    "remove_document",
    "move_document",
    "rotate_page",
    "checked_field_value",
    "set_document_field",
]


EDITABLE_FIELDS = ("title", "date", "description", "pages", "rotation")


def find_section(bundle: Bundle, key: str) -> Section:
    """A section by letter ("C") or by name ("Pre-action correspondence"), ignoring case."""
    wanted = key.strip().casefold()
    for section in bundle.sections:
        if wanted in (section.letter.casefold(), section.title.casefold(), section.id):
            return section
    known = "; ".join(f"{s.letter} {s.title}" for s in bundle.sections)
    raise ProjectError(f"There is no section '{key}' in this bundle. Sections: {known}.")


def _section(bundle: Bundle, section_id: str) -> Section:
    for section in bundle.sections:
        if section.id == section_id:
            return section
    raise ProjectError(f"There is no section with id '{section_id}' in this bundle.")


def _next_letter(bundle: Bundle) -> str:
    used = {s.letter for s in bundle.sections}
    candidates = [
        *string.ascii_uppercase,
        *(a + b for a in string.ascii_uppercase for b in string.ascii_uppercase),
    ]
    return str(next(c for c in candidates if c not in used))


def add_section(bundle: Bundle, title: str, position: int | None = None) -> Section:
    """A new empty section with the next free tab letter."""
    if not title.strip():
        raise ProjectError("A section needs a name, e.g. 'Witness statements'.")
    section = Section(letter=_next_letter(bundle), title=title.strip())
    insert_section(bundle, len(bundle.sections) if position is None else position, section)
    return section


def insert_section(bundle: Bundle, position: int, section: Section) -> None:
    bundle.sections.insert(position, section)


def remove_section(bundle: Bundle, section_id: str) -> tuple[int, Section]:
    """Remove a section with its documents; returns where it was, for undo."""
    section = _section(bundle, section_id)
    position = bundle.sections.index(section)
    bundle.sections.pop(position)
    return position, section


def rename_section(bundle: Bundle, section_id: str, title: str) -> str:
    """Returns the old title."""
    if not title.strip():
        raise ProjectError("A section needs a name. Type one, or press Esc to keep the old name.")
    section = _section(bundle, section_id)
    old, section.title = section.title, title.strip()
    return old


def move_section(bundle: Bundle, section_id: str, position: int) -> None:
    _, section = remove_section(bundle, section_id)
    bundle.sections.insert(position, section)


def insert_document(bundle: Bundle, section_id: str, position: int, doc: Document) -> None:
    _section(bundle, section_id).documents.insert(position, doc)


def document_position(bundle: Bundle, doc_id: str) -> tuple[str, int]:
    """(section id, row) of a document."""
    for section in bundle.sections:
        for row, doc in enumerate(section.documents):
            if doc.id == doc_id:
                return section.id, row
    raise ProjectError(f"There is no document with id '{doc_id}' in this bundle.")


def remove_document(bundle: Bundle, doc_id: str) -> Document:
    for section in bundle.sections:
        for i, doc in enumerate(section.documents):
            if doc.id == doc_id:
                return section.documents.pop(i)
    raise ProjectError(f"There is no document with id '{doc_id}' in this bundle.")


def move_document(bundle: Bundle, doc_id: str, section_key: str, position: int | None = None) -> None:
    """Move a document to ``position`` (end when None) of another or the same section."""
    target = find_section(bundle, section_key)
    doc = remove_document(bundle, doc_id)
    target.documents.insert(len(target.documents) if position is None else position, doc)


def rotate_page(bundle: Bundle, doc_id: str, page: int, degrees: int) -> None:
    """Turn one source page (1-based) of a document clockwise by ``degrees`` more."""
    found = bundle.find_document(doc_id)
    if found is None:
        raise ProjectError(f"There is no document with id '{doc_id}' in this bundle.")
    if degrees % 90 or page < 1:
        raise ProjectError("Pages turn by quarter turns (90, 180, 270), and pages count from 1.")
    doc = found[1]
    angle = (doc.page_rotations.get(str(page), 0) + degrees) % 360
    if angle:
        doc.page_rotations[str(page)] = angle
    else:
        doc.page_rotations.pop(str(page), None)


def checked_field_value(doc: Document, field: str, value: object) -> object:
    """``value`` as ``doc.<field>`` would store it; ProjectError when it is not acceptable."""
    if field not in EDITABLE_FIELDS:
        raise ProjectError(f"'{field}' is not an editable field of a document.")
    text = "" if value is None else str(value).strip()
    if field == "title" and not text:
        raise ProjectError("A document needs a title. Type one, or press Esc to keep the old title.")
    if field == "date":
        iso = parse_typed_date(text) if text else None  # 11/08/2019 is typed in the UK
        if text and iso is None:
            raise ProjectError(date_problem(text))
        return iso
    if field == "pages":
        # Only the syntax: the build checks the range against the document's pages.
        parse_page_selection(text, 1_000_000, Path(doc.path).name)
    if field == "rotation":
        if not text.lstrip("-").isdigit() or int(text) % 90:
            raise ProjectError(f"Rotation '{text}' is not a quarter turn. Use 0, 90, 180 or 270.")
        return int(text) % 360
    return text


def set_document_field(bundle: Bundle, doc_id: str, field: str, value: object) -> object:
    """Set one of ``EDITABLE_FIELDS`` after checking it; returns the old value."""
    section_id, row = document_position(bundle, doc_id)
    doc = _section(bundle, section_id).documents[row]
    old = getattr(doc, field)
    setattr(doc, field, checked_field_value(doc, field, value))
    if field == "date":
        doc.date_source = "typed"  # typed or confirmed by the user: no longer a guess
    return old
