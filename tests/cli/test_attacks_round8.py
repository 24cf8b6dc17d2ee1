"""Round 8 attacks on the place-order doubt (``glyphs.advance``, after b99384e) and on the chunk
search's reading-order screen with the probe left out (9bb015d); end to end through the CLI as in
``test_attacks_round6``: "Farida Khanum" registered (pseudonym FK), ``--no-ocr``; a build must
refuse with the leak code (no file written) or write a bundle in which no reader -- ``pdftotext``,
``pdftotext -layout``, pdfminer.six -- shows "farida" or "khanum" (case folded, spaces and hyphens
removed). The source page must show the name to at least one of them (the attack's guard). A
FAILING test here is a real leak.

Every page of part A draws round six's line -- (ida Kha), then glyphs poppler moves by 0 and PDFium
by about 0.28 em, each paired with a step back, (Far), a forward jump, (num) -- so that poppler
places "Far" at the margin and reads "Farida Khanum" while PDFium reads "ida KhaFar num".

Findings (each leaks on b99384e; ``page_doubts`` is empty for each page):

1. gs-negative-size: no TJ, Tc, Tw, Tz or '"' anywhere in the stream; the steps back are spaces
   (Helvetica, certain width 278) shown under an ExtGState whose /Font is [F1 -12], paired with
   code 0 under ``/F1 12 Tf``. The run scan would call it a doubt (``_Scan().page`` is True) but
   the cheap look ``_may_show`` only looks for the literals and for a negative number before
   Tf/cm/Tm in the stream; a size set by ``gs`` is not in the stream, so the scan never runs.
2. comment-negative-size: the same line with ``/F1 -12 %\\nTf``: a comment between the size and
   the operator. Every reader (and pypdf) skips the comment and reads a size of -12; the cheap
   look's ``-[\\d.]+\\s+Tf`` does not match across it.
3. type3-widths-vs-d0: a Type3 font whose /Widths gives code 32 a width of 0 while its glyph's
   ``d0`` says 280. poppler (and pdfminer.six) take /Widths; PDFium takes the glyph's own d0
   width. ``uncertain_codes`` calls every code /Widths gives certain, so the TJ of "( ) 280" steps
   (poppler back to the margin, PDFium standing still) shows no uncertain code: no doubt even in
   the full scan.
4. (part B) ``test_merged_line_variants_with_the_probe_left_out[below-the-stamp-middles-aligned-
   footer]``: round three's merged line drawn below the stamp with its big letters lowered 9.5 pt
   and a footer under it: only "Khanum" is redacted, pdftotext reads "Farida" in the bundle.
   Not the probe: it leaks with the probe screened too. Reading order grouped the name's line,
   the 40 pt letters and the footer into one line (a character joined a line within half the
   taller height), interleaving the name with the footer ("FFoaortiedra...").

Mended: the cheap look passes any stream with a minus sign and any page whose graphics states
set a font (1, 2); a Type3 glyph whose d0/d1 width is not its /Widths entry is uncertain (3);
reading order reads a line of mixed heights again with lines joined only within the shorter
height (4, ``layout._mixed``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_attacks_round3 import _FILLER, _flat, _raw, _readings, _stream, build_holds, page_pdf
from tests.cli.test_attacks_round6 import _BACK, _FORWARD, _START, _holds, _steps
from tests.cli.test_attacks_round7 import _CATALOG, _HELV

Make = Callable[[], bytes]
_SPACE = 278  # Helvetica's space, certain to every reader


def _page(content: bytes, resources: bytes = b"", objects: dict[int, bytes] | None = None) -> bytes:
    """One page: /F1 Helvetica, ``resources`` (``fonts||other entries``) added to its resources."""
    fonts, _, rest = resources.partition(b"||")
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
    page += b" /Resources << /Font << /F1 5 0 R %s >> %s >> /Contents 4 0 R >>" % (fonts, rest)
    return _raw({**_CATALOG, 3: page, 4: _stream(content), 5: _HELV, **(objects or {})})


def _glyph_steps(back: Callable[[float], bytes], extra: bytes = b"") -> bytes:
    """(ida Kha), then code 0 at size 12 each paired with a space shown at a negative size
    (``back(size)``: what sets that size), (Far), a space at the size that jumps to "num", (num).
    No TJ, Tc, Tw, Tz nor '"' unless ``extra`` adds one."""
    n = int(_BACK // _SPACE)
    sizes = [-12.0] * n + [-12 * (_BACK - n * _SPACE) / _SPACE]
    pairs = b" ".join(b"/F1 12 Tf (\\000) Tj " + back(size) + b" ( ) Tj" for size in sizes)
    line = (
        b"(ida Kha) Tj "
        + pairs
        + b" /F1 12 Tf (Far) Tj /F1 %.3f Tf ( ) Tj /F1 12 Tf (num) Tj" % (_FORWARD * 12 / _SPACE)
    )
    return _FILLER + b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm %s%s ET\n" % (_START, line, extra)


# --- 1. a negative size set by gs -----------------------------------------------------------------


def _gs_negative_size(extra: bytes = b"") -> bytes:
    names: dict[float, bytes] = {}

    def back(size: float) -> bytes:
        names.setdefault(size, b"/G%d" % len(names))
        return names[size] + b" gs"

    content = _glyph_steps(back, extra)
    states = {10 + i: b"<< /Type /ExtGState /Font [5 0 R %.4f] >>" % size for i, size in enumerate(names)}
    gs = b" ".join(b"/G%d %d 0 R" % (i, 10 + i) for i in range(len(names)))
    return _page(content, b"||/ExtGState << " + gs + b" >>", states)


# --- 2. a negative Tf size with a comment before the operator -------------------------------------


def _comment_negative_size() -> bytes:
    return _page(_glyph_steps(lambda size: b"/F1 %.4f %%\nTf" % size))


# --- 3. a Type3 font whose /Widths and glyph d0 differ -------------------------------------------


def _type3_widths_vs_d0() -> bytes:
    steps = _steps(280)
    line = b"[(ida Kha)] TJ /F3 12 Tf [" + b" ".join(b"( ) %.1f" % s for s in steps) + b"] TJ"
    line += b" /F1 12 Tf [(Far) -%.1f (num) -20000 (.)] TJ" % _FORWARD
    content = _FILLER + b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm %s ET\n" % (_START, line)
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0]"
        b" /FirstChar 32 /LastChar 32 /Widths [0]"
        b" /Encoding << /Type /Encoding /Differences [32 /space] >> /CharProcs << /space 9 0 R >> >>"
    )
    return _page(content, b"/F3 6 0 R", {6: font, 9: _stream(b"280 0 d0")})


LEAKS = {
    "gs-negative-size": _gs_negative_size,
    "comment-negative-size": _comment_negative_size,
    "type3-widths-vs-d0": _type3_widths_vs_d0,
}


def _unit(tmp_path: Path, data: bytes) -> list[str]:
    """The page's doubts, after checking poppler reads the name in it."""
    from pypdf import PdfReader

    from bundler.core.anonymise.glyphs.doubt import page_doubts

    path = tmp_path / "probe.pdf"
    path.write_bytes(data)
    assert all("faridakhanum" in _flat(text) for text in _readings(path).values())
    return page_doubts(PdfReader(path).pages[0])


