"""Project-aware preflight: the court rules that need the project as well as the PDF.

``bundler check OUT.pdf --project CASE.bundle.json`` runs the file-only rules
and these together, over one opening of the PDF: duplicates, correspondence
order, undated documents, document lengths, the file name and whether every
document sits where the index and bookmarks say (PRODUCT.md §2.13, issue 5).
Page ranges come from the bundle's own bookmarks, so they describe the served file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bundler.core.anonymise.stage import public_view
from bundler.core.anonymise.terms import Target, targets_from_register
from bundler.core.model import Bundle
from bundler.core.pdf.outline import Mark, Placement, place_documents, read_marks
from bundler.core.preflight.check import Preflight, Rule, Verdict, format_pages, run_preflight
from bundler.core.preflight.duplicates import (
    PageContent,
    check_duplicate_documents,
    check_duplicate_pages,
    read_contents,
)
from bundler.core.preflight.project_rules import (
    check_correspondence_order,
    check_document_length,
    check_document_pages,
    check_project_file_name,
    check_undated,
)
from bundler.core.preflight.rules import RULES
from bundler.core.preflight.scan import PreflightContext

__all__ = ["ProjectContext", "run_project_preflight", "project_rules"]

ProjectCheck = Callable[["ProjectContext"], Iterable[Verdict]]


@dataclass
class ProjectContext:
    """The PDF's context plus the project; derived facts are computed once, on first use."""

    pdf: PreflightContext
    project: Path
    bundle: Bundle

    @cached_property
    def targets(self) -> list[Target]:
        return targets_from_register(self.bundle.register)

    @cached_property
    def view(self) -> Bundle:
        """The project as a public bundle shows it: messages never print a protected name."""
        return public_view(self.bundle, self.targets) if self.targets else self.bundle

    @cached_property
    def marks(self) -> list[Mark]:
        return read_marks(self.pdf.reader)

    @cached_property
    def placements(self) -> list[Placement]:
        return place_documents(self.bundle, self.marks)

    @cached_property
    def page_labels(self) -> list[str]:
        """What each page is numbered (``/PageLabels``; plain 1, 2, 3 … when there are none)."""
        return list(self.pdf.reader.page_labels)

    @cached_property
    def contents(self) -> dict[int, PageContent]:
        """What every document page says (front matter left out)."""
        pages = {n for m in self.marks if m.is_document for n in range(m.first, m.last + 1)}
        return read_contents(self.pdf, sorted(pages))

    @cached_property
    def shown_titles(self) -> dict[str, str]:
        """Document titles by id, pseudonymised."""
        return {d.id: d.title for _, d in self.view.documents()}

    def name(self, placement: Placement) -> str:
        """ "C2 'Letter before claim' (pages 7–9)": how every finding names a document."""
        title = self.shown_titles[placement.document.id]
        mark = placement.mark
        if mark is None:
            return f"{placement.tab} '{title}'"
        word = "page" if mark.pages == 1 else "pages"
        return f"{placement.tab} '{title}' ({word} {format_pages(range(mark.first, mark.last + 1))})"

    def placement_of_page(self, page: int) -> Placement | None:
        for placement in self.placements:
            mark = placement.mark
            if mark is not None and mark.first <= page <= mark.last:
                return placement
        return None


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
        ("document-length", check_document_length),
    ]
    return [binder.rule(rule_id, check) for rule_id, check in checks]


def run_project_preflight(pdf: Path, project: Path, bundle: Bundle, password: str | None = None) -> Preflight:
    """The file-only findings of ``run_preflight`` followed by the project's own."""
    return run_preflight(pdf, password=password, rules=[*RULES, *project_rules(project, bundle)])
