"""Round 10 attacks on the place-order doubt (``glyphs.advance``, after 018d045) and on reading
order's line grouping; end to end through the CLI as in ``test_attacks_round6``: "Farida Khanum"
registered (pseudonym FK), ``--no-ocr``; a build must refuse with the leak code (no file written)
or write a bundle in which no reader -- ``pdftotext``, ``pdftotext -layout``, pdfminer.six --
shows "farida" or "khanum" (case folded, spaces and hyphens removed). The source page must show
the name to at least one of them (the attack's guard). A FAILING test here is a real leak.

Part A draws round six's line -- (ida Kha), spacer glyphs poppler moves by 0 and PDFium by 0.28
em each followed by a step back of 0.28 em, (Far), a forward jump, (num) -- so that poppler's pen
comes back to the margin and it reads "Farida Khanum" while PDFium's steps cancel and it reads
"ida Kha…Far num". The spacers here are CID 1 of a Type0 font (not embedded, Identity-H, a
ToUnicode map with no letter in it: no font doubt), and ``uncertain_codes`` calls every code of
a Type0 font certain ("its /W is doubt._width_doubt's" -- which only asks that each width lie
between 0 and 10000). So ``advance_doubt`` has nothing uncertain on the page and never looks.

Findings (each leaks on 018d045; ``page_doubts`` is empty for each page; pdftotext and
pdftotext -layout read "Farida Khanum" in the written bundle):

1. overlapping-W: ``/W [1 [280] 1 [0]]`` gives CID 1 two widths. PDFium takes the first (280),
   poppler and pdfminer.six the last (0).
2. overlapping-W-ranges: the same in the range form, ``/W [1 1 280 1 1 0]``.

What held: ``/W [1.0 [280]] /DW 0`` (poppler skips a real code; the build writes it back as 1);
an odd-length string in Identity-H (only pdfminer.six drops the lone byte); a piece of the line
dropped 7-11 pt below it, drawn out of order (5 builds); a Type3 font drawing "Far" 3 em above or
below its origin (2 builds).

Mended in ``glyphs.doubt._cid_widths_apart``: a CID font whose /W gives a CID two different
widths, writes a CID as other than a whole number, or runs a range backwards is a font doubt
(the page is made a picture before redaction; the gate refuses it while drawn).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_attacks_round3 import _FILLER, _stream, _width, page_pdf
from tests.cli.test_attacks_round5 import _page
from tests.cli.test_attacks_round6 import _FORWARD, _START, _holds, _steps

Make = Callable[[], bytes]

# A ToUnicode map that maps no letter (code 9 to "."): nothing for tounicode_doubt to contradict,
# nothing for tounicode_unverifiable to check.
_TOUNICODE = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
    b"1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <0009> <002E> endbfchar "
    b"endcmap CMapName currentdict /CMap defineresource pop end end"
)


def _type0(w: bytes, dw: bytes = b"", encoding: bytes = b"/Identity-H") -> bytes:
    return (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Xyz /Encoding %s /DescendantFonts [<< /Type /Font "
        b"/Subtype /CIDFontType2 /BaseFont /Xyz /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
        b"/Supplement 0 >> /FontDescriptor << /Type /FontDescriptor /FontName /Xyz /Flags 32 "
        b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >> "
        b"/W %s %s >>] /ToUnicode 20 0 R >>"
    ) % (encoding, w, dw)


def _cid_line(font: bytes, spacer: bytes = b"<0001>", extra: dict[int, bytes] | None = None) -> bytes:
    """(ida Kha) in Helvetica; on /F3 each ``spacer`` followed by a step back of 280 (in
    arrays of three), back to the margin where the spacer moves nothing; (Far) -jump (num)."""
    steps = _steps(280)
    arrays = b" ".join(
        b"[" + b" ".join(spacer + b" %.1f" % s for s in steps[i : i + 3]) + b"] TJ" for i in range(0, len(steps), 3)
    )
    line = b"[(ida Kha)] TJ /F3 12 Tf " + arrays + b" /F1 12 Tf [(Far) -%.1f (num) -20000 (.)] TJ" % _FORWARD
    content = _FILLER + b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm %s ET\n" % (_START, line)
    return _page(content, {"F3": font}, {20: _stream(_TOUNICODE), **(extra or {})})


# --- 1. /W giving one CID two widths ---------------------------------------------------------------


def _overlapping_w() -> bytes:
    """``/W [1 [280] 1 [0]]``: PDFium takes the first entry (280), poppler and pdfminer.six the
    last (0)."""
    return _cid_line(_type0(b"[1 [280] 1 [0]]"))


def _overlapping_w_ranges() -> bytes:
    """The same in the range form, ``/W [1 1 280 1 1 0]``."""
    return _cid_line(_type0(b"[1 1 280 1 1 0]"))


# --- 2. a /W code written as a real ----------------------------------------------------------------


def _real_code_in_w() -> bytes:
    """``/W [1.0 [280]] /DW 0``: PDFium and pdfminer.six read the code 1.0 as 1 (280); poppler
    skips the entry and takes /DW (0)."""
    return _cid_line(_type0(b"[1.0 [280]]", b"/DW 0"))


# --- 3. a string of odd length in a two-byte encoding ---------------------------------------------


def _odd_length_string() -> bytes:
    """The spacer ``<00>``: one byte of a two-byte code. poppler and PDFium show it as CID 0
    (280 by /W); pdfminer.six drops it (0), so only pdfminer.six's pen comes back to the margin."""
    return _cid_line(_type0(b"[0 [280]]"), spacer=b"<00>")


