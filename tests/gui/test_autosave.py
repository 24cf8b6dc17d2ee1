"""Files: autosave and recovery after a crash, recent files, opening a project at start."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from bundler.core.project import bundle_to_dict, load_project
from bundler.gui.autosave import find_recovery, recovery_file_for
from bundler.gui.mainwindow.files import write_project
from bundler.gui.project.model import TITLE
from tests.gui.conftest import Answers, open_window
from tests.pdfs import make_pdf

from .test_app_flow import section


def crash(qtbot, window) -> None:
    """Drop the window the way a crash would: no close event, no prompt, no clean-up."""
    qtbot.waitUntil(lambda: not window.tasks._running, timeout=30_000)
    window.hide()
    window.deleteLater()
    QApplication.processEvents()


def saved_project(window, tmp_path):
    source = make_pdf(tmp_path / "2019-08-11 Letter before claim.pdf", 2)
    window.answers_save = tmp_path / "case.bundle.json"
    bundle = window.bundle
    bundle.case.case_name, bundle.case.claim_no = "AB v CC Wessex", "AC-2019-LON-002345"
    from bundler.core.adding import new_document

    section(window, "C").documents.append(new_document(source, None))
    project = tmp_path / "case.bundle.json"
    write_project(bundle, project)
    os.utime(project, (time.time() - 60, time.time() - 60))  # saved a minute ago
    return project


def test_a_crash_after_editing_a_saved_project_loses_nothing(qtbot, settings, tmp_path):
    first = open_window(qtbot, settings)
    project = saved_project(first, tmp_path)
    assert first.files.open_path(project)
    doc = first.model.index_of(section(first, "C").documents[0].id, TITLE)
    with qtbot.waitSignal(first.autosaver.saved, timeout=10_000) as saved:
        first.model.setData(doc, "Letter before claim (corrected)")
        first.anonymise.addPersonRequested.emit("Fatima Khanum", "Aisha", [], "replace")
    assert saved.args == [recovery_file_for(project)]
    edited = bundle_to_dict(first.bundle)
    assert load_project(project).sections[2].documents[0].title == "Letter before claim"
    crash(qtbot, first)

    answers = Answers()
    offered: list = []
    answers.recover = True
    second = open_window(qtbot, settings, answers)
    second.prompts.recover = lambda path: offered.append(path) or True
    assert second.files.open_path(project)
    assert offered == [recovery_file_for(project)]
    assert bundle_to_dict(second.bundle) == edited and second.is_dirty()
    assert second.windowTitle().endswith("[*] – Bundler") and second.isWindowModified()
    assert second.files.save()
    assert not recovery_file_for(project).exists() and not second.is_dirty()
    assert load_project(project).register.people[0].pseudonym == "Aisha"


def test_an_untitled_bundle_comes_back_after_a_crash(qtbot, settings, tmp_path):
    first = open_window(qtbot, settings)
    source = make_pdf(tmp_path / "exhibit.pdf", 1)
    first.tree.select_id(section(first, "D").id)
    first.prompts.files_to_add = lambda folder: [source]
    with qtbot.waitSignal(first.autosaver.saved, timeout=30_000):
        first.action_set.add_files.trigger()
    edited = bundle_to_dict(first.bundle)
    crash(qtbot, first)

    second = open_window(qtbot, settings)
    assert second.files.offer_untitled_recovery()
    assert bundle_to_dict(second.bundle) == edited and second.project is None and second.is_dirty()
    assert second.bundle.sections[3].documents[0].path == source.resolve().as_posix()


def test_declined_recovery_is_deleted_and_a_clean_close_leaves_none(qtbot, settings, tmp_path):
    window = open_window(qtbot, settings)
    project = saved_project(window, tmp_path)
    recovery = recovery_file_for(project)
    recovery.write_text(project.read_text())
    window.prompts.recover = lambda path: False
    assert window.files.open_path(project) and not recovery.exists() and not window.is_dirty()
    window.model.setData(window.model.index_of(section(window, "C").id, TITLE), "Letters")
    window.autosaver.save_now()
    assert recovery.exists()
    window.prompts.unsaved_changes = lambda name: "discard"
    assert window.close()
    assert not recovery.exists()


def test_unsaved_changes_can_stop_a_close(qtbot, settings, tmp_path):
    window = open_window(qtbot, settings)
    project = saved_project(window, tmp_path)
    window.files.open_path(project)
    window.model.setData(window.model.index_of(section(window, "C").id, TITLE), "Letters")
    window.prompts.unsaved_changes = lambda name: "cancel"
    assert not window.close() and window.isVisible()
    window.prompts.unsaved_changes = lambda name: "save"
    assert window.close()
    assert load_project(project).sections[2].title == "Letters"


def test_find_recovery_only_offers_newer_files(tmp_path):
    project = tmp_path / "case.bundle.json"
    project.write_text("{}")
    assert find_recovery(project, tmp_path / "none") is None
    recovery = recovery_file_for(project)
    recovery.write_text("{}")
    os.utime(project, (time.time(), time.time()))
    os.utime(recovery, (time.time() - 30, time.time() - 30))
    assert find_recovery(project, tmp_path) is None  # saved after the autosave: nothing lost
    os.utime(recovery, (time.time() + 30, time.time() + 30))
    assert find_recovery(project, tmp_path) == recovery
    assert find_recovery(None, tmp_path / "none") is None


def test_recent_files_are_remembered(qtbot, window, answers, tmp_path):
    answers.save_as = tmp_path / "one.bundle.json"
    assert window.files.save_as(answers.save_as)
    assert window.settings.recent_files()[0] == answers.save_as.resolve()
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    window.files.fill_recent_menu(menu)
    assert [a.text() for a in menu.actions()] == ["&1 one.bundle.json"]


def test_the_app_opens_the_project_it_is_given(qtbot, tmp_path):
    from PySide6.QtCore import QStandardPaths

    from bundler.core.model import CaseDetails
    from bundler.core.project import save_project
    from bundler.core.templates import new_bundle
    from bundler.gui.app import main
    from bundler.gui.mainwindow.window import MainWindow

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QStandardPaths.setTestModeEnabled(True)  # the recovery folder too stays out of the user's
    project = tmp_path / "case.bundle.json"
    save_project(new_bundle("jr-claim", CaseDetails("AB v CC Wessex", "AC-2019-LON-002345")), project)
    seen: list[tuple[Path | None, str]] = []

    def look() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        seen.append((window.project, window.windowTitle()))
        window.close()  # the last window: exec() returns

    QTimer.singleShot(500, look)
    assert main([str(project), "-style", "fusion"]) == 0
    assert seen == [(project.resolve(), "AB v CC Wessex – case.bundle.json[*] – Bundler")]
