"""Interpret a page's content stream (and every form XObject it draws) and edit it.

We track exactly as much graphics and text state as placing a glyph needs:
the CTM through ``q``/``Q``/``cm`` and form matrices, the text and line
matrices, font, size and spacing. Glyphs under a spot are removed by
``show_text``; a form XObject that loses glyphs is copied (never edited in
place, since other pages or other placements may share it) and drawn under a
new name. Anything we cannot judge safely becomes a problem on the judge, and
the caller then rasterises the page instead.
"""

from __future__ import annotations

from itertools import count
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, StreamObject

from bundler.core.anonymise.pdf.draw import OURS, Names
from bundler.core.anonymise.pdf.fonts import GlyphFont, load_font
from bundler.core.anonymise.pdf.geometry import IDENTITY
from bundler.core.anonymise.pdf.run import Edited, GState, StreamRun
from bundler.core.anonymise.pdf.show import GlyphJudge, TextState
from bundler.core.anonymise.pdf.stream import Op, add_stream, serialise, with_entries

__all__ = ["Edited", "ContentEditor"]


class ContentEditor:
    """Shared state for one page: the judge, font cache, and fresh resource names."""

    def __init__(
        self, writer: PdfWriter, judge: GlyphJudge, rotate: int = 0, names: Names = OURS, inline: bool = True
    ) -> None:
        self.writer = writer
        self.judge = judge
        self.rotate = rotate
        self.names = names
        self.inline = inline
        self.placed: set[int] = set()  # spots (indices) drawn in the page's content, not after it
        self.covered = False  # something painted later lies over one of those
        self._fonts: dict[int, GlyphFont] = {}
        self._names = count(1)
        self.active: set[int] = set()
        self.tainted: set[int] = set()  # forms we drew a redacted copy of: the original must go

    def edit(self, operations: list[Op], resources: Any, gs: GState | None = None, depth: int = 0) -> Edited:
        return StreamRun(self, resources, gs or GState(IDENTITY, TextState()), depth).run(operations)

    def font(self, fonts: DictionaryObject, name: str) -> GlyphFont:
        if name not in fonts:
            return GlyphFont(name, problem="it is missing from the resources")
        font = fonts[name].get_object()
        key = id(font)
        if key not in self._fonts:
            self._fonts[key] = load_font(font)
        return self._fonts[key]

    def fresh_name(self, taken: DictionaryObject) -> str:
        """A resource name not in ``taken`` (a source may be one we redacted before)."""
        while (name := f"/RdxForm{next(self._names)}") in taken:
            pass
        return name

    def unused_tainted(self, resources: Any, drawn: set[str]) -> list[str]:
        """Names of tainted forms in ``resources`` that the content no longer draws."""
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return []
        xobjects = xobjects.get_object()
        return [n for n in xobjects if n not in drawn and id(xobjects[n].get_object()) in self.tainted]

    def copy_form(self, form: StreamObject, resources: Any, edited: Edited) -> IndirectObject:
        self.tainted.add(id(form))
        entries = DictionaryObject(form)
        if edited.new_xobjects:
            drop = self.unused_tainted(resources, edited.drawn)
            entries[NameObject("/Resources")] = with_entries(resources, "/XObject", edited.new_xobjects, drop)
        return add_stream(self.writer, serialise(edited.operations), entries)
