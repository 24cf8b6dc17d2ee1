"""Attacks on quicktext's claim: pypdf's text (or error) on every page, with fonts made once per reading.

The attack found that pypdf's ``Font.from_font_resource`` is not a pure function of the font
dictionary's object. Building a Type0 font rewrites its ``/DescendantFonts`` array in place
(each indirect reference becomes the object it names). If another font's ``/Encoding
/Differences`` is that same array, its first code number is an ``IndirectObject`` (read as a
glyph name) before the rewrite and a ``NumberObject`` after it. pypdf makes the simple font again
after the Type0 one and reads the name; a font kept from before the rewrite read "ABCDEFGHIJKLM",
within one ``extract_text`` (a form XObject listing both fonts) and across the pages of one
reading (the leak gate's, the redaction check's). quicktext now forgets every kept font before
pypdf makes one that rewrites; these tests hold it to that, and record what else held.
"""

from __future__ import annotations

import contextvars
import io
import logging
import random
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic._font import Font

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register
from bundler.core.pdf import quicktext
from tests.core.pdf.test_quicktext import _one_reading, _page_by_page, _pypdfs_own
from tests.pdfs import raw_pdf

NAME = "Farida Khanum"
TARGETS = targets_from_register(Register(people=[Person(NAME, "Aisha", id="p1")]))


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_SHOWN = b"<" + bytes(range(0x41, 0x4E)).hex().encode() + b">"  # 13 codes: "ABCDEFGHIJKLM" in StandardEncoding
_FONTS = {
    # B: a simple font whose /Differences is object 12, first element a reference to the number 65
    10: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /Differences 12 0 R >> >>",
    # A: a Type0 font whose /DescendantFonts is the very same array; pypdf rewrites it while building A
    11: b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts 12 0 R >>",
    12: b"[13 0 R /F /a /r /i /d /a /space /K /h /a /n /u /m]",
    13: b"65",
}


def _form_pdf(extra_font: dict[int, bytes] | None = None) -> bytes:
    """One page: B shows the codes, then a form listing A before B shows them again."""
    font_b = b"/F1 10 0 R"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << "
        + font_b
        + b" >> /XObject << /X1 7 0 R >> >> /Contents 5 0 R >>",
        5: _stream(b"BT /F1 24 Tf 72 700 Td " + _SHOWN + b" Tj ET /X1 Do"),
        7: _stream(
            b"BT /F1 24 Tf 72 600 Td " + _SHOWN + b" Tj ET",
            b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F0 11 0 R /F1 10 0 R >> >>",
        ),
        **_FONTS,
        **(extra_font or {}),
    }
    return raw_pdf(objects)


