"""The redaction side of the build report: the schedule of redactions and a report fit to share.

Changes are collected per source page while documents are redacted; once the
page map is known they become schedule rows with bundle pages.
"""

from __future__ import annotations

from pathlib import Path

from bundler.core.anonymise.changes import Change
from bundler.core.anonymise.gate.verdicts import VerdictStore
from bundler.core.anonymise.schedule import ScheduleRow, write_schedule_csv, write_schedule_docx
from bundler.core.anonymise.terms import Target, anonymise_text
from bundler.core.build.assemble import Placed
from bundler.core.build.pagemap import PageMap
from bundler.core.model import Bundle
from bundler.core.report import BuildReport

__all__ = ["schedule_rows", "write_schedule", "anonymise_report"]


def schedule_rows(page_map: PageMap, placed: dict[str, Placed], changes: list[Change]) -> list[ScheduleRow]:
    rows = []
    for change in changes:
        entry = page_map.document_entry(change.doc_id)
        if change.page is None:  # changed in the DOCX before conversion: its pages, and where
            pages = (
                page_map.label(entry.first)
                if entry.first == entry.last
                else f"{page_map.label(entry.first)}-{page_map.label(entry.last)}"
            )
            where = pages  # the place inside the Word file means nothing to a reader of the bundle
        elif change.page - 1 in placed[change.doc_id].pages:
            where = page_map.label(entry.first + placed[change.doc_id].pages.index(change.page - 1))
        else:
            continue  # a page left out of the bundle
        rows.append(
            ScheduleRow(entry.tab, entry.title, where, change.category, change.action, change.reason, change.cleanup)
        )
    return rows


def write_schedule(
    rows: list[ScheduleRow],
    output: Path,
    view: Bundle,
    report: BuildReport,
    targets: list[Target],
    verdicts: VerdictStore | None = None,
    made: Path | None = None,
) -> None:
    """The schedule as CSV and Word; ``verdicts`` (``gated.docx_verdicts``) spare re-sweeping
    a Word file whose bytes were already swept clean, ``made`` (the cache) making it again."""
    stem = output.with_suffix("")
    csv_path, docx_path = Path(f"{stem} - Redaction schedule.csv"), Path(f"{stem} - Redaction schedule.docx")
    write_schedule_csv(rows, csv_path, targets)
    title = f"{view.case.case_name}: {view.case.bundle_name}"
    write_schedule_docx(rows, title, docx_path, targets, verdicts, made)
    report.schedule = [str(csv_path), str(docx_path)]
    report.redactions = len(rows)


def anonymise_report(report: BuildReport, targets: list[Target]) -> None:
    report.notes = [anonymise_text(n, targets) for n in report.notes]
    report.warnings = [anonymise_text(w, targets) for w in report.warnings]
    for doc in report.documents:
        doc.source = anonymise_text(doc.source, targets)
