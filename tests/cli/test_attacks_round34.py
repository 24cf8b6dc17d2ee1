"""Round 34: attacks on the anonymiser as it stands at e9be45b (round 32's fixes: kept links without
their appearance, ``gate.places._appearance_shows_text``, image masks applied before OCR in
``pdf.images._masked`` / ``_stencilled`` / ``_keyed``; round 30/31's soft-mask and Type3 checks in
``glyphs.vectors`` and ``glyphs.doubt``).

Both leaks are fixed (``test_fixed_*``); see each item's last sentences.

A failing test here (``test_LEAK_*``) is a real leak: pdftotext (default mode) shows the name in
the public bundle built through the CLI ("Farida Khanum" registered, pseudonym FK), or the page
drawn in the built bundle shows the name to the eye (read back by Tesseract from poppler's
rendering, ``pdftoppm`` at 150 and 300 dpi) where the product claims to read it; or (unit level,
``Target("Farida Khanum")`` only) the gate (``leak_scan``) passes a page on which pdftotext or
the rendering shows the name.

LEAKS
1. (the eye; OCR on AND off) Text inside a tiling pattern, in a font whose codes are not the
   name (``_pattern_page``). The page shows "The statement of " (Helvetica 14) and fills a
   rectangle just after it with ``/Pattern cs /P1 scn 190 690 150 25 re f``; /P1 is a coloured
   tiling pattern (one tile, 400 x 100, /Matrix placing it at 190 695) whose cell shows
   ``(qwxyzw jvwtsp) Tj`` in /F2: (a) ``differences``: Helvetica with ``/Differences`` naming q w
   x y z j v t s p as F a r i d K h n u m (standard glyph names: a font known for certain);
   (b) ``type3``: a Type3 font whose glyph procedures each show their letter of the name in
   Helvetica (round 28's shapes), named after their codes. No text engine reads a pattern's
   cell: pdftotext, PDFium and pypdf all read "The statement of" / "The claimant makes ...";
   the rendering (poppler, PDFium) shows "The statement of Farida Khanum" (Tesseract reads it at
   150 or 300 dpi; at 14 pt it reads "Knanum" at one of them). Why missed: (i) without OCR,
   nothing looks into a pattern's text: the gate's raw stream scan reads the codes
   ("qwxyzw jvwtsp"), ``glyphs.doubt._resource_fonts`` walks the page's fonts,
   Type3 fonts' and forms' resources (``resource_forms``: /XObject only), never /Pattern, so the
   Type3 font of (b) is never asked ``_type3_shapes``; ``unread_text`` looks for text in soft
   masks only. The README says "A page that draws a protected term where no engine's text
   shows it (a font whose character map disguises the letters, a tiling pattern) is refused":
   it is not. (ii) With OCR, the tiling pattern makes ``vectors.may_draw_words`` True, but
   ``drawn_words`` reads ``_text_removed(page)``, which takes every ``BT`` ... ``ET`` out of the
   patterns too (``_children`` yields them): the one place the name is drawn is removed before
   OCR, as if a text engine read it, which none does; ``type3_pictures`` looks for ``Do``/``BI``
   in glyphs only (and not in patterns' fonts). CLI builds (``--no-ocr`` and with OCR, both
   fonts): exit 0, "leak gate: passed", 0 redactions, the public page shows "The statement of
   Farida Khanum". With the name written plainly in the pattern (``(Farida Khanum) Tj``) the raw
   stream scan sees it and the build refuses (held). Where: ``glyphs/vectors.py``
   ``_text_removed`` (text in patterns stripped) and ``glyphs/doubt.py`` ``_resource_fonts``
   (patterns not walked), and the gate has no check of its own. Fix: text shown inside a
   tiling pattern (at any depth: ``shows_text`` of every /Pattern that ``_children`` yields) is
   text no engine reads: make it a page doubt like ``unread_text`` (refused without OCR, read
   from the page's pixels with it), and keep pattern text in ``_text_removed`` (strip only the
   page's and its forms' text objects, the ones the engines read); walk /Pattern resources in
   ``_resource_fonts`` and ``type3_pictures`` too.
   FIXED: a page whose tiling patterns show text is in doubt, as one whose soft masks do
   (``vectors.unread_text``, which replaces ``masked_text``).

2. (the eye, OCR ON) A colour-keyed picture whose /Decode makes every sample look alike
   (``_keyed_picture``). The page shows "The statement of " and a picture of "Farida Khanum"
   (DejaVu Sans 64 px, 487 x 90, drawn 122 x 22 pt) where the name would go: (a) ``decode``: 8-bit
   grey, samples 0 on the letters and 255 around, ``/Decode [0 0]`` (every sample painted black)
   and ``/Mask [255 255]`` (a colour key: samples of 255 not painted); (b) ``rgb decode`` the
   same in DeviceRGB (``/Decode`` six zeros, ``/Mask`` six 255s); (c) ``4-bit``: 4 bits a sample,
   0 on the letters and 15 around, ``/Decode [0 0]``, ``/Mask [15 15]``. The PDF spec compares a
   colour key with the image's samples as stored, before /Decode: poppler and PDFium paint the
   letters black and nothing around them, "The statement of Farida Khanum" (Tesseract reads it).
   No text reader reads a picture. Why missed: ``pdf.images.pictures`` takes pypdf's decoded
   image, to which pypdf has applied /Decode (``_apply_decode``: every sample 0) and scaled
   low-bit samples to 0..255 (4-bit 15 -> 255); ``_keyed`` then compares the key's ranges with
   those values: no sample is 255 (or 15) any more, nothing is made transparent, and the picture
   read is a black block (extrema (0, 0)): OCR reads nothing. CLI build WITH OCR: exit 0, 0
   redactions, the gate passes, the public page shows the name. The same picture keyed without a
   /Decode (round 32's colour key), and an Indexed picture whose two palette entries are both
   black keyed by index, are read (held). Where: ``pdf/images.py`` ``_keyed`` (and ``_masked``,
   which hands it pypdf's decoded pixels). Fix: build the colour-key alpha from the raw samples
   (``xobject.get_data()`` unpacked at /BitsPerComponent, per component, before /Decode and
   before any palette or bit-depth scaling), or read a keyed or masked picture as drawn: render
   its place on the page with PDFium and OCR that.
   FIXED: ``images._keyed`` compares the key with the samples as stored (``_stored_samples``:
   before /Decode, a palette or the spreading of 1, 2 and 4 bits; JPEGs and 16 bits as decoded).

HELD (``test_held_*``)
- Leak 1 with the name written plainly in the pattern's text: the gate's raw scan reads it, the
  build (``--no-ocr``) refuses.
- Leak 2 without the /Decode (samples 0 and 255, ``/Mask [255 255]``): ``_keyed`` makes the
  background transparent, OCR reads the name, the build with OCR refuses or boxes it.
- Leak 2 as an Indexed picture (two palette entries, both black; ``/Mask [1 1]`` on the index):
  pypdf gives a palette image, ``_keyed`` keys the index, OCR reads the name.

NOT TRIED (time): /SMask with /Matte or a /Decode, /SMaskInData (JPX), luminosity masks with
/BC or /TR, letters drawn with straight lines only (no curve for ``curve_count``), annotation
types other than links, arcs with decoy letters.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NumberObject

from bundler.core.anonymise.pdf.images import ImageReader, pictures
from tests.cli.test_attacks_round3 import _flat
from tests.cli.test_attacks_round21 import _w
from tests.cli.test_attacks_round30 import _PAIRS, _glyphs
from tests.cli.test_attacks_round32 import (
    _LINES,
    _NAME,
    _SHOWN,
    _build,
    _gate_passes,
    _helvetica,
    _n,
    _name_differences,
    _name_picture,
    _numbers,
    _pdfium_text,
    _pdftotext,
    _reads_name,
    _stream,
    _text_page,
)
from tests.conftest import require

Make = Callable[[Path], None]


def _needs_tesseract(folder: Path) -> None:
    require(ImageReader(folder / "probe").available, "tesseract")


def _seen(pdf: Path, page: int, folder: Path) -> str:
    """What Tesseract reads on poppler's rendering of ``page`` (from 1) at 150 and at 300 dpi (the
    eye's proxy: at 14 pt Tesseract takes the "h" of "Khanum" for an "n" at one or the other)."""
    require(shutil.which("pdftoppm") is not None and shutil.which("tesseract") is not None, "pdftoppm, tesseract")
    readings = []
    for dpi in (150, 300):
        stem = folder / f"seen-{page}-{dpi}"
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf)]
            + [str(stem)],
            check=True,
            capture_output=True,
        )
        run = subprocess.run(["tesseract", str(stem.with_suffix(".png")), "-"], capture_output=True, text=True)
        readings.append(run.stdout)
    return "\n----\n".join(readings)


