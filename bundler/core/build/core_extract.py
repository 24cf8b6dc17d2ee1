"""A core bundle: chosen documents or pages of the main bundle, which keep showing
their main-bundle page numbers beside their new ones.

The pages are taken from the built main bundle, so its stamp comes along; the
corner check sees that stamp as ink and shrinks each page, and the core bundle's
own number goes in the strip freed below it. The leak gate runs again.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.errors import ProjectError
from bundler.core.fsutil import sha256_file
from bundler.core.model import Bundle, CaseDetails, Document, Options, Section
from bundler.core.pdf.outline import read_marks
from bundler.core.pdf.sources import open_pdf, parse_page_selection
from bundler.core.report import BuildReport

__all__ = ["document_ranges", "build_core_bundle"]

_DATED = re.compile(r"(?P<title>.*?) \((?P<date>\d{1,2} \w{3} \d{4})\)", re.S)  # "Grounds (9 Sep 2019)"


def _iso(date: str | None) -> str | None:
    return datetime.strptime(date, "%d %b %Y").date().isoformat() if date else None


def document_ranges(reader: PdfReader) -> list[tuple[str, str, str | None, int, int]]:
    """(tab, title, ISO date, first, last) of every document in a bundle we built, from its bookmarks."""
    ranges = []
    for mark in read_marks(reader):
        if mark.is_document:
            m = _DATED.fullmatch(mark.words)
            ranges.append(
                (mark.tab, m["title"] if m else mark.words, _iso(m["date"] if m else None), mark.first, mark.last)
            )
    return ranges


def _runs(pages: list[int], owner: Callable[[int], object]) -> list[tuple[int, int]]:
    """Contiguous runs of ``pages`` that also never cross from one document into the next."""
    runs: list[tuple[int, int]] = []
    for page in pages:
        if runs and page == runs[-1][1] + 1 and owner(page) == owner(runs[-1][0]):
            runs[-1] = (runs[-1][0], page)
        else:
            runs.append((page, page))
    return runs


def _picked(reader: PdfReader, tabs: list[str], pages: str) -> list[tuple[str, str | None, int, int]]:
    """(title, date, first, last) runs of main-bundle pages, in bundle order."""
    docs = document_ranges(reader)
    chosen: set[int] = set()
    for tab in tabs:
        match = [d for d in docs if d[0].casefold() == tab.casefold()]
        if not match:
            raise ProjectError(f"The main bundle has no document '{tab}'. Use tabs as in its index, e.g. A1.")
        chosen.update(range(match[0][3], match[0][4] + 1))
    if pages:
        chosen.update(p + 1 for p in parse_page_selection(pages, len(reader.pages), "the main bundle"))
    if not chosen:
        raise ProjectError("Pick documents (--documents A1,C2) or pages (--pages 12-15) for the core bundle.")

    def owner(page: int) -> tuple[str, str, str | None, int, int] | None:
        return next((d for d in docs if d[3] <= page <= d[4]), None)

    runs = []
    for first, last in _runs(sorted(chosen), owner):
        doc = owner(first)
        runs.append((doc[1], doc[2], first, last) if doc else ("Front matter", None, first, last))
    return runs


def build_core_bundle(
    project: Path,
    bundle: Bundle,
    main_pdf: Path,
    output: Path,
    cache: Path,
    *,
    tabs: Sequence[str] = (),
    pages: str = "",
    prefix: str = "CB",
) -> BuildReport:
    """Build the core bundle of ``main_pdf`` (a bundle built from ``bundle``)."""
    reader = open_pdf(main_pdf)
    labels = reader.page_labels
    with tempfile.TemporaryDirectory(prefix="bundler-core-") as tmp:
        docs = []
        for n, (title, when, first, last) in enumerate(_picked(reader, list(tabs), pages), start=1):
            part = Path(tmp) / f"{n:04d}.pdf"
            writer = PdfWriter()
            for index in range(first - 1, last):
                writer.add_page(reader.pages[index])
            writer.write(part)
            ref = labels[first - 1] if first == last else f"{labels[first - 1]}-{labels[last - 1]}"
            docs.append(
                Document(path=part.name, sha256=sha256_file(part), title=f"{title} (main bundle {ref})", date=when)
            )
        core = Bundle(
            case=CaseDetails(
                **{**bundle.case.__dict__, "bundle_name": "Core Bundle", "cover_pdf": ""}
            ),  # our cover names it
            options=Options(page_prefix=prefix, converter=bundle.options.converter),
            sections=[Section("A", "Core documents", docs)],
            register=bundle.register,
        )
        return build_bundle(Path(tmp) / "core.bundle.json", core, BuildOptions(cache_dir=cache, output=output))
