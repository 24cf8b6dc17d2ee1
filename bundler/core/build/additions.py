"""Additions after service (PRODUCT.md §2.11): served pages are never renumbered.

``freeze`` records the served bundle (its file, hash and where each document
landed). Later documents then go either into a supplementary bundle numbered on
from the last served page (143.1, 143.2 …) or onto the end of a copy of the
served file itself (144, 145 …), whose pages 1..N are proven unchanged.
"""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import date
from pathlib import Path

from pypdf import PdfWriter
from pypdf.constants import PageLabelStyle

from bundler.core.adding import relative_source_path
from bundler.core.anonymise.stage import public_view
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.build.at_rest import check_overwrite
from bundler.core.build.context import BuildOptions
from bundler.core.build.gated import write_pdf
from bundler.core.build.pagemap import Numbering, tabs_taken
from bundler.core.build.pipeline import build_bundle, default_output_name, info_for
from bundler.core.build.served import same_pages
from bundler.core.errors import BuildError, ProjectError, SourceError
from bundler.core.fsutil import sha256_file
from bundler.core.model import Bundle, Document, Served, ServedDocument
from bundler.core.pdf.outline import read_marks
from bundler.core.pdf.sources import captured_pdf_warnings, open_pdf
from bundler.core.progress import Progress
from bundler.core.report import BuildReport

__all__ = ["freeze", "late_documents", "build_additions", "additions_layout"]


def freeze(project: Path, bundle: Bundle, served_pdf: Path) -> Served:
    """Record ``served_pdf`` as the served build of ``bundle``."""
    reader = open_pdf(served_pdf)
    docs = [mark for mark in read_marks(reader) if mark.is_document]
    ours = [d for _, d in bundle.documents()]
    if len(docs) != len(ours):
        raise ProjectError(
            f"'{served_pdf.name}' does not look like a build of this project ({len(docs)} document "
            f"bookmarks, {len(ours)} documents). Build the bundle, serve that file, then freeze it."
        )
    served_docs = [ServedDocument(doc.id, mark.first, mark.last) for doc, mark in zip(ours, docs, strict=True)]
    bundle.served = Served(
        relative_source_path(served_pdf, project.parent),
        sha256_file(served_pdf),
        len(reader.pages),
        date.today().isoformat(),
        served_docs,
    )
    return bundle.served


def _public(bundle: Bundle, options: BuildOptions) -> Bundle:
    """The bundle as its file name and cover will show it (pseudonyms in public builds)."""
    targets = [] if options.confidential else targets_from_register(bundle.register)
    return public_view(bundle, targets) if targets else bundle


def late_documents(bundle: Bundle) -> list[Document]:
    served = {d.document_id for d in bundle.served.documents} if bundle.served else set()
    return [d for _, d in bundle.documents() if d.id not in served]


def _served_file(project: Path, served: Served) -> Path:
    path = project.parent / served.file
    if not path.exists() or sha256_file(path) != served.sha256:
        raise SourceError(
            path,
            "(the bundle as served) is missing or has changed",
            "Put the served file back unchanged: additions are numbered on from it",
        )
    return path


def additions_layout(bundle: Bundle, mode: str | None = None) -> tuple[Bundle, Numbering]:
    """The bundle of documents added since service, and how its pages will be numbered."""
    served = bundle.served
    assert served is not None
    served_ids = {d.document_id for d in served.documents}
    part = bundle.subset({d.id for d in late_documents(bundle)})
    if (mode or bundle.options.additions) == "append":
        return part, Numbering(
            first_number=served.pages + 1,
            cover=False,
            index_title="DOCUMENTS ADDED AFTER SERVICE",
            tab_offsets=tabs_taken(bundle, served_ids),
        )
    number = served.supplements + 1
    return part, Numbering(
        decimal_base=served.pages,
        index_title="INDEX OF ADDITIONS",
        cover_title=f"Supplementary Bundle {number}",
        tab_offsets=tabs_taken(bundle, served_ids),
    )


def _supplementary(
    project: Path, bundle: Bundle, part: Bundle, options: BuildOptions, progress: Progress | None
) -> BuildReport:
    served = bundle.served
    assert served is not None
    number = served.supplements + 1
    main = default_output_name(_public(bundle, options), options.confidential)[:-4]
    output = options.output or project.parent / f"{main} - Supplementary {number}.pdf"
    _, numbering = additions_layout(bundle, "supplementary")
    report = build_bundle(project, part, dataclasses.replace(options, numbering=numbering, output=output), progress)
    served.supplements = number
    return report


def _append(
    project: Path, bundle: Bundle, part: Bundle, options: BuildOptions, progress: Progress | None
) -> BuildReport:
    served = bundle.served
    assert served is not None
    served_pdf = _served_file(project, served)
    main = default_output_name(_public(bundle, options), options.confidential)[:-4]
    output = options.output or project.parent / f"{main} - with additions.pdf"
    if output.resolve() == served_pdf.resolve():
        raise BuildError("The served bundle is the record of service and is never overwritten. Choose another -o.")
    check_overwrite(output, options.confidential, options.force)
    _, numbering = additions_layout(bundle, "append")
    with tempfile.TemporaryDirectory(prefix="bundler-late-") as tmp:
        part_pdf = Path(tmp) / "additions.pdf"
        report = build_bundle(
            project, part, dataclasses.replace(options, numbering=numbering, output=part_pdf), progress
        )
        _combine(served_pdf, part_pdf, output, bundle, options, report)
    report.output = str(output)
    report.pages += served.pages
    for doc in report.documents:  # positions in the combined file (labels are already right)
        doc.first_page += served.pages
        doc.last_page += served.pages
    return report


def _combine(
    served_pdf: Path, part_pdf: Path, output: Path, bundle: Bundle, options: BuildOptions, report: BuildReport
) -> None:
    with captured_pdf_warnings(report.notes, served_pdf.name):
        writer = PdfWriter(clone_from=str(served_pdf))
        total_served = len(writer.pages)
        writer.merge(None, str(part_pdf), import_outline=True)
    prefix = bundle.options.page_prefix or None
    if "/PageLabels" in writer._root_object:
        del writer._root_object["/PageLabels"]
    writer.set_page_label(0, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, prefix=prefix, start=1)
    targets = [] if options.confidential else targets_from_register(bundle.register)

    def served_unchanged(tmp: Path) -> None:
        if not same_pages(served_pdf, tmp, total_served):
            raise BuildError("The served pages did not come out unchanged; nothing was written. Please report this.")

    info = info_for(_public(bundle, options), options.confidential)
    _, report.bytes = write_pdf(writer, output, targets, info=info, check=served_unchanged)
    report.notes.append(f"pages 1-{total_served} are the served pages, unchanged (checked)")


def build_additions(
    project: Path, bundle: Bundle, options: BuildOptions, mode: str | None = None, progress: Progress | None = None
) -> BuildReport:
    """Build what was added since service, without renumbering a served page."""
    if bundle.served is None:
        raise ProjectError("This bundle has not been frozen. Serve a build, then run 'bundler freeze'.")
    late = late_documents(bundle)
    if not late:
        raise BuildError(
            f"Nothing has been added since the bundle was served on {bundle.served.date}. "
            "Add documents, then build again."
        )
    _served_file(project, bundle.served)
    part = bundle.subset({d.id for d in late})
    if (mode or bundle.options.additions) == "append":
        return _append(project, bundle, part, options, progress)
    return _supplementary(project, bundle, part, options, progress)
