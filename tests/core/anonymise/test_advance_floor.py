"""Hidden gaps in glyphs whose width no name tells (``glyphs.advance._excess``, ``_CidWidths``).

A glyph whose /Widths falls far short of its drawn width hides a gap from PDFium's boxes (round 26).
Round 28 hid it again by renaming the glyphs (``/uni004E``, ``/N.alt``) and by showing them from a
Type0 font (/W, /DW). A renamed glyph is measured as the standard glyph its name stands for; any
other glyph, and every CID, is taken to be at least ``_FLOOR`` wide.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject
from reportlab.pdfbase import _fontdata

from bundler.core.anonymise.glyphs.advance import _FLOOR, GAP_DOUBT, _cid_widths, _real_width, advance_doubt

_HELVETICA = _fontdata.widthsByFontGlyph["Helvetica"]


def _n(name: str) -> NameObject:
    return NameObject(name)


def _numbers(*values: int) -> ArrayObject:
    return ArrayObject([NumberObject(v) for v in values])


def _type0(encoding: str = "/Identity-H", **descendant: object) -> DictionaryObject:
    kid = DictionaryObject({_n("/Type"): _n("/Font"), _n("/Subtype"): _n("/CIDFontType2")})
    kid[_n("/BaseFont")] = _n("/Helvetica")
    for key, value in descendant.items():
        kid[_n("/" + key)] = value  # type: ignore[assignment]
    font = DictionaryObject({_n("/Type"): _n("/Font"), _n("/Subtype"): _n("/Type0")})
    font.update({_n("/BaseFont"): _n("/Helvetica"), _n("/Encoding"): _n(encoding)})
    font[_n("/DescendantFonts")] = ArrayObject([kid])
    return font


def _simple(base: str, differences: list[object], width: int) -> DictionaryObject:
    encoding = DictionaryObject({_n("/BaseEncoding"): _n("/WinAnsiEncoding")})
    encoding[_n("/Differences")] = ArrayObject(differences)
    font = DictionaryObject({_n("/Type"): _n("/Font"), _n("/Subtype"): _n("/TrueType")})
    font.update({_n("/BaseFont"): _n(base), _n("/Encoding"): encoding})
    font.update({_n("/FirstChar"): NumberObject(32), _n("/LastChar"): NumberObject(126)})
    font[_n("/Widths")] = _numbers(*([width] * 95))
    return font


def _page(font: DictionaryObject, content: bytes) -> DictionaryObject:
    """A page showing ``content`` with /F9 = ``font`` (and /F1 Helvetica), written and read back."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    helvetica = DictionaryObject({_n("/Type"): _n("/Font"), _n("/Subtype"): _n("/Type1")})
    helvetica[_n("/BaseFont")] = _n("/Helvetica")
    fonts = {_n("/F1"): writer._add_object(helvetica), _n("/F9"): writer._add_object(font)}
    page[_n("/Resources")] = DictionaryObject({_n("/Font"): DictionaryObject(fonts)})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[_n("/Contents")] = writer._add_object(stream)
    out = BytesIO()
    writer.write(out)
    return PdfReader(out).pages[0]


def _shown(tz: int, font: bytes, text: bytes) -> bytes:
    return b"BT /%s 11 Tf %d Tz 72 700 Td [%s] TJ ET\n" % (font, tz, text)


def test_w_is_read_in_both_forms_and_dw_otherwise() -> None:
    w = ArrayObject([NumberObject(1), _numbers(500, 600), *_numbers(10, 20, 300)])
    widths = _cid_widths(_type0(W=w, DW=NumberObject(700)))
    assert widths.runs == ((1, 1, 0.5), (2, 2, 0.6), (10, 20, 0.3))
    assert widths.default == 0.7
    assert widths.identity


def test_dw_is_an_em_when_not_given() -> None:
    assert _cid_widths(_type0(W=_numbers(1, 5, 500))).default == 1.0
    assert _cid_widths(_type0(encoding="/UniJIS-UCS2-H")).least() == 1.0


