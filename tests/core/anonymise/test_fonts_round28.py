"""The rules behind round 28 and 29's font and slant fixes, one by one: which Type3 glyphs are
shapes (``doubt._type3_shapes``), which glyph names stand for one character
(``doubt._differences_doubt``), the ToUnicode sections poppler reads (``to_unicode_map``), a
Type3 font sending its page to reading order (``vectors.moves_back``), which letters pdfium draws
in a Type3 font (``layout._type3_letters``) and text at a slant read along its line."""

from __future__ import annotations

import math
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

from bundler.core.anonymise.glyphs.doubt import _differences_doubt, _type3_shapes
from bundler.core.anonymise.glyphs.tounicode import to_unicode_map
from bundler.core.anonymise.glyphs.vectors import moves_back
from bundler.core.anonymise.pdf.layout import _type3_letters, reading_order
from bundler.core.anonymise.pdf.locate import page_text
from bundler.core.anonymise.terms import find_matches
from tests.cli.test_attacks_round21 import WHOLE, _font, _w


def _n(name: str) -> NameObject:
    return NameObject(name)


def _stream(writer: PdfWriter, data: bytes, entries: dict[str, object] | None = None) -> object:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in (entries or {}).items():
        stream[_n(key)] = value  # type: ignore[assignment]
    return writer._add_object(stream)


def _type3(
    writer: PdfWriter, procs: dict[str, bytes], xobjects: dict[str, object] | None = None, width: int = 600
) -> DictionaryObject:
    names = list(procs)
    font = DictionaryObject(
        {
            _n("/Type"): _n("/Font"),
            _n("/Subtype"): _n("/Type3"),
            _n("/FontBBox"): ArrayObject([NumberObject(v) for v in (0, 0, 1000, 1000)]),
            _n("/FontMatrix"): ArrayObject([FloatObject(v) for v in (0.001, 0, 0, 0.001, 0, 0)]),
            _n("/FirstChar"): NumberObject(65),
            _n("/LastChar"): NumberObject(64 + len(names)),
            _n("/Widths"): ArrayObject([NumberObject(width)] * len(names)),
            _n("/Encoding"): DictionaryObject(
                {
                    _n("/Type"): _n("/Encoding"),
                    _n("/Differences"): ArrayObject([NumberObject(65), *(_n(f"/{k}") for k in names)]),
                }
            ),
            _n("/CharProcs"): DictionaryObject({_n(f"/{k}"): _stream(writer, v) for k, v in procs.items()}),
            _n("/Resources"): DictionaryObject({_n("/XObject"): DictionaryObject(xobjects or {})}),
        }
    )
    return font


def _image(writer: PdfWriter) -> object:
    entries = {"/Type": _n("/XObject"), "/Subtype": _n("/Image"), "/Width": NumberObject(1)}
    entries |= {"/Height": NumberObject(1), "/ColorSpace": _n("/DeviceGray"), "/BitsPerComponent": NumberObject(8)}
    return _stream(writer, b"\x00", entries)


def test_type3_glyphs_that_only_paint_pictures_are_not_shapes() -> None:
    writer = PdfWriter()
    font = _type3(
        writer,
        {"A": b"600 0 d0 q 600 0 0 700 0 0 cm /Im1 Do Q", "B": b"600 0 0 0 600 700 d1 0.5 g"},
        {_n("/Im1"): _image(writer)},
    )
    assert _type3_shapes(font) == ""


@pytest.mark.parametrize(
    "proc",
    [
        b"600 0 d0 0 0 600 700 re f",  # a bar
        b"600 0 d0 0 0 m 300 700 300 700 600 0 c S",  # a stroke
        b"600 0 d0 BT /H 1000 Tf (F) Tj ET",  # a letter of another font
        b"600 0 d0 /Fm1 Do",  # a form, which may draw anything
        b"600 0 d0 /Missing Do",  # a name the font's resources do not hold
        b"600 0 d0 0 0 m 600 0 l 600 700 l h W n /Im1 Do",  # a picture cut to a shape
    ],
)
def test_type3_glyphs_that_draw_are_shapes(proc: bytes) -> None:
    writer = PdfWriter()
    form = _stream(writer, b"0 0 10 10 re f", {"/Type": _n("/XObject"), "/Subtype": _n("/Form")})
    font = _type3(writer, {"A": proc}, {_n("/Im1"): _image(writer), _n("/Fm1"): form})
    assert "shapes" in _type3_shapes(font)


@pytest.mark.parametrize(
    ("name", "doubted"),
    [
        ("/F", False),
        ("/fi", False),  # one character: the ligature U+FB01
        ("/uni0046", False),
        ("/u1F600", False),
        ("/N.alt", False),
        ("/uni00460061", True),  # "Fa" to poppler, the raw code to pdfium
        ("/f_i", True),
        ("/g618", True),
        ("/uni004e", True),  # lower-case digits: no standard name
    ],
)
def test_glyph_names_of_one_character_only(name: str, doubted: bool) -> None:
    encoding = DictionaryObject({_n("/Differences"): ArrayObject([NumberObject(1), _n(name)])})
    assert bool(_differences_doubt(encoding)) is doubted


