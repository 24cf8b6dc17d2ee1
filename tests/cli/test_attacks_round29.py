"""Round 29: geometry and scale against the in-order screen and the poppler-imitating reading
order as they stand at 58467e0 (``locate.needs_visual``, ``layout._one_line`` / ``_font_sizes`` /
``spread_apart``, ``bands``, ``glyphs.vectors.moves_back``, ``glyphs.advance``).

All three leaks are fixed (``test_fixed_*``); see each item's last sentences.

A failing test here (``test_LEAK_*``) is a real leak: pdftotext (default mode) shows the name in
the public bundle built through the CLI (``--no-ocr``, "Farida Khanum" registered), or (unit
level, ``Target("Farida Khanum")`` only) the gate (``leak_scan``) passes a page pdftotext reads
the name on; or (leak 3) the rendered page shows the name whole to the eye while the build writes
it untouched.

LEAKS
1. A font size only poppler sees: Type3 words beside the name (``_type3_rows``). Round 23's page
   (Helvetica 11 pt, rows 14 pt apart: "The claimant makes a statement to the court" / "in support
   of Fari-" + "Note" a word's gap (3 pt) after it / "da Kha-" + "Note" / "num against the
   defendant and the court.") with each "Note" shown by ``/T3 11 Tf`` (the same 11 pt as the
   text), /T3 a Type3 font whose glyphs are plain bars, its /Encoding /Differences naming N, o, t,
   e (and m), no /ToUnicode (standard names: no font doubt). PDFium's font size is the ``Tf`` size
   (11) and its text matrix the identity, so ``layout._font_sizes`` gives 11 for every letter;
   ``_one_line`` passes (sizes equal, middles level, left to right), ``out_of_order`` False, no
   gutter (``spread_apart`` False), ``moves_back`` False: ``needs_visual`` False. PDFium reads
   "in support of Fari- Note" / "da Kha- Note": no name. poppler (``TextPage::updateFont``) takes
   a Type3 font's size as the ``Tf`` size times the width of its "m" over 0.6 em (else of its first
   letter over 0.5 em) times |FontMatrix[3] / FontMatrix[0]|; with an "m" 1.2 em wide (never shown)
   that is 22 pt, with one 0.2 em wide 3.7 pt, with a FontMatrix of ``[0.001 0 0 0.002 0 0]`` 22
   pt: each far outside the 11 pt block's 60%, so "Note" is left out of the block and pdftotext
   reads "in support of Farida Khanum against the defendant and the court." then "Note" / "Note".
   Reading order does not see it either: ``bands._bases`` takes the same PDFium size, so its
   poppler grouping keeps "Note" in the line. Unit: ``leak_scan`` passes, ``locate_hits`` places
   no spot. Full CLI build: the gate passes and the public bundle reads "Farida Khanum".
   The same rule leaks on ONE line, no rows needed (``_type3_inside``): "in support of Fari" +
   ``/T3 11 Tf (X) Tj`` + "da Kha" + "X" + "num against the defendant.", the Type3 "X" 10/1000 em
   wide (0.11 pt: under poppler's space, 0.03 size) and its "m" 0.2 or 3 em. PDFium reads "in
   support of FariXda KhaXnum against the defendant." (sizes 11 throughout: ``_one_line`` True, no
   gutter, ``needs_visual`` False); poppler leaves each "X" (3.7 or 55 pt to it) out of the line
   and reads "in support of Farida Khanum against the defendant." then "X" / "X". Unit and CLI leak.
   Where: ``layout._font_sizes`` and ``bands._bases`` ("the size times the text's vertical scale")
   leave out poppler's Type3 size rule. Fix: apply it (the "m" / first letter / any code width
   hack and |fm[3] / fm[0]|) wherever a size is taken as poppler takes it, or send any page
   showing a Type3 font beside other text to reading order with poppler's sizes.
   FIXED: a page whose resources (or forms') hold a Type3 font is read in reading order
   (``vectors.moves_back``), which reads it again without its Type3 letters
   (``layout._type3_letters``: pdfium calls a Type3 font embedded but holds no program of it).

2. (FIXED) A letter drawn twice, a hair apart (``_doubled``): "in support of " then, on the
   same line, ``(Fa) Tj`` at 11 pt, ``/F1 11.0001 Tf (r) Tj``, then ``[(r) 86.4 (ida )] TJ`` at
   11.0001 pt placed 0.95 pt right of the first "r" (the ``TJ`` number steps back 0.95 pt so "ida"
   lands where it belongs); likewise "K" + "h" + ``[(h) 86.4 (anum against the defendant.)] TJ``.
   PDFium drops a repeated character only within about 0.07 of a font size (0.77 pt here; 0.5 pt
   is dropped: held below) and a whole text object repeating the one before, so its text is "in
   support of Farrida Khhanum against the defendant.". poppler starts a new word at a character
   starting within 0.1 size (1.1 pt) of the one before ("overlapping duplicate") and at a size
   change, so both "r"s are words "r", and ``TextPage::coalesce`` discards the duplicated word
   (same text, within 0.1 size along, 0.2 across): pdftotext reads "in support of Farida Khanum
   against the defendant.", and the eye a hair-bold "r" and "h". The screen saw one line in order
   (``_one_line``), no gutter, no step back of 300 (``moves_back``): ``needs_visual`` False.
   Fixed: ``layout.drawn_again`` tells a character drawn again on the one before as poppler does
   (same character, origins within 0.1 font size along the line and 0.2 across, in any of the
   four directions; a ligature's letters, one box, are not). ``reading_order`` drops such a copy
   from every reading (``_read_line``: lines, ``bands``' lines, chains, mirrored), and reads its
   lines once more with every letter where it dropped one (poppler keeps a copy that is not a word
   of its own: "Han" + "n" + "ah" is "Hannah" to it). The screen (``layout.drawn_twice``, first
   in ``needs_visual``) measures identical characters side by side in PDFium's text (or with a
   space between) whose boxes overlap, and sends a page with such a copy to reading order. A copy
   of two letters or more steps back over the first copy: ``out_of_order`` or ``moves_back``.
   Variants (``test_fixed_doubled_letter_variants``, ``test_held_doubled_letter_to_the_eye``): the
   copy at another size, in a text object of its own, upside down, stepping back, after a space.

3. (the eye only) A name at a slant, in pieces drawn out of order (``_slanted``): "num", "da
   Kha", "Fari", each by its own ``Tm`` turned 30 degrees, at its place along one 30-degree line,
   Helvetica 14 pt. PDFium reads "num da Kha Fari" (neither word; ``find_matches`` does not
   join "Kha num"). The loose screen does see "Kha num" (``needs_visual`` True), but
   ``reading_order`` reads no text turned past ``_SKEW`` (and ``_piece_frame`` skips such pieces:
   "not read by reading order"), so no reading holds the name and the gate passes. pdftotext scatters it (poppler reads
   diagonal text letter by letter), but the rendered page shows "Farida Khanum" on one slanted
   line (``pdftoppm``). Full CLI build: the gate passes, nothing is boxed, and the public bundle's
   page draws every glyph of the name in place, in order along the line. Not new in kind (round 15
   counted text readers only, and found none reading a line turned 0.12-0.2 rad), but a leak to
   the eye at any angle past ``_SKEW``. Fix: read slanted text in reading order along its own
   direction (rotate each character's origin into the frame of its angle, as ``_in_frame`` does
   for quarters), or make a page with slanted text in more than one piece a page in doubt.
   FIXED: ``reading_order`` reads text at a slant along its own line (``layout._slanted``: each
   run of angles within ``_SKEW`` turned into its own frame), and the screen sends a page with two
   pieces at a slant to it (``_read_in_turn``).

HELD (``test_held_*``)
- Leak 1 with the Type3 "m" 0.6 em wide and a plain FontMatrix: poppler's size is 11 too and it
  reads "Fari- Note" / "da Kha- Note", no name (guard: the size rule is what leaks).
- Leak 2 with both "r"s at the text's own size (11): poppler keeps the first "r" in the word
  "Far", the second is a word of its own no other word duplicates, and pdftotext reads "Farrida"
  too; with the second "r" only 0.5 pt from the first, PDFium drops it too and reads "Farida
  Khanum": the gate reports the page.
- Tried, no leak: the name's pieces in forms scaled by /Matrix or ``cm`` (PDFium's matrix, and so
  ``_font_sizes``, includes both: ``FPDFText_GetMatrix`` of a form drawn at ``2 0 0 2`` with
  ``5.5 Tf`` is ``2 0 0 2``, as poppler's transformed size); pieces at 89 and 181 degrees (within
  ``_SKEW`` of a quarter: read in reading order, the gate reports them); poppler reads text at
  30, 60 and 150 degrees letter by letter, not as the name.
"""

