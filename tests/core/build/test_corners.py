"""Corner checks of a large first build run in worker processes, a document per task; the merge
finishes each document as soon as its answer is in, so a bundle's clones are not all held at once."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

import bundler.core.build.chunks.make as make
import bundler.core.build.corners as corners
from bundler.core.adding import add_document
from bundler.core.build.chunks.store import ChunkStore
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.project import load_project, save_project
from tests.conftest import claim_bundle
from tests.pdfs import corner_text, make_pdf


def test_checks_split_between_processes_find_every_inked_corner(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setattr(corners, "_PROCESS_FROM_BYTES", 0)  # as for a bundle of many megabytes
    monkeypatch.setattr(corners.os, "cpu_count", lambda: 2)
    pools: list[int] = []
    real = corners.ProcessPoolExecutor

    def watched(max_workers: int, **more):  # the real pool, its size noted
        pools.append(max_workers)
        return real(max_workers=max_workers, **more)

    monkeypatch.setattr(corners, "ProcessPoolExecutor", watched)
    bundle = claim_bundle()
    add_document(bundle, tmp_path, make_pdf(tmp_path / "clean.pdf", 2), "A")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "footer.pdf", 2, corner_text=True), "B")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "more.pdf", 1, corner_text=True), "C")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    report = build_bundle(project, load_project(project), BuildOptions(cache_dir=cache_dir))
    assert pools == [2]
    assert report.shrunk_pages == [5, 6, 7]
    pdf = pdfium.PdfDocument(Path(report.output))
    assert [corner_text(pdf, i, width=70, height=40) for i in (4, 5, 6)] == ["5", "6", "7"]


def _three_documents(tmp_path: Path) -> Path:
    bundle = claim_bundle()
    for name, pages in (("one", 3), ("two", 2), ("three", 2)):
        add_document(bundle, tmp_path, make_pdf(tmp_path / f"{name}.pdf", pages, corner_text=name == "two"), "A")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    return project


def _events(monkeypatch) -> list[str]:
    """The order documents are cloned and stored in (the real functions, watched)."""
    events: list[str] = []
    clone, save = make.clone_document, ChunkStore.save

    def cloned(reader, pages, *more):
        events.append(f"clone {len(pages)}")
        return clone(reader, pages, *more)

    def saved(self, key, chunk):
        events.append(f"store {len(chunk.pages)}")
        return save(self, key, chunk)

    monkeypatch.setattr(make, "clone_document", cloned)
    monkeypatch.setattr(ChunkStore, "save", saved)
    return events


def test_each_document_is_stored_before_the_next_is_cloned_once_enough_pages_wait(
    tmp_path, cache_dir, monkeypatch
) -> None:
    monkeypatch.setattr(make, "_HELD_PAGES", 0)  # any cloned page waiting is too many
    events = _events(monkeypatch)
    report = build_bundle(
        _three_documents(tmp_path), load_project(tmp_path / "case.bundle.json"), BuildOptions(cache_dir=cache_dir)
    )
    assert events == ["clone 3", "store 3", "clone 2", "store 2", "clone 2", "store 2"]
    assert report.shrunk_pages == [report.shrunk_pages[0], report.shrunk_pages[0] + 1]  # "two"'s pages


def test_clones_wait_for_their_answers_in_order_when_few_pages_are_held(tmp_path, cache_dir, monkeypatch) -> None:
    """Answers not in yet and few pages held: cloning goes on, and each is stored in order later."""
    monkeypatch.setattr(corners.CornerChecks, "done", lambda self, doc_id: False)
    events = _events(monkeypatch)
    report = build_bundle(
        _three_documents(tmp_path), load_project(tmp_path / "case.bundle.json"), BuildOptions(cache_dir=cache_dir)
    )
    assert events == ["clone 3", "clone 2", "clone 2", "store 3", "store 2", "store 2"]
    pdf = pdfium.PdfDocument(Path(report.output))
    first = report.shrunk_pages[0]
    assert report.shrunk_pages == [first, first + 1]
    assert [corner_text(pdf, i, width=70, height=40) for i in (first - 1, first)] == [str(first), str(first + 1)]
