"""Round 5 attacks on the gate's readings of a page (content order, reading order when
``locate.needs_visual`` asks for it, pypdf), end to end through the CLI as in
``test_attacks_round4``: "Farida Khanum" registered (pseudonym FK), ``--no-ocr``; a build must
refuse with the leak code (no file written) or write a bundle in which neither ``pdftotext`` nor
``pdftotext -layout`` shows "farida" or "khanum" (case folded, spaces and hyphens removed).

Findings (each leaked on 73fefef; both mended: a font with a width below zero, above ten ems
or not a number is now a font doubt, ``glyphs.doubt._width_doubt``):

1. A font's own widths step a glyph back: a negative number in a simple font's ``/Widths``
   (Helvetica, standard names, WinAnsi: no font doubt). One ``Tj`` shows "ida Kha", a code whose
   width is minus the line so far, "Far", a code whose width jumps forward, "num". poppler honours
   the negative width and reads "Farida Khanum"; pdfium does not (it places "Far" far to the right),
   so neither its content order nor its reading order holds the name, nor does pypdf's text. No
   screen can help: every reading the gate has is pdfium's or pypdf's.
2. The same with a CID font's ``/W``: a Type0 font with the predefined ``/UniJIS-UCS2-H`` CMap
   (which ``glyphs.doubt`` trusts without a ToUnicode map) and a negative ``/W`` width for U+3000.
   pdfium does honour this one, and its reading order reads "Farida Khanum"; but the piece is one
   text object (one rectangle of ``FPDFText_CountRects``) whose first and last characters are in
   order, the content holds no negative ``Tc``/``Tw``/``TJ`` step (the forward jump is a negative
   TJ number) and ``moves_back`` reads no font, so ``needs_visual`` is False and the bundle is written.

What held is recorded by the passing tests below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from bundler.core.anonymise.glyphs.vectors import moves_back
from bundler.core.anonymise.pdf.layout import char_boxes, out_of_order, reading_order
from bundler.core.anonymise.pdf.locate import _scattered, page_chars
from tests.cli.test_attacks_round3 import _FILLER, _flat, _readings, build_holds
from tests.pdfs import raw_pdf

Make = Callable[[Path], None]
X0 = 72.0
_HELVETICA = {"F": 611, "a": 556, "r": 333, "i": 222, "d": 556, " ": 278, "K": 667, "h": 556, "n": 556, "u": 556}
_HELVETICA |= {"m": 833, ".": 278}
_HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _width(text: str, size: float = 12, widths: dict[str, int] | None = None) -> float:
    return sum((widths or _HELVETICA)[ch] for ch in text) * size / 1000


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def _page(
    content: bytes, fonts: dict[str, bytes], extra: dict[int, bytes] | None = None, page_extra: bytes = b""
) -> bytes:
    """One US Letter page: objects 1-4 the catalogue, pages, page and content; fonts from 5
    (/F1 Helvetica first), ``extra`` from 20."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"}
    names = b""
    for k, (name, body) in enumerate({"F1": _HELV, **fonts}.items()):
        objects[5 + k] = body
        names += b"/%s %d 0 R " % (name.encode(), 5 + k)
    objects[3] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << %s>> >> /Contents 4 0 R %s >>"
        % (names, page_extra)
    )
    objects[4] = _stream(content)
    return raw_pdf({**objects, **(extra or {})})


def _maker(data: bytes) -> Make:
    return lambda path: path.write_bytes(data)


def _views(path: Path) -> dict[str, object]:
    """What the gate's readers make of page 1: pdfium's content order, its reading order, the
    screen's verdicts, pypdf's text."""
    document = pdfium.PdfDocument(path)
    try:
        textpage = document[0].get_textpage()
        chars = page_chars(textpage)
        placed, _ = reading_order(textpage, chars, char_boxes(textpage, range(len(chars))))
        screened = out_of_order(textpage, chars) or _scattered(textpage)
        textpage.close()
    finally:
        document.close()
    page = PdfReader(path).pages[0]
    return {
        "content": "".join(chars),
        "placed": placed,
        "screened": screened,
        "moves_back": moves_back(page),
        "pypdf": page.extract_text(),
    }