def _shows_name(seen: str) -> bool:
    return any("faridakhanum" in _flat(reading) for reading in seen.split("\n----\n"))


def _built_shows_no_name(folder: Path, make: Make, *, ocr: bool) -> None:
    """Refused (nothing written), or no page of the bundle shows the name to pdftotext nor to the
    eye (Tesseract on poppler's rendering of the exhibit's page, the last)."""
    out = _build(folder, make, ocr)
    if out is None:
        return
    assert not _reads_name(_pdftotext(out)), f"pdftotext reads the name in the public bundle: {_pdftotext(out)!r}"
    seen = _seen(out, len(PdfReader(out).pages), folder)
    assert not _shows_name(seen), f"the public bundle's page shows the name: {seen!r}"


# --- 1. text in a tiling pattern ---------------------------------------------------------------------


def _type3_font(writer: PdfWriter, helvetica: object) -> object:
    """A Type3 font whose glyph for each code of ``_SHOWN`` shows its letter of the name in
    Helvetica, the glyphs named after their codes (q, w, x, ...)."""
    chars, resources = _glyphs(writer, helvetica, "text")
    codes = [code for code, _ in _PAIRS]
    widths = {code: round(_w(letter, 1000)) for code, letter in _PAIRS}
    names = [item for c in codes for item in (NumberObject(c), _n("/space" if c == 32 else "/" + chr(c)))]
    return writer._add_object(
        DictionaryObject(
            {
                _n("/Type"): _n("/Font"),
                _n("/Subtype"): _n("/Type3"),
                _n("/FontBBox"): _numbers(0, -250, 1000, 900),
                _n("/FontMatrix"): _numbers(0.001, 0, 0, 0.001, 0, 0),
                _n("/CharProcs"): chars,
                _n("/Encoding"): DictionaryObject(
                    {_n("/Type"): _n("/Encoding"), _n("/Differences"): ArrayObject(names)}
                ),
                _n("/FirstChar"): NumberObject(codes[0]),
                _n("/LastChar"): NumberObject(codes[-1]),
                _n("/Widths"): ArrayObject([NumberObject(widths.get(c, 0)) for c in range(codes[0], codes[-1] + 1)]),
                _n("/Resources"): resources,
            }
        )
    )


