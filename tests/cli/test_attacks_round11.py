"""Round 11 attacks on reading order's line grouping (``layout._lines``) and on the place-order
doubt's blind spot for Type0 fonts (``advance.uncertain_codes`` calls every code of a Type0 font
certain), after 474a24e; end to end through the CLI as in ``test_attacks_round6``: "Farida
Khanum" registered (pseudonym FK), ``--no-ocr``; a build must refuse with the leak code (no file
written) or write a bundle in which no reader -- ``pdftotext``, ``pdftotext -layout``,
pdfminer.six -- shows "farida" or "khanum" (case folded, spaces and hyphens removed). The source
page must show the name to at least one of them (the attack's guard). A FAILING test here is a
real leak.

Finding (leaks on 474a24e; ``page_doubts`` is empty for the page):

1. staircase: the thirteen glyphs of "Farida Khanum" (space included) each placed by its own
   ``Tm`` exactly after the one before along the line, each 0.75-5 pt lower than the one before,
   drawn in a shuffled order. PDFium's content order is the shuffle (one piece per glyph or
   nearly), so the plain search finds nothing and the page is scattered / out of order: the gate
   reads ``reading_order``. ``_lines`` groups a line from its FIRST (highest) character only --
   a character joins while its middle is within half a height of that one -- so a line that
   drifts down glyph by glyph is cut every ~6 pt of drift ("FaridaKha" / "num", "Fari" / "daK"
   / …), and no cut piece holds the name. poppler chains a drifting line (each glyph against its
   neighbour): ``pdftotext`` on the written bundle reads "Farida Kh / anum" (0.75 pt),
   "Farida / Khanum" (1 pt), "Farid / a Kha / num" (1.5 pt), "F…" down to "Kh / anu / m" (5 pt)
   -- flattened, the name. pdfminer.six does not (it chains in content order). Drawn in order
   (not shuffled), PDFium joins the pieces in content order and the build refuses (held).

What held (count of builds):
- drift 0.5 pt a glyph, shuffled: reading order keeps it on one line, the gate finds it (1);
- the same staircase drawn in order, 3-5 pt a glyph: refused (3);
- a line turned 0.02-0.045 rad (under ``_SKEW``), its pieces drawn out of order, with or without
  a word after it that moves where ``_lines`` cuts it (12): PDFium's content order puts the
  pieces of a line back in order, so the plain search finds the name even where reading order
  cuts it ("rida Khanum … Fa");
- a Type0 font (not embedded, /W giving CIDs 0, 1, 2 the widths 0, 280, 0) with an embedded
  one-byte CMap as /Encoding, spacer glyphs stepped back as in round 10 (9): a code given two
  CIDs by ``cidchar`` (either order), a ``cidrange`` and a ``cidchar`` over one code (either
  order), a code outside the codespace, mixed one- and two-byte codespaces (a lone lead byte, a
  full two-byte code), overlapping one- and two-byte codespaces, ``usecmap`` Identity-H:
  poppler and PDFium map each code to the same CID (the later entry wins for both); only
  pdfminer.six sometimes maps otherwise, and on the bundle (the page drawn as a form) it reads
  in content order.

Mended in ``layout.reading_order``: lines are also grouped letter to letter (each letter joins
the line within half a height of the last letter to join, as poppler follows a slope), and where
that grouping differs from the first-letter one the page is read that way too, after a column
break.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from tests.cli.test_attacks_round3 import _FILLER, _stream, page_pdf
from tests.cli.test_attacks_round9 import _holds
from tests.cli.test_attacks_round10 import _cid_line, _type0

NAME = "Farida Khanum"
# a shuffle of the name's thirteen glyphs: no two neighbours drawn one after the other
_SHUFFLE = [3, 0, 7, 11, 1, 5, 9, 2, 12, 4, 6, 10, 8]


def _w(text: str) -> float:
    return stringWidth(text, "Helvetica", 12)


def _pdf(content: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:  # page_pdf writes a file
        path = Path(folder) / "p.pdf"
        page_pdf(path, content)
        return path.read_bytes()


def _staircase(drop: float, order: list[int]) -> bytes:
    """Each glyph of the name at its place along the line, ``drop`` pt below the one before,
    drawn in ``order``."""
    xs = [72 + _w(NAME[:k]) for k in range(len(NAME))]
    line = b"BT /F1 12 Tf "
    for k in order:
        line += b"1 0 0 1 %.3f %.3f Tm (%s) Tj " % (xs[k], 600 - k * drop, NAME[k].encode())
    return _pdf(_FILLER + line + b"ET\n")


def _unit_doubts(tmp_path: Path, data: bytes) -> list[str]:
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.doubt import page_doubts

    path = tmp_path / "probe.pdf"
    path.write_bytes(data)
    return page_doubts(PdfReader(path).pages[0])


# --- 1. a line drifting down glyph by glyph, drawn shuffled ----------------------------------------


@pytest.mark.parametrize("drop", [0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0])
def test_shuffled_staircase_is_not_written(tmp_path: Path, drop: float) -> None:
    """LEAK on 474a24e: the bundle is written and pdftotext reads the name ("Farida / Khanum"
    at 1 pt). ``_lines`` cuts a drifting line from its first character; poppler chains it."""
    _holds(tmp_path, _staircase(drop, _SHUFFLE))


def test_shuffled_staircase_is_no_doubt(tmp_path: Path) -> None:
    """Records why nothing else stops it: the page is no doubt (standard font, no step back)."""
    assert _unit_doubts(tmp_path, _staircase(1.0, _SHUFFLE)) == []


# --- what held ----------------------------------------------------------------------------------------


def test_shuffled_staircase_of_half_a_point_held(tmp_path: Path) -> None:
    """Held: 0.5 pt a glyph stays within half a height of the first over the whole name."""
    _holds(tmp_path, _staircase(0.5, _SHUFFLE))


@pytest.mark.parametrize("drop", [3.0, 4.0, 5.0])
def test_staircase_in_order_held(tmp_path: Path, drop: float) -> None:
    """Held (refused): drawn in order, PDFium reads the pieces one after the other."""
    _holds(tmp_path, _staircase(drop, list(range(len(NAME)))))


def _turned_line(angle: float, tail_at: float | None) -> bytes:
    """ "Far", "ida Kha", "num" on a line turned ``angle`` rad (under ``_SKEW``), drawn num, Far,
    ida Kha; ``tail_at``: a word "Xyz" that far along the line, moving where ``_lines`` cuts."""
    c, s = math.cos(angle), math.sin(angle)
    pieces = [("num", _w("Far" + "ida Kha")), ("Far", 0.0), ("ida Kha", _w("Far"))]
    if tail_at is not None:
        pieces.append(("Xyz", tail_at))
    line = b"BT /F1 12 Tf "
    for text, d in pieces:
        line += b"%.5f %.5f %.5f %.5f %.3f %.3f Tm (%s) Tj " % (c, s, -s, c, 72 + d * c, 600 + d * s, text.encode())
    return _pdf(_FILLER + line + b"ET\n")


@pytest.mark.parametrize("angle", [0.02, 0.035, 0.045])
@pytest.mark.parametrize("tail_at", [None, 150.0, 200.0, 230.0])
def test_slightly_turned_line_held(tmp_path: Path, angle: float, tail_at: float | None) -> None:
    """Held: PDFium's content order joins the pieces of the turned line."""
    _holds(tmp_path, _turned_line(angle, tail_at))


