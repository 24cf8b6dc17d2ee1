"""Round 14: the name's word edges and inner punctuation, and reading order as poppler groups
lines; end to end through the CLI ("Farida Khanum" registered, pseudonym FK, ``--no-ocr``). The
judge is stricter than earlier rounds': a reader's text with everything but letters taken out
(case folded), so "Fari-da", "F.a.r.i.d.a" and "xFarida" all show the name. A build must refuse
with the leak code or write a bundle in which no reader -- ``pdftotext``, ``pdftotext -layout``,
pdfminer.six -- shows "farida" or "khanum" so judged; the source must show the name to one of
them. A FAILING test here is a real leak.

Findings (each leaked on 3d0170c: the matcher needs a word edge either side of a name and read
punctuation inside a word as part of it, so the redactor and the gate passed the name):

1. punctuation inside the name: "Fari-da Khanum", "F.a.r.i.d.a K.h.a.n.u.m", "Far'ida Kha_num",
   "Fari/da Kha:num" (``terms.INSIDE``: read again with it taken out);
2. a letter glued on to take the edge away: "xFarida xKhanum", "MsFarida", "Farida1 Khanum2",
   "7Farida", and in a Word statement (``glue``: read again with a space where a small
   letter meets a capital, or a letter a digit). The "x" drawn invisibly (render mode 3) or white
   in its own string held on 3d0170c too, and is kept as a test;
3. lines as poppler groups them (``pdf.bands``): a name drawn glyph by glyph sloping down, with
   letters of another size on its band (poppler keeps sizes apart in blocks), or crossed by a
   rising line (round 13's open leak): reading order's own groupings interleaved the lines.

Left alone: lower-case letters glued on both sides ("xfaridax"): no edge a reader could draw
without also finding "Rose" in "prose".
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from bundler.cli.main import main
from bundler.core.errors import ExitCode
from tests.cli.test_attacks_round3 import _FILLER, _project, _readings
from tests.cli.test_attacks_round9 import _pdfminer
from tests.cli.test_attacks_round11 import NAME, _pdf, _w
from tests.conftest import require

PROTECTED = ("farida", "khanum")


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalpha())


def _all_readings(pdf: Path) -> dict[str, str]:
    return {**_readings(pdf), "pdfminer.six": _pdfminer(pdf)}


def _holds(folder: Path, data: bytes) -> None:
    """The source shows the name to a reader (letters only); the build refuses or no reader of
    the bundle shows a protected word."""
    project = _project(folder, lambda path: path.write_bytes(data))
    source = _all_readings(folder / "source.pdf")
    assert any(all(word in _letters(text) for word in PROTECTED) for text in source.values()), source
    out = folder / "public.pdf"
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(folder / "cache"), "--no-ocr"])
    if code == ExitCode.LEAK:
        assert not out.exists()
        return
    assert code == ExitCode.OK, code
    for reader, text in _all_readings(out).items():
        found = [word for word in PROTECTED if word in _letters(text)]
        assert not found, f"{reader} reads {found} in the public bundle: {text!r}"


def _line(body: bytes) -> bytes:
    return _pdf(_FILLER + b"BT /F1 12 Tf 72 700 Td " + body + b" ET\n")


# --- 1. punctuation inside the name ------------------------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        b"(Statement of Fari-da Khanum.) Tj",
        b"(F.a.r.i.d.a K.h.a.n.u.m) Tj",
        b"(Far'ida Kha_num) Tj",
        b"(Fari/da Kha:num) Tj",
    ],
    ids=["hyphen", "dots", "apostrophe-underscore", "slash-colon"],
)
def test_punctuation_inside_the_name(tmp_path: Path, shown: bytes) -> None:
    _holds(tmp_path, _line(shown))


# --- 2. a letter glued on ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        b"(Statement of xFarida xKhanum.) Tj",
        b"(Statement of ) Tj 3 Tr (x) Tj 0 Tr (Farida ) Tj 3 Tr (x) Tj 0 Tr (Khanum.) Tj",  # the x invisible
        b"(Statement of ) Tj 1 g (x) Tj 0 g (Farida ) Tj 1 g (x) Tj 0 g (Khanum.) Tj",  # the x white
        b"(Statement of MsFarida MrsKhanum.) Tj",
        b"(Statement of Farida1 Khanum2.) Tj",
        b"(Statement of 7Farida 7Khanum.) Tj",
    ],
    ids=["drawn", "invisible", "white", "title", "digit-after", "digit-before"],
)
def test_a_letter_glued_to_the_name(tmp_path: Path, shown: bytes) -> None:
    _holds(tmp_path, _line(shown))


def test_glued_and_punctuated_in_a_word_statement(tmp_path: Path) -> None:
    """The same forms in a Word statement: the DOCX anonymiser reads them as the matcher does."""
    require(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    source = tmp_path / "statement.docx"
    document = docx.Document()
    document.add_paragraph("Witness statement of Fari-da Khanum")
    runs = document.add_paragraph("I, ")
    runs.add_run("x").font.hidden = True  # hidden text: Word does not print it
    runs.add_run("Farida K.h.a.n.u.m, say that MsKhanum1 lives here.")
    document.save(str(source))
    assert "FK" in statement_holds(tmp_path, statement_project(tmp_path, source), refused=False)


def statement_project(folder: Path, source: Path) -> Path:
    """A project holding the Word statement ``source``, "Farida Khanum" registered as FK."""
    project = folder / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "FK v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "C", "--title", "Statement"]) == 0
    assert main(["register", str(project), "add-person", NAME, "--pseudonym", "FK"]) == 0
    return project


def statement_holds(folder: Path, project: Path, refused: bool = True) -> str:
    """Build ``project``: refused with the leak code (when ``refused`` may be) and nothing written,
    or no reader of the bundle shows a protected word. Returns pdftotext's text ("" if refused)."""
    out = folder / "public.pdf"
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(folder / "cache"), "--no-ocr"])
    if refused and code == ExitCode.LEAK:
        assert not out.exists()
        return ""
    assert code == ExitCode.OK, code
    for reader, text in _all_readings(out).items():
        assert not [word for word in PROTECTED if word in _letters(text)], f"{reader}: {text!r}"
    return subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout


