"""'bundler redact': one statement redacted on its own, read back by readers the gate does not use."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from bundler.cli.main import main
from tests.conftest import require

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "aisha-v-wessex"
PROTECTED = ["Farida", "Khanum", "14 Elm Road", "SO15 3PQ", "K1234567", "3 February 1991"]


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped example case: a DOCX statement, PDFs, and a scanned exhibit with boxes drawn."""
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(EXAMPLE, tmp_path / "case")
    return tmp_path / "case" / "aisha-v-wessex.bundle.json"


def pdftotext(pdf: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def docx_texts(path: Path) -> str:
    """Every XML part of the package, tags and all, plus python-docx's paragraph text."""
    with zipfile.ZipFile(path) as archive:
        raw = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return raw + "\n".join(p.text for p in DocxDocument(str(path)).paragraphs)


def _no_protected(text: str) -> None:
    flat = re.sub(r"\s+", " ", text)
    for original in PROTECTED:
        assert original.casefold() not in flat.casefold(), original


def test_a_word_statement_comes_out_as_a_redacted_pdf_and_an_anonymised_docx(case: Path) -> None:
    pdf, docx = case.parent / "out" / "D1.pdf", case.parent / "out" / "D1.docx"
    assert main(["redact", str(case), "D1", "-o", str(pdf), "--docx", str(docx)]) == 0
    text = pdftotext(pdf)
    _no_protected(text)
    assert "WITNESS STATEMENT OF Aisha" in text and "[REDACTED]" in text
    _no_protected(docx_texts(docx))
    body = [p.text for p in DocxDocument(str(docx)).paragraphs]
    assert "WITNESS STATEMENT OF Aisha" in body  # still a Word file a solicitor can edit
    assert any(p.style is not None and p.style.name != "Normal" for p in DocxDocument(str(docx)).paragraphs)
    rows = list(csv.DictReader((pdf.parent / "D1 - Redaction schedule.csv").open(encoding="utf-8-sig")))
    assert {r["Category"] for r in rows} >= {"person", "address"}
    assert all("Khanum" not in v for r in rows for v in r.values())


def test_a_pdf_document_alone_has_no_cover_index_or_stamps(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    assert main(["redact", str(case), "C1", "-o", str(out)]) == 0
    text = pdftotext(out)
    assert "INDEX" not in text.upper().split("\n")[0]
    from pypdf import PdfReader

    source = PdfReader(EXAMPLE / "sources" / "2019-08-11 Letter before claim.pdf")
    assert len(PdfReader(out).pages) == len(source.pages)
    _no_protected(text)


def test_the_scanned_exhibit_keeps_its_boxes_burned_in(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "exhibit.pdf"
    assert main(["redact", str(case), "D2", "-o", str(out)]) == 0
    _no_protected(pdftotext(out))
    rows = list(csv.DictReader((tmp_path / "exhibit - Redaction schedule.csv").open(encoding="utf-8-sig")))
    assert len(rows) >= 2 and all("page rasterised" in r["Action"] for r in rows)  # the pixels went too


def _schedule_of(path: Path, tab: str) -> list[tuple[str, str]]:
    rows = csv.DictReader(path.open(encoding="utf-8-sig"))
    return sorted((r["Category"], r["Action"]) for r in rows if r["Tab"] == tab)


@pytest.mark.parametrize("tab", ["D1", "D2"], ids=["text statement", "scanned exhibit"])
def test_alone_and_in_the_bundle_a_document_carries_the_same_redactions(case: Path, tmp_path: Path, tab: str) -> None:
    bundle_pdf = tmp_path / "bundle.pdf"
    assert main(["build", str(case), "-o", str(bundle_pdf)]) == 0
    alone = tmp_path / f"{tab}.pdf"
    assert main(["redact", str(case), tab, "-o", str(alone)]) == 0
    in_bundle = _schedule_of(tmp_path / "bundle - Redaction schedule.csv", tab)
    assert in_bundle and _schedule_of(tmp_path / f"{tab} - Redaction schedule.csv", tab) == in_bundle
    words = set(re.findall(r"[A-Za-z\[\]]{4,}", pdftotext(alone)))
    assert words <= set(re.findall(r"[A-Za-z\[\]]{4,}", pdftotext(bundle_pdf)))


def test_a_broken_anonymiser_trips_the_gate_on_the_docx_path(case: Path, tmp_path: Path, monkeypatch) -> None:
    import bundler.core.anonymise.docx.anonymise as anonymiser

    monkeypatch.setattr(anonymiser, "anonymise_docx", lambda src, dst, targets: shutil.copyfile(src, dst))
    docx = tmp_path / "statement.docx"
    assert main(["redact", str(case), "D1", "--docx", str(docx)]) == 8
    assert not docx.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".statement")]


def test_every_document_one_file_each_and_no_real_name_in_any_file_name(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "copies"
    assert main(["redact", str(case), "--all", "--out-dir", str(out), "--docx-too"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert sum(n.endswith("REDACTED.pdf") for n in names) == 6 and sum(n.endswith(".docx") for n in names) == 1
    _no_protected(" ".join(names))


def test_bad_requests_get_one_line_and_exit_3(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redact", str(case), "Z9"]) == 3
    assert main(["redact", str(case), "C1", "--docx", "x.docx"]) == 3
    assert main(["redact", str(case), "--all"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "There is no document 'Z9'" in err
