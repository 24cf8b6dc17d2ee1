"""Background work: each job is a core call run in a QThread, reporting through QtProgress.

Workers never touch widgets. They get a snapshot of the bundle (the user keeps
editing meanwhile), and their results come back to the UI thread as queued signals.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from bundler.core.adding import expand_sources, new_document
from bundler.core.anonymise.basis import public_rendering, rendering_basis
from bundler.core.anonymise.detect import Hit
from bundler.core.anonymise.detect_pool import detect_documents
from bundler.core.anonymise.highlight import Rect, hit_rects
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.build.planned import count_pages
from bundler.core.build.preview import PlannedPages, planned_preview_name, write_planned_preview
from bundler.core.convert.chain import SourceJob, prepare_sources
from bundler.core.errors import BundlerError, SourceError
from bundler.core.isolated import run_isolated
from bundler.core.model import Bundle, Document, Register
from bundler.core.preflight.check import run_preflight_reporting
from bundler.core.preflight.findings import Preflight
from bundler.core.progress import Progress
from bundler.core.project import bundle_from_dict, bundle_to_dict

__all__ = [
    "QtProgress",
    "Task",
    "snapshot",
    "source_path",
    "build_job",
    "preflight_job",
    "detect_job",
    "page_count_job",
    "preview_job",
    "PDFIUM_LOCK",
    "add_files_job",
    "AddedFiles",
    "CountItem",
    "Detected",
]

_log = logging.getLogger(__name__)
Job = Callable[[Progress], object]
PreviewNumbers = tuple[int | None, str]  # the first bundle page number (None: not known yet), prefix
# PDFium must never be entered from two threads at once, not even for different files
# (pypdfium2's own warning): jobs that use it take this one process-wide lock.
_PDFIUM = threading.Lock()
PDFIUM_LOCK = _PDFIUM  # for threads of their own (the page grid's thumbnails)


class QtProgress(QObject):
    """The core's Progress protocol, re-emitted as Qt signals; cancel() is thread-safe."""

    stageStarted = Signal(str, int, str)  # stage name, total steps (0: unknown), unit ("page")
    advanced = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def stage(self, name: str, total: int, unit: str = "") -> None:
        self.stageStarted.emit(name, total, unit)

    def advance(self, steps: int = 1) -> None:
        self.advanced.emit(steps)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class Task(QThread):
    """Runs one job off the UI thread; ``succeeded(result)`` or ``failed(BundlerError)``."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, name: str, job: Job, parent: QObject | None = None, *, pdfium: bool = False) -> None:
        super().__init__(parent)
        self.name, self._job, self._pdfium = name, job, pdfium
        self.progress = QtProgress()

    def run(self) -> None:
        try:
            with _PDFIUM if self._pdfium else contextlib.nullcontext():
                result = self._job(self.progress)
        except BundlerError as err:
            self.failed.emit(err)
        except Exception as exc:  # a bug must reach the user as a message, not kill the app
            _log.exception("%s failed", self.name)
            self.failed.emit(
                BundlerError(
                    f"{self.name} stopped on an unexpected error "
                    f"({exc.__class__.__name__}: {exc}). "
                    "Your project is unchanged; please report this with the file that caused it."
                )
            )
        else:
            self.succeeded.emit(result)

    def cancel(self) -> None:
        self.progress.cancel()


def snapshot(bundle: Bundle) -> Bundle:
    """An independent copy with the same ids, for a worker to read while the user edits.

    The passwords the user gave this session come along: the project file never holds them.
    """
    copy = bundle_from_dict(bundle_to_dict(bundle))
    given = {d.id: (d.password, d.password_kept) for _, d in bundle.documents()}
    for _, doc in copy.documents():
        doc.password, doc.password_kept = given.get(doc.id, (doc.password, doc.password_kept))
    return copy


def source_path(doc: Document, base: Path | None) -> Path:
    """Where a document's source is: its path is absolute in an untitled project."""
    path = Path(doc.path)
    return path if path.is_absolute() or base is None else base / path


def build_job(project: Path, bundle: Bundle, options: BuildOptions, isolated: bool = False) -> Job:
    """The build; ``isolated``: in a child process, whose work never holds this one's GIL."""
    frozen = snapshot(bundle)
    if isolated:
        return lambda progress: run_isolated(build_bundle, (project, frozen, options), progress)
    return lambda progress: build_bundle(project, frozen, options, progress)


def preflight_job(pdf: Path) -> Job:
    """The court-rule checks of a built bundle, in a child process (they parse all of it)."""

    def run(progress: Progress) -> Preflight:
        progress.stage("Checking the bundle against the court rules", 0)
        return run_isolated(run_preflight_reporting, (pdf,), progress)  # type: ignore[no-any-return]

    return run


