"""True redaction of PDF sources, attacked from every side we know of.

Each fixture hides the protected name a different way. After redaction the
output is read back by pypdfium2, pypdf, poppler's pdftotext and a raw search
of every decompressed stream and string; the box is checked on a rendering;
the text around the name must still be there, and the pages keep their size.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.pdf import redact as pdf_redact
from bundler.core.anonymise.pdf.page import GlyphOutcome
from bundler.core.anonymise.pdf.redact import PdfRedactionReport, redact_pdf
from bundler.core.anonymise.terms import Target, find_matches, targets_from_register
from bundler.core.assets import font_path
from bundler.core.errors import LeakError, PasswordError
from bundler.core.model import Person, RedactionBox, Register
from tests.conftest import require
from tests.pdfs import CORPUS as SHARED_CORPUS

CORPUS = SHARED_CORPUS / "real-pdfs"
BEFORE, NAME_TEXT, AFTER = "Statement of ", "Farida Khanum", " dated 1 May 2023."
SENTENCE = BEFORE + NAME_TEXT + AFTER
NAME = targets_from_register(Register(people=[Person("Farida Khanum", "AB", action="redact")]))

# -- reading the output back -----------------------------------------------------


def _pdfium_pages(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def _raw_texts(path: Path) -> Iterator[str]:
    """Every string and every decompressed non-image stream, however reached."""
    reader = PdfReader(path)
    numbers = {n for table in reader.xref.values() for n in table} | set(reader.xref_objStm)
    stack: list[Any] = [reader.get_object(n) for n in numbers]
    while stack:
        obj = stack.pop()
        if isinstance(obj, StreamObject) and obj.get("/Subtype") != "/Image":
            yield obj.get_data().decode("latin-1")
        if isinstance(obj, (str, bytes)):
            yield str(obj) if isinstance(obj, str) else obj.decode("latin-1")
        elif isinstance(obj, DictionaryObject):
            stack.extend(v for k, v in obj.items() if not isinstance(v, IndirectObject) and k != "/FontFile2")
        elif isinstance(obj, ArrayObject):
            stack.extend(v for v in obj if not isinstance(v, IndirectObject))


def _all_texts(path: Path) -> dict[str, list[str]]:
    texts = {
        "pdfium": _pdfium_pages(path),
        "pypdf": [p.extract_text() for p in PdfReader(path).pages],
    }
    if shutil.which("pdftotext"):
        texts["pdftotext"] = [subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout]
    texts["raw"] = list(_raw_texts(path))
    return texts


def assert_no_target(path: Path, targets: list[Target]) -> None:
    for engine, texts in _all_texts(path).items():
        for text in texts:
            found = find_matches(text, targets)
            assert not found, f"{engine} still finds {text[found[0].start : found[0].end]!r}"


def assert_same_pages(src: Path, dst: Path) -> None:
    before, after = PdfReader(src).pages, PdfReader(dst).pages
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        for box in ("mediabox", "cropbox"):
            assert (getattr(old, box).width, getattr(old, box).height) == pytest.approx(
                (getattr(new, box).width, getattr(new, box).height)
            )
        assert old.rotation % 360 == new.rotation % 360


def _render_unrotated(path: Path, index: int, scale: float) -> tuple[Image.Image, tuple[float, ...]]:
    document = pdfium.PdfDocument(str(path))
    page = document[index]
    page.set_rotation(0)
    image = page.render(scale=scale, draw_annots=False).to_pil().convert("RGB")
    bbox = page.get_bbox()
    document.close()
    return image, bbox


def _pixels(
    rect: tuple[float, ...], bbox: tuple[float, ...], scale: float, inset: float = 1.0
) -> tuple[int, int, int, int]:
    """A rectangle in unrotated user space as a pixel box of a rendering."""
    x0, y0, x1, y1 = rect
    left, top = (x0 - bbox[0] + inset) * scale, (bbox[3] - y1 + inset) * scale
    right, bottom = (x1 - bbox[0] - inset) * scale, (bbox[3] - y0 - inset) * scale
    return int(left), int(top), int(right), int(bottom)


def _dark_share(image: Image.Image) -> float:
    grey = image.convert("L")
    return sum(1 for v in grey.tobytes() if v < 80) / max(1, grey.width * grey.height)


def assert_boxes_drawn(dst: Path, report: PdfRedactionReport) -> None:
    for page in report.pages:
        image, bbox = _render_unrotated(dst, page.page - 1, 2.0)
        for rect, label in zip(page.boxes, page.labels, strict=True):
            if label == "[REDACTED]":
                assert _dark_share(image.crop(_pixels(rect, bbox, 2.0))) > 0.5, f"no box on page {page.page}"


def _outside(rects: Sequence[tuple[float, ...]], bbox: tuple[float, ...], size: tuple[int, int]) -> Image.Image:
    """A mask of the rendering that is white everywhere except the boxes (and a margin)."""
    mask = Image.new("L", size, 255)
    draw = ImageDraw.Draw(mask)
    for rect in rects:
        draw.rectangle(_pixels(rect, bbox, 1.0, inset=-3.0), fill=0)
    return mask


def assert_looks_the_same(src: Path, dst: Path, report: PdfRedactionReport) -> None:
    """Outside its boxes a redacted page is drawn as before, the right way up."""
    for page in report.pages:
        before, bbox = _render_unrotated(src, page.page - 1, 1.0)
        after, _ = _render_unrotated(dst, page.page - 1, 1.0)
        assert before.size == after.size
        mask = _outside(page.boxes, bbox, before.size)
        diff = ImageChops.difference(before.convert("L"), after.convert("L"))
        changed = ImageChops.multiply(diff.point(lambda v: 255 if v > 96 else 0), mask)
        share = sum(1 for v in changed.tobytes() if v) / (before.width * before.height)
        assert share < 0.01, f"page {page.page} changed outside its boxes ({share:.2%})"


def redact(src: Path, tmp_path: Path, targets: list[Target] = NAME, **kwargs: Any) -> tuple[Path, PdfRedactionReport]:
    """Redact and run the checks every fixture must pass."""
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    dst = tmp_path / f"{src.stem}-redacted.pdf"
    report = redact_pdf(src, dst, targets, **kwargs)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest, "the source was modified"
    assert_no_target(dst, targets)
    assert_same_pages(src, dst)
    assert_boxes_drawn(dst, report)
    assert_looks_the_same(src, dst, report)
    return dst, report


def assert_kept(dst: Path, index: int, *phrases: str) -> None:
    """Text that was not redacted still extracts, in both engines."""
    for engine, text in (
        ("pdfium", _pdfium_pages(dst)[index]),
        ("pypdf", PdfReader(dst).pages[index].extract_text()),
    ):
        flat = " ".join(text.split())
        for phrase in phrases:
            assert phrase in flat, f"{engine} lost {phrase!r}: {flat!r}"


def _char_boxes(path: Path, index: int, word: str) -> list[tuple[float, ...]]:
    document = pdfium.PdfDocument(str(path))
    textpage = document[index].get_textpage()
    start = textpage.get_text_range().index(word)
    boxes = [textpage.get_charbox(i) for i in range(start, start + len(word))]
    document.close()
    return boxes


def _word_boxes(path: Path, index: int, word: str) -> list[tuple[float, ...]]:
    """Poppler's boxes for ``word``: pdfium rounds glyph widths to whole units, poppler does not."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(index + 1), "-l", str(index + 1), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">' + re.escape(word) + "<"
    return [tuple(float(v) for v in m) for m in re.findall(pattern, html)]