@pytest.mark.parametrize("make", list(LEAKS.values()), ids=list(LEAKS))
def test_leak_is_a_doubt(tmp_path: Path, make: Make) -> None:
    """The unit view: the run shows a glyph PDFium and poppler move apart, and poppler's pen goes
    back; it must be a doubt."""
    from bundler.core.anonymise.glyphs.advance import ADVANCE_DOUBT

    assert ADVANCE_DOUBT in _unit(tmp_path, make())


@pytest.mark.parametrize("make", list(LEAKS.values()), ids=list(LEAKS))
def test_leak_is_not_written(tmp_path: Path, make: Make) -> None:
    """End to end: refused, or a bundle no reader finds the name in."""
    _holds(tmp_path, make())


# --- what held (part A) ---------------------------------------------------------------------------


def test_gs_negative_size_with_a_tj_in_the_stream_is_a_doubt(tmp_path: Path) -> None:
    """Finding 1's page with one harmless ``[( )] TJ`` added: the cheap look lets it through to the
    run scan, which tracks the gs /Font size and calls the page a doubt."""
    from bundler.core.anonymise.glyphs.advance import ADVANCE_DOUBT

    data = _gs_negative_size(b" [( )] TJ")
    assert ADVANCE_DOUBT in _unit(tmp_path, data)
    _holds(tmp_path / "build", data)


