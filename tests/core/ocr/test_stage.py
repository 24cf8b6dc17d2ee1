"""OCR inside the build: scans become searchable, and a name in a scan's pixels is redacted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_person
from bundler.core.assets import font_path
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.model import CaseDetails
from bundler.core.ocr.recognise import find_tesseract
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from tests.conftest import require


def _scan(path: Path) -> Path:
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(font_path("DejaVuSerif")), 40)
    draw.text((120, 200), "Home Office letter to", font=font, fill=0)
    draw.text((120, 270), "Farida Khanum", font=font, fill=0)
    draw.text((120, 340), "about her appeal hearing", font=font, fill=0)
    image.save(path, dpi=(150, 150))
    return path


def _project(tmp_path: Path, ocr: str = "auto") -> Path:
    bundle = new_bundle("jr-claim", CaseDetails("AB v X", "AC-1"))
    bundle.options.ocr = ocr
    add_document(bundle, tmp_path, _scan(tmp_path / "2019-06-05 Exhibit.png"), "D")
    add_person(bundle, "Farida Khanum", "AB")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    return project


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.casefold()


def test_a_name_in_a_scan_is_found_by_ocr_and_burned_out(tmp_path):
    require(find_tesseract() is not None, "Tesseract (tesseract-ocr)")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    report = build_bundle(
        _project(tmp_path), load_project(tmp_path / "case.bundle.json"), BuildOptions(tmp_path / "cache")
    )
    text = _page_text(Path(report.output), 3)
    assert "khanum" not in text and "farida" not in text
    assert "appeal hearing" in text  # searchable, and the rest of the scan still reads
    assert any("again after redaction" in n for n in report.notes)
    assert report.leak_gate.startswith("passed")


def test_without_ocr_the_scan_is_not_searchable_and_the_report_says_so(tmp_path):
    report = build_bundle(
        _project(tmp_path, ocr="off"), load_project(tmp_path / "case.bundle.json"), BuildOptions(tmp_path / "cache")
    )
    assert not any("OCR gave" in n for n in report.notes)
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    assert "appeal" not in _page_text(Path(report.output), 3)
