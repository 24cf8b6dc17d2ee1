"""Round 2 of the attacks on quicktext: other ways a kept font can differ from the font pypdf makes.

A mutation detector (snapshots of every resolved object, with identities, stream caches and
attributes, before and after pypdf's own ``extract_text`` of each page) finds pypdf changes
three things in the document while it reads: the ``/DescendantFonts`` rewrite (mended in
round 1), ``decoded_self`` on each encoded stream it decodes, and ``_font_file_character_map``
on each Type1 font file it parses. Both caches are set once and hold what a new reading gives.

The state that breaks the claim is in the reader, not the document: ``PdfReader.get_object``
adds ``(idnum, generation)`` to ``_known_objects`` before it parses an object and takes it out
only if parsing succeeds. An object that fails to parse (``PdfReadError``) stays there, so
every later attempt raises ``LimitReachedError`` ("Detected loop with self reference")
instead, and that is not a ``PdfReadError``. pypdf's ``Font.from_font_resource`` swallows a
``PdfReadError`` while it gets a ``/FontFile*`` stream, so the first font made from such a
dictionary is fine and every later one raises. So:

- a kept font hides the ``LimitReachedError`` pypdf raises when it makes the font again: on
  the same page (a font listed under two names) and on a later page of one reading;
- ``_rewrites`` resolves ``/DescendantFonts`` for every font, simple ones too, which pypdf
  never does. If that object cannot be parsed it is now poisoned, and pypdf's own reading of
  it (as the font file) raises ``LimitReachedError``: quicktext raises where pypdf reads the name.

The gate reads an exception as "unreadable" and refuses the file, so the first showed text
where pypdf would have made the gate refuse, and the second refused a file pypdf reads. Both
are mended: a font whose making left an object begun and not read is not kept
(``_failed_reads``), and ``_rewrites`` asks only ``/Subtype``, as pypdf does, reading nothing.
These tests hold quicktext to that.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from tests.core.pdf.test_quicktext import _one_reading, _page_by_page, _pypdfs_own
from tests.core.pdf.test_quicktext_attacks import _form_pdf, _read, _stream, _three_ways, _two_pages_pdf
from tests.pdfs import CORPUS, raw_pdf

NAME = "Farida Khanum"


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


# --- what the attack found, now mended: a font file pypdf cannot parse ------------------------------

_BROKEN = b"]"  # pypdf: PdfReadError the first time it is resolved, LimitReachedError every time after
_WITH_FILE = (
    b"<< /Type /Font /Subtype /TrueType /BaseFont /Helvetica %s"
    b"/FontDescriptor << /Type /FontDescriptor /FontFile2 12 0 R >> >>"
)
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << %s >> >> /Contents 5 0 R >>"


def _broken_file_pdf(listed: bytes, pages: int = 1, font_extra: bytes = b"") -> bytes:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (20 + i) for i in range(pages)), pages),
        5: _stream(b"BT /F1 24 Tf 72 700 Td (" + NAME.encode() + b") Tj ET"),
        10: _WITH_FILE % font_extra,
        12: _BROKEN,
    }
    objects.update({20 + i: _PAGE % listed for i in range(pages)})
    return raw_pdf(objects)


def test_reader_poisons_an_object_it_failed_to_parse() -> None:
    """PASSING: the pypdf behaviour the attacks below rest on."""
    reader = PdfReader(io.BytesIO(_broken_file_pdf(b"/F1 10 0 R")))
    errors = []
    for _ in range(2):
        try:
            reader.get_object(12)
        except Exception as exc:  # noqa: BLE001
            errors.append(type(exc).__name__)
    assert errors == ["PdfReadError", "LimitReachedError"]


def test_a_kept_font_hides_the_error_pypdf_raises_making_it_again_on_one_page() -> None:
    """One page lists the same font dictionary as /F1 and /F2: pypdf makes it twice, and the
    second time the font file raises LimitReachedError (not swallowed). quicktext copies the
    font it made the first time and reads the text."""
    data = _broken_file_pdf(b"/F1 10 0 R /F2 10 0 R")
    with _pypdfs_own():
        expected = _read(data, _page_by_page)
    assert expected == ["raised LimitReachedError"]
    assert _read(data, _page_by_page) == expected  # quicktext: ["Farida Khanum"]
    assert _read(data, _one_reading) == expected


def test_a_kept_font_hides_the_error_pypdf_raises_on_a_later_page_of_one_reading() -> None:
    """The gate's way: pypdf reads page 1 and raises on page 2; one reading reads both."""
    data = _broken_file_pdf(b"/F1 10 0 R", pages=2)
    with _pypdfs_own():
        expected = _read(data, _page_by_page)
    assert expected == [NAME, "raised LimitReachedError"]
    assert _read(data, _page_by_page) == expected  # holds: each page its own reading
    assert _read(data, _one_reading) == expected  # quicktext: [NAME, NAME]