from __future__ import annotations

import math
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, NumberObject

from bundler.cli.main import main
from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.glyphs.vectors import moves_back
from bundler.core.anonymise.pdf.locate import locate_hits, loose_screen, needs_visual
from bundler.core.errors import ExitCode
from tests.cli.test_attacks_round3 import _project, build_holds
from tests.cli.test_attacks_round21 import WHOLE, _font, _line, _w

Make = Callable[[Path], None]


_Type3 = tuple[float, float, dict[str, float]]  # the "m"'s width, FontMatrix[3], the letters shown and their widths


def _page(path: Path, content: bytes, type3: _Type3 | None = None) -> None:
    """One 612 x 792 page drawing ``content``: /F1 Helvetica, and /T3 (``_type3_font``) when given."""
    writer = PdfWriter()
    blank = writer.add_blank_page(612, 792)
    fonts = DictionaryObject({NameObject("/F1"): _font(writer, "/Helvetica")})
    if type3 is not None:
        fonts[NameObject("/T3")] = _type3_font(writer, *type3)
    blank[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(content)
    blank[NameObject("/Contents")] = writer._add_object(stream)
    writer.write(str(path))


def _type3_font(writer: PdfWriter, m_width: float, fm3: float, shown: dict[str, float]) -> object:
    """A Type3 font with the letters ``shown`` (codes as in ASCII, each its width in 1/1000 em)
    and an "m" ``m_width`` wide, never shown; each glyph a bar; FontMatrix ``[0.001 0 0 fm3 0 0]``."""
    widths = {**shown, "m": m_width}
    procs = DictionaryObject()
    for name, width in widths.items():
        proc = DecodedStreamObject()
        proc.set_data(b"%d 0 0 0 %d 700 d1 0 0 %d 700 re f" % (width, max(width, 40), max(width - 100, 40)))
        procs[NameObject("/" + name)] = writer._add_object(proc)
    codes = sorted(ord(name) for name in widths)
    differences = ArrayObject()
    for code in codes:
        differences += [NumberObject(code), NameObject("/" + chr(code))]
    table = [FloatObject(widths.get(chr(code), 0)) for code in range(codes[0], codes[-1] + 1)]
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type3"),
                NameObject("/FontBBox"): ArrayObject([FloatObject(v) for v in (0, -200, 1000, 800)]),
                NameObject("/FontMatrix"): ArrayObject([FloatObject(v) for v in (0.001, 0, 0, fm3, 0, 0)]),
                NameObject("/CharProcs"): procs,
                NameObject("/Encoding"): DictionaryObject(
                    {NameObject("/Type"): NameObject("/Encoding"), NameObject("/Differences"): differences}
                ),
                NameObject("/FirstChar"): NumberObject(codes[0]),
                NameObject("/LastChar"): NumberObject(codes[-1]),
                NameObject("/Widths"): ArrayObject(table),
                NameObject("/Resources"): DictionaryObject(),
            }
        )
    )


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pdfium_text(pdf: Path, page: int = 0) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[page if page >= 0 else len(doc) + page].get_textpage()
        return str(textpage.get_text_range())
    finally:
        doc.close()


