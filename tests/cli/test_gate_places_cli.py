"""The leak gate reads every place in the file: a name planted in each stops a real CLI build.

Each case lets ``bundler build`` sanitise and write a clean public bundle, then plants
"Farida Khanum" (or a form of it) in one place of the temporary file just before the
gate reads it: a page-label prefix, a string under a ``/P`` key, a direct dictionary in
a ``/Kids`` array, ``#xx``-escaped names, font names and font programs, annotations,
links, outline, XMP, attachments, form fields, JavaScript, content-stream comments,
marked content, patterns, image metadata, the trailer, bytes after ``%%EOF``, data
after a stream's end… The build must exit with the leak code and write nothing.
With nothing planted the same build passes, so each case fails only by its plant.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

import bundler.core.build.gated as gated
from bundler.cli.main import main
from bundler.core.assets import font_path
from bundler.core.errors import ExitCode

NAME = "Farida Khanum"
Plant = Callable[[Path], None]


def _n(name: str) -> NameObject:
    return NameObject(name)


def _s(text: str) -> TextStringObject:
    return TextStringObject(text)


def _dict(**entries: object) -> DictionaryObject:
    return DictionaryObject({_n(f"/{k}"): v for k, v in entries.items()})


def _stream(data: bytes, **entries: object) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.update(_dict(**entries))
    stream.set_data(data)
    return stream


def _edit(change: Callable[[PdfWriter], None]) -> Plant:
    """A plant that rewrites the whole file with pypdf after ``change``."""

    def plant(path: Path) -> None:
        writer = PdfWriter(clone_from=str(path))
        change(writer)
        writer.write(str(path))

    return plant


def _raw(change: Callable[[bytes], bytes]) -> Plant:
    def plant(path: Path) -> None:
        path.write_bytes(change(path.read_bytes()))

    return plant


def _last_page(writer: PdfWriter) -> DictionaryObject:
    return writer.pages[-1]


def _resources(writer: PdfWriter, kind: str) -> DictionaryObject:
    resources = _last_page(writer)["/Resources"].get_object()
    if kind not in resources:
        resources[_n(kind)] = DictionaryObject()
    return resources[kind].get_object()  # type: ignore[no-any-return]


def _add_content(writer: PdfWriter, data: bytes) -> None:
    page = _last_page(writer)
    old = page["/Contents"]
    listed = list(old.get_object()) if isinstance(old.get_object(), ArrayObject) else [old]
    page[_n("/Contents")] = ArrayObject([*listed, writer._add_object(_stream(data))])


def _set(key: str, value: Callable[[PdfWriter], object]) -> Plant:
    """Put ``value`` under ``key`` in the last page's dictionary."""
    return _edit(lambda w: _last_page(w).__setitem__(_n(key), value(w)))


def _font_file(family: str) -> bytes:
    """DejaVu Sans cut to one glyph, renamed: what a subset font made for a document looks like."""
    options = subset.Options()
    font = TTFont(str(font_path("DejaVuSans")))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="A")
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 6):
            record.string = family
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _font(writer: PdfWriter, base: str, program: bytes | None = None) -> None:
    descriptor = _dict(Type=_n("/FontDescriptor"), FontName=_n("/Plain"), Flags=NumberObject(32))
    if program is not None:
        stream = _stream(program, Length1=NumberObject(len(program)))
        descriptor[_n("/FontFile2")] = writer._add_object(stream.flate_encode())
    font = _dict(Type=_n("/Font"), Subtype=_n("/TrueType"), BaseFont=_n(base))
    font[_n("/FontDescriptor")] = writer._add_object(descriptor)
    _resources(writer, "/Font")[_n("/FX")] = writer._add_object(font)


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = NAME  # Artist
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _image(writer: PdfWriter, data: bytes, flt: str, **extra: object) -> None:
    image = _stream(b"", Type=_n("/XObject"), Subtype=_n("/Image"), Width=NumberObject(16), Height=NumberObject(16))
    image.update(_dict(ColorSpace=_n("/DeviceRGB"), BitsPerComponent=NumberObject(8), Filter=_n(flt), **extra))
    image._data = data
    _resources(writer, "/XObject")[_n("/Im9")] = writer._add_object(image)
    _add_content(writer, b"q 16 0 0 16 10 10 cm /Im9 Do Q")


def _jpx_with_xml() -> bytes:
    xml = f"<x:xmpmeta><dc:creator>{NAME}</dc:creator></x:xmpmeta>".encode()
    box = (8 + len(xml)).to_bytes(4, "big") + b"xml " + xml
    signature = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
    return signature + box + b"\x00\x00\x00\x08jp2c"


def _xmp(body: str) -> bytes:
    return f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{body}</dc:creator></x:xmpmeta>'.encode()


