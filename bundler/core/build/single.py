"""Redact one document on its own: a redacted PDF (and, for Word sources, an anonymised DOCX).

For serving a single witness statement, or sending it before any bundle exists. The
document follows the same recipe as inside a bundle (convert -> OCR -> redact -> OCR
again), with the same register, rejections and boxes, so alone and in the bundle it
carries the same redactions. It comes out without cover, index or stamps, sanitised,
with its own schedule, and only through the gated writer.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter

from bundler import __version__
from bundler.core.anonymise.changes import Change
from bundler.core.anonymise.schedule import ScheduleRow, write_schedule_csv
from bundler.core.anonymise.terms import anonymise_text
from bundler.core.build.context import BuildContext, BuildOptions
from bundler.core.build.gated import write_docx, write_pdf
from bundler.core.build.pipeline import prepare_documents, verify_sources
from bundler.core.errors import ProjectError
from bundler.core.model import Bundle, Document, Section
from bundler.core.naming import plural, protected_words
from bundler.core.pdf.sources import open_pdf, parse_page_selection
from bundler.core.progress import Progress

__all__ = ["SingleReport", "find_document", "document_tabs", "redact_document", "default_redacted_name"]


@dataclass
class SingleReport:
    tab: str
    title: str  # as the redacted copy shows it (pseudonyms)
    output: str = ""
    docx_output: str = ""
    pages: int = 0
    schedule: list[ScheduleRow] = field(default_factory=list)
    schedule_file: str = ""
    notes: list[str] = field(default_factory=list)
    leak_gate: str = "not run (nothing is protected)"


def document_tabs(bundle: Bundle) -> dict[str, tuple[Section, Document]]:
    """Each document by its tab ("D1": the first document of section D)."""
    return {
        f"{section.letter}{n}": (section, doc)
        for section in bundle.sections
        for n, doc in enumerate(section.documents, start=1)
    }


def find_document(bundle: Bundle, key: str) -> tuple[str, Section, Document]:
    """A document by tab ("D1"), id, or title (ignoring case)."""
    wanted = key.strip().casefold()
    for tab, (section, doc) in document_tabs(bundle).items():
        if wanted in (tab.casefold(), doc.id.casefold(), doc.title.strip().casefold()):
            return tab, section, doc
    known = ", ".join(document_tabs(bundle)) or "none yet"
    raise ProjectError(f"There is no document '{key}' in this bundle. Use a tab such as D1 (tabs: {known}).")


def default_redacted_name(bundle: Bundle, tab: str, title: str, suffix: str = ".pdf") -> str:
    """``'D1 Witness statement of Aisha - REDACTED.pdf'``; the title is already pseudonymised."""
    safe = "".join(c if c.isalnum() or c in " -_.,()'" else "_" for c in title).strip() or "document"
    return f"{tab} {safe[:80]} - REDACTED{suffix}"


def _alone(bundle: Bundle, section: Section, doc: Document) -> Bundle:
    """The bundle with just this document, in its own section, and the whole register."""
    alone = copy.deepcopy(bundle)
    alone.sections = [Section(section.letter, section.title, [copy.deepcopy(doc)], id=section.id)]
    return alone


def _pdf_of(ctx: BuildContext, doc: Document, pdf: Path, converter: str) -> PdfWriter:
    """The prepared PDF's selected pages, turned as the bundle turns them."""
    reader = open_pdf(pdf, doc.password if converter == "source-pdf" else None)
    writer = PdfWriter()
    for index in parse_page_selection(doc.pages, len(reader.pages), Path(doc.path).name):
        page = writer.add_page(reader.pages[index])
        if doc.extra_rotation(index):
            page.rotate(doc.extra_rotation(index))
    return writer


def _where(change: Change, pages: int | None) -> str:
    """A page of the copy; for a Word source's change, the copy's pages (as the bundle's schedule
    gives them) or, for the Word copy itself, the place in it ("paragraph 4")."""
    if change.page is not None:
        return str(change.page)
    if change.cleanup:
        return ""
    if pages is not None:
        return "1" if pages == 1 else f"1-{pages}"
    return change.where.partition(": ")[2] or change.where


def _rows(tab: str, title: str, changes: list[Change], doc: Document, pages: int | None = None) -> list[ScheduleRow]:
    return [
        ScheduleRow(tab, title, _where(c, pages), c.category, c.action, c.reason, c.cleanup)
        for c in changes
        if c.doc_id == doc.id
    ]


def redact_document(
    project: Path,
    bundle: Bundle,
    key: str,
    options: BuildOptions,
    *,
    pdf_out: Path | None = None,
    docx_out: Path | None = None,
    progress: Progress | None = None,
) -> SingleReport:
    """Write the redacted PDF of one document (and its anonymised DOCX when asked), gated."""
    tab, section, doc = find_document(bundle, key)
    if docx_out is not None and doc.kind != "docx":
        raise ProjectError(f"{tab} '{doc.title}' is not a Word document; only a PDF copy can be made of it.")
    alone = _alone(bundle, section, doc)
    with tempfile.TemporaryDirectory(prefix="bundler-redact-one-") as tmp:
        ctx = BuildContext.make(project, alone, options, Path(tmp), progress)
        title = anonymise_text(doc.title, ctx.targets)
        report = SingleReport(tab, title)
        report.notes += verify_sources(alone, ctx.base, options.accept_changed, ctx.hashes)
        ctx.hashes.save()
        if docx_out is not None:
            _write_docx(ctx, doc, docx_out, report)
        if pdf_out is not None or docx_out is None:
            _write_pdf(ctx, doc, pdf_out or ctx.base / default_redacted_name(bundle, tab, title), report)
    return report


def _write_pdf(ctx: BuildContext, doc: Document, out: Path, report: SingleReport) -> None:
    prepared, _ = prepare_documents(ctx)
    writer = _pdf_of(ctx, doc, prepared[doc.id].pdf, prepared[doc.id].converter)
    info = {"/Title": report.title, "/Creator": f"bundler {__version__}", "/Producer": f"bundler {__version__}"}
    notes, _ = write_pdf(writer, out, ctx.targets, info=info, progress=ctx.progress)
    report.notes += ctx.report.notes + notes
    report.output, report.pages = str(out), len(writer.pages)
    report.schedule = _rows(report.tab, report.title, ctx.changes, doc, len(writer.pages))
    if ctx.targets:
        report.leak_gate = f"passed: searched for {protected_words(len(ctx.targets))}, none found"
        if ctx.report.unread_pages:
            report.leak_gate += f" (but {plural(ctx.report.unread_pages, 'page')} without text not read: OCR is off)"
    if report.schedule:
        schedule = out.with_name(f"{out.stem} - Redaction schedule.csv")
        write_schedule_csv(report.schedule, schedule, ctx.targets)
        report.schedule_file = str(schedule)


def _write_docx(ctx: BuildContext, doc: Document, out: Path, report: SingleReport) -> None:
    """The anonymised Word file itself: every part cleaned as the build cleans it, then swept."""
    from bundler.core.anonymise.docx.anonymise import anonymise_docx

    made = ctx.work / f"{doc.id}.docx"  # named by id: no protected name in a file name
    anonymise_docx(ctx.base / doc.path, made, ctx.targets)

    def save(tmp: Path) -> None:
        shutil.copyfile(made, tmp)

    write_docx(out, save, ctx.targets)
    report.docx_output = str(out)