def assert_layout_kept(src: Path, dst: Path, index: int, word: str) -> None:
    """The words after a removed name did not move."""
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    before = _word_boxes(src, index, word)
    assert before, f"{word!r} is not in the fixture"
    after = _word_boxes(dst, index, word)
    assert len(after) == len(before)
    flat = [v for box in after for v in box]  # pytest.approx takes flat sequences only (pytest >= 9.2)
    assert flat == pytest.approx([v for box in before for v in box], abs=0.01)


def methods(report: PdfRedactionReport) -> dict[int, str]:
    return {p.page: p.method for p in report.pages}


# -- building adversarial sources ------------------------------------------------


def _canvas_pdf(path: Path, *pages: Callable[[Canvas], None]) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    for draw in pages:
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return path


def _sentence(font: str = "Helvetica", y: float = 700) -> Callable[[Canvas], None]:
    def draw(canvas: Canvas) -> None:
        canvas.setFont(font, 12)
        canvas.drawString(72, y, SENTENCE)
        canvas.drawString(72, y - 20, "A second line with nothing to hide.")

    return draw


def _pdf(value: Any) -> Any:
    """Plain Python as PDF objects: "/X" is a name, other text a string; lists, dicts, numbers."""
    if isinstance(value, PdfObject):
        return value
    if isinstance(value, str):
        return NameObject(value) if value.startswith("/") else TextStringObject(value)
    if isinstance(value, (list, tuple)):
        return ArrayObject(_pdf(v) for v in value)
    if isinstance(value, dict):
        return DictionaryObject({NameObject(k): _pdf(v) for k, v in value.items()})
    return NumberObject(value) if isinstance(value, int) else FloatObject(value)


