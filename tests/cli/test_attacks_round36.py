"""Round 36: attacks on the anonymiser as it stands at a075e85, on the font-program class in the
general case: the name drawn by an embedded font program's glyphs while every text reader reads
other codes (round 33's leak 2 and its fix ``glyphs.programs.truetype_misdrawn``).

Leaks 1-3 are fixed (``test_fixed_*``); leak 4 (outlines that lie under honest glyph names) is
a known limit, kept as a strict xfail: only OCR of the page sees it.

A failing test here (``test_LEAK_*``) is a real leak: the page drawn in the public bundle built
through the CLI ("Farida Khanum" registered, pseudonym FK) shows the name to the eye (read back by
Tesseract from poppler's rendering, ``pdftoppm``), or (unit level, ``Target("Farida Khanum")``
only) the gate (``leak_scan``) passes such a page. In every leak below pdftotext, PDFium and pypdf
read the codes, not the name, so no reader of text can find it; the README claims "A page that
draws a protected term where no engine's text shows it (a font whose character map disguises the
letters, ...) is refused". With ``--no-ocr`` nothing refuses these pages and with OCR nothing sends
them to OCR: the builds exit 0, "leak gate: passed", 0 redactions.

Every page: "The statement of " (Helvetica 14), then ``(codes) Tj`` in /F9 18 at x 190, then "The
claimant makes a statement to the court." (Helvetica 14). /F9 is an embedded font, /Widths those
of the glyphs drawn; the codes are "qwxyzw jvwtsp" (one per distinct letter of the name) unless
said.

LEAKS
1. (the eye; OCR on and off) TrueType, the glyphs the cmap reaches RENAMED to names that are no
   letter (``_renamed``). /F9 is round 33's font (simple /TrueType, ``/WinAnsiEncoding``, DejaVu
   Sans Bold as /FontFile2, (3,1) and (1,0) cmap entries of q w x y z j v t s p pointed at the
   glyphs F a r i d K h n u m), but those ten glyphs are renamed in the post table (format 2)
   "g" + their glyph id ("g41" for F).   pdftotext / PDFium / pypdf: "The statement of qwxyzw
   jvwtsp"; poppler draws "The statement of Farida Khanum" (Tesseract reads it). Why missed:
   ``programs._truetype_misdrawn`` flags a code only when the glyph reached is named ANOTHER LETTER
   (``_letter(glyph) not in ("", letter)``): a name that is no letter ("g37", "bullet", "space",
   "glyph12", "uniE000") is taken as "cannot be told" and passes, though it already disagrees with
   the encoding's name ("q"). Fix: flag a code whose reached glyph's name is not the encoding's
   glyph name for it (nor a name of the same character: "uni0071", "q.alt"), a name that says no
   letter included; only ".notdef"/no glyph at all may pass (and a program with no names, post
   format 3, should be a doubt as an unverifiable Type0 map is: ``page_unverifiable``).
   FIXED: ``programs._truetype_misdrawn``: in a Unicode cmap, a letter's glyph must be named that
   letter (a name of no letter is not).

2. (the eye; OCR on and off) TrueType with only a SYMBOL (3,0) cmap whose entries sit at
   0xF000 + code (``_symbol_cmap``). The (3,0) table maps 0xF020..0xF0FF to the glyph of each
   WinAnsi code's character, except 0xF071 ("q") etc. mapped to the glyphs F a r i d K h n u m;
   it has no entry below 0xF000. /Flags 4 (symbolic); the same leaks with /Flags 32. Readers:
   pdftotext / PDFium "The statement of qwxyzw jvwtsp"; poppler renders "Farida Khanum". Why
   missed: ``_truetype_misdrawn`` keys a table by ``table.isUnicode()``, and fontTools calls (3,0)
   a Unicode table (``platEncID in (0, 1, 10)``), so it looks up only ``ord(letter)`` (0x71: no
   entry) and never ``0xF000 + code``, which is what poppler (symbol cmap: the code, else 0xF000 +
   code) and PDFium use. Fix: for (3,0) (and any table not (3,1)/(3,10)/(0,x)) look up the code,
   0xF000 + code AND the letter's value, as renderers fall back through all of them.
   FIXED: a (3,0) table is looked up by the code, 0xF000 plus it and the letter (``_lookups``); a
   glyph there named another letter is a doubt (a symbol's name, a Wingdings bullet's, is not).

3. (the eye; OCR on and off) TrueType with only a Mac Roman (1,0) cmap, codes above 127
   (``_mac_cmap``). The page shows the codes of "àáâäãá åçáèéê" (WinAnsi), one accented letter per
   distinct letter of the name. The (1,0) table maps each Mac Roman code to the glyph of its
   character, except the MAC codes of à á â ä ã å ç è é ê (0x88, 0x87, 0x89, 0x8A, 0x8B, 0x8C,
   0x8D, 0x8F, 0x8E, 0x90) mapped to F a r i d K h n u m; at the WINANSI codes (0xE0, 0xE1, ...)
   it keeps honest entries (agrave, aacute, ...). pdftotext / PDFium: "The statement of àáâäãá
   åçáèéê"; poppler renders "Farida Khanum". Why missed: ``_truetype_misdrawn`` looks a non-Unicode
   table up by the PDF code (0xE0) and 0xF000 + code, but poppler (and the spec, "1d") with a
   non-symbolic font and a (1,0) table maps the encoding's glyph NAME ("agrave") through Mac Roman
   to a Mac code (0x88) and looks that up. Fix: for (1,0) also look up the Mac Roman code of the
   encoding's glyph name (``fontTools.encodings.MacRoman``).
   FIXED: a (1,0) table is looked up by the letter's Mac Roman code, and every code the encoding
   names a letter is checked, accented ones too (``doubt._encoded_letters``).

4. (the eye; OCR on and off) An embedded CFF simple font (``/Type1``, ``/FontFile3 /Subtype
   /Type1C``, ``/WinAnsiEncoding``) whose charstrings NAMED q w x y z j v t s p draw the outlines
   of F a r i d K h n u m (``_cff_page``; built with fontBuilder from DejaVu Sans Bold's outlines).
   pdftotext / PDFium: "qwxyzw jvwtsp"; poppler renders "Farida Khanum". Why missed:
   ``doubt._simple_doubt`` opens the program only when the font has no base encoding, or for
   TrueType (``truetype_misdrawn``); a Type1 or CFF program under a standard encoding is never
   read. Here even reading it would not help: the names are honest and only the outlines lie
   (as a TrueType with ``glyf`` entries swapped under honest names), which round 33 called "beyond
   any reader of text: left to OCR" — but nothing sends such a page to OCR, so with OCR on the
   eye reads the name in the public bundle too. Fix: no check of names can close this class;
   the page's pixels must be read: with OCR on, render and OCR every page whose text is drawn by
   an embedded program (at least those not a well-known subset: compare the OCR words with the
   text layer's, as the scan check does, and treat a disagreement on a letter run as a doubt);
   with OCR off the README's claim must be weakened to say embedded glyph outlines are trusted.
   KNOWN LIMIT (strict xfail): outlines are not compared with anything. README says so.

HELD (``test_held_*``)
- Round 33's swap with the reached glyph renamed "uni0046" (post format 2): ``_letter`` reads
  "uni0046" as "F"; the gate refuses the page. With "F.alt" likewise.
- Round 33's swap in the (1,0) table only, (3,1) honest (a font with both tables pointing
  differently): poppler uses (3,1) (honest "qwxyzw jvwtsp" drawn); ``_truetype_misdrawn`` scans
  every table and flags the (1,0) one anyway (a doubt, so refused without OCR).
- A Type0 font, Identity-H, CID-keyed CFF (``cidNNNNN`` names) with a ToUnicode saying "qwxyzw
  jvwtsp": not tried end to end for lack of time; by reading ``tounicode_unverifiable`` the page
  is unverifiable (its letters rest on nothing in the program) and goes to OCR / is refused.

NOT TRIED (time): the width-stretch measure (Type3 /FontMatrix stretch, a form /Matrix used from
a pattern, ``Tz`` inherited into a form, ``cm`` inside BT, shears); Type1 (FontFile) programs
with ``/Differences``; /Differences renaming so ``drawn_letters`` is empty (e.g. naming every
shown code "bullet" in /Differences while the cmap draws letters: likely leaks as 1, since
``truetype_misdrawn`` returns "" when ``drawn`` is empty); (3,1)+(1,0) where (1,0) alone is
honest and the (3,1) lies at a value other than the letter's.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, PdfObject

from bundler.core.anonymise.glyphs.doubt import page_doubts
from bundler.core.anonymise.pdf.images import ImageReader
from tests.cli.test_attacks_round3 import _flat
from tests.cli.test_attacks_round33 import (
    _BOLD,
    _NAME,
    _SHOWN,
    _build,
    _embedded_truetype,
    _gate_passes,
    _n,
    _page,
    _pdfium_text,
    _pdftotext,
    _reads_name,
    _seen,
    _stream,
)
from tests.conftest import require

Make = Callable[[Path], None]
Change = Callable[[TTFont], None]

_LETTERS = [letter for letter in dict.fromkeys(_NAME) if letter != " "]  # F a r i d K h n u m
_ACCENTED = "àáâäãåçèéê"  # one per letter of _LETTERS: WinAnsi and Mac Roman codes differ
_MAC_SHOWN = "".join(" " if c == " " else _ACCENTED[_LETTERS.index(c)] for c in _NAME)
_UNITS = 2048  # DejaVu's units per em


def _subtable(fmt: int, platform: int, encoding: int, cmap: dict[int, str]) -> CmapSubtable:
    table = CmapSubtable.newSubtable(fmt)
    table.platformID, table.platEncID, table.language = platform, encoding, 0
    table.cmap = cmap
    return table


# --- the programs --------------------------------------------------------------------------------------


def _renamed(font: TTFont, name: Callable[[str, int], str] = lambda glyph, gid: f"g{gid}") -> None:
    """Round 33's swap, the ten glyphs reached renamed (post format 2) by ``name``."""
    best = font.getBestCmap()
    order = font.getGlyphOrder()
    new = {best[ord(c)]: name(best[ord(c)], order.index(best[ord(c)])) for c in _LETTERS}
    for tag in ("GSUB", "GPOS", "GDEF", "kern"):
        if tag in font:
            del font[tag]
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = [new.get(glyph, glyph) for glyph in order]
    font.setGlyphOrder(order)
    glyf.glyphs = {new.get(k, k): v for k, v in glyf.glyphs.items()}
    glyf.glyphOrder = order
    hmtx.metrics = {new.get(k, k): v for k, v in hmtx.metrics.items()}
    for table in font["cmap"].tables:
        table.cmap = {code: new.get(glyph, glyph) for code, glyph in table.cmap.items()}
        for code, letter in zip(_SHOWN, _NAME, strict=True):
            if code != " " and ord(code) in table.cmap:
                table.cmap[ord(code)] = new[best[ord(letter)]]
    font["post"].formatType = 2.0


