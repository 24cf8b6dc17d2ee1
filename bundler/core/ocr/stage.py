"""The OCR stage of a build: scanned pages get a text layer before redaction.

It runs before redaction on purpose: a name that exists only in a scan's pixels
becomes text that redaction finds, boxes and burns into the image, and that the
leak gate can see. Results are cached by content, and so is "nothing to OCR",
so a rebuild scans nothing. Without Tesseract the build goes on and says how to
make the pages searchable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from bundler.core.anonymise.gate.finder import holds_target
from bundler.core.build.context import BuildContext
from bundler.core.convert.chain import Prepared, SourceJob
from bundler.core.errors import LeakError
from bundler.core.fsutil import atomic_output, atomic_write_bytes
from bundler.core.model import Document
from bundler.core.naming import plural
from bundler.core.ocr.pool import TesseractPool
from bundler.core.ocr.recognise import Withhold, ocr_pdf, pages_without_text
from bundler.core.ocr.tesseract import ocr_remedy
from bundler.core.progress import check_cancel

__all__ = ["ocr_prepared", "warn_unread"]

_HAS_TEXT = ("libreoffice", "builtin")  # converted DOCX: their text is real text


def _password(doc: Document, prepared: Prepared) -> str | None:
    return doc.password if prepared.converter == "source-pdf" else None


def _ocr_one(
    doc: Document,
    prepared: Prepared,
    todo: list[int],
    files: tuple[Path, Path],
    pool: TesseractPool,
    notes: list[str],
    when: str,
    withhold: Withhold | None = None,
) -> Prepared:
    target, marker = files
    with tempfile.TemporaryDirectory(prefix="bundler-ocr-") as tmp:
        report = ocr_pdf(
            prepared.pdf, Path(tmp) / "ocr.pdf", todo, password=_password(doc, prepared), pool=pool, withhold=withhold
        )
        if report.withheld:
            raise _joined_across(doc, report.withheld)
        if report.pages:  # its notes matter only when it did something
            notes += [f"{Path(doc.path).name}: {n}" for n in report.notes]
        if not report.available:
            notes.append(f"{Path(doc.path).name}: pages without a text layer are not searchable. {ocr_remedy()}")
            return prepared  # no marker: OCR them once Tesseract is installed
        if not report.pages:
            atomic_write_bytes(marker, b"")
            return prepared
        with atomic_output(target) as out:
            shutil.copyfile(report.output, out)
    notes.append(f"{Path(doc.path).name}: OCR gave {plural(len(report.pages), 'page')} a text layer{when}")
    return dataclasses.replace(prepared, pdf=target)


def _joined_across(doc: Document, pages: list[int]) -> LeakError:
    """A page read again after redaction spells a protected term: refused here, by name.

    Its text layer would hold the term, and the leak gate would refuse the bundle at the
    end. Withholding the layer instead is not safe: this reading is the only check of
    the picture the page became, and a name the redactor could not locate would show in
    it, unread by anything."""
    shown = ", ".join(str(p + 1) for p in pages)
    return LeakError(
        f"'{Path(doc.path).name}' page {shown}: after redaction the page reads as a protected term again,"
        ' most likely from the words either side of a redaction ("X X Y Y" with "X Y" redacted).'
        " Nothing was written. Draw a box over those words too (redact-box), then build again."
    )


def warn_unread(ctx: BuildContext, jobs: list[SourceJob], prepared: dict[str, Prepared]) -> None:
    """With OCR off, a public build cannot search a scan for protected names: say which pages,
    loudly, and let the gate's verdict say so too. Which pages have no text the redactor
    found as it read every page (``BuildContext.textless``); else it is read here, and kept
    in the cache."""
    if ctx.bundle.options.ocr != "off" or not ctx.targets:
        return
    keys = {job.doc_id: job.key for job in jobs}
    for _, doc in ctx.bundle.documents():
        pdf = prepared.get(doc.id)
        if pdf is None or not _needs_reading(pdf):
            continue
        which = hashlib.sha256(pdf.pdf.name.encode()).hexdigest()[:12]  # a file name may hold a name
        known = ctx.cache / f"{keys[doc.id]}.{which}.textless.json"
        if doc.id in ctx.textless:
            pages = ctx.textless[doc.id]
        elif (kept := _kept_pages(known)) is not None:
            pages = kept
        else:
            pages = pages_without_text(pdf.pdf, _password(doc, pdf))
            atomic_write_bytes(known, json.dumps(pages).encode())
        if pages:
            ctx.report.unread_pages += len(pages)
            shown = ", ".join(str(p + 1) for p in pages[:8]) + (" …" if len(pages) > 8 else "")
            verb, them = ("has", "it") if len(pages) == 1 else ("have", "them")
            ctx.report.warnings.append(
                f"{Path(doc.path).name}: {plural(len(pages), 'page')} ({shown}) {verb} no text layer and"
                f" OCR is off, so a protected name in {them} was not searched for or redacted."
                " Build with OCR on before filing this bundle."
            )


def _needs_reading(prepared: Prepared) -> bool:
    return prepared.converter not in _HAS_TEXT or bool(prepared.pictured)


def _files(ctx: BuildContext, key: str, prepared: Prepared) -> tuple[Path, Path]:
    """The cached OCR'd PDF and the "nothing to OCR" marker; the prepared file's name tells a
    source from its redacted copy (OCR'd again after redaction, as rasterised pages lose
    their text layer)."""
    stem = f"{key}.{prepared.pdf.stem}"
    return ctx.cache / f"{stem}.ocr.pdf", ctx.cache / f"{stem}.ocr-none"


def _todo(ctx: BuildContext, jobs: list[SourceJob], prepared: dict[str, Prepared]) -> dict[str, list[int]]:
    """The pages to OCR of every document not OCR'd before (no cached result, no marker)."""
    keys = {job.doc_id: job.key for job in jobs}
    todo = {}
    for _, doc in ctx.bundle.documents():
        if doc.id not in prepared or not _needs_reading(prepared[doc.id]):
            continue  # a converted DOCX is read only where a page of it was made a picture
        check_cancel(ctx.progress)
        target, marker = _files(ctx, keys[doc.id], prepared[doc.id])
        if not target.exists() and not marker.exists():
            todo[doc.id] = pages_without_text(prepared[doc.id].pdf, _password(doc, prepared[doc.id]))
    return todo


