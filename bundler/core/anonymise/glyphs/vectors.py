"""Words drawn as shapes: text converted to outlines (letterheads, logos, signatures).

Such words are in no text layer and in no picture, so neither the redactor nor the
OCR of pictures sees them, while every eye and every OCR of the rendered page reads
them. A page whose content draws many curves (or paints a tiling pattern, which
may hold a picture) is rendered with its text objects taken out and read by OCR;
what OCR reads there is drawn, not written. When it reads a protected term, the
page is made a picture like a page with a picture of the name (``stage``), so
OCR, redaction and the check after redaction all see it. (Comparing with the text
layer instead would let invisible text carrying the name vouch for the shapes.)
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
from pypdf import PageObject, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from bundler.core.anonymise.pdf.images import ImageReader
from bundler.core.anonymise.pdf.layout import type3_font
from bundler.core.anonymise.terms import Target, find_matches

__all__ = [
    "blank_strings",
    "content_streams",
    "curve_count",
    "drawn_words",
    "moves_back",
    "resource_forms",
    "shows_text",
    "too_deep",
    "type3_pictures",
    "unread_text",
]

_CURVE = re.compile(rb"(?<![^\s\]\)>])[cvy](?=[\s/\[\(<]|$)")
_MANY_CURVES = 40  # a word in outlines takes several curves a letter; a rule or a box takes none
_MAX_DEPTH = 8
_STRING = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)|<[0-9A-Fa-f\s]*>", re.S)
_TJ_ARRAY = re.compile(rb"\[([^\[\]]*)\]\s*TJ")  # searched with the strings blanked out (``_shown``)
_DIGITS = rb"(?:\d+\.?\d*|\.\d+)"
_SIGNED = rb"[-+]?" + _DIGITS
_TJ_TOKEN = re.compile(rb"\(x\)|" + _SIGNED)  # a shown string, or a number
# A TJ number above this (thousandths of an em) moves the next glyphs back to the left: kerning
# stays far below it; and all of an array's backward shifts together, above an em.
_BACK_IN_TJ = 300.0
_BACK_IN_ARRAY = 1000.0
_BACK_TD = re.compile(rb"(?<![\w.])-\d*\.?\d+\s+[-+]?0*\.?0*\s+T[dD]\b")
# A negative character or word spacing (which can step each glyph, or each word, back past the
# one before), or a horizontal scaling of zero or less (glyphs on one spot, or mirrored).
_BACK_SPACING = re.compile(
    rb"(?<![\w.])-" + _DIGITS + rb"\s+T[cw](?![\w])"  # Tc, Tw below zero
    rb"|(?<![\w.])(?:-" + _DIGITS + rb"|0*\.?0+)\s+Tz(?![\w])"  # Tz at or below zero
)
# Character or word spacing set at all (not to zero): a gap pdfium's text need not show. pdfium
# counts a whole ``Tc`` as a text object's normal spacing and puts no space at its gaps, and never
# counts ``Tw`` (which moves on after every code 32, whatever glyph it draws), while poppler sees a
# gutter and may read the text either side as columns (round 24). Such pages are read in reading
# order, whose poppler grouping reads the gaps as they lie.
_SPACING_SET = re.compile(rb"(?<![\w.])[-+]?0*(?:[1-9]\d*\.?\d*|\.\d*[1-9]\d*|0\.\d*[1-9]\d*)\s+T[cw](?![\w])")
_QUOTE_SPACING = re.compile(rb"(?<![\w.])(" + _SIGNED + rb")\s+(" + _SIGNED + rb")\s*\(x?\)\s*\"")
# '"' sets the word and character spacing: ``aw ac (string) "`` with either below zero
_BACK_QUOTE = re.compile(
    rb"(?<![\w.])(?:-" + _SIGNED + rb"\s+" + _SIGNED + rb"|" + _SIGNED + rb"\s+-" + _SIGNED + rb")\s*\(x?\)\s*\""
)
_NUL_AS_SPACE = bytes.maketrans(b"\x00", b" ")  # PDF white space that a regex's \s does not match
_COMMENT_OR_STRING = re.compile(_STRING.pattern + rb"|%[^\r\n]*", re.S)  # a string is kept whole
_DPI = 250
_TEXT_OBJECT = re.compile(rb"(?<![\w)])BT(?![\w(]).*?(?<![\w(])ET(?![\w)])", re.S)


def _get(obj: Any, key: str) -> Any:
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value


def _children(owner: Any, seen: set[int]) -> Iterator[StreamObject]:
    """The forms, tiling patterns and soft-mask groups ``owner``'s resources name, each once."""
    resources = _get(owner, "/Resources")
    for kind in ("/XObject", "/Pattern"):
        named = _get(resources, kind)
        for value in named.values() if isinstance(named, DictionaryObject) else ():
            if isinstance(value, IndirectObject):
                if value.idnum in seen:
                    continue
                seen.add(value.idnum)
            child = value.get_object()
            if isinstance(child, StreamObject) and (child.get("/Subtype") == "/Form" or kind == "/Pattern"):
                yield child
    yield from _mask_groups(resources, seen)


