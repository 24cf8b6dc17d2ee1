"""Project-aware preflight: the court rules that need the project as well as the PDF.

``bundler check OUT.pdf --project CASE.bundle.json`` runs the file-only rules
and these together, over one opening of the PDF: duplicates, correspondence
order, undated documents, document lengths, the file name and whether every
document sits where the index and bookmarks say (PRODUCT.md §2.13, issue 5).
Page ranges come from the bundle's own bookmarks, so they describe the served file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from bundler.core.model import Bundle
from bundler.core.preflight.check import run_preflight
from bundler.core.preflight.context import ProjectContext
from bundler.core.preflight.duplicates import check_duplicate_documents, check_duplicate_pages
from bundler.core.preflight.findings import Preflight, Rule, Verdict
from bundler.core.preflight.project_rules import (
    check_correspondence_order,
    check_document_length,
    check_document_pages,
    check_guessed_dates,
    check_project_file_name,
    check_undated,
)
from bundler.core.preflight.rules import RULES
from bundler.core.preflight.scan import PreflightContext

__all__ = ["run_project_preflight", "project_rules"]

ProjectCheck = Callable[["ProjectContext"], Iterable[Verdict]]


class _Binder:
    """Hands each project check the one ProjectContext of this run."""

    def __init__(self, project: Path, bundle: Bundle) -> None:
        self._project, self._bundle = project, bundle
        self._bound: ProjectContext | None = None

    def context(self, ctx: PreflightContext) -> ProjectContext:
        if self._bound is None or self._bound.pdf is not ctx:
            self._bound = ProjectContext(ctx, self._project, self._bundle)
        return self._bound

    def rule(self, rule_id: str, check: ProjectCheck) -> Rule:
        return Rule(rule_id, lambda ctx: check(self.context(ctx)))


def project_rules(project: Path, bundle: Bundle) -> list[Rule]:
    """The project-aware rules, in report order, bound to ``bundle``."""
    binder = _Binder(project, bundle)
    checks: list[tuple[str, ProjectCheck]] = [
        ("project-file-name", check_project_file_name),
        ("document-pages", check_document_pages),
        ("duplicate-documents", check_duplicate_documents),
        ("duplicate-pages", check_duplicate_pages),
        ("correspondence-order", check_correspondence_order),
        ("undated-documents", check_undated),
        ("guessed-dates", check_guessed_dates),
        ("document-length", check_document_length),
    ]
    return [binder.rule(rule_id, check) for rule_id, check in checks]


def run_project_preflight(pdf: Path, project: Path, bundle: Bundle, password: str | None = None) -> Preflight:
    """The file-only findings of ``run_preflight`` followed by the project's own."""
    return run_preflight(pdf, password=password, rules=[*RULES, *project_rules(project, bundle)])
