"""Round 3 attacks, end to end through the CLI: the probe left out of the reading-order screen
(``layout.out_of_order(..., last_apart)``) and pypdf's text by table (``core/pdf/quicktext``).

Each source is built with ``--no-ocr`` into a public bundle, with "Farida Khanum" registered
(pseudonym FK). A build must either refuse with the leak code (no file written) or write a
bundle in which neither ``pdftotext`` nor ``pdftotext -layout`` (poppler: a reader bundler does
not use) shows "farida" or "khanum", case folded, spaces and hyphens removed. A test here fails
for a real leak or a wrong refusal.

The pages that beat the screen draw one visual line in pieces, with big letters on the line
below drawn between the pieces: pdfium reads the pieces and the big letters as ONE piece of
text (its ``ProcessInsertObject`` keeps an object whose origin lies in the previous object's
height band on the same line), so ``out_of_order`` sees one piece and calls the page in order,
while ``reading_order`` (and poppler, and the eye) put "Far" and "ida Kha" and "num" side by
side. Before today the probe ``W88888`` stamped on the chunk's page made such a page out of
order whenever the page had text level with or below the stamp, or was turned (the probe
then runs in another direction): the chunk search read it in reading order, found the name
and left the chunk without a verdict, so the bundle's gate read it again and refused. Leaving
the probe out of the screen (taken back) let such a page through; without a footer it got
through before too. ``out_of_order`` now reads the boxes of a piece pdfium draws in several
runs (``layout._one_line``), so every build here refuses or writes no name.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from bundler.cli.main import main
from bundler.core.errors import ExitCode
from tests.conftest import require

NAME = "Farida Khanum"
PROTECTED = ("farida", "khanum")
Make = Callable[[Path], None]

_HELVETICA = {"F": 611, "a": 556, "r": 333, "i": 222, "d": 556, " ": 278, "K": 667, "h": 556, "n": 556}
_FILLER = b"BT /F1 11 Tf 72 760 Td (The claimant makes this statement in support of the claim for review.) Tj ET\n"
_FOOTER = b"BT /F1 9 Tf 72 8 Td (Footer line of the exhibit, printed below where the page number goes.) Tj ET\n"


def _width(text: str, size: float = 12) -> float:
    return sum(_HELVETICA[ch] for ch in text) * size / 1000


def _merged_line(y: float = 700, x: float = 72) -> bytes:
    """ "Far", "ida Kha", "num" on one line at ``y``, each placed exactly after the one before;
    between them 40 pt letters ("ZZ", "QQ") on a baseline 20 pt lower, further right. pdfium
    reads it all as one piece, "Far ZZ ida Kha QQ num"; poppler and reading order "Farida Khanum"."""
    a, b = x + _width("Far"), x + _width("Far" + "ida Kha")
    return (
        b"BT /F1 12 Tf 1 0 0 1 %.3f %.3f Tm (Far) Tj /F1 40 Tf 1 0 0 1 %.3f %.3f Tm (ZZ) Tj "
        b"/F1 12 Tf 1 0 0 1 %.3f %.3f Tm (ida Kha) Tj /F1 40 Tf 1 0 0 1 %.3f %.3f Tm (QQ) Tj "
        b"/F1 12 Tf 1 0 0 1 %.3f %.3f Tm (num) Tj ET\n"
    ) % (x, y, x + 230, y - 20, a, y, x + 330, y - 20, b, y)


def _font(writer: PdfWriter, base: str) -> object:
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject(base),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )


def page_pdf(path: Path, content: bytes, rotate: int = 0, size: tuple[int, int] = (612, 792)) -> None:
    """One page drawing ``content``, with /F1 Helvetica and /F2 Courier."""
    writer = PdfWriter()
    page = writer.add_blank_page(*size)
    fonts = DictionaryObject(
        {NameObject(key): _font(writer, base) for key, base in (("/F1", "/Helvetica"), ("/F2", "/Courier"))}
    )
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    if rotate:
        page[NameObject("/Rotate")] = NumberObject(rotate)
    writer.write(str(path))


def _merged(footer: bool, rotate: int = 0) -> Make:
    def make(path: Path) -> None:
        page_pdf(path, _FILLER + _merged_line() + (_FOOTER if footer else b""), rotate)

    return make


def _project(folder: Path, make: Make, *others: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "source.pdf"
    make(source)
    project = folder / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "FK v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "D", "--title", "Exhibit"]) == 0
    assert main(["register", str(project), "add-person", NAME, "--pseudonym", "FK"]) == 0
    for other in others:
        assert main(["register", str(project), "add-person", other, "--pseudonym", "EJ"]) == 0
    return project


def _flat(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", text).casefold()


def _readings(pdf: Path) -> dict[str, str]:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    run = {
        flags: subprocess.run(["pdftotext", *flags, str(pdf), "-"], capture_output=True, text=True)
        for flags in ((), ("-layout",))
    }
    return {f"pdftotext {' '.join(flags)}".strip(): r.stdout for flags, r in run.items()}


def _source_shows_the_name(source: Path, readers: tuple[str, ...] | None = None) -> None:
    """Guards the attack: poppler reads the name in the source itself (each of ``readers``, or all)."""
    for reader, text in _readings(source).items():
        if readers is None or reader in readers:
            assert "faridakhanum" in _flat(text), f"{reader} does not read the name in the source: {text!r}"


def build_holds(folder: Path, make: Make, *others: str, readers: tuple[str, ...] | None = None) -> None:
    """The build refuses with the leak code and writes nothing, or its bundle shows no name.
    ``others``: more people registered; ``readers``: the poppler readings that must show the
    name in the source (the attack's guard; all by default)."""
    project = _project(folder, make, *others)
    _source_shows_the_name(folder / "source.pdf", readers)
    _built_shows_no_name(project, folder)


def _built_shows_no_name(project: Path, folder: Path, also: Callable[[Path], str] | None = None) -> None:
    """Build ``project``: refused with the leak code and nothing written, or no poppler reading
    (nor ``also``'s, when given) of the bundle shows a protected word."""
    out = folder / "public.pdf"
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(folder / "cache"), "--no-ocr"])
    if code == ExitCode.LEAK:
        assert not out.exists()
        return
    assert code == ExitCode.OK, code
    texts = {**_readings(out), **({"other reader": also(out)} if also is not None else {})}
    for reader, text in texts.items():
        found = [p for p in PROTECTED if p in _flat(text)]
        assert not found, f"{reader} reads {found} in the public bundle: {text!r}"