def _two_pages_pdf() -> bytes:
    """Page 1 lists only B; page 2 lists A, then B. Both show the same codes in B."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << %s >> >> /Contents %d 0 R >>"
    return raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        3: page % (b"/F1 10 0 R", 5),
        4: page % (b"/F0 11 0 R /F1 10 0 R", 6),
        5: _stream(b"BT /F1 24 Tf 72 700 Td " + _SHOWN + b" Tj ET"),
        6: _stream(b"BT /F1 24 Tf 72 700 Td " + _SHOWN + b" Tj ET"),
        **_FONTS,
    })  # fmt: skip


def _read(data: bytes, read: Callable[[PdfReader], list[str]]) -> list[str]:
    try:
        return read(PdfReader(io.BytesIO(data)))
    except Exception as exc:  # noqa: BLE001 - the error is what is compared
        return [f"raised {type(exc).__name__}"]


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    logging.disable(logging.CRITICAL)  # the attack fonts make pypdf warn on every page
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


# --- what the attack found, now mended -------------------------------------------------------------------


def test_a_font_rebuilt_after_pypdf_rewrites_a_shared_array_within_one_page() -> None:
    """Single ``extract_text`` call: the form XObject lists the Type0 font first."""
    data = _form_pdf()
    with _pypdfs_own():
        expected = _read(data, _page_by_page)
    assert NAME in expected[0]  # pypdf's own reading shows the name (in the form)
    assert _read(data, _page_by_page) == expected  # was: quicktext reads "ABCDEFGHIJKLM" twice


def test_a_font_rebuilt_after_pypdf_rewrites_a_shared_array_on_a_later_page_of_one_reading() -> None:
    """The gate's way (a block per page, one ``Reading``): page 2 gets page 1's font."""
    data = _two_pages_pdf()
    with _pypdfs_own():
        expected = _read(data, _page_by_page)
    assert expected == ["ABCDEFGHIJKLM", NAME]
    assert _read(data, _page_by_page) == expected  # holds: each page is its own reading
    assert _read(data, _one_reading) == expected  # was: page 2 reads "ABCDEFGHIJKLM"


def test_the_leak_gate_reports_the_name_pypdf_reads(tmp_path: Path) -> None:
    """End to end: a ToUnicode map that PDFium honours (all "X") and pypdf misparses (a tab inside
    each hex code), so only pypdf's text shows the name. With quicktext the gate reports no name at
    all; it still refuses the file, but only through its font checks, not because it saw the name."""
    codes = range(0x41, 0x4E)
    lines = b"\n".join(b"<%x\t%x> <0058>" % (c >> 4, c & 15) for c in codes)
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def /CMapType 2 def\n"
        b"1 begincodespacerange <00> <ff> endcodespacerange\n%d beginbfchar\n"
        % len(codes)
        + lines
        + b"\nendbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    with_map = _FONTS[10].replace(b"/BaseFont /Helvetica", b"/BaseFont /Helvetica /ToUnicode 14 0 R")
    pdf = tmp_path / "shared-array.pdf"
    pdf.write_bytes(_form_pdf({10: with_map, 14: _stream(cmap)}))

    def named(leaks: list[Any]) -> list[str]:
        return sorted(leak.place for leak in leaks if leak.target)

    with _pypdfs_own():
        own = named(leak_scan(pdf, TARGETS, file_name=""))
    assert own == ["page 1 text (pypdf)"]  # PDFium reads "XXXX...": only pypdf sees the name
    assert named(leak_scan(pdf, TARGETS, file_name="")) == own  # was: quicktext: no name found


def test_from_font_resource_on_a_subclass_makes_the_subclass() -> None:
    """``Font.from_font_resource`` is a classmethod; the stand-in always makes a ``Font``
    (pypdf's bound original), inside a reading or not."""

    class Sub(Font):
        pass

    font = PdfReader(io.BytesIO(_two_pages_pdf())).get_object(10)
    with _pypdfs_own():
        assert type(Sub.from_font_resource(font)) is Sub
    assert type(Sub.from_font_resource(font)) is Sub  # was: Font


# --- PASSING: what held --------------------------------------------------------------------------


def test_layout_mode_on_the_shared_array_raises_as_pypdf_does() -> None:
    """Layout mode does not catch the Type0 font's error, so page 2 fails the same way."""
    data = _two_pages_pdf()

    def layout(reader: PdfReader) -> list[str]:
        out = []
        kept = quicktext.Reading()
        for page in reader.pages:
            with quicktext.reading(kept):
                try:
                    out.append(page.extract_text(extraction_mode="layout"))
                except Exception as exc:  # noqa: BLE001
                    out.append(f"raised {type(exc).__name__}")
        return out

    with _pypdfs_own():
        expected = _read(data, layout)
    assert expected[1] == "raised AttributeError"
    assert _read(data, layout) == expected


_GLYPHS = [b"/F", b"/a", b"/r", b"/i", b"/d", b"/space", b"/K", b"/h", b"/n", b"/u", b"/m", b"/uni0046", b"/u0061"]
_GLYPHS += [b"/g123", b"/.notdef", b"/fi", b"/A#20B", b"/", b"/zzz", b"/Euro", b"/quotesingle"]


_NAMED = [b"WinAnsiEncoding", b"MacRomanEncoding", b"StandardEncoding", b"PDFDocEncoding", b"Identity-H"]


def _differences(rng: random.Random) -> bytes:
    out: list[bytes] = []
    for _ in range(rng.randrange(1, 8)):  # int keys below 0 and over 255, floats, bools, strings
        out.append(rng.choice([b"%d" % rng.randrange(-3, 300), b"65.5", b"true", b"(s)", b"-1"]))
        out += [rng.choice(_GLYPHS) for _ in range(rng.randrange(0, 6))]
    return b"[" + b" ".join(out) + b"]"


def _tounicode(rng: random.Random) -> bytes:
    lines = []
    for _ in range(rng.randrange(1, 6)):  # many characters for one code, none, surrogates, spaces
        target = rng.choice([b"0046", b"00460061", b"", b"0020", b"FB01", b"D83DDE00", b"00A0", b"0041"])
        lines.append(b"<%02x> <%s>" % (rng.randrange(256), target))
    body = b"1 begincodespacerange <00> <ff> endcodespacerange\n%d beginbfchar\n" % len(lines)
    body += b"\n".join(lines) + b"\nendbfchar\n"
    if rng.random() < 0.3:
        body += b"1 beginbfrange\n<41> <4d> <0061>\nendbfrange\n"
    return b"begincmap\n" + body + b"endcmap"


def _font(rng: random.Random, objects: dict[int, bytes], num: int) -> None:
    subtype = rng.choice([b"/Type1", b"/TrueType", b"/Type3", b"/MMType1", b"/Type1"])
    base = rng.choice([b"Helvetica", b"Times-Roman", b"Symbol", b"Foo", b"ZapfDingbats"])
    parts = [b"/Type /Font /Subtype " + subtype, b"/BaseFont /" + base]
    pick = rng.random()
    if pick < 0.3:
        parts.append(b"/Encoding << /Differences " + _differences(rng) + b" >>")
    elif pick < 0.5:
        named = rng.choice([b"WinAnsiEncoding", b"MacRomanEncoding", b"Bogus"])
        parts.append(b"/Encoding << /BaseEncoding /" + named + b" /Differences " + _differences(rng) + b" >>")
    elif pick < 0.7:
        named = rng.choice(
            [b"WinAnsiEncoding", b"MacRomanEncoding", b"StandardEncoding", b"PDFDocEncoding", b"Identity-H"]
        )
        parts.append(b"/Encoding /" + named)
    if rng.random() < 0.4:
        objects[num + 1] = _stream(_tounicode(rng))
        parts.append(b"/ToUnicode %d 0 R" % (num + 1))
    if rng.random() < 0.5:  # widths as ints, floats, negative, now and then a name (pypdf's ValueError)
        widths = [rng.choice([b"500", b"0", b"250.5", b"-3", b"700", b"/x" if rng.random() < 0.05 else b"600"])]
        widths *= rng.randrange(0, 40)
        parts.append(b"/FirstChar %d /Widths [%s]" % (rng.randrange(0, 260), b" ".join(widths)))
    if subtype == b"/Type3":
        parts.append(b"/FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /F 99 0 R /a 99 0 R >>")
    if rng.random() < 0.2:
        parts.append(b"/FontDescriptor << /Type /FontDescriptor /Flags %d /MissingWidth %s >>" % (
            rng.choice([4, 32, 0]), rng.choice([b"0", b"300", b"250.5"])))  # fmt: skip
    objects[num] = b"<< " + b" ".join(parts) + b" >>"


def _shown(rng: random.Random) -> bytes:
    data = bytes(rng.choice([rng.randrange(256), rng.randrange(0x41, 0x4E), 32]) for _ in range(rng.randrange(10)))
    literal = data.replace(b"\\", b"").replace(b"(", b"").replace(b")", b"").replace(b"\r", b"")
    return rng.choice([b"<" + data.hex().encode() + b">", b"()", b"(" + literal + b")"])


_TMS = [
    b"1 0 0 1 72 700 Tm",
    b"0 1 -1 0 300 300 Tm",
    b"-1 0 0 -1 500 500 Tm",
    b"0 -1 1 0 100 100 Tm",
    b"2 0 0 2 9 9 Tm",
]


def _content(rng: random.Random, fonts: list[bytes]) -> bytes:
    ops = [b"BT"]
    for _ in range(rng.randrange(1, 12)):
        pick = rng.random()
        if pick < 0.2:
            ops.append(b"/%s %d Tf" % (rng.choice([*fonts, b"Nope"]), rng.choice([12, 0, -10, 24])))
        elif pick < 0.3:
            ops.append(rng.choice(_TMS))  # all four orientations
        elif pick < 0.4:
            ops.append(b"%d %d Td" % (rng.randrange(-50, 200), rng.randrange(-30, 30)))
        elif pick < 0.55:  # TJ mixing strings, numbers and names
            items = [
                rng.choice([_shown(rng), b"%d" % rng.randrange(-1500, 500), b"/N"]) for _ in range(rng.randrange(6))
            ]
            ops.append(b"[" + b" ".join(items) + b"] TJ")
        elif pick < 0.6:
            ops.append(_shown(rng) + b" '")
        elif pick < 0.65:
            ops.append(b"2 1 " + _shown(rng) + b' "')
        elif pick < 0.7:
            ops.append(b"T*")
        else:
            ops.append(_shown(rng) + b" Tj")
    return b"\n".join([*ops, b"ET"])


def _generated(rng: random.Random) -> bytes:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 99: _stream(b"0 0 d0")}
    numbers = [20 + 2 * i for i in range(rng.randrange(1, 5))]
    for num in numbers:
        _font(rng, objects, num)
    kids = []
    for page in range(rng.randrange(1, 4)):  # fonts shared by pages under other resource names
        names = {b"F%d" % rng.randrange(4): num for num in numbers if rng.random() < 0.8}
        listed = b" ".join(b"/%s %d 0 R" % (name, num) for name, num in names.items())
        objects[100 + 2 * page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << %s >> >> /Contents %d 0 R >>"
            % (listed, 101 + 2 * page)
        )
        objects[101 + 2 * page] = _stream(_content(rng, list(names) or [b"F0"]))
        kids.append(b"%d 0 R" % (100 + 2 * page))
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return raw_pdf(objects)


