"""Issue 10: a Type0 (CID) font whose /ToUnicode map lies, through a real CLI build.

The page draws "Farida Khanum" with DejaVu Sans glyphs (Identity-H: the content
bytes are glyph ids, which spell nothing), and the font's ToUnicode map says
those glyphs are other letters. pdfminer.six and pdftotext (and our redactor and
gate, which read text the same way) read the lie; only the pixels show the
name. The font's own cmap contradicts the map, so the font is uncertain: the
build pictures the page, OCRs it and burns the boxes in; with that stage broken
the gate refuses the bundle and names the page. A Type0 font whose map tells
the truth, and the real CID fonts of the corpus, are not pictured.
"""

from __future__ import annotations

import shutil
import string
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdfminer.high_level import extract_text
from pypdf import PdfReader

from bundler.cli.main import main
from bundler.core.anonymise.glyphs.doubt import page_doubts
from bundler.core.anonymise.register import add_person
from tests.conftest import require
from tests.glyphfonts import type0_page
from tests.ocr_readback import flat, ocr, saved_project

NAME = "Farida Khanum"
PARTS = ["farida", "khanum"]
LINES = [f"Witness statement of {NAME}", "Grounds follow below"]
# every letter of the name is extracted as its rot13 partner: "Farida Khanum" reads "snevqn xunahz"
LIE = {c: string.ascii_lowercase[(string.ascii_lowercase.index(c.lower()) + 13) % 26] for c in NAME if c.isalpha()}
LEGIT = ["Grounds follow below", "The decision under challenge"]
REASON = "its ToUnicode map contradicts the font's own character map"


def _lying(path: Path) -> Path:
    return type0_page(path, LINES, LIE)


def _honest(path: Path, lines: list[str] = LEGIT) -> Path:
    return type0_page(path, lines, {})


def _project(folder: Path, documents: list[tuple[Path, str]]) -> Path:
    return saved_project(folder, documents, lambda bundle: add_person(bundle, NAME, "FK"))


def _readers(pdf: Path, folder: Path) -> dict[str, str]:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    return {
        "pdfminer.six": extract_text(str(pdf)),
        "pdftotext": subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout,
        "tesseract": ocr(pdf, folder),
    }


def test_the_attack_is_real(tmp_path: Path) -> None:
    source = _lying(tmp_path / "source.pdf")
    readings = _readers(source, tmp_path)
    for reader in ("pdfminer.six", "pdftotext"):
        assert "snevqn xunahz" in readings[reader], reader  # the lie is what text readers get
        assert not any(part in flat(readings[reader]) for part in PARTS), reader
    assert all(flat(part) in flat(readings["tesseract"]) for part in PARTS)  # the pixels show the name
    with pikepdf.open(source) as pdf:
        raw = pdf.pages[0].Contents.read_bytes()
    assert not any(part.encode() in raw.lower() for part in PARTS)  # the content bytes are glyph ids


def test_the_lying_font_is_uncertain_and_an_honest_one_is_not(tmp_path: Path) -> None:
    assert page_doubts(PdfReader(str(_lying(tmp_path / "lie.pdf"))).pages[0]) == [REASON]
    assert page_doubts(PdfReader(str(_honest(tmp_path / "true.pdf", LINES))).pages[0]) == []


@pytest.mark.parametrize(
    ("line", "says", "doubted"),
    [
        ("\ufb01nal", {"\ufb01": "fi"}, False),  # a ligature glyph extracted as its letters
        ("ĳ x²", {"ĳ": "ij", "²": "2"}, False),  # compatibility forms: NFKC makes them the letters
        ("Farida", {"F": "f"}, True),  # exact: another case is another letter
        ("Farida", {"F": ""}, True),  # letters drawn and extracted as nothing hide the name too
        ("Farida", {"F": "Fx"}, True),  # a letter with another beside it breaks the name
        ("Farida, 1", {",": ";", "1": "1"}, False),  # punctuation is not a letter: not checked
    ],
)
def test_what_counts_as_a_contradiction(tmp_path: Path, line: str, says: dict[str, str], doubted: bool) -> None:
    page = PdfReader(str(type0_page(tmp_path / "page.pdf", [line], says))).pages[0]
    assert page_doubts(page) == ([REASON] if doubted else [])


def test_a_cff_cid_font_is_checked_through_its_glyph_names(tmp_path: Path) -> None:
    cff = Path("/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf")
    require(cff.is_file(), f"an OpenType CFF font ({cff})")
    lie = type0_page(tmp_path / "lie.pdf", LINES, LIE, font_file=cff)
    honest = type0_page(tmp_path / "true.pdf", LINES, {}, font_file=cff)
    assert page_doubts(PdfReader(str(lie)).pages[0]) == [REASON]
    assert page_doubts(PdfReader(str(honest)).pages[0]) == []


def test_the_real_cid_fonts_of_the_corpus_are_not_doubted(corpus: Path) -> None:
    # Google Docs (CIDFontType2, Identity CIDToGIDMap) and an Arabic text whose map
    # gives one glyph a whole cluster and its neighbours nothing: both legitimate.
    for name in ("google-doc-document.pdf", "habibi-rotated.pdf"):
        reader = PdfReader(str(corpus / "real-pdfs" / name))
        cid_fonts = [
            font.get_object()
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
            if font.get_object().get("/Subtype") == "/Type0" and "/ToUnicode" in font.get_object()
        ]
        assert cid_fonts, name  # the check has something to look at
        assert [page_doubts(page) for page in reader.pages] == [[]] * len(reader.pages), name


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("lying")
    documents = [(_lying(folder / "lie.pdf"), "Statement"), (_honest(folder / "true.pdf"), "Decision")]
    project, out = _project(folder / "case", documents), folder / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(folder / "cache")]) == 0
    return folder, out


def test_the_public_bundle_shows_no_part_of_the_name(built: tuple[Path, Path]) -> None:
    folder, out = built
    readings = _readers(out, folder)
    for reader, text in readings.items():
        for part in PARTS:
            assert flat(part) not in flat(text), (reader, part)
    # both pages are still there to read: the pictured lying one and the honest one
    assert flat(readings["tesseract"]).count(flat("Grounds follow below")) == 2


def test_the_honest_cid_font_is_still_text_in_the_bundle(built: tuple[Path, Path]) -> None:
    _, out = built
    with pikepdf.open(out) as pdf:
        type0_pages = [
            number
            for number, page in enumerate(pdf.pages, 1)
            if any(font.get("/Subtype") == "/Type0" for font in (page.Resources.get("/Font") or {}).values())
        ]
    assert len(type0_pages) == 1  # the honest page kept its font; the lying one is a picture
    text = subprocess.run(
        ["pdftotext", "-f", str(type0_pages[0]), "-l", str(type0_pages[0]), str(out), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert "The decision under challenge" in text


def test_with_the_stage_broken_the_gate_refuses_naming_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bundler.core.build.pipeline as pipeline

    monkeypatch.setattr(pipeline, "legible_prepared", lambda ctx, jobs, prepared: prepared)
    project, out = _project(tmp_path / "case", [(_lying(tmp_path / "lie.pdf"), "Statement")]), tmp_path / "public.pdf"
    assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]) != 0
    assert not out.exists()
    assert "page 3 (text in a font we cannot read for certain)" in capsys.readouterr().err
