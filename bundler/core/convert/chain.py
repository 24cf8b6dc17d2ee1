"""Turning every source into a PDF: the converter chain and its cache (PRODUCT.md §4).

DOCX: Microsoft Word where it is installed (it lays statements out as signed), then
LibreOffice headless when found (batched calls, one per core, each with its own profile;
timeout, output checked), else — or for any file they fail on — the built-in
python-docx + reportlab renderer. Images: one A4 page per image. Results are
cached by content hash, so a rebuild converts nothing.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bundler.core.children import ChildCancelled
from bundler.core.convert.images import image_to_pdf
from bundler.core.convert.libreoffice import convert_batch, find_soffice, workers_for
from bundler.core.convert.word import convert_with_word, word_available
from bundler.core.errors import BundlerError, PasswordError, SourceError
from bundler.core.fsutil import atomic_output
from bundler.core.model import Document
from bundler.core.pdf.repair import REPAIRED, repaired_copy
from bundler.core.pdf.sources import open_pdf, read_pdf
from bundler.core.progress import Progress, check_cancel

__all__ = [
    "converted_pdf",
    "SourceJob",
    "Prepared",
    "prepare_sources",
    "docx_converter_name",
    "source_pdf",
    "proven_sound",
]

_LO_TIMEOUT_BASE, _LO_TIMEOUT_PER_FILE = 90.0, 20.0


@dataclass(frozen=True)
class SourceJob:
    doc_id: str
    path: Path  # the file to convert (a DOCX may be an anonymised copy)
    key: str  # content hash (plus anything else that changes the output)
    kind: str  # pdf | docx | image
    password: str | None = None  # an encrypted PDF's


@dataclass(frozen=True)
class Prepared:
    pdf: Path
    converter: str  # source-pdf | word | libreoffice | builtin | image
    cached: bool = False
    pictured: tuple[int, ...] = ()  # pages made pictures because a picture on them shows a protected term


Ready = Callable[[str, Prepared], None]  # (document id, its PDF)


def docx_converter_name(choice: str) -> str:
    """Which converter ``choice`` (auto | word | libreoffice | builtin) means on this machine."""
    if choice == "builtin":
        return "builtin"
    if choice in ("auto", "word") and word_available():
        return "word"
    if choice == "word":
        raise BundlerError(
            "Microsoft Word was chosen as the DOCX converter but cannot be used here (Windows or macOS with "
            "Word installed). Choose 'auto' to use LibreOffice or the built-in converter instead."
        )
    if find_soffice() is not None:
        return "libreoffice"
    if choice == "libreoffice":
        raise BundlerError(
            "LibreOffice was chosen as the DOCX converter but is not installed. "
            "Install LibreOffice, or choose the built-in converter (--converter builtin)."
        )
    return "builtin"


def source_pdf(job: SourceJob, password: str | None, cache: Path, notes: list[str]) -> Prepared:
    """A PDF source as it is or, when only qpdf can read it, qpdf's repair (cached by content).

    Every engine after this one (pdfium, pikepdf, pypdf) then reads the same, sound file."""
    repaired, sound = _proofs(job, cache)
    cached = repaired.exists()
    if cached or (not sound.exists() and _repaired(job.path, password, repaired, sound)):
        notes.append(f"{job.path.name} {REPAIRED}")
        return Prepared(repaired, "repaired-pdf", cached=cached)
    return Prepared(job.path, "source-pdf")


def proven_sound(job: SourceJob, cache: Path) -> bool:
    """Whether ``source_pdf`` already knows, from the cache, which file to read for this PDF
    (so calling it costs two file checks, not a parse)."""
    return any(path.exists() for path in _proofs(job, cache))


# 2: a trailer without /Size is damaged (pypdf read such a file, then could not copy it),
# and qpdf's repair of one carries the count: files judged under 1 are judged again
_PROOF = 2


def _proofs(job: SourceJob, cache: Path) -> tuple[Path, Path]:
    """Where the proof of a PDF source is kept: qpdf's repair of it, or the mark that it is sound."""
    return cache / f"{job.key}.repaired-{_PROOF}.pdf", cache / f"{job.key}.sound-{_PROOF}"


def _repaired(path: Path, password: str | None, target: Path, sound: Path) -> bool:
    """True once ``target`` holds qpdf's repair of a file pypdf cannot read. A file that
    needs a password not given here is left as it is: the stages that have it ask for it."""
    try:
        read_pdf(path, password)
    except PasswordError:
        return repaired_copy(path, password, target)
    except SourceError:
        if not repaired_copy(path, password, target):
            open_pdf(path, password)  # raises the clear message: neither engine can read it
        return True
    sound.parent.mkdir(parents=True, exist_ok=True)
    sound.touch()
    return False


def _checked_into_cache(made: Path, target: Path, name: Path) -> None:
    open_pdf(made)  # a converter's output must be a readable PDF with pages
    with atomic_output(target) as tmp:
        shutil.copyfile(made, tmp)


def _convert_one(job: SourceJob, target: Path, make: Callable[[Path, Path], object]) -> None:
    with tempfile.TemporaryDirectory(prefix="bundler-cv-") as tmp:
        out = Path(tmp) / "out.pdf"
        make(job.path, out)
        _checked_into_cache(out, target, job.path)


