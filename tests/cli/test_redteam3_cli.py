"""Third red team: today's speed changes to the leak gate and the redactor's check.

Each attack builds a public bundle through the real CLI (``--no-ocr``) and reads what was
written with readers bundler does not use (``pdftotext``, ``qpdf --qdf``, ``strings``).
A refusal (``ExitCode.LEAK``) or a bundle no reader shows the name in passes; a written
bundle that shows it fails, with the reader's output.

- Rebuild page listing (``gate/pagetree.py``, ``gate/vouched.py``): a source whose page
  tree has an intermediate ``/Pages`` node carrying ``/Resources`` and ``/MediaBox``, a
  page dict with a stray ``/Kids``, and one ``/Annots`` array shared by two pages whose
  annotation holds the name; built, then rebuilt with the same cache after the prefix,
  the document order or the register changed.
- The redactor's check (``pdf/verify.py``): the name drawn in pieces out of stream order,
  so the objects a page reaches hold no target in stream order; the chunk gate must stop it.
- The finder's memory (``gate/gate.py``): the same short text holding the name in several
  places and on several pages.
- The regex lookahead (``forms._first_class``): registered terms that start with
  punctuation ("(Ref) 12/34", "@farida"), written with OCR's confusions, dashes and spacing.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.anonymise import forms
from bundler.core.errors import ExitCode
from tests.cli.attack_helpers import attack_project, flat, qpdf_raw
from tests.cli.test_redteam2_cli import _interleaved
from tests.conftest import require

NAME = "Farida Khanum"


def _raw_pdf(objects: list[bytes]) -> bytes:
    out = b"%PDF-1.7\n"
    for number, body in enumerate(objects, 1):
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return out + b"trailer\n<< /Root 1 0 R /Size %d >>\n%%%%EOF\n" % (len(objects) + 1)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _odd_tree(folder: Path, name: str = "odd.pdf", stray: bytes = b"") -> Path:
    """Two pages under an intermediate /Pages node that gives them their font and MediaBox;
    both share one /Annots array whose note holds the name; page 1 also carries ``stray``."""
    require(shutil.which("qpdf") is not None, "qpdf")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 5 0 R] /Count 2"
        b" /Resources << /Font << /F1 6 0 R >> >> /MediaBox [0 0 595 842] >>",
        b"<< /Type /Page /Parent 3 0 R %s /Contents 7 0 R /Annots 9 0 R >>" % stray,
        b"<< /Type /Page /Parent 3 0 R /Contents 8 0 R /Annots 9 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _stream(b"BT /F1 14 Tf 72 700 Td (Statement of Farida Khanum dated today.) Tj ET"),
        _stream(b"BT /F1 14 Tf 72 700 Td (The grounds of claim follow below.) Tj ET"),
        b"[10 0 R]",
        b"<< /Type /Annot /Subtype /Text /Rect [72 600 92 620] /Contents (Note by Farida Khanum) /T (Farida Khanum) >>",
    ]
    return _through_qpdf(folder, objects, name)


def _through_qpdf(folder: Path, objects: list[bytes], name: str) -> Path:
    """``objects`` as a file, rewritten by qpdf (a sound cross-reference, as a real file has)."""
    raw = folder / "raw.pdf"
    raw.write_bytes(_raw_pdf(objects))
    path = folder / name
    subprocess.run(["qpdf", str(raw), str(path)], capture_output=True, check=False)
    raw.unlink()
    return path


def _cmap(pairs: dict[str, str]) -> bytes:
    lines = b"".join(b"<%02X> <%04X>\n" % (ord(code), ord(ch)) for code, ch in pairs.items())
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /RT3 def /CMapType 2 def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n%d beginbfchar\n"
        % len(pairs)
        + lines
        + b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )


_DRAWN = b"BT /F1 14 Tf %s Td (ABCDEF GHIJKL) Tj ET"
_DIFFERENCES = b"/Encoding << /Type /Encoding /Differences [65 /F /a /r /i /d /a 71 /K /h /a /n /u /m] >>"


def _mapped(folder: Path, where: bytes, font: bytes, name: str = "mapped.pdf") -> Path:
    """A page drawing the bytes "ABCDEF GHIJKL" that its font reads as "Farida Khanum" (through a
    /ToUnicode map, or an /Encoding whose /Differences name the glyphs): no object holds the
    name as bytes; PDFium, pypdf and poppler give it as text."""
    require(shutil.which("qpdf") is not None, "qpdf")
    pairs = dict(zip("ABCDEF GHIJKL", NAME, strict=True))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 7 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica %s >>" % font,
        _stream(b"BT /F2 14 Tf 72 740 Td (The grounds of claim follow below.) Tj ET " + _DRAWN % where),
        _stream(_cmap(pairs)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    return _through_qpdf(folder, objects, name)


def _pieces(folder: Path) -> Path:
    """The line "Statement of Farida Khanum dated today." drawn as "Far", "ida Kha", "num …", each placed
    just after the last, with other lines drawn in between: stream order splits the name."""
    (folder / "pieces").mkdir(exist_ok=True)
    return _interleaved([(500, "Other line one."), (400, "Other two.")])(folder / "pieces")


def _repeated(folder: Path, name: str = "repeated.pdf") -> Path:
    """The same short line holding the name on three pages, and as the document's title."""
    path = folder / name
    pdf = Canvas(str(path), pagesize=A4)
    pdf.setTitle(NAME)
    for _ in range(3):
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, 700, NAME)
        pdf.showPage()
    pdf.save()
    return path


