"""Changing the case details the cover prints: parties, the bundle date, an own cover.

The CLI and the desktop app both go through these checks, so a bad date or a cover
that is not a one-page PDF is refused the same way, with the same words.
"""

from __future__ import annotations

from pathlib import Path

from bundler.core.adding import relative_source_path
from bundler.core.errors import ProjectError, SourceError
from bundler.core.model import PARTY_ROLES, CaseDetails, Party
from bundler.core.naming import parse_typed_date
from bundler.core.pdf.sources import open_pdf

__all__ = ["checked_bundle_date", "checked_cover", "parties_from_names", "describe_case"]


def checked_bundle_date(text: str) -> str | None:
    """An ISO date from what was typed ('5 Dec 2026', '05/12/2026', '2026-12-05'); '' for none."""
    if not text.strip():
        return None
    found = parse_typed_date(text)
    if found is None:
        raise ProjectError(f"'{text}' is not a date. Type it like 5 Dec 2026, 05/12/2026 or 2026-12-05.")
    return found


def checked_cover(source: Path, project_dir: Path | None) -> str:
    """The project's path for ``source`` once it is known to be a one-page PDF."""
    if not source.is_file():
        raise SourceError(source, "cannot be found", "Check the cover PDF's name and folder")
    pages = len(open_pdf(source).pages)
    if pages != 1:
        raise SourceError(source, f"has {pages} pages", "A cover is one page: choose a one-page PDF")
    return relative_source_path(source, project_dir) if project_dir else source.resolve().as_posix()


def parties_from_names(names: dict[str, list[str]]) -> list[Party]:
    """Parties in the cover's order from names per role (``claimant``, ``defendant`` ...)."""
    unknown = set(names) - set(PARTY_ROLES)
    if unknown:
        raise ProjectError(f"Unknown party role(s): {', '.join(sorted(unknown))}.")
    return [Party(name.strip(), role) for role in PARTY_ROLES for name in names.get(role, []) if name.strip()]


def describe_case(case: CaseDetails) -> list[str]:
    """The case details as lines for a terminal."""
    lines = [f"Case: {case.case_name}", f"Claim No.: {case.claim_no}", f"Bundle: {case.bundle_name}"]
    for role, (one, _) in PARTY_ROLES.items():
        lines += [f"{one}: {p.name}" for p in case.parties_in_role(role)]
    lines.append(f"Bundle date: {case.bundle_date or 'none (no date on the cover)'}")
    lines.append(f"Cover: {case.cover_pdf or 'generated'}")
    return lines
