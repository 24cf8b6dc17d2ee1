"""The text of a skeleton argument or statement, in passages that know their page.

PDF: one passage per page, with pdfium's character numbering, so a match can be
located on the page again (for links). DOCX has no fixed pages: we count the
breaks Word recorded the last time it laid the document out
(``w:lastRenderedPageBreak``) or, for files Word never rendered, the hard page
breaks — an estimate, reported as such. Footnotes take the page of their mark.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pypdfium2 as pdfium
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from bundler.core.errors import SourceError

__all__ = ["Passage", "read_passages"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RENDERED, _BREAK, _TEXT, _TAB = f"{_W}lastRenderedPageBreak", f"{_W}br", f"{_W}t", f"{_W}tab"
_NOTE_MARKS = {f"{_W}footnoteReference": "footnote", f"{_W}endnoteReference": "endnote"}


@dataclass(frozen=True)
class Passage:
    text: str
    page: int  # 1-based page of the skeleton
    paragraph: int | None = None  # DOCX: 1-based paragraph in the body (notes: their mark's)
    pdf_chars: bool = False  # offsets into ``text`` are pdfium character indices on ``page``


def _pdf_passages(path: Path) -> list[Passage]:
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        problem = "is password-protected" if "password" in str(err).lower() else "cannot be read as a PDF"
        raise SourceError(path, problem, "Save an unprotected copy and try again") from None
    try:
        return [Passage(doc[i].get_textpage().get_text_range(), i + 1, pdf_chars=True) for i in range(len(doc))]
    finally:
        doc.close()


class _Walker:
    """Walks the body in document order, tracking the page and where note marks fall."""

    def __init__(self, rendered: bool) -> None:
        self.rendered = rendered  # Word's own layout recorded: trust it over hard breaks
        self.page, self.paragraph = 1, 0
        self.notes: dict[tuple[str, str], tuple[int, int]] = {}

    def _breaks(self, node: Any) -> bool:
        if self.rendered:
            return bool(node.tag == _RENDERED)
        return bool(node.tag == _BREAK and node.get(f"{_W}type") == "page")

    def paragraph_passages(self, para: Any) -> Iterator[Passage]:
        self.paragraph += 1
        if not self.rendered and para.find(f"{_W}pPr/{_W}pageBreakBefore") is not None:
            self.page += 1
        parts: list[str] = []
        for node in para.iter():
            if self._breaks(node):
                yield Passage("".join(parts), self.page, self.paragraph)
                parts, self.page = [], self.page + 1
            elif node.tag == _TEXT:
                parts.append(node.text or "")
            elif node.tag == _TAB:
                parts.append(" ")
            elif node.tag in _NOTE_MARKS:
                self.notes[(_NOTE_MARKS[node.tag], node.get(f"{_W}id", ""))] = (self.page, self.paragraph)
        yield Passage("".join(parts), self.page, self.paragraph)


def _note_passages(document: Any, kind: str, walker: _Walker) -> Iterator[Passage]:
    try:
        part = document.part.part_related_by(RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)
    except KeyError:
        return
    root = etree.fromstring(part.blob)
    for note in root.iter(f"{_W}{kind}"):
        page, paragraph = walker.notes.get((kind, note.get(f"{_W}id", "")), (walker.page, walker.paragraph))
        text = " ".join("".join(t.text or "" for t in p.iter(_TEXT)) for p in note.iter(f"{_W}p"))
        yield Passage(text, page, paragraph)


def _docx_passages(path: Path) -> list[Passage]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise SourceError(path, "is not a readable Word document", "Save it again from Word as .docx") from err
    body = document.element.body
    walker = _Walker(rendered=next(body.iter(_RENDERED), None) is not None)
    passages = [p for para in body.iter(f"{_W}p") for p in walker.paragraph_passages(para)]
    for kind in ("footnote", "endnote"):
        passages += _note_passages(document, kind, walker)
    return [p for p in passages if p.text.strip()]


def read_passages(path: Path) -> list[Passage]:
    """The skeleton's text (.pdf or .docx), passage by passage."""
    if not path.is_file():
        raise SourceError(path, "cannot be found", "Check the file name and folder")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _pdf_passages(path)
    if suffix == ".docx":
        return _docx_passages(path)
    raise SourceError(path, "is not a .docx or .pdf file", "Save the skeleton as .docx or PDF and try again")
