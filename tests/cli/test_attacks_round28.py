"""Round 28: attacks through FONTS on the anonymiser as it stands at 58467e0 (``glyphs.doubt``
``font_doubt`` / ``_differences_doubt``, ``glyphs.tounicode``, ``glyphs.advance`` ``_excess`` /
``GAP_DOUBT``).

All five leaks are fixed (``test_fixed_*``); see each item's last sentences.

A failing test here is a real leak: pdftotext (default mode) shows the name in the public bundle
built through the CLI (``--no-ocr``, "Farida Khanum" registered, pseudonym FK), or the page drawn
in the built bundle shows the name to the eye (read back by Tesseract from poppler's rendering),
or (unit level, ``Target("Farida Khanum")`` only) the gate (``leak_scan``) passes a page that
pdftotext reads the name on, or whose rendering shows it.

LEAKS
1. Ligature glyph names (``_lig_page``). /F2 is Helvetica, WinAnsi with ``/Differences [1
   /uni004600610072006900640061 /uni004B00680061006E0075006D]``; the page shows ``(The claimant )
   Tj (\\001 \\002) Tj ( said so.) Tj``. The names are valid glyph-list names to fontTools'
   ``agl.toUnicode`` ("Farida", "Khanum") and to poppler (``parseCharName`` splits a ``uni`` name
   into every group of four hex digits, and ``a_b_c`` names into their parts). PDFium names its
   glyphs through FreeType's ``ps_unicode_value``, which takes a ``uni`` name of exactly four digits
   only: no Unicode, so PDFium's text shows the raw code (``\\x01``) and nothing for code 2. pypdf
   shows the names themselves ("/uni0046..."). pdftotext: "The claimant Farida Khanum said so.";
   PDFium: "The claimant \\x01  said so."; pypdf: "The claimant /uni0046… /uni004B… said so.". The
   redactor (PDFium) finds nothing, the gate passes; the CLI build writes a bundle pdftotext reads
   "Farida Khanum" in. Where: ``glyphs/doubt._differences_doubt`` accepts any name
   ``agl.toUnicode`` gives a value for; it should doubt a name whose value is more than one
   character (a ligature or ``uni`` sequence), and any name PDFium (FreeType) would not read the
   same: only AGL names, ``uniXXXX`` (four digits) and ``uXXXX[XX]``, each with an optional
   ``.suffix``, are read alike. FIXED: ``_differences_doubt`` doubts a name that is not exactly
   one character to ``agl.toUnicode``.
2. A ToUnicode map written with ``cidchar`` / ``cidrange`` sections (``_cid_section_page``). /F2
   is Helvetica, WinAnsi, its ToUnicode map a ``begincidchar`` (or ``begincidrange``) section
   mapping the codes of "Qwxyzw Jvwtsp" to the numbers of the letters of "Farida Khanum" (``<51>
   70`` ...). poppler's ToUnicode parser reads ``cidchar``/``cidrange`` entries as code → Unicode
   value; PDFium and pypdf read only ``bfchar``/``bfrange`` and fall back on WinAnsi. pdftotext:
   "Farida Khanum"; PDFium and pypdf: "Qwxyzw Jvwtsp" (which is what the page shows to the eye).
   ``tounicode.to_unicode_map`` also reads only ``bfchar``/``bfrange``, so
   ``_simple_contradiction`` sees no letter extracted otherwise than drawn: no doubt, the gate
   passes, the CLI build writes a bundle pdftotext reads the name in. Fix: read every section a
   reader reads (``cidchar``, ``cidrange``, ``notdefchar``/``notdefrange``, ``usecmap``) as
   poppler does, or doubt a ToUnicode map holding any section but ``bfchar``/``bfrange``.
   FIXED: ``to_unicode_map`` reads the cid and notdef sections as poppler does (a map that
   ``usecmap``s another cannot be read: a doubt), so the map contradicts the letters drawn.
3. (visual) A Type3 font whose glyph procedures show letters of another font (``_type3_page``).
   /T3's /Differences names its codes q, w, x, y, z, j, v, t, s, p, space (glyph-list names, no
   ToUnicode); each glyph procedure is ``W 0 d0 BT /H 1000 Tf 0 0 Td (L) Tj ET`` with /H Helvetica
   in the Type3 font's own /Resources, L the letter of "Farida Khanum" in that place, W Helvetica's
   width of L. Every text reader (PDFium, pypdf, poppler) reads "The statement of qwxyzw jvwtsp is
   true."; every renderer (poppler, PDFium) draws "The statement of Farida Khanum is true." in
   Helvetica, letter-perfect (Tesseract reads it back). ``font_doubt`` checks a Type3 font only for
   glyph-list names (``_differences_doubt``) and ``tounicode_doubt`` never looks at Type3 fonts;
   no glyph procedure is read (``vectors.curve_count`` counts curves in the page, its forms and
   patterns, not in CharProcs, and the glyphs draw none); no picture. The page is not in doubt, not
   OCR'd, and the build (``--no-ocr``, and with OCR too: nothing sends the page to it) writes a
   bundle that shows the name. The same holds for procedures that draw letters as filled
   rectangles or curves. Fix: treat a Type3 font as a font whose glyphs' shapes nothing checks: a
   page drawing one is read from its pixels (OCR compared with the text, like
   ``page_unverifiable``), at the least when a procedure shows text itself or draws paths.
   FIXED: ``doubt._type3_shapes``: a Type3 font any of whose glyphs does more than set its width,
   the graphics state and colour, and paint an image, puts its pages in doubt.
4. (Fixed) Round 26's hidden gap (``Tz`` 11700, ``[(-) -130 (No)] TJ``, /Widths 5/1000 em) with the tails'
   glyphs renamed so that ``_excess`` does not know them (``_renamed_gap_page``): /F9's encoding is
   WinAnsi with ``/Differences [45 /uni002D 69 /uni0045 78 /uni004E 111 /uni006F 120 /uni0078]``
   (also ``/u004E`` ..., or ``/N.alt`` ...). Every reader takes these names for "-", "E", "N", "o",
   "x" (PDFium and poppler; pypdf shows ``uni`` names as their letters and ``.alt`` names as the
   names), so the page reads as round 26's: PDFium "in support of Fari-No" / "da Kha-Ex" / "num
   against ...", pdftotext "in support of Farida Khanum against the defendant.". ``advance._excess``
   measures a glyph only ``if glyph in least`` (the standard metrics, keyed by names "N", "hyphen"
   ...), so renamed glyphs have no excess, ``_narrow_codes`` is empty, ``advance_doubt`` is "";
   gate passes, CLI build leaks. Fixed: ``advance._real_width`` measures a glyph by the standard
   glyph its name stands for (``agl.toUnicode``, then ``agl.UV2AGL``: ``uni004E``, ``u004E``,
   ``N.alt`` are "N"), and a glyph no name tells (a name of its own, a ligature, no name) as
   ``_FLOOR`` wide (0.222 em, the narrowest letter of Helvetica, Times and Courier): a tiny /Widths
   under a ``Tz`` above 180 is a doubt whatever the name; the page is ``GAP_DOUBT``.
5. (Fixed) The same hidden gap in a Type0 font (``_cid_gap_page``): /F9 is Type0, ``/Encoding
   /UniJIS-UCS2-H`` (trusted without a ToUnicode map), its descendant a non-embedded
   CIDFontType2 "Helvetica" (Adobe-Japan1) with ``/DW 5`` and no /W; the rows show ``[<002D> -130
   <004E006F>] TJ`` under the same ``Tz``. pdftotext (poppler moves by /DW): "in support of Farida
   Khanum against the defendant."; PDFium: "in support of Fari- No" / "da Kha- Ex": it does put a
   space there, but its boxes for the substituted font's glyphs (not /DW) cover the gap, so
   neither the screen nor reading order reads the column down. ``advance._excess`` returns {} for
   every Type0 font (and ``uncertain_codes`` none), so no doubt; the gate passes, the CLI build
   leaks. Fixed: ``advance._cid_widths`` reads the descendant's /W (both forms) and /DW (1000 by
   default) and takes every CID to be ``_FLOOR`` wide; a CID shown (two bytes under Identity-H/V;
   under any other CMap, which we do not read, any code may be any CID) whose width falls short of
   that by more than 0.4 em at the scaling is a doubt, in the font ``_GapScan`` finds showing it.

HELD (``test_held_*``)
- Ligature names spelled with underscores (``/F_a_r_i_d_a``): pypdf's text shows the name
  "F_a_r_i_d_a", which the gate's finder reads as the word when the name's parts are registered
  (the CLI registers them): the build refuses. (With the whole name alone registered the gate
  passes it, as pdftotext reads "Farida Khanum".)
- ToUnicode quirks read alike by a gate reader: two-byte codes for a one-byte font (PDFium and pypdf
  read the name), no count before ``beginbfchar`` (pypdf reads it), four-byte (UTF-32-like)
  destinations (PDFium and pypdf read the letters). Glyph names or literal strings as destinations
  are read by no reader.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from bundler.cli.main import main
from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.glyphs.advance import GAP_DOUBT, advance_doubt
from bundler.core.anonymise.glyphs.doubt import page_doubts
from bundler.core.errors import ExitCode
from tests.cli.test_attacks_round3 import _flat, _project, build_holds
from tests.cli.test_attacks_round21 import WHOLE, _font, _line, _w
from tests.cli.test_attacks_round23 import REGISTERED
from tests.cli.test_attacks_round26 import _BACK, _GUTTER, _NARROW, _columns, _pdfium_text, _pdftotext, _scaled_row
from tests.conftest import require

_NAME = "Farida Khanum"
_SHOWN = "Qwxyzw Jvwtsp"  # the codes shown for the name: one letter per distinct letter of it


def _n(name: str) -> NameObject:
    return NameObject(name)


def _write(writer: PdfWriter, fonts: dict[str, object], content: bytes, path: Path) -> None:
    blank = writer.add_blank_page(612, 792)
    blank[_n("/Resources")] = DictionaryObject(
        {_n("/Font"): DictionaryObject({_n(key): value for key, value in fonts.items()})}
    )
    stream = DecodedStreamObject()
    stream.set_data(content)
    blank[_n("/Contents")] = writer._add_object(stream)
    writer.write(str(path))


def _readers(pdf: Path) -> tuple[str, str, str]:
    """(pdftotext, PDFium, pypdf) text of the first page."""
    return _pdftotext(pdf), _pdfium_text(pdf), PdfReader(pdf).pages[0].extract_text()


# --- 1. ligature glyph names ---------------------------------------------------------------------

_UNI = ["/uni004600610072006900640061", "/uni004B00680061006E0075006D"]
_UNDERSCORED = ["/F_a_r_i_d_a", "/K_h_a_n_u_m"]


def _lig_page(names: list[str]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        writer = PdfWriter()
        f2 = _font(writer, "/Helvetica").get_object()
        f2[_n("/Encoding")] = DictionaryObject(
            {
                _n("/Type"): _n("/Encoding"),
                _n("/BaseEncoding"): _n("/WinAnsiEncoding"),
                _n("/Differences"): ArrayObject([NumberObject(1), *(_n(name) for name in names)]),
            }
        )
        content = b"BT /F1 14 Tf 72 700 Td (The claimant ) Tj /F2 14 Tf (\\001 \\002) Tj /F1 14 Tf ( said so.) Tj ET\n"
        _write(writer, {"/F1": _font(writer, "/Helvetica"), "/F2": f2.indirect_reference}, content, path)

    return make


def test_fixed_uni_ligature_glyph_names_pass_the_gate(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _lig_page(_UNI)(pdf)
    poppler, pdfium, pypdf = _readers(pdf)
    assert "The claimant Farida Khanum said so." in poppler, "guard: pdftotext reads the name"
    assert "Farida" not in pdfium and "Farida" not in pypdf, "guard: PDFium and pypdf do not"
    assert leak_scan(pdf, WHOLE, file_name="x.pdf"), "the gate passes a page pdftotext reads the name on"


def test_fixed_uni_ligature_glyph_names_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _lig_page(_UNI))


def test_held_underscored_ligature_names_with_the_parts_registered(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _lig_page(_UNDERSCORED)(pdf)
    assert "Farida Khanum" in _pdftotext(pdf), "guard: pdftotext reads the name"
    assert "F_a_r_i_d_a" in PdfReader(pdf).pages[0].extract_text()
    assert leak_scan(pdf, REGISTERED, file_name="x.pdf")
    build_holds(tmp_path / "cli", _lig_page(_UNDERSCORED))


# --- 2. ToUnicode sections poppler alone reads ---------------------------------------------------

_CMAP_HEAD = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
    b"/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
    b"1 begincodespacerange <00> <FF> endcodespacerange\n"
)
_CMAP_TAIL = b"\nendcmap CMapName currentdict /CMap defineresource pop end end\n"


def _pairs() -> list[tuple[int, str]]:
    return sorted({(ord(code), letter) for code, letter in zip(_SHOWN, _NAME, strict=True) if code != " "})


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-be").hex().upper().encode()


_SECTIONS: dict[str, Callable[[], bytes]] = {
    "cidchar": lambda: (
        b"%d begincidchar\n" % len(_pairs())
        + b"".join(b"<%02X> %d\n" % (code, ord(letter)) for code, letter in _pairs())
        + b"endcidchar"
    ),
    "cidrange": lambda: (
        b"%d begincidrange\n" % len(_pairs())
        + b"".join(b"<%02X> <%02X> %d\n" % (code, code, ord(letter)) for code, letter in _pairs())
        + b"endcidrange"
    ),
    # held: every one of these is read by PDFium or pypdf too, or by no reader
    "two-byte-codes": lambda: (
        b"%d beginbfchar\n" % len(_pairs())
        + b"".join(b"<00%02X> <%s>\n" % (code, _utf16(letter)) for code, letter in _pairs())
        + b"endbfchar"
    ),
    "no-count": lambda: (
        b"beginbfchar\n"
        + b"".join(b"<%02X> <%s>\n" % (code, _utf16(letter)) for code, letter in _pairs())
        + b"endbfchar"
    ),
    "four-byte-destinations": lambda: (
        b"%d beginbfchar\n" % len(_pairs())
        + b"".join(b"<%02X> <0000%s>\n" % (code, _utf16(letter)) for code, letter in _pairs())
        + b"endbfchar"
    ),
    "glyph-name-destinations": lambda: (
        b"%d beginbfchar\n" % len(_pairs())
        + b"".join(b"<%02X> /%s\n" % (code, letter.encode()) for code, letter in _pairs())
        + b"endbfchar"
    ),
}


def _cid_section_page(section: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        writer = PdfWriter()
        f2 = _font(writer, "/Helvetica").get_object()
        cmap = DecodedStreamObject()
        cmap.set_data(_CMAP_HEAD + _SECTIONS[section]() + _CMAP_TAIL)
        f2[_n("/ToUnicode")] = writer._add_object(cmap)
        content = b"BT /F1 14 Tf 72 700 Td (The claimant ) Tj /F2 14 Tf (%s) Tj /F1 14 Tf ( said so.) Tj ET\n" % (
            _SHOWN.encode()
        )
        _write(writer, {"/F1": _font(writer, "/Helvetica"), "/F2": f2.indirect_reference}, content, path)

    return make


@pytest.mark.parametrize("section", ["cidchar", "cidrange"])
def test_fixed_tounicode_cid_sections_pass_the_gate(tmp_path: Path, section: str) -> None:
    pdf = tmp_path / "source.pdf"
    _cid_section_page(section)(pdf)
    poppler, pdfium, pypdf = _readers(pdf)
    assert "Farida Khanum" in poppler, "guard: pdftotext reads the name"
    assert _SHOWN in pdfium and _SHOWN in pypdf, "guard: PDFium and pypdf read the codes as WinAnsi"
    assert leak_scan(pdf, WHOLE, file_name="x.pdf"), "the gate passes a page pdftotext reads the name on"


@pytest.mark.parametrize("section", ["cidchar", "cidrange"])
def test_fixed_tounicode_cid_sections_cli(tmp_path: Path, section: str) -> None:
    build_holds(tmp_path, _cid_section_page(section))


@pytest.mark.parametrize("section", ["two-byte-codes", "no-count", "four-byte-destinations"])
def test_held_tounicode_quirks_a_gate_reader_reads(tmp_path: Path, section: str) -> None:
    pdf = tmp_path / "source.pdf"
    _cid_section_page(section)(pdf)
    assert leak_scan(pdf, WHOLE, file_name="x.pdf")


def test_held_glyph_name_destinations_are_read_by_no_reader(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _cid_section_page("glyph-name-destinations")(pdf)
    assert not any("Farida" in text for text in _readers(pdf))


# --- 3. Type3 glyphs that show another font's letters (visual) ----------------------------------

_T3_SHOWN = _SHOWN.lower()


def _type3_page(path: Path) -> None:
    writer = PdfWriter()
    helvetica = _font(writer, "/Helvetica")
    procs, widths = DictionaryObject(), {}
    for code, letter in zip(_T3_SHOWN, _NAME, strict=True):
        width = round(_w(letter, 1000))
        widths[ord(code)] = width
        proc = DecodedStreamObject()
        proc.set_data(b"%d 0 d0 BT /H 1000 Tf 0 0 Td (%s) Tj ET" % (width, letter.encode()))
        procs[_n("/space" if code == " " else "/" + code)] = writer._add_object(proc)
    first, last = min(widths), max(widths)
    names = [item for c in sorted(widths) for item in (NumberObject(c), _n("/space" if c == 32 else "/" + chr(c)))]
    t3 = DictionaryObject(
        {
            _n("/Type"): _n("/Font"),
            _n("/Subtype"): _n("/Type3"),
            _n("/FontBBox"): ArrayObject([NumberObject(v) for v in (0, -250, 1000, 900)]),
            _n("/FontMatrix"): ArrayObject([FloatObject(0.001), NumberObject(0), NumberObject(0), FloatObject(0.001)])
            + ArrayObject([NumberObject(0), NumberObject(0)]),
            _n("/CharProcs"): procs,
            _n("/Encoding"): DictionaryObject({_n("/Type"): _n("/Encoding"), _n("/Differences"): ArrayObject(names)}),
            _n("/FirstChar"): NumberObject(first),
            _n("/LastChar"): NumberObject(last),
            _n("/Widths"): ArrayObject([NumberObject(widths.get(c, 0)) for c in range(first, last + 1)]),
            _n("/Resources"): DictionaryObject({_n("/Font"): DictionaryObject({_n("/H"): helvetica})}),
        }
    )
    content = b"BT /F1 14 Tf 72 700 Td (The statement of ) Tj /T3 14 Tf (%s) Tj /F1 14 Tf ( is true.) Tj ET\n" % (
        _T3_SHOWN.encode()
    )
    _write(writer, {"/F1": helvetica, "/T3": writer._add_object(t3)}, content, path)


def _seen(pdf: Path, page: int, folder: Path) -> str:
    """What Tesseract reads on poppler's rendering of ``page`` (the eye's proxy)."""
    require(shutil.which("pdftoppm") is not None and shutil.which("tesseract") is not None, "pdftoppm, tesseract")
    stem = folder / f"seen-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf)]
        + [str(stem)],
        check=True,
    )
    return subprocess.run(
        ["tesseract", str(stem.with_suffix(".png")), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_fixed_type3_glyphs_showing_letters_pass_the_gate(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _type3_page(pdf)
    assert all(_T3_SHOWN in text for text in _readers(pdf)), "guard: every text reader reads the codes' names"
    assert "faridakhanum" in _flat(_seen(pdf, 1, tmp_path)), "guard: the page shows the name"
    assert leak_scan(pdf, WHOLE, file_name="x.pdf"), "the gate passes a page that shows the name"
    assert page_doubts(PdfReader(pdf).pages[0]), "no doubt for a font whose glyphs nothing checks"


@pytest.mark.parametrize("ocr", [False, True], ids=["no-ocr", "ocr"])
def test_fixed_type3_glyphs_showing_letters_cli(tmp_path: Path, ocr: bool) -> None:
    """Built (with or without OCR): refused, or the bundle's page does not show the name."""
    project = _project(tmp_path, _type3_page)
    out = tmp_path / "public.pdf"
    flags = [] if ocr else ["--no-ocr"]
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache"), *flags])
    if code == ExitCode.LEAK:
        return
    assert code == ExitCode.OK, code
    pages = len(PdfReader(out).pages)
    seen = "\n".join(_seen(out, n, tmp_path) for n in range(1, pages + 1))
    assert "faridakhanum" not in _flat(seen), f"the public bundle shows the name: {seen!r}"


