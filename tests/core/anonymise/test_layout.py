"""The page read as laid out (``pdf/layout.py``): the leak gate reads a line drawn in pieces
out of order, two columns side by side never join into a hit, and a page in order is only
screened. Pages are built with reportlab (tests/layouts.py); pdftotext says what a reader sees.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.pdf.layout import drawn_again, drawn_twice, out_of_order
from bundler.core.anonymise.pdf.locate import locate_hits, loose_screen, needs_visual, page_chars, visual_text
from bundler.core.anonymise.terms import Target
from tests.layouts import ABOVE, BELOW, interleaved, pdftotext, rotated, two_columns
from tests.pdfs import raw_pdf

NAME = Target("Farida Khanum", "AB", "person-1", "person")
PLACE = Target("Elm Road", None, "term-1", "place")  # "Elm" or "Road" alone is no hit


@pytest.mark.parametrize(
    "build",
    [
        lambda p: interleaved(p, BELOW),
        lambda p: interleaved(p, ABOVE),
        lambda p: interleaved(p, BELOW, forms=True),
        lambda p: rotated(interleaved(p, BELOW), 90),
        lambda p: interleaved(p, BELOW, turn=90),
        lambda p: interleaved(p, BELOW, turn=180),
        lambda p: interleaved(p, BELOW, turn=270),
    ],
    ids=["below", "above", "forms", "rotate-90", "turned-90", "turned-180", "turned-270"],
)
def test_the_gate_reads_a_line_drawn_in_pieces_as_it_is_laid_out(tmp_path: Path, build) -> None:
    source = build(tmp_path / "source.pdf")
    leaks = leak_scan(source, [NAME])
    assert [leak.place for leak in leaks] == ["page 1 text in reading order (pypdfium2)"]


def _page(path: Path) -> pdfium.PdfPage:
    return pdfium.PdfDocument(path)[0]


@pytest.mark.parametrize("gutter", [150.0, 14.0], ids=["wide-gutter", "narrow-gutter"])
def test_columns_side_by_side_do_not_join_into_a_hit(tmp_path: Path, gutter: float) -> None:
    """A narrow gutter is a gap of about one line height (poppler reads a narrower one as a space)."""
    left = ["The claimant", "a house on Elm", "for ten years."]
    right = ["The council said the", "Road was closed in", "the spring of 2019."]
    right_x = 72 + max(stringWidth(line, "Helvetica", 11) for line in left) + gutter
    source = two_columns(tmp_path / "columns.pdf", left, right, right_x)
    assert "Elm Road" not in " ".join(pdftotext(source).split()), "a reader sees two columns"
    page = _page(source)
    text = page.get_textpage().get_text_range()
    assert needs_visual(page, text, loose_screen([PLACE])), "the page is read as laid out"
    assert locate_hits(page, [PLACE]).matches == []
    assert leak_scan(source, [PLACE]) == []


def test_the_same_words_on_one_line_are_a_hit(tmp_path: Path) -> None:
    """The control: "Elm" and "Road" a word apart on one line, drawn with a line between."""
    source = tmp_path / "line.pdf"
    pdf = Canvas(str(source))
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 700, "a house on Elm")
    pdf.drawString(72, 600, "The grounds of claim follow below.")
    pdf.drawString(72 + stringWidth("a house on Elm ", "Helvetica", 11), 700, "Road, for ten years")
    pdf.save()
    assert "Elm Road" in " ".join(pdftotext(source).split())
    assert [m.target for m in locate_hits(_page(source), [PLACE]).matches] == [PLACE]
    assert leak_scan(source, [PLACE]) != []


def _forty_lines(path: Path, header_last: bool) -> pdfium.PdfPage:
    pdf = Canvas(str(path))
    pdf.setFont("Helvetica", 10)
    for row in range(40):
        pdf.drawString(60, 780 - 18 * row, f"Line {row} of the witness statement, in the order it is read.")
    if header_last:
        pdf.drawString(60, 800, "A header drawn after the body")
    pdf.save()
    return _page(path)


@pytest.mark.parametrize("header_last", [False, True])
def test_only_a_page_out_of_reading_order_is_read_as_laid_out(tmp_path: Path, header_last: bool) -> None:
    """Forty lines, each below the last, are only screened; a header drawn last is read again."""
    page = _forty_lines(tmp_path / "page.pdf", header_last)
    assert needs_visual(page, page.get_textpage().get_text_range(), loose_screen([NAME])) is header_last


def test_word_spaces_with_no_box_are_kept(corpus: Path) -> None:
    """Google Docs' word spaces have no box in pdfium: the words still read apart (a name
    run into its neighbours, "ofFaridaKhanum", would be no hit)."""
    page = _page(corpus / "real-pdfs" / "google-doc-document.pdf")
    assert needs_visual(page, page.get_textpage().get_text_range(), loose_screen([NAME]))
    assert "Beautiful is better than ugly." in visual_text(page).text.splitlines()


def test_reading_order_from_boxes_already_read_is_the_same(corpus: Path, tmp_path: Path) -> None:
    """``visual_text`` given the page's text with every box (verify reads them for its boxes
    anyway) reads exactly what it reads looking them up itself, on every real page here."""
    from bundler.core.anonymise.pdf.locate import page_text  # noqa: PLC0415

    sources = [*sorted((corpus / "real-pdfs").glob("*.pdf")), interleaved(tmp_path / "pieces.pdf", BELOW)]
    read = 0
    for source in sources:
        try:
            doc = pdfium.PdfDocument(source)
        except pdfium.PdfiumError:
            continue  # protected or damaged: not this test's subject
        for index in range(min(len(doc), 5)):
            page = doc[index]
            textpage = page.get_textpage()
            known = page_text(page, boxes=True, textpage=textpage)
            shared, alone = visual_text(page, textpage, known), visual_text(page)
            assert (shared.text, shared.index, shared.chars, shared.boxes) == (
                alone.text,
                alone.index,
                alone.chars,
                alone.boxes,
            ), f"{source.name} page {index + 1}"
            read += bool(alone.text.strip())
        doc.close()
    assert read >= 20


def _raw_page(path: Path, content: bytes) -> Path:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        5: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    }
    path.write_bytes(raw_pdf(objects))
    return path


def _screened(path: Path) -> bool:
    textpage = pdfium.PdfDocument(path)[0].get_textpage()
    return out_of_order(textpage, page_chars(textpage))


def _at(x: float, y: float, size: float, text: bytes) -> bytes:
    return b"/F1 %g Tf 1 0 0 1 %g %g Tm (%s) Tj " % (size, x, y, text)


def test_one_pdfium_piece_drawn_in_runs_out_of_place_is_out_of_order(tmp_path: Path) -> None:
    """pdfium reads "Far ZZ ida Kha QQ num" as one piece (the big letters start within the line's
    height); reading order, pdftotext and the eye read "Farida Khanum" beside them."""
    far, ida = 72 + stringWidth("Far", "Helvetica", 12), 72 + stringWidth("Farida Kha", "Helvetica", 12)
    line = _at(72, 700, 12, b"Far") + _at(302, 680, 40, b"ZZ") + _at(far, 700, 12, b"ida Kha")
    line += _at(402, 680, 40, b"QQ") + _at(ida, 700, 12, b"num")
    page = _raw_page(tmp_path / "merged.pdf", b"BT " + line + b"ET\n")
    assert _screened(page)
    assert "Farida Khanum" in pdftotext(page)


def test_words_drawn_one_by_one_along_a_line_are_in_order(tmp_path: Path) -> None:
    """A justified line drawn a word at a time (as word processors do) is read in pdfium's order."""
    x, line = 72.0, b""
    for word, size in ((b"Statement", 12), (b"of", 12), (b"the", 9), (b"claimant", 12)):
        line += _at(x, 700, size, word)
        x += stringWidth(word.decode(), "Helvetica", size) + 6
    page = _raw_page(tmp_path / "words.pdf", b"BT " + line + b"ET\n")
    assert not _screened(page)


