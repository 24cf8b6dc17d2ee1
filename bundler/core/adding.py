"""Adding files to a bundle: folders expanded, each file checked, paths kept relative.

Every file is probed before it joins a bundle, so an unusable one is refused with
a message naming it, and the project is left as it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from bundler.core.edits import find_section
from bundler.core.errors import ProjectError
from bundler.core.fsutil import sha256_file
from bundler.core.model import Bundle, CaseDetails, Document, Section
from bundler.core.naming import date_problem, parse_typed_date, propose_date, propose_title_date
from bundler.core.pdf.probe import SUPPORTED_SUFFIXES, probe_file
from bundler.core.pdf.sources import parse_page_selection

__all__ = ["relative_source_path", "add_document", "new_document", "expand_sources", "rebase_paths"]


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
    notes: list[str] | None = None,
) -> Document:
    """Check ``source``, propose its title and date, and append it to a section.

    ``notes`` receives what probing found (e.g. that a damaged PDF will be repaired)."""
    section = find_section(bundle, section_key)
    probe = probe_file(source, password)
    if notes is not None:
        notes.extend(probe.notes)
    proposed_title, _ = propose_title_date(source, probe.title)
    proposed_date, source_of_date = propose_date(source, probe.date)
    typed = parse_typed_date(date) if date else None
    if date and typed is None:
        raise ProjectError(date_problem(date))
    # DOCX page counts are known only after conversion: there only the form is checked now.
    parse_page_selection(pages, probe.pages or 1_000_000, source.name)
    if rotation % 90:
        raise ProjectError(f"Rotation {rotation} is not a quarter turn. Use 0, 90, 180 or 270.")
    doc = Document(
        path=relative_source_path(source, project_dir),
        sha256=sha256_file(source),
        title=title or proposed_title,
        date=typed or proposed_date,
        date_source="typed" if typed else source_of_date,
        pages=pages,
        rotation=rotation % 360,
        password=password,
    )
    section.documents.append(doc)
    return doc


def new_document(source: Path, project_dir: Path | None, password: str | None = None) -> Document:
    """A checked document for ``source`` (title and date proposed), not yet in any bundle.

    It reuses ``edits.add_document`` on a scratch bundle so probing stays in one place.
    Without a project folder (an untitled bundle) the path is absolute.
    """
    scratch = Bundle(CaseDetails("", ""), sections=[Section("A", "scratch")])
    doc = add_document(scratch, project_dir or source.parent, source, "A", password=password)
    if project_dir is None:
        doc.path = source.resolve().as_posix()
    return doc


def expand_sources(paths: Iterable[Path]) -> list[Path]:
    """Folders become the documents inside them (by name, recursively); files stay as given."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for child in sorted(path.rglob("*"), key=lambda p: [part.casefold() for part in p.parts]):
            hidden = child.name.startswith((".", "~$"))  # dot files and Word lock files
            if child.is_file() and not hidden and child.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(child)
    return found


def rebase_paths(bundle: Bundle, old_base: Path | None, new_base: Path | None) -> None:
    """Re-express document (and own cover) paths for a project saved somewhere else (or
    untitled: absolute)."""
    for _, doc in bundle.documents():
        doc.path = _rebased(doc.path, old_base, new_base)
    if bundle.case.cover_pdf:
        bundle.case.cover_pdf = _rebased(bundle.case.cover_pdf, old_base, new_base)


def _rebased(path: str, old_base: Path | None, new_base: Path | None) -> str:
    source = Path(path)
    if not source.is_absolute():
        if old_base is None:
            return path
        source = old_base / source
    return relative_source_path(source, new_base) if new_base else source.resolve().as_posix()
