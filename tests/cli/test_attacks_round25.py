"""Round 25: attacks on the reading-order screen as it stands at 4085eed (``locate.needs_visual``,
``glyphs.vectors.moves_back``: since round 24 content that sets ``Tc``/``Tw`` at all is read in
reading order).

A failing test here is a real leak: pdftotext (default mode) shows the name in the public bundle
built through the CLI with the gate passing, or (unit level, ``Target("Farida Khanum")`` only) the
gate (``leak_scan``) and the redactor (``locate_hits``, asked with ``moves_back`` as the redactor
asks it) miss a name pdftotext shows. The three found (``test_fixed_*``) are fixed in
``moves_back``: the page's content streams are read as one (a token may end one stream and the
next begin the next), NUL as white space, and again with comments taken out.

The page is round 24's character-spacing gutter (``_tc_columns``): after "in support of Fari" one
text object ``(-No) Tj`` whose ``Tc`` carries "N" to x 340, likewise "da Kha" + ``(-Ex)``. PDFium
takes the whole ``Tc`` as the object's base spacing and makes no space at the gutter; pdftotext
reads the left column down: "in support of Farida Khanum against the defendant.". Round 24's fix
is that ``moves_back`` finds ``Tc`` set (``_SPACING_SET``); here only the way ``Tc`` is written
changes, in ways PDF allows and PDFium and poppler both honour.

LEAKS
1. A comment between the operand and the operator: ``8.3 %c\\nTc``. ``_SPACING_SET`` wants the
   number and ``Tc`` separated by whitespace only (``\\s+``); a comment is whitespace to PDF's
   lexer (PDF 7.2.4) and to PDFium's and poppler's content parsers. ``moves_back`` False, pieces in
   turn, no space: ``needs_visual`` False; unit: the redactor places no spot and the gate passes;
   full CLI build: the public bundle reads "Farida Khanum" (pdftotext).
2. A NUL byte as the separator: ``8.3\\x00Tc``. NUL is PDF whitespace (Table 1) and both readers
   treat it so; Python's ``\\s`` does not match it. Same answers as 1.
3. The number and the operator in two content streams of the page's ``/Contents`` array
   (stream 1 ends "... 8.3", stream 2 starts "Tc 1 0 0 1 ... Tm"): PDF concatenates the array
   (a split at a token boundary is allowed), PDFium and poppler both do; ``_stream_moves_back``
   looks at each stream alone and finds "Tc" with no number before it. Unit: same answers as 1.
   Through the CLI it held (``test_held_split_streams_through_the_cli``): the bundle does not show
   the name, presumably as the build joins the content array first (not traced); a source page is
   still screened wrongly wherever ``moves_back`` sees the array as written.

Where (all three): ``glyphs.vectors._stream_moves_back`` / ``_SPACING_SET`` (and by the same
construction ``_BACK_SPACING``, ``_BACK_TD``, ``_QUOTE_SPACING``: every operand-operator regex
there assumes ``\\s+`` between tokens and one stream at a time). A fix: tokenise (strip comments,
treat NUL as whitespace) and scan the concatenation of a page's content array as one stream.
``reading_order`` itself reads the name in every case (``visual_text`` finds it).

HELD (``test_held_*``)
- The same page with ``Tc`` written plainly (round 24's fix).
- Leak 3's page built through the CLI (see above).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

from tests.cli.test_attacks_round3 import build_holds
from tests.cli.test_attacks_round21 import WHOLE, _line, _w, page
from tests.cli.test_attacks_round24 import _screen_holds, _screen_says

_GUTTER = 340
_SEPARATORS = {"comment": b" %c\n", "nul": b"\x00", "plain": b" "}


def _row(y: float, left: bytes, tail: bytes, separator: bytes) -> bytes:
    """``left``, then one object "-" + ``tail`` whose ``Tc`` (written "<n><separator>Tc") carries
    the letter after the hyphen to ``_GUTTER``."""
    x = 72 + _w(left.decode())
    spacing = _GUTTER - x - _w("-")
    return (
        _line(y, 72, left)
        + b"BT /F1 11 Tf %.3f" % spacing
        + separator
        + b"Tc 1 0 0 1 %.3f %.3f Tm (-%s) Tj 0 Tc ET\n" % (x, y, tail)
    )


def _columns(separator: bytes) -> bytes:
    return b"".join(
        [
            _line(714, 72, b"The claimant makes a statement to the court"),
            _row(700, b"in support of Fari", b"No", separator),
            _row(686, b"da Kha", b"Ex", separator),
            _line(672, 72, b"num against the defendant."),
        ]
    )


_SPLIT = b"\x00SPLIT\x00"  # where the content is cut into two streams


def _split_page(path: Path) -> None:
    """The page, its content cut into streams after each ``Tc`` number: "... 8.3" / "Tc ..."."""
    content = _columns(_SPLIT)
    page(path, b"")
    writer = PdfWriter(clone_from=str(path))
    parts = ArrayObject()
    for i, chunk in enumerate(content.split(_SPLIT)):
        stream = DecodedStreamObject()
        stream.set_data((b"" if i == 0 else b" ") + chunk + b"\n")
        parts.append(writer._add_object(stream))
    writer.pages[0][NameObject("/Contents")] = parts
    writer.write(str(path))


def _maker(kind: str) -> Callable[[Path], None]:
    if kind == "split":
        return _split_page
    return lambda path: page(path, _columns(_SEPARATORS[kind]))


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("kind", ["comment", "nul", "split"])
def test_fixed_character_spacing_hidden_from_moves_back_unit(tmp_path: Path, kind: str) -> None:
    pdf = tmp_path / "source.pdf"
    _maker(kind)(pdf)
    assert "Farida Khanum" in _pdftotext(pdf), "guard: pdftotext reads the name"
    visual, found = _screen_says(pdf, WHOLE)
    assert found, "reading order itself reads the name"
    assert visual, "needs_visual: the page is not read in reading order"


@pytest.mark.parametrize("kind", ["comment", "nul", "split"])
def test_fixed_character_spacing_hidden_from_moves_back_gate(tmp_path: Path, kind: str) -> None:
    pdf = tmp_path / "source.pdf"
    _maker(kind)(pdf)
    _screen_holds(pdf)


@pytest.mark.parametrize("kind", ["comment", "nul"])
def test_fixed_character_spacing_hidden_from_moves_back_cli(tmp_path: Path, kind: str) -> None:
    build_holds(tmp_path, _maker(kind), readers=("pdftotext",))


def test_held_split_streams_through_the_cli(tmp_path: Path) -> None:
    """The split page (leak 3 at unit level) built through the CLI: the public bundle does not
    show the name (the build evidently sees the content array joined; not traced further)."""
    build_holds(tmp_path, _maker("split"), readers=("pdftotext",))


def test_held_character_spacing_written_plainly(tmp_path: Path) -> None:
    pdf = tmp_path / "source.pdf"
    _maker("plain")(pdf)
    _screen_holds(pdf)