def _mask_groups(resources: Any, seen: set[int]) -> Iterator[StreamObject]:
    """The groups of the soft masks that ``resources``' graphics states set (``/SMask /G``),
    each once: what they draw is seen through whatever is painted under the mask."""
    states = _get(resources, "/ExtGState")
    for state in states.values() if isinstance(states, DictionaryObject) else ():
        mask = _get(state.get_object(), "/SMask")
        group = mask.get("/G") if isinstance(mask, DictionaryObject) else None
        if isinstance(group, IndirectObject):
            if group.idnum in seen:
                continue
            seen.add(group.idnum)
        group = group.get_object() if group is not None else None
        if isinstance(group, StreamObject):
            yield group


# an operator that shows text (``Tj``, ``TJ``, ``'``, ``"``), strings blanked first
_SHOWS_TEXT = re.compile(rb"(?<![\w.])(?:Tj|TJ|'|\")(?![\w])")


def shows_text(owner: StreamObject) -> bool:
    """Whether a form (or a pattern, a mask's group, an appearance), or one it draws, shows text."""
    return any(_SHOWS_TEXT.search(blank_strings(data)) for data in _streams(owner, 0, set()))


_DEEPEST = 24  # levels of forms (patterns, masks' groups, Type3 glyphs) any reader is sure to read


def too_deep(page: DictionaryObject) -> bool:
    """Whether what the page draws nests deeper than ``_DEEPEST``: forms in forms, patterns,
    soft masks' groups and Type3 glyphs, or a cycle of them. PDFium reads no form past about 40
    levels, poppler to 100, pypdf as far as it goes but with no resources a form does not hold
    itself: text 45 forms down, its font the page's, is read by poppler alone (round 35)."""
    below: dict[tuple[int, int], int] = {}  # how deep each owner's drawing goes (in a scope), once worked out
    visiting: set[int] = set()

    def depth(owner: Any, scope: Any, level: int) -> int:
        own = _get(owner, "/Resources")
        scope = own if isinstance(own, DictionaryObject) else scope  # a form with none: its drawer's
        key = (id(owner), id(scope))
        if key in below:
            return below[key]
        if id(owner) in visiting or level > _DEEPEST:
            return _DEEPEST + 1  # a cycle, or deep enough already
        visiting.add(id(owner))
        deepest = max((1 + depth(child, scope, level + 1) for child in _drawn(owner, own, scope)), default=0)
        visiting.discard(id(owner))
        below[key] = deepest
        return deepest

    try:
        return depth(page, None, 0) > _DEEPEST
    except RecursionError:  # noqa: BLE001 - deeper than Python goes: deeper than any reader
        return True


_DRAWS = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do(?![\w])")