def _reads_name(text: str) -> bool:
    """pdftotext's text holds the name, its normal whitespace and line-end hyphen joins allowed."""
    return "Farida Khanum" in " ".join(text.replace("-\n", "").split())


def _screen_and_gate(pdf: Path) -> tuple[bool, bool, bool]:
    """(``needs_visual`` as the gate asks it, the redactor places a spot, the gate reports), the
    name alone registered."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        textpage = page.get_textpage()
        backward = moves_back(PdfReader(pdf).pages[0])
        visual = needs_visual(page, textpage.get_text_range(), loose_screen(WHOLE), backward, textpage)
        textpage.close()
        spots = bool(locate_hits(page, WHOLE, backward).spots)
    finally:
        doc.close()
    return visual, spots, bool(leak_scan(pdf, WHOLE, file_name="x.pdf"))


def _gate_reports(pdf: Path, reader: str = "pdftotext") -> None:
    visual, spots, reported = _screen_and_gate(pdf)
    assert reported, f"the gate passes a page {reader} reads the name on (needs_visual {visual})"
    assert spots, f"the redactor places no box over the name {reader} reads"


# --- 1. Type3 words whose size only poppler scales -------------------------------------------------

_TYPE3 = {"wide-m": (1200, 0.001), "narrow-m": (200, 0.001), "tall-matrix": (600, 0.002)}


def _type3_rows(m_width: float, fm3: float) -> Make:
    def row(y: float, left: bytes) -> bytes:
        x = 72 + _w(left.decode())
        return _line(y, 72, left) + b"BT /T3 11 Tf 1 0 0 1 %.3f %.3f Tm (Note) Tj ET\n" % (x + 3, y)

    content = b"".join(
        [
            _line(714, 72, b"The claimant makes a statement to the court"),
            row(700, b"in support of Fari-"),
            row(686, b"da Kha-"),
            _line(672, 72, b"num against the defendant and the court."),
        ]
    )
    return lambda path: _page(path, content, (m_width, fm3, {"N": 600, "o": 600, "t": 600, "e": 600}))


@pytest.mark.parametrize(("m_width", "fm3"), list(_TYPE3.values()), ids=list(_TYPE3))
def test_fixed_type3_size_poppler_scales_gate_passes(tmp_path: Path, m_width: float, fm3: float) -> None:
    pdf = tmp_path / "source.pdf"
    _type3_rows(m_width, fm3)(pdf)
    assert _reads_name(_pdftotext(pdf)), "guard: pdftotext reads the name"
    assert "Fari- Note" in _pdfium_text(pdf), "guard: PDFium reads the Type3 word beside the name part"
    _gate_reports(pdf)


def test_fixed_type3_size_poppler_scales_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _type3_rows(1200, 0.001), readers=("pdftotext",))


def test_held_type3_of_the_text_size_is_read_in_the_line(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _type3_rows(600, 0.001)(pdf)
    assert not _reads_name(_pdftotext(pdf))
    assert "Fari- Note" in _pdftotext(pdf)


_INLINE = {"narrow-m": 200, "wide-m": 3000}
_THIN = 10  # the Type3 "X"'s width (1/1000 em): 0.11 pt at 11 pt, under poppler's space (0.03 size)


def _type3_inside(m_width: float) -> Make:
    """One line, "in support of Fari" + /T3 "X" + "da Kha" + "X" + "num against the defendant.":
    PDFium reads "FariXda KhaXnum"; poppler takes the "X" for a word of another size."""

    def word(x: float, head: str, tail: str) -> bytes:
        after = x + _w(head) + _THIN * 11 / 1000
        return (
            b"BT /F1 11 Tf 1 0 0 1 %.3f 700 Tm (%s) Tj /T3 11 Tf (X) Tj /F1 11 Tf 1 0 0 1 %.3f 700 Tm (%s) Tj ET\n"
            % (x, head.encode(), after, tail.encode())
        )

    start = 72 + _w("in support of ")
    content = b"".join(
        [
            _line(714, 72, b"The claimant makes a statement to the court"),
            _line(700, 72, b"in support of "),
            word(start, "Fari", "da "),
            word(start + _w("Farida ") + _THIN * 11 / 1000, "Kha", "num against the defendant."),
            _line(686, 72, b"and the court heard the claim."),
        ]
    )
    return lambda path: _page(path, content, (m_width, 0.001, {"X": _THIN}))


@pytest.mark.parametrize("m_width", list(_INLINE.values()), ids=list(_INLINE))
def test_fixed_type3_letter_inside_the_name_gate_passes(tmp_path: Path, m_width: float) -> None:
    pdf = tmp_path / "source.pdf"
    _type3_inside(m_width)(pdf)
    assert _reads_name(_pdftotext(pdf)), "guard: pdftotext reads the name"
    assert "FariXda KhaXnum" in _pdfium_text(pdf), "guard: PDFium reads the Type3 letter inside the words"
    _gate_reports(pdf)


def test_fixed_type3_letter_inside_the_name_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _type3_inside(200), readers=("pdftotext",))


# --- 2. a letter drawn twice, a hair apart ----------------------------------------------------------


def _doubled(odd: float = 11.0001, off: float = 0.95, spaced: bool = False, apart: bool = False) -> Make:
    """ "in support of Farida Khanum against the defendant." on one line, the "r" and the "h" each
    drawn at size ``odd`` and again ``off`` points to the right (left when negative), the rest of
    the word in the same ``TJ`` as the second, stepped back ``off``; ``spaced``: a space drawn
    after the first copy; ``apart``: the second copy in a text object (``BT``) of its own."""

    def word(x: float, head: str, letter: str, tail: str) -> bytes:
        at = x + _w(head)
        first = (letter + " " if spaced else letter).encode()
        split = b"ET BT /F1 %.4f Tf " % odd if apart else b""
        return (
            b"BT /F1 11 Tf 1 0 0 1 %.3f 700 Tm (%s) Tj /F1 %.4f Tf 1 0 0 1 %.3f 700 Tm (%s) Tj "
            b"%s1 0 0 1 %.3f 700 Tm [(%s) %.1f (%s)] TJ ET\n"
        ) % (x, head.encode(), odd, at, first, split, at + off, letter.encode(), off * 1000 / odd, tail.encode())

    start = 72 + _w("in support of ")
    content = b"".join(
        [
            _line(714, 72, b"The claimant makes a statement to the court"),
            _line(700, 72, b"in support of "),
            word(start, "Fa", "r", "ida "),
            word(start + _w("Farida "), "K", "h", "anum against the defendant."),
            _line(686, 72, b"and the court heard the claim."),
        ]
    )
    return lambda path: _page(path, content)


def _upside_down(make: Make) -> Make:
    """``make``'s page with its content turned half a turn (``cm``): the text upside down."""

    def turned(path: Path) -> None:
        make(path)
        writer = PdfWriter(clone_from=PdfReader(path))
        stream = writer.pages[0].get_contents()
        assert stream is not None
        stream.set_data(b"q -1 0 0 -1 612 792 cm\n" + stream.get_data() + b"Q\n")
        writer.pages[0].replace_contents(stream)
        writer.write(str(path))

    return turned