def _builtin(src: Path, dst: Path) -> None:
    from bundler.core.convert.docx.render import render_docx  # heavy import, only when needed

    render_docx(src, dst)


def _stage(jobs: list[SourceJob], folder: Path) -> dict[Path, SourceJob]:
    """Each job's file copied under a name of its own: two sources may share a file name."""
    staged = {}
    for job in jobs:
        path = folder / f"{job.key[:24]}-{job.doc_id}.docx"
        shutil.copyfile(job.path, path)
        staged[path] = job
    return staged


def _libreoffice_batch(
    jobs: list[SourceJob], cache: Path, progress: Progress, notes: list[str], on_ready: Ready
) -> set[str]:
    """Convert in batched soffice calls, in parallel on several cores; return the doc ids that succeeded.

    Each conversion is checked, cached and handed to ``on_ready`` as soon as soffice finishes
    it, while the others still convert."""
    soffice = find_soffice()
    assert soffice is not None
    done: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="bundler-lo-") as tmp:
        staged = _stage(jobs, Path(tmp))
        tried: set[Path] = set()

        def checked(src: Path, made: Path) -> None:
            job, target = staged[src], cache / f"{staged[src].key}.libreoffice.pdf"
            tried.add(src)
            try:
                _checked_into_cache(made, target, job.path)
            except BundlerError:
                return  # the built-in converter makes it (noted below)
            done.add(job.doc_id)
            progress.advance()
            on_ready(job.doc_id, Prepared(target, "libreoffice"))

        workers = workers_for(len(jobs))
        timeout = _LO_TIMEOUT_BASE + _LO_TIMEOUT_PER_FILE * -(-len(jobs) // workers)
        outputs, note = convert_batch(soffice, list(staged), Path(tmp), progress, timeout, workers, checked)
        if note:
            notes.append(note)
        for src, job in staged.items():
            if src not in tried and src in outputs:  # made before a time-out stopped soffice
                checked(src, outputs[src])
            if job.doc_id not in done:
                notes.append(f"{job.path.name}: LibreOffice failed; the built-in converter made it instead")
                progress.advance()
    return done


def _by_word(job: SourceJob, target: Path, notes: list[str], progress: Progress) -> bool:
    """Convert with Word; False (and a note) when Word fails, so the next converter is tried."""
    try:
        _convert_one(job, target, functools.partial(convert_with_word, cancelled=progress.cancelled))
    except ChildCancelled:
        check_cancel(progress)
        raise
    except (RuntimeError, BundlerError) as exc:
        notes.append(f"{job.path.name}: {exc}; the next converter made it instead")
        return False
    return True


def prepare_sources(
    jobs: list[SourceJob],
    cache: Path,
    choice: str,
    progress: Progress,
    notes: list[str],
    on_ready: Ready = lambda doc_id, prepared: None,
) -> dict[str, Prepared]:
    """A PDF for every job, converting (and caching) what is not a PDF yet.

    Each PDF is also handed to ``on_ready`` as soon as it is ready (LibreOffice's one by one,
    while it converts the rest), from the thread this runs on."""
    result: dict[str, Prepared] = {}

    def ready(doc_id: str, prepared: Prepared) -> None:
        result[doc_id] = prepared
        on_ready(doc_id, prepared)

    cache.mkdir(parents=True, exist_ok=True)
    docx_name = docx_converter_name(choice) if any(j.kind == "docx" for j in jobs) else "builtin"
    todo_lo: list[SourceJob] = []
    for job in jobs:
        if job.kind == "pdf":
            ready(job.doc_id, source_pdf(job, job.password, cache, notes))
            continue
        name = "image" if job.kind == "image" else docx_name
        target = cache / f"{job.key}.{name}.pdf"
        if target.exists():
            ready(job.doc_id, Prepared(target, name, cached=True))
        elif name == "libreoffice":
            todo_lo.append(job)
        elif name == "word" and not _by_word(job, target, notes, progress):
            todo_lo.append(job)  # LibreOffice next, else the built-in renderer
        elif name == "word":
            ready(job.doc_id, Prepared(target, "word"))
        else:
            check_cancel(progress)
            _convert_one(job, target, image_to_pdf if name == "image" else _builtin)
            ready(job.doc_id, Prepared(target, name))
    if todo_lo:
        progress.stage("Converting Word documents with LibreOffice", len(todo_lo), "document")
        done = _libreoffice_batch(todo_lo, cache, progress, notes, ready) if find_soffice() else set()
        for job in (j for j in todo_lo if j.doc_id not in done):
            target = cache / f"{job.key}.builtin.pdf"
            _convert_one(job, target, _builtin)
            ready(job.doc_id, Prepared(target, "builtin"))
    return {job.doc_id: result[job.doc_id] for job in jobs}


def converted_pdf(cache_dir: Path, doc: Document) -> Path | None:
    """The cached conversion of a DOCX or image, if a build or preview already made one."""
    for converter in ("word", "libreoffice", "builtin", "image"):
        candidate = cache_dir / f"{doc.sha256}.{converter}.pdf"
        if candidate.is_file():
            return candidate
    return None
