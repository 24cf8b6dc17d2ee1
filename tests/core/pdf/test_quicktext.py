"""pypdf's text extraction by table, with fonts worked out once per reading, gives pypdf's own text.

Every page of the shared corpus and of PDFs made here (the attack tests' sources: coded fonts,
``/Differences``, ``/ActualText``, Type0 fonts with and without a map) is read three ways:
with pypdf's own functions put back, a page at a time, and in one reading of the whole file.
The text, or the error, must be the same. ``get_text_operands`` is also compared with pypdf's
on generated fonts and strings: odd encodings (many characters for one byte, values that are
not text), widths as ints, floats or missing (pypdf's ``KeyError``), spaces, turned text.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypdf._text_extraction as text_extraction
import pypdf._text_extraction._text_extractor as extractor
import pypdf.generic._font as font_module
import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ByteStringObject, NameObject, TextStringObject
from pypdf.generic._font import Font

from bundler.core.pdf import quicktext
from tests.core.pdf.test_quickcontent import odd_text_pdfs
from tests.glyphfonts import simple_without_tounicode, type0_without_tounicode
from tests.pdfs import make_mixed_pdf, make_pdf


@contextmanager
def _pypdfs_own() -> Iterator[None]:
    """pypdf's own functions back in place for the block."""
    mp = pytest.MonkeyPatch()
    try:
        for module in (text_extraction, extractor):
            mp.setattr(module, "get_text_operands", quicktext.PYPDFS["get_text_operands"])
        mp.setattr(Font, "from_font_resource", quicktext.PYPDFS["from_font_resource"])
        mp.setattr(PageObject, "extract_text", quicktext.PYPDFS["extract_text"])
        yield
    finally:
        mp.undo()


def _texts(path: Path, read: Callable[[PdfReader], list[str]]) -> list[str]:
    try:
        return read(PdfReader(path))
    except Exception as exc:  # noqa: BLE001 - a file pypdf cannot read must fail the same way
        return [f"raised {type(exc).__name__}"]


def _page_by_page(reader: PdfReader, kept: quicktext.Reading | None = None) -> list[str]:
    """Each page's text, or its error; each page a reading of its own, or a block per page
    with the same ``kept`` (as the leak gate reads)."""
    found = []
    for page in reader.pages:
        with quicktext.reading(kept):
            try:
                found.append(page.extract_text())
            except Exception as exc:  # noqa: BLE001 - the error is what is compared
                found.append(f"raised {type(exc).__name__}")
    return found


def _one_reading(reader: PdfReader) -> list[str]:
    return _page_by_page(reader, quicktext.Reading())


def _paths(tmp_path: Path) -> list[Path]:
    paths = odd_text_pdfs(tmp_path)
    paths.append(type0_without_tounicode(tmp_path / "type0-bare.pdf", ["Farida Khanum"]))
    paths.append(simple_without_tounicode(tmp_path / "simple-bare.pdf", ["Farida Khanum"]))
    paths.append(_shared_fonts(tmp_path / "shared.pdf"))
    return paths


def _shared_fonts(path: Path) -> Path:
    """Forty pages that each show their text in the same few fonts, as a bundle's pages do."""
    writer = PdfWriter()
    for source in (make_pdf(path.with_suffix(".a.pdf"), pages=20), make_mixed_pdf(path.with_suffix(".b.pdf"))):
        for _ in range(2):
            writer.append(str(source))
    writer.write(path)
    return path


