"""Glyphs whose width readers take differently (``glyphs.advance``).

The table of certain codes is checked against the readers themselves: for every code of every
standard font, with and without an encoding, ``/Differences`` and ``/Widths``, a glyph drawn
after it lands in the same place in PDFium, poppler (``pdftotext -bbox``) and pdfminer.six
whenever ``uncertain_codes`` calls the code certain.
"""

from __future__ import annotations

import ctypes
import re
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)
from reportlab.pdfbase import _fontdata

from bundler.core.anonymise.glyphs.advance import ADVANCE_DOUBT, advance_doubt, uncertain_codes
from bundler.core.anonymise.glyphs.doubt import page_doubts
from tests.pdfs import raw_pdf

_ROWS = 60  # lines a page
_TOP, _STEP, _X = 770, 12, 20
_AGREE = 0.05  # points (a two-hundredth of an em at 10 points)


def _name(value: str) -> NameObject:
    return NameObject(value)


def _font(base: str, encoding: object = None, **extra: object) -> DictionaryObject:
    font = DictionaryObject({_name("/Type"): _name("/Font"), _name("/Subtype"): _name("/Type1")})
    font[_name("/BaseFont")] = _name(base)
    if encoding is not None:
        font[_name("/Encoding")] = encoding if not isinstance(encoding, str) else _name(encoding)
    for key, value in extra.items():
        font[_name("/" + key)] = value  # type: ignore[assignment]
    return font


def _lines_pdf(path: Path, font: DictionaryObject, codes: list[int]) -> None:
    """Each code on a line of its own: "A", the code, three ems on, "B"."""
    writer = PdfWriter()
    reference = writer._add_object(font)
    for start in range(0, len(codes), _ROWS):
        page = writer.add_blank_page(612, 792)
        fonts = DictionaryObject({_name("/F1"): reference})
        page[_name("/Resources")] = DictionaryObject({_name("/Font"): fonts})
        lines = [
            b"BT /F1 10 Tf %d %d Td [(A\\%03o) -3000 (B)] TJ ET" % (_X, _TOP - row * _STEP, code)
            for row, code in enumerate(codes[start : start + _ROWS])
        ]
        stream = DecodedStreamObject()
        stream.set_data(b"\n".join(lines))
        page[_name("/Contents")] = writer._add_object(stream)
    writer.write(str(path))


def _row(baseline: float) -> int:
    return round((_TOP - baseline) / _STEP)


def _pdfium_last(path: Path) -> dict[tuple[int, int], float]:
    """(page, line) -> where the line's last glyph starts, by PDFium."""
    document = pdfium.PdfDocument(str(path))
    found: dict[tuple[int, int], float] = {}
    try:
        for number in range(len(document)):
            text = document[number].get_textpage()
            for index in range(text.count_chars()):
                x, y = ctypes.c_double(), ctypes.c_double()
                pdfium.raw.FPDFText_GetCharOrigin(text.raw, index, ctypes.byref(x), ctypes.byref(y))
                if x.value > _X + 20 and text.get_text_range(index, 1).strip():
                    found[(number, _row(y.value))] = x.value
    finally:
        document.close()
    return found


def _poppler_last(path: Path) -> dict[tuple[int, int], float]:
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found: dict[tuple[int, int], float] = {}
    for number, page in enumerate(html.split("<page ")[1:]):
        for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', page):
            x, middle = float(m.group(1)), 792 - (float(m.group(2)) + float(m.group(3))) / 2
            if x > _X + 20:
                found[(number, _row(middle - 3))] = x
    return found


def _pdfminer_last(path: Path) -> dict[tuple[int, int], float]:
    found: dict[tuple[int, int], float] = {}

    def walk(item: object, number: int) -> None:
        if isinstance(item, LTChar):
            if item.x0 > _X + 20:
                found[(number, _row((item.y0 + item.y1) / 2 - 3))] = item.x0
        elif hasattr(item, "__iter__"):
            for child in item:  # type: ignore[attr-defined]
                walk(child, number)

    for number, page in enumerate(extract_pages(str(path))):
        walk(page, number)
    return found


