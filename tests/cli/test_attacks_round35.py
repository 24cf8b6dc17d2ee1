"""Round 35: attacks on the anonymiser as it stands at a075e85 (rounds 32-34's fixes), aimed at
page geometry, optional content and annotations. The one leak found lies beside them: how deep
forms nest and where a form finds its resources.

The leak is fixed (``test_fixed_*``); see its last sentences.

A failing test here (``test_LEAK_*``) is a real leak: pdftotext (default mode) shows the name in
the public bundle built through the CLI ("Farida Khanum" registered, pseudonym FK), or the page
drawn in the built bundle shows the name to the eye (read back by Tesseract from poppler's
rendering, ``pdftoppm``); or (unit level, ``Target("Farida Khanum")`` only) the gate
(``leak_scan``) passes a page on which pdftotext shows the name.

LEAKS
1. (pdftotext, and the eye; OCR on AND off) The name shown in a form XObject nested 45 forms
   deep, the innermost form WITHOUT /Resources of its own (``_nested_page``). The page shows "The
   statement of " (Helvetica 14) and then ``q 1 0 0 1 190 700 cm /X Do Q``; /X is a form whose
   content is ``/X Do`` with its own /Resources naming the next form /X, and so on 45 times; the
   innermost form shows ``BT /F2 14 Tf 0 0 Td (qwxyzw jvwtsp) Tj ET`` and has no /Resources: /F2
   (Helvetica with ``/Differences`` naming q w x y z j v t s p as F a r i d K h n u m, standard
   glyph names: a font known for certain, no doubt) is in the PAGE's /Resources /Font. Readers:
   poppler goes down forms up to 100 deep (``Gfx::doForm``'s ``formDepth``) and looks up a
   resource-less form's names in the resources of what drew it, up to the page's: pdftotext
   reads "The statement of Farida Khanum", and the rendering shows it (Tesseract reads it).
   PDFium stops parsing forms below 40 levels (``CPDF_Form`` level limit; at 39 chain forms it
   still reads the name, at 40 it does not): "The statement of" / "The claimant makes ...".
   pypdf's ``extract_text`` goes down the 45 forms, but finds no /Resources on the innermost one
   and does not fall back to its parents', so it cannot read /F2: its text has no name either
   (at depth 0 PDFium reads the name: held). The gate's raw stream scan reads the codes
   ("qwxyzw jvwtsp"). Why missed: the redactor and the gate read page text with PDFium and pypdf
   only, and each of them is blind here for its own reason; nothing counts form nesting or
   notices a form that names a font it has no resources for. Font doubts
   (``glyphs.doubt._resource_fonts``) stop at ``_MAX_DEPTH`` 12 and look at /Resources only, but
   the font is the page's own and honest anyway. CLI builds (``--no-ocr`` and with OCR): exit 0,
   "leak gate: passed", 0 redactions, pdftotext of the public bundle reads "The statement of
   Farida Khanum" and the page shows it. Where: ``gate/places.py`` (``pdfium_pages`` and the pypdf
   text), the redactor's PDFium reading (``pdf/locate.py``), ``glyphs/doubt.py``. Fix: refuse (or
   make a doubt of, OCR'ing it) a page whose forms nest deeper than PDFium parses (say 32 levels,
   counted along every ``Do`` path, patterns and Type3 glyphs included) and any form or pattern
   without /Resources of its own that uses a resource name (``Tf``, ``Do``, ``gs``, ``cs``, ``sh``,
   ``scn`` /name, ``BDC`` /name); or, in the sanitiser, flatten form nesting beyond a few levels
   and copy the inherited resources into every resource-less form, so that all three engines
   read the same thing.
   FIXED: a page whose forms (patterns, soft masks' groups, Type3 glyphs) nest deeper than 24
   levels, or in a cycle, is in doubt (``vectors.too_deep``).

HELD (``test_held_*``)
- Leak 1 with the innermost form's own /Resources (/F2 there): pypdf reads "Farida Khanum" 45
  forms down; the gate refuses the page.
- Leak 1 with no nesting (the resource-less form drawn straight from the page): PDFium reads the
  name (it looks the font up in the page's resources); the gate refuses.
- Leak 1 at 39 chain forms: PDFium still reads the name; the gate refuses.
- The name in Helvetica on a page with ``/Rotate`` 450 or -90 (odd values poppler and PDFium
  reduce to 90 and 270): PDFium reads it; the gate refuses.
- The name in Helvetica on a page whose /CropBox is offset from its /MediaBox and leaves the name
  outside (crop 200 0 612 792, and 0 0 612 400): pdftotext (this poppler) does not crop, and
  reads it; PDFium reads it; the gate refuses.

NOT TRIED (time): /UserUnit with the stamp, /Rotate 45, inherited boxes from /Pages, broken
/Contents pieces and unsupported filters in a /Filter array; optional content /Usage /Print,
/Configs, /OCMD /VE (note: the sanitiser's ``layers._is_hidden`` ignores /VE, and
``drop_hidden_content`` cuts hidden content at the page's top level only, never inside forms,
whose /OC it then pops; the redactor reads hidden text with PDFium anyway, and OCR renders a
copy of the page without /OCProperties, so hidden content is read before it shows); widget /AS
and /D states, FreeText /DS, annotations /F hidden but printed (all but links go, and
``flatten_form`` skips Hidden/NoView widgets). Also: the nesting limit against patterns and
Type3 glyphs (PDFium's level counts them too?), and leak 1 with the inherited font a doubt one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NumberObject

from tests.cli.test_attacks_round3 import _flat
from tests.cli.test_attacks_round32 import (
    _LINES,
    _NAME,
    _build,
    _gate_passes,
    _helvetica,
    _n,
    _name_differences,
    _numbers,
    _pdfium_text,
    _pdftotext,
    _reads_name,
    _seen,
    _stream,
    _text_page,
)

Make = Callable[[Path], None]

_DEEP = 45  # forms above the innermost: PDFium parses no deeper than 40 levels, poppler 100


def _form(entries: dict[str, object] | None = None) -> dict[str, object]:
    return {"/Type": _n("/XObject"), "/Subtype": _n("/Form"), "/BBox": _numbers(0, 0, 400, 50), **(entries or {})}


def _nested_page(depth: int = _DEEP, own_resources: bool = False) -> Make:
    """ "The statement of " (Helvetica 14), then a chain of ``depth`` forms, each drawing the next
    (``/X Do``, with its own /Resources naming it), down to a form showing ``qwxyzw jvwtsp`` in
    /F2 (Helvetica, /Differences naming the codes as the name's letters) at 190 700. /F2 is in the
    innermost form's /Resources when ``own_resources``; else that form has none, and /F2 is the
    page's."""

    def make(path: Path) -> None:
        writer = PdfWriter()
        page = _text_page(writer)
        f2 = _helvetica(writer, _name_differences())
        fonts = DictionaryObject({_n("/F2"): f2})
        shown = b"BT /F2 14 Tf 0 0 Td (qwxyzw jvwtsp) Tj ET"
        if own_resources:
            inner = _stream(writer, shown, _form({"/Resources": DictionaryObject({_n("/Font"): fonts})}))
        else:
            page["/Resources"]["/Font"][_n("/F2")] = f2
            inner = _stream(writer, shown, _form())
        for _ in range(depth):
            resources = DictionaryObject({_n("/XObject"): DictionaryObject({_n("/X"): inner})})
            inner = _stream(writer, b"/X Do", _form({"/Resources": resources}))
        page["/Resources"][_n("/XObject")] = DictionaryObject({_n("/X"): inner})
        page[_n("/Contents")] = _stream(writer, _LINES + b"q 1 0 0 1 190 700 cm /X Do Q\n")
        writer.write(path)

    return make


def _plain_page(rotate: int | None = None, crop: tuple[float, ...] | None = None) -> Make:
    """ "The statement of Farida Khanum" in Helvetica, with the /Rotate or /CropBox given."""

    def make(path: Path) -> None:
        writer = PdfWriter()
        page = _text_page(writer)
        page[_n("/Contents")] = _stream(
            writer,
            b"BT /F1 14 Tf 72 700 Td (The statement of Farida Khanum) Tj ET\n"
            b"BT /F1 14 Tf 72 660 Td (The claimant makes a statement to the court.) Tj ET\n",
        )
        if rotate is not None:
            page[_n("/Rotate")] = NumberObject(rotate)
        if crop is not None:
            page[_n("/CropBox")] = _numbers(*crop)
        writer.write(path)

    return make


def _source(folder: Path, make: Make) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "source.pdf"
    make(pdf)
    return pdf


# --- 1. the name in a form nested deeper than PDFium reads, its font the page's -------------------


def test_fixed_deep_resource_less_form_passes_the_gate(tmp_path: Path) -> None:
    """pdftotext reads the name; PDFium (too deep) and pypdf (no resources) do not; the gate passes."""
    pdf = _source(tmp_path, _nested_page())
    assert _reads_name(_pdftotext(pdf)), _pdftotext(pdf)
    assert _NAME not in _pdfium_text(pdf)
    assert _NAME not in (PdfReader(pdf).pages[0].extract_text() or "")
    assert not _gate_passes(pdf), "the gate passes a page on which pdftotext reads the name"


@pytest.mark.parametrize("ocr", [False, True], ids=["no-ocr", "ocr"])
def test_fixed_deep_resource_less_form_cli(tmp_path: Path, ocr: bool) -> None:
    """CLI build: the public bundle's text and page show "Farida Khanum"."""
    out = _build(tmp_path, _nested_page(), ocr)
    if out is None:
        return
    text = _pdftotext(out)
    assert not _reads_name(text), f"pdftotext reads the name in the public bundle: {text!r}"
    seen = _seen(out, len(PdfReader(out).pages), tmp_path)
    assert "faridakhanum" not in _flat(seen), f"the public bundle's page shows the name: {seen!r}"


def test_held_deep_form_with_its_own_resources(tmp_path: Path) -> None:
    """pypdf reads the innermost form's font 45 forms down: the gate refuses."""
    pdf = _source(tmp_path, _nested_page(own_resources=True))
    assert _reads_name(_pdftotext(pdf))
    assert _NAME in PdfReader(pdf).pages[0].extract_text()
    assert not _gate_passes(pdf)


@pytest.mark.parametrize("depth", [0, 39])
def test_held_resource_less_form_within_pdfium_reach(tmp_path: Path, depth: int) -> None:
    """Drawn from the page, or 39 forms down, PDFium reads the name: the gate refuses."""
    pdf = _source(tmp_path, _nested_page(depth))
    assert _reads_name(_pdftotext(pdf))
    assert _NAME in _pdfium_text(pdf)
    assert not _gate_passes(pdf)


# --- page geometry --------------------------------------------------------------------------------


@pytest.mark.parametrize("rotate", [450, -90])
def test_held_odd_rotate(tmp_path: Path, rotate: int) -> None:
    pdf = _source(tmp_path, _plain_page(rotate=rotate))
    assert _reads_name(_pdftotext(pdf))
    assert not _gate_passes(pdf)


def test_held_name_outside_an_offset_crop_box(tmp_path: Path) -> None:
    """Text outside the crop box: pdftotext and PDFium read it both; the gate refuses."""
    pdf = _source(tmp_path, _plain_page(crop=(0, 0, 612, 400)))
    assert _reads_name(_pdftotext(pdf))
    assert _NAME in _pdfium_text(pdf)
    assert not _gate_passes(pdf)
