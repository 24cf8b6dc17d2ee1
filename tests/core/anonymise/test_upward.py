"""Pages PDFium reads from their last line up (``layout.upward_pieces``, ``locate.needs_visual``).

PDFium orders a page turned by ``/Rotate 90`` as it is shown: its lines from the bottom of the
page's own space to the top. Each piece then sits above the one before, which the in-order
screen calls out of order, so every such page was read in reading order twice a build (locating
and the chunk search). Reading order reads those pieces last first, each as PDFium reads it:
the screen now searches that text, and reads the page in reading order only when it may hold a
target (or what the page shows cannot be told so simply).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bundler.core.anonymise.pdf.layout import LINE_BREAKS, _pieces, out_of_order, upward_pieces
from bundler.core.anonymise.pdf.locate import (
    _screened,
    _unmatched,
    locate_hits,
    loose_screen,
    needs_visual,
    page_chars,
    page_text,
    visual_text,
)
from bundler.core.anonymise.terms import Target, find_matches, targets_from_register
from bundler.core.model import Person, Register
from tests.cli.test_attacks_round3 import build_holds, page_pdf

TARGETS = targets_from_register(Register(people=[Person("Farida Khanum", "FK", id="p1")]))
SCREEN = loose_screen(TARGETS)
WHOLE = [Target("Farida Khanum", "FK", "p1", "person")]  # the name only whole: no word of it alone


def _lines(*texts: str, top: float = 700, step: float = 14) -> bytes:
    """Lines drawn from the top of the page's own space down, one text object each (as ReportLab draws them)."""
    line = b"BT /F1 11 Tf 1 0 0 1 72 %.2f Tm (%s) Tj ET\n"
    return b"".join(line % (top - n * step, text.encode()) for n, text in enumerate(texts))


OPENING = "The claimant makes this statement"
PLAIN = _lines(OPENING, "in support of the claim for review", "of the decision of 1 May.")
ACROSS = _lines(OPENING, "in support of the claim of Farida", "Khanum against the decision.")
WITHIN = _lines(OPENING, "in support of Farida Khanum and", "her claim against the decision.")


@contextmanager
def _page(tmp_path: Path, content: bytes, rotate: int = 90) -> Iterator[pdfium.PdfPage]:
    pdf = tmp_path / "page.pdf"
    page_pdf(pdf, content, rotate)
    doc = pdfium.PdfDocument(pdf)
    page = doc[0]
    try:
        yield page
    finally:
        page.close()
        doc.close()


