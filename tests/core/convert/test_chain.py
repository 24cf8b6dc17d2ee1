"""The converter chain and its cache, on the real-world DOCX corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from bundler.core.convert.chain import SourceJob, prepare_sources
from bundler.core.convert.libreoffice import convert_batch, find_soffice, split_batches, workers_for
from bundler.core.fsutil import sha256_file
from bundler.core.progress import NullProgress
from tests.conftest import require


def _jobs(paths: list[Path]) -> list[SourceJob]:
    return [SourceJob(f"d{i}", p, sha256_file(p), "docx") for i, p in enumerate(paths)]


def _docx(corpus: Path) -> list[Path]:
    return sorted((corpus / "real-docx").glob("*.docx"))


@pytest.mark.parametrize("choice", ["libreoffice", "builtin"])
def test_every_corpus_docx_converts_with_each_converter(corpus, tmp_path, choice):
    if choice == "libreoffice":
        require(find_soffice() is not None, "LibreOffice (soffice)")
    notes: list[str] = []
    jobs = _jobs(_docx(corpus))
    done = prepare_sources(jobs, tmp_path / "cache", choice, NullProgress(), notes)
    assert notes == []
    for job in jobs:
        result = done[job.doc_id]
        assert result.converter == choice and not result.cached
        reader = PdfReader(result.pdf)
        assert len(reader.pages) >= 1


def test_a_rebuild_converts_nothing(corpus, tmp_path):
    jobs = _jobs(_docx(corpus)[:3])
    first = prepare_sources(jobs, tmp_path / "cache", "auto", NullProgress(), [])
    again = prepare_sources(jobs, tmp_path / "cache", "auto", NullProgress(), [])
    assert not any(p.cached for p in first.values())
    assert all(p.cached and p.pdf == first[d].pdf for d, p in again.items())


def test_libreoffice_failure_falls_back_to_builtin_for_that_file(corpus, tmp_path, monkeypatch):
    require(find_soffice() is not None, "LibreOffice (soffice)")
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 3\n")  # a LibreOffice that makes nothing
    fake.chmod(0o755)
    monkeypatch.setenv("BUNDLER_SOFFICE", str(fake))
    notes: list[str] = []
    src = tmp_path / "statement.docx"
    shutil.copyfile(_docx(corpus)[0], src)
    done = prepare_sources(_jobs([src]), tmp_path / "cache", "auto", NullProgress(), notes)
    assert done["d0"].converter == "builtin"
    assert notes == ["statement.docx: LibreOffice failed; the built-in converter made it instead"]


def test_a_hanging_libreoffice_is_timed_out(corpus, tmp_path, monkeypatch):
    import bundler.core.convert.chain as convert

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BUNDLER_SOFFICE", str(fake))
    monkeypatch.setattr(convert, "_LO_TIMEOUT_BASE", 1.0)
    monkeypatch.setattr(convert, "_LO_TIMEOUT_PER_FILE", 0.0)
    notes: list[str] = []
    done = prepare_sources(_jobs(_docx(corpus)[:1]), tmp_path / "cache", "auto", NullProgress(), notes)
    assert done["d0"].converter == "builtin"
    assert notes[0] == "LibreOffice timed out after 1 s"


def _first_words(docx: Path) -> str:
    from docx import Document

    text = next((p.text for p in Document(str(docx)).paragraphs if len(p.text.split()) >= 2), "")
    return " ".join(text.split()[:2])


def test_libreoffice_converts_in_parallel_batches_and_every_output_is_its_own(corpus, tmp_path):
    soffice = find_soffice()
    require(soffice is not None, "LibreOffice (soffice)")
    sources = _docx(corpus)
    outputs, note = convert_batch(soffice, sources, tmp_path, NullProgress(), 300.0, workers=3)
    assert note == "" and set(outputs) == set(sources)
    assert len({pdf.parent for pdf in outputs.values()}) == 3  # three processes, each its own folder
    for src, pdf in outputs.items():
        text = " ".join("".join(p.extract_text() for p in PdfReader(pdf).pages).split())
        assert _first_words(src) in text, src.name


def test_batches_share_the_bytes_out_evenly(tmp_path):
    sizes = [900, 500, 400, 300, 300, 200, 100]
    files = []
    for n, size in enumerate(sizes):
        files.append(tmp_path / f"{n}.docx")
        files[-1].write_bytes(b"x" * size)
    batches = split_batches(files, 3)
    assert sorted(sum(f.stat().st_size for f in b) for b in batches) == [900, 900, 900]
    assert sorted(f for b in batches for f in b) == sorted(files)
    assert len(split_batches(files[:2], 8)) == 2 and workers_for(3) == 1


def test_each_conversion_is_handed_over_once_whole_while_the_batch_goes_on(corpus, tmp_path):
    soffice = find_soffice()
    require(soffice is not None, "LibreOffice (soffice)")
    sources = _docx(corpus)[:4]
    handed: list[tuple[Path, int, int]] = []  # (input, its PDF's pages, PDFs in the folder by then)

    def take(src: Path, pdf: Path) -> None:
        handed.append((src, len(PdfReader(pdf).pages), len(list(pdf.parent.glob("*.pdf")))))

    outputs, note = convert_batch(soffice, sources, tmp_path, NullProgress(), 300.0, workers=1, on_converted=take)
    assert note == "" and [src for src, _, _ in handed] == list(outputs) and set(outputs) == set(sources)
    assert all(pages > 0 for _, pages, _ in handed)  # each whole when handed over
    assert handed[0][2] < len(sources)  # the first one before soffice had made them all