def _symbol_cmap(font: TTFont) -> None:
    """One (3,0) table at 0xF000 + code: WinAnsi's characters, but q w x ... draw F a r ..."""
    best = font.getBestCmap()
    cmap = {}
    for code in range(32, 256):
        char = bytes([code]).decode("cp1252", errors="ignore")
        if char and ord(char) in best:
            cmap[0xF000 + code] = best[ord(char)]
    for code, letter in zip(_SHOWN, _NAME, strict=True):
        if code != " ":
            cmap[0xF000 + ord(code)] = best[ord(letter)]
    font["cmap"].tables = [_subtable(4, 3, 0, cmap)]


def _mac_cmap(font: TTFont) -> None:
    """One (1,0) table: Mac Roman, but the Mac codes of à á â ... draw F a r ...; honest entries at
    their WinAnsi codes."""
    best = font.getBestCmap()
    cmap = {}
    for code in range(32, 256):
        char = bytes([code]).decode("mac_roman")
        if ord(char) in best:
            cmap[code] = best[ord(char)]
    for accented, letter in zip(_ACCENTED, _LETTERS, strict=True):
        cmap[accented.encode("mac_roman")[0]] = best[ord(letter)]
        cmap[accented.encode("cp1252")[0]] = best[ord(accented)]
    font["cmap"].tables = [_subtable(6, 1, 0, cmap)]


