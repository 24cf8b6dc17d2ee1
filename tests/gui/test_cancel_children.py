"""Cancel from the window stops a public build at once, LibreOffice included, and the next build works.

Real window, real LibreOffice, real redaction. The latency is printed, not asserted tightly
(the bench, bench/gui_stall.py, is the measure): each cancel must end within 5 s and
leave no process, no output and no temporary folder behind.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from bundler.core.adding import new_document
from bundler.core.anonymise.register import add_person
from bundler.core.build.pipeline import default_output_name
from bundler.core.errors import Cancelled
from bundler.core.model import CaseDetails
from bundler.core.report import BuildReport
from bundler.core.templates import new_bundle
from bundler.gui.mainwindow.files import write_project
from tests.pdfs import make_pdf

from .test_build_worker import leftovers, private_tmp  # noqa: F401 - a fixture, used by name

NAME = "Farida Khanum"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def processes_under(folder: Path) -> list[str]:
    """Live processes whose command line names ``folder``: those the build started there."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(folder) in cmd and state != "Z":
            found.append(f"{entry.name}: {cmd[:120]}")
    return found


def statement(path: Path, paragraphs: int = 60) -> Path:
    doc = DocxDocument()
    doc.add_heading(f"Witness statement of {NAME}", level=1)
    for n in range(paragraphs):
        doc.add_paragraph(f"{n + 1}. I, {NAME}, saw the officer write the referral on that day. " * 3)
    doc.save(str(path))
    return path


def public_project(tmp_path: Path, docx: int = 0, pdf_pages: int = 0) -> Path:
    """A saved project with a register: its build is the anonymised public bundle."""
    bundle = new_bundle("jr-claim", CaseDetails("R (AB) v Wessex Police", "AC-2019-LON-002345"))
    for n in range(docx):
        source = statement(tmp_path / f"Statement {n + 1}.docx")
        bundle.sections[0].documents.append(new_document(source, None))
    for n in range(3 if pdf_pages else 0):
        source = make_pdf(tmp_path / f"Exhibit {n + 1}.pdf", pdf_pages // 3, text=f"{NAME} wrote page")
        bundle.sections[0].documents.append(new_document(source, None))
    add_person(bundle, NAME, "FK")
    project = tmp_path / "case.bundle.json"
    write_project(bundle, project)
    return project


def open_counted(qtbot, window, project: Path) -> None:
    """Opened, and the page counts in (counting converts DOCX with LibreOffice too)."""
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=120_000):
        assert window.files.open_path(project)


def cancel_when(qtbot, window, ready) -> tuple[object, float]:
    """Build from the window, click Cancel once ``ready()``; the result and the seconds it took."""
    clicked: list[float] = []

    def look(_text: str = "") -> bool:
        if not clicked and ready():
            clicked.append(time.perf_counter())
            window.cancel_button.click()
        return bool(clicked)

    window.tasks.progressText.connect(look)
    with qtbot.waitSignal(window.buildFinished, timeout=180_000) as finished:
        window.action_set.build.trigger()
        qtbot.waitUntil(lambda: look() or bool(clicked), timeout=120_000)  # also between progress signals
    window.tasks.progressText.disconnect(look)
    return finished.args[0], time.perf_counter() - clicked[0]


def assert_stopped_cleanly(window, result: object, seconds: float, project: Path, private_tmp: Path) -> None:  # noqa: F811
    assert isinstance(result, Cancelled), result
    assert seconds < 5, f"cancel took {seconds:.2f} s"
    assert processes_under(private_tmp) == []
    assert not (project.parent / default_output_name(window.bundle)).exists()
    assert leftovers(project.parent, private_tmp) == []
    assert window.action_set.build.isEnabled() and not window.cancel_button.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()


@needs_soffice
def test_cancel_during_libreoffice_kills_it_and_the_next_build_succeeds(qtbot, window, answers, tmp_path, private_tmp):  # noqa: F811
    project = public_project(tmp_path, docx=6)
    open_counted(qtbot, window, project)
    assert processes_under(private_tmp) == []

    def soffice_running() -> bool:  # converted documents are merged while LibreOffice goes on, so
        # the status line may already name a later stage: what counts is that soffice is running
        return any("soffice" in p or "oosplash" in p for p in processes_under(private_tmp))

    result, seconds = cancel_when(qtbot, window, soffice_running)
    print(f"cancel during LibreOffice: stopped in {seconds:.2f} s")
    assert_stopped_cleanly(window, result, seconds, project, private_tmp)

    with qtbot.waitSignal(window.buildFinished, timeout=300_000) as finished:
        window.action_set.build.trigger()
    report = finished.args[0]
    assert isinstance(report, BuildReport), report
    text = subprocess.run(["pdftotext", report.output, "-"], capture_output=True, text=True, check=True).stdout
    assert "Witness statement of FK" in text and "Khanum" not in text
    assert any(d.converter == "libreoffice" for d in report.documents)
    assert processes_under(private_tmp) == [] and answers.errors == []


def test_cancel_during_redaction_stops_and_leaves_nothing(qtbot, window, answers, tmp_path, private_tmp):  # noqa: F811
    project = public_project(tmp_path, pdf_pages=600)
    open_counted(qtbot, window, project)

    def redacting() -> bool:
        return window.statusBar().currentMessage().startswith("Redacting")

    result, seconds = cancel_when(qtbot, window, redacting)
    print(f"cancel during redaction: stopped in {seconds:.2f} s")
    assert_stopped_cleanly(window, result, seconds, project, private_tmp)
    assert answers.errors == []