def test_a_form_drawn_inside_a_run_does_not_carry_the_pen(tmp_path: Path) -> None:
    """Not an attack: code 0 in the page's run, the steps back and (Far) in a form drawn by ``Do``
    inside the same BT (the scan starts a new run in the form). poppler does not carry the text
    matrix into the form (it draws "num" at the form's origin and "Far" off the page), so no
    reader reads the name: the scan's fresh run is right."""
    steps = _steps(280)
    zeros = b"(" + b"\\000" * len(steps) + b") Tj"
    back = b"[" + b" ".join(b"%.1f" % s for s in steps) + b"] TJ"
    form_content = b"/F1 12 Tf " + back + b" (Far) Tj [-%.1f] TJ (num) Tj" % _FORWARD
    content = _FILLER + b"BT /F1 12 Tf 1 0 0 1 %.3f 700 Tm (ida Kha) Tj %s /Fm Do ET\n" % (_START, zeros)
    form = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
    data = _page(content, b"||/XObject << /Fm 6 0 R >>", {6: _stream(form_content, form)})
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    assert not any("faridakhanum" in _flat(text) for text in _readings(path).values())


# --- part B: the probe left out of the chunk search's reading-order screen (what held) ------------


def _merged_variant(y: float, big_drop: float, footer: bool) -> Callable[[Path], None]:
    """Round three's merged line ("Far", big "ZZ", "ida Kha", big "QQ", "num") at ``y``, the
    40 pt letters ``big_drop`` below it; a footer below the stamp when ``footer``."""
    from tests.cli.test_attacks_round3 import _FOOTER, _width

    a, b = 72 + _width("Far"), 72 + _width("Far" + "ida Kha")
    line = (
        b"BT /F1 12 Tf 1 0 0 1 72 %.3f Tm (Far) Tj /F1 40 Tf 1 0 0 1 302 %.3f Tm (ZZ) Tj "
        b"/F1 12 Tf 1 0 0 1 %.3f %.3f Tm (ida Kha) Tj /F1 40 Tf 1 0 0 1 402 %.3f Tm (QQ) Tj "
        b"/F1 12 Tf 1 0 0 1 %.3f %.3f Tm (num) Tj ET\n"
    ) % (y, y - big_drop, a, y, y - big_drop, b, y)
    return lambda path: page_pdf(path, _FILLER + line + (_FOOTER if footer else b""))


@pytest.mark.parametrize(
    ("y", "big_drop", "footer"),
    [(700, 9.5, True), (20, 20, False), (20, 9.5, True)],
    ids=["middles-aligned-footer", "name-line-below-the-stamp", "below-the-stamp-middles-aligned-footer"],
)
def test_merged_line_variants_with_the_probe_left_out(tmp_path: Path, y: float, big_drop: float, footer: bool) -> None:
    """Held: the big letters lowered so their boxes' middles sit on the name's line (``_one_line``
    then sees pdfium's order step back along the line), or the whole line drawn below the stamp
    (the probe, left out, was last anyway): the screen calls the page out of order, or the
    build refuses."""
    build_holds(tmp_path, _merged_variant(y, big_drop, footer), readers=("pdftotext",))
    # Was a leak (below-the-stamp-middles-aligned-footer on b99384e): the merged line at y=20
    # (below the stamp), its 40 pt letters at y=10.5, a footer at y=8; reading order interleaved
    # the name with the footer. Mended in layout.reading_order (finding 4 above).
