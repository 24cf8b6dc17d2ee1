"""The CLI's progress for every OCR stage, in a real public build with scans and pictures:
page counts across all the documents, in lines a log keeps (stderr is not a terminal here)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bundler.core.ocr.recognise import find_tesseract
from tests.conftest import require
from tests.ocr_pages import pictured_letters, scanned_pdf
from tests.ocr_readback import saved_project

ROOT = Path(__file__).resolve().parents[2]  # this tree, whichever bundler is installed


def test_every_ocr_stage_counts_pages_on_stderr(tmp_path: Path) -> None:
    require(find_tesseract() is not None, "Tesseract (tesseract-ocr)")
    documents = [
        (scanned_pdf(tmp_path / "scans.pdf", 3), "Scans"),
        (scanned_pdf(tmp_path / "more scans.pdf", 2), "More scans"),
        (pictured_letters(tmp_path / "letters.pdf"), "Letters"),
    ]
    project, out = saved_project(tmp_path / "case", documents), tmp_path / "public.pdf"
    args = ["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-m", "bundler", *args], capture_output=True, text=True, env=env)
    err = run.stderr
    assert run.returncode == 0, err
    ended = dict(re.findall(r"^(.+): page (\d+) of \2$", err, flags=re.MULTILINE))
    # every page of the three documents is looked at for pictures, as one stage
    assert ended["Looking for protected names in pictures"] == "10", err
    # the 5 scanned pages and the 3 letters made pictures, OCR'd as one stage across documents
    assert ended["OCR"] == "8", err
    # the letters' pages rasterised by redaction lose their text: OCR'd again
    assert ended["OCR again after redaction"] == "3", err
    assert "OCR..." in err and "Traceback" not in err
