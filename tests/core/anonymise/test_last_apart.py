"""A stamp drawn last that can join no target is no reason to read a page in reading order.

The chunk search stamps every page with the probe ``W88888`` after the page's own content.
Where the page's last line sits level with or below the stamp (a footer), PDFium's order puts
the probe out of place and the whole page was read again in reading order: on the bench, one
page in six of the chunk search, for the probe alone. When no target holds a character of the
probe (folded, with OCR's confusions for identifiers), the probe, wherever reading order puts
it, can only stand beside other text, and a name found so would hold one of its characters; so
a last piece that is exactly the probe is left out of the screen. Only the last piece: one
taken from between two others would join those two, which the page does not.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.gate import places
from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.gate.joins import never_joins
from bundler.core.anonymise.pdf.layout import out_of_order
from bundler.core.anonymise.pdf.locate import page_chars
from bundler.core.anonymise.terms import Target
from bundler.core.build.readback import PROBE

NAME = Target("Farida Khanum", "FK", "p1", "person")


def _page(path: Path, lines: list[tuple[float, float, str]]) -> Path:
    """One page drawing each (x, y, text) in turn, each its own text object."""
    pdf = Canvas(str(path))
    pdf.setFont("Helvetica", 11)
    for x, y, text in lines:
        pdf.drawString(x, y, text)
    pdf.save()
    return path


_BODY = [(72, 760, "Statement of the claimant"), (72, 740, "I make this statement in support."), (72, 20, "Page 1")]
_PROBE_LEVEL = (500, 40, PROBE)  # the probe drawn last, a line above the footer


def _screened(path: Path, last_apart: str | None) -> bool:
    doc = pdfium.PdfDocument(path)
    textpage = doc[0].get_textpage()
    return out_of_order(textpage, page_chars(textpage), last_apart)


def test_a_probe_above_the_footer_alone_puts_a_page_out_of_order(tmp_path: Path) -> None:
    page = _page(tmp_path / "footer.pdf", [*_BODY, _PROBE_LEVEL])
    assert _screened(page, None)
    assert not _screened(page, PROBE)


def test_only_a_last_piece_that_is_exactly_the_text_is_left_out(tmp_path: Path) -> None:
    other = _page(tmp_path / "other.pdf", [*_BODY, (500, 40, "W8888")])
    assert _screened(other, PROBE)  # not the probe: screened as before
    middle = _page(tmp_path / "middle.pdf", [_BODY[0], (500, 40, PROBE), *_BODY[1:]])
    assert _screened(middle, PROBE)  # the probe between two pieces: the page is out of order
    moved = _page(tmp_path / "moved.pdf", [_BODY[0], (72, 10, "moved down"), _BODY[1], _PROBE_LEVEL])
    assert _screened(moved, PROBE)  # out of order for its own reasons


@pytest.mark.parametrize(
    ("target", "joins"),
    [
        (NAME, False),
        (Target("quashing order", "[order]", "t1", "identifier"), False),
        (Target("Edward Jones", "EJ", "p2", "person"), True),  # "w" is the probe's
        (Target("AB 123 456 C", "NI", "i1", "identifier"), True),  # "8" may be an OCR's "B"
        (Target("Caf\u00e9 88", "X", "t2", "person"), True),
    ],
)
def test_the_probe_joins_a_target_holding_any_of_its_characters(target: Target, joins: bool) -> None:
    assert never_joins(PROBE, [target]) is not joins


def test_text_with_anything_but_letters_and_digits_may_always_join() -> None:
    assert not never_joins("W8-8", [NAME])
    assert not never_joins("W8.8", [NAME])
    assert never_joins("W88", [NAME])


def _reading_orders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    read: list[int] = []
    own = places.visual_text

    def counted(page: pdfium.PdfPage, *args: object, **kwargs: object) -> object:
        read.append(1)
        return own(page, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(places, "visual_text", counted)
    return read


def test_the_gate_reads_such_a_page_in_reading_order_only_for_its_own_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _reading_orders(monkeypatch)
    page = _page(tmp_path / "footer.pdf", [*_BODY, _PROBE_LEVEL])
    assert leak_scan(page, [NAME], file_name="") == [] and len(read) == 1
    read.clear()
    assert leak_scan(page, [NAME], file_name="", last_apart=PROBE) == [] and read == []


def test_a_name_only_reading_order_shows_is_still_found(tmp_path: Path) -> None:
    """ "Khanum" drawn after the footer, placed right after "Farida": out of order whatever the probe."""
    after = 72 + stringWidth("Farida ", "Helvetica", 11)
    split = [(72, 760, "Farida"), (72, 20, "Page 1"), (after, 760, "Khanum"), _PROBE_LEVEL]
    page = _page(tmp_path / "split.pdf", split)
    leaks = leak_scan(page, [NAME], file_name="", last_apart=PROBE)
    assert any(leak.target == NAME.text and "reading order" in leak.place for leak in leaks)
