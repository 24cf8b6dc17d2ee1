"""What preflight says: findings (pass / warn / fail), the rules that make them, the report.

Every rule module reads these and nothing else of the runner, so the runner
(``check.py``) can list the rules without the rules knowing about it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from bundler.core.preflight.scan import PreflightContext

__all__ = [
    "Status",
    "STATUSES",
    "Finding",
    "Verdict",
    "Rule",
    "Preflight",
    "RULE_TITLES",
    "format_examples",
    "format_pages",
    "pages_are",
]

Status = Literal["pass", "warn", "fail"]
STATUSES: tuple[Status, ...] = ("pass", "warn", "fail")
MAX_PAGE_GROUPS = 25  # longer page lists are cut short in the text report (JSON keeps all)
MAX_EXAMPLES = 5  # examples quoted in one message


# What each rule is about, as a lawyer reads it; the ids stay for --json and scripts.
RULE_TITLES = {
    "encryption": "Password protection",
    "file-size": "File size",
    "file-name": "File name",
    "metadata-author": "Author's name in the file",
    "open-action": "How the bundle opens",
    "page-numbers": "Page numbers",
    "stamp-placement": "Where page numbers sit",
    "page-labels": "Page numbers in PDF readers",
    "index-links": "Index links",
    "link-zoom": "Zoom when following links",
    "bookmarks": "Bookmarks",
    "bookmark-zoom": "Zoom when following bookmarks",
    "text-layer": "Searchable text",
    "orientation": "Upside-down pages",
    "image-dpi": "Picture sharpness",
    "render-time": "Pages slow to show",
    "pdf-structure": "Damage in the file",
    "project-file-name": "File name and protected names",
    "document-pages": "Documents where the index says",
    "duplicate-documents": "Documents filed twice",
    "duplicate-pages": "Repeated pages",
    "correspondence-order": "Correspondence in date order",
    "undated-documents": "Undated documents",
    "guessed-dates": "Dates to confirm",
    "document-length": "Length limits",
    "sources": "Source files",
    "empty-sections": "Empty sections",
    "undated": "Undated documents",
    "duplicates": "Files added twice",
}


@dataclass(frozen=True)
class Finding:
    rule: str  # stable id, e.g. "page-numbers"
    status: Status
    message: str
    pages: tuple[int, ...] = ()  # 1-based PDF page numbers

    @property
    def title(self) -> str:
        """The rule in words ("Upside-down pages"), for people; ``rule`` is for machines."""
        return RULE_TITLES.get(self.rule) or self.rule.replace("-", " ").capitalize()


class Verdict(NamedTuple):
    """What a rule's check returns; the runner adds the rule's id."""

    status: Status
    message: str
    pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    check: Callable[[PreflightContext], Iterable[Verdict]]


@dataclass
class Preflight:
    path: Path
    findings: list[Finding]

    @property
    def has_failures(self) -> bool:
        return any(f.status == "fail" for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(f.status == s for f in self.findings) for s in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        findings = [
            {"rule": f.rule, "status": f.status, "message": f.message, "pages": list(f.pages)} for f in self.findings
        ]
        return {"file": str(self.path), "summary": self.counts, "findings": findings}

    def format_text(self) -> str:
        counts = self.counts
        head = f"Preflight of '{self.path.name}': " + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        width = max((len(f.title) for f in self.findings), default=0)
        lines = [head] + [_format_finding(f, width) for f in self.findings]
        return "\n".join(lines)


def _format_finding(finding: Finding, width: int) -> str:
    word = "page" if len(finding.pages) == 1 else "pages"
    pages = f" ({word} {format_pages(finding.pages)})" if finding.pages else ""
    return f"{finding.status.upper():4}  {finding.title:{width}}  {finding.message}{pages}"


def format_pages(pages: Iterable[int]) -> str:
    """``[3, 7, 8, 9]`` → ``"3, 7–9"``; very long lists end with ``"… (+N more)"``."""
    groups: list[list[int]] = []
    for page in sorted(set(pages)):
        if groups and page == groups[-1][-1] + 1:
            groups[-1].append(page)
        else:
            groups.append([page])
    text = [str(g[0]) if len(g) == 1 else f"{g[0]}–{g[-1]}" for g in groups]
    if len(text) > MAX_PAGE_GROUPS:
        more = sum(len(g) for g in groups[MAX_PAGE_GROUPS:])
        return ", ".join(text[:MAX_PAGE_GROUPS]) + f", … (+{more} more)"
    return ", ".join(text)


def pages_are(pages: tuple[int, ...] | list[int]) -> str:
    """'Page 12 is' or 'Pages 3, 7–9 are': the start of a sentence about pages."""
    if len(pages) == 1:
        return f"Page {pages[0]} is"
    return f"Pages {format_pages(pages)} are"


def format_examples(items: list[str]) -> str:
    """The first few ``items`` joined with "; ", then "and N more"."""
    more = f" and {len(items) - MAX_EXAMPLES} more" if len(items) > MAX_EXAMPLES else ""
    return "; ".join(items[:MAX_EXAMPLES]) + more