def _mac_only_swap(font: TTFont) -> None:
    """Round 33's swap in the (1,0) table alone; (3,1) honest."""
    best = font.getBestCmap()
    for table in font["cmap"].tables:
        if (table.platformID, table.platEncID) == (1, 0):
            for code, letter in zip(_SHOWN, _NAME, strict=True):
                if code != " ":
                    table.cmap[ord(code)] = best[ord(letter)]


def _truetype_page(change: Change, shown: str = _SHOWN, flags: int = 32) -> Make:
    """The page, /F9 DejaVu Sans Bold changed by ``change``; /Widths those of the letters drawn."""

    def make(path: Path) -> None:
        honest = TTFont(str(_BOLD))
        font = TTFont(str(_BOLD))
        change(font)
        out = io.BytesIO()
        font.save(out)
        program = out.getvalue()
        best = honest.getBestCmap()
        widths = {}
        for code in range(32, 256):
            char = bytes([code]).decode("cp1252", errors="ignore")
            glyph = best.get(ord(char)) if char else None
            widths[code] = round(honest["hmtx"][glyph][0] * 1000 / _UNITS) if glyph else 0
        for char, letter in zip(shown, _NAME, strict=True):
            widths[char.encode("cp1252")[0]] = round(honest["hmtx"][best[ord(letter)]][0] * 1000 / _UNITS)

        def font_entry(writer: object) -> PdfObject:
            ref = _embedded_truetype(writer, program, honest, widths=widths)  # type: ignore[arg-type]
            descriptor = ref.get_object()["/FontDescriptor"].get_object()  # type: ignore[attr-defined]
            descriptor[_n("/Flags")] = NumberObject(flags)
            return ref  # type: ignore[return-value]

        _page(path, _content(shown.encode("cp1252")), {"/F9": font_entry})

    return make