def test_a_line_shown_back_to_front_by_its_spacing_is_out_of_order(tmp_path: Path) -> None:
    """ "munahK adiraF" shown with a negative character spacing: each glyph lands left of the one
    before, so the eye reads the name the right way round."""
    page = _raw_page(tmp_path / "back.pdf", b"BT /F1 12 Tf -14 Tc 1 0 0 1 200 700 Tm (munahK adiraF) Tj ET\n")
    assert _screened(page)


def _copied(path: Path, along: float, across: float = 0.0) -> Path:
    """ "Hannah will tell" at 12 pt, its first "n" drawn again ``along`` points right of itself
    and ``across`` up, the rest of the line stepped back to where it belongs."""
    at = 72 + stringWidth("Ha", "Helvetica", 12)
    again = b"1 0 0 1 %g %g Tm [(n) %g (nah will tell)] TJ " % (at + along, 700 + across, along * 1000 / 12)
    return _raw_page(path, b"BT " + _at(72, 700, 12, b"Ha") + _at(at, 700, 12, b"n") + again + b"ET\n")


def _text(path: Path) -> tuple[pdfium.PdfPage, pdfium.PdfTextPage, list[str]]:
    page = pdfium.PdfDocument(path)[0]
    textpage = page.get_textpage()
    return page, textpage, page_chars(textpage)


@pytest.mark.parametrize(
    ("along", "across", "copy"),
    [(0.9, 0.0, True), (0.9, 2.2, True), (1.5, 0.0, False), (0.9, 2.6, False)],
)
def test_a_letter_drawn_again_within_poppler_s_reach_is_a_copy(
    tmp_path: Path, along: float, across: float, copy: bool
) -> None:
    """poppler's reach: 0.1 of the font size along the line (1.2 pt at 12 pt), 0.2 across (2.4)."""
    _, textpage, chars = _text(_copied(tmp_path / "copied.pdf", along, across))
    first = "".join(chars).index("nn")
    assert drawn_again(textpage, first, first + 1) is copy
    assert drawn_twice(textpage, chars) is copy


def test_letters_side_by_side_and_ligatures_are_not_copies(tmp_path: Path, corpus: Path) -> None:
    plain = _raw_page(tmp_path / "plain.pdf", b"BT " + _at(72, 700, 12, b"Hannah will tell") + b"ET\n")
    _, textpage, chars = _text(plain)
    assert not drawn_twice(textpage, chars)
    _, textpage, chars = _text(corpus / "real-pdfs" / "pdflatex-4-pages.pdf")
    assert "ff" in "".join(chars)  # the "ff" ligature of "difference": one glyph, one box for both
    assert not drawn_twice(textpage, chars)


def test_reading_order_drops_a_copy_and_reads_every_letter_too(tmp_path: Path) -> None:
    page, textpage, _ = _text(_copied(tmp_path / "copied.pdf", 0.9))
    read = visual_text(page, textpage).text
    assert "Hannah will tell" in read  # the eye's one letter, and poppler's where the copy is a word
    assert "Hannnah will tell" in read  # poppler keeps a copy inside a word (``reading_order``)