def _stream(writer: PdfWriter, data: bytes, entries: dict[str, Any] | None = None) -> Any:
    stream = DecodedStreamObject()
    stream.update(_pdf(entries or {}))
    stream.set_data(data)
    return writer._add_object(stream)  # pypdf's only way to make a stream indirect


def _helvetica() -> Any:
    return _pdf({"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica",
                 "/Encoding": "/WinAnsiEncoding"})  # fmt: skip


Fonts = dict[str, Any] | Callable[[PdfWriter], dict[str, Any]]


def _hand_pdf(
    path: Path,
    pages: list[bytes],
    fonts: Fonts,
    xobjects: Callable[[PdfWriter], dict[str, Any]] | None = None,
    extra: Callable[[PdfWriter, Any], None] | None = None,
    rotate: int = 0,
) -> Path:
    """Pages with hand-written content streams, for what reportlab will not write."""
    writer = PdfWriter()
    fonts = fonts(writer) if callable(fonts) else fonts
    shared = xobjects(writer) if xobjects else {}
    for content in pages:
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = _pdf({"/Font": fonts, "/XObject": shared})
        page[NameObject("/Contents")] = _stream(writer, content)
        page.rotate(rotate)
        if extra:
            extra(writer, page)
    writer.write(path)
    return path


def _type0_hex(text: str) -> str:
    ttf = TTFontFile(str(font_path("DejaVuSans")))
    return "".join(f"{ttf.charToGlyph[ord(ch)]:04X}" for ch in text)


def _to_unicode(codes: dict[str, int]) -> bytes:
    bfchar = "\n".join(f"<{code:04X}> <{ord(ch):04X}>" for ch, code in codes.items())
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Rdx def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{bfchar}\n"
        "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()