# --- 4. the hidden gap with glyph names the width check does not know ----------------------------

_TAILS = {45: "hyphen", 69: "E", 78: "N", 111: "o", 120: "x"}  # the codes round 26's tails show
_RENAMINGS: dict[str, Callable[[int], str]] = {
    "uni": lambda code: f"/uni{code:04X}",
    "u": lambda code: f"/u{code:04X}",
    "alt": lambda code: f"/{_TAILS[code]}.alt",
}


def _renamed_gap_page(renaming: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        writer = PdfWriter()
        f9 = _font(writer, "/Helvetica", {code: _NARROW for code in range(33, 256)}).get_object()
        rename = _RENAMINGS[renaming]
        f9[_n("/Encoding")] = DictionaryObject(
            {
                _n("/BaseEncoding"): _n("/WinAnsiEncoding"),
                _n("/Differences"): ArrayObject([item for c in _TAILS for item in (NumberObject(c), _n(rename(c)))]),
            }
        )
        fonts = {"/F1": _font(writer, "/Helvetica"), "/F9": f9.indirect_reference}
        _write(writer, fonts, _columns(_scaled_row), path)

    return make


@pytest.mark.parametrize("renaming", list(_RENAMINGS))
def test_fixed_renamed_glyphs_hide_the_gap_from_the_gate(tmp_path: Path, renaming: str) -> None:
    pdf = tmp_path / "source.pdf"
    _renamed_gap_page(renaming)(pdf)
    assert "Farida Khanum" in _pdftotext(pdf), "guard: pdftotext reads the name"
    assert "Fari-No" in _pdfium_text(pdf), "guard: PDFium shows no space at the gutter"
    assert leak_scan(pdf, WHOLE, file_name="x.pdf"), "the gate passes a page pdftotext reads the name on"
    assert advance_doubt(PdfReader(pdf).pages[0]) == GAP_DOUBT


def test_fixed_renamed_glyphs_hide_the_gap_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _renamed_gap_page("uni"), readers=("pdftotext",))


