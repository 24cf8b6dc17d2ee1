"""``page_chars`` reads a page's characters in one call; it must equal pdfium's one by one.
So must ``layout.char_boxes`` and ``layout._quarters``, which call pdfium directly, equal the
helper-by-helper ``char_box`` and ``_quarter`` (values, ``None`` and errors alike).

Compared on every page of every PDF of the shared corpus, every PDF attack source of
the CLI attack tests, and Type0 pages whose map says odd things (characters outside
the BMP, a lone surrogate, several characters for one glyph), where the one-call
reading must fall back to the character-by-character one.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bundler.core.anonymise.pdf.geometry import Rect
from bundler.core.anonymise.pdf.layout import _quarter, _quarters, char_boxes
from bundler.core.anonymise.pdf.locate import _chars_one_by_one, page_chars, page_text
from tests.cli.test_attacks_cli import SOURCES
from tests.glyphfonts import type0_page
from tests.pdfs import make_mixed_pdf

CORPUS = Path("/work/shared/corpus/real-pdfs")


def char_box(textpage: pdfium.PdfTextPage, i: int) -> Rect | None:
    """The box as pypdfium2's own helper reads it, one call and new ctypes objects at a time."""
    for loose in (True, False):
        left, bottom, right, top = textpage.get_charbox(i, loose=loose)
        if right - left > 0.01 and top - bottom > 0.01:
            return (left, bottom, right, top)
    return None


def _compare(path: Path, password: str | None = None) -> int:
    """Pages compared in ``path`` (0 when pdfium cannot open it)."""
    try:
        document = pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError:
        return 0
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                count = textpage.count_chars()
                assert page_chars(textpage) == _chars_one_by_one(textpage, count), f"{path.name} page {index + 1}"
                assert char_boxes(textpage, range(count)) == [char_box(textpage, i) for i in range(count)]
                assert _quarters(textpage, range(count)) == {i: _quarter(textpage, i) for i in range(count)}
            finally:
                textpage.close()
                page.close()
        return len(document)
    finally:
        document.close()


def test_the_shared_corpus_reads_the_same_both_ways() -> None:
    pdfs = sorted(CORPUS.glob("*.pdf"))
    if not pdfs:
        pytest.skip("no shared corpus on this machine")
    assert sum(_compare(pdf) for pdf in pdfs) > 20


def test_the_attack_sources_read_the_same_both_ways(tmp_path: Path) -> None:
    compared = 0
    for name, (suffix, make) in SOURCES.items():
        if suffix != ".pdf":
            continue
        path = tmp_path / f"{name}.pdf"
        make(path)
        compared += _compare(path)
    assert compared >= 5


@pytest.mark.parametrize(
    "lies",
    [{}, {"A": "\U0001f600"}, {"A": "ffi"}, {"B": "\x00"}, {"B": "\x02"}, {"C": "\ufffe"}],
    ids=["truth", "outside-bmp", "ligature", "nul", "hyphen-mark", "non-character"],
)
def test_odd_maps_read_the_same_both_ways(tmp_path: Path, lies: dict[str, str]) -> None:
    path = type0_page(tmp_path / "odd.pdf", ["ABBA CAB", "BAD ABC"], tounicode=lies)
    assert _compare(path) == 1


def test_page_text_is_built_from_the_same_characters(tmp_path: Path) -> None:
    path = make_mixed_pdf(tmp_path / "mixed.pdf")
    document = pdfium.PdfDocument(path)
    try:
        page = document[0]
        textpage = page.get_textpage()
        expected = _chars_one_by_one(textpage, textpage.count_chars())
        textpage.close()
        assert page_text(page, boxes=False).chars == expected
        assert expected  # the page has text: a comparison of two empty lists proves nothing
    finally:
        document.close()


def _page_text_reference(page: pdfium.PdfPage, boxes: bool | range) -> tuple[str, list[int], list[object]]:
    """``page_text`` as it was written first: a character at a time."""
    from bundler.core.anonymise.pdf.locate import _box

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        parts: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(page_chars(textpage)):
            for out in "-\n" if ch == "\x02" else ch:
                parts.append(out)
                index.append(i)
        wanted = range(count) if boxes is True else boxes or range(0)
        return "".join(parts), index, [_box(textpage, i) if i in wanted else None for i in range(count)]
    finally:
        textpage.close()


def _same_page_text(path: Path) -> int:
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return 0
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                for boxes in (True, False, range(3, 40), range(0)):
                    text = page_text(page, boxes)
                    expected = _page_text_reference(page, boxes)
                    assert (text.text, text.index, text.boxes) == expected, f"{path.name} page {index + 1} {boxes}"
            finally:
                page.close()
        return len(document)
    finally:
        document.close()


def test_page_text_reads_as_a_character_at_a_time_did(tmp_path: Path) -> None:
    """The whole-page fast path (no line-end hyphen mark) and the boxes asked for only."""
    pdfs = sorted(CORPUS.glob("*.pdf"))[:12]
    mixed = make_mixed_pdf(tmp_path / "mixed.pdf")
    hyphen = type0_page(tmp_path / "hyphen.pdf", ["ABBA CAB", "BAD ABC"], tounicode={"B": "\x02"})
    assert sum(_same_page_text(pdf) for pdf in [*pdfs, mixed, hyphen]) > 10
    document = pdfium.PdfDocument(hyphen)
    try:
        assert "-\n" in page_text(document[0], False).text  # the mark's path was taken, not only the fast one
    finally:
        document.close()


def test_boxes_outside_the_page_fail_as_the_helper_does(tmp_path: Path) -> None:
    """An index pdfium has no character for raises ``PdfiumError`` either way."""
    document = pdfium.PdfDocument(make_mixed_pdf(tmp_path / "mixed.pdf"))
    page = document[0]
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        for wrong in (count, count + 7, -1):
            with pytest.raises(pdfium.PdfiumError):
                char_box(textpage, wrong)
            with pytest.raises(pdfium.PdfiumError):
                char_boxes(textpage, [0, wrong])
    finally:
        textpage.close()
        page.close()
        document.close()