def test_tounicode_cid_and_notdef_sections_are_read_as_poppler_reads_them() -> None:
    cmap = (
        b"1 begincidchar <41> 70 endcidchar\n"
        b"1 begincidrange <61> <63> 97 endcidrange\n"
        b"1 beginnotdefrange <30> <31> 120 endnotdefrange\n"
        b"1 beginbfchar <42> <004B> endbfchar\n"
    )
    assert to_unicode_map(cmap) == {0x41: "F", 0x61: "a", 0x62: "b", 0x63: "c", 0x30: "x", 0x31: "y", 0x42: "K"}


def test_a_tounicode_map_using_another_cannot_be_read() -> None:
    with pytest.raises(ValueError, match="uses another map"):
        to_unicode_map(b"/Adobe-Identity-UCS usecmap 1 beginbfchar <41> <0046> endbfchar")


def _page_pdf(path: Path, content: bytes, type3_in_form: bool = False) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    fonts = DictionaryObject({_n("/F1"): _font(writer, "/Helvetica")})
    type3 = writer._add_object(_type3(writer, {"A": b"10 0 d0 0 0 10 700 re f"}, width=10))  # a hair
    resources = DictionaryObject({_n("/Font"): fonts})
    if type3_in_form:
        form_resources = DictionaryObject({_n("/Font"): DictionaryObject({_n("/T3"): type3})})
        form = _stream(
            writer,
            b"BT /T3 11 Tf 72 600 Td (A) Tj ET",
            {
                "/Type": _n("/XObject"),
                "/Subtype": _n("/Form"),
                "/BBox": ArrayObject([NumberObject(v) for v in (0, 0, 612, 792)]),
                "/Resources": form_resources,
            },
        )
        resources[_n("/XObject")] = DictionaryObject({_n("/Fm1"): form})
        content += b" /Fm1 Do"
    else:
        fonts[_n("/T3")] = type3
    page[_n("/Resources")] = resources
    page[_n("/Contents")] = _stream(writer, content)
    writer.write(str(path))


def test_a_type3_font_in_a_form_sends_the_page_to_reading_order(tmp_path: Path) -> None:
    plain, nested = tmp_path / "plain.pdf", tmp_path / "nested.pdf"
    _page_pdf(plain, b"BT /F1 11 Tf 72 700 Td (Plain text) Tj ET")
    _page_pdf(nested, b"BT /F1 11 Tf 72 700 Td (Plain text) Tj ET", type3_in_form=True)
    assert moves_back(PdfReader(plain).pages[0])  # /T3 is in the page's own fonts
    assert moves_back(PdfReader(nested).pages[0])


def _read(pdf: Path) -> tuple[str, set[int], str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        textpage = doc[0].get_textpage()
        text = page_text(doc[0], boxes=True, textpage=textpage)
        chars = text.chars
        type3 = _type3_letters(textpage, list(range(len(chars))))
        return "".join(chars), type3, reading_order(textpage, chars, text.boxes)[0]
    finally:
        doc.close()


def test_type3_letters_are_told_and_read_apart(tmp_path: Path) -> None:
    pdf = tmp_path / "inside.pdf"
    _page_pdf(pdf, b"BT /F1 11 Tf 72 700 Td (Fari) Tj /T3 11 Tf (A) Tj /F1 11 Tf (da Khanum) Tj ET")
    chars, type3, read = _read(pdf)
    assert "FariAda" in chars
    assert type3 == {chars.index("A")}
    assert "Farida Khanum" in read  # the reading without the Type3 letter
    assert [m.target.text for m in find_matches(read, WHOLE)] == ["Farida Khanum"]


def test_no_type3_letters_on_a_page_without_one(tmp_path: Path) -> None:
    pdf = tmp_path / "plain.pdf"
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    page[_n("/Resources")] = DictionaryObject({_n("/Font"): DictionaryObject({_n("/F1"): _font(writer, "/Helvetica")})})
    page[_n("/Contents")] = _stream(writer, b"BT /F1 11 Tf 72 700 Td (Farida Khanum) Tj ET")
    writer.write(str(pdf))
    assert _read(pdf)[1] == set()


@pytest.mark.parametrize("degrees", [20, 30, 45, 60, 150, 210, 300])
def test_text_at_a_slant_is_read_along_its_line(tmp_path: Path, degrees: int) -> None:
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    pieces = [(10, b"num"), (4, b"da Kha"), (0, b"Fari")]  # drawn last piece first
    content = b""
    for k, text in pieces:
        along = _w("Farida Khanum"[:k], 14)
        x, y = 300 + along * cos, 400 + along * sin
        content += b"BT /F1 14 Tf %.5f %.5f %.5f %.5f %.3f %.3f Tm (%s) Tj ET\n" % (cos, sin, -sin, cos, x, y, text)
    pdf = tmp_path / "slant.pdf"
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    page[_n("/Resources")] = DictionaryObject({_n("/Font"): DictionaryObject({_n("/F1"): _font(writer, "/Helvetica")})})
    page[_n("/Contents")] = _stream(writer, content)
    writer.write(str(pdf))
    chars, _, read = _read(pdf)
    assert "Farida" not in chars.replace(" ", "")  # pdfium: the pieces as drawn
    assert "FaridaKhanum" in "".join(read.split()), read