def _three_ways(docs: list[bytes]) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    with _pypdfs_own():
        own = [_read(d, _page_by_page) for d in docs]
    return own, [_read(d, _page_by_page) for d in docs], [_read(d, _one_reading) for d in docs]


def test_generated_fonts_and_content_read_as_pypdf_reads_them() -> None:
    """/Differences with odd keys and names, ToUnicode maps, widths of every kind, Type3, the
    four orientations, TJ/'/" and empty strings, fonts shared by pages under other names."""
    rng = random.Random(31)
    docs = [_generated(rng) for _ in range(150)]
    own, pages, one = _three_ways(docs)
    assert sum(len(texts) for texts in own) > 250
    assert sum(bool(t.strip()) and not t.startswith("raised") for texts in own for t in texts) > 100
    assert pages == own
    assert one == own


@pytest.mark.parametrize("most", [0, 1, 3])
def test_the_readings_cap_starting_again_mid_page_changes_nothing(monkeypatch: pytest.MonkeyPatch, most: int) -> None:
    rng = random.Random(3000 + most)
    docs = [_generated(rng) for _ in range(40)] + [_form_pdf(), _two_pages_pdf()]
    with _pypdfs_own():
        own = [_read(d, _page_by_page) for d in docs]
    monkeypatch.setattr(quicktext, "_MOST", most)
    got = [_read(d, _page_by_page) for d in docs[:-2]]
    assert got == own[:-2]
    assert [_read(d, _one_reading) for d in docs[:-2]] == own[:-2]


