"""Attacks on the public bundle through inline images: ``BI … ID <bytes> EI`` in a content stream.

An inline image's bytes are not text, so the gate used to cut them out of the content it
read; but hex or ASCII85 that decodes to the name, Flate samples, run-length literals or a
JPEG comment are there for ``pdfimages`` (poppler) to write out. Each source is built
through the real CLI; the bundle is read back with ``pdfimages -all`` (the images' samples,
a JPEG's own bytes) and ``qpdf --qdf``, and must still draw.
"""

from __future__ import annotations

import base64
import binascii
import io
import shutil
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, NumberObject
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.errors import ExitCode
from tests.cli.attack_helpers import attack_project, draw_on_first_page, draws_cleanly, flat, qpdf_raw
from tests.conftest import require

NAME = b"Farida Khanum"
ROWS = (b"  " + NAME + b"  ") * 8  # a 17 x 8 grey picture whose samples spell the name
GREY = b"/W 17 /H 8 /BPC 8 /CS /G"


def _run_length(data: bytes) -> bytes:
    """RunLengthDecode's literal runs: the bytes themselves, each run behind its length."""
    out = b"".join(bytes([len(data[i : i + 128]) - 1]) + data[i : i + 128] for i in range(0, len(data), 128))
    return out + b"\x80"


def _jpeg_with_comment() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((64, 32), 40).convert("L").save(out, "JPEG", quality=80)
    jpeg = out.getvalue()
    comment = b"Photo of " + NAME
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def _inline(settings: bytes, data: bytes) -> bytes:
    return b"q 170 0 0 80 72 400 cm BI " + settings + b" ID " + data + b"\nEI Q"


INLINE: dict[str, Callable[[], bytes]] = {
    "hex": lambda: _inline(GREY + b" /F /AHx", binascii.hexlify(ROWS) + b">"),
    "ascii85-flate": lambda: _inline(GREY + b" /F [/A85 /Fl]", base64.a85encode(zlib.compress(ROWS)) + b"~>"),
    "run-length": lambda: _inline(GREY + b" /F /RL", _run_length(ROWS)),
    "hex-jpeg-comment": lambda: _inline(
        b"/W 64 /H 32 /BPC 8 /CS /G /F [/AHx /DCT]", binascii.hexlify(_jpeg_with_comment()) + b">"
    ),
}


def _source(path: Path, content: bytes, in_form: bool) -> None:
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, "The grounds of claim follow below.")
    pdf.save()
    writer = PdfWriter(clone_from=str(path))
    if not in_form:
        draw_on_first_page(writer, content)
    else:  # the picture drawn from a form XObject, not the page's own content
        form = DecodedStreamObject()
        form.set_data(content)
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(NumberObject(n) for n in (0, 0, 612, 792)),
            }
        )
        draw_on_first_page(writer, b"q /Fm9 Do Q", {"/Fm9": writer._add_object(form)})
    writer.write(str(path))


def _pdfimages(pdf: Path, folder: Path) -> str:
    """Every image poppler finds, inline ones included: a JPEG's own bytes, others' samples."""
    require(shutil.which("pdfimages") is not None, "pdfimages")
    folder.mkdir()
    subprocess.run(["pdfimages", "-all", str(pdf), str(folder / "im")], check=True, capture_output=True)
    found = []
    for image in sorted(folder.iterdir()):
        data = image.read_bytes()
        found.append(data if image.suffix == ".jpg" else Image.open(image).tobytes())
    return b"\n".join(found).decode("latin-1")


@pytest.mark.parametrize("in_form", [False, True], ids=["page", "form"])
@pytest.mark.parametrize("kind", sorted(INLINE))
def test_no_inline_image_spells_the_name_and_the_page_still_draws(tmp_path: Path, kind: str, in_form: bool) -> None:
    source = tmp_path / "source.pdf"
    _source(source, INLINE[kind](), in_form)
    assert "faridakhanum" in flat(_pdfimages(source, tmp_path / "before"))  # (the attack)
    project = attack_project(tmp_path, source, NAME.decode())
    out = tmp_path / "public.pdf"
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache"), "--no-ocr"])
    assert code == ExitCode.OK
    for reader, text in {"pdfimages -all": _pdfimages(out, tmp_path / "after"), "qpdf --qdf": qpdf_raw(out)}.items():
        read = flat(text)
        assert "farida" not in read and "khanum" not in read, f"{reader} reads the name in the public bundle"
    draws_cleanly(out, tmp_path)


def test_a_person_registered_after_a_build_is_cleaned_from_stored_pages_too(tmp_path: Path) -> None:
    """The second build takes its pages from the chunk store; they were sanitised against
    no target, so the store must not hand them back once a person is registered."""
    source = tmp_path / "source.pdf"
    _source(source, INLINE["hex"](), in_form=False)
    project = attack_project(tmp_path, source, "Unrelated Person")
    cache, out = str(tmp_path / "cache"), tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", cache, "--no-ocr"]) == ExitCode.OK
    assert main(["register", str(project), "add-person", NAME.decode(), "--pseudonym", "CD"]) == 0
    assert main(["build", str(project), "-o", str(out), "--cache-dir", cache, "--no-ocr"]) == ExitCode.OK
    assert "faridakhanum" not in flat(_pdfimages(out, tmp_path / "after"))
