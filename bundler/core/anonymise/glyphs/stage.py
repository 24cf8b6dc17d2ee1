"""Fail closed on uncertain text: such pages become pictures before OCR and redaction.

A page drawn with a font whose characters we cannot know for certain
(``doubt.page_doubts``) is replaced by a rendering of itself, so the recipe
that follows treats it as a scan: OCR reads the words from the pixels, the
redactor finds protected text in that OCR layer and burns its boxes into the
picture, and the gate checks what is left. Results are cached by content, and
so is "nothing doubtful", so a rebuild renders nothing.

Converted DOCX have certain text, but their pictures (a pasted scan, a signature)
are read too, and so are words drawn as shapes (``vectors``). A page made a
picture because a picture on it (or its shapes) shows a protected
term is remembered (``Prepared.pictured``): after redaction its pictures are read
again, and a term still shown there stops the build (``anonymise.stage``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium
from PIL import Image
from pypdf import PageObject, PdfWriter
from pypdf.generic import ArrayObject, IndirectObject

from bundler.core.anonymise.glyphs.ahead import PicturesAhead
from bundler.core.anonymise.glyphs.doubt import page_doubts, page_unverifiable
from bundler.core.anonymise.glyphs.vectors import drawn_words, may_draw_words
from bundler.core.anonymise.pdf.images import ImageReader, image_texts, may_show_pictures
from bundler.core.anonymise.pdf.raster import image_only_page, render_redacted
from bundler.core.anonymise.terms import Target, find_matches, targets_fingerprint
from bundler.core.build.context import BuildContext
from bundler.core.convert.chain import Prepared, SourceJob
from bundler.core.errors import LeakError
from bundler.core.fsutil import atomic_output, atomic_write_bytes
from bundler.core.model import Document
from bundler.core.ocr.pool import TesseractPool
from bundler.core.ocr.tesseract import find_tesseract, ocr_remedy
from bundler.core.pdf.sources import open_pdf
from bundler.core.progress import NullProgress, Progress, check_cancel

__all__ = ["doubtful_pages", "pictured_words", "picture_verdict", "rasterise_doubtful", "legible_prepared"]

_HAS_TEXT = ("libreoffice", "builtin")  # our converters write a ToUnicode map for every font: pictures only
_DPI = 300  # as for OCR: small print must stay legible to Tesseract
_LOOK_DPI = 200  # the visual check of a page whose font cannot be checked: body text is legible at this
Decoded = Callable[[], list[Image.Image]]


def _text(document: pdfium.PdfDocument, index: int) -> str:
    textpage = document[index].get_textpage()
    try:
        return str(textpage.get_text_range())
    finally:
        textpage.close()


def _has_text(document: pdfium.PdfDocument, index: int) -> bool:
    return any(not c.isspace() for c in _text(document, index))


def _shown_words(page: PageObject, targets: list[Target], images: ImageReader, ahead: Decoded | None) -> bool:
    """A picture, or shapes drawn like letters, show a protected term."""
    return pictured_words(page, targets, images, ahead) or drawn_words(page, targets, images)


def picture_verdict(
    page: PageObject, targets: list[Target], images: ImageReader, ahead: Decoded | None = None
) -> Literal["clean", "shows", "unreadable"]:
    """Whether a picture on ``page`` shows a protected term, or could not be read (not decoded,
    or Tesseract failed or took too long). ``ahead``: the page's pictures, decoded and being
    read since before it was reached."""
    try:
        texts = image_texts(page, images, ahead() if ahead else None)
    except Exception:  # noqa: BLE001 - a picture we cannot decode or read is not vouched for
        return "unreadable"
    return "shows" if any(find_matches(text, targets, ocr=True) for text in texts) else "clean"


def pictured_words(page: PageObject, targets: list[Target], images: ImageReader, ahead: Decoded | None = None) -> bool:
    """Whether a picture on ``page`` shows a protected term (or could not be read)."""
    return picture_verdict(page, targets, images, ahead) != "clean"


def doubtful_pages(
    pdf: Path, password: str | None = None, targets: list[Target] | None = None, images: ImageReader | None = None
) -> list[int]:
    """Pages of ``pdf`` to read from their pixels: text not known for certain, or a
    protected term in a picture on a page that has text (OCR would not see it)."""
    doubts, pictured = _pages_to_picture(pdf, password, targets, images)
    return sorted(set(doubts) | set(pictured))


class _PageChecks:
    """What the stage asks of a page more than once (before it is reached, to read its
    pictures ahead, and when it is), each answered once."""

    def __init__(self, pages: Sequence[PageObject], document: pdfium.PdfDocument, fonts: bool, reading: bool) -> None:
        self._pages, self._document, self._fonts, self._reading = pages, document, fonts, reading
        self._doubtful: dict[int, bool] = {}
        self._has_text: dict[int, bool] = {}

    def doubtful(self, index: int) -> bool:
        """A font on the page draws text not known for certain."""
        if index not in self._doubtful:
            self._doubtful[index] = self._fonts and bool(page_doubts(self._pages[index]))
        return self._doubtful[index]

    def wants_pictures(self, index: int) -> bool:
        """The page has text (OCR of the page would not read its pictures) and may show words
        in pictures or shapes, and no doubt makes it a picture anyway."""
        if not self._reading or self.doubtful(index):
            return False
        if index not in self._has_text:
            # the cheap look first: a page with no picture and few curves shows no words but its text
            page = self._pages[index]
            shows = may_show_pictures(page) or may_draw_words(page)
            self._has_text[index] = shows and _has_text(self._document, index)
        return self._has_text[index]


def _pages_to_picture(
    pdf: Path,
    password: str | None,
    targets: list[Target] | None,
    images: ImageReader | None,
    *,
    fonts: bool = True,
    progress: Progress | None = None,
) -> tuple[list[int], list[int]]:
    """(pages with uncertain text, pages with a picture showing a protected term)."""
    reader = open_pdf(pdf, password)
    document = pdfium.PdfDocument(str(pdf), password=password)
    checks = _PageChecks(reader.pages, document, fonts, bool(targets and images and images.available))
    ahead = _ahead(reader.pages, checks, images)
    doubts: list[int] = []
    pictured: list[int] = []
    progress = progress or NullProgress()
    try:
        for i, page in enumerate(reader.pages):
            check_cancel(progress)  # a page at a time: a long document must not hold a cancel back
            if checks.doubtful(i) or (fonts and _unverifiable_shows_more(page, document, i, targets, images)):
                doubts.append(i)
            elif (
                checks.wants_pictures(i)
                and images is not None
                and _shown_words(page, targets or [], images, _decoded(ahead, i))
            ):
                pictured.append(i)
            progress.advance()
        return doubts, pictured
    finally:
        document.close()


def _decoded(ahead: PicturesAhead | None, index: int) -> Decoded | None:
    return partial(ahead.pictures, index) if ahead is not None else None


def _ahead(pages: Sequence[PageObject], checks: _PageChecks, images: ImageReader | None) -> PicturesAhead | None:
    """Pictures read ahead, one page per Tesseract of the pool; none without a pool."""
    if images is None or images.pool is None:
        return None
    return PicturesAhead(pages, checks.wants_pictures, images, images.pool.workers)


def _unverifiable_shows_more(
    page: PageObject, document: pdfium.PdfDocument, index: int, targets: list[Target] | None, images: ImageReader | None
) -> bool:
    """A page drawing a Type0 font whose ToUnicode map nothing in the file can check,
    whose pixels show a protected term its extracted text does not have."""
    return bool(targets) and page_unverifiable(page) and _hidden_term(document, index, targets or [], images)


def _hidden_term(document: pdfium.PdfDocument, index: int, targets: list[Target], images: ImageReader | None) -> bool:
    """Whether OCR of the page shows a protected term its extracted text does not have.

    The glyphs may show a name the ToUnicode map hides. True without Tesseract
    (the page is then refused, as a page of uncertain text is).
    """
    if images is None or not images.available:
        return True
    page = document[index]
    try:
        image = page.render(scale=_LOOK_DPI / 72, may_draw_forms=False, draw_annots=False, grayscale=True).to_pil()
    finally:
        page.close()
    seen = {m.target.text for m in find_matches(images.page_text(image), targets, ocr=True)}
    if not seen:
        return False
    extracted = {m.target.text for m in find_matches(_text(document, index), targets)}
    return not seen <= extracted


def _annotations(page: PageObject) -> list[IndirectObject]:
    """The page's annotations, kept as they were: they are not in the rendering."""
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else None
    return [a for a in annots if isinstance(a, IndirectObject)] if isinstance(annots, ArrayObject) else []