def test_fixed_doubled_letter_gate_passes(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _doubled()(pdf)
    assert _reads_name(_pdftotext(pdf)), "guard: pdftotext reads the name"
    assert "Farrida Khhanum" in _pdfium_text(pdf), "guard: PDFium keeps both copies"
    _gate_reports(pdf)


def test_fixed_doubled_letter_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _doubled(), readers=("pdftotext",))


_VARIANTS: dict[str, Make] = {  # pdftotext reads "Farida Khanum"
    "another-size": _doubled(odd=11.5),
    "own-text-object": _doubled(apart=True),
    "upside-down": _upside_down(_doubled()),
}
_TO_THE_EYE: dict[str, Make] = {  # pdftotext reads "Far ida", "Farrida": the eye, one bold letter
    "stepping-back": _doubled(off=-0.95),
    "space-between": _doubled(spaced=True),
    "upside-down-own-object": _upside_down(_doubled(apart=True, spaced=True)),
}


@pytest.mark.parametrize("make", list(_VARIANTS.values()), ids=list(_VARIANTS))
def test_fixed_doubled_letter_variants(tmp_path: Path, make: Make) -> None:
    pdf = tmp_path / "source.pdf"
    make(pdf)
    assert _reads_name(_pdftotext(pdf)), "guard: pdftotext reads the name"
    assert "Farida Khanum" not in _pdfium_text(pdf), "guard: PDFium keeps both copies"
    _gate_reports(pdf)