def test_a_w_that_does_not_read_counts_as_no_width() -> None:
    widths = _cid_widths(_type0(W=_numbers(1, 5)))
    assert widths.narrow(0.01).shows(b"\x00\x41")


def test_the_narrow_cids_are_the_w_entries_and_what_dw_covers() -> None:
    narrow_w = _cid_widths(_type0(W=ArrayObject([NumberObject(5), _numbers(0), *_numbers(100, 200, 1000)])))
    assert narrow_w.narrow(0.1).ranges == ((5, 5),)
    narrow_dw = _cid_widths(_type0(W=_numbers(5, 5, 1000), DW=NumberObject(0)))
    assert narrow_dw.narrow(0.1).ranges == ((0, 4), (6, 0xFFFF))
    assert narrow_dw.narrow(0.1).shows(b"\x00\x04") and not narrow_dw.narrow(0.1).shows(b"\x00\x05")


@pytest.mark.parametrize("name", ["N", "uni004E", "u004E", "N.alt", "uni004E.sc"])
def test_a_renamed_glyph_is_measured_as_the_standard_glyph(name: str) -> None:
    assert _real_width(name, _HELVETICA) == _HELVETICA["N"]


@pytest.mark.parametrize("name", ["g12", "uni00460061", "f_i", "uniD800", None])
def test_a_glyph_no_name_tells_is_taken_as_the_floor(name: str | None) -> None:
    assert _real_width(name, _HELVETICA) == _FLOOR


def test_a_cid_shown_narrower_than_the_floor_under_a_large_scaling_is_a_doubt() -> None:
    font = _type0(W=ArrayObject([NumberObject(0x2D), _numbers(5)]))
    assert advance_doubt(_page(font, _shown(11700, b"F9", b"<002D>"))) == GAP_DOUBT
    assert advance_doubt(_page(font, _shown(11700, b"F9", b"<004E006F>"))) == "", "/DW 1000: wide enough"
    assert advance_doubt(_page(font, _shown(11700, b"F1", b"(-No)"))) == "", "shown by /F1, not /F9"


def test_any_code_of_a_cmap_we_do_not_read_may_show_the_narrow_cid() -> None:
    font = _type0(encoding="/UniJIS-UCS2-H", DW=NumberObject(5))
    assert advance_doubt(_page(font, _shown(300, b"F9", b"<004E>"))) == GAP_DOUBT


def test_an_ordinary_cid_page_at_full_scaling_is_no_doubt() -> None:
    marks = ArrayObject([NumberObject(3), _numbers(278, 0, 0, 556), *_numbers(20, 90, 556)])
    font = _type0(W=marks, DW=NumberObject(1000))
    content = b"BT /F9 11 Tf 72 700 Td [<000300040005> -250 <0014> 130 <0006>] TJ ET\n"
    assert advance_doubt(_page(font, content)) == ""
    assert advance_doubt(_page(_type0(encoding="/UniJIS-UCS2-H", DW=NumberObject(0)), content)) == ""


def test_a_glyph_of_its_own_is_a_doubt_once_the_scaling_passes_the_floor() -> None:
    font = _simple("/MyFont", [NumberObject(78), _n("/g12")], 0)
    limit = 100 * 0.4 / (_FLOOR / 1000)  # 180%
    assert advance_doubt(_page(font, _shown(int(limit) + 5, b"F9", b"(N)"))) == GAP_DOUBT
    assert advance_doubt(_page(font, _shown(int(limit) - 5, b"F9", b"(N)"))) == ""


def test_renamed_glyphs_of_a_standard_font_keep_their_standard_widths() -> None:
    renamed = _simple("/Helvetica", [NumberObject(78), _n("/uni004E")], 0)
    assert advance_doubt(_page(renamed, _shown(100, b"F9", b"(N)"))) == GAP_DOUBT, "N: 0.722 em over 0"
    assert advance_doubt(_page(renamed, _shown(100, b"F9", b"(i)"))) == "", "i: 0.222 em, under 0.4"
