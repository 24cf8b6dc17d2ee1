"""What used to be refused is cleaned: photo metadata, a source's page labels, text in a
tiling pattern, a hidden layer. Each through the real CLI build, read back with pdfminer.six,
poppler's pdftotext and the raw bytes; and with the redactor and the sanitiser broken, the
gate still stops each one that would otherwise leak.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.errors import ExitCode
from tests.conftest import require

NAME = "Farida Khanum"
KEPT = "The grounds of claim follow below."


def _photo(path: Path) -> Path:
    exif = Image.Exif()
    exif[0x013B] = NAME  # Artist
    exif[0x010E] = f"Photo of {NAME}"  # ImageDescription
    Image.new("RGB", (200, 100), "white").save(path, "JPEG", exif=exif.tobytes())
    return path


def _base(path: Path, image: Path | None = None) -> PdfWriter:
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, KEPT)
    if image is not None:
        pdf.drawImage(str(image), 72, 500, 200, 100)
    pdf.save()
    return PdfWriter(clone_from=str(path))


def _append(writer: PdfWriter, data: bytes) -> None:
    page = writer.pages[0]
    stream = DecodedStreamObject()
    stream.set_data(data)
    old = page["/Contents"]
    old = old if isinstance(old, IndirectObject) else writer._add_object(old)
    page[NameObject("/Contents")] = ArrayObject([old, writer._add_object(stream)])


def _exif_pdf(path: Path) -> None:
    _base(path, _photo(path.with_suffix(".jpg"))).write(str(path))


def _labels_pdf(path: Path) -> None:
    writer = _base(path)
    label = DictionaryObject({NameObject("/S"): NameObject("/D"), NameObject("/P"): TextStringObject("Khanum-")})
    writer.root_object[NameObject("/PageLabels")] = DictionaryObject(
        {NameObject("/Nums"): ArrayObject([NumberObject(0), label])}
    )
    writer.write(str(path))


def _pattern_pdf(path: Path) -> None:
    writer = _base(path)
    resources = writer.pages[0]["/Resources"]
    pattern = DecodedStreamObject()
    pattern.set_data(f"BT /F1 10 Tf 0 5 Td ({NAME}) Tj ET".encode())
    numbers = {"/PatternType": 1, "/PaintType": 1, "/TilingType": 1, "/XStep": 120, "/YStep": 20}
    pattern.update({NameObject(k): NumberObject(v) for k, v in numbers.items()})
    pattern[NameObject("/BBox")] = ArrayObject([NumberObject(v) for v in (0, 0, 120, 20)])
    pattern[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): resources["/Font"]})
    resources[NameObject("/Pattern")] = DictionaryObject({NameObject("/P0"): writer._add_object(pattern)})
    _append(writer, b"q /Pattern cs /P0 scn 72 300 240 60 re f Q")
    writer.write(str(path))


def _hidden_layer_pdf(path: Path, hidden: bool = True) -> None:
    writer = _base(path)
    group = writer._add_object(
        DictionaryObject({NameObject("/Type"): NameObject("/OCG"), NameObject("/Name"): TextStringObject("Notes")})
    )
    default = DictionaryObject({NameObject("/OFF" if hidden else "/ON"): ArrayObject([group])})
    writer.root_object[NameObject("/OCProperties")] = DictionaryObject(
        {NameObject("/OCGs"): ArrayObject([group]), NameObject("/D"): default}
    )
    writer.pages[0]["/Resources"][NameObject("/Properties")] = DictionaryObject({NameObject("/MC0"): group})
    _append(writer, f"/OC /MC0 BDC BT /F1 12 Tf 72 600 Td ({NAME} lives here) Tj ET EMC".encode())
    writer.write(str(path))


SOURCES = {"photo-exif": _exif_pdf, "page-labels": _labels_pdf, "tiling-pattern": _pattern_pdf}
SOURCES["hidden-layer"] = _hidden_layer_pdf


def _project(tmp_path: Path, kind: str) -> Path:
    source = tmp_path / f"{kind}.pdf"
    SOURCES[kind](source)
    project = tmp_path / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "D", "--title", "Exhibit"]) == 0
    assert main(["register", str(project), "add-person", NAME, "--pseudonym", "AB"]) == 0
    return project


def _build(project: Path, out: Path) -> int:
    return main(["build", str(project), "-o", str(out), "--cache-dir", str(project.parent / "cache"), "--no-ocr"])


def _everything(pdf: Path) -> str:
    """pdftotext, pdfminer.six, page labels, and every object's raw bytes inflated."""
    from pdfminer.high_level import extract_text

    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    poppler = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    reader = PdfReader(pdf)
    raw = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        raw.append(repr(obj))
        if hasattr(obj, "get_data"):
            raw.append(obj.get_data().decode("latin-1"))
    return "\n".join([poppler, extract_text(str(pdf)), *reader.page_labels, *raw])


