"""The build pipeline: project → sources → page map → front matter → bundle PDF.

Each stage is a small function; work happens in a temporary folder and the
user's output file is replaced only at the very end (``atomic_output``).
"""

from __future__ import annotations

import dataclasses
import queue
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from bundler import __version__
from bundler.core.anonymise.gate.vouched import Claims
from bundler.core.anonymise.glyphs.stage import legible_prepared
from bundler.core.anonymise.report_stage import anonymise_report, schedule_rows, write_schedule
from bundler.core.anonymise.stage import anonymised_jobs, public_view, redact_prepared
from bundler.core.anonymise.terms import Target, anonymise_text
from bundler.core.build.assemble import Placed, assemble
from bundler.core.build.at_rest import check_overwrite, marked_keywords
from bundler.core.build.chunks.splice import chunk_runs
from bundler.core.build.chunks.store import ChunkStore
from bundler.core.build.chunks.verify import ChunkSearch, verdict_store
from bundler.core.build.context import BuildContext, BuildOptions
from bundler.core.build.frontmatter import render_front_matter, settled_page_map
from bundler.core.build.gated import docx_verdicts, write_pdf
from bundler.core.build.own_cover import own_cover, with_own_cover
from bundler.core.build.pagemap import Numbering, PageMap
from bundler.core.build.placing import ready_documents
from bundler.core.build.readback import StampReadback, expected_stamps
from bundler.core.cache import tidy_due
from bundler.core.convert.chain import Prepared, SourceJob, prepare_sources, source_pdf
from bundler.core.errors import BuildError, LeakError, SourceError
from bundler.core.fsutil import KnownHashes
from bundler.core.model import Bundle
from bundler.core.naming import bundle_file_name, format_date, guess_words, plural, protected_words
from bundler.core.ocr.stage import ocr_prepared, warn_unread
from bundler.core.pdf.sources import check_readable, open_pdf, parse_page_selection
from bundler.core.pdf.stamp import StampStyle
from bundler.core.progress import Progress, RoundsProgress, check_cancel
from bundler.core.report import BuildReport, DocumentReport

__all__ = [
    "CHANGED_SINCE_ADDED",
    "build_bundle",
    "prepare_documents",
    "default_output_name",
    "verify_sources",
    "info_for",
    "measure_documents",
]

CHANGED_SINCE_ADDED = "has changed since it was added to the bundle"  # the app offers the new version

SIZE_EMAIL, SIZE_CE_FILE = 36_000_000, 50_000_000
PdfsReady = Callable[[BuildContext, dict[str, Prepared], dict[str, Prepared]], None]


def default_output_name(bundle: Bundle, confidential: bool = False) -> str:
    """The court's convention; the confidential bundle says so in its name."""
    case = bundle.case
    name = bundle_file_name(case.short_name or case.case_name, case.bundle_name, case.claim_no)
    return name[:-4] + " - CONFIDENTIAL UNREDACTED.pdf" if confidential else name


def verify_sources(bundle: Bundle, base: Path, accept_changed: bool, hashes: KnownHashes) -> list[str]:
    """Every source exists and is the file that was added; returns notes on accepted changes.

    ``hashes``: what is known of files' hashes (``KnownHashes``), so unchanged sources are not read."""
    notes = []
    docs = [doc for _, doc in bundle.documents()]
    for doc in docs:
        check_readable(base / doc.path)
    digests = hashes.digests([base / doc.path for doc in docs])
    for doc, digest in zip(docs, digests, strict=True):
        path = base / doc.path
        if digest == doc.sha256:
            continue
        if not accept_changed:
            raise SourceError(
                path,
                CHANGED_SINCE_ADDED,
                "Check the new version, then build with --accept-changed to use it",
            )
        doc.sha256 = digest
        notes.append(f"{doc.path}: changed since it was added; the new version was used")
    return notes


def _jobs(bundle: Bundle, base: Path) -> list[SourceJob]:
    return [SourceJob(d.id, base / d.path, d.sha256, d.kind) for _, d in bundle.documents()]


def _page_map(bundle: Bundle, placed: dict[str, Placed], numbering: Numbering) -> PageMap:
    counts = {doc_id: len(p.pages) for doc_id, p in placed.items()}
    return settled_page_map(bundle, counts, numbering)


