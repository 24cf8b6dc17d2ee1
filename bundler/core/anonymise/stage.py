"""The anonymisation stages of a public build.

DOCX sources are anonymised at the source, before conversion; every PDF (given
or converted) is then truly redacted; our own words (case name, titles) use the
pseudonyms. Redacted copies are cached like conversions, keyed on the source,
the register's fingerprint, the manual boxes and the redactor's own version.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from bundler.core.anonymise.basis import anonymised_key, check_box_bases
from bundler.core.anonymise.changes import Change
from bundler.core.anonymise.schedule import replacement_action
from bundler.core.anonymise.spread import page_count, spread
from bundler.core.anonymise.terms import Target, anonymise_case, anonymise_text, targets_fingerprint
from bundler.core.anonymise.versions import redactor_version
from bundler.core.build.context import BuildContext
from bundler.core.convert.chain import Prepared, SourceJob
from bundler.core.errors import LeakError
from bundler.core.fsutil import atomic_write_bytes
from bundler.core.model import Bundle, Document, RedactionBox
from bundler.core.progress import check_cancel

__all__ = ["public_view", "anonymised_jobs", "redact_prepared"]


def public_view(bundle: Bundle, targets: list[Target]) -> Bundle:
    """A copy whose case details (parties too), section and document titles use the pseudonyms."""
    view = copy.deepcopy(bundle)
    view.case = anonymise_case(view.case, targets)
    for section in view.sections:
        section.title = anonymise_text(section.title, targets)
        for doc in section.documents:
            doc.title = anonymise_text(doc.title, targets)
            doc.description = anonymise_text(doc.description, targets)
    return view


def _key(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def anonymised_jobs(ctx: BuildContext) -> list[SourceJob]:
    """A conversion job per document; in a public build every DOCX is an anonymised copy."""
    from bundler.core.anonymise.docx.anonymise import anonymise_docx

    targets = ctx.targets
    jobs = []
    for _, doc in ctx.bundle.documents():
        source = ctx.base / doc.path
        if doc.kind != "docx" or not targets:
            jobs.append(SourceJob(doc.id, source, doc.sha256, doc.kind))
            continue
        copy_path = ctx.work / f"{doc.id}.docx"  # named by id: no protected name in a file name
        report = anonymise_docx(source, copy_path, targets)
        ctx.changes.extend(
            [
                Change(
                    doc.id,
                    None,
                    c.category,
                    _docx_action(c.kind, c.replacement),
                    where=f"{c.part}: {c.location}",
                    cleanup=c.kind not in ("replace", "redact"),
                )
                for c in report.changes
            ]
        )
        jobs.append(SourceJob(doc.id, copy_path, anonymised_key(doc, targets), "docx"))
    return jobs


def _docx_action(kind: str, replacement: str) -> str:
    if kind == "replace" and replacement:
        return f"replaced with '{replacement}'"
    return {"redact": "redacted", "property": "document property cleared"}.get(kind, kind.replace("-", " "))


def _labels(targets: list[Target]) -> dict[str, tuple[str, str]]:
    """What each box label stands for: its categories and reasons (never the original)."""
    found: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for t in targets:
        found[t.label][0].add(t.category)
        if t.reason:
            found[t.label][1].add(t.reason)
    return {label: (", ".join(sorted(c)), "; ".join(sorted(r))) for label, (c, r) in found.items()}


def _changes_of(doc_id: str, report: object, targets: list[Target], boxes: list[RedactionBox]) -> list[Change]:
    labels = _labels(targets)
    reasons = {b.page: b.reason for b in boxes}
    out = []
    for page in report.pages:  # type: ignore[attr-defined]
        for label in page.labels:
            category, reason = labels.get(label, ("manual box", reasons.get(page.page, "")))
            action = replacement_action(label, page.method == "rasterised")
            out.append(Change(doc_id, page.page, category, action, reason))
    return out


def _still_pictured(
    doc: Document, prepared: Prepared, redacted: Path, targets: list[Target], cache: Path, ocr_workers: int
) -> None:
    """Refuse when a picture that showed a protected term still shows it after redaction.

    The page was made a picture and OCR'd so that redaction could box the term; OCR
    of the whole page can misread a word the picture alone was read as (a slanted
    scan, a sideways stamp), and then there was nothing to box. The pictures of the
    next pages are read (one Tesseract per core) while one page is judged.
    """
    from bundler.core.anonymise.glyphs.ahead import PicturesAhead
    from bundler.core.anonymise.glyphs.stage import picture_verdict
    from bundler.core.anonymise.pdf.images import ImageReader
    from bundler.core.ocr.pool import TesseractPool
    from bundler.core.pdf.sources import open_pdf

    reader = open_pdf(redacted, doc.password if prepared.converter == "source-pdf" else None)
    pictured = [i for i in prepared.pictured if i < len(reader.pages)]
    with TesseractPool(ocr_workers) as pool:
        images = ImageReader(cache, pool)
        ahead = PicturesAhead(reader.pages, set(pictured).__contains__, images, pool.workers)
        for index in pictured:
            verdict = picture_verdict(reader.pages[index], targets, images, partial(ahead.pictures, index))
            if verdict == "shows":
                raise LeakError(
                    f"'{Path(doc.path).name}' page {index + 1}: a picture shows a protected term that could not"
                    " be located to redact it. Nothing was written; draw a box over it by hand and build again."
                )
            if verdict == "unreadable":
                raise LeakError(
                    f"'{Path(doc.path).name}' page {index + 1}: a picture on it could not be read to check it"
                    " for protected terms (Tesseract failed or took too long, or the picture is damaged)."
                    " Nothing was written; build again, or draw a box over the picture by hand."
                )


def _redact_one(
    doc: Document,
    prepared: Prepared,
    targets: list[Target],
    boxes: list[RedactionBox],
    target: Path,
    sidecar: Path,
    cache: Path,
    ocr_workers: int,
    work: Path | None = None,
) -> _Redacted:
    from bundler.core.anonymise.pdf.redact import redact_pdf

    password = doc.password if prepared.converter == "source-pdf" else None
    # in the build's own folder: a worker killed on cancel leaves nothing behind once the build ends
    with tempfile.TemporaryDirectory(prefix="bundler-redact-", dir=work) as tmp:
        out = Path(tmp) / "redacted.pdf"
        # pypdf reads back only the pages redaction changed: the leak gate then searches every
        # page of the document with pypdf (its chunk alone, or the bundle), and refuses a hit
        report = redact_pdf(prepared.pdf, out, targets, boxes, password=password, read_untouched=False)
        if prepared.pictured:
            _still_pictured(doc, prepared, out, targets, cache, ocr_workers)
        done = _Redacted(_changes_of(doc.id, report, targets, boxes), report.textless)
        atomic_write_bytes(target, out.read_bytes())
    atomic_write_bytes(
        sidecar, json.dumps({"changes": [asdict(c) for c in done.changes], "textless": done.textless}).encode()
    )
    return done


@dataclass
class _Redacted:
    """What redacting a document gave: its changes, and its pages with no text (0-based), which
    the redactor read anyway (OCR off: ``ocr.stage.warn_unread`` needs no second reading)."""

    changes: list[Change]
    textless: list[int] | None


def _sidecar(path: Path) -> _Redacted | None:
    """What a stored redaction changed; None when it is missing or unreadable (redact again)."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(stored, list):  # written before the pages without text were kept
            return _Redacted([_change(c) for c in stored], None)
        return _Redacted([_change(c) for c in stored["changes"]], [int(p) for p in stored["textless"]])
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _change(stored: dict[str, object]) -> Change:
    change = Change(**stored)  # type: ignore[arg-type]
    fields = (change.doc_id, change.category, change.action, change.reason, change.where)
    if not all(isinstance(f, str) for f in fields) or not isinstance(change.page, int | None):
        raise TypeError("not a change")
    return change