def _hidden_from_content(views: dict[str, object]) -> None:
    for key in ("content", "pypdf"):
        text = _flat(str(views[key]))
        assert "farida" not in text and "khanum" not in text, (key, views[key])


# --- 1. a negative width in a simple font's /Widths --------------------------------------------

_START = X0 + _width("Far")  # where "ida" starts
_KHA_END = _START + _width("ida Kha")


def _simple_font_negative_width() -> bytes:
    """Helvetica, WinAnsi, /Differences giving codes 1 and 2 the glyph /space: code 1 is minus
    "Far" + "ida Kha" wide, code 2 as wide as "ida Kha". (ida Kha\\001Far\\002num) Tj."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    back = round(-(_KHA_END - X0) * 1000 / 12)
    forward = round((_KHA_END - _START) * 1000 / 12)
    widths = [back, forward] + [0] * 29 + [round(stringWidth(chr(c), "Helvetica", 1000)) for c in range(32, 127)]
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 1 /LastChar 126 /Widths [%s] "
        b"/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /space /space] >> >>"
        % b" ".join(b"%d" % w for w in widths)
    )
    content = _FILLER + b"BT /F3 12 Tf %.3f 700 Td (ida Kha\\001Far\\002num) Tj ET\n" % _START
    return _page(content, {"F3": font})


def test_negative_simple_font_width_hides_the_name_from_pdfium(tmp_path: Path) -> None:
    """The unit view of finding 1: poppler reads the name; no reading of pdfium's (content order,
    reading order) nor pypdf's does."""
    path = tmp_path / "probe.pdf"
    path.write_bytes(_simple_font_negative_width())
    views = _views(path)
    _hidden_from_content(views)
    assert "faridakhanum" not in _flat(str(views["placed"]))  # pdfium places the glyphs elsewhere
    assert all("faridakhanum" in _flat(text) for text in _readings(path).values())


def test_negative_simple_font_width_is_not_written(tmp_path: Path) -> None:
    """Was a leak: the bundle was written, and pdftotext read "Farida Khanum" in it."""
    build_holds(tmp_path, _maker(_simple_font_negative_width()))


# --- 2. a negative width in a CID font's /W (predefined UCS-2 CMap) ------------------------------

_CJK_WIDTH = 500  # every Latin letter of the font is half an em wide
_CJK = dict.fromkeys("FaridKhnum. ", _CJK_WIDTH)
_IDEOGRAPHIC_SPACE = 633  # its CID in Adobe-Japan1 (U+3000 in UniJIS-UCS2-H)


def _u16(text: str) -> bytes:
    return b"<" + b"".join(b"%04X" % ord(ch) for ch in text) + b">"


def _cid_font_negative_width() -> bytes:
    """Type0, /UniJIS-UCS2-H, a non-embedded CIDFontType0 (Adobe-Japan1) whose /W gives the
    Latin letters 500 and U+3000 minus the line so far. [<ida Kha> <U+3000> <Far> -n <num>] TJ."""
    start = X0 + _width("Far", widths=_CJK)
    kha_end = start + _width("ida Kha", widths=_CJK)
    back = round(-(kha_end - X0) * 1000 / 12)
    forward = round((kha_end - start) * 1000 / 12)
    w = {ord(ch) - 31: _CJK_WIDTH for ch in _CJK} | {_IDEOGRAPHIC_SPACE: back}  # Japan1: ASCII at code - 31
    w_array = b" ".join(b"%d [%d]" % item for item in sorted(w.items()))
    extra = {
        20: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /MSGothic /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Japan1) /Supplement 2 >> /FontDescriptor 21 0 R /W [%s] /DW 1000 >>" % w_array,
        21: b"<< /Type /FontDescriptor /FontName /MSGothic /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0 "
        b"/Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>",
    }
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /MSGothic /Encoding /UniJIS-UCS2-H /DescendantFonts [20 0 R] >>"
    shown = b"[%s %s %s -%d %s] TJ" % (_u16("ida Kha"), _u16("\u3000"), _u16("Far"), forward, _u16("num"))
    content = _FILLER + b"BT /F3 12 Tf %.3f 700 Td %s ET\n" % (start, shown)
    return _page(content, {"F3": font}, extra)