def _pattern_page(font: str) -> Make:
    """ "The statement of " (Helvetica 14), then a rectangle filled with a tiling pattern whose one
    tile shows ``_SHOWN`` at 14 pt in /F2, where the name would go: ``differences``, Helvetica
    with ``_name_differences``; ``type3``, ``_type3_font``; ``plain``, the name in Helvetica."""

    def make(path: Path) -> None:
        writer = PdfWriter()
        page = _text_page(writer)
        helvetica = page["/Resources"]["/Font"].raw_get("/F1")
        inner = {"differences": lambda: _helvetica(writer, _name_differences()), "plain": lambda: helvetica}
        f2 = inner[font]() if font in inner else _type3_font(writer, helvetica)
        shown = (_NAME if font == "plain" else _SHOWN).encode()
        pattern = _stream(
            writer,
            b"BT /F2 14 Tf 2 5 Td (%s) Tj ET" % shown,
            {
                "/Type": _n("/Pattern"),
                "/PatternType": NumberObject(1),
                "/PaintType": NumberObject(1),
                "/TilingType": NumberObject(1),
                "/BBox": _numbers(0, 0, 400, 100),
                "/XStep": NumberObject(400),
                "/YStep": NumberObject(100),
                "/Matrix": _numbers(1, 0, 0, 1, 190, 695),
                "/Resources": DictionaryObject({_n("/Font"): DictionaryObject({_n("/F2"): f2})}),
            },
        )
        page["/Resources"][_n("/Pattern")] = DictionaryObject({_n("/P1"): pattern})
        page[_n("/Contents")] = _stream(writer, _LINES + b"q /Pattern cs /P1 scn 190 690 150 25 re f Q\n")
        writer.write(str(path))

    return make