@pytest.mark.parametrize("make", list(_TO_THE_EYE.values()), ids=list(_TO_THE_EYE))
def test_held_doubled_letter_to_the_eye(tmp_path: Path, make: Make) -> None:
    """poppler splits or keeps these copies, but the page shows "Farida Khanum" with a bold "r"
    and "h": reading order drops the copy all the same, and the gate reports the page."""
    pdf = tmp_path / "source.pdf"
    make(pdf)
    assert not _reads_name(_pdftotext(pdf))
    assert "Farida Khanum" not in _pdfium_text(pdf)
    _gate_reports(pdf, reader="the eye")


def test_fixed_doubled_letter_variant_cli(tmp_path: Path) -> None:
    build_holds(tmp_path, _upside_down(_doubled(off=-0.95, apart=True)), readers=("pdftotext",))


def test_held_doubled_letter_at_the_text_size(tmp_path: Path) -> None:
    """Both "r"s at 11 pt: poppler keeps the first in "Far" and reads "Farrida" too."""
    pdf = tmp_path / "source.pdf"
    _doubled(odd=11)(pdf)
    assert "Farrida Khhanum" in _pdftotext(pdf)
    assert not _reads_name(_pdftotext(pdf))


def test_held_doubled_letter_too_close_for_pdfium(tmp_path: Path) -> None:
    """The second copy 0.5 pt from the first: PDFium drops it too and the gate finds the name."""
    pdf = tmp_path / "source.pdf"
    _doubled(off=0.5)(pdf)
    assert _reads_name(_pdftotext(pdf))
    assert "Farida Khanum" in _pdfium_text(pdf)
    _gate_reports(pdf)