def _disagreeing(path: Path, font: DictionaryObject, codes: list[int]) -> list[int]:
    """The codes after which the three readers place the next glyph apart (or one misses it)."""
    _lines_pdf(path, font, codes)
    readings = [_pdfium_last(path), _poppler_last(path), _pdfminer_last(path)]
    apart = []
    for at, code in enumerate(codes):
        where = [reading.get((at // _ROWS, at % _ROWS)) for reading in readings]
        known = [x for x in where if x is not None]
        if len(known) < len(where) or max(known) - min(known) > _AGREE:
            apart.append(code)
    return apart


_MAC_DIFFERENCES = ArrayObject([NumberObject(0), _name("/F"), _name("/a"), _name("/hyphen"), _name("/Euro")])
_ENCODED = DictionaryObject(
    {_name("/BaseEncoding"): _name("/WinAnsiEncoding"), _name("/Differences"): _MAC_DIFFERENCES}
)


def _standard_widths(base: str, code_names: list[str | None], first: int, last: int) -> ArrayObject:
    metrics = _fontdata.widthsByFontGlyph[base]
    return ArrayObject(NumberObject(metrics.get(code_names[c] or "", 0)) for c in range(first, last + 1))


def _widths_font(base: str, first: int, last: int, widths: ArrayObject) -> DictionaryObject:
    return _font(base, "/WinAnsiEncoding", FirstChar=NumberObject(first), LastChar=NumberObject(last), Widths=widths)


def _fonts() -> dict[str, DictionaryObject]:
    setups: dict[str, DictionaryObject] = {}
    for base in _fontdata.widthsByFontGlyph:
        setups[f"{base} WinAnsi"] = _font("/" + base, "/WinAnsiEncoding")
        setups[f"{base} own"] = _font("/" + base)
    for encoding in ("/MacRomanEncoding", "/StandardEncoding"):
        setups[f"Helvetica {encoding}"] = _font("/Helvetica", encoding)
    setups["Times differences"] = _font("/Times-Roman", _ENCODED)
    win = list(_fontdata.encodings["WinAnsiEncoding"])
    adobe = _standard_widths("Helvetica", win, 32, 126)
    setups["Helvetica standard widths"] = _widths_font("/Helvetica", 32, 126, adobe)
    setups["Helvetica other widths"] = _widths_font("/Helvetica", 65, 90, ArrayObject([NumberObject(600)] * 26))
    setups["Arial widths"] = _widths_font("/Arial", 32, 126, adobe)
    setups["Arial no widths"] = _font("/Arial", "/WinAnsiEncoding")
    return setups


_SETUPS = _fonts()


@pytest.mark.parametrize("setup", list(_SETUPS))
def test_readers_place_the_glyph_after_a_certain_code_alike(tmp_path: Path, setup: str) -> None:
    """Every code ``uncertain_codes`` calls certain is one after which PDFium, poppler and
    pdfminer.six place the next glyph within ``_AGREE``: the table holds for the readers."""
    font = _SETUPS[setup]
    apart = _disagreeing(tmp_path / "codes.pdf", font, list(range(256)))
    missed = sorted(set(apart) - uncertain_codes(font))
    assert not missed, f"{setup}: readers disagree after codes called certain: {missed}"


def test_the_readers_do_disagree_on_the_codes_an_attack_uses(tmp_path: Path) -> None:
    """The check can fail: code 0 and 127 of Helvetica are placed apart, and called uncertain."""
    font = _font("/Helvetica", "/WinAnsiEncoding")
    apart = _disagreeing(tmp_path / "codes.pdf", font, [0, 65, 127])
    assert apart == [0, 127]
    assert {0, 127} <= uncertain_codes(font) and 65 not in uncertain_codes(font)


def test_widths_read_apart_leave_every_code_uncertain() -> None:
    """Round 6: /FirstChar -1 (poppler reads 0, PDFium reads no /Widths at all); a real number
    (read as 0 by poppler and pdfminer.six); /LastChar before /FirstChar."""
    for first, last in ((-1, 254), (32.0, 126), (40, 30)):
        font = _font("/Arial", "/WinAnsiEncoding", Widths=ArrayObject([NumberObject(500)] * 256))
        font[_name("/FirstChar")] = FloatObject(first) if isinstance(first, float) else NumberObject(first)
        font[_name("/LastChar")] = NumberObject(last)
        assert uncertain_codes(font) == frozenset(range(256)), (first, last)
    past = _font("/Arial", "/WinAnsiEncoding", Widths=ArrayObject([NumberObject(500)] * 20))
    past[_name("/FirstChar")], past[_name("/LastChar")] = NumberObject(32), NumberObject(41)
    assert uncertain_codes(past) == frozenset(range(256)) - set(range(32, 42))  # entries past /LastChar unread


def test_codes_a_font_gives_widths_for_are_certain() -> None:
    embedded = _font("/ABCDEF+Calibri", "/WinAnsiEncoding")
    embedded[_name("/FirstChar")] = NumberObject(32)
    embedded[_name("/LastChar")] = NumberObject(122)
    embedded[_name("/Widths")] = ArrayObject([NumberObject(500)] * 91)
    assert uncertain_codes(embedded) == frozenset({*range(32), *range(123, 256)})
    cid = DictionaryObject({_name("/Subtype"): _name("/Type0")})
    assert uncertain_codes(cid) == frozenset()
    assert uncertain_codes(_font("/Symbol")) == frozenset(range(256))


# --- pages -----------------------------------------------------------------------------------

_HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
_CALIBRI = (
    b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Calibri /Encoding /WinAnsiEncoding"
    b" /FirstChar 0 /LastChar 255 /Widths [" + b"500 " * 256 + b"] >>"
)


def _page(content: bytes, *, form: bytes | None = None, state: bool = False) -> bytes:
    """One page: /F1 Helvetica (no widths), /F2 a font with widths for every code; ``form``
    drawn by /X1 with only /F1 among its own resources; ``state``: /G1 sets /F1 by ``gs``."""
    resources = b"/Font << /F1 5 0 R /F2 6 0 R >>"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        5: _HELV,
        6: _CALIBRI,
    }
    if form is not None:
        resources += b" /XObject << /X1 7 0 R >>"
        body = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F9 5 0 R >> >>"
        objects[7] = b"<< %s /Length %d >>\nstream\n%s\nendstream" % (body, len(form), form)
    if state:
        resources += b" /ExtGState << /G1 << /Type /ExtGState /Font [5 0 R 12] >> >>"
    objects[3] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << %s >> /Contents 4 0 R >>" % (
        resources
    )
    objects[4] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    return raw_pdf(objects)


def _first_page(tmp_path: Path, data: bytes) -> DictionaryObject:
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    return PdfReader(path).pages[0]


_BACK = b" [(x) 2000 (y)] TJ"  # a step back of two ems: the text moves back


PAGES: dict[str, tuple[bytes, dict[str, object], bool]] = {
    "code 0 in Helvetica": (b"BT /F1 12 Tf 72 700 Td (a\\000b)" + b" Tj" + _BACK + b" ET", {}, True),
    "code 0 in a font with widths": (b"BT /F2 12 Tf 72 700 Td (a\\000b) Tj" + _BACK + b" ET", {}, False),
    "letters only in Helvetica": (b"BT /F1 12 Tf 72 700 Td (ab) Tj" + _BACK + b" ET", {}, False),
    "Q restores Helvetica": (b"BT /F1 12 Tf q /F2 12 Tf Q 72 700 Td (\\000)" + b" Tj" + _BACK + b" ET", {}, True),
    "q keeps the font with widths": (
        b"BT /F1 12 Tf q /F2 12 Tf 72 700 Td (\\000) Tj" + _BACK + b" ET Q",
        {},
        False,
    ),
    "gs sets Helvetica": (b"BT /F2 12 Tf /G1 gs 72 700 Td (\\000) Tj" + _BACK + b" ET", {"state": True}, True),
    "a form's own font": (b"/X1 Do", {"form": b"BT /F9 12 Tf 72 700 Td (\\177)" + b" Tj" + _BACK + b" ET"}, True),
    "a TJ array's string": (b"BT /F1 12 Tf 72 700 Td [(a) 10 (\\217)] TJ" + _BACK + b" ET", {}, True),
    "a quote's string": (b'BT /F1 12 Tf 14 TL 72 700 Td 0 0 (\\000) "' + _BACK + b" ET", {}, True),
    "a form drawn again under a negative size": (
        b"BT /F1 12 Tf ET /X1 Do BT /F1 -12 Tf ET /X1 Do",
        {"form": b"BT 72 700 Td (a\\000b) Tj ET"},
        True,
    ),
    "a small step back in a form": (b"/X1 Do", {"form": b"BT /F9 12 Tf 72 700 Td [(\\000) 5 (a)] TJ ET"}, True),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_the_codes_a_page_shows_are_found_in_the_font_showing_them(tmp_path: Path, name: str) -> None:
    content, options, uncertain = PAGES[name]
    page = _first_page(tmp_path, _page(content, **options))  # type: ignore[arg-type]
    assert (advance_doubt(page) == ADVANCE_DOUBT) is uncertain
    assert (ADVANCE_DOUBT in page_doubts(page)) is uncertain


RUNS = {
    "forwards only": (b"BT /F1 12 Tf 72 700 Td (a\\000\\000b) Tj [(c) -500 (d)] TJ ET", False),
    "the step back in the next run": (b"BT /F1 12 Tf 72 700 Td (a\\000b) Tj 0 -14 Td [(x) 2000 (y)] TJ ET", False),
    "the step back in another text object": (
        b"BT /F1 12 Tf 72 700 Td (\\000) Tj ET BT /F1 12 Tf [(x) 9 (y)] TJ ET",
        False,
    ),
    "a step of a hundredth of an em": (b"BT /F1 12 Tf 72 700 Td [(a) 10 (\\000) 10 (b)] TJ ET", True),
    "the step back before the glyph": (b"BT /F1 12 Tf 72 700 Td [(a) 280 (b)] TJ (\\000) Tj ET", True),
    "character spacing set before the text object": (b"-0.5 Tc BT /F1 12 Tf 72 700 Td (a\\000b) Tj ET", True),
    "character spacing taken back by Q": (b"q -0.5 Tc Q BT /F1 12 Tf 72 700 Td (a\\000b) Tj ET", False),
    "word spacing below zero, and a space shown": (b"BT /F1 12 Tf -3 Tw 72 700 Td (a\\000 b) Tj ET", True),
    "word spacing below zero, no space shown": (b"BT /F1 12 Tf -3 Tw 72 700 Td (a\\000b) Tj ET", False),
    "scaling of zero": (b"BT /F1 12 Tf 0 Tz 72 700 Td (a\\000b) Tj ET", True),
    # round 7: the pen turned back by the font size or a matrix, and a number pypdf misreads
    "a negative font size": (b"BT /F1 -12 Tf 72 700 Td [(a\\000) -500 (b)] TJ ET", True),
    "a mirroring matrix": (b"-1 0 0 1 600 0 cm BT /F1 12 Tf 72 700 Td (a\\000b) Tj ET", True),
    "a mirrored text matrix": (b"BT /F1 12 Tf -1 0 0 1 500 700 Tm (a\\000b) Tj ET", True),
    "two mirrors": (b"-1 0 0 1 600 0 cm BT /F1 12 Tf -1 0 0 1 500 700 Tm (a\\000b) Tj ET", False),
    "a mirror taken back by Q": (b"q -1 0 0 1 600 0 cm Q BT /F1 12 Tf 72 700 Td (a\\000b) Tj ET", False),
    "a quarter turn": (b"0 1 -1 0 600 0 cm BT /F1 12 Tf 72 700 Td (a\\000b) Tj ET", False),
    "a number pypdf misreads": (b"BT /F1 12 Tf 72 700 Td [(a) 280.0-0 (\\000)] TJ ET", True),
    # round 9: ET does not set the pen; an escape pypdf reads otherwise than the readers
    "shown on after ET": (b"BT /F1 12 Tf 72 700 Td (a\\000) Tj ET [(x) 280 (y)] TJ", True),
    "an octal escape past 255": (b"BT /F1 12 Tf 72 700 Td [(a) 280 (\\400b)] TJ ET", True),
    "a date in a string": (b"BT /F1 12 Tf 72 700 Td [(2019-2020\\000)] TJ ET", False),
}


@pytest.mark.parametrize("name", list(RUNS))
def test_an_uncertain_glyph_is_a_doubt_where_its_run_moves_back(tmp_path: Path, name: str) -> None:
    """Within one run (until the pen is set again) any step back, however small, lets the widths
    readers disagree on reorder the glyphs; across runs the pen is set anew, the same in every
    reader."""
    content, doubt = RUNS[name]
    page = _first_page(tmp_path, _page(content))
    assert (advance_doubt(page) == ADVANCE_DOUBT) is doubt


def test_content_that_does_not_parse_counts_as_uncertain(tmp_path: Path) -> None:
    """An inline image with no end: pypdf cannot read the content, so nothing in it is certain."""
    page = _first_page(tmp_path, _page(b"BI /W 1 /H 1 ID xx BT /F1 12 Tf 72 700 Td [(a) 9 (\\000)] TJ ET"))
    assert advance_doubt(page) == ADVANCE_DOUBT


def test_real_pages_that_move_back_are_no_doubt(corpus: Path) -> None:
    """The corpus's Arabic pages move back (right to left, drawn left to right) in a font whose
    widths are given: no doubt, so they are not made pictures."""
    for page in PdfReader(corpus / "real-pdfs" / "habibi-rotated.pdf").pages:
        assert advance_doubt(page) == ""


def test_a_font_is_read_once_and_forgotten_with_it() -> None:
    """Pages share their fonts: the answer is kept while the font object lives, not after (a
    new object at the same address is read afresh)."""
    import gc

    from bundler.core.anonymise.glyphs import advance

    font = _font("/Helvetica", "/WinAnsiEncoding")
    first = uncertain_codes(font)
    assert uncertain_codes(font) is first and id(font) in advance._KNOWN
    key = id(font)
    del font
    gc.collect()
    assert key not in advance._KNOWN
