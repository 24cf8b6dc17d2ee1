"""Detect proves each PDF source sound where it reads it, in its workers: what it finds, and
what it stores, are those of the file the build will read (qpdf's repair when pypdf cannot
read the source), exactly as when the proof ran first, one source at a time, in this process.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import bundler.core.anonymise.detect_pool as detect_pool
import bundler.core.convert.chain as chain
from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_person
from bundler.core.anonymise.review import detect_bundle
from bundler.core.convert.chain import SourceJob, prepare_sources
from bundler.core.errors import SourceError
from bundler.core.progress import NullProgress
from bundler.core.project import load_project, save_project
from tests.conftest import claim_bundle
from tests.pdfs import pages_pdf


def _pdf(path: Path, lines: list[str]) -> Path:
    return pages_pdf(path, lines)


def _xref_cut(path: Path, lines: list[str]) -> Path:
    """The cross-reference table cut off mid-entry: pypdf gives up, qpdf rebuilds it."""
    data = _pdf(path.with_suffix(".src.pdf"), lines).read_bytes()
    path.write_bytes(data[: data.rfind(b"\nxref") + 40])
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    bundle = claim_bundle()
    add_person(bundle, "Farida Khanum", "Aisha")
    sources = tmp_path / "sources"
    sources.mkdir()
    statement = _pdf(sources / "statement.pdf", ["Farida Khanum says this.", "Call 07700 900123 today."])
    letter = _xref_cut(sources / "letter.pdf", ["Dear Farida Khanum,", "Write to SW1A 1AA."])
    add_document(bundle, tmp_path, statement, "C", title="Statement")
    add_document(bundle, tmp_path, letter, "C", title="Letter")
    path = tmp_path / "case.bundle.json"
    save_project(bundle, path)
    return path


def _proof_first(project: Path, cache: Path) -> list:
    """The old order, for comparison: every source proven in this process, then detected."""
    bundle = load_project(project)
    jobs = [SourceJob(d.id, project.parent / d.path, d.sha256, d.kind) for _, d in bundle.documents()]
    prepare_sources(jobs, cache, bundle.options.converter, NullProgress(), [])
    assert all(chain.proven_sound(job, cache) for job in jobs)
    return detect_bundle(project, bundle, cache)


@pytest.mark.parametrize("workers", [False, True], ids=["in-process", "workers"])
def test_detect_reads_what_the_build_reads(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: bool
) -> None:
    if workers:
        monkeypatch.setattr(detect_pool, "_POOL_FROM_BYTES", 0)  # two workers even for small files
    bundle = load_project(project)
    cache = tmp_path / "cache"
    parsed: list[str] = []
    real = chain.read_pdf
    monkeypatch.setattr(chain, "read_pdf", lambda path, password=None: parsed.append(path.name) or real(path, password))

    hits = detect_bundle(project, bundle, cache)

    jobs = {d.title: SourceJob(d.id, project.parent / d.path, d.sha256, d.kind) for _, d in bundle.documents()}
    assert all(chain.proven_sound(job, cache) for job in jobs.values())  # proven, and the proof kept
    repaired, _ = chain._proofs(jobs["Letter"], cache)
    assert repaired.is_file() and not chain._proofs(jobs["Statement"], cache)[0].exists()
    if workers:
        assert parsed == []  # not one by one in this process before the workers start
    else:
        assert sorted(parsed) == ["letter.pdf", "statement.pdf"]
    # what was stored for the letter names the repair's bytes: the file the build reads
    digests = {json.loads(p.read_text())["pdf"] for p in (cache / "detected").glob("*.hits")}
    assert hashlib.sha256(repaired.read_bytes()).hexdigest() in digests
    assert {h.text for h in hits if h.document_id == jobs["Letter"].doc_id} >= {"Farida Khanum", "SW1A 1AA"}
    assert hits == _proof_first(project, tmp_path / "cache-old")
    parsed.clear()
    assert detect_bundle(project, bundle, cache) == hits  # again: all proven, all stored
    assert parsed == []


@pytest.mark.parametrize("workers", [False, True], ids=["in-process", "workers"])
def test_a_source_no_engine_reads_gets_the_usual_message(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: bool
) -> None:
    if workers:
        monkeypatch.setattr(detect_pool, "_POOL_FROM_BYTES", 0)
    bundle = load_project(project)
    letter = next(d for _, d in bundle.documents() if d.title == "Letter")
    source = project.parent / letter.path
    source.write_bytes(b"%PDF-1.4\n" + b"nothing here\n" * 40)
    letter.sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    save_project(bundle, project)
    with pytest.raises(SourceError, match="letter.pdf"):
        detect_bundle(project, load_project(project), tmp_path / "cache")
