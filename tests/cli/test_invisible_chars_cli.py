"""Attack: the name with characters that print as nothing inside it.

"Far\u034fida" (a combining grapheme joiner), "Farida\ufe0f" (a variation selector), a
Hangul filler, an ideographic variation selector, NUL, ESC or DEL between letters: a
reader's eye, and any reader that drops what it cannot print, sees "Farida". The
matcher drops them as it drops zero-width spaces, so the page text and the bookmarks
are anonymised; read back with pypdf's outline and poppler's pdftotext.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.assets import font_path
from bundler.core.errors import ExitCode
from tests.cli.attack_helpers import attack_project, flat
from tests.conftest import require

# What prints as nothing, written out here rather than taken from the product's fold.
INVISIBLE = "\u034f\ufe0f\u3164\U000e0100\x00\x1b\x7f"
FORMS = {
    "grapheme joiner": "Far\u034fida Khanum",
    "variation selectors": "Farida\ufe0f Kha\ufe0fnum",
    "hangul filler": "Far\u3164ida Khanum",
    "ideographic variation selector": "Far\U000e0100ida Khanum",
    "nul": "Far\x00ida Khanum",
    "escape": "Farid\x1ba Khanum",
    "delete": "Fa\x7frida Khanum",
}


def _source(path: Path) -> None:
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(font_path("DejaVuSans"))))
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, "The grounds of claim follow below.")
    pdf.setFont("DejaVuSans", 12)
    for n, (key, form) in enumerate(FORMS.items()):
        pdf.drawString(72, 700 - 24 * n, f"Statement of {form} dated 3 May")
        pdf.bookmarkPage(key.replace(" ", "-"))
        pdf.addOutlineEntry(f"Letter from {form}", key.replace(" ", "-"), 0)
    pdf.save()


def _as_read(text: str) -> str:
    return flat("".join(ch for ch in text if ch not in INVISIBLE))


def _titles(outline: list) -> list[str]:
    return [t for item in outline for t in (_titles(item) if isinstance(item, list) else [item.title])]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("invisible")
    source = folder / "source.pdf"
    _source(source)
    assert _as_read("\n".join(_titles(PdfReader(source).outline))).count("faridakhanum") == len(FORMS)
    project = attack_project(folder, source, "Farida Khanum")
    out = folder / "public.pdf"
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(folder / "cache"), "--no-ocr"])
    assert code == ExitCode.OK
    return out


def test_no_bookmark_spells_the_name_through_invisible_characters(built: Path) -> None:
    titles = _titles(PdfReader(built).outline)
    read = _as_read("\n".join(titles))
    assert "farida" not in read and "khanum" not in read
    assert sum(t == "Letter from AB" for t in titles) == len(FORMS)


def test_no_page_text_spells_the_name_through_invisible_characters(built: Path) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext")
    text = subprocess.run(["pdftotext", str(built), "-"], capture_output=True, check=True).stdout.decode()
    read = _as_read(text + PdfReader(built).pages[2].extract_text())
    assert "farida" not in read and "khanum" not in read
