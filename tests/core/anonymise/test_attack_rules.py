"""The rules behind rounds 28-30's font, mask and slant fixes, one by one: which Type3 glyphs are
shapes (``doubt._type3_shapes``), which glyph names stand for one character
(``doubt._differences_doubt``), the ToUnicode sections poppler reads (``to_unicode_map``), a
Type3 font sending its page to reading order (``vectors.moves_back``), which letters pdfium draws
in a Type3 font (``layout._type3_letters``) and text at a slant read along its line."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

from bundler.core.anonymise.glyphs.doubt import _differences_doubt, _type3_shapes, font_doubt, page_doubts
from bundler.core.anonymise.glyphs.tounicode import to_unicode_map
from bundler.core.anonymise.glyphs.vectors import moves_back, type3_pictures, unread_text
from bundler.core.anonymise.pdf.layout import _type3_letters, reading_order
from bundler.core.anonymise.pdf.locate import page_text
from bundler.core.anonymise.terms import find_matches
from tests.cli.test_attacks_round21 import WHOLE, _font, _w
from tests.conftest import require
from tests.pdfs import CORPUS


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


def _masked_page(path: Path, mask_content: bytes, through_form: bool = False) -> None:
    """A page that fills a rectangle under a luminosity soft mask whose group draws ``mask_content``."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    group_resources = DictionaryObject({_n("/Font"): DictionaryObject({_n("/F1"): _font(writer, "/Helvetica")})})
    group = _stream(
        writer,
        mask_content,
        {
            "/Type": _n("/XObject"),
            "/Subtype": _n("/Form"),
            "/BBox": ArrayObject([NumberObject(v) for v in (0, 0, 612, 792)]),
            "/Group": DictionaryObject({_n("/S"): _n("/Transparency"), _n("/CS"): _n("/DeviceGray")}),
            "/Resources": group_resources,
        },
    )
    state = DictionaryObject(
        {_n("/Type"): _n("/ExtGState"), _n("/SMask"): DictionaryObject({_n("/S"): _n("/Luminosity"), _n("/G"): group})}
    )
    resources = DictionaryObject({_n("/ExtGState"): DictionaryObject({_n("/M1"): writer._add_object(state)})})
    content = b"q /M1 gs 0 0 612 792 re f Q"
    if through_form:  # the mask set inside a form the page draws
        form = _stream(
            writer,
            content,
            {
                "/Type": _n("/XObject"),
                "/Subtype": _n("/Form"),
                "/BBox": ArrayObject([NumberObject(v) for v in (0, 0, 612, 792)]),
                "/Resources": resources,
            },
        )
        resources = DictionaryObject({_n("/XObject"): DictionaryObject({_n("/Fm1"): form})})
        content = b"/Fm1 Do"
    page[_n("/Resources")] = resources
    page[_n("/Contents")] = _stream(writer, content)
    writer.write(str(path))


@pytest.mark.parametrize("through_form", [False, True])
def test_text_seen_through_a_soft_mask_is_a_doubt(tmp_path: Path, through_form: bool) -> None:
    shown, drawn = tmp_path / "shown.pdf", tmp_path / "drawn.pdf"
    _masked_page(shown, b"1 g BT /F1 30 Tf 72 600 Td (F) Tj (a) ' ET", through_form)
    _masked_page(drawn, b"1 g 72 600 200 40 re f", through_form)
    assert unread_text(PdfReader(shown).pages[0])
    assert "soft mask" in " ".join(page_doubts(PdfReader(shown).pages[0]))
    assert not unread_text(PdfReader(drawn).pages[0])  # a mask of shapes: curves are counted, not doubted


@pytest.mark.parametrize(
    ("state", "plain"),
    [
        ({"/Type": "/ExtGState", "/CA": 0.5, "/ca": 0.5, "/LW": 2}, True),
        ({"/SMask": "/None", "/BM": "/Normal"}, True),
        ({"/SMask": {"/S": "/Luminosity"}}, False),
        ({"/BM": "/Difference"}, False),
        ({"/TR": "/Identity"}, False),
    ],
)
def test_a_type3_glyph_may_set_only_a_plain_graphics_state(state: dict[str, object], plain: bool) -> None:
    def value(v: object) -> object:
        if isinstance(v, dict):
            return DictionaryObject({_n(k): value(x) for k, x in v.items()})
        if isinstance(v, str):
            return _n(v)
        return FloatObject(v) if isinstance(v, float) else NumberObject(v)  # type: ignore[arg-type]

    writer = PdfWriter()
    font = _type3(writer, {"A": b"600 0 d0 /G1 gs"})
    font[_n("/Resources")][_n("/ExtGState")] = DictionaryObject({_n("/G1"): value(state)})  # type: ignore[index]
    assert (_type3_shapes(font) == "") is plain