# --- 1. the probe left out of the reading-order screen ---------------------------------------


def test_merged_line_with_a_footer_below_the_stamp_does_not_leak(tmp_path: Path) -> None:
    """The page's last line lies below the stamp: before today the probe, out of place, made the
    chunk search read the page in reading order and the build refused. Now it is left out."""
    build_holds(tmp_path, _merged(footer=True))


@pytest.mark.parametrize("rotate", [90, 270])
def test_merged_line_on_a_turned_page_does_not_leak(tmp_path: Path, rotate: int) -> None:
    """A /Rotate page: the probe is drawn turned against the page's text, so before today every
    such page was read in reading order. Now the probe is left out and the screen calls it in order."""
    build_holds(tmp_path, _merged(footer=False, rotate=rotate))


def test_merged_line_with_no_text_below_the_stamp(tmp_path: Path) -> None:
    """The same line, the page's text all above the stamp: the probe was never out of place,
    so this is the screen's own blind spot (the code before today builds it the same)."""
    build_holds(tmp_path, _merged(footer=False))


def test_a_register_holding_a_probe_character_falls_back(tmp_path: Path) -> None:
    """ "Edward Jones" holds "w": the probe may join it, so it stays in the screen as before."""
    build_holds(tmp_path, _merged(footer=True), "Edward Jones")


