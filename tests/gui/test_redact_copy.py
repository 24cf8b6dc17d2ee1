"""Export a redacted copy of one document from the window: previewed first, then written, gated."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from bundler.core.build.single import SingleReport
from bundler.core.errors import LeakError

from .test_workflows import TIMEOUT, open_project

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "aisha-v-wessex"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "case")
    return tmp_path / "case" / "aisha-v-wessex.bundle.json"


def _export(qtbot, window, title: str, dst: Path, seen: list[Path]) -> object:
    doc = next(d for _, d in window.bundle.documents() if d.title == title)
    window.tree.select_id(doc.id)
    window.redact_copy.previewReady.connect(seen.append)

    def save_file(title: str, suggested: Path, filters: str = "") -> Path:
        assert "Khanum" not in suggested.name and suggested.suffix == ".pdf"
        assert seen and window.preview.current_path() == seen[-1]  # shown before it is written
        assert not dst.exists()
        return dst

    window.prompts.save_file = save_file
    assert window.action_set.export_redacted.isEnabled()
    with qtbot.waitSignal(
        window.workflowFinished, timeout=TIMEOUT, check_params_cb=lambda kind, _r: kind == "redacted-copy"
    ) as finished:
        window.action_set.export_redacted.trigger()
    return finished.args[1]


def test_a_word_statement_is_previewed_then_exported_as_anonymised_docx(qtbot, window, case, tmp_path):
    open_project(qtbot, window, case)
    dst, seen = tmp_path / "statement.docx", []
    report = _export(qtbot, window, "Witness statement of the claimant", dst, seen)
    assert isinstance(report, SingleReport), report
    with zipfile.ZipFile(dst) as archive:
        xml = " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    assert "Khanum" not in xml and "Farida" not in xml and "Aisha" in xml
    assert "Khanum" not in " ".join(p.extract_text() for p in PdfReader(seen[-1]).pages)


def test_a_scanned_exhibit_is_exported_as_pdf_with_its_boxes(qtbot, window, case, tmp_path):
    open_project(qtbot, window, case)
    dst, seen = tmp_path / "exhibit.pdf", []
    report = _export(qtbot, window, "Exhibit FK1 Home Office letter", dst, seen)
    assert isinstance(report, SingleReport), report
    assert report.schedule and len(PdfReader(dst).pages) == 1


def test_a_leak_stops_the_export_and_says_so(qtbot, window, answers, case, tmp_path, monkeypatch):
    import bundler.core.anonymise.docx.anonymise as anonymiser
    import bundler.core.anonymise.pdf.redact as pdf_redact

    def broken(src: Path, dst: Path, targets: object) -> SimpleNamespace:  # copies, changes nothing
        shutil.copyfile(src, dst)
        return SimpleNamespace(changes=[])

    def copy(src: Path, dst: Path, targets: object, boxes: object = (), **kw: object) -> object:
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(anonymiser, "anonymise_docx", broken)
    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)  # both redactors broken: only the gate is left
    open_project(qtbot, window, case)
    dst, seen = tmp_path / "statement.pdf", []
    result = _export(qtbot, window, "Witness statement of the claimant", dst, seen)
    assert isinstance(result, LeakError) and not dst.exists()
    assert answers.errors and isinstance(answers.errors[-1], LeakError)