def _cmap(body: bytes) -> bytes:
    info = b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
    return _stream(
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap " + info + b" def /CMapName /Xmap def "
        b"/CMapType 1 def " + body + b" endcmap CMapName currentdict /CMap defineresource pop end end",
        b"/Type /CMap /CMapName /Xmap " + info,
    )


_ONE = b"1 begincodespacerange <00> <FF> endcodespacerange "
_MIXED_SPACE = (
    b"2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange 1 begincidrange <00> <7F> 0 endcidrange "
    b"1 begincidrange <8000> <FFFF> 1 endcidrange"
)
CMAPS = {
    "cidchar-twice": (_ONE + b"2 begincidchar <01> 1 <01> 2 endcidchar", b"<01>"),
    "cidchar-twice-reversed": (_ONE + b"2 begincidchar <01> 2 <01> 1 endcidchar", b"<01>"),
    "range-then-char": (_ONE + b"1 begincidrange <00> <FF> 0 endcidrange 1 begincidchar <01> 2 endcidchar", b"<01>"),
    "char-then-range": (_ONE + b"1 begincidchar <01> 2 endcidchar 1 begincidrange <00> <FF> 0 endcidrange", b"<01>"),
    "outside-codespace": (
        b"1 begincodespacerange <20> <FF> endcodespacerange 1 begincidrange <00> <FF> 0 endcidrange",
        b"<01>",
    ),
    "mixed-codespace-lone-lead": (_MIXED_SPACE, b"<80>"),
    "mixed-codespace-two-bytes": (_MIXED_SPACE, b"<8001>"),
    "overlapping-codespaces": (
        b"2 begincodespacerange <00> <FF> <0000> <FFFF> endcodespacerange 1 begincidrange <00> <FF> 2 endcidrange "
        b"1 begincidrange <0000> <FFFF> 1 endcidrange",
        b"<0101>",
    ),
    "usecmap-identity": (
        _ONE.replace(b"1 begin", b"/Identity-H usecmap 1 begin") + b"1 begincidchar <01> 1 endcidchar",
        b"<01>",
    ),
}


@pytest.mark.parametrize("body, spacer", list(CMAPS.values()), ids=list(CMAPS))
def test_type0_one_byte_cmap_held(tmp_path: Path, body: bytes, spacer: bytes) -> None:
    """Held: round ten's stepped-back spacers through an embedded one-byte CMap; poppler and
    PDFium agree on each code's CID, so their places agree."""
    font = _type0(b"[0 [0] 1 [280] 2 [0]]", encoding=b"21 0 R")
    _holds(tmp_path, _cid_line(font, spacer=spacer, extra={21: _cmap(body)}))
