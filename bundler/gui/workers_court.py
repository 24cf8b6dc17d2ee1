"""Background jobs for the court workflows: service, additions, volumes, core bundle, exports, xrefs.

Each wraps one core call, as ``workers`` does for the build: it gets a snapshot of the
bundle and reports through the Progress it is given; none touches a widget.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bundler.core.adding import rebase_paths
from bundler.core.build.additions import build_additions, freeze
from bundler.core.build.context import BuildOptions
from bundler.core.build.core_extract import build_core_bundle, document_ranges
from bundler.core.build.volumes import build_volumes
from bundler.core.errors import Cancelled
from bundler.core.exports.pagemap import export_index_docx, export_n461, export_pagemap_csv, export_pagemap_json
from bundler.core.model import Bundle, Served
from bundler.core.pdf.sources import open_pdf
from bundler.core.progress import Progress
from bundler.core.report import BuildReport
from bundler.core.xrefs.check import find_references, link_references
from bundler.core.xrefs.reference import Reference
from bundler.gui.workers import Job, snapshot

__all__ = [
    "Additions",
    "EXPORTS",
    "Tab",
    "additions_job",
    "core_bundle_job",
    "export_job",
    "export_path",
    "freeze_job",
    "link_job",
    "ranges_job",
    "volumes_job",
    "xrefs_job",
]

Tab = tuple[str, str, str | None, int, int]  # (tab, title, ISO date, first, last page) in the main bundle
_Export = Callable[..., object]
# kind → (what the user picks, the file's name after the bundle's, the core export)
EXPORTS: dict[str, tuple[str, str, _Export]] = {
    "index": ("Index (Word, .docx)", " - Index.docx", export_index_docx),
    "csv": ("Page map (spreadsheet, .csv)", " - Page map.csv", export_pagemap_csv),
    "json": ("Page map (JSON)", " - Page map.json", export_pagemap_json),
    "n461": ("Claim form N461 (its pages, .pdf)", " - N461.pdf", export_n461),
}


@dataclass(frozen=True)
class Additions:
    report: BuildReport
    served: Served  # the record of service afterwards (a supplementary bundle is counted)


def freeze_job(project: Path, bundle: Bundle, served_pdf: Path) -> Job:
    frozen = snapshot(bundle)

    def run(progress: Progress) -> Served:
        progress.stage(f"Recording {served_pdf.name} as served", 0)
        served = freeze(project, frozen, served_pdf)
        served.file = (project.parent / served.file).resolve().as_posix()  # absolute in memory
        return served

    return run


def additions_job(project: Path, bundle: Bundle, options: BuildOptions, mode: str) -> Job:
    frozen = snapshot(bundle)

    def run(progress: Progress) -> Additions:
        report = build_additions(project, frozen, options, mode, progress)
        assert frozen.served is not None  # build_additions refuses a bundle never served
        return Additions(report, frozen.served)

    return run


def volumes_job(
    project: Path, bundle: Bundle, options: BuildOptions, max_pages: int | None, max_mb: float | None
) -> Job:
    frozen = snapshot(bundle)
    return lambda progress: build_volumes(
        project, frozen, options, max_pages=max_pages, max_mb=max_mb, progress=progress
    )


def ranges_job(main_pdf: Path) -> Job:
    """The documents of a built bundle, from its bookmarks (pypdf only: no PDFium lock needed)."""
    return lambda progress: document_ranges(open_pdf(main_pdf))


def core_bundle_job(
    project: Path, bundle: Bundle, main_pdf: Path, output: Path, cache_dir: Path, tabs: list[str], pages: str
) -> Job:
    frozen = snapshot(bundle)

    def run(progress: Progress) -> BuildReport:
        progress.stage("Building the core bundle", 0)  # the core call reports no steps
        return build_core_bundle(project, frozen, main_pdf, output, cache_dir, tabs=tabs, pages=pages)

    return run


def export_path(bundle_pdf: Path, kind: str, folder: Path | None = None) -> Path:
    """Where an export goes by default: beside the bundle, named after it."""
    return (folder or bundle_pdf.parent) / f"{bundle_pdf.stem}{EXPORTS[kind][1]}"


def export_job(project: Path, bundle: Bundle, bundle_pdf: Path, wanted: dict[str, Path], confidential: bool) -> Job:
    saved = snapshot(bundle)
    rebase_paths(saved, None, project.parent)  # the page map names sources as the project file does

    def run(progress: Progress) -> list[Path]:
        progress.stage("Exporting", len(wanted), "file")
        for kind, dst in wanted.items():
            if progress.cancelled():
                raise Cancelled("Export cancelled.")
            EXPORTS[kind][2](bundle_pdf, project, saved, dst, confidential=confidential)
            progress.advance()
        return list(wanted.values())

    return run


def xrefs_job(skeleton: Path, bundle_pdf: Path) -> Job:
    def run(progress: Progress) -> list[Reference]:
        progress.stage(f"Checking the references in {skeleton.name}", 0)
        return find_references(skeleton, bundle_pdf)

    return run


def _link_name(bundle_pdf: Path, linked: Path) -> str:
    """The bundle's path relative to the linked copy, so the two can move together."""
    try:
        return Path(os.path.relpath(bundle_pdf.resolve(), linked.resolve().parent)).as_posix()
    except ValueError:  # another drive (Windows): only the name can be relative
        return bundle_pdf.name


def link_job(skeleton: Path, bundle_pdf: Path, refs: list[Reference], dst: Path) -> Job:
    def run(progress: Progress) -> int:
        progress.stage(f"Linking the references into {dst.name}", 0)
        return link_references(skeleton, _link_name(bundle_pdf, dst), refs, dst)

    return run