def _reading(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()


def test_pdfium_reads_a_turned_page_from_its_last_line_up(tmp_path: Path) -> None:
    """What the rest stands on: PDFium's order on a /Rotate 90 page, and the screens' answers."""
    with _page(tmp_path, PLAIN) as page:
        text = _reading(page)
        assert text.index("of the decision") < text.index("in support") < text.index("The claimant")
        textpage = page.get_textpage()
        chars = page_chars(textpage)
        assert out_of_order(textpage, chars)
        pieces = upward_pieces(textpage, chars)
        assert pieces is not None
        read = "\n".join("".join(chars[a : b + 1]) for a, b in pieces)
        assert read.startswith("The claimant") and read.endswith("1 May.")
        textpage.close()


@pytest.mark.parametrize("rotate", [90, 270])
def test_a_turned_page_in_order_is_not_read_again(tmp_path: Path, rotate: int) -> None:
    with _page(tmp_path, PLAIN, rotate) as page:
        assert not needs_visual(page, _reading(page), SCREEN)


def test_a_name_across_lines_read_upward_is_read_in_reading_order(tmp_path: Path) -> None:
    """PDFium reads "Khanum against…" first and "…of Farida" after it: no name in its text. Read
    as shown, top line first, the name runs across the line break."""
    with _page(tmp_path, ACROSS) as page:
        text = _reading(page)
        assert not find_matches(text, WHOLE)
        assert needs_visual(page, text, loose_screen(WHOLE))
        hits = locate_hits(page, WHOLE)
        assert len(hits.spots) == 2 and not hits.unlocated  # one box on each line
        assert "farida khanum" in " ".join(visual_text(page).text.split()).lower()


def test_a_name_across_lines_read_upward_is_not_in_the_bundle(tmp_path: Path) -> None:
    build_holds(tmp_path, lambda path: page_pdf(path, ACROSS, 90))


def test_what_was_found_is_blanked_in_the_upward_reading(tmp_path: Path) -> None:
    """The name found in PDFium's text is blanked (``_unmatched``) in both readings: the page is
    not read again for it; unblanked in the upward reading, it would be."""
    with _page(tmp_path, WITHIN) as page:
        textpage = page.get_textpage()
        text = page_text(page, boxes=False, textpage=textpage)
        matches = find_matches(text.text, TARGETS)
        assert matches
        found = frozenset(i for m in matches for i in text.index[m.start : m.end])
        unmatched = _unmatched(text.text, matches)
        assert not needs_visual(page, unmatched, SCREEN, textpage=textpage, found=found)
        assert needs_visual(page, unmatched, SCREEN, textpage=textpage)
        textpage.close()


def test_a_page_read_upward_in_part_is_read_in_reading_order(tmp_path: Path) -> None:
    """One line drawn out of turn (the middle line first, then the top, then the bottom): neither
    order holds, and the page is read in reading order as before."""
    content = _lines("in support of the claim for review", top=686) + _lines(OPENING)
    content += _lines("of the decision of 1 May.", top=672)
    with _page(tmp_path, content, 0) as page:
        textpage = page.get_textpage()
        chars = page_chars(textpage)
        assert out_of_order(textpage, chars) and upward_pieces(textpage, chars) is None
        assert needs_visual(page, _reading(page), SCREEN, textpage=textpage)
        textpage.close()


def test_a_stamp_drawn_last_is_left_out_of_the_upward_reading(tmp_path: Path) -> None:
    """A page number drawn after the page, upright on the turned page (turned in the page's own
    space), is left out as the in-order screen leaves it out."""
    stamp = b"BT /F1 9 Tf 0 1 -1 0 560 700 Tm (PROBE) Tj ET\n"
    with _page(tmp_path, PLAIN + stamp) as page:
        textpage = page.get_textpage()
        chars = page_chars(textpage)
        assert chars[-1] not in LINE_BREAKS
        assert upward_pieces(textpage, chars) is None  # the stamp turned: pieces in two directions
        pieces = upward_pieces(textpage, chars, "PROBE")
        assert pieces is not None and "PROBE" not in "".join("".join(chars[a : b + 1]) for a, b in pieces)
        assert not needs_visual(page, _reading(page), SCREEN, textpage=textpage, last_apart="PROBE")
        textpage.close()


def test_pieces_are_the_runs_between_line_breaks() -> None:
    """``_pieces`` by regex over the joined text, against the character loop it replaced."""

    def by_loop(chars: list[str]) -> list[tuple[int, int]]:
        pieces, start = [], None
        for i, ch in enumerate([*chars, "\n"]):
            if ch in LINE_BREAKS:
                if start is not None:
                    pieces.append((start, i - 1))
                start = None
            elif start is None:
                start = i
        return pieces

    rng = random.Random(20)
    for _ in range(2000):
        chars = [rng.choice("ab \r\n\x02\ufffe\U0001f600") for _ in range(rng.randint(0, 14))]
        assert _pieces(chars) == by_loop(chars), chars


@pytest.mark.parametrize(
    "text",
    ["munahK adiraF", "mun-\r\nahK adiraF", "munahK\r\nadiraF", "mun\x02\r\nahK adiraF", "munahK adi\u0301raF"],
)
def test_the_screen_reads_backwards_whatever_the_text_holds(text: str) -> None:
    whole = loose_screen(WHOLE)
    assert _screened(text, whole)
    assert not _screened(text.replace("F", "G"), whole)
