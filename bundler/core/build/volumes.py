"""Splitting a bundle into volumes (PRODUCT.md §2.9).

Each volume is a file of its own with a cover ("Volume 2 of 3") and the index
of its documents; page numbers run on across volumes (volume 2 starts where
volume 1 ended), and its bookmarks and links stay inside the file. Documents are
never split; one larger than the limit gets a volume to itself.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bundler.core.build.context import BuildOptions
from bundler.core.build.pagemap import Numbering, tabs_taken
from bundler.core.build.pipeline import build_bundle, default_output_name, measure_documents
from bundler.core.errors import ProjectError
from bundler.core.model import Bundle
from bundler.core.progress import Progress
from bundler.core.report import BuildReport

__all__ = ["plan_volumes", "build_volumes"]

_FRONT_PAGES = 3  # cover and index pages a volume needs, kept free under the limit


def plan_volumes(sizes: list[tuple[str, int, int]], max_pages: int | None, max_bytes: int | None) -> list[list[str]]:
    """Group (doc id, pages, bytes) in order so each volume stays under the limits."""
    page_room = (max_pages - _FRONT_PAGES) if max_pages else None
    volumes: list[list[str]] = [[]]
    pages = size = 0
    for doc_id, doc_pages, doc_bytes in sizes:
        full = (page_room is not None and pages + doc_pages > page_room) or (
            max_bytes is not None and size + doc_bytes > max_bytes
        )
        if full and volumes[-1]:
            volumes.append([])
            pages = size = 0
        volumes[-1].append(doc_id)
        pages += doc_pages
        size += doc_bytes
    return volumes


def build_volumes(
    project: Path,
    bundle: Bundle,
    options: BuildOptions,
    *,
    max_pages: int | None = None,
    max_mb: float | None = None,
    progress: Progress | None = None,
) -> list[BuildReport]:
    """Build the bundle as volumes; returns one report per volume, in order."""
    if not max_pages and not max_mb:
        raise ProjectError("Give a volume limit: a number of pages, or megabytes (e.g. 50 for CE-File).")
    sizes = measure_documents(project, bundle, options, progress)
    order = [(d.id, *sizes[d.id]) for _, d in bundle.documents()]
    plan = plan_volumes(order, max_pages, int(max_mb * 1_000_000 * 0.95) if max_mb else None)
    stem = default_output_name(bundle, options.confidential)[:-4]
    reports: list[BuildReport] = []
    first, done = 1, set[str]()
    for number, ids in enumerate(plan, start=1):
        numbering = Numbering(
            first_number=first,
            tab_offsets=tabs_taken(bundle, done),
            cover_title=f"{bundle.case.bundle_name} - Volume {number} of {len(plan)}",
        )
        output = (options.output or project.parent / f"{stem}.pdf").with_suffix("")
        output = Path(f"{output} - Volume {number} of {len(plan)}.pdf")
        part_options = dataclasses.replace(options, numbering=numbering, output=output)
        report = build_bundle(project, bundle.subset(set(ids)), part_options, progress)
        reports.append(report)
        first += report.pages
        done.update(ids)
    return reports