def _text_page(folder: Path, lines: list[str], name: str = "terms.pdf") -> Path:
    path = folder / name
    pdf = Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 12)
    for k, line in enumerate(lines):
        pdf.drawString(72, 750 - 20 * k, line)
    pdf.save()
    return path


def _build(project: Path, out: Path, cache: Path) -> int:
    return main(["build", str(project), "-o", str(out), "--cache-dir", str(cache), "--no-ocr"])


def _readers(pdf: Path, folder: Path) -> dict[str, str]:
    """What readers bundler does not use give back: poppler's text (physical and raw order),
    qpdf's uncompressed file, ``strings`` and pdfminer's text when it is installed."""
    require(shutil.which("pdftotext") is not None, "pdftotext")
    shown = {}
    for mode in ("-layout", "-raw"):
        shown[f"pdftotext {mode}"] = subprocess.run(
            ["pdftotext", mode, str(pdf), "-"], capture_output=True, check=False
        ).stdout.decode("utf-8", "replace")
    copy = folder / "read.pdf"
    shutil.copyfile(pdf, copy)
    shown["qpdf --qdf"] = qpdf_raw(copy)
    shown["strings"] = subprocess.run(["strings", str(pdf)], capture_output=True, check=False).stdout.decode()
    try:  # pdfminer reads text placed off the page too
        from pdfminer.high_level import extract_text
    except ImportError:
        return shown
    shown["pdfminer"] = extract_text(str(pdf))
    return shown


def _showing(shown: dict[str, str], needles: list[str]) -> dict[str, list[str]]:
    """Per reader, the lines in which one of ``needles`` (flattened) appears."""
    hits: dict[str, list[str]] = {}
    for reader, text in shown.items():
        lines = [line.strip()[:160] for line in text.splitlines() if any(flat(n) in flat(line) for n in needles)]
        if lines:
            hits[reader] = lines
    return hits


def _assert_not_shown(code: int, out: Path, folder: Path, needles: list[str]) -> None:
    """Stopped with nothing written (the gate's refusal, or the redactor's, or PDFium failing
    closed); or written and no reader shows any of ``needles``."""
    if code != 0:
        assert not out.exists()
        return
    hits = _showing(_readers(out, folder), needles)
    assert not hits, f"written (exit 0) and shown: {hits}"


def _set_prefix(project: Path, prefix: str) -> None:
    data = json.loads(project.read_text())
    data["options"]["page_prefix"] = prefix
    project.write_text(json.dumps(data))


Change = Callable[[Path, Path], None]


def _new_prefix(project: Path, _folder: Path) -> None:
    _set_prefix(project, "HB")  # letters of the name: vouched pages are read in full


def _quiet_prefix(project: Path, _folder: Path) -> None:
    _set_prefix(project, "XY")  # no letter of any target: vouched pages stay unread


