"""OCR on every core inside a real public build (issue 12).

Pictures read ahead in a pool give exactly what reading them one at a time gives:
the same redacted documents, the same schedule, the same bundle text. A cancel in
the middle of OCR stops the build at once: the Tesseracts running are killed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.errors import Cancelled
from bundler.core.ocr.recognise import find_tesseract
from bundler.core.project import load_project
from tests.conftest import require
from tests.ocr_pages import pictured_letters, scanned_pdf
from tests.ocr_readback import saved_project


def _build(project: Path, folder: Path, workers: int) -> tuple[Path, Path]:
    report = build_bundle(
        project,
        load_project(project),
        BuildOptions(folder / "cache", output=folder / "public.pdf", ocr_workers=workers),
    )
    csv = next(Path(p) for p in report.schedule if p.endswith(".csv"))
    return Path(report.output), csv


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pictures_read_in_parallel_give_what_reading_them_in_turn_gives(tmp_path):
    require(find_tesseract() is not None, "Tesseract (tesseract-ocr)")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    project = saved_project(tmp_path / "case", [(pictured_letters(tmp_path / "letters.pdf"), "Letters")])
    one, one_csv = _build(project, tmp_path / "one", 1)
    many, many_csv = _build(project, tmp_path / "many", 4)
    assert one_csv.read_bytes() == many_csv.read_bytes()
    rows = one_csv.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [row.split(",")[3] for row in rows] == ["3", "5", "7"]  # the letters' pages 1, 3 and 5
    for kind in ("legible.pdf", "redacted.pdf"):
        made = [sorted(p.name for p in (tmp_path / run / "cache").glob(f"*.{kind}")) for run in ("one", "many")]
        assert made[0] == made[1] and made[0], kind  # the same keys: the same inputs
        for name in made[0]:
            assert (tmp_path / "one" / "cache" / name).read_bytes() == (tmp_path / "many" / "cache" / name).read_bytes()
    assert _text(one) == _text(many)
    assert "okonkwo" not in _text(many).casefold()


def _tesseract_children() -> list[int]:
    """Tesseract processes this test's process started that are still running (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            name = stat.read_text().split("(", 1)[1].split(")", 1)[0]
        except OSError:
            continue
        if name == "tesseract" and int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


class CancelDuringOcr:
    """The user clicks Cancel one second into the OCR stage."""

    def __init__(self) -> None:
        self.ocr_started: float | None = None
        self.asked: float | None = None

    def stage(self, name: str, total: int, unit: str = "") -> None:
        if name == "OCR":
            self.ocr_started = time.monotonic()

    def advance(self, steps: int = 1) -> None:
        pass

    def cancelled(self) -> bool:
        if self.asked is None and self.ocr_started is not None and time.monotonic() - self.ocr_started > 1.0:
            self.asked = time.monotonic()
            self.running = _tesseract_children()
        return self.asked is not None


def test_a_cancel_during_ocr_kills_the_tesseracts_and_stops_at_once(tmp_path):
    require(find_tesseract() is not None, "Tesseract (tesseract-ocr)")
    require(Path("/proc/self/stat").exists(), "Linux /proc")
    scans = scanned_pdf(tmp_path / "scans.pdf", 4, lines=45)  # dense pages: seconds of Tesseract each
    project = saved_project(tmp_path / "case", [(scans, "Scans")])
    progress = CancelDuringOcr()
    with pytest.raises(Cancelled):
        build_bundle(project, load_project(project), BuildOptions(tmp_path / "cache"), progress)
    took = time.monotonic() - (progress.asked or 0)
    print(f"cancel during OCR: stopped {took:.2f} s after the click, {len(progress.running)} Tesseract(s) killed")
    assert progress.running, "no Tesseract was running when Cancel was clicked"
    assert took < 5
    assert _tesseract_children() == []
    assert not list((tmp_path / "cache").glob("*.ocr.pdf"))
