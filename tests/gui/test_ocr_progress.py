"""The window's progress for the picture OCR stage and OCR across documents (issue 12):
page counts beside the bar, from a real public build."""

from __future__ import annotations

import re
from pathlib import Path

from bundler.core.ocr.recognise import find_tesseract
from bundler.core.report import BuildReport
from tests.conftest import require
from tests.ocr_pages import pictured_letters, scanned_pdf
from tests.ocr_readback import saved_project

from .test_app_flow import BUILD_TIMEOUT


def test_the_window_counts_pages_for_every_ocr_stage(qtbot, window, answers, tmp_path: Path) -> None:
    require(find_tesseract() is not None, "Tesseract (tesseract-ocr)")
    documents = [(scanned_pdf(tmp_path / "scans.pdf", 2), "Scans"), (pictured_letters(tmp_path / "l.pdf"), "Letters")]
    project = saved_project(tmp_path / "case", documents)
    assert window.files.open_path(project)
    said: list[str] = []
    window.tasks.progressText.connect(said.append)
    shown: list[str] = []
    window.tasks.progressText.connect(lambda _w: shown.append(window.statusBar().currentMessage()))
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    assert isinstance(built.args[0], BuildReport), built.args[0]
    pictures = [s for s in said if s.startswith("Looking for protected names in pictures: ")]
    assert pictures[0] == "Looking for protected names in pictures: page 1 of 7", said
    assert re.fullmatch(r"Looking for protected names in pictures: page 7 of 7", pictures[-1])
    ocr = [s.split(" — ")[0] for s in said if s.startswith("OCR: page ")]
    assert ocr[0] == "OCR: page 1 of 5" and ocr[-1] == "OCR: page 5 of 5", said  # 2 scans + 3 letters, one stage
    assert "OCR again after redaction: page 3 of 3" in [s.split(" — ")[0] for s in said]
    assert any(s.startswith("OCR: page ") for s in shown)  # in the status line beside the bar
