"""The build pipeline: project → sources → page map → front matter → bundle PDF.

Each stage is a small function; work happens in a temporary folder and the
user's output file is replaced only at the very end (``atomic_output``).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from bundler import __version__
from bundler.core.anonymise.gate.gate import require_no_leaks
from bundler.core.anonymise.report_stage import anonymise_report, schedule_rows, write_schedule
from bundler.core.anonymise.sanitise.document import sanitise_writer
from bundler.core.anonymise.stage import Change, anonymised_jobs, public_view, redact_prepared
from bundler.core.anonymise.terms import Target, anonymise_text, targets_from_register
from bundler.core.build.assemble import Placed, assemble
from bundler.core.build.chunks.store import ChunkStore
from bundler.core.convert.chain import Prepared, SourceJob, prepare_sources
from bundler.core.errors import BuildError, LeakError, SourceError
from bundler.core.build.frontmatter import count_index_pages, render_front_matter
from bundler.core.fsutil import atomic_output, sha256_file
from bundler.core.model import Bundle
from bundler.core.naming import bundle_file_name
from bundler.core.ocr.stage import ocr_prepared
from bundler.core.build.pagemap import Numbering, PageMap, compute_page_map
from bundler.core.build.placing import ready_documents
from bundler.core.progress import NullProgress, Progress, check_cancel
from bundler.core.report import BuildReport, DocumentReport
from bundler.core.pdf.sources import check_readable, open_pdf, parse_page_selection
from bundler.core.pdf.stamp import StampStyle

__all__ = ["BuildOptions", "build_bundle", "default_output_name", "verify_sources", "info_for", "measure_documents"]

SIZE_EMAIL, SIZE_CE_FILE = 36_000_000, 50_000_000
PdfsReady = Callable[[dict[str, Prepared], dict[str, Prepared]], None]


@dataclass(frozen=True)
class BuildOptions:
    cache_dir: Path
    output: Path | None = None
    accept_changed: bool = False  # record new hashes instead of refusing changed sources
    confidential: bool = False  # the unredacted bundle, for the court and the parties only
    numbering: Numbering = Numbering()


def default_output_name(bundle: Bundle, confidential: bool = False) -> str:
    """The court's convention; the confidential bundle says so in its name."""
    case = bundle.case
    name = bundle_file_name(case.short_name or case.case_name, case.bundle_name, case.claim_no)
    return name[:-4] + " - CONFIDENTIAL UNREDACTED.pdf" if confidential else name


def verify_sources(bundle: Bundle, base: Path, accept_changed: bool) -> list[str]:
    """Every source exists and is the file that was added; returns notes on accepted changes."""
    notes = []
    for _, doc in bundle.documents():
        path = base / doc.path
        check_readable(path)
        digest = sha256_file(path)
        if digest == doc.sha256:
            continue
        if not accept_changed:
            raise SourceError(
                path,
                "has changed since it was added to the bundle",
                "Check the new version, then build with --accept-changed to use it",
            )
        doc.sha256 = digest
        notes.append(f"{doc.path}: changed since it was added; the new version was used")
    return notes


def _jobs(bundle: Bundle, base: Path) -> list[SourceJob]:
    return [SourceJob(d.id, base / d.path, d.sha256, d.kind) for _, d in bundle.documents()]


def _page_map(bundle: Bundle, placed: dict[str, Placed], numbering: Numbering) -> PageMap:
    counts = {doc_id: len(p.pages) for doc_id, p in placed.items()}
    draft = compute_page_map(bundle, counts, 1, numbering)
    return compute_page_map(bundle, counts, count_index_pages(draft), numbering)


def info_for(bundle: Bundle) -> dict[str, str]:
    case = bundle.case
    return {
        "/Title": f"{case.case_name} - {case.bundle_name}",
        "/Subject": f"{case.bundle_name}, claim no. {case.claim_no}",
        "/Keywords": case.claim_no,
        "/Creator": f"bundler {__version__}",
        "/Producer": f"bundler {__version__}",
    }


