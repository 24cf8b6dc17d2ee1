"""Background builds: progress as signals, Cancel leaves nothing behind, the UI keeps running."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer

from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import default_output_name
from bundler.core.errors import BundlerError, Cancelled
from bundler.core.model import CaseDetails
from bundler.core.report import BuildReport
from bundler.core.templates import new_bundle
from bundler.gui.mainwindow.files import write_project
from bundler.gui.workers import Task, build_job
from tests.pdfs import make_pdf, stamps

from .test_app_flow import section


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The build's temporary folders go here, so the test can see that none is left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def big_bundle(tmp_path: Path, pages: int = 300):
    from bundler.core.adding import new_document

    bundle = new_bundle("jr-hearing", CaseDetails("AB v CC Wessex", "AC-2019-LON-002345"))
    for n in range(3):
        source = make_pdf(tmp_path / f"2019-0{n + 1}-01 Exhibit {n + 1}.pdf", pages // 3)
        bundle.sections[0].documents.append(new_document(source, None))
    project = tmp_path / "case.bundle.json"
    write_project(bundle, project)
    return project, bundle


def leftovers(folder: Path, private_tmp: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".part" or p.name.endswith(".pdf.part")) + sorted(
        p.name for p in private_tmp.iterdir()
    )


def test_a_build_task_reports_progress_and_its_result(qtbot, tmp_path, private_tmp):
    project, bundle = big_bundle(tmp_path, pages=6)
    task = Task("Building", build_job(project, bundle, BuildOptions(cache_dir=tmp_path / "cache")))
    stages: list[str] = []
    task.progress.stageStarted.connect(lambda name, total, unit: stages.append(name))
    with qtbot.waitSignal(task.succeeded, timeout=60_000) as done:
        task.start()
    task.wait()
    report = done.args[0]
    assert stages[0] == "Preparing documents" and "Stamping page numbers" in stages
    assert stamps(Path(report.output)) == [
        f"HB{n}" for n in range(1, report.pages + 1)
    ]  # the hearing template's prefix
    assert not list(private_tmp.iterdir())


def test_cancel_on_the_first_progress_signal_leaves_no_output(qtbot, tmp_path, private_tmp):
    project, bundle = big_bundle(tmp_path)
    output = project.parent / default_output_name(bundle)
    task = Task("Building", build_job(project, bundle, BuildOptions(cache_dir=tmp_path / "cache")))
    task.progress.stageStarted.connect(lambda *_: task.cancel())
    with qtbot.waitSignal(task.failed, timeout=60_000) as failed:
        task.start()
    task.wait()
    assert isinstance(failed.args[0], Cancelled)
    assert not output.exists() and leftovers(project.parent, private_tmp) == []


def test_cancel_from_the_window_keeps_the_earlier_bundle_and_the_ui_alive(
    qtbot, window, answers, tmp_path, private_tmp
):
    project, _ = big_bundle(tmp_path)
    assert window.files.open_path(project)
    output = project.parent / default_output_name(window.bundle)
    output.write_bytes(b"%PDF- the bundle served last week")
    ticks: list[int] = []
    timer = QTimer(interval=5, timeout=lambda: ticks.append(1))
    window.progress.valueChanged.connect(lambda _v: window.cancel_button.click())
    timer.start()
    with qtbot.waitSignal(window.buildFinished, timeout=120_000) as finished:
        window.action_set.build.trigger()
        assert window.cancel_button.isVisible() and not window.action_set.build.isEnabled()
    timer.stop()
    assert isinstance(finished.args[0], Cancelled) and answers.errors == []
    assert output.read_bytes() == b"%PDF- the bundle served last week"
    assert leftovers(project.parent, private_tmp) == []
    assert ticks, "the event loop did not run while building"
    assert not window.cancel_button.isVisible() and window.action_set.build.isEnabled()
    assert "cancelled" in window.statusBar().currentMessage()


def test_the_window_builds_and_numbers_match_the_tree(qtbot, window, answers, tmp_path):
    project, _ = big_bundle(tmp_path, pages=9)
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=60_000):
        assert window.files.open_path(project)
    first = window.model.ranges[section(window, "A").documents[1].id][0]
    with qtbot.waitSignal(window.buildFinished, timeout=120_000) as finished:
        window.action_set.build.trigger()
    report = finished.args[0]
    reader = PdfReader(report.output)
    assert (
        f"Page 1 of {Path(window.bundle.sections[0].documents[1].path).stem}" in reader.pages[first - 1].extract_text()
    )
    qtbot.waitSignal(window.preflightFinished, timeout=120_000).wait()


def test_an_unexpected_error_becomes_a_message(qtbot):
    def broken(progress):
        raise KeyError("boom")

    task = Task("Counting pages", broken)
    with qtbot.waitSignal(task.failed, timeout=10_000) as failed:
        task.start()
    task.wait()
    assert isinstance(failed.args[0], BundlerError)
    assert "Counting pages stopped on an unexpected error (KeyError" in str(failed.args[0])


def test_the_build_message_offers_the_pdf_and_its_folder(qtbot, window, settings, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from bundler.gui.prompts import Prompts

    report = BuildReport(output=str(tmp_path / "AB v CC - Claim Bundle.pdf"), pages=12)
    report.warnings.append("over 36 MB: too large to send by email")
    Prompts(window, settings).build_done(report)
    box = window.findChild(QMessageBox)
    assert box.isVisible() and "AB v CC - Claim Bundle.pdf" in box.text() and "12 pages" in box.text()
    assert [b.text() for b in box.buttons() if b.text().startswith("Open")] == [
        "Open &PDF",
        "Open &folder",
    ]
    assert "Please check: over 36 MB: too large to send by email" in box.informativeText()
    assert "Leak gate not run: the register is empty." in box.informativeText()
    box.close()
