"""Corner checks of a large first build run in worker processes, one group of documents each."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

import bundler.core.build.corners as corners
from bundler.core.adding import add_document
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.project import load_project, save_project
from tests.conftest import claim_bundle
from tests.pdfs import corner_text, make_pdf


def test_checks_split_between_processes_find_every_inked_corner(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setattr(corners, "_PROCESS_FROM_BYTES", 0)  # as for a bundle of many megabytes
    groups: list[int] = []
    real = corners._groups

    def two_cores(jobs, workers):  # the real dealing, as on a 2-core machine
        dealt = real(jobs, 2)
        groups.append(len(dealt))
        return dealt

    monkeypatch.setattr(corners, "_groups", two_cores)
    bundle = claim_bundle()
    add_document(bundle, tmp_path, make_pdf(tmp_path / "clean.pdf", 2), "A")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "footer.pdf", 2, corner_text=True), "B")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "more.pdf", 1, corner_text=True), "C")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    report = build_bundle(project, load_project(project), BuildOptions(cache_dir=cache_dir))
    assert groups == [2]
    assert report.shrunk_pages == [5, 6, 7]
    pdf = pdfium.PdfDocument(Path(report.output))
    assert [corner_text(pdf, i, width=70, height=40) for i in (4, 5, 6)] == ["5", "6", "7"]
