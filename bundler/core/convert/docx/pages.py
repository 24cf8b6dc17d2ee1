"""Sections of a Word document as page templates: size, margins, headers and footers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from docx.oxml.ns import qn
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ActionFlowable, Flowable, Frame, PageTemplate

from bundler.core.convert.docx.blocks import blocks
from bundler.core.convert.docx.context import Fields, RenderContext
from bundler.core.convert.docx.numbering import format_number
from bundler.core.convert.docx.props import Element, child, twips

__all__ = ["Section", "read_sections", "page_templates"]

_A4 = (11906 / 20.0, 16838 / 20.0)
_INCH = 72.0


@dataclass(frozen=True)
class Section:
    """One ``w:sectPr``: page geometry in points plus how the section starts."""

    index: int
    sect_pr: Element
    width: float = _A4[0]
    height: float = _A4[1]
    left: float = _INCH
    right: float = _INCH
    top: float = _INCH
    bottom: float = _INCH
    header: float = 36.0
    footer: float = 36.0
    title_page: bool = False
    start: str = "nextPage"
    number_start: int | None = None
    number_format: str = "decimal"

    @property
    def frame_width(self) -> float:
        return max(self.width - self.left - self.right, 72.0)


def _margin(margins: Element | None, name: str, default: float = _INCH) -> float:
    value = twips(margins, name)
    return default if value is None else abs(value)  # a negative top margin still reserves it


def _section(index: int, sect_pr: Element) -> Section:
    size, margins = child(sect_pr, "pgSz"), child(sect_pr, "pgMar")
    width, height = twips(size, "w") or _A4[0], twips(size, "h") or _A4[1]
    if size is not None and size.get(qn("w:orient")) == "landscape" and width < height:
        width, height = height, width
    kind, numbers = child(sect_pr, "type"), child(sect_pr, "pgNumType")
    start = None if numbers is None else numbers.get(qn("w:start"))
    section = Section(
        index,
        sect_pr,
        width,
        height,
        left=_margin(margins, "left") + (twips(margins, "gutter") or 0.0),
        right=_margin(margins, "right"),
        top=_margin(margins, "top"),
        bottom=_margin(margins, "bottom"),
        header=_margin(margins, "header", 36.0),
        footer=_margin(margins, "footer", 36.0),
        title_page=child(sect_pr, "titlePg") is not None,
        start="nextPage" if kind is None else kind.get(qn("w:val"), "nextPage"),
        number_start=int(start) if start and start.isdigit() else None,
        number_format="decimal" if numbers is None else numbers.get(qn("w:fmt"), "decimal"),
    )
    # Keep a usable body area even when the margins claim (almost) the whole page.
    if section.top + section.bottom > height - 72:
        section = replace(section, top=min(section.top, _INCH), bottom=min(section.bottom, _INCH))
    if section.left + section.right > width - 72:
        section = replace(section, left=min(section.left, _INCH), right=min(section.right, _INCH))
    return section


def read_sections(body: Element) -> list[Section]:
    """Every section in document order: those ending at a paragraph, then the body's last."""
    found = [sp for p in body.iterfind(qn("w:p")) if (sp := child(child(p, "pPr"), "sectPr")) is not None]
    last = child(body, "sectPr")
    if last is not None:
        found.append(last)
    return [_section(i, sp) for i, sp in enumerate(found)] or [Section(0, None)]


def _story(
    sections: list[Section], index: int, kind: str, which: str, ctx: RenderContext
) -> tuple[Element | None, Any]:
    """Header/footer XML and part for a section; a section without its own inherits."""
    for section in reversed(sections[: index + 1]):
        if section.sect_pr is None:
            continue
        for ref in section.sect_pr.iterfind(qn(f"w:{kind}Reference")):
            if ref.get(qn("w:type"), "default") == which:
                rel = ctx.part.rels.get(ref.get(qn("r:id")))
                part = None if rel is None or rel.is_external else rel.target_part
                return getattr(part, "element", None), part
    return None, None


def _story_flowables(story: tuple[Element | None, Any], ctx: RenderContext, width: float) -> list[Flowable]:
    element, part = story
    if element is None:
        return []
    flows = blocks(element, replace(ctx, part=part), width)
    return [f for f in flows if not isinstance(f, ActionFlowable)]


def _height(flows: list[Flowable], width: float) -> float:
    return float(sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flows))


def _draw(canvas: Canvas, flows: list[Flowable], x: float, top: float, width: float) -> None:
    y = top
    for flow in flows:
        _, height = flow.wrap(width, 10_000)
        y -= flow.getSpaceBefore() + height
        flow.drawOn(canvas, x, y)
        y -= flow.getSpaceAfter()


def _which(section: Section, first: bool, page: int, even_odd: bool) -> str:
    if first and section.title_page:
        return "first"
    return "even" if even_odd and page % 2 == 0 else "default"


def _number_page(fields: Fields, section: Section, first: bool) -> None:
    """The page number the document shows: it runs on unless a section restarts it."""
    if first and section.number_start is not None:
        fields.number = section.number_start
    else:
        fields.number += 1
    fields.page = format_number(fields.number, section.number_format)


def _on_page(
    sections: list[Section],
    index: int,
    first: bool,
    even_odd: bool,
    ctx: RenderContext,
    canvas: Canvas,
    _doc: Any,
) -> None:
    section, page = sections[index], canvas.getPageNumber()
    _number_page(ctx.fields, section, first)
    which = _which(section, first, page, even_odd)
    width = section.frame_width
    header = _story_flowables(_story(sections, index, "header", which, ctx), ctx, width)
    footer = _story_flowables(_story(sections, index, "footer", which, ctx), ctx, width)
    canvas.saveState()
    _draw(canvas, header, section.left, section.height - section.header, width)
    _draw(canvas, footer, section.left, section.footer + _height(footer, width), width)
    canvas.restoreState()


def _clearance(margin: float, distance: float, story_height: float) -> float:
    return max(margin, distance + story_height + 6) if story_height else margin


def _frame_box(sections: list[Section], index: int, ctx: RenderContext) -> tuple[float, float]:
    """Bottom and height of the body, pushed clear of a header or footer taller than its margin."""
    section, width = sections[index], sections[index].frame_width
    tallest = {"header": 0.0, "footer": 0.0}
    for kind in tallest:
        for which in ("default", "first", "even"):
            flows = _story_flowables(_story(sections, index, kind, which, ctx), ctx, width)
            tallest[kind] = max(tallest[kind], _height(flows, width))
    top = _clearance(section.top, section.header, tallest["header"])
    bottom = _clearance(section.bottom, section.footer, tallest["footer"])
    height = max(section.height - top - bottom, 72.0)
    return section.height - top - height, height


def page_templates(sections: list[Section], even_odd: bool, ctx: RenderContext) -> list[PageTemplate]:
    """Two templates per section: its first page (``s<i>-first``) and the rest (``s<i>``)."""
    templates = []
    for section in sections:
        i, size = section.index, (section.width, section.height)
        bottom, height = _frame_box(sections, i, ctx)
        for first in (True, False):
            frame = Frame(
                section.left,
                bottom,
                section.frame_width,
                height,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            on_page = partial(_on_page, sections, i, first, even_odd, ctx)
            templates.append(
                PageTemplate(
                    id=f"s{i}-first" if first else f"s{i}",
                    frames=[frame],
                    onPage=on_page,
                    pagesize=size,
                    autoNextPageTemplate=f"s{i}" if first else None,
                )
            )
    return templates