def _reversed_documents(project: Path, _folder: Path) -> None:
    data = json.loads(project.read_text())
    for section in data["sections"]:
        for key in ("documents", "items", "entries"):
            if isinstance(section.get(key), list):
                section[key].reverse()
    project.write_text(json.dumps(data))


def _another_person(project: Path, _folder: Path) -> None:
    assert main(["register", str(project), "add-person", "Zara Begum", "--pseudonym", "CD"]) == 0


def _new_section_document(project: Path, folder: Path) -> None:
    extra = _text_page(folder, ["A letter about nothing in particular."], "letter.pdf")
    assert main(["add", str(project), str(extra), "--section", "B", "--title", "Letter"]) == 0


# Page 1 of the odd tree also carries: nothing; a /Kids naming page 2 (PDFium, pypdf and poppler
# list two pages); a second /Type /Pages (pypdf lists one page, PDFium two and cannot load the
# first, poppler shows both); a /Kids that is the shared /Annots array (PDFium cannot load it).
_STRAYS = {"plain": b"", "kids-page": b"/Kids [5 0 R]", "type-pages": b"/Type /Pages", "kids-annots": b"/Kids 9 0 R"}


@pytest.mark.parametrize("stray", list(_STRAYS))
@pytest.mark.parametrize(
    "change",
    [_new_prefix, _quiet_prefix, _reversed_documents, _another_person, _new_section_document],
    ids=["prefix", "quiet-prefix", "order", "register", "section"],
)
def test_a_rebuild_of_odd_page_trees_shows_no_name(tmp_path: Path, change: Change, stray: str) -> None:
    """Build, change something that is no registered document, build again with the same cache:
    the second build lists vouched pages unparsed and judges joins from outside objects."""
    odd = _odd_tree(tmp_path, stray=_STRAYS[stray])
    pieces = _pieces(tmp_path)
    project = attack_project(tmp_path, odd, NAME)
    assert main(["add", str(project), str(pieces), "--section", "D", "--title", "Pieces"]) == 0
    cache, first, second = tmp_path / "cache", tmp_path / "first.pdf", tmp_path / "second.pdf"
    code = _build(project, first, cache)
    _assert_not_shown(code, first, tmp_path, [NAME])
    change(project, tmp_path)
    _assert_not_shown(_build(project, second, cache), second, tmp_path, [NAME])


