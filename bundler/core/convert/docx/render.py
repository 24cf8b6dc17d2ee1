"""The built-in DOCX → PDF converter: python-docx in, reportlab out (PRODUCT.md §4).

It is the last link of the converter chain, used when neither Word nor LibreOffice
is available, so it must always produce a PDF whose text is complete, in order and
searchable: paragraphs and styles, lists, tables, pictures, breaks and sections,
headers and footers, and footnotes and endnotes gathered at the end. Tracked
changes are shown accepted; comments are left out.
"""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from reportlab.lib import colors
from reportlab.platypus import BaseDocTemplate, Flowable, NextPageTemplate, PageBreak, Spacer
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import HRFlowable

from bundler.core.convert.docx.blocks import block, blocks
from bundler.core.convert.docx.context import Notes, RenderContext, part_element
from bundler.core.convert.docx.fonts import register_fonts
from bundler.core.convert.docx.numbering import Numbering
from bundler.core.convert.docx.pages import Section, page_templates, read_sections
from bundler.core.convert.docx.props import Element, StyleSheet, child
from bundler.core.errors import ConversionError

__all__ = ["render_docx"]

_UNREADABLE = (
    "cannot be read as a Word document",
    "Open it in Word and save it again as .docx, or convert it to PDF yourself and add the PDF.",
)
_UNRENDERABLE = (
    "could not be laid out by the built-in Word converter",
    "Install LibreOffice to convert it, or convert it to PDF yourself and add the PDF.",
)
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_PROBLEM = (
    "is password-protected or an old-style .doc file",
    "Open it in Word, remove any password and save it as .docx, or convert it to PDF yourself and add the PDF.",
)
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def render_docx(src: Path, dst: Path) -> None:
    """Convert the Word document ``src`` to a PDF written at ``dst``.

    Raises ConversionError, naming the file, when it is not a readable .docx.
    """
    document = _open(src)
    register_fonts()
    dst.write_bytes(_render(document, src))


def _open(src: Path) -> Any:
    if not src.is_file():
        raise ConversionError(src, "cannot be found", "Check that the file is still there, then add it again.")
    if _is_ole(src):
        raise ConversionError(src, *_OLE_PROBLEM)
    try:
        document = docx.Document(str(src))
        if document.element.body is None:
            raise ValueError("no document body")
    except Exception as exc:  # noqa: BLE001 - zip, XML and package errors all mean "not a readable .docx"
        raise ConversionError(src, *_UNREADABLE) from exc
    return document


def _is_ole(src: Path) -> bool:
    """Old binary .doc files and encrypted .docx files are both OLE compound files."""
    try:
        with open(src, "rb") as fh:
            return fh.read(len(_OLE_SIGNATURE)) == _OLE_SIGNATURE
    except OSError:
        return False  # the open below reports it


def _render(document: Any, src: Path) -> bytes:
    """Lay the document out; after a layout failure retry once with tables flattened."""
    failure: Exception | None = None
    for safe in (False, True):
        try:
            data, ctx, pages = _build(document, safe, total=0)
            if ctx.fields.uses_total:  # NUMPAGES needs the page count of a first pass
                data, _, _ = _build(document, safe, total=pages)
            return data
        except LayoutError as exc:
            failure = exc
        except Exception as exc:  # noqa: BLE001 - a damaged part must not surface as a traceback
            raise ConversionError(src, *_UNRENDERABLE) from exc
    raise ConversionError(src, *_UNRENDERABLE) from failure


def _related(part: Any, reltype: str) -> tuple[Element | None, Any]:
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return part_element(rel.target_part), rel.target_part
    return None, None


def _theme_fonts(document: Any) -> dict[str, str]:
    theme, _ = _related(document.part, RT.THEME)
    fonts: dict[str, str] = {}
    for kind in ("major", "minor"):
        latin = None if theme is None else theme.find(f".//{_A}{kind}Font/{_A}latin")
        if latin is not None and latin.get("typeface"):
            fonts[kind] = latin.get("typeface")
    return fonts


def _context(document: Any, safe: bool, total: int, sections: list[Section]) -> RenderContext:
    styles, _ = _related(document.part, RT.STYLES)
    sheet = StyleSheet(styles, _theme_fonts(document))
    numbering, _ = _related(document.part, RT.NUMBERING)
    body_height = min(s.height - s.top - s.bottom for s in sections)
    ctx = RenderContext(sheet, Numbering(numbering, sheet), document.part, safe=safe, max_height=body_height * 0.85)
    ctx.fields.total = total
    return ctx


def _build(document: Any, safe: bool, total: int) -> tuple[bytes, RenderContext, int]:
    body = document.element.body
    sections = read_sections(body)
    ctx = _context(document, safe, total, sections)
    even_odd = bool(document.settings.odd_and_even_pages_header_footer)
    buffer = BytesIO()
    # No title or author: core properties may hold real names (see the leak gate).
    template = BaseDocTemplate(
        buffer,
        pagesize=(sections[0].width, sections[0].height),
        invariant=True,
        title="",
        author="",
        subject="",
        creator="bundler",
        producer="bundler",
        pageTemplates=page_templates(sections, even_odd, ctx),
    )
    story = _body(body, sections, ctx)
    story += _notes(document, ctx, sections[-1].frame_width)
    template.build(story or [Spacer(1, 1)])
    return buffer.getvalue(), ctx, template.page


def _body(body: Element, sections: list[Section], ctx: RenderContext) -> list[Flowable]:
    out: list[Flowable] = []
    index = 0
    for el in body:
        out.extend(block(el, ctx, sections[index].frame_width))
        ends_section = el.tag == qn("w:p") and child(child(el, "pPr"), "sectPr") is not None
        if ends_section and index + 1 < len(sections):
            index += 1
            out.append(NextPageTemplate(f"s{index}-first"))
            if sections[index].start != "continuous":
                out.append(PageBreak())
    return out


def _note_elements(document: Any, kind: str) -> tuple[dict[str, Element], Any]:
    root, part = _related(document.part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)
    notes = {} if root is None else {n.get(qn("w:id"), ""): n for n in root.iterfind(qn(f"w:{kind}"))}
    return notes, part


def _notes(document: Any, ctx: RenderContext, width: float) -> list[Flowable]:
    """Footnotes and endnotes after the body, numbered as the text refers to them."""
    refs = list(ctx.notes.refs)
    if not refs:
        return []
    out: list[Flowable] = [
        Spacer(1, 12),
        HRFlowable(width="33%", thickness=0.5, color=colors.black, hAlign="LEFT", spaceAfter=6),
    ]
    stores = {kind: _note_elements(document, kind) for kind in ("footnote", "endnote")}
    counts = {"footnote": 0, "endnote": 0}
    for kind, note_id in refs:
        counts[kind] += 1
        notes, part = stores[kind]
        if note_id in notes:
            label = Notes.label(kind, counts[kind])
            out.extend(blocks(notes[note_id], replace(ctx, part=part, note_label=label), width))
    return out