def ocr_prepared(
    ctx: BuildContext, jobs: list[SourceJob], prepared: dict[str, Prepared], when: str = ""
) -> dict[str, Prepared]:
    """``prepared`` with every scanned page of the given documents made searchable.

    One stage for all the documents ("OCR: page 12 of 40 — about 1 min left"), one
    Tesseract per usable core (``BuildOptions.ocr_workers`` to choose fewer)."""
    if ctx.bundle.options.ocr == "off":
        return prepared  # a public build says which pages went unread (``warn_unread``)
    keys = {job.doc_id: job.key for job in jobs}
    todo = _todo(ctx, jobs, prepared)
    result = dict(prepared)
    for doc_id, pdf in prepared.items():
        target, _ = _files(ctx, keys[doc_id], pdf)
        if doc_id not in todo and _needs_reading(pdf) and target.exists():
            result[doc_id] = dataclasses.replace(pdf, pdf=target, cached=True)
    for doc_id in [d for d, pages in todo.items() if not pages]:
        atomic_write_bytes(_files(ctx, keys[doc_id], prepared[doc_id])[1], b"")  # a rebuild looks no more
        del todo[doc_id]
    if not todo:
        return result
    total = sum(len(pages) for pages in todo.values())
    ctx.progress.stage("OCR again after redaction" if when else "OCR", total, "page")
    # Read again after redaction, a page shows the words either side of each box: when they
    # spell a protected term ("quashing ▮ order" once "quashing quashing order order" was
    # redacted), the build stops here, naming the page (``_joined_across``).
    targets = ctx.targets
    withhold = (lambda text: holds_target(text, targets)) if when and targets else None
    with TesseractPool(ctx.options.ocr_workers, ctx.progress) as pool:
        for _, doc in ctx.bundle.documents():
            if doc.id in todo:
                files = _files(ctx, keys[doc.id], prepared[doc.id])
                result[doc.id] = _ocr_one(
                    doc, prepared[doc.id], todo[doc.id], files, pool, ctx.report.notes, when, withhold
                )
    return result


def _kept_pages(known: Path) -> list[int] | None:
    """The pages without text an earlier build found, or None: not kept, or not readable (found again)."""
    try:
        return [int(p) for p in json.loads(known.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError, RecursionError):
        return None