def test_a_type3_font_with_a_tounicode_map_is_still_looked_at(tmp_path: Path) -> None:
    writer = PdfWriter()
    font = _type3(writer, {"A": b"600 0 d0 0 0 600 700 re f"})
    font[_n("/ToUnicode")] = _stream(writer, b"1 beginbfchar <41> <0041> endbfchar")
    assert "shapes" in font_doubt(font)


@pytest.mark.parametrize("closed", [False, True])
def test_letters_turning_along_a_curve_are_read_as_one_line(tmp_path: Path, closed: bool) -> None:
    name = "Farida Khanum" + (" * witness statement of the claimant * " if closed else "")
    size = 14.0
    span = 2 * math.pi if closed else 0.6
    radius = _w(name, size) / span
    content = b""
    for k in random.Random(3).sample(range(len(name)), len(name)):
        letter = name[k]
        half = _w(letter, size) / 2
        turn = 0.2 + (_w(name[:k], size) + half) / radius
        cos, sin = math.cos(turn), math.sin(turn)
        x, y = 300 + radius * sin - half * cos, 400 - radius * cos - half * sin
        content += b"BT /F1 14 Tf %.5f %.5f %.5f %.5f %.3f %.3f Tm (%s) Tj ET\n" % (
            cos,
            sin,
            -sin,
            cos,
            x,
            y,
            letter.encode(),
        )
    pdf = tmp_path / "arc.pdf"
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    page[_n("/Resources")] = DictionaryObject({_n("/Font"): DictionaryObject({_n("/F1"): _font(writer, "/Helvetica")})})
    page[_n("/Contents")] = _stream(writer, content)
    writer.write(str(pdf))
    _, _, read = _read(pdf)
    assert [m.target.text for m in find_matches(read, WHOLE)] == ["Farida Khanum"], read


def test_a_type3_glyph_painting_a_picture_makes_the_page_drawn_words(tmp_path: Path) -> None:
    writer = PdfWriter()
    image = _image(writer)
    painting = writer._add_object(
        _type3(writer, {"A": b"600 0 d0 q 600 0 0 700 0 0 cm /Im1 Do Q"}, {_n("/Im1"): image})
    )
    bars = writer._add_object(_type3(writer, {"A": b"600 0 d0 0 0 600 700 re f"}))
    for name, font, paints in (("painting", painting, True), ("bars", bars, False)):
        page = writer.add_blank_page(612, 792)
        page[_n("/Resources")] = DictionaryObject({_n("/Font"): DictionaryObject({_n("/T3"): font})})
        assert type3_pictures(page) is paints, name
    require(CORPUS.is_dir(), f"the shared corpus ({CORPUS})")
    google = PdfReader(CORPUS / "real-pdfs" / "google-doc-document.pdf").pages[0]
    assert type3_pictures(google)  # its emoji: read from the page drawn, where OCR runs
    assert page_doubts(google) == []  # and no doubt: read as pictures are, not refused


@pytest.mark.parametrize("decode", [None, [1, 0]])
def test_a_stencil_mask_shapes_the_picture_read(decode: list[int] | None) -> None:
    from bundler.core.anonymise.pdf.images import _masked

    mask = DecodedStreamObject()
    rows = [bytes([0b11110000]), bytes([0b11110000])]  # 8 x 2, the left half's samples 1
    mask.set_data(b"".join(rows))
    for key, value in {"/Width": 8, "/Height": 2, "/BitsPerComponent": 1}.items():
        mask[_n(key)] = NumberObject(value)
    mask[_n("/ImageMask")] = NumberObject(1)
    if decode:
        mask[_n("/Decode")] = ArrayObject([NumberObject(v) for v in decode])
    seen = _masked(Image.new("L", (8, 2), 0), DictionaryObject({_n("/Mask"): mask})).convert("L")
    painted_left = decode == [1, 0]  # samples of 1 paint only when the decode turns them round
    assert seen.getpixel((0, 0)) == (0 if painted_left else 255)
    assert seen.getpixel((7, 0)) == (255 if painted_left else 0)


