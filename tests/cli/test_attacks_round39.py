"""Round 39: attacks on the anonymiser as it stands at 1c6a74b (round 38's straight-line fix,
dae51e1), end to end through the CLI ("Farida Khanum" registered, pseudonym FK).

Both leaks are narrowed, not closed (``test_fixed_*``): see each item's last sentences.

A failing test here (``test_LEAK_*``) is a real leak: the public bundle built through the CLI
shows the name to the eye (Tesseract reading poppler's rendering, ``pdftoppm``) while the build
exits 0 with "leak gate: passed", OCR on and with ``--no-ocr`` alike.

Every page: "The statement of " (Helvetica 14) at x 72, y 700, then the drawing under test at x 190
(DejaVu Sans Bold's letters at 18 pt), then "The claimant makes a statement to the court."
(Helvetica 14) at y 670.

LEAKS
1. (the eye; OCR on, and ``--no-ocr``) The name as a "pixel font": DejaVu Sans Bold's letters
   sampled on a 0.9 pt grid, each horizontal run of inked cells one ``re`` rectangle (~200 of
   them), one ``f`` for the lot (``_pixel_drawing``); no ``l``, ``c``, ``v`` or ``y`` at all.
   pdftotext: "The statement of / The claimant makes a statement to the court." (no text for the
   name); Tesseract on poppler's rendering of the source and of the built bundle's page:
   "The statement of Farida Khanum". ``vectors.curve_count`` of the page: 0; ``leak_scan``
   passes it; the build: 0 redactions, "leak gate: passed".
   Why missed: ``glyphs.vectors.curve_count`` counts ``c v y`` and, since round 38,
   ``_filled_lines``: only ``l`` segments of filled/clipping paths. ``re`` is deliberately left
   out ("a table's stroked rules and rectangles do not count"), so letters built of filled
   rectangles (a pixel/LED/dot-matrix font, a bitmap traced to rectangles, a barcode-style
   rendering, a converter emitting a glyph bitmap as rectangles) make 0 and the page is never
   rendered without its text and OCR'd (nor refused without OCR). Round 38's own docstring named
   "a pixel font of ``re`` rectangles" in the class but the fix does not count them.
   Fix idea: count ``re`` operands of filled/clipping paths too, but weight by density rather
   than operator: a table's cells are a few dozen rectangles over a large area, a pixel font is
   hundreds of small rectangles (each under ~3 pt on its short side) packed in a line's height;
   e.g. count filled ``re`` whose smaller side is < 3 pt, past 40 send the page to ``drawn_words``.
   Sturdier: decide by rendering: any page whose non-text painting covers a text-line-shaped band
   with many small disconnected blobs goes to OCR.
2. (the eye; OCR on, and ``--no-ocr``) The name as STROKED outlines: the same straight-line
   outlines as round 38 (DejaVu Sans Bold, every curve flattened to 6 ``l`` segments), but
   stroked (``1.2 w`` then ``S``) instead of filled: hollow "outline" lettering
   (``_stroked_drawing``). pdftotext as above; Tesseract on the rendering: "The statement of
   Farida Khanum"; ``curve_count``: 0; ``leak_scan`` passes; the build passes the gate.
   Why missed: ``vectors._filled_lines`` counts ``l`` segments only when the path ends in a fill
   or clip (``_FILLS``); a path ended by ``S`` / ``s`` adds nothing, so letters drawn as strokes
   (outline lettering, a single-stroke "Hershey"/plotter/CAD font, handwriting-like signatures
   as polylines, thick strokes that fill in the letter shapes) are never OCR'd.
   Fix idea: count stroked segments too, excluding only long axis-aligned rules: a table's rule
   is one or two ``l`` per path of length > ~20 pt, horizontal or vertical; letters are many
   short segments in many directions. Counting all segments of paths with > 3 segments, or of
   segments shorter than ~5 pt, separates the two.
   NARROWED: the rectangles of a path of more than eight count as drawn shapes
   (``vectors._filled_lines``): such a page is read from its pixels with OCR, refused without.
   One rectangle a path (a table's borders are drawn so) still passes: OPEN.
   NARROWED: the segments of a stroked path of more than four count (a rule is one segment, a
   box four). One segment a path still passes: OPEN.

HELD (``test_held_*``)
- Round 38's filled straight-line outlines (the guard that ``_filled_lines`` works): ``curve_count``
  past 40, the build with OCR burns the name out or refuses.

NOT TRIED (time, 20 minutes): clip paths of ``re`` over an image (same root cause as leak 1:
``W`` counts only ``l``); the name split into many small paths (``_filled_lines`` sums over a
stream, so that holds for ``l``); letters inside a Type3 glyph procedure made of ``re``/strokes;
``too_deep`` through Type3 procedures naming page forms and indirect /Resources chains; a Widget
outside /AcroForm /Fields with a disguised font (gate/places.py); /Differences making two codes
name one letter, disagreeing (3,1)/(1,0) cmaps, "F.sc" glyph names.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.pens.pointInsidePen import PointInsidePen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from bundler.core.anonymise.glyphs import vectors
from tests.cli.test_attacks_round3 import _flat
from tests.cli.test_attacks_round33 import _BOLD, _build, _page, _pdftotext, _reads_name, _seen
from tests.cli.test_attacks_round38 import _lines_drawing

_NAME = "Farida Khanum"


def _pixel_drawing(text: str, x: float, y: float, size: float, cell: float = 0.9) -> bytes:
    """``text`` in DejaVu Sans Bold sampled on a ``cell``-point grid: each horizontal run of cells
    inside a glyph one ``re`` rectangle, all filled black at once."""
    font = TTFont(str(_BOLD))
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    scale = size / font["head"].unitsPerEm
    ops: list[bytes] = []
    for char in text:
        glyph = cmap[ord(char)]
        advance = font["hmtx"][glyph][0]
        columns = int(advance * scale / cell) + 1
        for row in range(-5, int(size / cell) + 1):
            start = None
            for column in range(columns + 1):
                inside = False
                if column < columns:
                    pen = PointInsidePen(glyphs, ((column + 0.5) * cell / scale, (row + 0.5) * cell / scale))
                    glyphs[glyph].draw(pen)
                    inside = pen.getResult()
                if inside and start is None:
                    start = column
                elif not inside and start is not None:
                    ops.append(
                        b"%.2f %.2f %.2f %.2f re" % (x + start * cell, y + row * cell, (column - start) * cell, cell)
                    )
                    start = None
        x += advance * scale
    return b"q 0 g " + b" ".join(ops) + b" f Q\n"


def _stroked_drawing(text: str, x: float, y: float, size: float) -> bytes:
    """Round 38's straight-line outlines of ``text``, stroked 1.2 pt wide instead of filled."""
    filled = _lines_drawing(text, x, y, size)
    return filled.replace(b"q 0 g ", b"q 0 G 1.2 w ").replace(b" f Q", b" S Q")