def test_the_rewrites_check_resolves_an_object_pypdf_never_reads() -> None:
    """A simple font pypdf makes without looking at /DescendantFonts. quicktext's ``_rewrites``
    resolves it; it fails (PdfReadError, caught there) and is poisoned, so pypdf's own reading of
    the same object as the font file raises LimitReachedError: quicktext raises, pypdf reads."""
    data = _broken_file_pdf(b"/F1 10 0 R", font_extra=b"/DescendantFonts 12 0 R ")
    with _pypdfs_own():
        expected = _read(data, _page_by_page)
    assert expected == [NAME]
    assert _read(data, _page_by_page) == expected  # quicktext: ["raised LimitReachedError"]
    assert _read(data, _one_reading) == expected


# --- PASSING: what held ----------------------------------------------------------------------------

_SHOWN = b"<" + bytes(range(0x41, 0x4E)).hex().encode() + b">"
_PAGE_X = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << %s >> /XObject << /X1 7 0 R >> >>"
    b" /Contents %d 0 R >>"
)
_SHOW = b"BT /F1 24 Tf 72 700 Td " + _SHOWN + b" Tj /F0 12 Tf " + _SHOWN + b" Tj ET"
_T0 = b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts %s >>"
_CID = b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /W %s /DW 700 /CIDToGIDMap %s /FontDescriptor 16 0 R >>"
_TYPE3 = b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 0] "

_CRAFTED: dict[str, dict[int, bytes]] = {
    "W-shared-with-Widths-and-DescendantFonts": {
        10: b"<< /Type /Font /Subtype /TrueType /BaseFont /Helvetica /FirstChar 65 /Widths 12 0 R >>",
        11: _T0 % b"12 0 R", 12: b"[13 0 R 14 0 R]", 13: _CID % (b"12 0 R", b"/Identity"), 14: b"300",
        16: b"<< /Type /FontDescriptor /Flags 32 /MissingWidth 13 0 R >>",
    },
    "DescendantFonts-array-as-Differences-W-and-FontBBox-with-CIDToGIDMap-stream": {
        10: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences 12 0 R >> >>",
        11: _T0 % b"12 0 R", 12: b"[65 13 0 R /K]", 13: _CID % (b"[65 12 0 R]", b"15 0 R"),
        15: _stream(b"\x00\x01" * 4),
        16: b"<< /Type /FontDescriptor /Flags 4 /FontBBox 12 0 R >>",
    },
    "FontDescriptor-shared-MissingWidth-by-reference": {
        10: b"<< /Type /Font /Subtype /Type1 /BaseFont /Foo /FontDescriptor 16 0 R /Encoding /WinAnsiEncoding >>",
        11: _T0 % b"[13 0 R]", 13: _CID % (b"[65 [17 0 R 500]]", b"/Identity"),
        16: b"<< /Type /FontDescriptor /Flags 32 /MissingWidth 17 0 R /FontBBox [0 0 1 1] >>", 17: b"900",
    },
    "ToUnicode-is-the-form-content": {
        10: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 7 0 R >>", 11: _T0 % b"[13 0 R]",
        13: _CID % (b"[]", b"/Identity"), 16: b"<< /Type /FontDescriptor >>",
    },
    "Type3-with-Resources-naming-the-Type0": {
        10: _TYPE3 + b"/CharProcs 18 0 R /Encoding << /Differences [65 /A /B] >> /Resources << /Font << /Z 11 0 R >> >>"
        b" /FirstChar 65 /LastChar 66 /Widths [1 2] >>",
        11: _T0 % b"12 0 R", 12: b"[13 0 R]", 13: _CID % (b"[]", b"/Identity"), 16: b"<< >>",
        18: b"<< /A 19 0 R /B 19 0 R >>", 19: _stream(b"0 0 d0"),
    },
    "Type3-CharProcs-is-the-DescendantFonts-array": {
        10: _TYPE3 + b"/CharProcs 12 0 R >>", 11: _T0 % b"12 0 R", 12: b"[13 0 R]", 13: _CID % (b"[]", b"/Identity"),
        16: b"<< >>",
    },
}  # fmt: skip


def _crafted(fonts: dict[int, bytes], pages: list[tuple[bytes, bytes]]) -> bytes:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (30 + i) for i in range(len(pages))), len(pages)),
        7: _stream(
            _SHOW,
            b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F0 11 0 R /F1 10 0 R >> >>",
        ),
        **fonts,
    }
    for i, (listed, content) in enumerate(pages):
        objects[30 + i] = _PAGE_X % (listed, 40 + i)
        objects[40 + i] = _stream(content)
    return raw_pdf(objects)