def _content(codes: bytes) -> bytes:
    return (
        b"BT /F1 14 Tf 72 700 Td (The statement of ) Tj ET\n"
        b"BT /F9 18 Tf 190 700 Td (%s) Tj ET\n"
        b"BT /F1 14 Tf 72 660 Td (The claimant makes a statement to the court.) Tj ET\n" % codes
    )


def _cff_program() -> tuple[bytes, dict[str, int]]:
    """A bare CFF program: charstrings named q w x y z j v t s p drawing DejaVu Sans Bold's F a r
    i d K h n u m (1000 units an em); and each glyph's advance."""
    source = TTFont(str(_BOLD))
    glyphs, best, scale = source.getGlyphSet(), source.getBestCmap(), 1000 / _UNITS
    drawn = {code: letter for code, letter in zip(_SHOWN, _NAME, strict=True) if code != " "}
    names = [".notdef", "space", *drawn]
    strings, advances = {}, {}
    for name in names:
        glyph = best[ord(drawn[name])] if name in drawn else name
        advance = round(source["hmtx"][glyph][0] * scale)
        pen = T2CharStringPen(advance, None)
        glyphs[glyph].draw(TransformPen(pen, (scale, 0, 0, scale, 0, 0)))
        strings[name], advances[name] = pen.getCharString(), advance
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(name): name for name in drawn} | {32: "space"})
    builder.setupCFF("Swapped", {"FullName": "Swapped"}, strings, {})
    builder.setupHorizontalMetrics({name: (advances[name], 0) for name in names})
    builder.setupHorizontalHeader(ascent=928, descent=-236)
    builder.setupNameTable({"familyName": "Swapped", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return TTFont(io.BytesIO(out.getvalue())).getTableData("CFF "), advances


def _cff_page(path: Path) -> None:
    program, advances = _cff_program()

    def font_entry(writer: object) -> PdfObject:
        widths = ArrayObject(NumberObject(advances.get(chr(code), 0)) for code in range(32, 256))
        widths[0] = NumberObject(advances["space"])
        descriptor = DictionaryObject(
            {
                _n("/Type"): _n("/FontDescriptor"),
                _n("/FontName"): _n("/Swapped"),
                _n("/Flags"): NumberObject(32),
                _n("/FontBBox"): ArrayObject(NumberObject(v) for v in (-500, -250, 1500, 1000)),
                _n("/ItalicAngle"): NumberObject(0),
                _n("/Ascent"): NumberObject(928),
                _n("/Descent"): NumberObject(-236),
                _n("/CapHeight"): NumberObject(729),
                _n("/StemV"): NumberObject(80),
                _n("/FontFile3"): _stream(writer, program, {"/Subtype": _n("/Type1C")}),  # type: ignore[arg-type]
            }
        )
        entries = {
            "/Type": _n("/Font"),
            "/Subtype": _n("/Type1"),
            "/BaseFont": _n("/Swapped"),
            "/Encoding": _n("/WinAnsiEncoding"),
            "/FirstChar": NumberObject(32),
            "/LastChar": NumberObject(255),
            "/Widths": widths,
            "/FontDescriptor": writer._add_object(descriptor),  # type: ignore[attr-defined]
        }
        return writer._add_object(DictionaryObject({NameObject(k): v for k, v in entries.items()}))  # type: ignore[attr-defined]

    _page(path, _content(_SHOWN.encode()), {"/F9": font_entry})


# --- checks --------------------------------------------------------------------------------------------


def _guard(pdf: Path, shown: str, folder: Path) -> None:
    """The attack as built: the text readers read ``shown``, poppler's rendering shows the name."""
    assert shown in _pdftotext(pdf) and shown in _pdfium_text(pdf), "guard: the text readers read the codes"
    assert "faridakhanum" in _flat(_seen(pdf, 1, folder)), "guard: the page shows the name"


def _built_shows_no_name(folder: Path, make: Make, *, ocr: bool) -> None:
    """Refused (nothing written), or the exhibit's page (the last) shows no name to pdftotext nor
    to the eye."""
    if ocr:
        require(ImageReader(folder / "probe").available, "tesseract")
    out = _build(folder, make, ocr)
    if out is None:
        return
    assert not _reads_name(_pdftotext(out)), f"pdftotext reads the name in the public bundle: {_pdftotext(out)!r}"
    seen = _seen(out, len(PdfReader(out).pages), folder)
    assert "faridakhanum" not in _flat(seen), f"the public bundle's page shows the name: {seen!r}"


_OCR = pytest.mark.parametrize("ocr", [False, True], ids=["no-ocr", "ocr"])

_LEAKS: dict[str, tuple[Make, str]] = {
    "renamed": (_truetype_page(_renamed), _SHOWN),
    "symbol-cmap": (_truetype_page(_symbol_cmap, flags=4), _SHOWN),
    "symbol-cmap-nonsymbolic-flags": (_truetype_page(_symbol_cmap, flags=32), _SHOWN),
    "mac-cmap": (_truetype_page(_mac_cmap, _MAC_SHOWN), _MAC_SHOWN),
    "cff-outlines": (_cff_page, _SHOWN),
}


# Outlines that lie under honest names: no reader of text can tell, only a look at the page.
_OUTLINES = pytest.mark.xfail(
    strict=True,
    reason="known limit: an embedded program's outlines drawing other letters than its glyph names "
    "are seen only by OCR of the page, which is not run on every page with embedded fonts",
)
_KINDS = [pytest.param(kind, marks=_OUTLINES) if kind == "cff-outlines" else kind for kind in _LEAKS]


@pytest.mark.parametrize("kind", _KINDS)
def test_fixed_font_program_draws_the_name_gate_passes(tmp_path: Path, kind: str) -> None:
    make, shown = _LEAKS[kind]
    pdf = tmp_path / "source.pdf"
    make(pdf)
    _guard(pdf, shown, tmp_path)
    doubts = page_doubts(PdfReader(pdf).pages[0])
    assert not _gate_passes(pdf), f"the gate passes a page that shows the name (its doubts: {doubts!r})"


@_OCR
@pytest.mark.parametrize("kind", [k for k in _KINDS if k != "symbol-cmap-nonsymbolic-flags"])
def test_fixed_font_program_draws_the_name_cli(tmp_path: Path, kind: str, ocr: bool) -> None:
    _built_shows_no_name(tmp_path, _LEAKS[kind][0], ocr=ocr)


# --- held ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["uni", "alt"])
def test_held_renamed_to_the_letter_is_refused(tmp_path: Path, name: str) -> None:
    def rename(glyph: str, gid: int) -> str:
        return f"uni{ord(glyph[0]):04X}" if name == "uni" else f"{glyph}.alt"

    pdf = tmp_path / "source.pdf"
    _truetype_page(lambda font: _renamed(font, rename))(pdf)
    _guard(pdf, _SHOWN, tmp_path)
    assert not _gate_passes(pdf)


def test_held_swap_in_the_mac_table_only(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _truetype_page(_mac_only_swap)(pdf)
    assert "faridakhanum" not in _flat(_seen(pdf, 1, tmp_path)), "poppler draws through (3,1)"
    assert not _gate_passes(pdf), "every cmap table is compared: a doubt"