# --- 3. a name at a slant, its pieces drawn out of order (the eye) ---------------------------------

_ANGLE = math.radians(30)
_SLANT_SIZE = 14


def _slanted(path: Path) -> None:
    cos, sin = math.cos(_ANGLE), math.sin(_ANGLE)

    def piece(k: int, text: bytes) -> bytes:
        along = _w("Farida Khanum"[:k], _SLANT_SIZE)
        return b"BT /F1 %d Tf %.5f %.5f %.5f %.5f %.3f %.3f Tm (%s) Tj ET\n" % (
            _SLANT_SIZE,
            cos,
            sin,
            -sin,
            cos,
            150 + along * cos,
            300 + along * sin,
            text,
        )

    content = _line(714, 72, b"The claimant makes a statement to the court")
    _page(path, content + piece(10, b"num") + piece(4, b"da Kha") + piece(0, b"Fari"))


def _along_the_slant(pdf: Path, page: int = -1) -> str:
    """The letters of ``page`` drawn at the slant, in order along their line: what the eye reads."""
    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[page if page >= 0 else len(doc) + page].get_textpage()
        found = []
        for i in range(textpage.count_chars()):
            ch = textpage.get_text_range(i, 1)
            angle = float(pdfium.raw.FPDFText_GetCharAngle(textpage.raw, i))
            if ch.strip() and min(abs(angle - _ANGLE), abs(angle - (2 * math.pi - _ANGLE))) < 0.01:
                x, y = textpage.get_charbox(i, loose=True)[:2]
                found.append((x * math.cos(_ANGLE) + y * math.sin(_ANGLE), ch))
        return "".join(ch for _, ch in sorted(found))
    finally:
        doc.close()


def test_fixed_slanted_pieces_gate_passes(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _slanted(pdf)
    assert _along_the_slant(pdf, 0) == "FaridaKhanum", "guard: the glyphs spell the name along the line"
    assert "num da Kha Fari" in _pdfium_text(pdf), "guard: PDFium reads the pieces as drawn"
    _gate_reports(pdf, "the eye")


def test_fixed_slanted_pieces_cli(tmp_path: Path) -> None:
    """The build must refuse or leave the name's glyphs out of the bundle's page (the eye reads
    whatever is drawn along the line)."""
    project = _project(tmp_path, _slanted)
    out = tmp_path / "public.pdf"
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache"), "--no-ocr"])
    if code == ExitCode.LEAK:
        assert not out.exists()
        return
    assert code == ExitCode.OK, code
    assert _along_the_slant(out) != "FaridaKhanum", "the public bundle's page draws the name whole at a slant"
