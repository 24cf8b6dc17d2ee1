"""Checking a project before it is built: its sources, sections and dates.

``bundler check CASE.bundle.json`` runs this: it reads every source (nothing is
converted or written) so a user learns of a moved exhibit or an undated letter
before a long build, not during it.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from bundler.core.errors import BundlerError
from bundler.core.fsutil import sha256_file
from bundler.core.model import Bundle, Document, Section
from bundler.core.naming import format_date, guess_words
from bundler.core.pdf.probe import probe_file
from bundler.core.pdf.sources import parse_page_selection
from bundler.core.preflight.cover import cover_findings
from bundler.core.preflight.findings import Finding, Preflight

__all__ = ["check_project", "tab_of"]


def tab_of(bundle: Bundle, doc: Document) -> str:
    """'C3': the section letter and the document's place in it, as the index numbers it."""
    for section in bundle.sections:
        for row, candidate in enumerate(section.documents, 1):
            if candidate is doc:
                return f"{section.letter}{row}"
    return "?"


def _source_problem(base: Path, doc: Document) -> str:
    """Why ``doc``'s source cannot be built as it is; empty when it can."""
    path = base / doc.path
    if not path.is_file():
        return f"'{doc.path}' cannot be found. Put it back, or remove the document"
    try:
        if sha256_file(path) != doc.sha256:
            return f"'{doc.path}' has changed since it was added. Check it, then build with --accept-changed"
        probe = probe_file(path, doc.password)
        parse_page_selection(doc.pages, probe.pages or 1_000_000, path.name)
    except (BundlerError, OSError) as exc:
        return str(exc)
    return ""


def _source_findings(bundle: Bundle, base: Path) -> list[Finding]:
    problems = [(doc, _source_problem(base, doc)) for _, doc in bundle.documents()]
    found = [Finding("sources", "fail", f"{tab_of(bundle, d)} '{d.title}': {p}.") for d, p in problems if p]
    every = "The source file is" if len(problems) == 1 else f"All {len(problems)} source files are"
    return found or [Finding("sources", "pass", f"{every} there, unchanged.")]


def _duplicates(bundle: Bundle) -> list[Finding]:
    by_hash: dict[str, list[str]] = defaultdict(list)
    for _, doc in bundle.documents():
        by_hash[doc.sha256].append(tab_of(bundle, doc))
    return [
        Finding("duplicates", "warn", f"The same file is in the bundle {len(tabs)} times: {', '.join(tabs)}.")
        for tabs in by_hash.values()
        if len(tabs) > 1
    ]


def _sections(bundle: Bundle) -> list[Finding]:
    def name(s: Section) -> str:
        return f"{s.letter} '{s.title}'"

    empty = [name(s) for s in bundle.sections if not s.documents]
    if not bundle.documents():
        return [Finding("empty-sections", "fail", "The bundle has no documents yet: add some with 'bundler add'.")]
    if empty:
        what = f"Section {empty[0]} is" if len(empty) == 1 else f"Sections {', '.join(empty)} are"
        return [Finding("empty-sections", "warn", f"{what} empty.")]
    return [Finding("empty-sections", "pass", "Every section has documents.")]


def _undated(bundle: Bundle) -> list[Finding]:
    undated = [f"{tab_of(bundle, d)} '{d.title}'" for _, d in bundle.documents() if not d.filed_date]
    if undated:
        return [Finding("undated", "warn", f"Undated: {', '.join(undated)}. Give each its date.")]
    return [Finding("undated", "pass", "Every document has a date.")]


def _guessed(bundle: Bundle) -> list[Finding]:
    """Dates the app guessed: from a file name (printed, to confirm) or the PDF's properties (not printed)."""
    found = []
    for _, doc in bundle.documents():
        if doc.date_is_guess:
            used = "is in the index" if doc.filed_date else "is not used until you confirm it"
            found.append(
                Finding(
                    "guessed-dates",
                    "warn",
                    f"{tab_of(bundle, doc)} '{doc.title}': the date {format_date(doc.date)} was guessed from "
                    f"{guess_words(doc.date_source)} and {used}. Confirm it or correct it.",
                )
            )
    return found


def check_project(project: Path, bundle: Bundle) -> Preflight:
    """Findings on a project as it stands: fail where a build would stop, warn where the court would ask."""
    base = project.parent
    findings = (
        _source_findings(bundle, base) + _sections(bundle) + _undated(bundle) + _guessed(bundle) + _duplicates(bundle)
    )
    findings += cover_findings(bundle, base)
    return Preflight(project, findings)