_PATTERN_FONTS = ["differences", "type3"]


@pytest.mark.parametrize("font", _PATTERN_FONTS)
def test_fixed_pattern_text_gate_passes(tmp_path: Path, font: str) -> None:
    pdf = tmp_path / "source.pdf"
    _pattern_page(font)(pdf)
    assert _shows_name(_seen(pdf, 1, tmp_path)), "guard: the page shows the name"
    texts = [_pdftotext(pdf), _pdfium_text(pdf), PdfReader(pdf).pages[0].extract_text()]
    assert not any("Farida" in text for text in texts), f"guard: no text engine reads a pattern's text: {texts!r}"
    assert not _gate_passes(pdf), "the gate passes a page whose tiling pattern shows the name (no engine reads it)"


@pytest.mark.parametrize("ocr", [False, True], ids=["no-ocr", "ocr"])
@pytest.mark.parametrize("font", _PATTERN_FONTS)
def test_fixed_pattern_text_cli(tmp_path: Path, font: str, ocr: bool) -> None:
    if ocr:
        _needs_tesseract(tmp_path)
    _built_shows_no_name(tmp_path, _pattern_page(font), ocr=ocr)


def test_held_pattern_text_plainly_written_is_refused(tmp_path: Path) -> None:
    make = _pattern_page("plain")
    make(tmp_path / "shown.pdf")
    assert _shows_name(_seen(tmp_path / "shown.pdf", 1, tmp_path)), "guard: the page shows the name"
    assert _build(tmp_path, make, ocr=False) is None, "the build writes a bundle whose pattern spells the name"


# --- 2. a colour-keyed picture whose /Decode makes every sample alike (OCR on) -----------------------


def _four_bit(values: list[int], width: int) -> bytes:
    """``values`` (0..15, row by row) packed two a byte, each row padded to a whole byte."""
    rows = []
    for top in range(0, len(values), width):
        row = values[top : top + width] + [0] * (width % 2)
        rows.append(bytes((row[i] << 4) | row[i + 1] for i in range(0, len(row), 2)))
    return b"".join(rows)


