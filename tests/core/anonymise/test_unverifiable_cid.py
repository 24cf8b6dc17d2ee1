"""A Type0 font whose program has no character map cannot be checked against its ToUnicode map (issue 10).

Qt and Ghostscript subsets carry no ``cmap`` and no glyph names, so an attacker
can strip them and let ToUnicode say "xyz" where the glyphs show a protected
name. Such a page is looked at: rendered and OCR'd; a protected term OCR sees
and the extracted text does not makes it a page of uncertain text (pictured,
OCR'd, burned). A legit page stays text, and a rebuild reads nothing again.
"""

from __future__ import annotations

import io
import string
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pdfminer.high_level import extract_text
from pypdf import PdfReader

import bundler.core.anonymise.glyphs.stage as stage
import bundler.core.anonymise.pdf.images as images
from bundler.cli.main import main
from bundler.core.anonymise.glyphs.doubt import page_doubts, page_unverifiable
from bundler.core.anonymise.register import add_person
from tests.conftest import require
from tests.glyphfonts import type0_page
from tests.ocr_readback import flat, ocr, saved_project

NAME = "Farida Khanum"
PARTS = ["farida", "khanum"]
LINES = [f"Witness statement of {NAME}", "Grounds follow below"]
LIE = {c: string.ascii_lowercase[(string.ascii_lowercase.index(c.lower()) + 13) % 26] for c in NAME if c.isalpha()}
LEGIT = ["Grounds follow below", "The decision under challenge"]


def _stripped(path: Path) -> Path:
    """Replace the embedded program by the same font with no ``cmap`` and no glyph names."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for cid in pdf.objects:
            obj = cid.get("/FontDescriptor") if isinstance(cid, pikepdf.Dictionary) else None
            if obj is not None and "/FontFile2" in obj:
                font = TTFont(io.BytesIO(obj.FontFile2.read_bytes()))
                del font["cmap"]
                font["post"].formatType = 3.0  # no glyph names
                out = io.BytesIO()
                font.save(out)
                obj.FontFile2 = pdf.make_stream(out.getvalue())
        pdf.save(path)
    return path


def _lying(path: Path) -> Path:
    return _stripped(type0_page(path, LINES, LIE))


def _legit(path: Path) -> Path:
    return _stripped(type0_page(path, LEGIT, {}))


def _project(folder: Path, documents: list[tuple[Path, str]]) -> Path:
    return saved_project(folder, documents, lambda bundle: add_person(bundle, NAME, "FK"))


def _pdftotext(pdf: Path, page: int | None = None) -> str:
    import shutil
    import subprocess

    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True).stdout


def test_the_attack_is_real_and_unverifiable(tmp_path: Path) -> None:
    pdf = _lying(tmp_path / "lie.pdf")
    text = extract_text(str(pdf))
    assert "snevqn xunahz" in text.lower() and "farida" not in text.lower()
    seen = flat(ocr(pdf, tmp_path))
    assert all(flat(part) in seen for part in PARTS)
    page = PdfReader(pdf).pages[0]
    assert page_doubts(page) == []  # nothing in the file contradicts the lie
    assert page_unverifiable(page)
    honest = PdfReader(type0_page(tmp_path / "honest.pdf", LEGIT, {})).pages[0]
    assert not page_unverifiable(honest)  # its cmap checks every code


class _Counting:
    calls = 0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int, int]:
    folder = tmp_path_factory.mktemp("unverifiable")
    documents = [(_lying(folder / "lie.pdf"), "Statement"), (_legit(folder / "legit.pdf"), "Decision")]
    project, out = _project(folder / "case", documents), folder / "public.pdf"
    original = images.ImageReader._recognise
    counts: list[int] = []

    def counting(self: images.ImageReader, image: object, *, page: bool = False) -> str:
        if page:
            counts.append(1)
        return original(self, image, page=page)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(images.ImageReader, "_recognise", counting)
        assert main(["build", str(project), "-o", str(out), "--cache-dir", str(folder / "cache")]) == 0
        first = len(counts)
        assert main(["build", str(project), "-o", str(folder / "again.pdf"), "--cache-dir", str(folder / "cache")]) == 0
    return folder, out, first, len(counts) - first


def test_the_public_bundle_shows_no_part_of_the_name(built: tuple[Path, Path, int, int]) -> None:
    folder, out, _, _ = built
    for reader, text in {
        "pdfminer.six": extract_text(str(out)),
        "pdftotext": _pdftotext(out),
        "tesseract": ocr(out, folder),
    }.items():
        for part in PARTS:
            assert flat(part) not in flat(text), (reader, part)


def test_the_legit_page_stays_text(built: tuple[Path, Path, int, int]) -> None:
    _, out, _, _ = built
    with pikepdf.open(out) as pdf:
        type0_pages = [
            number
            for number, page in enumerate(pdf.pages, 1)
            if any(font.get("/Subtype") == "/Type0" for font in (page.Resources.get("/Font") or {}).values())
        ]
    assert len(type0_pages) == 1  # the legit page kept its font; the lying one is a picture
    assert "The decision under challenge" in _pdftotext(out, type0_pages[0])


def test_both_pages_are_looked_at_once_and_the_rebuild_reads_nothing(built: tuple[Path, Path, int, int]) -> None:
    _, _, first, second = built
    assert first == 2
    assert second == 0


def test_without_tesseract_the_page_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(images, "find_tesseract", lambda: None)
    monkeypatch.setattr(stage, "find_tesseract", lambda: None)
    project = _project(tmp_path / "case", [(_legit(tmp_path / "legit.pdf"), "Decision")])
    out = tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) != 0
    assert not out.exists()
    err = capsys.readouterr().err
    assert "legit.pdf" in err and "page(s) 1" in err and "Tesseract" in err