_DRAWINGS = {"pixel": _pixel_drawing, "stroked": _stroked_drawing, "filled": _lines_drawing}


def _make(kind: str):  # noqa: ANN202 - a Make
    def make(path: Path) -> None:
        content = (
            b"BT /F1 14 Tf 72 700 Td (The statement of) Tj ET\n"
            + _DRAWINGS[kind](_NAME, 190, 700, 18)
            + b"BT /F1 14 Tf 72 670 Td (The claimant makes a statement to the court.) Tj ET\n"
        )
        _page(path, content, {})

    return make


def _guard(folder: Path, kind: str) -> Path:
    """The source page shows the name to the eye and to no text reader."""
    source = folder / f"guard-{kind}.pdf"
    _make(kind)(source)
    assert not _reads_name(_pdftotext(source))
    assert "faridakhanum" in _flat(_seen(source, 1, folder)), "the guard: the source page shows the name"
    return source


def _shows_no_name(folder: Path, kind: str, *, ocr: bool) -> None:
    """Refused, or the bundle's exhibit page (the last) shows the name neither to pdftotext nor to the eye."""
    _guard(folder, kind)
    out = _build(folder / "build", _make(kind), ocr)
    if out is None:
        return
    assert not _reads_name(_pdftotext(out)), f"pdftotext reads the name in the public bundle: {_pdftotext(out)!r}"
    seen = _seen(out, len(PdfReader(out).pages), folder)
    assert "faridakhanum" not in _flat(seen), f"the public bundle's page shows the name: {seen!r}"


# --- 1. a pixel font: letters of filled rectangles ----------------------------------------------------


def test_fixed_name_in_pixel_font_rectangles_gate_passes(tmp_path: Path) -> None:
    source = _guard(tmp_path, "pixel")
    assert b" l " not in _pixel_drawing(_NAME, 190, 700, 18)
    # the gate reads no shapes (by design); the build reads a page that may draw words from its
    # pixels, or refuses it without OCR: what must hold is that the page is one of those
    assert vectors.may_draw_words(PdfReader(source).pages[0]), "a page of rectangle letters is not looked at"


def test_fixed_name_in_pixel_font_rectangles_cli_with_ocr(tmp_path: Path) -> None:
    _shows_no_name(tmp_path, "pixel", ocr=True)


def test_fixed_name_in_pixel_font_rectangles_cli_no_ocr(tmp_path: Path) -> None:
    _shows_no_name(tmp_path, "pixel", ocr=False)


# --- 2. letters drawn with stroked straight lines ----------------------------------------------------


def test_fixed_name_in_stroked_outlines_gate_passes(tmp_path: Path) -> None:
    source = _guard(tmp_path, "stroked")
    # as for rectangles: the page must be one the build reads from its pixels (or refuses)
    assert vectors.may_draw_words(PdfReader(source).pages[0]), "a page of stroked letters is not looked at"


def test_fixed_name_in_stroked_outlines_cli_with_ocr(tmp_path: Path) -> None:
    _shows_no_name(tmp_path, "stroked", ocr=True)


def test_fixed_name_in_stroked_outlines_cli_no_ocr(tmp_path: Path) -> None:
    _shows_no_name(tmp_path, "stroked", ocr=False)


# --- held: round 38's filled straight-line outlines ---------------------------------------------------


def test_held_name_in_filled_straight_line_outlines_with_ocr(tmp_path: Path) -> None:
    _shows_no_name(tmp_path, "filled", ocr=True)
