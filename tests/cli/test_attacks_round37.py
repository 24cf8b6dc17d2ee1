"""Round 37: attacks on the anonymiser as it stands at ab3f8c7, on rounds 35-36's fixes in the
general case: how deep forms nest (``glyphs.vectors.too_deep``) and whether an embedded TrueType
program's cmap draws other letters (``glyphs.programs.truetype_misdrawn``).

Both leaks are fixed (``test_fixed_*``); see each item's last sentences.

A failing test here (``test_LEAK_*``) is a real leak: pdftotext (default mode) shows the name in
the public bundle built through the CLI ("Farida Khanum" registered, pseudonym FK), or the page
drawn in the built bundle shows the name to the eye (read back by Tesseract from poppler's
rendering, ``pdftoppm``); or (unit level, ``Target("Farida Khanum")`` only) the gate
(``leak_scan``) passes a page on which pdftotext or the rendering shows the name.

LEAKS
1. (the eye; OCR on and off) Round 33's cmap swap in a TrueType program WITHOUT GLYPH NAMES
   (``_nameless``): /F9 is a simple /TrueType font, ``/WinAnsiEncoding``, /FontFile2 DejaVu Sans
   Bold with the (3,1) and (1,0) entries of q w x y z j v t s p pointed at the glyphs F a r i d K
   h n u m, and its ``post`` table turned to format 3 (no names); the same with no ``post`` table
   at all. The page: "The statement of " (Helvetica 14), ``(qwxyzw jvwtsp) Tj`` in /F9 18.
   pdftotext / PDFium / pypdf: "The statement of qwxyzw jvwtsp"; poppler renders "The statement
   of Farida Khanum" (Tesseract reads it). ``page_doubts``: none; the gate passes; CLI builds
   (``--no-ocr`` and with OCR) exit 0, "leak gate: passed", the public page shows the name. Why
   missed: ``programs._truetype_misdrawn`` returns False at once when the program has no ``post``
   table or its format is not 1 or 2 ("no names to compare: what the outlines show only a look at
   the page tells") -- but nothing then takes that look: the page is no doubt, so it is neither
   refused (``--no-ocr``) nor OCR'd. This is not the README's stated limit (outlines lying under
   HONEST glyph names): here the CHARACTER MAP disguises the letters, which the README says is
   refused, and the program gives no names to be honest with. Fix: in ``truetype_misdrawn`` (and
   ``program_doubt``'s ``_truetype_doubt``) a program whose cmap reaches glyphs that carry no
   name (post format 3, no post, 2.5/4) is unverifiable, a doubt like ``page_unverifiable``'s for
   Type0 maps (OCR'd with OCR on, refused without); at least when a code the encoding names a
   letter reaches a glyph other than the one an honest cmap lookup of another code reaches for
   that same letter (here "q" and "F" in (3,1) reach one glyph: two letters, one glyph).
   FIXED: a program with no glyph names is checked for one glyph drawing two different letters
   the encoding names (``programs._one_glyph_two_letters``); a lie given a glyph of its own is the
   README's stated limit.

2. (pdftotext, and the eye; OCR on and off) Round 35's deep nesting made FLAT
   (``_flat_chain_page``): 45 forms, NONE with /Resources, all named in the PAGE's /XObject (/A0 ..
   /A45); /A<i> draws ``/A<i+1> Do``, /A45 shows ``BT /F2 14 Tf (qwxyzw jvwtsp) Tj ET`` with /F2
   (Helvetica, /Differences naming the codes F a r i d K h n u m: a font known for certain) also
   the page's. The page draws ``/A0 Do`` at 190 700 after "The statement of ". Readers: poppler
   looks each resource-less form's names up in the resources of what drew it, down to the page's,
   and goes 100 forms deep: pdftotext "The statement of Farida Khanum" and the rendering shows it.
   PDFium and pypdf: "The statement of" (PDFium stops past about 40 levels; pypdf finds no
   resources on the forms). ``too_deep`` is False, ``page_doubts`` none; the gate passes; CLI
   builds (``--no-ocr`` and OCR): exit 0, "leak gate: passed", pdftotext of the public bundle reads
   "The statement of Farida Khanum". (At 10 forms the gate refuses the page: held.) Why missed:
   ``vectors.too_deep`` measures depth along ``_children``, the forms each owner's OWN /Resources
   names; a resource-less form has no children there, so every /A<i> counts one level from the
   page: depth 1. The nesting lives in the content (``Do`` of a name) resolved through inherited
   resources, which ``too_deep`` never follows. Fix: walk ``Do`` operators in each content stream
   (names resolved against the form's own /Resources, else the nearest ancestor's, as poppler
   does), not the resource dictionaries; or make any form without /Resources that uses a
   resource name (``Do``, ``Tf``, ``gs``, ``cs``/``scn``, ``sh``, ``BDC``) a doubt, or have the
   sanitiser copy inherited resources into every resource-less form so that the depth walk and
   PDFium/pypdf see the chain.
   FIXED: ``vectors.too_deep`` follows a resource-less form into the forms its content names in
   its drawer's resources, as poppler does (``_drawn``).

HELD (``test_held_*``)
- Leak 2 with 10 flat forms: the gate refuses the page (it does not pass, though PDFium and pypdf
  read no name there).
- Round 33's swap in a single (3,10) format-12 cmap table (``_ucs4``): ``_lookups`` treats (3,10)
  as Unicode; poppler draws "Farida Khanum" and the gate refuses the page.

NOT TRIED (time): nesting through annotation appearances, Type3 glyph procs that ``Do`` forms from
the page's resources (a Type3 font without /Resources: likely leaks as 2, since ``_children`` also
reads only /Resources), shading patterns, forms referenced from /DR; cmap format 14, /Differences
re-mapping so the encoded letter and the cmap lookup differ, post format 2.5/4 (likely as 1);
``unread_text`` with stroke patterns (``SCN``) and render mode 7; 16-bit colour keys, Indexed
bases, stencil /Decode, JPEG colour keys, SMask /Matte; the stretch measure (Type3 /FontMatrix,
shears, ``Tz`` inherited into forms, negative stretch).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject

from bundler.core.anonymise.glyphs.doubt import page_doubts
from bundler.core.anonymise.glyphs.vectors import too_deep
from tests.cli.test_attacks_round3 import _flat
from tests.cli.test_attacks_round33 import (
    _NAME,
    _SHOWN,
    _build,
    _gate_passes,
    _pdfium_text,
    _pdftotext,
    _reads_name,
    _seen,
    _swap,
)
from tests.cli.test_attacks_round35 import _LINES, _form, _helvetica, _n, _name_differences, _stream, _text_page
from tests.cli.test_attacks_round36 import _built_shows_no_name, _guard, _subtable, _truetype_page

Make = Callable[[Path], None]

_OCR = pytest.mark.parametrize("ocr", [False, True], ids=["no-ocr", "ocr"])


def _source(folder: Path, make: Make) -> Path:
    pdf = folder / "source.pdf"
    make(pdf)
    return pdf


# --- 1. a cmap swap in a program with no glyph names ---------------------------------------------------


def _post_format_3(font: TTFont) -> None:
    _swap(font)
    font["post"].formatType = 3.0


def _no_post(font: TTFont) -> None:
    _swap(font)
    del font["post"]


_NAMELESS: dict[str, Make] = {
    "post-3": _truetype_page(_post_format_3),
    "no-post": _truetype_page(_no_post),
}


@pytest.mark.parametrize("kind", list(_NAMELESS))
def test_fixed_nameless_truetype_cmap_swap_gate_passes(tmp_path: Path, kind: str) -> None:
    pdf = _source(tmp_path, _NAMELESS[kind])
    _guard(pdf, _SHOWN, tmp_path)
    doubts = page_doubts(PdfReader(pdf).pages[0])
    assert not _gate_passes(pdf), f"the gate passes a page that shows the name (its doubts: {doubts!r})"


@_OCR
def test_fixed_nameless_truetype_cmap_swap_cli(tmp_path: Path, ocr: bool) -> None:
    _built_shows_no_name(tmp_path, _NAMELESS["post-3"], ocr=ocr)


# --- 2. a deep chain of resource-less forms, all named in the page's resources ------------------------

_DEEP = 45  # PDFium parses no form deeper than about 40 levels; poppler goes to 100


def _flat_chain_page(depth: int = _DEEP) -> Make:
    """ "The statement of ", then /A0 Do: /A<i> (no /Resources) draws /A<i+1>, every one named in
    the page's /XObject; /A<depth> shows the codes in the page's /F2 (the name's letters)."""

    def make(path: Path) -> None:
        writer = PdfWriter()
        page = _text_page(writer)
        page["/Resources"]["/Font"][_n("/F2")] = _helvetica(writer, _name_differences())
        forms = DictionaryObject()
        forms[_n(f"/A{depth}")] = _stream(writer, b"BT /F2 14 Tf 0 0 Td (qwxyzw jvwtsp) Tj ET", _form())
        for level in range(depth):
            forms[_n(f"/A{level}")] = _stream(writer, b"/A%d Do" % (level + 1), _form())
        page["/Resources"][_n("/XObject")] = forms
        page[_n("/Contents")] = _stream(writer, _LINES + b"q 1 0 0 1 190 700 cm /A0 Do Q\n")
        writer.write(path)

    return make


def test_fixed_flat_chain_of_resource_less_forms_gate_passes(tmp_path: Path) -> None:
    """pdftotext reads the name; PDFium and pypdf do not; ``too_deep`` counts one level."""
    pdf = _source(tmp_path, _flat_chain_page())
    assert _reads_name(_pdftotext(pdf)), "guard: pdftotext reads the name"
    assert _NAME not in _pdfium_text(pdf), "guard: PDFium does not"
    assert _NAME not in (PdfReader(pdf).pages[0].extract_text() or ""), "guard: pypdf does not"
    page = PdfReader(pdf).pages[0]
    assert not _gate_passes(pdf), (
        f"the gate passes a page pdftotext reads the name on (too_deep {too_deep(page)}, doubts {page_doubts(page)!r})"
    )


@_OCR
def test_fixed_flat_chain_of_resource_less_forms_cli(tmp_path: Path, ocr: bool) -> None:
    out = _build(tmp_path, _flat_chain_page(), ocr)
    if out is None:
        return
    text = _pdftotext(out)
    assert not _reads_name(text), f"pdftotext reads the name in the public bundle: {text!r}"
    seen = _seen(out, len(PdfReader(out).pages), tmp_path)
    assert "faridakhanum" not in _flat(seen), f"the public bundle's page shows the name: {seen!r}"


# --- held ----------------------------------------------------------------------------------------------


def test_held_short_flat_chain_is_refused(tmp_path: Path) -> None:
    pdf = _source(tmp_path, _flat_chain_page(10))
    assert _reads_name(_pdftotext(pdf))
    assert not _gate_passes(pdf)


def _ucs4(font: TTFont) -> None:
    """Round 33's swap in one (3,10) format-12 table."""
    best = dict(font.getBestCmap())
    honest = font.getBestCmap()
    for code, letter in zip(_SHOWN, _NAME, strict=True):
        if code != " ":
            best[ord(code)] = honest[ord(letter)]
    font["cmap"].tables = [_subtable(12, 3, 10, best)]


def test_held_swap_in_a_ucs4_table(tmp_path: Path) -> None:
    pdf = _source(tmp_path, _truetype_page(_ucs4))
    _guard(pdf, _SHOWN, tmp_path)
    assert not _gate_passes(pdf)
