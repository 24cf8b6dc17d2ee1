"""A copy of a PDF skeleton whose bundle references open the bundle at the cited page.

Each valid reference gets a /Link over its own characters (pdfium's boxes) with a
/GoToR action: a file specification relative to the skeleton, so the pair can be
moved together, and an explicit page-index destination that keeps the reader's zoom.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

from bundler.core.fsutil import atomic_output
from bundler.core.pdf.opening import open_both

if TYPE_CHECKING:
    from bundler.core.xrefs.reference import Reference

__all__ = ["link_references"]

Rect = tuple[float, float, float, float]
PAD = 1.0  # points around the characters, so the link is easy to hit


def _rect(textpage: pdfium.PdfTextPage, start: int, length: int) -> Rect | None:
    boxes = [
        textpage.get_charbox(i) for i in range(start, start + length) if not textpage.get_text_range(i, 1).isspace()
    ]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes) - PAD,
        min(b[1] for b in boxes) - PAD,
        max(b[2] for b in boxes) + PAD,
        max(b[3] for b in boxes) + PAD,
    )


def _start(page_text: str, ref: Reference, taken: set[int]) -> int | None:
    """Where the reference is on its page: its recorded offset, else its next unlinked occurrence."""
    if ref.offset is not None and page_text[ref.offset : ref.offset + len(ref.text)] == ref.text:
        return ref.offset
    at = page_text.find(ref.text)
    while at in taken:
        at = page_text.find(ref.text, at + 1)
    return at if at >= 0 else None


def _annotation(rect: Rect, bundle_name: str, ref: Reference) -> DictionaryObject:
    name = TextStringObject(bundle_name.replace("\\", "/"))
    spec = DictionaryObject(
        {NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): name, NameObject("/UF"): name}
    )
    dest = ArrayObject(
        [NumberObject(ref.bundle_index or 0), NameObject("/XYZ"), NullObject(), NullObject(), NullObject()]
    )
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/GoToR"),
            NameObject("/F"): spec,
            NameObject("/D"): dest,
            NameObject("/NewWindow"): BooleanObject(True),
        }
    )
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/Contents"): TextStringObject(f"Open {ref.text} in {bundle_name}"),
            NameObject("/A"): action,
        }
    )


def _link_page(
    writer: PdfWriter, doc: pdfium.PdfDocument, index: int, refs: Iterable[Reference], bundle_name: str
) -> int:
    textpage = doc[index].get_textpage()
    page_text, made = textpage.get_text_range(), 0
    taken: set[int] = set()
    for ref in refs:
        start = _start(page_text, ref, taken)
        rect = _rect(textpage, start, len(ref.text)) if start is not None else None
        if start is None or rect is None:
            continue  # the text is not on this page of this PDF: nothing to put a link over
        taken.add(start)
        writer.add_annotation(index, _annotation(rect, bundle_name, ref))
        made += 1
    return made


def link_references(skeleton_pdf: Path, bundle_pdf_name: str, refs: list[Reference], dst: Path) -> int:
    """Write ``dst``: the skeleton with each valid reference linked into the bundle.

    ``bundle_pdf_name`` is the bundle's path relative to ``dst``'s folder (often just
    its file name). Returns how many links were made; broken references get none.
    """
    reader, doc = open_both(skeleton_pdf)
    try:
        writer = PdfWriter(clone_from=reader)
        by_page: dict[int, list[Reference]] = {}
        for ref in refs:
            if ref.status == "ok" and ref.bundle_index is not None and 1 <= ref.page_in_doc <= len(doc):
                by_page.setdefault(ref.page_in_doc - 1, []).append(ref)
        made = sum(_link_page(writer, doc, i, page_refs, bundle_pdf_name) for i, page_refs in by_page.items())
    finally:
        doc.close()
    with atomic_output(dst) as tmp:
        writer.write(tmp)
    return made