@pytest.mark.parametrize("name", list(_CRAFTED))
def test_objects_shared_with_arrays_pypdf_rewrites_read_as_pypdf_reads_them(name: str) -> None:
    """Fonts sharing /W, /Widths, /Differences, /FontBBox, /CharProcs, /FontDescriptor,
    /MissingWidth, /ToUnicode with a rewritten /DescendantFonts array or a form; Type0 fonts
    before and after the simple font, on a page and in a form, over several pages."""
    fonts = _CRAFTED[name]
    shown = _SHOW + b" /X1 Do"
    docs = [
        _crafted(fonts, [(b"/F1 10 0 R", _SHOW), (b"/F0 11 0 R /F1 10 0 R", shown), (b"/F1 10 0 R", shown)]),
        _crafted(fonts, [(b"/F1 10 0 R /F0 11 0 R", shown), (b"/F1 10 0 R", _SHOW)]),
    ]
    own, pages, one = _three_ways(docs)
    assert pages == own
    assert one == own


# --- the mutation detector -----------------------------------------------------------------------


def _describe(reader: PdfReader) -> dict[Any, Any]:
    """Every resolved object, described with identities (an object met again is "same" and
    its number), IndirectObject kept apart from what it names, and every attribute."""
    tags: dict[int, int] = {}

    def attrs(obj: Any) -> tuple[Any, ...]:
        found = vars(obj).items() if hasattr(obj, "__dict__") else ()
        return tuple(sorted((k, repr(v)[:200]) for k, v in found if k != "indirect_reference"))

    def desc(obj: Any, depth: int = 0) -> Any:
        if isinstance(obj, IndirectObject):
            return ("ref", obj.idnum, obj.generation)
        if isinstance(obj, (dict, list, StreamObject)) and depth < 60:
            if id(obj) in tags:
                return ("same", tags[id(obj)])
            tags[id(obj)] = len(tags)
            items = dict.items(obj) if isinstance(obj, dict) else enumerate(list.__iter__(obj))
            return (type(obj).__name__, tuple((repr(k), desc(v, depth + 1)) for k, v in items), attrs(obj))
        return (type(obj).__name__, repr(obj)[:200], attrs(obj))

    return {key: desc(obj) for key, obj in sorted(reader.resolved_objects.items())}


def _changes(before: Any, after: Any, path: str) -> list[str]:
    if before == after:
        return []
    if before[0] in ("ref", "same") or after[0] in ("ref", "same") or before[0] != after[0]:
        return [f"{path} {before[0]}->{after[0]}"]
    out = []
    if isinstance(before[1], tuple) and len(before[1]) == len(after[1]):
        for (key, x), (_, y) in zip(before[1], after[1], strict=True):
            out += _changes(x, y, f"{path}/{key}")
    elif before[1] != after[1]:
        out.append(f"{path} value")
    b, a = dict(before[2]), dict(after[2])
    out += [f"{path}.{k}" for k in sorted(set(b) | set(a)) if b.get(k) != a.get(k)]
    return out


def _mutations(data: bytes) -> set[str]:
    """What pypdf's own extract_text changes in the objects it had already resolved, by kind."""
    reader = PdfReader(io.BytesIO(data))
    try:
        for gen, table in reader.xref.items():
            for idnum in table:
                try:
                    reader.get_object(IndirectObject(idnum, gen, reader))
                except Exception:  # noqa: BLE001, S112 - a broken object is not the question here
                    continue
        pages = list(reader.pages)
    except Exception:  # noqa: BLE001 - an encrypted file
        return set()
    kinds = set()
    for page in pages:
        before = _describe(reader)
        with contextlib.suppress(Exception):
            page.extract_text()
        after = _describe(reader)
        for key in before:
            for change in _changes(before[key], after[key], "obj"):
                kinds.add(re.sub(r"\['?\d+'?\]|'\d+'", "[i]", change))
    return kinds


def test_the_only_changes_pypdf_makes_to_the_document_while_reading(tmp_path: Path) -> None:
    """On the corpus and round 1's files: stream decoding caches, the font file character map
    cache, and the /DescendantFonts rewrite (with what that rewrite makes a Differences read).
    Reader state (``_known_objects``, repaired ``xref``) is not in the objects; see above."""
    docs = [path.read_bytes() for path in sorted((CORPUS / "real-pdfs").glob("*.pdf"))]
    docs += [_form_pdf(), _two_pages_pdf()]
    with _pypdfs_own():
        kinds = set().union(*(_mutations(d) for d in docs))
    rewrite = {k for k in kinds if "DescendantFonts" in k}
    caches = {k for k in kinds if k.endswith((".decoded_self", "._font_file_character_map"))}
    assert "obj.decoded_self" in kinds and "obj._font_file_character_map" in kinds
    assert any("DescendantFonts" in k for k in kinds)
    # the rest is that rewrite seen from elsewhere: a descendant now met first inside its
    # Type0 font ("same"), round 1's shared array holding the number its reference named
    assert kinds - rewrite - caches == {"obj DictionaryObject->same", "obj/0 ref->NumberObject"}, kinds