def _warnings(bundle: Bundle, report: BuildReport) -> None:
    for doc in report.documents:
        if not doc.date:
            report.warnings.append(f"{doc.tab} '{doc.title}' is undated")
    if report.shrunk_pages:
        report.warnings.append(
            f"{len(report.shrunk_pages)} page(s) had content where the page number goes and were "
            f"shrunk slightly to keep it clear: {', '.join(map(str, report.shrunk_pages[:20]))}"
        )
    if report.bytes > SIZE_CE_FILE:
        report.warnings.append("over 50 MB: CE-File will not accept it in one piece; split it into volumes")
    elif report.bytes > SIZE_EMAIL:
        report.warnings.append("over 36 MB: too large to send by email")


def _document_reports(page_map: PageMap, prepared: dict[str, Prepared]) -> list[DocumentReport]:
    reports = []
    for entry in page_map.of_kind("document"):
        doc = entry.document
        assert doc is not None
        how = prepared[doc.id]
        reports.append(
            DocumentReport(
                entry.tab,
                doc.title,
                doc.date,
                doc.path,
                entry.first,
                entry.last,
                how.converter,
                how.cached,
                page_map.label(entry.first),
                page_map.label(entry.last),
            )
        )
    return reports


def _redact_then_ocr(
    bundle: Bundle,
    jobs: list[SourceJob],
    prepared: dict[str, Prepared],
    targets: list[Target],
    options: BuildOptions,
    progress: Progress,
    report: BuildReport,
    changes: list[Change],
) -> dict[str, Prepared]:
    """Redact; pages that had to be rasterised are OCR'd again (the name is gone from the pixels)."""
    redacted = redact_prepared(bundle, jobs, prepared, targets, options.cache_dir, progress, changes)
    return ocr_prepared(
        bundle, jobs, redacted, options.cache_dir, progress, report.notes, " again after redaction rasterised it"
    )


def _prepare(
    bundle: Bundle,
    base: Path,
    targets: list[Target],
    options: BuildOptions,
    work: Path,
    progress: Progress,
    report: BuildReport,
    pdfs_ready: PdfsReady = lambda prepared, unredacted: None,
) -> tuple[dict[str, Prepared], dict[str, Prepared], list[Change]]:
    """A PDF per document: converted, and in a public bundle anonymised and redacted.

    Conversions (LibreOffice is a separate process) run on a thread while the PDF
    sources are redacted and then given to ``pdfs_ready`` (which parses them). Also
    returns the PDFs as they were before redaction."""
    changes: list[Change] = []
    public = not options.confidential
    jobs = anonymised_jobs(bundle, base, targets, work, changes) if public else _jobs(bundle, base)
    redacting = public and bool(targets or bundle.register.boxes)
    progress.stage("Preparing documents", len(jobs))
    convert = [j for j in jobs if j.kind != "pdf"]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundler-convert") as pool:
        converting = pool.submit(
            prepare_sources, convert, options.cache_dir, bundle.options.converter, progress, report.notes
        )
        converted = {j.doc_id: Prepared(j.path, "source-pdf") for j in jobs if j.kind == "pdf"}
        prepared = ocr_prepared(bundle, jobs, converted, options.cache_dir, progress, report.notes)
        if redacting:
            prepared = _redact_then_ocr(bundle, jobs, prepared, targets, options, progress, report, changes)
        pdfs_ready(prepared, converted)
        done = converting.result()
    converted.update(done)
    done = ocr_prepared(bundle, jobs, done, options.cache_dir, progress, report.notes)
    if redacting:
        done = _redact_then_ocr(bundle, jobs, done, targets, options, progress, report, changes)
    prepared.update(done)
    return prepared, converted, changes