def test_over_3000_fonts_on_one_page() -> None:
    fonts = 3050
    listed = b" ".join(b"/F%d %d 0 R" % (i, 10 + i) for i in range(fonts))
    shows = b" ".join(b"/F%d 12 Tf 0 -14 Td (Farida Khanum %d) Tj" % (i, i) for i in range(0, fonts, 61))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << %s >> >> /Contents 5 0 R >>"
        % listed,
        4: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << %s >> >> /Contents 5 0 R >>"
        % listed,
        5: _stream(b"BT 72 760 Td " + shows + b" ET"),
    }
    for i in range(fonts):
        enc = b"/Encoding << /Differences [%d /K] >>" % (70 + i % 3)
        objects[10 + i] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica %s >>" % enc
    data = raw_pdf(objects)
    own, pages, one = _three_ways([data])
    assert own[0][0].count("Khanum") == 50 or own[0][0].count("Kh") >= 50
    assert pages == own and one == own


def test_two_readings_in_two_threads_at_once() -> None:
    rng = random.Random(7)
    docs = [_generated(rng) for _ in range(30)]
    with _pypdfs_own():
        own = [_read(d, _page_by_page) for d in docs]
    results: dict[int, list[list[str]]] = {}
    barrier = threading.Barrier(2)

    def work(slot: int) -> None:
        barrier.wait()
        results[slot] = [_read(d, _one_reading) for d in (docs if slot else docs[::-1])]

    threads = [threading.Thread(target=work, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results[1] == own and results[0] == own[::-1]


def test_one_reading_shared_by_threads_through_a_copied_context() -> None:
    rng = random.Random(8)
    docs = [_generated(rng) for _ in range(20)]
    with _pypdfs_own():
        own = [_read(d, _page_by_page) for d in docs]
    results: list[Any] = [None, None]
    with quicktext.reading():
        context = contextvars.copy_context()  # both threads see the same Reading object
        threads = [
            threading.Thread(target=lambda s=s: results.__setitem__(s, context.copy().run(
                lambda: [_read(d, _page_by_page) for d in docs]))) for s in (0, 1)
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == [own, own]


def test_nested_readings_exceptions_and_generators_leave_no_reading_behind() -> None:
    data = _two_pages_pdf()
    kept = quicktext.Reading()
    with pytest.raises(RuntimeError), quicktext.reading(kept), quicktext.reading():  # inner: the outer goes on
        assert quicktext._NOW.get() is kept
        raise RuntimeError
    assert quicktext._NOW.get() is None

    def pages() -> Iterator[str]:
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            with quicktext.reading(kept):
                text = page.extract_text()
            yield text  # a block per page, never across the yield

    gen = pages()
    next(gen)
    assert quicktext._NOW.get() is None
    gen.close()
    # a page whose font raises (a name in /Widths: pypdf's ValueError) raises the same every time
    bad = raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        3: b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 10 0 R >> >> /Contents 5 0 R >>",
        4: b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 10 0 R >> >> /Contents 5 0 R >>",
        5: _stream(b"BT /F1 12 Tf (Farida) Tj ET"),
        10: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 70 /Widths [/x 500] >>",
    })  # fmt: skip
    own, pages_, one = _three_ways([bad])
    assert own == [["raised ValueError", "raised ValueError"]] == pages_ == one
    assert quicktext._NOW.get() is None