def test_a_colour_key_mask_hides_its_range() -> None:
    from bundler.core.anonymise.pdf.images import _masked

    picture = Image.new("L", (4, 1), 1)
    picture.putpixel((0, 0), 0)  # one black sample, the others 1: masked by [1 1]
    seen = _masked(picture, DictionaryObject({_n("/Mask"): ArrayObject([NumberObject(1), NumberObject(1)])}))
    assert [seen.convert("L").getpixel((x, 0)) for x in range(4)] == [0, 255, 255, 255]


@pytest.mark.parametrize(("bits", "samples", "key"), [(1, b"\x7f", [1, 1]), (4, b"\x0f\xff\xff\xff", [15, 15])])
def test_a_colour_key_is_compared_with_the_samples_as_stored(bits: int, samples: bytes, key: list[int]) -> None:
    from bundler.core.anonymise.pdf.images import _masked

    image = DecodedStreamObject()
    image.set_data(samples)  # 8 x 1: the first sample 0, the others the key's
    for name, value in {"/Width": 8, "/Height": 1, "/BitsPerComponent": bits}.items():
        image[_n(name)] = NumberObject(value)
    image[_n("/ColorSpace")] = _n("/DeviceGray")
    image[_n("/Decode")] = ArrayObject([NumberObject(0), NumberObject(0)])  # every sample drawn black
    image[_n("/Mask")] = ArrayObject([NumberObject(v) for v in key])
    seen = _masked(Image.new("L", (8, 1), 0), image).convert("L")  # pypdf's decoding: all black
    assert [seen.getpixel((x, 0)) for x in range(8)] == [0] + [255] * 7


@pytest.mark.parametrize(
    ("content", "most"),
    [
        (b"BT 1 0 0 1 72 700 Tm (a) Tj ET", 1.0),
        (b"BT 58 0 0 1 72 700 Tm (a) Tj ET", 58.0),
        (b"q 2 0 0 1 0 0 cm BT 3 0 0 1 72 700 Tm (a) Tj ET Q", 6.0),  # nested: multiplied
        (b"BT 0 2 -1 0 72 700 Tm (a) Tj ET", 2.0),  # turned a quarter, stretched along its line
        (b"BT 58 0 0 1 72 %c\n700 Tm (a) Tj ET", math.inf),  # a matrix the look cannot read
    ],
)
def test_the_width_doubt_bounds_how_far_text_is_stretched(content: bytes, most: float) -> None:
    from bundler.core.anonymise.glyphs.advance import _most_stretch

    assert _most_stretch([content], []) == pytest.approx(most)


@pytest.mark.parametrize(("levels", "deep"), [(3, False), (24, False), (25, True)])
def test_forms_nested_deeper_than_readers_read_are_a_doubt(levels: int, deep: bool) -> None:
    from bundler.core.anonymise.glyphs.vectors import too_deep

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    inner = None
    for _ in range(levels):
        entries: dict[str, object] = {"/Type": _n("/XObject"), "/Subtype": _n("/Form")}
        entries["/BBox"] = ArrayObject([NumberObject(v) for v in (0, 0, 10, 10)])
        if inner is not None:
            entries["/Resources"] = DictionaryObject({_n("/XObject"): DictionaryObject({_n("/X"): inner})})
        inner = _stream(writer, b"/X Do" if inner is not None else b"0 0 1 1 re f", entries)
    page[_n("/Resources")] = DictionaryObject({_n("/XObject"): DictionaryObject({_n("/X"): inner})})
    assert too_deep(page) is deep


def test_forms_drawing_one_another_in_a_cycle_are_a_doubt() -> None:
    from bundler.core.anonymise.glyphs.vectors import too_deep

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    form = DecodedStreamObject()
    form.set_data(b"/X Do")
    ref = writer._add_object(form)
    form[_n("/Subtype")] = _n("/Form")
    form[_n("/Resources")] = DictionaryObject({_n("/XObject"): DictionaryObject({_n("/X"): ref})})
    page[_n("/Resources")] = DictionaryObject({_n("/XObject"): DictionaryObject({_n("/X"): ref})})
    assert too_deep(page)