def test_negative_cid_width_is_a_font_doubt(tmp_path: Path) -> None:
    """The unit view of finding 2: pdfium's reading order reads "Farida Khanum", content order and
    pypdf do not, and the screen does not ask for it; the font's negative width is now a doubt,
    so the page is made a picture before redaction, and the gate refuses it while it is drawn."""
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.doubt import page_doubts

    path = tmp_path / "probe.pdf"
    path.write_bytes(_cid_font_negative_width())
    views = _views(path)
    _hidden_from_content(views)
    assert "faridakhanum" in _flat(str(views["placed"]))
    assert "its widths place glyphs back along the line" in page_doubts(PdfReader(path).pages[0])


def test_negative_cid_width_is_not_written(tmp_path: Path) -> None:
    """Was a leak: the bundle was written, and pdftotext read "Farida Khanum" in it."""
    build_holds(tmp_path, _maker(_cid_font_negative_width()))


# --- what held -------------------------------------------------------------------------------


def _type3_mirrored() -> bytes:
    """A Type3 font (standard glyph names, boxes for glyphs) whose FontMatrix is mirrored
    ([-0.001 0 0 0.001 0 0]): (munahK adiraF) Tj runs right to left, poppler reads "Farida Khanum"."""
    procs, extra, n = [], {}, 20
    for ch in "FaridKhnum ":
        w = _HELVETICA[ch]
        body = b"%d 0 d0" % w if ch == " " else b"%d 0 40 0 %d 700 d1 40 0 %d 700 re f" % (w, w - 40, w - 80)
        extra[n] = _stream(body)
        procs.append(b"/%s %d 0 R" % (b"space" if ch == " " else ch.encode(), n))
        n += 1
    widths = b" ".join(b"%d" % _HELVETICA.get(chr(c), 0) for c in range(32, 127))
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [-0.001 0 0 0.001 0 0] "
        b"/CharProcs << %s >> /Encoding << /Type /Encoding /Differences [32 /space 70 /F 75 /K 97 /a 100 /d "
        b"104 /h 105 /i 109 /m 110 /n 114 /r 117 /u] >> /FirstChar 32 /LastChar 126 /Widths [%s] /Resources << >> >>"
        % (b" ".join(procs), widths)
    )
    content = _FILLER + b"BT /F3 12 Tf %.3f 700 Td (munahK adiraF) Tj ET\n" % (X0 + _width("Farida Khanum"))
    return _page(content, {"F3": font}, extra)


def _annotation_pieces() -> bytes:
    """ "ida Kha" in the page's content; "Far" and "num" each in a stamp annotation's appearance
    stream, placed before and after it: pdftotext draws annotations and reads "Farida Khanum"."""

    def stamp(n: int, text: bytes, x: float) -> dict[int, bytes]:
        form = _stream(
            b"BT /F1 12 Tf 0 0 Td (%s) Tj ET" % text,
            b"/Type /XObject /Subtype /Form /BBox [0 -4 60 14] /Resources << /Font << /F1 5 0 R >> >>",
        )
        annotation = b"<< /Type /Annot /Subtype /Stamp /Rect [%.3f 696 %.3f 714] /F 4 /AP << /N %d 0 R >> >>"
        return {n: form, n + 1: annotation % (x, x + 60, n)}

    content = _FILLER + b"BT /F1 12 Tf %.3f 700 Td (ida Kha) Tj ET\n" % _START
    extra = {**stamp(20, b"Far", X0), **stamp(22, b"num", _KHA_END)}
    return _page(content, {}, extra, page_extra=b"/Annots [21 0 R 23 0 R]")