def _keyed_picture(kind: str) -> Make:
    """ "The statement of " then a picture of the name where it would go, its letters told from
    the rest only by a colour key (``/Mask``) on the samples as stored: ``decode``, 8-bit grey, 0
    on the letters and 255 around, ``/Decode [0 0]``, ``/Mask [255 255]``; ``rgb decode``, the
    same in DeviceRGB; ``4-bit``, 0 and 15, ``/Decode [0 0]``, ``/Mask [15 15]``; ``no decode``,
    0 and 255 keyed, no /Decode; ``indexed``, indices 0 and 1 of a palette both black, ``/Mask
    [1 1]``."""

    def make(path: Path) -> None:
        writer = PdfWriter()
        image = _name_picture()
        width, height = image.size
        letters = [v < 128 for v in image.tobytes()]
        entries: dict[str, object] = {
            "/Type": _n("/XObject"),
            "/Subtype": _n("/Image"),
            "/Width": NumberObject(width),
            "/Height": NumberObject(height),
            "/ColorSpace": _n("/DeviceGray"),
            "/BitsPerComponent": NumberObject(8),
        }
        components = 1
        if kind == "rgb decode":
            components = 3
            entries["/ColorSpace"] = _n("/DeviceRGB")
        if kind == "4-bit":
            samples = _four_bit([0 if dark else 15 for dark in letters], width)
            entries["/BitsPerComponent"] = NumberObject(4)
            key = 15
        elif kind == "indexed":
            samples = bytes(0 if dark else 1 for dark in letters)
            entries["/ColorSpace"] = ArrayObject(
                [_n("/Indexed"), _n("/DeviceGray"), NumberObject(1), _stream(writer, b"\x00\x00")]
            )
            key = 1
        else:
            samples = b"".join(bytes([0 if dark else 255] * components) for dark in letters)
            key = 255
        if kind in ("decode", "rgb decode", "4-bit"):
            entries["/Decode"] = ArrayObject([NumberObject(0)] * (2 * components))
        entries["/Mask"] = ArrayObject([NumberObject(key)] * (2 * components))
        picture = _stream(writer, samples, entries)
        page = _text_page(writer, DictionaryObject({_n("/XObject"): DictionaryObject({_n("/Im"): picture})}))
        placed = b"q %.2f 0 0 %.2f 190 692 cm /Im Do Q\n" % (width * 0.25, height * 0.25)
        page[_n("/Contents")] = _stream(writer, _LINES + placed)
        writer.write(str(path))

    return make


_DECODED = ["decode", "rgb decode", "4-bit"]


def _pictures_read(pdf: Path, folder: Path) -> list[str]:
    reader = ImageReader(folder / "ocr")
    require(reader.available, "tesseract")
    return [reader.text(image) for image in pictures(PdfReader(pdf).pages[0])]


@pytest.mark.parametrize("kind", _DECODED)
def test_fixed_keyed_picture_with_decode_is_read_as_a_block(tmp_path: Path, kind: str) -> None:
    pdf = tmp_path / "source.pdf"
    _keyed_picture(kind)(pdf)
    assert _shows_name(_seen(pdf, 1, tmp_path)), "guard: the page shows the name"
    read = _pictures_read(pdf, tmp_path)
    assert any("faridakhanum" in _flat(text) for text in read), f"the picture is read as a block: {read!r}"


@pytest.mark.parametrize("kind", _DECODED)
def test_fixed_keyed_picture_with_decode_ocr_cli(tmp_path: Path, kind: str) -> None:
    _needs_tesseract(tmp_path)
    _built_shows_no_name(tmp_path, _keyed_picture(kind), ocr=True)


@pytest.mark.parametrize("kind", ["no decode", "indexed"])
def test_held_keyed_picture_is_read(tmp_path: Path, kind: str) -> None:
    pdf = tmp_path / "source.pdf"
    _keyed_picture(kind)(pdf)
    assert _shows_name(_seen(pdf, 1, tmp_path)), "guard: the page shows the name"
    read = _pictures_read(pdf, tmp_path)
    assert any("faridakhanum" in _flat(text) for text in read), f"the picture is read as a block: {read!r}"


def test_held_keyed_picture_without_decode_ocr_cli(tmp_path: Path) -> None:
    _needs_tesseract(tmp_path)
    _built_shows_no_name(tmp_path, _keyed_picture("no decode"), ocr=True)
