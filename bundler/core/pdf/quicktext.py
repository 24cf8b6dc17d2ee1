"""pypdf's text extraction with each font worked out once per reading, and bytes mapped by table.

pypdf's ``extract_text`` builds every font of a page again for every page
(``Font.from_font_resource``: its encoding, its ``/ToUnicode`` map, its widths), and maps a
shown string to text one byte at a time through a generator (``get_text_operands``). On the
bench's first anonymised build the leak gate's pypdf text was 17% of all CPU, and those two
were half of it. Here:

- **the mapping** is one ``str.translate`` over a 256-entry table made from the font's own
  encoding (``encoding.get(byte, chr(byte))``, exactly what pypdf joins), and each character's
  width is asked of the font once (``Font.get_text_width``, pypdf's own) and kept. The widths
  are then added one by one in the string's order, as pypdf adds them, so every sum is the same
  float. Anything else (a named encoding, a string operand, an operand that is not bytes, a
  table value that is not text) goes to pypdf's function, with its results and its errors;
- **a font** read again in the same reading is pypdf's ``Font`` made the first time, copied
  (pypdf may set a copy's space width for its page). A reading is one ``extract_text`` call,
  or a ``reading()`` block around many: a caller that reads every page of a document it does
  not change (the leak gate, the redaction check) opens one, so a font shared by a thousand
  pages is worked out once. A font is known by the very dictionary object pypdf resolved,
  held while the reading lasts, so another dictionary is never taken for it. pypdf changes the
  document in one place while it makes a font: a Type0 font's ``/DescendantFonts`` array gets
  each font in place of the reference to it, and another font may read that very array (as its
  ``/Differences``, where a reference and a number read otherwise). So before pypdf makes a
  composite font, every font kept in the reading is forgotten (``_rewrites``). And pypdf's reader
  remembers an object it failed to parse, and fails otherwise on it the next time: a font whose
  making failed to read something (pypdf lets a bad font file go) is not kept (``_failed_reads``).

Nothing here outlives its reading, and a font or table is never shared between two readings.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["Reading", "install", "reading"]


class Reading:
    """What one reading has worked out: fonts by their dictionary, tables by their encoding.
    Each is held with the very object it was made from, so an ``id`` is never taken for
    another object's; past ``_MOST`` fonts it starts again (a reading of many thousand pages
    holds no more than a few megabytes)."""

    def __init__(self) -> None:
        self.fonts: dict[int, tuple[Any, Any]] = {}  # id(font dict) -> (font dict, Font)
        self.tables: dict[int, tuple[Any, dict[int, str] | None]] = {}  # id(encoding) -> (it, table)
        self.widths: dict[int, tuple[Any, dict[str, float]]] = {}  # id(character_widths) -> (it, widths)

    def keep(self) -> None:
        if len(self.fonts) + len(self.tables) + len(self.widths) > _MOST:
            self.fonts, self.tables, self.widths = {}, {}, {}


_MOST = 3000
PYPDFS: dict[str, Any] = {}  # what install() stood in for: pypdf's own functions (the tests compare)
_NOW: ContextVar[Reading | None] = ContextVar("bundler_pypdf_reading", default=None)


@contextmanager
def reading(kept: Reading | None = None) -> Iterator[None]:
    """Within the block, a font or table worked out once serves every page read, and with
    ``kept`` also in later blocks given the same ``kept`` (a generator opens a block per page,
    never across a ``yield``). The pages must not change while a reading lasts: it is a reading
    of one unchanging document. Inside another reading, the outer one goes on."""
    if _NOW.get() is not None:
        yield
        return
    token = _NOW.set(kept if kept is not None else Reading())
    try:
        yield
    finally:
        _NOW.reset(token)


def _table(now: Reading, encoding: dict[Any, Any]) -> dict[int, str] | None:
    """``{byte: encoding.get(byte, chr(byte))}`` for all 256 bytes, or None if a value is not a
    ``str`` (``str.translate`` reads an int or None otherwise than ``"".join`` does)."""
    held = now.tables.get(id(encoding))
    if held is not None and held[0] is encoding:
        return held[1]
    now.keep()
    table = {byte: encoding.get(byte, chr(byte)) for byte in range(256)}
    usable = table if all(type(value) is str for value in table.values()) else None
    now.tables[id(encoding)] = (encoding, usable)
    return usable


def _widths(now: Reading, font: Any) -> dict[str, float]:
    known = font.character_widths
    held = now.widths.get(id(known))
    if held is None or held[0] is not known:
        now.keep()
        held = now.widths[id(known)] = (known, {})
    return held[1]


def _install_operands(text_extraction: Any, extractor: Any) -> None:
    pypdfs = text_extraction.get_text_operands
    mult, orient = text_extraction.mult, text_extraction.orient

    def _pypdfs(*args: Any) -> tuple[str, bool, float]:
        text, is_str, widths = pypdfs(*args)
        return text, is_str, widths

    def get_text_operands(
        operands: list[Any], cm_matrix: list[float], tm_matrix: list[float], font: Any, orientations: tuple[int, ...]
    ) -> tuple[str, bool, float]:
        """pypdf's ``get_text_operands``: the same text and the same widths, by table. The font
        is looked at only where pypdf looks at it (after the orientation, for bytes)."""
        now = _NOW.get()
        first = operands[0] if operands else None
        if now is None or not isinstance(first, bytes):
            return _pypdfs(operands, cm_matrix, tm_matrix, font, orientations)
        if orient(mult(tm_matrix, cm_matrix)) not in orientations:
            return "", False, 0.0
        encoding = font.encoding
        table = _table(now, encoding) if isinstance(encoding, dict) else None
        if table is None:  # a named encoding (pypdf decodes it in C), or a table str.translate cannot take
            return _pypdfs(operands, cm_matrix, tm_matrix, font, orientations)
        raw = first.decode("latin-1")  # chr(byte) for each byte
        text = raw.translate(table)
        widths = 0.0
        space, space_width, known = font.space_char, font.space_width, _widths(now, font)
        for char in raw or text:
            if char == space:
                widths += space_width
            else:
                width = known.get(char)
                if width is None:
                    width = known[char] = font.get_text_width(char)
                widths += width
        return text, False, widths

    for module in (text_extraction, extractor):
        vars(module)["get_text_operands"] = get_text_operands


_SIMPLE = ("/Type1", "/MMType1", "/TrueType", "/Type3")  # the fonts pypdf makes without /DescendantFonts


def _rewrites(font: Any) -> bool:
    """Whether pypdf, making ``font``, may change the document: a composite font's
    ``/DescendantFonts`` array gets each font in place of the reference to it. An array is only
    so changed once, but any font made before may have read it (a ``/Differences`` array may be
    the same object, and reads otherwise once a reference in it is the number it pointed to).
    Asked as pypdf asks, of the value as it stands: nothing is read here that pypdf would not read."""
    return font.get("/Subtype") not in _SIMPLE


def _failed_reads(font: Any) -> int | None:
    """How many objects ``font``'s reader has begun and not finished reading, or None if that
    cannot be told. pypdf leaves an object it failed to parse so marked, and reading it again
    then fails otherwise (``LimitReachedError``); so a font whose making failed to read anything
    (pypdf lets a font file it cannot parse go) would not be made the same way twice."""
    reader = getattr(getattr(font, "indirect_reference", None), "pdf", None)
    begun = getattr(reader, "_known_objects", None)
    return len(begun) if isinstance(begun, set) else None


def _install_fonts(font_class: Any) -> None:
    pypdfs = font_class.__dict__["from_font_resource"].__func__

    def from_font_resource(cls: Any, pdf_font_dict: Any) -> Any:
        """pypdf's ``Font.from_font_resource``, made once per font dictionary per reading.
        Every font kept so far is forgotten before pypdf makes one that may change the
        document, and a font is kept only if its making read every object it began to."""
        now = _NOW.get()
        if now is None or cls is not font_class:
            return pypdfs(cls, pdf_font_dict)
        held = now.fonts.get(id(pdf_font_dict))
        if held is not None and held[0] is pdf_font_dict:
            return copy.copy(held[1])
        if _rewrites(pdf_font_dict):
            now.fonts.clear()
        before = _failed_reads(pdf_font_dict)
        font = pypdfs(cls, pdf_font_dict)
        if before is None or _failed_reads(pdf_font_dict) != before:
            return font
        now.keep()
        now.fonts[id(pdf_font_dict)] = (pdf_font_dict, font)
        return copy.copy(font)  # pypdf may set its page's space width on what it is handed

    font_class.from_font_resource = classmethod(from_font_resource)


def _extract_in_reading(page_class: Any) -> None:
    pypdfs = page_class.extract_text

    def extract_text(self: Any, *args: Any, **kwargs: Any) -> Any:
        with reading():
            return pypdfs(self, *args, **kwargs)

    extract_text.__doc__ = pypdfs.__doc__
    page_class.extract_text = extract_text


def install() -> None:
    """Use the table and the kept fonts in pypdf's text extraction, where this pypdf has the
    functions they stand in for (else pypdf reads as it always did)."""
    try:
        import pypdf._text_extraction as text_extraction  # noqa: PLC0415
        import pypdf._text_extraction._text_extractor as extractor  # noqa: PLC0415
        from pypdf import PageObject  # noqa: PLC0415
        from pypdf.generic._font import Font  # noqa: PLC0415
    except ImportError:
        return
    wanted = (text_extraction, "get_text_operands"), (text_extraction, "mult"), (text_extraction, "orient")
    if not all(hasattr(module, name) for module, name in wanted) or not hasattr(extractor, "get_text_operands"):
        return
    if PYPDFS:
        return  # installed already
    PYPDFS.update(
        get_text_operands=text_extraction.get_text_operands,
        from_font_resource=Font.__dict__["from_font_resource"],
        extract_text=PageObject.extract_text,
    )
    _install_operands(text_extraction, extractor)
    _install_fonts(Font)
    _extract_in_reading(PageObject)