def _pdfs(
    docs: list[Document], base: Path | None, cache_dir: Path, converter: str, progress: Progress
) -> dict[str, Path]:
    """A PDF for each document (DOCX and images converted, through the shared cache)."""
    jobs = [SourceJob(d.id, source_path(d, base), d.sha256, d.kind) for d in docs]
    return {doc_id: p.pdf for doc_id, p in prepare_sources(jobs, cache_dir, converter, progress, []).items()}


def detect_job(bundle: Bundle, base: Path | None, cache_dir: Path) -> Job:
    frozen = snapshot(bundle)

    def run(progress: Progress) -> Detected:
        docs = [d for _, d in frozen.documents() if d.kind != "image"]  # images carry no text
        progress.stage("Preparing documents", len(docs), "document")
        pdfs = _pdfs(docs, base, cache_dir, frozen.options.converter, progress)
        passwords = {pdfs[d.id]: d.password for d in docs}
        items = [(d.id, d.title, pdfs[d.id]) for d in docs]
        hits = detect_documents(
            items, frozen.register, password_for=passwords.get, progress=progress, cache_dir=cache_dir
        )
        rects: dict[str, list[Rect]] = {}
        for doc in docs:  # where each hit is, for the preview (which must not use PDFium itself)
            shown = pdfs[doc.id]
            if doc.kind == "docx":  # previewed as filed: anonymised, its lines moved
                source = source_path(doc, base)
                shown = public_rendering(frozen.register, frozen.options.converter, doc, source, cache_dir)[0].pdf
            rects |= hit_rects(shown, [h for h in hits if h.document_id == doc.id], doc.password)
        return Detected(hits, rects)

    return run


@dataclass(frozen=True)
class Detected:
    hits: list[Hit]
    rects: dict[str, list[Rect]]  # by hit key: where it shows on its page


@dataclass(frozen=True)
class CountItem:
    sha256: str
    kind: str  # pdf | docx | image
    path: Path  # where the source is now
    password: str | None = None


def page_count_job(items: list[CountItem], cache_dir: Path, converter: str) -> Job:
    """Page counts by sha256: PDFs and images read directly, DOCX after (cached) conversion."""

    def run(progress: Progress) -> dict[str, int | None]:
        counts = {i.sha256: count_pages(i.path, i.kind, i.password) for i in items if i.kind != "docx"}
        jobs = [SourceJob(i.sha256, i.path, i.sha256, "docx") for i in items if i.kind == "docx"]
        try:
            prepared = prepare_sources(jobs, cache_dir, converter, progress, []) if jobs else {}
        except BundlerError:
            prepared = {}  # the build will name the file that cannot be converted
        for job in jobs:
            counts[job.key] = count_pages(prepared[job.key].pdf, "pdf") if job.key in prepared else None
        return counts

    return run


def preview_job(
    doc: Document,
    base: Path | None,
    cache_dir: Path,
    converter: str,
    numbering: PreviewNumbers,
    register: Register | None = None,
) -> Job:
    """The document as filed, to preview it (a DOCX or image is converted first, then cached).

    A DOCX is shown as the public build files it: anonymised with ``register``, then
    converted (the build's own code and cache), so boxes are drawn on what is filed.
    """
    frozen, kept = copy.deepcopy(doc), copy.deepcopy(register or Register())
    source = source_path(doc, base)
    first, prefix = numbering

    def run(progress: Progress) -> PlannedPages:
        if frozen.kind == "pdf":
            pdf, basis, plain = source, None, None
        else:
            prepared, basis = public_rendering(kept, converter, frozen, source, cache_dir, progress)
            pdf, plain = prepared.pdf, rendering_basis(frozen.sha256, prepared.converter)
        out = cache_dir / "preview" / planned_preview_name(frozen, first, prefix, basis or "")
        return write_planned_preview(pdf, frozen, out, first, prefix, (basis, plain))

    return run


@dataclass(frozen=True)
class AddedFiles:
    documents: list[Document]
    errors: list[SourceError]  # one bad file does not stop the others


def add_files_job(paths: list[Path], project_dir: Path | None) -> Job:
    def run(progress: Progress) -> AddedFiles:
        files = expand_sources(paths)
        progress.stage("Adding documents", len(files), "file")
        added, errors = [], []
        for path in files:
            try:
                added.append(new_document(path, project_dir))
            except SourceError as err:
                errors.append(err)
            progress.advance()
        return AddedFiles(added, errors)

    return run