# --- 3. lines as poppler groups them -------------------------------------------------------------------


def _sized(amplitude: float, other: str, size: int, oy: float, seed: int) -> bytes:
    """The name zig-zagging ``amplitude`` pt about its line, glyph by glyph, with ``other`` in
    ``size`` pt glyph by glyph ``oy`` pt above it, all drawn in one shuffled order."""
    items = [(72 + _w(NAME[:k]), 600 + (amplitude if k % 2 else -amplitude) / 2, NAME[k], 12) for k in range(len(NAME))]
    items += [(66 + _w(other[:k]) * size / 12, 600 + oy, other[k], size) for k in range(len(other))]
    items = [item for item in items if item[2] != " "]
    random.Random(seed).shuffle(items)
    body = b"".join(b"/F1 %d Tf 1 0 0 1 %.3f %.3f Tm (%s) Tj " % (s, x, y, c.encode()) for x, y, c, s in items)
    return _pdf(_FILLER + b"BT " + body + b"ET\n")


@pytest.mark.parametrize(
    "amplitude, other, size, oy",
    [(1.8, "Xo Xo Xo Xo Xo", 6, 1.0), (1.2, "ie il ie il", 6, 0.5), (2.0, "Xo Xo Xo", 9, 6.0)],
)
def test_letters_of_another_size_on_the_names_band(
    tmp_path: Path, amplitude: float, other: str, size: int, oy: float
) -> None:
    """poppler keeps the small (or large) letters in a block of their own and reads the name;
    reading order's first-letter grouping took them into the name's line."""
    _holds(tmp_path, _sized(amplitude, other, size, oy, 3))