def _drawn(owner: Any, own: Any, scope: Any) -> list[Any]:
    """What ``owner`` draws that draws in turn: with resources of its own, the forms, patterns,
    masks' groups and Type3 fonts they hold; without (a form drawn by a page or form whose
    resources it takes, as poppler does: round 37's 45 resource-less forms each naming the next
    in the page's resources), the forms its content names in its drawer's."""
    if isinstance(own, DictionaryObject) or not isinstance(owner, StreamObject):
        return [*_children(owner, set()), *_type3_fonts(own)]
    forms = _get(scope, "/XObject")
    if not isinstance(forms, DictionaryObject):
        return []
    found = (_get(forms, "/" + name.decode("latin-1")) for name in set(_DRAWS.findall(owner.get_data())))
    return [form for form in found if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form"]


def unread_text(page: DictionaryObject) -> bool:
    """Whether the page shows text where no reader of text looks: in a soft mask's group (letters
    seen through the mask: a rectangle filled under a mask that is "Farida Khanum" in white shows
    the name, round 30) or a tiling pattern's cell (a rectangle filled with a pattern whose one
    cell shows the name, round 34). PDFium, pypdf and poppler read neither as text."""
    try:
        seen: set[int] = set()
        pending: list[Any] = [page]
        while pending:
            owner = pending.pop()
            if any(shows_text(group) for group in _mask_groups(_get(owner, "/Resources"), seen)):
                return True
            for child in _children(owner, seen):
                if child.get("/PatternType") == 1 and shows_text(child):
                    return True
                pending.append(child)
        return False
    except Exception:  # noqa: BLE001 - a mask or pattern we cannot read may show anything
        return True


def resource_forms(resources: Any, seen: set[int]) -> Iterator[StreamObject]:
    """The form XObjects ``resources`` name, each (by object number, in ``seen``) once."""
    xobjects = _get(resources, "/XObject") if isinstance(resources, DictionaryObject) else None
    for value in xobjects.values() if isinstance(xobjects, DictionaryObject) else ():
        if isinstance(value, IndirectObject):
            if value.idnum in seen:
                continue
            seen.add(value.idnum)
        form = value.get_object()
        if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
            yield form


def _streams(owner: Any, depth: int, seen: set[int]) -> Iterator[bytes]:
    """The decoded content of ``owner`` (a page, form or pattern) and of the forms and patterns it uses.

    A tiling pattern counts as curves enough on its own: what it paints (a picture, words)
    is read by no other step.
    """
    if isinstance(owner, StreamObject) and owner.get("/PatternType") == 1:
        yield b" c" * _MANY_CURVES
    contents = _get(owner, "/Contents") if not isinstance(owner, StreamObject) else owner
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    for part in parts:
        part = part.get_object() if isinstance(part, IndirectObject) else part
        if isinstance(part, StreamObject):
            yield part.get_data()
    for child in _children(owner, seen) if depth < _MAX_DEPTH else ():
        yield from _streams(child, depth + 1, seen)


def content_streams(page: DictionaryObject) -> Iterator[bytes]:
    """The decoded content of ``page`` and of the forms and tiling patterns it uses, each once."""
    return _streams(page, 0, set())


def curve_count(page: PageObject) -> int:
    """How many Bézier curve operators the page's content (forms included) draws, roughly, and
    straight segments of the paths it fills or clips by (``_filled_lines``)."""
    try:
        return sum(len(_CURVE.findall(data)) + _filled_lines(data) for data in _streams(page, 0, set()))
    except Exception:  # noqa: BLE001 - a stream we cannot decode: read the page from its pixels
        return _MANY_CURVES


# a path operator: a segment (l), a rectangle (re), what ends a path by filling or clipping it,
# by stroking it, or by neither
_PATH_END = re.compile(rb"(?<![^\s\]\)>])(l|re|f\*?|F|B\*?|b\*?|W\*?|S|s|n)(?=[\s/\[\(<]|$)")
_FILLS = frozenset({b"f", b"f*", b"F", b"B", b"B*", b"b", b"b*", b"W", b"W*"})
_STROKES = frozenset({b"S", b"s", b"B", b"B*", b"b", b"b*"})
_POLYLINE = 4  # segments: a path of this many is drawn, not a rule (a table's is one or a box's four)
_RECTANGLES = 8  # rectangles in one path: a pixel font's letters, not a table's borders (one a path)


def _filled_lines(data: bytes) -> int:
    """Straight parts of the paths a stream draws that may be letters: the segments (``l``) of a
    path it fills or clips by (round 38: every curve of a font's outline flattened to six
    segments), of a stroked path of more than ``_POLYLINE`` segments (round 39: the same outlines
    stroked), and the rectangles of a path of more than ``_RECTANGLES`` (round 39: a "pixel font"
    of runs of cells, filled at once). A table's rules are a segment or a rectangle a path; one
    rule, rectangle or cell a path can spell anything and is not counted: only OCR of every
    page's drawing would see such letters."""
    if b"l" not in data and b"re" not in data:
        return 0
    count = lines = boxes = 0
    for match in _PATH_END.finditer(blank_strings(data)):
        op = match.group(1)
        if op == b"l":
            lines += 1
        elif op == b"re":
            boxes += 1
        else:
            if op in _FILLS or (op in _STROKES and lines > _POLYLINE):
                count += lines
            if (op in _FILLS or op in _STROKES) and boxes > _RECTANGLES:
                count += boxes
            lines = boxes = 0
    return count


def _text_removed(page: PageObject) -> bytes:
    """A one-page PDF of ``page`` with every text object (``BT`` … ``ET``) taken out of its
    content, forms and patterns: what is left shows words only as shapes or pictures."""
    writer = PdfWriter()
    copy = writer.add_page(page)
    parts = _get(copy, "/Contents")
    streams = [p.get_object() for p in (parts if isinstance(parts, ArrayObject) else [parts]) if p is not None]
    seen: set[int] = set()
    pending: list[Any] = [copy]
    while pending:
        owner = pending.pop()
        children = list(_children(owner, seen))
        streams += children
        pending += children
    for stream in streams:
        if isinstance(stream, StreamObject):
            data = _TEXT_OBJECT.sub(b" ", stream.get_data())
            for key in ("/Filter", "/DecodeParms"):  # written back plain, whatever its filters were
                stream.pop(key, None)
            stream._data = data
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def may_draw_words(page: PageObject) -> bool:
    """False only when the page draws too few curves to spell a word and no Type3 glyph of it
    paints a picture (``drawn_words`` is then False)."""
    return curve_count(page) >= _MANY_CURVES or type3_pictures(page)


_PAINTS = re.compile(rb"(?<![\w/])(?:Do|BI)(?![\w])")  # an image (or a form) painted, or an inline image


def type3_pictures(page: DictionaryObject) -> bool:
    """Whether a Type3 font of the page (or of its forms) has a glyph that paints a picture. Such
    glyphs pass as pictures (``doubt._type3_shapes``), but no picture of the page is theirs
    (pypdf's ``page.images`` lists the page's and its forms' own): "q" shown in a font whose "q"
    paints a picture of the name (round 31), or a letter a glyph, is read only on the page drawn."""
    try:
        return _type3_painting(_get(page, "/Resources"), 0, set())
    except Exception:  # noqa: BLE001 - fonts we cannot read: look at the page drawn
        return True


def _type3_painting(resources: Any, depth: int, seen: set[int]) -> bool:
    if depth > _MAX_DEPTH:
        return True
    for font in _type3_fonts(resources):
        procs = _get(font, "/CharProcs")
        for proc in procs.values() if isinstance(procs, DictionaryObject) else ():
            proc = proc.get_object()
            if isinstance(proc, StreamObject) and _PAINTS.search(blank_strings(proc.get_data())):
                return True
    return any(_type3_painting(_get(form, "/Resources"), depth + 1, seen) for form in resource_forms(resources, seen))


def _render(document: pdfium.PdfDocument) -> Any:
    try:
        rendered = document[0]
        picture = rendered.render(scale=_DPI / 72, may_draw_forms=False).to_pil()
        rendered.close()
        return picture
    finally:
        document.close()


def _strip_text(objects: Any, remove: Any, known: dict[int | None, bool], depth: int = 0) -> None:
    """Take every text object but those in a Type3 font out of ``objects`` ((count, get) of a page
    or form), forms opened; ``remove`` takes one out of the same owner."""
    raw = pdfium.raw
    count, get = objects
    for k in reversed(range(count())):
        obj = get(k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT and not type3_font(raw.FPDFTextObj_GetFont(obj), known):
            if remove(obj):
                raw.FPDFPageObj_Destroy(obj)
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < _MAX_DEPTH:
            inner = (lambda o=obj: raw.FPDFFormObj_CountObjects(o), lambda i, o=obj: raw.FPDFFormObj_GetObject(o, i))
            _strip_text(inner, lambda child, o=obj: raw.FPDFFormObj_RemoveObject(o, child), known, depth + 1)


def _type3_drawn(page: PageObject) -> Any:
    """The page drawn with its text taken out but what Type3 fonts draw (their glyphs' pictures)."""
    writer = PdfWriter()
    writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    document = pdfium.PdfDocument(out.getvalue())
    try:
        drawn = document[0]  # held: the objects are taken out of this page, and it is this one drawn
        raw, handle = pdfium.raw, drawn.raw
        objects = (lambda: raw.FPDFPage_CountObjects(handle), lambda i: raw.FPDFPage_GetObject(handle, i))
        _strip_text(objects, lambda obj: raw.FPDFPage_RemoveObject(handle, obj), {})
        picture = drawn.render(scale=_DPI / 72, may_draw_forms=False).to_pil()
        drawn.close()
        return picture
    finally:
        document.close()


def drawn_words(page: PageObject, targets: list[Target], images: ImageReader) -> bool:
    """Whether OCR of the page, its text taken out, reads a protected term; and, where a Type3
    glyph paints a picture, OCR of the page with only its Type3 text left (``type3_pictures``)."""
    if not may_draw_words(page):
        return False
    try:
        pictures = [_render(pdfium.PdfDocument(_text_removed(page)))] if curve_count(page) >= _MANY_CURVES else []
        if type3_pictures(page):
            pictures.append(_type3_drawn(page))
    except Exception:  # noqa: BLE001 - a page we cannot copy is read from its pixels, whole
        return True
    return any(find_matches(images.text(picture), targets, ocr=True) for picture in pictures)


def _shown(m: re.Match[bytes]) -> bytes:
    """A string operand as "(x)" if it shows anything, "()" if empty (it moves nothing)."""
    body = m.group(0)[1:-1]
    return b"()" if not (body.strip() if m.group(0).startswith(b"<") else body) else b"(x)"


def _tj_back(blanked: bytes) -> bool:
    """Whether a ``TJ`` array moves back by more than ``_BACK_IN_TJ`` between two glyphs (the
    numbers between two shown strings added up: empty strings move nothing), or by more than
    ``_BACK_IN_ARRAY`` in all (glyphs that show nothing, or move nothing, between the steps).
    ``blanked``: content with its strings blanked by ``_shown``."""
    for array in _TJ_ARRAY.finditer(blanked):
        shift = total = 0.0
        for token in _TJ_TOKEN.findall(array.group(1)):
            step = 0.0 if token == b"(x)" else float(token)
            shift = 0.0 if token == b"(x)" else shift + step
            total += max(step, 0.0)
            if shift > _BACK_IN_TJ or total > _BACK_IN_ARRAY:
                return True
    return False


def blank_strings(data: bytes) -> bytes:
    """``data`` with each string operand made "(x)" (or "()" if it shows nothing)."""
    return _STRING.sub(_shown, data)


def _stream_moves_back(data: bytes) -> bool:
    # Each pattern needs a literal (a minus sign; Tc, Tw or Tz; '"'; TJ): a look for it first
    # spares the pattern on most pages (the same answers, a third of the time).
    if b"-" in data and _BACK_TD.search(data):
        return True
    if (b"Tc" in data or b"Tw" in data or b"Tz" in data) and (_BACK_SPACING.search(data) or _SPACING_SET.search(data)):
        return True
    quote, tj = b'"' in data, b"TJ" in data
    if not (quote or tj):
        return False
    blanked = blank_strings(data)  # once, for the '"' and the TJ arrays
    if quote and (_BACK_QUOTE.search(blanked) is not None or _quote_spacing(blanked)):
        return True
    return tj and _tj_back(blanked)


def _quote_spacing(blanked: bytes) -> bool:
    """Whether a '"' sets a word or character spacing other than zero (``_SPACING_SET``)."""
    return any(float(m.group(1)) != 0 or float(m.group(2)) != 0 for m in _QUOTE_SPACING.finditer(blanked))


def moves_back(page: DictionaryObject) -> bool:
    """Whether the page's text may move back to the left along a line (a ``TJ`` shift, a
    ``Td``, a negative character or word spacing, a horizontal scaling of zero or less): glyphs
    shown in one order and placed in another, read in place order by eye; or whether it sets a
    word or character spacing at all (``_SPACING_SET``), or uses a Type3 font (``_type3``). The
    page's content streams (and its forms') are read as one, as a reader reads a content array
    (a token may end one stream and the next begin the next: ``8.3`` | ``Tc``), NUL read as the
    white space it is."""
    try:
        if _type3(_get(page, "/Resources"), 0, set()):
            return True
        joined = b"\n".join(_streams(page, 0, set())).translate(_NUL_AS_SPACE)
        return any(_stream_moves_back(data) for data in _spellings(joined))
    except Exception:  # noqa: BLE001 - content we cannot decode: read the page in place order
        return True


def _type3_fonts(resources: Any) -> list[DictionaryObject]:
    """The Type3 fonts ``resources`` name."""
    fonts = _get(resources, "/Font")
    named = [value.get_object() for value in (fonts.values() if isinstance(fonts, DictionaryObject) else ())]
    return [font for font in named if isinstance(font, DictionaryObject) and font.get("/Subtype") == "/Type3"]


def _type3(resources: Any, depth: int, seen: set[int]) -> bool:
    """Whether ``resources`` (or a form's they name) hold a Type3 font. poppler takes a Type3
    font's size from its glyphs' widths (an "m" of 0.6 em is the size set) and its matrix, pdfium
    from the size set: words of one size to pdfium may be of two to poppler, which keeps a word
    far from its block's size out of the block and reads the rest as it lies ("Fari-" "Note" /
    "da Kha-" "Note": poppler reads the name down the left, round 29). Such a page is read in
    reading order, which reads it with and without its Type3 letters (``layout.reading_order``)."""
    if depth > _MAX_DEPTH:
        return True  # forms nested deeper than anything real: read in reading order
    if _type3_fonts(resources):
        return True
    return any(_type3(_get(form, "/Resources"), depth + 1, seen) for form in resource_forms(resources, seen))


def _spellings(data: bytes) -> list[bytes]:
    """``data`` as the patterns read it, and with its comments taken out (a comment is white space
    between two tokens: ``8.3 %c⏎Tc``). Both: taking a ``%`` inside an inline image's bytes for a
    comment must not hide what follows it on the line (round 25)."""
    if b"%" not in data:
        return [data]
    return [data, _COMMENT_OR_STRING.sub(lambda m: m.group(0) if m.group(0)[:1] != b"%" else b" ", data)]