# --- 5. the hidden gap in a CID font's /DW ---------------------------------------------------------


def _ucs2(text: str) -> bytes:
    return text.encode("utf-16-be").hex().encode()


def _cid_row(y: float, left: bytes, tail: bytes) -> bytes:
    x = 72 + _w(left.decode())
    scale = (_GUTTER - x) * 1000 / (11 * (_NARROW + _BACK))
    return _line(y, 72, left) + b"BT /F9 11 Tf %.3f Tz 1 0 0 1 %.3f %.3f Tm [<%s> %d <%s>] TJ 100 Tz ET\n" % (
        scale * 100,
        x,
        y,
        _ucs2("-"),
        -_BACK,
        _ucs2(tail.decode()),
    )


def _cid_gap_page(path: Path) -> None:
    writer = PdfWriter()
    descriptor = DictionaryObject(
        {
            _n("/Type"): _n("/FontDescriptor"),
            _n("/FontName"): _n("/Helvetica"),
            _n("/Flags"): NumberObject(32),
            _n("/FontBBox"): ArrayObject([NumberObject(v) for v in (-200, -200, 1000, 900)]),
            _n("/ItalicAngle"): NumberObject(0),
            _n("/Ascent"): NumberObject(718),
            _n("/Descent"): NumberObject(-207),
            _n("/CapHeight"): NumberObject(718),
            _n("/StemV"): NumberObject(80),
        }
    )
    system = {
        _n("/Registry"): TextStringObject("Adobe"),
        _n("/Ordering"): TextStringObject("Japan1"),
        _n("/Supplement"): NumberObject(2),
    }
    descendant = DictionaryObject(
        {
            _n("/Type"): _n("/Font"),
            _n("/Subtype"): _n("/CIDFontType2"),
            _n("/BaseFont"): _n("/Helvetica"),
            _n("/CIDSystemInfo"): DictionaryObject(system),
            _n("/FontDescriptor"): writer._add_object(descriptor),
            _n("/DW"): NumberObject(_NARROW),
        }
    )
    f9 = DictionaryObject(
        {
            _n("/Type"): _n("/Font"),
            _n("/Subtype"): _n("/Type0"),
            _n("/BaseFont"): _n("/Helvetica"),
            _n("/Encoding"): _n("/UniJIS-UCS2-H"),
            _n("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
        }
    )
    _write(writer, {"/F1": _font(writer, "/Helvetica"), "/F9": writer._add_object(f9)}, _columns(_cid_row), path)


def test_fixed_cid_font_default_width_hides_the_gap_from_the_gate(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _cid_gap_page(pdf)
    assert "in support of Farida Khanum against" in _pdftotext(pdf), "guard: pdftotext reads the name"
    assert "Farida" not in _pdfium_text(pdf), "guard: PDFium does not"
    assert leak_scan(pdf, WHOLE, file_name="x.pdf"), "the gate passes a page pdftotext reads the name on"
    assert advance_doubt(PdfReader(pdf).pages[0]) == GAP_DOUBT


def test_fixed_cid_font_default_width_hides_the_gap_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _cid_gap_page, readers=("pdftotext",))


def test_the_round_26_names_are_still_in_doubt(tmp_path: Path) -> None:
    """Control: the same page with the tails' glyphs under their standard names is in doubt."""
    pdf = tmp_path / "source.pdf"
    writer = PdfWriter()
    narrow = {code: _NARROW for code in range(33, 256)}
    fonts = {"/F1": _font(writer, "/Helvetica"), "/F9": _font(writer, "/Helvetica", narrow)}
    _write(writer, fonts, _columns(_scaled_row), pdf)
    assert advance_doubt(PdfReader(pdf).pages[0]) == GAP_DOUBT
    assert re.search(r"Farida\s+Khanum", _pdftotext(pdf))