def _write(
    writer: PdfWriter, output: Path, targets: list[Target], report: BuildReport, progress: Progress, page_map: PageMap
) -> None:
    """Full rewrite to a temporary file; the leak gate decides whether it may take ``output``."""
    progress.stage("Writing the bundle", 0)
    with atomic_output(output, suffix=".pdf.part") as tmp_out:
        with open(tmp_out, "wb", buffering=1 << 20) as fh:  # pypdf writes in tiny pieces
            writer.write(fh)
        check_cancel(progress)
        if targets:
            progress.stage("Leak gate: searching the bundle for protected names", 0)
            try:
                require_no_leaks(tmp_out, targets, file_name=output.name)
            except LeakError as leak:  # say which documents, so the user is taken to them
                leak.document_ids = [
                    e.document.id
                    for e in page_map.of_kind("document")
                    if e.document and any(e.first <= p <= e.last for p in leak.pages)
                ]
                raise
            report.leak_gate = f"passed: {len(targets)} protected form(s) searched, none found"
        report.bytes = tmp_out.stat().st_size


def measure_documents(
    project: Path, bundle: Bundle, options: BuildOptions, progress: Progress | None = None
) -> dict[str, tuple[int, int]]:
    """Each document's (selected pages, bytes of its prepared PDF), e.g. to plan volumes.

    Prepares exactly as a build does, so the build that follows finds it all cached."""
    progress = progress or NullProgress()
    base = project.parent
    targets = [] if options.confidential else targets_from_register(bundle.register)
    report = BuildReport(output="")
    verify_sources(bundle, base, options.accept_changed)
    with tempfile.TemporaryDirectory(prefix="bundler-measure-") as tmp:
        prepared, _, _ = _prepare(bundle, base, targets, options, Path(tmp), progress, report)
        sizes = {}
        for _, doc in bundle.documents():
            pdf = prepared[doc.id].pdf
            count = len(open_pdf(pdf, doc.password).pages)
            sizes[doc.id] = (len(parse_page_selection(doc.pages, count, Path(doc.path).name)), pdf.stat().st_size)
    return sizes


def build_bundle(project: Path, bundle: Bundle, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the bundle PDF; the output appears only when everything, the leak gate included, passed."""
    progress = progress or NullProgress()
    started = time.monotonic()
    if not bundle.documents():
        raise BuildError("The bundle has no documents yet. Add some with 'bundler add', then build.")
    base = project.parent
    targets = [] if options.confidential else targets_from_register(bundle.register)
    view = public_view(bundle, targets) if targets else bundle
    output = options.output or base / default_output_name(view, options.confidential)
    report = BuildReport(output=str(output), public=not options.confidential)
    report.notes += verify_sources(bundle, base, options.accept_changed)
    opts = bundle.options
    style = StampStyle(size=opts.stamp_font_size, right=opts.stamp_right, bottom=opts.stamp_bottom)
    with tempfile.TemporaryDirectory(prefix="bundler-build-") as tmp:
        store, ready = ChunkStore(options.cache_dir), dict[str, Placed]()

        def make(some: dict[str, Prepared], unredacted: dict[str, Prepared]) -> None:
            ready.update(ready_documents(bundle, base, some, unredacted, store, style, options.cache_dir, progress))

        # the PDF sources become chunks while LibreOffice converts; the converted ones after
        prepared, converted, changes = _prepare(bundle, base, targets, options, Path(tmp), progress, report, make)
        make({doc_id: p for doc_id, p in prepared.items() if doc_id not in ready}, converted)
        placed = {d.id: ready[d.id] for _, d in bundle.documents()}
        page_map = _page_map(view, placed, options.numbering)
        front_pdf = Path(tmp) / "front.pdf"
        links = render_front_matter(front_pdf, view.case, page_map)
        writer, report.shrunk_pages = assemble(
            PdfReader(front_pdf),
            links,
            page_map,
            list(placed.values()),
            style,
            progress,
            retitle=lambda title: anonymise_text(title, targets),
        )
        report.notes += [note for p in placed.values() if p.chunk for note in p.chunk.notes]
        report.notes += sanitise_writer(writer, info=info_for(view))
        _write(writer, output, targets, report, progress, page_map)
    store.prune()
    if report.public and (targets or bundle.register.boxes):
        write_schedule(schedule_rows(page_map, placed, changes), output, view, report)
    report.pages = page_map.total_pages
    report.documents = _document_reports(page_map, prepared)
    report.seconds = time.monotonic() - started
    _warnings(bundle, report)
    if targets:  # the report of a public build is shared too: it names no protected person
        anonymise_report(report, targets)
    return report