@pytest.mark.parametrize("stray", [b"/Kids []", b"/Kids 9 0 R", b"/Type /Pages"], ids=["empty", "ref", "type"])
def test_a_page_with_a_stray_kids_array_fails_closed(
    tmp_path: Path, stray: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """A /Type /Page with a /Kids (or a second /Type): poppler and pypdf list it as a page,
    PDFium cannot load it. The build must stop with the file named and what to do (it was an
    internal error with a crash log), or write a bundle that shows no name."""
    project = attack_project(tmp_path, _odd_tree(tmp_path, stray=stray), NAME)
    out = tmp_path / "out.pdf"
    code = _build(project, out, tmp_path / "cache")
    if code != 0:
        assert code in (ExitCode.SOURCE, ExitCode.LEAK), f"exit {code}: {capsys.readouterr().err}"
        assert "odd.pdf" in capsys.readouterr().err and not out.exists()
        return
    _assert_not_shown(code, out, tmp_path, [NAME])


def test_a_page_drawn_in_pieces_is_stopped_or_cleaned(tmp_path: Path) -> None:
    """The redactor's check now searches only the objects an untouched page reaches; in stream
    order they read "Far" … "ida Kha" … "num": the chunk gate must still stop the name."""
    project = attack_project(tmp_path, _pieces(tmp_path), NAME)
    out = tmp_path / "out.pdf"
    _assert_not_shown(_build(project, out, tmp_path / "cache"), out, tmp_path, [NAME])


@pytest.mark.parametrize("font", [b"/ToUnicode 6 0 R", _DIFFERENCES], ids=["tounicode", "differences"])
@pytest.mark.parametrize(
    "where", [b"72 700", b"72 -40", b"700 700"], ids=["on-page", "below-mediabox", "right-of-mediabox"]
)
def test_a_name_only_the_font_gives_is_stopped_or_cleaned(tmp_path: Path, where: bytes, font: bytes) -> None:
    """The redactor's check searches the objects of an untouched page as bytes: "ABCDEF GHIJKL"
    holds no target there, while every text reader gives "Farida Khanum" (on the page, or
    placed outside the MediaBox where locate has nothing to box)."""
    project = attack_project(tmp_path, _mapped(tmp_path, where, font), NAME)
    out = tmp_path / "out.pdf"
    _assert_not_shown(_build(project, out, tmp_path / "cache"), out, tmp_path, [NAME])


def test_the_same_short_text_in_many_places_is_stopped_or_cleaned(tmp_path: Path) -> None:
    """The finder remembers what a short text holds: each place it is met must still count."""
    project = attack_project(tmp_path, _repeated(tmp_path), NAME)
    out = tmp_path / "out.pdf"
    code = _build(project, out, tmp_path / "cache")
    _assert_not_shown(code, out, tmp_path, [NAME])
    if code == 0:  # a rebuild reads the same remembered texts again
        again = tmp_path / "again.pdf"
        _set_prefix(project, "XY")
        _assert_not_shown(_build(project, again, tmp_path / "cache"), again, tmp_path, [NAME])


_TERMS = {
    "(Ref) 12/34": ["Ref 12/34", "REF I2-34", "(ref)1234", "R e f 1 2 3 4", "Ref\u201412/34"],
    "@farida": ["@farida", "@FARIDA", "@f a r i d a"],
    "12-AB-34": ["12 AB 34", "I2AB34", "12\u2013ab\u201334", "l2-A8-34"],
}


@pytest.mark.parametrize("term", list(_TERMS), ids=["ref", "at", "digit-first"])
def test_terms_starting_with_punctuation_or_digits_are_found(tmp_path: Path, term: str) -> None:
    """``_first_class`` puts a lookahead of a match's first characters before every form: a term
    starting with punctuation or a digit, written with confusions and dashes, must still be found."""
    lines = [f"Written as {variant} here." for variant in _TERMS[term]]
    project = attack_project(tmp_path, _text_page(tmp_path, lines), NAME)
    assert main(["register", str(project), "add-term", term, "--category", "reference"]) == 0
    out = tmp_path / "out.pdf"
    code = _build(project, out, tmp_path / "cache")
    assert code in (0, ExitCode.LEAK), code
    if code == 0:
        shown = _readers(out, tmp_path)["pdftotext -raw"]
        core = re.sub(r"[^a-z0-9]", "", term.casefold())
        left = [line for line in shown.splitlines() if core in re.sub(r"[^a-z0-9]", "", line.casefold())]
        assert not left, f"written (exit 0) and pdftotext shows: {left}"


_ALPHABET = "0123456789oOilIsSbBzZ .,/()+-\u2010\u2011\u2012\u2013\u2014@abcdefhkmnru\u0301\u00e9_'\u02bc\u00df"
_FOLDED_TERMS = ["(ref) 12/34", "@farida", "farida khanum", "12 elm road", "o1234567", "-farida", "+44 7700 900123"]
_FOLDED_TERMS += ["sw1a 1aa", ".net", "(x)", "1", "a", "\u00e9clair", "i-l", "0zb8", "\u2014ref", "/12", "a\u0301b"]


def _mutated(term: str, rng: random.Random) -> str:
    chars = list(term)
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(chars) + 1)
        roll = rng.random()
        if roll < 0.4 and at < len(chars):
            chars[at] = rng.choice(_ALPHABET)
        elif roll < 0.7:
            chars.insert(at, rng.choice(_ALPHABET))
        elif at < len(chars):
            del chars[at]
    edge = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 3)))
    return edge + "".join(chars) + edge[::-1]


