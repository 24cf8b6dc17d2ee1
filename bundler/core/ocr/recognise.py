"""OCR scanned pages so the bundle is searchable (PRODUCT.md §2.12), offline.

Only pages without a text layer are touched: each is rendered as viewed, Tesseract
turns the image into an invisible text layer, and that layer is grafted onto the
original page — the scan's own image is kept, so the page looks exactly as before.
The source is never modified; the result is a new PDF written atomically.
Tesseract is optional: without it the report says so and the caller decides.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader, PdfWriter

from bundler.core.anonymise.extracted import pdfium_texts
from bundler.core.errors import SourceError
from bundler.core.fsutil import atomic_output
from bundler.core.ocr.graft import graft_text_layer
from bundler.core.ocr.pool import Runner, TesseractPool
from bundler.core.ocr.tesseract import (
    INSTALL_HINT,
    TesseractFailed,
    TesseractRun,
    find_tesseract,
    run_tesseract,
    tesseract_languages,
    tesseract_version,
)
from bundler.core.pdf.opening import open_both
from bundler.core.progress import NullProgress, Progress

__all__ = ["OcrReport", "find_tesseract", "pages_without_text", "ocr_pdf"]

MAX_PIXELS = 60_000_000  # a poster-sized page is rendered at a lower resolution instead
PAGE_TIMEOUT = 300.0
Withhold = Callable[[str], bool]  # given what OCR read on a page: leave it without a text layer?


@dataclass
class OcrReport:
    available: bool  # False: pages needed OCR but Tesseract (or its language pack) is missing
    output: Path  # the file to use from now on: the new PDF, or the source when none was written
    pages: list[int] = field(default_factory=list)  # 0-based pages given a text layer
    words: dict[int, int] = field(default_factory=dict)  # words recognised, per 0-based page
    withheld: list[int] = field(default_factory=list)  # 0-based pages read, but left without a text layer
    seconds: float = 0.0
    tesseract_version: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["output"] = str(self.output)
        return data


@dataclass(frozen=True)
class _Job:
    exe: Path
    folder: Path
    lang: str
    dpi: int
    timeout: float


def _has_text(page: pdfium.PdfPage) -> bool:
    textpage = page.get_textpage()
    try:
        return any(not c.isspace() for c in textpage.get_text_range())
    finally:
        textpage.close()


def _textless(doc: pdfium.PdfDocument) -> list[int]:
    return [i for i in range(len(doc)) if not _has_text(doc[i])]


def pages_without_text(pdf: Path, password: str | None = None) -> list[int]:
    """0-based pages whose text layer is empty (whitespace aside): scans, or blank pages."""
    _, doc = open_both(pdf, password)
    try:
        return _textless(doc)
    finally:
        doc.close()


def _checked_pages(pages: list[int], count: int, src: Path) -> list[int]:
    wrong = [p for p in pages if not 0 <= p < count]
    if wrong:
        raise SourceError(src, f"has no page {wrong[0] + 1} (it has {count})", "Choose pages that exist")
    return sorted(set(pages))


def _tesseract(lang: str, report: OcrReport) -> Path | None:
    """The program, when it and the language pack are there; otherwise a note says why not."""
    exe = find_tesseract()
    version = tesseract_version(exe) if exe else None
    if exe is None or version is None:
        report.notes.append(f"Tesseract OCR is not installed, so scanned pages stay unsearchable. {INSTALL_HINT}.")
        return None
    report.tesseract_version = version
    missing = sorted(set(lang.split("+")) - tesseract_languages(exe))  # "eng+ara": every pack is needed
    if missing:
        packs = ", ".join(f"tesseract-ocr-{m}" for m in missing)
        report.notes.append(f"Tesseract has no '{'+'.join(missing)}' language pack. Install it ({packs}).")
        return None
    return exe


def _render(page: pdfium.PdfPage, image: Path, dpi: int) -> int:
    """Save the page as viewed (``/Rotate`` and CropBox applied); returns the dpi used."""
    width, height = page.get_size()
    fit = (MAX_PIXELS / max(width * height, 1.0)) ** 0.5 * 72
    used = int(min(dpi, fit))
    bitmap = page.render(scale=used / 72, grayscale=True)
    bitmap.to_pil().convert("L").save(image, dpi=(used, used), compress_level=1)
    return used


def _collect(
    pool: TesseractPool,
    pending: dict[Future[TesseractRun], int],
    keep: int,
    done: dict[int, TesseractRun],
    report: OcrReport,
) -> None:
    """Wait until at most ``keep`` pages are still being recognised (a cancel stops the wait)."""
    for future in pool.finished(set(pending), keep):
        index = pending.pop(future)
        try:
            done[index] = run = future.result()
            report.words[index] = run.words
        except TesseractFailed as err:
            report.notes.append(f"Page {index + 1}: Tesseract {err}; the page stays unsearchable.")
        pool.progress.advance()


def _recognise_page(job: _Job, image: Path, dpi: int, runner: Runner) -> TesseractRun:
    try:
        return run_tesseract(job.exe, image, job.lang, dpi, job.timeout, runner)
    finally:
        image.unlink(missing_ok=True)  # a long scan must not fill the disk with page images


def _recognise(
    doc: pdfium.PdfDocument, todo: list[int], job: _Job, report: OcrReport, pool: TesseractPool
) -> dict[int, TesseractRun]:
    """Every page of ``todo`` recognised, one Tesseract per worker of ``pool``.

    pdfium is not thread-safe: pages are rendered here, one ahead of the free workers,
    and only Tesseract runs in the pool."""
    done: dict[int, TesseractRun] = {}
    pending: dict[Future[TesseractRun], int] = {}
    for index in todo:
        _collect(pool, pending, pool.workers, done, report)
        pool.check_cancel()
        image = job.folder / f"page-{index + 1}.png"
        dpi = _render(doc[index], image, job.dpi)
        pending[pool.submit(_recognise_page, job, image, dpi, pool.run)] = index
    _collect(pool, pending, 0, done, report)
    return done


def _write(reader: PdfReader, doc: pdfium.PdfDocument, runs: dict[int, TesseractRun], dst: Path) -> None:
    writer = PdfWriter(clone_from=reader)
    for index, run in sorted(runs.items()):
        graft_text_layer(writer, index, run.pdf, doc[index].get_rotation())
    with atomic_output(dst) as tmp:
        writer.write(tmp)


def _withheld(runs: dict[int, TesseractRun], withhold: Withhold | None, report: OcrReport) -> set[int]:
    """The pages whose words must not become a text layer (``withhold`` says so of what was
    read: Tesseract's text, or its text layer as PDFium reads it, as a reader of the bundle would)."""
    if withhold is None:
        return set()
    kept_out = {
        i
        for i, run in runs.items()
        if run.words and (withhold(run.text) or withhold("\n".join(pdfium_texts(run.pdf, None))))
    }
    report.withheld = sorted(kept_out)
    if kept_out:
        report.notes.append(
            f"{'Page' if len(kept_out) == 1 else 'Pages'} {', '.join(str(i + 1) for i in sorted(kept_out))}: "
            "what was read was not made a text layer."
        )
    return kept_out


def _graft_found(
    reader: PdfReader,
    doc: pdfium.PdfDocument,
    runs: dict[int, TesseractRun],
    dst: Path,
    report: OcrReport,
    withhold: Withhold | None = None,
) -> None:
    """Graft the pages where words were found; a blank page or a photo gets no empty layer,
    nor does a page whose words ``withhold`` keeps out."""
    kept_out = _withheld(runs, withhold, report)
    found = {i: run for i, run in runs.items() if run.words and i not in kept_out}
    blank = sorted(set(runs) - set(found) - kept_out)
    if blank:
        report.notes.append(
            f"No words were recognised on {'page' if len(blank) == 1 else 'pages'} "
            f"{', '.join(str(i + 1) for i in blank)}."
        )
    if found:
        _write(reader, doc, found, dst)
        report.output, report.pages = dst, sorted(found)


def _ocr(
    reader: PdfReader,
    doc: pdfium.PdfDocument,
    todo: list[int],
    job: _Job,
    dst: Path,
    report: OcrReport,
    pool: TesseractPool,
    withhold: Withhold | None = None,
) -> None:
    with tempfile.TemporaryDirectory(prefix="bundler-ocr-") as folder:
        runs = _recognise(doc, todo, replace(job, folder=Path(folder)), report, pool)
        _graft_found(reader, doc, runs, dst, report, withhold)


def _ocr_own_pool(
    reader: PdfReader,
    doc: pdfium.PdfDocument,
    todo: list[int],
    job: _Job,
    dst: Path,
    report: OcrReport,
    progress: Progress,
    withhold: Withhold | None = None,
) -> None:
    progress.stage("OCR", len(todo), "page")  # "OCR: page 12 of 40 — about 1 min left"
    with TesseractPool(progress=progress) as pool:
        _ocr(reader, doc, todo, job, dst, report, pool, withhold)


def _todo(doc: pdfium.PdfDocument, pages: list[int] | None, src: Path) -> list[int]:
    return _textless(doc) if pages is None else _checked_pages(pages, len(doc), src)


def ocr_pdf(
    src: Path,
    dst: Path,
    pages: list[int] | None = None,
    *,
    lang: str = "eng",
    dpi: int = 300,
    progress: Progress | None = None,
    password: str | None = None,
    timeout: float = PAGE_TIMEOUT,
    pool: TesseractPool | None = None,
    withhold: Withhold | None = None,
) -> OcrReport:
    """Write ``dst``: ``src`` with an invisible text layer on its scanned pages.

    ``pages`` (0-based) are OCR'd as given; by default every page without text is.
    ``report.output`` names the file to use: ``dst``, or ``src`` when nothing was written
    (no scanned pages, no words found, or Tesseract unavailable — see ``report.available``).
    ``pool``: the Tesseracts of a caller that OCRs several files as one stage (it reports
    the stage and owns the cancel); by default one per usable core, as a stage of its own.
    ``withhold``: given what was read on a page, whether to leave the page without a text
    layer (a public build's pages read again after redaction: ``ocr.stage``).
    """
    if dst.resolve() == src.resolve():
        raise SourceError(dst, "is the source itself", "Choose another output file: sources are never changed")
    started, report = time.monotonic(), OcrReport(available=True, output=src)
    reader, doc = open_both(src, password)
    try:
        todo = _todo(doc, pages, src)
        exe = _tesseract(lang, report) if todo else None
        report.available = exe is not None or not todo
        if not todo:
            report.notes.append("Every page already has text; nothing to OCR.")
        elif exe is not None and pool is not None:
            _ocr(reader, doc, todo, _Job(exe, Path(), lang, dpi, timeout), dst, report, pool, withhold)
        elif exe is not None:
            job = _Job(exe, Path(), lang, dpi, timeout)
            _ocr_own_pool(reader, doc, todo, job, dst, report, progress or NullProgress(), withhold)
    finally:
        doc.close()
    report.seconds = time.monotonic() - started
    return report