LEAKS = {
    "overlapping-W": _overlapping_w,
    "overlapping-W-ranges": _overlapping_w_ranges,
}
HELD = {"real-code-in-W": _real_code_in_w, "odd-length-string": _odd_length_string}


def _doubts(tmp_path: Path, data: bytes) -> list[str]:
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.doubt import page_doubts

    path = tmp_path / "probe.pdf"
    path.write_bytes(data)
    return page_doubts(PdfReader(path).pages[0])


@pytest.mark.parametrize("make", list(LEAKS.values()), ids=list(LEAKS))
def test_leak_is_a_doubt(tmp_path: Path, make: Make) -> None:
    """The unit view: the page shows a glyph PDFium and poppler move apart and steps back; it
    must be a doubt. Mended as a font doubt: a /W that gives a CID two widths (or a CID not
    written as a whole number) is read apart whatever the page does with it."""
    assert "its widths place glyphs back along the line" in _doubts(tmp_path, make())


@pytest.mark.parametrize("make", list(LEAKS.values()), ids=list(LEAKS))
def test_leak_is_not_written(tmp_path: Path, make: Make) -> None:
    """End to end: refused, or a bundle no reader finds the name in."""
    _holds(tmp_path, make())


@pytest.mark.parametrize("make", list(HELD.values()), ids=list(HELD))
def test_type0_width_held_end_to_end(tmp_path: Path, make: Make) -> None:
    """Held end to end, though neither page is a doubt either: ``/W [1.0 [280]]`` is written
    back ``[1 [280]]`` by the build (pypdf), which poppler then reads as PDFium does; the odd
    string's page shows the name only to pdfminer.six, as three boxes, and the bundle's does not."""
    _holds(tmp_path, make())


# --- part B: reading order's line grouping -----------------------------------------------------------


def _dropped_piece(drop: float) -> Callable[[Path], None]:
    """(num), then (ida Kha) ``drop`` pt below the line, then (Far), each placed by Tm where it
    belongs on the line "Farida Khanum": PDFium's content order "numida KhaFar"; reading order
    puts "ida Kha" on a line of its own once its middle is more than half a line height below;
    pdfminer.six reads "Far", "ida Kha", "num" as three boxes one after the other."""
    a, b = 72 + _width("Far"), 72 + _width("Far" + "ida Kha")
    line = (
        b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm (num) Tj 1 0 0 1 %.3f %.3f Tm (ida Kha) Tj 1 0 0 1 72 700 Tm (Far) Tj ET\n"
    )
    return lambda path: page_pdf(path, _FILLER + line % (b, a, 700 - drop))


@pytest.mark.parametrize("drop", [7.0, 8.0, 9.0, 10.0, 11.0])
def test_piece_dropped_below_half_a_line(tmp_path: Path, drop: float) -> None:
    from tests.cli.test_attacks_round3 import _built_shows_no_name, _project, _readings
    from tests.cli.test_attacks_round3 import _flat as flat
    from tests.cli.test_attacks_round6 import _pdfminer

    project = _project(tmp_path, _dropped_piece(drop))
    source = tmp_path / "source.pdf"
    readings = {**_readings(source), "pdfminer.six": _pdfminer(source)}
    assert any("faridakhanum" in flat(text) for text in readings.values()), readings
    _built_shows_no_name(project, tmp_path, _pdfminer)


def _type3_far(dy: int) -> bytes:
    """(ida Kha) and (num) in Helvetica; (Far), drawn last, in a Type3 font (standard glyph names,
    /Widths equal to its d0 widths) whose glyphs draw their ink ``dy`` thousandths of an em
    above or below their origin. Readers by origin (poppler, PDFium's boxes) read the name."""
    widths = {"F": 611, "a": 556, "r": 333}
    extra, procs = {}, b""
    for k, (glyph, w) in enumerate(widths.items()):
        extra[30 + k] = _stream(
            b"%d 0 d0 0 %d m %d %d l %d %d l 0 %d l f" % (w, dy, w - 50, dy, w - 50, dy + 700, dy + 700)
        )
        procs += b"/%s %d 0 R " % (glyph.encode(), 30 + k)
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 %d 1000 %d] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs << %s >> /Encoding << /Type /Encoding /Differences [70 /F 97 /a 114 /r] >> "
        b"/FirstChar 70 /LastChar 114 /Widths [%s] >>"
    ) % (min(dy, 0), max(dy + 700, 700), procs, b" ".join(b"%d" % widths.get(chr(c), 0) for c in range(70, 115)))
    a, b = 72 + _width("Far"), 72 + _width("Far" + "ida Kha")
    line = (
        b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm (ida Kha) Tj /F3 12 Tf 1 0 0 1 72 700 Tm (Far) Tj "
        b"/F1 12 Tf 1 0 0 1 %.3f 700 Tm (num) Tj ET\n"
    ) % (a, b)
    return _page(_FILLER + line, {"F3": font}, extra)


@pytest.mark.parametrize("dy", [-3000, 3000])
def test_type3_glyphs_drawn_far_from_their_origin(tmp_path: Path, dy: int) -> None:
    """Held: PDFium's boxes for a Type3 glyph follow its origin, not its ink; the gate reads the name."""
    _holds(tmp_path, _type3_far(dy))