def _flate_with_tail(writer: PdfWriter) -> None:
    stream = _stream(b"", Filter=_n("/FlateDecode"))
    stream._data = zlib.compress(b"q Q") + f"\n% {NAME}\n".encode()
    _resources(writer, "/XObject")[_n("/Tail")] = writer._add_object(stream)


def _form_field(writer: PdfWriter) -> None:
    field = _dict(FT=_n("/Tx"), T=_s("claimant"), V=_s(NAME))
    writer.root_object[_n("/AcroForm")] = _dict(Fields=ArrayObject([writer._add_object(field)]))


def _pattern(writer: PdfWriter) -> None:
    pattern = _stream(
        f"BT /F1 8 Tf 0 2 Td ({NAME}) Tj ET".encode(),
        Type=_n("/Pattern"),
        PatternType=NumberObject(1),
        PaintType=NumberObject(1),
        TilingType=NumberObject(1),
        BBox=ArrayObject([NumberObject(v) for v in (0, 0, 90, 12)]),
        XStep=NumberObject(90),
        YStep=NumberObject(12),
        Resources=DictionaryObject(),
    )
    _resources(writer, "/Pattern")[_n("/P9")] = writer._add_object(pattern)


def _javascript(writer: PdfWriter) -> None:
    action = writer._add_object(_dict(S=_n("/JavaScript"), JS=_s(f"app.alert('{NAME}');")))
    tree = _dict(Names=ArrayObject([_s("greeting"), action]))
    writer.root_object[_n("/Names")] = _dict(JavaScript=writer._add_object(tree))


def _structure(writer: PdfWriter) -> None:
    element = _dict(Type=_n("/StructElem"), S=_n("/Figure"), Alt=_s(f"Photo of {NAME}"))
    root = _dict(Type=_n("/StructTreeRoot"), K=ArrayObject([element]))
    writer.root_object[_n("/StructTreeRoot")] = writer._add_object(root)


