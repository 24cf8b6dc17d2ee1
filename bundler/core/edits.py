"""Edits to a bundle as plain functions (the GUI wraps them in undo commands)."""

from __future__ import annotations

import os
from pathlib import Path

from bundler.core.errors import ProjectError
from bundler.core.fsutil import sha256_file
from bundler.core.model import Bundle, Document, Section
from bundler.core.naming import parse_date, propose_title_date
from bundler.core.probe import probe_file

__all__ = ["find_section", "relative_source_path", "add_document", "remove_document", "move_document", "rotate_page"]


def find_section(bundle: Bundle, key: str) -> Section:
    """A section by letter ("C") or by name ("Pre-action correspondence"), ignoring case."""
    wanted = key.strip().casefold()
    for section in bundle.sections:
        if wanted in (section.letter.casefold(), section.title.casefold(), section.id):
            return section
    known = "; ".join(f"{s.letter} {s.title}" for s in bundle.sections)
    raise ProjectError(f"There is no section '{key}' in this bundle. Sections: {known}.")


def relative_source_path(source: Path, project_dir: Path) -> str:
    """Relative to the project with '/' separators; absolute when on another drive."""
    try:
        rel = os.path.relpath(source.resolve(), project_dir.resolve())
    except ValueError:  # Windows: another drive letter
        return source.resolve().as_posix()
    return Path(rel).as_posix()


def add_document(
    bundle: Bundle,
    project_dir: Path,
    source: Path,
    section_key: str,
    *,
    title: str | None = None,
    date: str | None = None,
    password: str | None = None,
    pages: str = "",
    rotation: int = 0,
) -> Document:
    """Check ``source``, propose its title and date, and append it to a section."""
    section = find_section(bundle, section_key)
    probe = probe_file(source, password)
    proposed_title, proposed_date = propose_title_date(source, probe.title, probe.date)
    if date is not None and parse_date(date) is None:
        raise ProjectError(f"'{date}' is not a date. Give dates as YYYY-MM-DD, e.g. 2019-08-11.")
    if rotation % 90:
        raise ProjectError(f"Rotation {rotation} is not a quarter turn. Use 0, 90, 180 or 270.")
    doc = Document(
        path=relative_source_path(source, project_dir),
        sha256=sha256_file(source),
        title=title or proposed_title,
        date=parse_date(date) if date else proposed_date,
        pages=pages,
        rotation=rotation % 360,
        password=password,
    )
    section.documents.append(doc)
    return doc


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