def rasterise_doubtful(src: Path, dst: Path, pages: list[int], password: str | None = None) -> None:
    """Write to ``dst`` a copy of ``src`` with ``pages`` replaced by pictures of themselves."""
    writer = PdfWriter(clone_from=open_pdf(src, password))
    document = pdfium.PdfDocument(str(src), password=password)
    try:
        for index in pages:
            page = document[index]
            try:
                image, bbox = render_redacted(page, [], _DPI)
            finally:
                page.close()
            target = writer.pages[index]
            image_only_page(writer, target, image, bbox, _annotations(target))
    finally:
        document.close()
    with atomic_output(dst) as out:
        writer.write(out)


def _legible_one(
    ctx: BuildContext, doc: Document, prepared: Prepared, files: tuple[Path, Path], images: ImageReader
) -> Prepared:
    target, marker = files
    password = _password(doc, prepared)
    fonts = prepared.converter not in _HAS_TEXT
    doubts, pictured = _pages_to_picture(
        prepared.pdf, password, ctx.targets, images, fonts=fonts, progress=ctx.progress
    )
    pages = sorted(set(doubts) | set(pictured))
    if not pages:
        atomic_write_bytes(marker, b"")
        return prepared
    shown = ", ".join(str(i + 1) for i in pages[:8]) + (" …" if len(pages) > 8 else "")
    if ctx.targets and (ctx.bundle.options.ocr == "off" or find_tesseract() is None):
        # made a picture and never read, a name on such a page would be in the bundle unseen
        raise LeakError(
            f"'{Path(doc.path).name}' page(s) {shown} have text that cannot be read for certain, and without "
            f"OCR protected names on them cannot be found. {ocr_remedy()} Or leave the document out of the "
            "public bundle. Nothing was written."
        )
    rasterise_doubtful(prepared.pdf, target, pages, password)
    atomic_write_bytes(_pictured_file(target), json.dumps(pictured).encode())
    ctx.report.notes.append(
        f"{Path(doc.path).name}: {'page' if len(pages) == 1 else 'pages'} {shown} "
        f"{'has' if len(pages) == 1 else 'have'} text we cannot read for certain or words in "
        "pictures; they were turned into pictures and OCR'd so that redaction can find every word"
    )
    return dataclasses.replace(prepared, pdf=target, pictured=tuple(pictured))