@pytest.mark.parametrize("kind", sorted(set(SOURCES) - {"tiling-pattern"}))
def test_cleaned_not_refused(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, kind), out) == ExitCode.OK
    text = _everything(out)
    assert "khanum" not in text.casefold() and "farida" not in text.casefold()
    assert KEPT in text
    labels = PdfReader(out).page_labels
    assert labels == [str(n) for n in range(1, len(labels) + 1)] or all(not label[-1:].isalpha() for label in labels)


def test_a_name_a_pattern_draws_is_refused_without_ocr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No engine reports a tiling pattern's text (in whatever font, its codes disguised or not:
    round 34), so without OCR nothing can find a name in it: the build refuses, naming the file
    and page and saying to build with OCR (which reads the page from its pixels and boxes what
    it reads there), or to leave the document out."""
    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, "tiling-pattern"), out) == ExitCode.LEAK
    err = capsys.readouterr().err
    assert not out.exists() and "'tiling-pattern.pdf' page(s) 1" in err and "OCR switched on" in err


@pytest.mark.parametrize("kind", ["photo-exif", "tiling-pattern", "hidden-layer"])
def test_with_redactor_and_sanitiser_broken_the_gate_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import bundler.core.anonymise.pdf.redact as pdf_redact
    import bundler.core.build.chunks.make as chunk_make
    import bundler.core.build.gated as gated

    def copy(src, dst, targets, boxes=(), **kw):  # type: ignore[no-untyped-def]
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)
    monkeypatch.setattr(gated, "sanitise_writer", lambda writer, **kw: [])
    monkeypatch.setattr(chunk_make, "sanitise_pages", lambda writer, *a: [])
    monkeypatch.setattr(chunk_make, "drop_hidden_content", lambda writer, hidden: 0)
    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, kind), out) == ExitCode.LEAK
    assert not out.exists()


def test_photo_metadata_goes_even_with_the_redactor_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sanitiser alone strips EXIF: the pixels stay, the names go."""
    import bundler.core.anonymise.pdf.redact as pdf_redact

    def copy(src, dst, targets, boxes=(), **kw):  # type: ignore[no-untyped-def]
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)
    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, "photo-exif"), out) == ExitCode.OK
    images = [img for page in PdfReader(out).pages for img in page.images]
    assert images and all(Image.open(io.BytesIO(img.data)).size == (200, 100) for img in images)
    assert b"Khanum" not in out.read_bytes()


@pytest.mark.parametrize("hidden", [True, False], ids=["hidden", "visible"])
def test_a_confidential_bundle_shows_what_the_source_showed(tmp_path: Path, hidden: bool) -> None:
    """Layers go from the bundle; a hidden layer's content goes with them, a visible one's stays."""
    from pdfminer.high_level import extract_text

    project = _project(tmp_path, "hidden-layer")
    _hidden_layer_pdf(tmp_path / "hidden-layer.pdf", hidden)
    out = tmp_path / "confidential.pdf"
    args = ["build", str(project), "-o", str(out), "--confidential", "--accept-changed", "--no-ocr"]
    assert main([*args, "--cache-dir", str(tmp_path / "cache")]) == ExitCode.OK
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    poppler = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for text in (poppler, extract_text(str(out))):
        assert KEPT in text
        assert ("lives here" in text) is not hidden