@pytest.mark.parametrize("ocr", [False, True])
@pytest.mark.parametrize("identifier", [False, True])
def test_the_lookahead_loses_no_match_of_any_form(identifier: bool, ocr: bool) -> None:
    """Every form's regex with ``_first_class``'s lookahead finds what it found without one, on
    mutated copies of terms that start with punctuation, digits, marks, dashes and confusions."""
    rng = random.Random(7)
    for term in _FOLDED_TERMS:
        body = forms.form_body(term, identifier, ocr)
        before = re.compile(f"{forms._EDGE_BEFORE}{body}{forms._EDGE_AFTER}")
        now = forms.form_regex(term, identifier, ocr)
        for _ in range(400):
            text = _mutated(term, rng)
            assert [m.span() for m in now.finditer(text)] == [m.span() for m in before.finditer(text)], (term, text)


@pytest.mark.parametrize("ocr", [False, True])
def test_the_screen_with_its_lookahead_passes_what_it_passed(ocr: bool) -> None:
    """The gate's screen joins every form's body in one alternation behind one lookahead: it
    must pass every text the same alternation passed without it."""
    rng = random.Random(11)
    bodies = {forms.form_body(term, rng.random() < 0.5, ocr) for term in _FOLDED_TERMS}
    alternatives = "|".join(sorted(bodies - {""}, key=len, reverse=True))
    before = re.compile(f"{forms._EDGE_BEFORE}(?:{alternatives}){forms._EDGE_AFTER}")
    now = forms.screen_regex(bodies)
    for _ in range(4000):
        text = _mutated(rng.choice(_FOLDED_TERMS), rng)
        assert [m.span() for m in now.finditer(text)] == [m.span() for m in before.finditer(text)], text


_HIDDEN_EDGES = {
    "invisible-after": b"(Statement of Farida Khanum) Tj 3 Tr (Q) Tj 0 Tr ( dated today.) Tj",
    "invisible-before": b"(Statement of ) Tj 3 Tr (Q) Tj 0 Tr (Farida Khanum dated today.) Tj",
    "white-after": b"(Statement of Farida Khanum) Tj 1 g (Q) Tj 0 g ( dated today.) Tj",
    "tiny-after": b"(Statement of Farida Khanum) Tj /F1 0.5 Tf (Q) Tj /F1 14 Tf ( dated today.) Tj",
    "invisible-both": b"(Statement of ) Tj 3 Tr (Q) Tj 0 Tr (Farida Khanum) Tj 3 Tr (Q) Tj 0 Tr ( dated today.) Tj",
}


@pytest.mark.parametrize("drawn", list(_HIDDEN_EDGES))
def test_a_letter_no_one_sees_beside_the_name_is_no_word_edge(tmp_path: Path, drawn: str) -> None:
    """A letter drawn invisibly, white or tiny against the name makes "Farida KhanumQ" in the
    text, which the word edges do not match, while the page shows "Farida Khanum"."""
    content = b"BT /F1 14 Tf 72 700 Td " + _HIDDEN_EDGES[drawn] + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _stream(content),
    ]
    require(shutil.which("qpdf") is not None, "qpdf")
    (tmp_path / "raw.pdf").write_bytes(_raw_pdf(objects))
    subprocess.run(["qpdf", str(tmp_path / "raw.pdf"), str(tmp_path / "edge.pdf")], capture_output=True, check=False)
    project = attack_project(tmp_path, tmp_path / "edge.pdf", NAME)
    out = tmp_path / "out.pdf"
    _assert_not_shown(_build(project, out, tmp_path / "cache"), out, tmp_path, [NAME])


@pytest.mark.parametrize("written", ["AB 12 34 56 C", "A8 I2 34 56 C", "A B 1 2 3 4 5 6 C"])
def test_an_identifier_locate_reads_without_ocr_confusions_is_stopped_or_cleaned(tmp_path: Path, written: str) -> None:
    """Locate matches without OCR's confusions, the gate with them: an untouched page whose
    text only the gate reads as the NI number must still be stopped (the redactor's check no
    longer reads an untouched page's text)."""
    project = attack_project(tmp_path, _text_page(tmp_path, [f"NI number {written} on file."]), NAME)
    assert main(["register", str(project), "add-term", "AB 12 34 56 C", "--category", "NI number"]) == 0
    out = tmp_path / "out.pdf"
    _assert_not_shown(_build(project, out, tmp_path / "cache"), out, tmp_path, ["AB123456C", "A8I23456C"])