def _type0_font(writer: PdfWriter, text: str) -> Any:
    """DejaVuSans as an Identity-H CID font with /W widths and a ToUnicode map."""
    ttf = TTFontFile(str(font_path("DejaVuSans")))
    gid = {ch: ttf.charToGlyph[ord(ch)] for ch in sorted(set(text))}
    widths: list[Any] = []
    for ch, code in gid.items():
        widths += [code, [round(ttf.charWidths[ord(ch)], 2)]]
    data = font_path("DejaVuSans").read_bytes()
    descriptor = _pdf({"/Type": "/FontDescriptor", "/FontName": "/DejaVuSans", "/Flags": 32,
                       "/ItalicAngle": 0, "/FontBBox": [-1021, -463, 1793, 1232], "/Ascent": 928,
                       "/Descent": -236, "/CapHeight": 729, "/StemV": 80,
                       "/FontFile2": _stream(writer, data, {"/Length1": len(data)})})  # fmt: skip
    cid_font = _pdf({"/Type": "/Font", "/Subtype": "/CIDFontType2", "/BaseFont": "/DejaVuSans",
                     "/W": widths, "/CIDToGIDMap": "/Identity",
                     "/CIDSystemInfo": {"/Registry": "Adobe", "/Ordering": "Identity",
                                        "/Supplement": 0},
                     "/FontDescriptor": writer._add_object(descriptor)})  # fmt: skip
    return _pdf({"/Type": "/Font", "/Subtype": "/Type0", "/BaseFont": "/DejaVuSans",
                 "/Encoding": "/Identity-H", "/DescendantFonts": [writer._add_object(cid_font)],
                 "/ToUnicode": _stream(writer, _to_unicode(gid))})  # fmt: skip


def _type3_font(writer: PdfWriter, text: str) -> Any:
    """Letters drawn as blocks; pdfium reads them through their glyph names."""
    chars = sorted(set(text))
    names = {ch: "/space" if ch == " " else f"/{ch}" for ch in chars}
    block = b"600 0 0 0 550 700 d1 50 0 450 650 re f"
    procs = {names[ch]: _stream(writer, b"600 0 d0" if ch == " " else block) for ch in chars}
    first, last = ord(chars[0]), ord(chars[-1])
    differences = [item for ch in chars for item in (ord(ch), names[ch])]
    return _pdf({"/Type": "/Font", "/Subtype": "/Type3", "/FontBBox": [0, 0, 600, 700],
                 "/FontMatrix": [0.001, 0, 0, 0.001, 0, 0], "/CharProcs": procs,
                 "/FirstChar": first, "/LastChar": last, "/Widths": [600] * (last - first + 1),
                 "/Encoding": {"/Type": "/Encoding", "/Differences": differences},
                 "/Resources": {}})  # fmt: skip