def _cid_font_to_unicode() -> bytes:
    """Finding 2's line in an Identity-H CIDFontType2 (Helvetica, not embedded) with a ToUnicode map."""
    start = X0 + _width("Far")
    kha_end = start + _width("ida Kha")
    back, forward = round(-(kha_end - X0) * 1000 / 12), round((kha_end - start) * 1000 / 12)
    letters = "FaridKhnum. "
    w = b" ".join(b"%d [%d]" % (ord(ch), _HELVETICA[ch]) for ch in sorted(letters, key=ord))
    pairs = {**{ord(ch): ch for ch in letters}, 1: " ", 2: " "}
    cmap = b"".join(b"<%04X> <%04X>\n" % (k, ord(v)) for k, v in sorted(pairs.items()))
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange "
        b"<0000> <FFFF> endcodespacerange\n%d beginbfchar\n%s endbfchar endcmap CMapName currentdict /CMap "
        b"defineresource pop end end" % (len(pairs), cmap)
    )
    extra = {
        20: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Helvetica /CIDSystemInfo << /Registry (Adobe) /Ordering "
        b"(Identity) /Supplement 0 >> /FontDescriptor 21 0 R /W [1 [%d] 2 [%d] %s] /DW 500 /CIDToGIDMap /Identity >>"
        % (back, forward, w),
        21: b"<< /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontBBox [-166 -225 1000 931] /ItalicAngle 0 "
        b"/Ascent 718 /Descent -207 /CapHeight 718 /StemV 88 >>",
        22: _stream(cmap),
    }
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H /DescendantFonts [20 0 R] "
        b"/ToUnicode 22 0 R >>"
    )
    shown = b"<" + b"".join(b"%04X" % ord(ch) for ch in "ida Kha\x01Far\x02num") + b">"
    return _page(_FILLER + b"BT /F3 12 Tf %.3f 700 Td %s Tj ET\n" % (start, shown), {"F3": font}, extra)


HELD = {
    # the screen calls the page out of order (read back to front) and reading order reads the name
    "type3-mirrored-font-matrix": _type3_mirrored,
    # the build removes annotations, appearance streams and all
    "annotation-appearance-pieces": _annotation_pieces,
    # glyphs.doubt: a non-embedded Type0 font's ToUnicode map cannot be checked: refused without OCR
    "cid-width-with-tounicode": _cid_font_to_unicode,
}


@pytest.mark.parametrize("make", list(HELD.values()), ids=list(HELD))
def test_held(tmp_path: Path, make: Callable[[], bytes]) -> None:
    """Held: refused with the leak code, or a bundle with no name in it."""
    build_holds(tmp_path, _maker(make()))


def _zero_width_steps() -> bytes:
    """One TJ: "ida Kha", then glyphs of no width (code 0) each followed by a step back of at most
    300 (no step is over the limit for one shift), back to the margin for "Far", forward to "num"."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def width(text: str) -> float:
        return stringWidth(text, "Helvetica", 12)

    start = 72 + width("Far")
    back = (start + width("ida Kha") - 72) * 1000 / 12
    steps = b" ".join([b"(\\000) 300"] * int(back // 300)) + b" (\\000) %.1f" % (back % 300)
    forward = (start + width("ida Kha") - 72 - width("Far")) * 1000 / 12
    line = b"[(ida Kha) " + steps + b" (Far) -%.1f (num) -20000 (.)] TJ" % forward
    return b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm %s ET\n" % (start, line)


def test_zero_width_glyphs_between_small_steps_back_are_not_written(tmp_path: Path) -> None:
    """Found while mending round 5: each TJ step back under the limit, the steps separated by a
    glyph (code 0) that poppler gives no width. ``moves_back`` now adds up all of an array's steps
    back, so the page is read in reading order, but pdfium's widths for code 0 differ from
    poppler's, and pdfium's geometry does not spell the name. Now such a glyph on a page whose
    text moves back is a doubt (``glyphs.advance``)."""
    from tests.cli.test_attacks_round3 import page_pdf

    build_holds(tmp_path, lambda path: page_pdf(path, _FILLER + _zero_width_steps()))