def info_for(bundle: Bundle, confidential: bool = False) -> dict[str, str]:
    """Document info from the case; /Keywords also says whether the bundle is confidential."""
    case = bundle.case
    return {
        "/Title": f"{case.case_name} - {case.bundle_name}",
        "/Subject": f"{case.bundle_name}, claim no. {case.claim_no}",
        "/Keywords": marked_keywords(case.claim_no, confidential),
        "/Creator": f"bundler {__version__}",
        "/Producer": f"bundler {__version__}",
    }


def _warnings(bundle: Bundle, report: BuildReport) -> None:
    guesses = {d.path: d for _, d in bundle.documents() if d.date_is_guess}
    for doc in report.documents:
        guess = guesses.get(doc.source)
        if guess is not None:
            used = "printed in the index" if doc.date else "not used until you confirm it"
            report.warnings.append(
                f"{doc.tab} '{doc.title}': the date {format_date(guess.date)} was guessed from "
                f"{guess_words(guess.date_source)} and is {used}"
            )
        elif not doc.date:
            report.warnings.append(f"{doc.tab} '{doc.title}' is undated")
    if report.shrunk_pages:
        report.warnings.append(
            f"{plural(len(report.shrunk_pages), 'page')} had content where the page number goes and "
            f"{'was' if len(report.shrunk_pages) == 1 else 'were'} "
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
                doc.filed_date,
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


def _made_ready(ctx: BuildContext, jobs: list[SourceJob], pdfs: dict[str, Prepared]) -> dict[str, Prepared]:
    """The recipe every document follows once it is a PDF: OCR -> redact -> OCR again.

    Only pages that redaction had to rasterise need the second OCR (their text is gone
    with the name); OCR's cache makes it a no-op for every other page."""
    prepared = ocr_prepared(ctx, jobs, legible_prepared(ctx, jobs, pdfs))
    if not ctx.redacting:
        return prepared
    redacted = redact_prepared(ctx, jobs, prepared)
    warn_unread(ctx, jobs, prepared)  # OCR off: the redactor has seen which pages have no text
    return ocr_prepared(ctx, jobs, redacted, " again after redaction rasterised it")


def _as_converted(
    converting: Future[dict[str, Prepared]], arrived: queue.SimpleQueue[tuple[str, Prepared]]
) -> Iterator[dict[str, Prepared]]:
    """The conversions in groups, each as many as have arrived, until the last one did
    (or the conversion failed: its error is ``converting.result()``'s)."""
    while not (converting.done() and arrived.empty()):
        try:
            group = dict([arrived.get(timeout=0.05)])
        except queue.Empty:
            continue
        while not arrived.empty():
            doc_id, pdf = arrived.get()
            group[doc_id] = pdf
        yield group
        if converting.done() and converting.exception() is not None:
            return


def prepare_documents(
    ctx: BuildContext, place: PdfsReady = lambda ctx, prepared, unredacted: None
) -> tuple[dict[str, Prepared], dict[str, Prepared]]:
    """A PDF per document: converted, and in a public bundle anonymised and redacted.

    DOCX convert on a thread (LibreOffice is a separate process) while the PDF sources
    follow the recipe and are handed to ``place`` (which parses them); then the
    converted ones follow it, a few at a time as LibreOffice finishes them. Also returns
    the PDFs as they were before redaction."""
    jobs = anonymised_jobs(ctx)
    ctx.progress.stage("Preparing documents", len(jobs), "document")
    passwords = {d.id: d.password for _, d in ctx.bundle.documents()}
    convert = [j for j in jobs if j.kind != "pdf"]
    arrived: queue.SimpleQueue[tuple[str, Prepared]] = queue.SimpleQueue()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundler-convert") as pool:
        converting = pool.submit(  # first: LibreOffice takes seconds to start
            prepare_sources,
            convert,
            ctx.cache,
            ctx.bundle.options.converter,
            ctx.progress,
            ctx.report.notes,
            lambda doc_id, pdf: arrived.put((doc_id, pdf)),
        )
        pdfs = {}
        for j in (j for j in jobs if j.kind == "pdf"):
            check_cancel(ctx.progress)  # each is parsed whole to prove it sound: a big one takes a while
            pdfs[j.doc_id] = source_pdf(j, passwords.get(j.doc_id), ctx.cache, ctx.report.notes)
        prepared = _made_ready(ctx, jobs, pdfs)
        place(ctx, prepared, pdfs)
        rounds = dataclasses.replace(ctx, progress=RoundsProgress(ctx.progress))
        for group in _as_converted(converting, arrived):
            ready = _made_ready(rounds, jobs, group)
            place(rounds, ready, group)
            prepared.update(ready)
        converted = converting.result()
    return prepared, {**pdfs, **converted}


def _write(
    writer: PdfWriter,
    output: Path,
    info: dict[str, str],
    ctx_targets: list[Target],
    report: BuildReport,
    progress: Progress,
    page_map: PageMap,
    style: StampStyle,
    claims: Claims | None = None,
    read_back: Collection[int] = (),
) -> None:
    """Through the one gated writer; a leak names the documents it was found in. Every
    page's number must read back from the written file before it is moved into place.
    ``claims``: the verified chunks placed, which the gate checks and need not read twice;
    ``read_back``: pages (0-based) whose stamps read back when their chunk was read alone."""
    progress.stage("Writing the bundle", 0)
    labels = [page_map.label(n) for n in range(1, len(writer.pages) + 1)]
    readback = StampReadback(expected_stamps(list(writer.flattened_pages or []), labels), style)
    for index in read_back:
        readback.vouched(index)
    try:
        notes, report.bytes = write_pdf(
            writer,
            output,
            ctx_targets,
            info=info,
            progress=progress,
            check=readback,  # from the gate's own PDFium pass when there is one
            claims=claims,
            on_page=readback.page,
            on_vouched=readback.vouched,
            spend=True,  # the bundle's objects are let go before the gate reads the file
        )
    except LeakError as leak:  # say which documents, so the user is taken to them
        leak.document_ids = [
            e.document.id
            for e in page_map.of_kind("document")
            if e.document and any(e.first <= p <= e.last for p in leak.pages)
        ]
        raise
    except OSError as exc:  # the file is written to a temporary file first: the old one is untouched
        raise BuildError(
            f"Could not write '{output.name}' ({exc.strerror or exc}). If it is open in a PDF viewer, close "
            "it; check there is room on the drive; then build again. Nothing was changed."
        ) from exc
    report.notes += notes
    if ctx_targets:
        report.leak_gate = f"passed: searched for {protected_words(len(ctx_targets))}, none found"
        if report.unread_pages:
            report.leak_gate += f" (but {plural(report.unread_pages, 'page')} without text not read: OCR is off)"


def measure_documents(
    project: Path, bundle: Bundle, options: BuildOptions, progress: Progress | None = None
) -> dict[str, tuple[int, int]]:
    """Each document's (selected pages, bytes of its prepared PDF), e.g. to plan volumes.

    Prepares exactly as a build does, so the build that follows finds it all cached."""
    hashes = KnownHashes(options.cache_dir)
    verify_sources(bundle, project.parent, options.accept_changed, hashes)
    hashes.save()
    with tempfile.TemporaryDirectory(prefix="bundler-measure-") as tmp:
        prepared, _ = prepare_documents(BuildContext.make(project, bundle, options, Path(tmp), progress))
        sizes = {}
        for _, doc in bundle.documents():
            pdf = prepared[doc.id].pdf
            count = len(open_pdf(pdf, doc.password).pages)
            sizes[doc.id] = (len(parse_page_selection(doc.pages, count, Path(doc.path).name)), pdf.stat().st_size)
    return sizes


def _style(bundle: Bundle) -> StampStyle:
    opts = bundle.options
    return StampStyle(size=opts.stamp_font_size, right=opts.stamp_right, bottom=opts.stamp_bottom)


def _placed(ctx: BuildContext, store: ChunkStore, search: ChunkSearch) -> tuple[dict[str, Prepared], dict[str, Placed]]:
    """Every document prepared and placed: the PDF sources become chunks while DOCX convert,
    and each new chunk's search alone starts (``search``) as soon as it is stored."""
    ready: dict[str, Placed] = {}
    made = search.made

    def place(at: BuildContext, some: dict[str, Prepared], unredacted: dict[str, Prepared]) -> None:
        ready.update(ready_documents(at, some, unredacted, store, _style(ctx.bundle), made))

    prepared, unredacted = prepare_documents(ctx, place)
    place(ctx, {doc_id: p for doc_id, p in prepared.items() if doc_id not in ready}, unredacted)
    return prepared, {d.id: ready[d.id] for _, d in ctx.bundle.documents()}


def _assemble_and_write(
    ctx: BuildContext, view: Bundle, placed: dict[str, Placed], output: Path, search: ChunkSearch
) -> PageMap:
    """Front matter, stamps and navigation from one page map, through the gated writer."""
    page_map = _page_map(view, placed, ctx.options.numbering)
    verdicts = verdict_store(ctx.cache, _style(ctx.bundle)) if ctx.targets else None
    search.finish([p.chunk for p in placed.values() if p.chunk is not None])
    front_pdf = ctx.work / "front.pdf"
    links = render_front_matter(front_pdf, view.case, page_map)
    cover = own_cover(ctx)
    front = with_own_cover(front_pdf, cover) if cover else PdfReader(front_pdf)
    writer, ctx.report.shrunk_pages = assemble(
        front,
        links,
        page_map,
        list(placed.values()),
        _style(ctx.bundle),
        ctx.progress,
        retitle=lambda title: anonymise_text(title, ctx.targets),
    )
    ctx.report.notes += [note for p in placed.values() if p.chunk for note in p.chunk.notes]
    _write(
        writer,
        output,
        info_for(view, ctx.options.confidential),
        ctx.targets,
        ctx.report,
        ctx.progress,
        page_map,
        _style(ctx.bundle),
        None if verdicts is None else Claims(verdicts, chunk_runs(writer)),
        set() if ctx.targets else _read_back_alone(page_map, placed, search),  # a public build's gate proves its own
    )
    return page_map


def _chunk_search(ctx: BuildContext) -> ChunkSearch:
    """Each new chunk searched alone, its pages stamped with the probe: by the leak gate for
    a public build; for a plain one (no targets) only for its stamps to read back."""
    verdicts = verdict_store(ctx.cache, _style(ctx.bundle))
    return ChunkSearch(ctx.targets, verdicts, _style(ctx.bundle), ctx.work, ctx.progress)


def _read_back_alone(page_map: PageMap, placed: dict[str, Placed], search: ChunkSearch) -> set[int]:
    """Pages (0-based) of a plain build whose stamps read back when their chunk was read alone.

    The bundle draws such a page from the chunk's very bytes, with the same opener and a
    stamp in the same place and style (``assemble``), as when its probe read back; a label
    wider than the probe is read from the file all the same (``StampReadback.vouched``)."""
    pages: set[int] = set()
    for entry in page_map.of_kind("document"):
        chunk = placed[entry.document.id].chunk if entry.document and entry.document.id in placed else None
        if chunk is not None and search.verified(chunk) and entry.last - entry.first + 1 == len(chunk.pages):
            pages.update(range(entry.first - 1, entry.last))
    return pages


def build_bundle(project: Path, bundle: Bundle, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the bundle PDF; the output appears only when everything, the leak gate included, passed."""
    started = time.monotonic()
    if not bundle.documents():
        raise BuildError("The bundle has no documents yet. Add some with 'bundler add', then build.")
    with tempfile.TemporaryDirectory(prefix="bundler-build-") as tmp:
        ctx = BuildContext.make(project, bundle, options, Path(tmp), progress)
        view = public_view(bundle, ctx.targets) if ctx.targets else bundle
        output = options.output or ctx.base / default_output_name(view, options.confidential)
        check_overwrite(output, options.confidential, options.force)
        report = ctx.report
        report.output = str(output)
        store = ChunkStore(options.cache_dir)
        try:
            report.notes += verify_sources(bundle, ctx.base, options.accept_changed, ctx.hashes)
            with _chunk_search(ctx) as search:
                prepared, placed = _placed(ctx, store, search)
                page_map = _assemble_and_write(ctx, view, placed, output, search)
        finally:
            ctx.hashes.save()  # what was learnt of the files stays true whatever became of the build
    if store.saved or tidy_due(store.folder):  # nothing stored: the store is no bigger than it was
        store.prune()
    for verdicts in (verdict_store(ctx.cache), docx_verdicts(ctx.cache)):
        if tidy_due(verdicts.folder):  # verdicts age out in months: once a day is enough
            verdicts.prune()
    if ctx.redacting:
        rows = schedule_rows(page_map, placed, ctx.changes)
        try:
            write_schedule(rows, output, view, report, ctx.targets, docx_verdicts(ctx.cache), ctx.cache)
        except OSError as exc:  # the bundle is in place: say so, and what stopped the schedule
            raise BuildError(
                f"The bundle was written ('{output.name}'), but its schedule of redactions could not be "
                f"({exc.strerror or exc}). If the schedule is open in Word or Excel, close it, then build again."
            ) from exc
    report.pages = page_map.total_pages
    report.documents = _document_reports(page_map, prepared)
    report.seconds = time.monotonic() - started
    _warnings(bundle, report)
    if ctx.targets:  # the report of a public build is shared too: it names no protected person
        anonymise_report(report, ctx.targets)
    return report