def test_own_probe_text_out_of_place_is_still_screened(tmp_path: Path) -> None:
    """The page itself draws "W88888" last, at the top, after a split name: not the stamp's
    piece (the probe comes after it), so the page stays out of order and is read so."""
    after = 72 + _width("Far")
    content = _FILLER + b"BT /F1 12 Tf 72 700 Td (Far) Tj ET\n" + _FOOTER
    content += b"BT /F1 12 Tf %.3f 700 Td (ida Khanum) Tj ET\nBT /F1 10 Tf 400 780 Td (W88888) Tj ET\n" % after
    build_holds(tmp_path, lambda path: page_pdf(path, content))


# --- 2. pypdf's text by table, fonts kept per reading --------------------------------------------


def _raw(objects: dict[int, bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    return bytes(out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_SHOWN = b"<" + bytes(range(0x41, 0x4E)).hex().encode() + b">"  # "ABCDEFGHIJKLM", or the name by /Differences
_DIFFERENCES_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences 12 0 R >> >>"
_LIE = b"/Span <</ActualText (Someone)>> BDC BT /F1 24 Tf 72 600 Td " + _SHOWN + b" Tj ET EMC"


def _shared_differences(path: Path) -> None:
    """Two pages share font B, whose /Differences array is also a Type0 font's /DescendantFonts
    (its first element a reference to 65). Page 2 lists the Type0 font first; pypdf rewrites the
    array while making it and then reads B's codes as the name. PDFium is told "Someone" by
    /ActualText. A font kept from page 1 would read "ABCDEFGHIJKLM" on page 2 too."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << %s >> >> /Contents %d 0 R >>"
    text = b"BT /F1 11 Tf 72 760 Td (The grounds of claim follow below.) Tj ET "
    path.write_bytes(_raw({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        3: page % (b"/F1 10 0 R /F2 14 0 R", 5),
        4: page % (b"/F0 11 0 R /F1 10 0 R /F2 14 0 R", 6),
        5: _stream(text.replace(b"/F1", b"/F2") + _LIE),
        6: _stream(text.replace(b"/F1", b"/F2") + _LIE),
        10: _DIFFERENCES_FONT,
        11: b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts 12 0 R >>",
        12: b"[13 0 R /F /a /r /i /d /a /space /K /h /a /n /u /m]",
        13: b"65",
        14: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }))  # fmt: skip


def _shared_font_many_pages(path: Path) -> None:
    """One font dictionary on 30 pages; the name drawn (coded through /Differences, under a lying
    /ActualText) only on the last: kept fonts must read it there as pypdf does."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 10 0 R >> >>"
    page += b" /Contents %d 0 R >>"
    plain = b"BT /F1 11 Tf 72 760 Td <" + b"ABCDEF".hex().encode() + b"> Tj ET"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count 30 >>" % b" ".join(b"%d 0 R" % (100 + n) for n in range(30)),
        10: _DIFFERENCES_FONT,
        12: b"[65 /F /a /r /i /d /a /space /K /h /a /n /u /m]",
    }
    for n in range(30):
        objects[100 + n] = page % (200 + n)
        objects[200 + n] = _stream(plain + (b" " + _LIE if n == 29 else b""))
    path.write_bytes(_raw(objects))


@pytest.mark.parametrize(
    "make", [_shared_differences, _shared_font_many_pages], ids=["shared-differences", "shared-font-30-pages"]
)
def test_pypdf_only_name_is_refused(tmp_path: Path, make: Make) -> None:
    """pypdf's own text of the source holds the name; PDFium's does not: the build must refuse
    (or, if it writes a bundle, pypdf's text of it must not hold the name either)."""
    from pypdf import PdfReader

    project = _project(tmp_path, make)
    source = tmp_path / "source.pdf"
    assert "faridakhanum" in _flat("".join(p.extract_text() for p in PdfReader(source).pages))
    _built_shows_no_name(project, tmp_path, lambda out: "".join(p.extract_text() for p in PdfReader(out).pages))
