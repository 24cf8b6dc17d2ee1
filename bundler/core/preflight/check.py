"""Preflight: check any PDF against the machine-checkable court rules (PRODUCT.md §2).

``run_preflight`` opens the file once with two engines — pypdf for the document
structure (outline, links, labels, metadata) and pypdfium2 for what a reader sees
(text, stamps, images) — and runs a list of small rules over a shared context
(``preflight_scan.py``). Each rule gives pass / warn / fail findings naming the
pages. The rules live in ``preflight_rules.py`` and ``preflight_links.py``; later
rules (project-aware ones) are added by passing a longer rule list, never by
registering into module state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

import pypdfium2 as pdfium
from pypdf.errors import PyPdfError

from bundler.core.pdf.opening import open_both
from bundler.core.pdf.sources import captured_pdf_warnings
from bundler.core.preflight.scan import PreflightContext

__all__ = [
    "Status",
    "Finding",
    "Verdict",
    "Rule",
    "Preflight",
    "format_examples",
    "format_pages",
    "run_preflight",
]

Status = Literal["pass", "warn", "fail"]
STATUSES: tuple[Status, ...] = ("pass", "warn", "fail")
MAX_PAGE_GROUPS = 25  # longer page lists are cut short in the text report (JSON keeps all)
MAX_EXAMPLES = 5  # examples quoted in one message


@dataclass(frozen=True)
class Finding:
    rule: str  # stable id, e.g. "page-numbers"
    status: Status
    message: str
    pages: tuple[int, ...] = ()  # 1-based PDF page numbers


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
        width = max((len(f.rule) for f in self.findings), default=0)
        lines = [head] + [_format_finding(f, width) for f in self.findings]
        return "\n".join(lines)


def _format_finding(finding: Finding, width: int) -> str:
    pages = f" (page {format_pages(finding.pages)})" if finding.pages else ""
    return f"{finding.status.upper():4}  {finding.rule:{width}}  {finding.message}{pages}"


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


def format_examples(items: list[str]) -> str:
    """The first few ``items`` joined with "; ", then "and N more"."""
    more = f" and {len(items) - MAX_EXAMPLES} more" if len(items) > MAX_EXAMPLES else ""
    return "; ".join(items[:MAX_EXAMPLES]) + more


# Malformed PDFs make the libraries raise these from deep inside; one broken
# structure must not hide the other findings, so the rule reports it instead.
_RULE_ERRORS = (
    PyPdfError,
    pdfium.PdfiumError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
)


def _run_rule(rule: Rule, ctx: PreflightContext) -> list[Finding]:
    try:
        return [Finding(rule.id, *verdict) for verdict in rule.check(ctx)]
    except _RULE_ERRORS as err:
        return [Finding(rule.id, "warn", f"Could not be checked: the PDF is malformed ({err}).")]


def run_preflight(path: Path, password: str | None = None, rules: Sequence[Rule] | None = None) -> Preflight:
    """Check ``path`` against ``rules`` (the court rules of PRODUCT.md §2 by default)."""
    if rules is None:
        # Imported here because the rules module builds on this module's model.
        from bundler.core.preflight.rules import RULES

        rules = RULES
    repairs: list[str] = []
    with captured_pdf_warnings(repairs, path.name):  # pypdf's repairs: a finding, not log noise
        reader, pdf = open_both(path, password)
        try:
            ctx = PreflightContext(path=path, reader=reader, pdf=pdf)
            findings = [finding for rule in rules for finding in _run_rule(rule, ctx)]
        finally:
            pdf.close()
    repairs = [note.removeprefix(f"{path.name}: ") for note in repairs]
    return Preflight(path=path, findings=[*findings, _structure_finding(repairs)])


def _structure_finding(repairs: list[str]) -> Finding:
    if not repairs:
        return Finding("pdf-structure", "pass", "No structural errors found while reading.")
    more = f" (+{len(repairs) - 3} more)" if len(repairs) > 3 else ""
    return Finding(
        "pdf-structure",
        "warn",
        "The PDF needed repairs to be read, so some readers "
        f"may fail on it: {'; '.join(repairs[:3])}{more}. Re-save it.",
    )