def _pictured_file(target: Path) -> Path:
    return target.with_name(f"{target.stem}.pictured.json")


def _cached(prepared: Prepared, target: Path) -> Prepared:
    try:
        pictured = tuple(int(i) for i in json.loads(_pictured_file(target).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, RecursionError):
        pictured = ()
    return dataclasses.replace(prepared, pdf=target, cached=True, pictured=pictured)


def _password(doc: Document, prepared: Prepared) -> str | None:
    return doc.password if prepared.converter == "source-pdf" else None


def _page_count(doc: Document, prepared: Prepared) -> int:
    document = pdfium.PdfDocument(str(prepared.pdf), password=_password(doc, prepared))
    try:
        return len(document)
    finally:
        document.close()


def _stage_name(ctx: BuildContext) -> str:
    reading = ctx.bundle.options.ocr != "off" and find_tesseract() is not None
    return "Looking for protected names in pictures" if reading else "Checking the fonts"


def legible_prepared(ctx: BuildContext, jobs: list[SourceJob], prepared: dict[str, Prepared]) -> dict[str, Prepared]:
    """``prepared`` with every page of uncertain text made a picture (public builds only).

    One stage for all the documents, counted in pages; the pictures are read one
    Tesseract per usable core (``BuildOptions.ocr_workers`` to choose fewer)."""
    if not ctx.redacting:
        return prepared
    keys = {job.doc_id: job.key for job in jobs}
    fingerprint = targets_fingerprint(ctx.targets)  # which pictures matter depends on the register
    result = dict(prepared)
    todo: list[tuple[Document, tuple[Path, Path]]] = []
    for _, doc in ctx.bundle.documents():
        if doc.id not in prepared:
            continue
        check_cancel(ctx.progress)
        key = hashlib.sha256(f"{keys[doc.id]}.{prepared[doc.id].pdf.stem}.{fingerprint}".encode()).hexdigest()[:40]
        target, marker = ctx.cache / f"{key}.legible.pdf", ctx.cache / f"{key}.legible-none"
        if target.exists() and _pictured_file(target).exists():
            result[doc.id] = _cached(prepared[doc.id], target)
        elif not marker.exists():
            todo.append((doc, (target, marker)))
    if todo:
        ctx.progress.stage(_stage_name(ctx), sum(_page_count(d, prepared[d.id]) for d, _ in todo), "page")
    with TesseractPool(ctx.options.ocr_workers, ctx.progress) as pool:
        images = ImageReader(ctx.cache, pool)
        for doc, files in todo:
            result[doc.id] = _legible_one(ctx, doc, prepared[doc.id], files, images)
    return result
