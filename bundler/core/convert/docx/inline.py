"""The content of one Word paragraph, in reading order, as renderer items.

Tracked changes are shown accepted: ``w:ins``/``w:moveTo`` text is kept and
``w:del``/``w:moveFrom`` text dropped. Comments are not shown. A field shows its last
result, except page numbers, which are filled in when the page is drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from docx.oxml.ns import qn

from bundler.core.convert.docx.context import RenderContext, hyperlink_target, related_blob
from bundler.core.convert.docx.fonts import RunProps, run_markup
from bundler.core.convert.docx.props import Element, child

__all__ = ["PageBreakItem", "ImageItem", "BoxItem", "Item", "paragraph_items"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_V = "{urn:schemas-microsoft-com:vml}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_EMU_PER_PT = 12700
_TRANSPARENT = {qn(f"w:{t}") for t in ("ins", "moveTo", "smartTag", "customXml", "bdo", "dir")}
_VML_LENGTH = re.compile(r"(width|height)\s*:\s*([\d.]+)\s*(pt|in|cm|mm|px)?")
_UNIT_PT = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, None: 0.75}


class PageBreakItem:
    """An explicit page (or column) break inside a paragraph."""


@dataclass(frozen=True)
class ImageItem:
    data: bytes
    width: float
    height: float


@dataclass(frozen=True)
class BoxItem:
    """A text box: its paragraphs are rendered after the paragraph that anchors it."""

    content: Element


Item = str | PageBreakItem | ImageItem | BoxItem


@dataclass
class _Field:
    instr: str = ""
    in_result: bool = False
    replaced: bool = False


class _Walker:
    def __init__(self, ctx: RenderContext, base: RunProps) -> None:
        self.ctx, self.base = ctx, base
        self.items: list[Item] = []
        self.fields: list[_Field] = []
        self.link = ""

    def walk(self, parent: Element) -> None:
        for el in parent:
            self.node(el)

    def node(self, el: Element) -> None:
        tag = el.tag
        if tag == qn("w:r"):
            self.run(el)
        elif tag in _TRANSPARENT or tag in (qn("w:sdtContent"), f"{_M}oMathPara"):
            self.walk(el)
        elif tag == qn("w:sdt"):
            self.walk_optional(child(el, "sdtContent"))
        elif tag == qn("w:hyperlink"):
            self.link = hyperlink_target(self.ctx.part, el)
            self.walk(el)
            self.link = ""
        elif tag == qn("w:fldSimple"):
            self.simple_field(el)
        elif tag == f"{_MC}AlternateContent":
            self.walk_optional(_choice(el))
        elif tag == f"{_M}oMath":
            self.text("".join(t.text or "" for t in el.iter(f"{_M}t")), self.base)

    def walk_optional(self, el: Element | None) -> None:
        if el is not None:
            self.walk(el)

    def text(self, text: str, props: RunProps) -> None:
        if text and not props.hidden and not self.suppressed():
            self.items.append(run_markup(text, props, self.link))

    def suppressed(self) -> bool:
        return any(not f.in_result or f.replaced for f in self.fields)

    def run(self, run: Element) -> None:
        props = self.ctx.sheet.run(self.base, child(run, "rPr"))
        for el in run:
            self.run_child(el, props)

    def run_child(self, el: Element, props: RunProps) -> None:
        tag = el.tag[len(_W) :] if isinstance(el.tag, str) and el.tag.startswith(_W) else ""
        if tag == "t":
            self.text(el.text or "", props)
        elif tag in ("tab", "ptab"):
            self.text("\t", props)
        elif tag == "br":
            self.line_break(el, props)
        elif tag == "cr":
            self.text("\n", props)
        elif tag == "noBreakHyphen":
            self.text("-", props)
        elif tag == "sym":
            self.text(_symbol(el), props)
        elif tag in ("fldChar", "instrText"):
            self.complex_field(el, props)
        elif tag in ("footnoteReference", "endnoteReference"):
            label = self.ctx.notes.add(tag[:-9], el.get(qn("w:id"), ""))
            self.text(label, replace(props, vert="superscript"))
        elif tag in ("footnoteRef", "endnoteRef"):
            self.text(self.ctx.note_label, replace(props, vert="superscript"))
        elif not props.hidden and not self.suppressed():
            self.graphic(el, props)

    def graphic(self, el: Element, props: RunProps) -> None:
        if el.tag == qn("w:drawing"):
            self.items.extend(_drawing_items(el, self.ctx))
        elif el.tag in (qn("w:pict"), qn("w:object")):
            self.items.extend(_vml_items(el, self.ctx))
        elif el.tag == f"{_MC}AlternateContent" and (choice := _choice(el)) is not None:
            for sub in choice:
                self.run_child(sub, props)

    def line_break(self, el: Element, props: RunProps) -> None:
        if el.get(qn("w:type")) in ("page", "column"):
            if not self.suppressed():
                self.items.append(PageBreakItem())
        else:
            self.text("\n", props)

    def field_value(self, instr: str) -> str | None:
        words = instr.split()
        name = words[0].upper() if words else ""
        fields = self.ctx.fields
        if name in ("NUMPAGES", "SECTIONPAGES"):
            fields.uses_total = True
            return str(fields.total) if fields.total else None
        return fields.page if name == "PAGE" and fields.page else None

    def simple_field(self, el: Element) -> None:
        value = self.field_value(el.get(qn("w:instr"), ""))
        if value is None:
            self.walk(el)
        else:
            self.text(value, self.base)

    def complex_field(self, el: Element, props: RunProps) -> None:
        if el.tag == qn("w:instrText"):
            if self.fields and not self.fields[-1].in_result:
                self.fields[-1].instr += el.text or ""
            return
        kind = el.get(qn("w:fldCharType"))
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            self.finish_instruction(self.fields[-1], props)
        elif kind == "end" and self.fields:
            field = self.fields[-1]
            if not field.in_result:
                self.finish_instruction(field, props)
            self.fields.pop()

    def finish_instruction(self, field: _Field, props: RunProps) -> None:
        field.in_result = True
        value = self.field_value(field.instr)
        if value is not None:
            self.text(value, props)
            field.replaced = True


def _choice(el: Element) -> Element | None:
    found = el.find(f"{_MC}Choice")
    return found if found is not None else el.find(f"{_MC}Fallback")


def _symbol(el: Element) -> str:
    try:
        code = int(el.get(qn("w:char"), "0"), 16)
    except ValueError:
        return ""
    # Symbol-font characters sit at U+F0xx; the low byte is the Latin-1 lookalike.
    return chr(code & 0xFF) if 0xF000 <= code <= 0xF0FF else chr(code) if code > 31 else ""


def _drawing_items(drawing: Element, ctx: RenderContext) -> list[Item]:
    items: list[Item] = []
    extent = next(drawing.iter(f"{_WP}extent"), None)
    for blip in drawing.iter(f"{_A}blip"):
        data = related_blob(ctx.part, blip.get(qn("r:embed")))
        size = _pic_extent(blip) or _emu_size(extent)
        if data is not None and size is not None:
            items.append(ImageItem(data, *size))
    items.extend(BoxItem(box) for box in drawing.iter(qn("w:txbxContent")))
    return items


def _pic_extent(blip: Element) -> tuple[float, float] | None:
    """The picture's own size: in a group it differs from the drawing's extent."""
    fill = blip.getparent()
    pic = None if fill is None else fill.getparent()
    return _emu_size(None if pic is None else pic.find(f"{_PIC}spPr/{_A}xfrm/{_A}ext"))


def _emu_size(ext: Element | None) -> tuple[float, float] | None:
    try:
        width, height = int(ext.get("cx")), int(ext.get("cy"))  # type: ignore[union-attr]
    except (AttributeError, TypeError, ValueError):
        return None
    return (width / _EMU_PER_PT, height / _EMU_PER_PT) if width > 0 and height > 0 else None


def _vml_items(pict: Element, ctx: RenderContext) -> list[Item]:
    items: list[Item] = []
    for shape in pict.iter(f"{_V}shape", f"{_V}rect"):
        sizes = {k: float(v) * _UNIT_PT[u or None] for k, v, u in _VML_LENGTH.findall(shape.get("style", ""))}
        for image in shape.iter(f"{_V}imagedata"):
            data = related_blob(ctx.part, image.get(qn("r:id")))
            if data is not None and sizes.get("width") and sizes.get("height"):
                items.append(ImageItem(data, sizes["width"], sizes["height"]))
    items.extend(BoxItem(box) for box in pict.iter(qn("w:txbxContent")))
    return items


def paragraph_items(p: Element, ctx: RenderContext, base: RunProps) -> list[Item]:
    """Everything a paragraph shows, in order: markup strings, breaks, images, text boxes."""
    walker = _Walker(ctx, base)
    walker.walk(p)
    return walker.items
