"""The OCR stage of a build: scanned pages get a text layer before redaction.

It runs before redaction on purpose: a name that exists only in a scan's pixels
becomes text that redaction finds, boxes and burns into the image, and that the
leak gate can see. Results are cached by content, and so is "nothing to OCR",
so a rebuild scans nothing. Without Tesseract the build goes on and says how to
make the pages searchable.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

from bundler.core.build.context import BuildContext
from bundler.core.convert.chain import Prepared, SourceJob
from bundler.core.fsutil import atomic_output, atomic_write_bytes
from bundler.core.model import Document
from bundler.core.naming import plural
from bundler.core.ocr.recognise import ocr_pdf
from bundler.core.ocr.tesseract import ocr_remedy
from bundler.core.progress import Progress, check_cancel

__all__ = ["ocr_prepared"]

_HAS_TEXT = ("libreoffice", "builtin")  # converted DOCX: their text is real text


def _ocr_one(
    doc: Document, prepared: Prepared, target: Path, marker: Path, progress: Progress, notes: list[str], when: str
) -> Prepared:
    password = doc.password if prepared.converter == "source-pdf" else None
    with tempfile.TemporaryDirectory(prefix="bundler-ocr-") as tmp:
        report = ocr_pdf(prepared.pdf, Path(tmp) / "ocr.pdf", password=password, progress=progress)
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


def ocr_prepared(
    ctx: BuildContext, jobs: list[SourceJob], prepared: dict[str, Prepared], when: str = ""
) -> dict[str, Prepared]:
    """``prepared`` with every scanned page of the given documents made searchable."""
    bundle, cache, progress, notes = ctx.bundle, ctx.cache, ctx.progress, ctx.report.notes
    if bundle.options.ocr == "off":
        return prepared
    keys = {job.doc_id: job.key for job in jobs}
    result = dict(prepared)
    for _, doc in bundle.documents():
        if doc.id not in prepared or (prepared[doc.id].converter in _HAS_TEXT and not prepared[doc.id].pictured):
            continue  # a converted DOCX is read only where a page of it was made a picture
        check_cancel(progress)
        # the prepared file's name tells a source from its redacted copy (OCR'd again after
        # redaction, as rasterised pages lose their text layer)
        key = f"{keys[doc.id]}.{prepared[doc.id].pdf.stem}"
        target, marker = cache / f"{key}.ocr.pdf", cache / f"{key}.ocr-none"
        if target.exists():
            result[doc.id] = dataclasses.replace(prepared[doc.id], pdf=target, cached=True)
        elif not marker.exists():
            result[doc.id] = _ocr_one(doc, prepared[doc.id], target, marker, progress, notes, when)
    return result
