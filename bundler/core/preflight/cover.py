"""Checking the cover before a build: an own cover that is there and one page, and a date."""

from __future__ import annotations

from pathlib import Path

from bundler.core.build.cover import cover_date
from bundler.core.errors import BundlerError
from bundler.core.model import Bundle
from bundler.core.pdf.sources import open_pdf
from bundler.core.preflight.findings import Finding

__all__ = ["cover_findings"]


def _own_cover(path: Path) -> Finding:
    try:
        pages = len(open_pdf(path).pages)
    except BundlerError as exc:
        return Finding("cover", "fail", f"the bundle's own cover: {exc}")
    if pages != 1:
        return Finding("cover", "fail", f"the bundle's own cover '{path.name}' has {pages} pages; a cover is one page")
    return Finding("cover", "pass", f"the cover is your own PDF, '{path.name}'")


def cover_findings(bundle: Bundle, base: Path) -> list[Finding]:
    case = bundle.case
    if case.cover_pdf:
        return [_own_cover(base / case.cover_pdf)]
    if not case.bundle_date:
        return [
            Finding(
                "cover", "warn", "the cover has no date: set the bundle date in Case details ('bundler case --date')"
            )
        ]
    return [Finding("cover", "pass", f"the cover is dated {cover_date(case.bundle_date)}")]