PLACES: dict[str, Plant] = {
    "page-label-prefix": _edit(
        lambda w: w.root_object.__setitem__(
            _n("/PageLabels"), _dict(Nums=ArrayObject([NumberObject(0), _dict(S=_n("/D"), P=_s("Khanum-"))]))
        )
    ),
    "string-under-a-P-key": _set("/BundlerNote", lambda w: _dict(P=_s(NAME))),
    "direct-dictionary-in-Kids": _set("/BundlerTree", lambda w: _dict(Kids=ArrayObject([_dict(T=_s(NAME))]))),
    "direct-value-under-Parent": _set("/BundlerUp", lambda w: _dict(Parent=_dict(T=_s(NAME)))),
    "name-with-hex-escapes": _set("/BundlerName", lambda w: _n(f"/{NAME}")),  # written /Farida#20Khanum
    "orphan-name-with-hex-escapes": _raw(lambda data: data + b"\n998 0 obj\n/F#61rida#20Kh#61num\nendobj\n"),
    "dictionary-key": _set("/BundlerKeys", lambda w: _dict(**{"Farida Khanum": NumberObject(1)})),
    "hex-string": _set("/BundlerHex", lambda w: ByteStringObject(NAME.encode("latin-1"))),
    "utf16-string": _set("/BundlerWide", lambda w: _s(f"{NAME} \u2713")),
    "font-base-name": _edit(lambda w: _font(w, "/ABCDEF+Farida-Khanum")),
    "font-program-name-table": _edit(lambda w: _font(w, "/ABCDEF+Plain", _font_file(NAME))),
    "encoding-glyph-names": _set(
        "/BundlerEncoding", lambda w: _dict(Differences=ArrayObject([NumberObject(32), _n("/Farida"), _n("/Khanum")]))
    ),
    "annotation-contents": _edit(
        lambda w: w.add_annotation(
            -1,
            _dict(Type=_n("/Annot"), Subtype=_n("/Text"), Rect=ArrayObject([NumberObject(0)] * 4), Contents=_s(NAME)),
        )
    ),
    "annotation-author": _edit(
        lambda w: w.add_annotation(
            -1, _dict(Type=_n("/Annot"), Subtype=_n("/Square"), Rect=ArrayObject([NumberObject(0)] * 4), T=_s(NAME))
        )
    ),
    "link-uri-percent-encoded": _edit(
        lambda w: w.add_annotation(
            -1,
            _dict(
                Type=_n("/Annot"),
                Subtype=_n("/Link"),
                Rect=ArrayObject([NumberObject(v) for v in (72, 700, 300, 720)]),
                A=_dict(S=_n("/URI"), URI=_s("https://example.org/p/F%61rida+Kh%61num")),
            ),
        )
    ),
    "link-uri-punycode-host": _edit(
        lambda w: w.add_annotation(
            -1,
            _dict(
                Type=_n("/Annot"),
                Subtype=_n("/Link"),
                Rect=ArrayObject([NumberObject(v) for v in (72, 700, 300, 720)]),
                A=_dict(S=_n("/URI"), URI=_s("https://www.xn--khnum-gwa.example/")),
            ),
        )
    ),
    "outline-title": _edit(lambda w: w.add_outline_item(title=f"Letter from {NAME}", page_number=0)),
    "document-info": _edit(lambda w: w.add_metadata({"/Author": NAME})),
    "xmp-character-references": _edit(
        lambda w: w.root_object.__setitem__(
            _n("/Metadata"),
            w._add_object(_stream(_xmp("&#70;arida &#x4B;hanum"), Type=_n("/Metadata"), Subtype=_n("/XML"))),
        )
    ),
    "embedded-file": _edit(lambda w: w.add_attachment("notes.txt", f"Notes on {NAME}".encode())),
    "form-field-value": _edit(_form_field),
    "javascript-name-tree": _edit(_javascript),
    "open-action-javascript": _edit(
        lambda w: w.root_object.__setitem__(_n("/OpenAction"), _dict(S=_n("/JavaScript"), JS=_s(f"// {NAME}")))
    ),
    "content-stream-comment": _edit(lambda w: _add_content(w, f"% {NAME}\n".encode())),
    "hidden-layer-text": _edit(lambda w: _add_content(w, f"/OC /L9 BDC BT /F1 1 Tf 3 Tr ({NAME}) Tj ET EMC".encode())),
    "marked-content-actual-text": _edit(lambda w: _add_content(w, f"/Span <</ActualText ({NAME})>> BDC EMC".encode())),
    "content-name-with-hex-escapes": _edit(lambda w: _add_content(w, b"/F#61rida#20Kh#61num BMC EMC")),
    "tiling-pattern-text": _edit(_pattern),
    "unused-form-xobject-text": _edit(
        lambda w: _resources(w, "/XObject").__setitem__(
            _n("/Fm9"),
            w._add_object(
                _stream(
                    f"BT /F1 9 Tf ({NAME}) Tj ET".encode(),
                    Type=_n("/XObject"),
                    Subtype=_n("/Form"),
                    BBox=ArrayObject([NumberObject(v) for v in (0, 0, 9, 9)]),
                )
            ),
        )
    ),
    "jpeg-exif": _edit(lambda w: _image(w, _jpeg_with_exif(), "/DCTDecode")),
    "jpeg2000-xml-box": _edit(lambda w: _image(w, _jpx_with_xml(), "/JPXDecode")),
    "image-metadata-stream": _edit(
        lambda w: _image(
            w,
            _jpeg_with_exif()[:2] + b"\xff\xd9",
            "/DCTDecode",
            Metadata=w._add_object(_stream(_xmp(NAME), Type=_n("/Metadata"), Subtype=_n("/XML"))),
        )
    ),
    "structure-tree-alt-text": _edit(_structure),
    "data-after-a-flate-stream": _edit(_flate_with_tail),
    "trailer-entry": _raw(lambda data: data.replace(b"trailer\n<<", f"trailer\n<< /Note ({NAME})".encode(), 1)),
    "bytes-after-eof": _raw(lambda data: data + f"\n% {NAME}\n".encode()),
    "orphan-object-after-eof": _raw(lambda data: data + f"\n999 0 obj\n<< /T ({NAME}) >>\nendobj\n".encode()),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("case")
    source = folder / "exhibit.pdf"
    pdf = Canvas(str(source))
    pdf.drawString(72, 760, "The grounds of claim follow below.")
    pdf.save()
    project = folder / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "D", "--title", "Exhibit"]) == 0
    assert main(["register", str(project), "add-person", NAME, "--pseudonym", "AB"]) == 0
    return project


def _build(project: Path, out: Path) -> int:
    return main(["build", str(project), "-o", str(out), "--cache-dir", str(project.parent / "cache"), "--no-ocr"])


def _planting(monkeypatch: pytest.MonkeyPatch, plant: Plant) -> None:
    real = gated.require_no_leaks

    def planted_then_gated(
        tmp: Path, targets: list, *, file_name: str | None = None, claims: Any = None, **more: Any
    ) -> None:  # type: ignore[type-arg]
        plant(tmp)
        real(tmp, targets, file_name=file_name, claims=claims, **more)  # verified chunks claimed, as in a real build

    monkeypatch.setattr(gated, "require_no_leaks", planted_then_gated)


def test_nothing_planted_the_build_passes(project: Path, tmp_path: Path) -> None:
    from pdfminer.high_level import extract_text

    out = tmp_path / "public.pdf"
    assert _build(project, out) == ExitCode.OK
    text = extract_text(str(out))
    assert "grounds of claim" in text and "Khanum" not in text


@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_name_planted_in_the_output_stops_the_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], place: str
) -> None:
    _planting(monkeypatch, PLACES[place])
    out = tmp_path / "public.pdf"
    assert _build(project, out) == ExitCode.LEAK
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    error = capsys.readouterr().err
    assert "the bundle was not written" in error and "Khanum" not in error