def test_every_page_reads_as_pypdf_reads_it(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    with _pypdfs_own():
        expected = [_texts(path, _page_by_page) for path in paths]
    assert sum(len(texts) for texts in expected) >= 80
    assert any(text.strip() for texts in expected for text in texts)
    assert [_texts(path, _page_by_page) for path in paths] == expected
    assert [_texts(path, _one_reading) for path in paths] == expected


def test_a_font_shared_by_pages_is_worked_out_once_in_a_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _shared_fonts(tmp_path / "shared.pdf")
    made: list[Any] = []
    own = font_module.get_encoding  # pypdf's ``from_font_resource`` asks it once for every font it makes

    def counted(font: Any) -> Any:
        made.append(font)
        return own(font)

    monkeypatch.setattr(font_module, "get_encoding", counted)
    reader = PdfReader(path)
    fonts = {id(f.get_object()) for p in reader.pages for f in (p["/Resources"].get("/Font") or {}).values()}
    _one_reading(reader)
    once = len(made)
    made.clear()
    _page_by_page(PdfReader(path))
    assert once == len(fonts) < len(made)  # each font once; a page at a time, each page's again


def test_readings_share_nothing(tmp_path: Path) -> None:
    reader = PdfReader(make_pdf(tmp_path / "a.pdf", pages=2))
    font = next(iter(reader.pages[0]["/Resources"]["/Font"].values())).get_object()
    with quicktext.reading():
        first = Font.from_font_resource(font)
        again = Font.from_font_resource(font)
    with quicktext.reading():
        later = Font.from_font_resource(font)
    assert first is not again and first == again  # a copy each time, of the one made
    assert later == first
    font[NameObject("/BaseFont")] = NameObject("/Courier")  # changed between readings: made again
    with quicktext.reading():
        assert Font.from_font_resource(font).name == "Courier"


_ORIENTATIONS = ((0, 90, 180, 270), (0,), (90, 270))
_MATRICES = ([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 1.0, -1.0, 0.0, 10.0, 5.0], [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0])


def _font(rng: random.Random) -> Font:
    encoding: Any
    pick = rng.random()
    if pick < 0.15:
        encoding = rng.choice(["cp1252", "latin-1", "utf-16-be", "charmap"])
    else:
        encoding = {rng.randrange(256): rng.choice(["a", "fi", "", "\u00e9", "Kh", " ", "\ufffd"]) for _ in range(40)}
        if pick > 0.9:
            encoding[rng.randrange(256)] = rng.choice([65, None, b"x"])  # not text: pypdf's join fails
    widths: dict[str, Any] = {chr(rng.randrange(32, 127)): rng.choice([250, 500.5, 0, 333.25]) for _ in range(30)}
    if rng.random() < 0.8:
        widths["default"] = rng.choice([0, 500, 612.5])
    return Font(
        name="F",
        encoding=encoding,
        character_map={},
        character_widths=widths,
        space_char=rng.choice([" ", "\x00", "a"]),
        space_width=rng.choice([250, 0.0, 277.5]),
    )


def _operands(rng: random.Random) -> list[Any]:
    data = bytes(rng.randrange(256) if rng.random() < 0.3 else rng.randrange(32, 127) for _ in range(rng.randrange(12)))
    pick = rng.random()
    if pick < 0.1:
        return [TextStringObject(data.decode("latin-1"))]
    if pick < 0.15:
        return []
    if pick < 0.2:
        return [7]
    return [ByteStringObject(data)]


def _answer(call: Callable[..., Any], *args: Any) -> Any:
    try:
        return call(*args)
    except Exception as exc:  # noqa: BLE001 - the error is what is compared
        return type(exc)


def test_generated_fonts_and_strings_give_pypdfs_text_and_widths() -> None:
    rng = random.Random(20261207)
    own, ours = quicktext.PYPDFS["get_text_operands"], text_extraction.get_text_operands
    assert ours is not own and extractor.get_text_operands is ours
    quick = failed = 0
    for _ in range(300):
        font = _font(rng)
        with quicktext.reading():  # many strings of one font in a reading: the kept widths are used
            for _ in range(20):
                args = (_operands(rng), rng.choice(_MATRICES), rng.choice(_MATRICES), font, rng.choice(_ORIENTATIONS))
                expected = _answer(own, *args)
                got = _answer(ours, *args)
                assert got == expected and type(got) is type(expected), args
                shown = args[0][0] if args[0] else None
                quick += isinstance(shown, bytes) and isinstance(font.encoding, dict) and isinstance(expected, tuple)
                failed += isinstance(expected, type)
    assert quick > 1000 and failed > 100  # the table's way taken often, and pypdf's errors met
