"""Preflight: check any PDF against the machine-checkable court rules (PRODUCT.md §2).

``run_preflight`` opens the file once with two engines — pypdf for the document
structure (outline, links, labels, metadata) and pypdfium2 for what a reader sees
(text, stamps, images) — and runs a list of small rules over a shared context
(``scan.py``). Each rule gives pass / warn / fail findings naming the
pages. The rules live in ``rules.py``, ``links.py`` and ``pages.py``, and what they
return in ``findings.py``; later
rules (project-aware ones) are added by passing a longer rule list, never by
registering into module state.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
from pypdf.errors import PyPdfError

from bundler.core.pdf.opening import open_both
from bundler.core.pdf.sources import captured_pdf_warnings
from bundler.core.preflight.findings import Finding, Preflight, Rule
from bundler.core.preflight.rules import RULES
from bundler.core.preflight.scan import PreflightContext
from bundler.core.progress import Progress

__all__ = ["run_preflight", "run_preflight_reporting"]

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


def run_preflight_reporting(path: Path, progress: Progress) -> Preflight:
    """``run_preflight`` as a job that takes a progress (e.g. run in a child process)."""
    return run_preflight(path)