def _picture(path: Path, text: str | None, size: tuple[int, int] = (1200, 200)) -> Path:
    """A 'scan' with text as pixels, or a red scribble standing in for a signature."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    if text:
        draw.text((20, 40), text, fill="black", font=ImageFont.truetype(str(font_path("DejaVuSans")), 90))
    else:
        for x in range(0, size[0], 8):
            draw.line((x, 20, x + 40, size[1] - 20), fill=(220, 0, 0), width=5)
    image.save(path)
    return path


# -- the fixtures, one hiding place each -----------------------------------------


def test_standard_font_name_is_removed_and_the_line_keeps_its_layout(tmp_path: Path) -> None:
    src = _canvas_pdf(tmp_path / "std14.pdf", _sentence(), _sentence())
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs", 2: "glyphs"}
    assert report.hits == 2
    assert_kept(dst, 0, "Statement of", "dated 1 May 2023.", "A second line with nothing to hide.")
    assert_layout_kept(src, dst, 0, "dated")


def test_embedded_truetype_subset(tmp_path: Path) -> None:
    pdfmetrics.registerFont(TTFont("RdxDejaVu", str(font_path("DejaVuSans"))))
    src = _canvas_pdf(tmp_path / "ttf.pdf", _sentence("RdxDejaVu"))
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs"}
    assert_kept(dst, 0, "Statement of", "dated 1 May 2023.")
    assert_layout_kept(src, dst, 0, "dated")


def test_type0_identity_h_font(tmp_path: Path) -> None:
    content = f"BT /F1 12 Tf 72 700 Td <{_type0_hex(SENTENCE)}> Tj ET".encode()

    def fonts(writer: PdfWriter) -> dict[str, Any]:
        return {"/F1": writer._add_object(_type0_font(writer, SENTENCE))}

    src = _hand_pdf(tmp_path / "type0.pdf", [content], fonts)
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs"}
    assert_kept(dst, 0, "Statement of", "dated 1 May 2023.")
    assert_layout_kept(src, dst, 0, "dated")


def test_cid_font_with_a_cmap_we_do_not_ship_fails_closed(tmp_path: Path) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    src = _canvas_pdf(tmp_path / "cid.pdf", _sentence("HeiseiMin-W3"), _sentence())
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "rasterised", 2: "glyphs"}
    assert "CMap" in report.pages[0].reason
    assert_kept(dst, 1, "Statement of", "dated 1 May 2023.")  # the other page keeps its text


def test_kerning_and_spacing_inside_the_name(tmp_path: Path) -> None:
    content = (
        b"BT /F1 12 Tf 72 700 Td [(Statement of Far) -20 (ida Kha) 35 (num dated 1 May 2023.)] TJ\n"
        b"0.6 Tc 3 Tw 90 Tz 0 -24 Td (Witness: Farida Khanum \\(signed\\)) Tj\n"
        b"0 Tc 0 Tw 100 Tz 14 TL (Repeated: ) ' 2 0.3 (Farida Khanum again) \" ET"
    )
    src = _hand_pdf(tmp_path / "kerned.pdf", [content], {"/F1": _helvetica()})
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs"}
    assert report.hits == 3
    assert_kept(dst, 0, "Statement of", "dated 1 May 2023.", "Witness:", "(signed)", "Repeated:", "again")
    assert_layout_kept(src, dst, 0, "dated")
    assert_layout_kept(src, dst, 0, "(signed)")
    assert_layout_kept(src, dst, 0, "again")


def test_name_inside_nested_form_xobjects_shared_by_pages(tmp_path: Path) -> None:
    def forms(writer: PdfWriter) -> dict[str, Any]:
        inner = _stream(writer, f"BT /F1 10 Tf 0 0 Td ({SENTENCE}) Tj ET".encode(), {
            "/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, -50, 400, 50],
            "/Matrix": [1.2, 0, 0, 1.2, 10, 5], "/Resources": {"/Font": {"/F1": _helvetica()}},
        })  # fmt: skip
        content = b"q 1 0 0 1 30 0 cm /Inner Do Q BT /F1 9 Tf 0 -30 Td (Letterhead of the firm) Tj ET"
        outer = _stream(writer, content, {
            "/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, -50, 500, 50],
            "/Resources": {"/XObject": {"/Inner": inner}, "/Font": {"/F1": _helvetica()}},
        })  # fmt: skip
        return {"/Head": outer}

    drawn_twice = b"q 1 0 0 1 40 700 cm /Head Do Q q 1 0 0 1 40 400 cm /Head Do Q"
    plain = b"BT /F1 12 Tf 72 700 Td (A page without the letterhead) Tj ET q 1 0 0 1 40 300 cm /Head Do Q"
    src = _hand_pdf(
        tmp_path / "forms.pdf",
        [drawn_twice, plain, b"BT /F1 12 Tf 72 700 Td (Nothing here) Tj ET"],
        {"/F1": _helvetica()},
        forms,
    )
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs", 2: "glyphs"}
    assert [len(p.boxes) for p in report.pages] == [2, 1]
    assert_kept(dst, 0, "Statement of", "dated 1 May 2023.", "Letterhead of the firm")
    assert_kept(dst, 1, "A page without the letterhead", "Letterhead of the firm")
    assert_kept(dst, 2, "Nothing here")


def test_rotated_page_and_rotated_text(tmp_path: Path) -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setPageRotation(90)  # reportlab also turns the media box to landscape
        _sentence(y=500)(canvas)
        canvas.saveState()
        canvas.translate(400, 100)
        canvas.rotate(90)
        canvas.drawString(0, 0, "Upright for the reader: Farida Khanum signed here")
        canvas.restoreState()

    src = _canvas_pdf(tmp_path / "rotated.pdf", draw)
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs"}
    assert PdfReader(dst).pages[0].rotation == 90
    assert_kept(dst, 0, "Statement of", "dated 1 May 2023.", "Upright for the reader:", "signed here")
    assert_layout_kept(src, dst, 0, "signed")


def test_name_hyphenated_across_a_line_break(tmp_path: Path) -> None:
    def draw(canvas: Canvas) -> None:
        text = canvas.beginText(72, 700)
        text.setFont("Helvetica", 12)
        for line in (
            "The statement of Farida Kha-",
            "num was signed on 1 May 2023.",
            "Nothing else.",
        ):
            text.textLine(line)
        canvas.drawText(text)

    src = _canvas_pdf(tmp_path / "hyphen.pdf", draw)
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs"}
    assert len(report.pages[0].boxes) == 2  # one box on each line
    assert_kept(dst, 0, "The statement of", "was signed on 1 May 2023.", "Nothing else.")
    assert "Kha" not in _pdfium_pages(dst)[0]


def test_invisible_ocr_text_over_a_scan_rasterises_the_page(tmp_path: Path) -> None:
    scan = _picture(tmp_path / "scan.png", NAME_TEXT)

    def draw(canvas: Canvas) -> None:
        canvas.drawString(72, 760, "Scanned letter below")
        canvas.drawImage(str(scan), 72, 600, width=360, height=60)
        text = canvas.beginText(78, 615)
        text.setTextRenderMode(3)
        text.setFont("Helvetica", 30)
        text.textOut(NAME_TEXT)
        canvas.drawText(text)

    src = _canvas_pdf(tmp_path / "ocr.pdf", draw, _sentence())
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "rasterised", 2: "glyphs"}
    assert "image" in report.pages[0].reason
    assert _pdfium_pages(dst)[0].strip() == ""  # no text layer left on the scan page
    assert_kept(dst, 1, "Statement of", "dated 1 May 2023.")


def test_type3_font_under_a_box_rasterises_the_page_the_right_way_up(tmp_path: Path) -> None:
    shown = f"({BEFORE}) Tj /T3 12 Tf ({NAME_TEXT}) Tj /F1 12 Tf ({AFTER}) Tj"
    content = f"BT /F1 12 Tf 72 700 Td {shown} ET".encode()

    def fonts(writer: PdfWriter) -> dict[str, Any]:
        return {"/F1": _helvetica(), "/T3": writer._add_object(_type3_font(writer, NAME_TEXT))}

    src = _hand_pdf(tmp_path / "type3.pdf", [content], fonts, rotate=90)
    assert NAME_TEXT in _pdfium_pages(src)[0]  # the fixture really hides the name in Type3 glyphs
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "rasterised"}
    assert "Type3" in report.pages[0].reason


def test_manual_box_over_an_image_destroys_its_pixels(tmp_path: Path) -> None:
    signature = _picture(tmp_path / "signature.png", None, (800, 200))

    def draw(canvas: Canvas) -> None:
        canvas.drawString(72, 760, "Signed:")
        canvas.drawImage(str(signature), 72, 600, width=400, height=100)

    src = _canvas_pdf(tmp_path / "signed.pdf", draw)
    box = RedactionBox("doc", 1, (72, 600, 272, 700))
    dst, report = redact(src, tmp_path, [], boxes=[box])
    assert methods(report) == {1: "rasterised"}
    image, bbox = _render_unrotated(dst, 0, 2.0)
    under = image.crop(_pixels(box.rect, bbox, 2.0))
    beside = image.crop(_pixels((292, 600, 472, 700), bbox, 2.0))

    def red(img: Image.Image) -> int:
        data = img.tobytes()
        return sum(1 for i in range(0, len(data), 3) if data[i] > 150 and data[i + 1] < 100 and data[i + 2] < 100)

    assert red(under) == 0 and _dark_share(under) > 0.5
    assert red(beside) > 1000  # the rest of the signature image is still there


def test_manual_box_over_an_inline_image_rasterises(tmp_path: Path) -> None:
    pixels = bytes([200, 0, 0]) * 4
    content = (
        b"BT /F1 12 Tf 72 760 Td (Signed:) Tj ET"
        b" q 200 0 0 50 72 600 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID " + pixels + b"\nEI Q"
    )
    src = _hand_pdf(tmp_path / "inline.pdf", [content], {"/F1": _helvetica()})
    box = RedactionBox("doc", 1, (100, 610, 240, 640))
    dst, report = redact(src, tmp_path, [], boxes=[box])
    assert methods(report) == {1: "rasterised"} and "image" in report.pages[0].reason


def test_manual_box_over_text_removes_the_glyphs_only(tmp_path: Path) -> None:
    src = _canvas_pdf(tmp_path / "box.pdf", _sentence())
    words = _char_boxes(src, 0, "May")
    rect = (words[0][0] - 0.5, 695.0, words[-1][2] + 0.5, 712.0)
    dst, report = redact(src, tmp_path, [], boxes=[RedactionBox("doc", 1, rect)])
    assert methods(report) == {1: "glyphs"}
    text = _pdfium_pages(dst)[0]
    assert "May" not in text and "Farida Khanum dated 1" in text and "2023." in text


def _annotation(subtype: str, rect: tuple[float, ...], **entries: Any) -> Any:
    return _pdf({"/Type": "/Annot", "/Subtype": subtype, "/Rect": rect,
                 **{f"/{k}": v for k, v in entries.items()}})  # fmt: skip


def test_actual_text_annotations_and_metadata_do_not_survive(tmp_path: Path) -> None:
    content = (
        b"BT /F1 12 Tf 72 700 Td (Statement of ) Tj"
        b" /Span <</ActualText (Farida Khanum)>> BDC (F. K.) Tj EMC ( dated) Tj ET"
    )
    uri = {"/S": "/URI", "/URI": "https://example.org/"}
    annotations = [
        _annotation("/Text", (10, 10, 30, 30), Contents="Call Farida Khanum back"),
        _annotation("/Link", (40, 40, 90, 60), A=uri),
        _annotation("/Square", (140, 695, 175, 712)),  # over where the name is on page 1
        _annotation("/Text", (500, 10, 520, 30), Contents="Checked by the clerk"),
    ]

    def annotate(writer: PdfWriter, page: Any) -> None:
        page[NameObject("/Annots")] = ArrayObject(writer._add_object(a) for a in annotations)
        writer.add_metadata({"/Author": "Farida Khanum", "/Title": "Statement"})

    plain = b"BT /F1 12 Tf 72 700 Td (A page that only has a note) Tj ET"
    src = _hand_pdf(tmp_path / "hidden.pdf", [content, plain], {"/F1": _helvetica()}, extra=annotate)
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "glyphs"}
    annots: list[Any] = [page["/Annots"] for page in PdfReader(dst).pages]
    subtypes = [[a.get_object()["/Subtype"] for a in page_annots] for page_annots in annots]
    assert subtypes == [["/Link", "/Text"], ["/Link", "/Square", "/Text"]]
    assert PdfReader(dst).metadata is None
    assert_kept(dst, 0, "Statement of", "dated")


def test_replacement_shows_the_pseudonym(tmp_path: Path) -> None:
    targets = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha")]))
    src = _canvas_pdf(tmp_path / "replace.pdf", _sentence())
    dst, report = redact(src, tmp_path, targets)
    assert report.pages[0].labels == ["Aisha"]
    assert_kept(dst, 0, "Statement of", "Aisha", "dated 1 May 2023.")


def test_name_only_in_page_data_rasterises_that_page(tmp_path: Path) -> None:
    def hide(writer: PdfWriter, page: Any) -> None:
        props = _pdf({"/P0": {"/ActualText": NAME_TEXT}})
        page["/Resources"][NameObject("/Properties")] = props

    src = _hand_pdf(
        tmp_path / "props.pdf",
        [b"BT /F1 12 Tf 72 700 Td (Harmless words) Tj ET"],
        {"/F1": _helvetica()},
        extra=hide,
    )
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "rasterised"}
    assert report.hits == 0 and report.pages[0].boxes == []


# -- real-world files ----------------------------------------------------------------

_CORPUS_CASES = [
    ("pdflatex-4-pages.pdf", "information"),
    ("multicolumn.pdf", "pellentesque"),
    ("habibi-rotated.pdf", "habibi"),
    ("google-doc-document.pdf", "better"),
]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.casefold()))


@pytest.mark.parametrize(("name", "word"), _CORPUS_CASES)
def test_corpus_file(tmp_path: Path, name: str, word: str) -> None:
    require(CORPUS.is_dir(), f"the shared corpus ({CORPUS})")
    targets = [Target(word, None, "t1", "identifier")]
    dst, report = redact(CORPUS / name, tmp_path, targets)
    assert report.hits > 0 and set(methods(report).values()) == {"glyphs"}
    for before, after in zip(_pdfium_pages(CORPUS / name), _pdfium_pages(dst), strict=True):
        untouched = {w for w in _words(before) if w not in word and word not in w}  # not the term, nor part of it
        assert untouched <= _words(after)


def test_password_protected_corpus_file(tmp_path: Path) -> None:
    src = CORPUS / "libreoffice-writer-password.pdf"
    require(src.exists(), f"the shared corpus ({CORPUS})")
    targets = [Target("gubergren", None, "t1", "identifier")]
    with pytest.raises(PasswordError):
        redact_pdf(src, tmp_path / "no.pdf", targets)
    dst = tmp_path / "open.pdf"
    report = redact_pdf(src, dst, targets, password="openpassword")
    assert report.hits >= 2 and not PdfReader(dst).is_encrypted
    assert_no_target(dst, targets)


# -- the safety net itself ------------------------------------------------------------


def test_a_crippled_glyph_remover_is_caught_by_verification(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    claims_success = lambda writer, page, spots, inline=True: GlyphOutcome()  # noqa: E731
    monkeypatch.setattr(pdf_redact, "remove_glyphs", claims_success)
    src = _canvas_pdf(tmp_path / "crippled.pdf", _sentence(), _sentence())
    dst, report = redact(src, tmp_path)
    assert methods(report) == {1: "rasterised", 2: "rasterised"}
    assert all("checking" in p.reason for p in report.pages)


def test_a_name_pdfium_cannot_see_stops_everything_until_boxed_by_hand(tmp_path: Path) -> None:
    """/ActualText tells pdfium "Someone" while the glyphs (which pypdf reads) spell the name."""
    masked = b"/Span <</ActualText (Someone)>> BDC (Farida Khanum) Tj EMC"
    content = b"BT /F1 12 Tf 72 700 Td (Statement of ) Tj " + masked + b" ( dated) Tj ET"
    src = _hand_pdf(tmp_path / "masked.pdf", [content], {"/F1": _helvetica()})
    with pytest.raises(LeakError, match="page 1 .*draw a box over it by hand"):
        redact_pdf(src, tmp_path / "out.pdf", NAME)
    assert not (tmp_path / "out.pdf").exists()
    start = _char_boxes(src, 0, "Someone")[0][0]
    box = RedactionBox("doc", 1, (start - 1, 695, start + 84, 712))
    dst, report = redact(src, tmp_path, NAME, boxes=[box])
    assert methods(report) == {1: "glyphs"}
    assert_kept(dst, 0, "Statement of", "dated")


def test_a_leak_outside_the_pages_stops_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_redact, "strip_document", lambda writer: [])  # metadata would survive

    def author(canvas: Canvas) -> None:
        canvas.setAuthor(NAME_TEXT)
        _sentence()(canvas)

    src = _canvas_pdf(tmp_path / "author.pdf", author)
    dst = tmp_path / "out.pdf"
    with pytest.raises(LeakError, match="Nothing was written"):
        redact_pdf(src, dst, NAME)
    assert not dst.exists()
