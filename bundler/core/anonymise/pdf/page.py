"""Redact one page of the writer's copy: by removing glyphs, or by rasterising it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium
from pypdf import PageObject, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ContentStream, IndirectObject, NameObject

from bundler.core.anonymise.pdf.content import ContentEditor
from bundler.core.anonymise.pdf.draw import Names, label_font, label_state, overlay
from bundler.core.anonymise.pdf.geometry import Spot
from bundler.core.anonymise.pdf.raster import image_only_page, render_redacted
from bundler.core.anonymise.pdf.show import GlyphJudge
from bundler.core.anonymise.pdf.stream import add_stream, balanced, serialise, with_entries

__all__ = ["GlyphOutcome", "page_rotation", "remove_glyphs", "drop_unused_forms", "rasterise"]


@dataclass
class GlyphOutcome:
    problems: list[str] = field(default_factory=list)  # non-empty: the page was NOT changed
    tainted: set[int] = field(default_factory=set)  # forms replaced by redacted copies
    inline: bool = False  # some box is drawn in the page's content (``run.StreamRun.show``)

    @property
    def ok(self) -> bool:
        return not self.problems


def page_rotation(page: PageObject) -> int:
    return int(page.get("/Rotate", 0) or 0) % 360


def _unmapped(judge: GlyphJudge) -> list[str]:
    """A text match with no glyph removed means our geometry and pdfium's disagree."""
    missing = [s for s, n in zip(judge.spots, judge.removed, strict=True) if n == 0 and not s.manual]
    return ["a match could not be mapped to glyphs in the content stream"] if missing else []


def remove_glyphs(writer: PdfWriter, page: PageObject, spots: list[Spot], inline: bool = True) -> GlyphOutcome:
    """Remove the glyphs under ``spots`` from ``page`` and its forms, and draw the boxes: in the
    page's content where it can (``run.StreamRun.show``; not with ``inline`` off, nor when
    something painted later would hide one), else after it.

    On any doubt the page is left untouched and the reasons are returned.
    """
    resources = page.get("/Resources")
    names = Names.free_in(resources)
    judge = GlyphJudge(spots)
    editor = ContentEditor(writer, judge, page_rotation(page), names, inline)
    try:
        contents = page.get_contents()
        operations = ContentStream(contents, writer).operations if contents is not None else []
        edited = editor.edit(operations, resources)
        if editor.covered:  # a box drawn in place would be hidden: draw every box after the page
            judge = GlyphJudge(spots)
            editor = ContentEditor(writer, judge, page_rotation(page), names, inline=False)
            edited = editor.edit(operations, resources)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        return GlyphOutcome([f"its content could not be read ({type(exc).__name__})"])
    problems = judge.problems + _unmapped(judge)
    if problems:
        return GlyphOutcome(problems)
    drop = editor.unused_tainted(resources, edited.drawn)
    new_resources = with_entries(resources, "/XObject", edited.new_xobjects, drop)
    new_resources = with_entries(new_resources, "/Font", {names.font: label_font()})
    if editor.placed:
        new_resources = with_entries(new_resources, "/ExtGState", {names.state: label_state()})
    body = b"q\n" + serialise(balanced(edited.operations)) + b"Q\n"
    after = [spot for i, spot in enumerate(spots) if i not in editor.placed]
    data = body + (overlay(after, page_rotation(page), names) if after else b"")
    page[NameObject("/Resources")] = new_resources
    page[NameObject("/Contents")] = add_stream(writer, data)
    return GlyphOutcome(tainted=editor.tainted, inline=bool(editor.placed))


def drop_unused_forms(writer: PdfWriter, page: PageObject, tainted: set[int]) -> None:
    """Unlist forms that were redacted elsewhere from a page that lists but never draws them.

    Pages often share one resource dictionary naming every form in the file; the
    unredacted original must not stay reachable (and so written) through them.
    """
    xobjects = page.get("/Resources", {}).get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else {}
    listed = [n for n in xobjects if id(xobjects[n].get_object()) in tainted]
    if not listed:
        return
    try:
        contents = page.get_contents()
        operations = ContentStream(contents, writer).operations if contents is not None else []
    except (PyPdfError, ValueError, KeyError, TypeError):
        return  # unreadable: leave it to verification, which rasterises if the original leaks
    drawn = {operands[0] for operands, op in operations if op == b"Do" and operands}
    unused = [n for n in listed if n not in drawn]  # a drawn one is left for verification to judge
    if unused:
        page[NameObject("/Resources")] = with_entries(page["/Resources"], "/XObject", {}, unused)


def rasterise(
    writer: PdfWriter,
    page: PageObject,
    source: pdfium.PdfPage,
    spots: list[Spot],
    dpi: int,
    annots: list[IndirectObject],
) -> None:
    """Replace ``page`` by a bitmap of the source page with the boxes burned in."""
    image, bbox = render_redacted(source, spots, dpi)
    image_only_page(writer, page, image, bbox, annots)