@dataclass
class _Job:
    """One document to redact into the cache (picklable: it may go to a worker process)."""

    doc: Document
    prepared: Prepared
    targets: list[Target]
    boxes: list[RedactionBox]
    target: Path
    sidecar: Path
    cache: Path
    ocr_workers: int  # Tesseracts at once for the pictures still to check; 0: one per core
    work: Path | None = None  # the build's temporary folder


def _redact_job(job: _Job) -> _Redacted:
    return _redact_one(
        job.doc, job.prepared, job.targets, job.boxes, job.target, job.sidecar, job.cache, job.ocr_workers, job.work
    )


def _pages(job: _Job) -> int:
    return page_count(job.prepared.pdf, job.doc.password if job.prepared.converter == "source-pdf" else None)


def redact_prepared(ctx: BuildContext, jobs: list[SourceJob], prepared: dict[str, Prepared]) -> dict[str, Prepared]:
    """Truly redacted copies of every PDF that has a target or a manual box.

    Cached copies are taken first; the others are redacted one per core (``spread``),
    their changes put back in the documents' order."""
    bundle, targets, cache, progress, changes = ctx.bundle, ctx.targets, ctx.cache, ctx.progress, ctx.changes
    boxes: dict[str, list[RedactionBox]] = defaultdict(list)
    for box in bundle.register.boxes:
        boxes[box.document_id].append(box)
    keys = {job.doc_id: job for job in jobs}
    fingerprint = targets_fingerprint(targets)
    result = dict(prepared)
    progress.stage("Redacting", len(prepared), "document")
    found: dict[str, _Redacted] = {}
    todo: list[_Job] = []
    for _, doc in bundle.documents():
        if doc.id not in prepared:
            continue  # redacted in another pass (PDFs go first, while DOCX convert)
        check_cancel(progress)
        if targets or boxes[doc.id]:
            check_box_bases(doc, boxes[doc.id], keys[doc.id], prepared[doc.id])
            box_key = json.dumps([(b.page, b.rect, b.reason) for b in boxes[doc.id]])
            # the prepared file's name says whether it was OCR'd, which changes what is found;
            # a changed redactor never reuses what an older one made
            key = _key(keys[doc.id].key, prepared[doc.id].pdf.name, fingerprint, box_key, redactor_version())
            target, sidecar = cache / f"{key}.redacted.pdf", cache / f"{key}.redacted.json"
            result[doc.id] = dataclasses.replace(prepared[doc.id], pdf=target)
            stored = _sidecar(sidecar) if target.exists() else None
            if stored is None:
                job = _Job(doc, prepared[doc.id], targets, boxes[doc.id], target, sidecar, cache, 0, ctx.work)
                todo.append(dataclasses.replace(job, ocr_workers=ctx.options.ocr_workers))
                continue  # its progress step comes when it is redacted
            found[doc.id] = stored
        progress.advance()
    by_target = {job.target: job for job in todo}  # the same file added twice is redacted once
    redacted = spread(_redact_job, list(by_target.values()), [_pages(job) for job in by_target.values()], progress)
    made = dict(zip(by_target, redacted, strict=True))
    progress.advance(len(todo) - len(by_target))
    found.update((job.doc.id, made[job.target]) for job in todo)
    for _, doc in bundle.documents():
        done = found.get(doc.id) if doc.id in prepared else None
        if done is not None:
            # a stored redaction is shared by every document with the same file, name and
            # register (another project's, a removed and re-added one's): its changes are this one's
            changes += [dataclasses.replace(c, doc_id=doc.id) for c in done.changes]
            if done.textless is not None:
                ctx.textless[doc.id] = done.textless
    return result
