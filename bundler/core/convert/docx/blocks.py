"""Block-level content of a Word story (body, cell, header, note) as platypus flowables."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from io import BytesIO
from typing import Any

from docx.oxml.ns import qn
from PIL import Image as PILImage
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from bundler.core.convert.docx.context import RenderContext
from bundler.core.convert.docx.fonts import RunProps, face_for, label_face, run_markup
from bundler.core.convert.docx.inline import BoxItem, ImageItem, Item, PageBreakItem, paragraph_items
from bundler.core.convert.docx.numbering import Level
from bundler.core.convert.docx.props import Element, ParaProps, apply_ppr, apply_rpr, child
from bundler.core.convert.docx.tables import table_flowables

__all__ = ["blocks", "FitImage"]

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_LINE_HEIGHT = 1.17  # DejaVu's ascent + descent per point of size, close to Word's fonts
_TAG = re.compile(r"<[^>]*>")
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


class FitImage(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """An image at its size in the document, shrunk (never enlarged) to fit the frame."""

    def __init__(self, reader: ImageReader, size: tuple[float, float], limit: float, align: str):
        super().__init__()
        self._reader, self._size, self._limit = reader, size, limit
        self.hAlign = {"center": "CENTER", "right": "RIGHT"}.get(align, "LEFT")

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        max_height = min(getattr(frame, "_aH", avail_height), self._limit)
        width, height = self._size
        scale = min(1.0, avail_width / width, max_height / height)
        self.width, self.height = width * scale, height * scale
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self._reader, 0, 0, self.width, self.height, mask="auto")


def _image(item: ImageItem, props: ParaProps, mark: RunProps, limit: float) -> Flowable:
    try:
        with PILImage.open(BytesIO(item.data)) as img:
            img.load()  # fail here, not half-way through writing the PDF
        size = (item.width, item.height)
        return FitImage(ImageReader(BytesIO(item.data)), size, limit, props.align)
    except Exception:  # noqa: BLE001 - any undecodable picture (EMF, WMF, damaged) gets a marker
        style = ParagraphStyle("img", fontName=face_for(mark), fontSize=mark.size)
        return Paragraph(run_markup("[picture not shown]", RunProps(italic=True, size=mark.size)), style)


def _leading(props: ParaProps, size: float) -> float:
    natural = size * _LINE_HEIGHT
    if props.line_rule == "exact":
        return max(props.line / 20.0, 1.0)
    if props.line_rule == "atLeast":
        return max(natural, props.line / 20.0)
    return natural * max(props.line, 60.0) / 240.0


def _style(
    props: ParaProps, mark: RunProps, first: bool, last: bool, label: tuple[str, RunProps] | None
) -> ParagraphStyle:
    style = ParagraphStyle(
        "docx",
        fontName=face_for(mark),
        fontSize=mark.size,
        leading=_leading(props, mark.size),
        autoLeading="" if props.line_rule == "exact" else "max",
        alignment=_ALIGN[props.align],
        leftIndent=max(props.left, 0.0),
        rightIndent=max(props.right, 0.0),
        firstLineIndent=props.first if first and label is None else 0.0,
        spaceBefore=props.before if first else 0.0,
        spaceAfter=props.after if last else 0.0,
        keepWithNext=int(props.keep_next and last),
    )
    if label is not None:
        text, label_props = label
        style.bulletFontName = label_face(label_props, text)
        style.bulletFontSize = label_props.size
        style.bulletIndent = max(props.left + props.first, 0.0)
    return style


def _paragraph(markup: str, style: ParagraphStyle, label: str | None) -> Flowable:
    try:
        return Paragraph(markup, style, bulletText=label)
    except ValueError:  # markup reportlab cannot parse: keep the words, lose the styling
        return Paragraph(_TAG.sub("", markup), style, bulletText=label)


def _chunks(items: list[Item]) -> list[str | Item]:
    """Join markup between breaks, pictures and text boxes."""
    out: list[str | Item] = []
    for item in items:
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] += item
        else:
            out.append(item)
    return out


def _numbering(
    p_props: ParaProps, ppr: Element | None, ctx: RenderContext, base: ParaProps
) -> tuple[ParaProps, str | None, Level | None]:
    if not p_props.num_id or p_props.num_id == "0":
        return p_props, None, None
    found = ctx.numbering.next_label(p_props.num_id, p_props.ilvl)
    if found is None:
        return p_props, None, None
    text, level = found
    # Numbering indents sit between the paragraph style and direct formatting.
    return apply_ppr(apply_ppr(base, level.ppr), ppr), text, level


def _same_style(el: Element | None, style_id: str) -> bool:
    if el is None or el.tag != qn("w:p"):
        return False
    style = child(child(el, "pPr"), "pStyle")
    return (style.get(qn("w:val"), "") if style is not None else "") == style_id


def _contextual(props: ParaProps, p: Element, style_id: str) -> ParaProps:
    """Word drops the spacing between neighbours of one style when contextualSpacing is set."""
    if not props.contextual:
        return props
    before = 0.0 if _same_style(p.getprevious(), style_id) else props.before
    after = 0.0 if _same_style(p.getnext(), style_id) else props.after
    return replace(props, before=before, after=after)


@dataclass(frozen=True)
class _Layout:
    """What every piece of one paragraph shares."""

    props: ParaProps
    mark: RunProps
    label: str | None
    label_props: RunProps | None


def paragraph(p: Element, ctx: RenderContext, width: float, table_style: str = "") -> list[Flowable]:
    ppr = child(p, "pPr")
    style_el = child(ppr, "pStyle")
    style_id = "" if style_el is None else style_el.get(qn("w:val"), "")
    base_props, base_run = ctx.sheet.paragraph(style_id, table_style)
    props, label, level = _numbering(apply_ppr(base_props, ppr), ppr, ctx, base_props)
    mark = ctx.sheet.run(base_run, child(ppr, "rPr"))
    label_props = apply_rpr(mark, level.rpr, ctx.sheet.theme) if level is not None else None
    layout = _Layout(_contextual(props, p, style_id), mark, label, label_props)
    chunks = _chunks(paragraph_items(p, ctx, base_run))
    out: list[Flowable] = [PageBreakIfNotEmpty()] if props.break_before else []
    if not chunks and mark.hidden and label is None:
        return out  # a hidden, empty paragraph takes no room
    return out + _compose(chunks or [""], layout, ctx, width)


def _compose(chunks: list[str | Item], layout: _Layout, ctx: RenderContext, width: float) -> list[Flowable]:
    """Text pieces become paragraphs; spacing before goes on the first, after on the last."""
    texts = [i for i, c in enumerate(chunks) if isinstance(c, str) and (c or len(chunks) == 1)]
    out: list[Flowable] = []
    for index, chunk in enumerate(chunks):
        if not isinstance(chunk, str):
            out.extend(_item(chunk, layout.props, layout.mark, ctx, width))
        elif index in texts:
            out.append(_text(chunk, layout, index == texts[0], index == texts[-1]))
    return out


def _text(markup: str, layout: _Layout, first: bool, last: bool) -> Flowable:
    label = layout.label if first else None
    numbered = (label, layout.label_props) if label and layout.label_props else None
    style = _style(layout.props, layout.mark, first, last, numbered)
    if markup or label:
        return _paragraph(markup, style, label)
    return Spacer(1, style.leading + style.spaceBefore + style.spaceAfter)


def _item(item: Item, props: ParaProps, mark: RunProps, ctx: RenderContext, width: float) -> list[Flowable]:
    if isinstance(item, PageBreakItem):
        return [PageBreak()]
    if isinstance(item, ImageItem):
        return [_image(item, props, mark, ctx.max_height)]
    if isinstance(item, BoxItem):
        return blocks(item.content, ctx, width)
    return []


def block(el: Element, ctx: RenderContext, width: float, table_style: str = "") -> list[Flowable]:
    if el.tag == qn("w:p"):
        return paragraph(el, ctx, width, table_style)
    if el.tag == qn("w:tbl"):
        return table_flowables(el, ctx, width, blocks)
    if el.tag == qn("w:sdt"):
        content = child(el, "sdtContent")
        return [] if content is None else blocks(content, ctx, width, table_style)
    if el.tag == qn("w:customXml"):
        return blocks(el, ctx, width, table_style)
    if el.tag == f"{_MC}AlternateContent":
        choice = el.find(f"{_MC}Choice")
        return [] if choice is None else blocks(choice, ctx, width, table_style)
    return []


def blocks(container: Element, ctx: RenderContext, width: float, table_style: str = "") -> list[Any]:
    """Flowables for every paragraph and table directly inside ``container``."""
    out: list[Flowable] = []
    for el in container:
        out.extend(block(el, ctx, width, table_style))
    return out
