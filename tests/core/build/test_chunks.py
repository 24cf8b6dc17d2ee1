"""Stored chunks: a rebuild splices each document's stored objects instead of parsing it again.

The read-back tests in test_build.py also run on stored chunks; here: the round trip is
exact, anything that shapes a document makes it again, a damaged store costs only time,
and the store stays bounded.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

import bundler.core.build.placing as placing
from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_person, add_term
from bundler.core.build.chunks.store import ChunkStore
from bundler.core.errors import BuildError
from bundler.core.model import Bundle
from tests.conftest import build_saved, claim_bundle, require
from tests.pdfs import make_pdf, outline_pypdf, stamps

REAL = (
    "pdflatex-outline.pdf",
    "libre-office-link.pdf",
    "annotated_pdf.pdf",
    "libreoffice-form.pdf",
    "habibi-rotated.pdf",
    "pdflatex-forms.pdf",
    "with-attachment.pdf",
    "crazyones-pdfa.pdf",
    "imagemagick-CCITTFaxDecode.pdf",
    "multicolumn.pdf",
)
# the build's dates, as written: "D:2026…" or with the colon escaped, "D\0722026…" (a build that
# crosses a second's boundary differs in these alone)
_DATES = re.compile(rb"D(?::|\\072)\d{14}[^)]*|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _build(project: Path, bundle: Bundle, cache: Path, out: str, **kw: object):
    return build_saved(project, bundle, cache_dir=cache, output=project.parent / out, **kw)


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """The PDFs a build parsed (a spy on the real function)."""
    seen: list[Path] = []
    real = placing.open_pdf

    def spy(path, *args, **kw):
        seen.append(path)
        return real(path, *args, **kw)

    monkeypatch.setattr(placing, "open_pdf", spy)
    return seen


@pytest.fixture
def real_case(corpus, tmp_path) -> tuple[Path, Bundle]:
    bundle = claim_bundle()
    for n, name in enumerate(REAL):
        add_document(bundle, tmp_path, corpus / "real-pdfs" / name, "BCDEF"[n % 5])
    add_document(bundle, tmp_path, make_pdf(tmp_path / "footer.pdf", 2, corner_text=True), "B")
    return tmp_path / "case.bundle.json", bundle


def test_a_rebuild_parses_nothing_and_writes_the_same_file(real_case, cache_dir, opened):
    project, bundle = real_case
    first = _build(project, bundle, cache_dir, "first.pdf")
    assert len(opened) == len(REAL) + 1 and first.shrunk_pages
    opened.clear()
    again = _build(project, bundle, cache_dir, "again.pdf")
    assert opened == []
    made, stored = (Path(r.output).read_bytes() for r in (first, again))
    assert _DATES.sub(b"", made) == _DATES.sub(b"", stored)
    assert again.shrunk_pages == first.shrunk_pages and again.notes == first.notes
    assert any(n.startswith("annotated_pdf.pdf: removed") and "annotation" in n for n in again.notes)
    assert any(n.startswith("libreoffice-form.pdf: removed the form fields") for n in again.notes)
    require(shutil.which("qpdf") is not None, "qpdf")
    check = subprocess.run(["qpdf", "--check", again.output], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_moving_documents_reuses_them_at_their_new_pages(real_case, cache_dir, opened):
    project, bundle = real_case
    _build(project, bundle, cache_dir, "first.pdf")
    opened.clear()
    bundle.sections[1].documents.reverse()
    bundle.sections[4].documents.insert(0, bundle.sections[2].documents.pop())
    report = _build(project, bundle, cache_dir, "moved.pdf")
    assert opened == []
    out = Path(report.output)
    assert stamps(out) == [str(n) for n in range(1, report.pages + 1)]
    reader = PdfReader(out)
    documents = [(t, p) for depth, t, p in outline_pypdf(reader) if depth == 1]
    assert [p for _, p in documents] == [d.first_page for d in report.documents]
    assert all(
        t.startswith(d.tab) and t.endswith(f" - {d.first_page}")
        for (t, _), d in zip(documents, report.documents, strict=True)
    )


def test_whatever_shapes_a_document_makes_it_again(tmp_path, cache_dir, opened):
    project, bundle = tmp_path / "case.bundle.json", claim_bundle()
    doc = add_document(bundle, tmp_path, make_pdf(tmp_path / "letter.pdf", 3), "C")
    _build(project, bundle, cache_dir, "a.pdf")
    doc.rotation, doc.pages = 90, "2-3"
    opened.clear()
    report = _build(project, bundle, cache_dir, "b.pdf")
    assert opened == [tmp_path / "letter.pdf"]
    reader = PdfReader(report.output)
    assert report.pages == 2 + 2 and [p.rotation for p in reader.pages[2:]] == [90, 90]
    assert "Page 2" in reader.pages[2].extract_text()


def _letter(path: Path) -> Path:
    pdf = Canvas(str(path))
    pdf.drawString(72, 760, "We act for Farida Khanum of 14 Elm Road, Wessex.")
    pdf.showPage()
    pdf.save()
    return path


def test_a_name_added_to_the_register_is_never_brought_back_by_the_store(tmp_path, cache_dir):
    project, bundle = tmp_path / "case.bundle.json", claim_bundle()
    add_document(bundle, tmp_path, _letter(tmp_path / "letter.pdf"), "C")
    add_person(bundle, "Farida Khanum", "Aisha")
    first = _build(project, bundle, cache_dir, "public.pdf")
    assert "14 Elm Road" in PdfReader(first.output).pages[2].extract_text()
    _build(project, bundle, cache_dir, "confidential.pdf", confidential=True)
    add_term(bundle, "14 Elm Road", category="address")
    report = _build(project, bundle, cache_dir, "public.pdf")
    text = PdfReader(report.output).pages[2].extract_text()
    assert "Elm Road" not in text and "Farida" not in text and "Aisha" in text
    assert report.leak_gate.startswith("passed")


def test_a_damaged_store_costs_only_time(real_case, cache_dir, opened):
    project, bundle = real_case
    first = _build(project, bundle, cache_dir, "first.pdf")
    stored = sorted((cache_dir / "chunks").glob("*.chunk"))
    stored[0].write_bytes(stored[0].read_bytes()[: stored[0].stat().st_size // 2])  # cut short by a crash
    stored[1].write_bytes(b"%PDF-1.7 not a chunk")
    opened.clear()
    again = _build(project, bundle, cache_dir, "again.pdf")
    assert len(opened) == 2
    made, remade = (Path(r.output).read_bytes() for r in (first, again))
    assert _DATES.sub(b"", made) == _DATES.sub(b"", remade)


def test_the_store_drops_the_least_recently_used_but_never_what_this_build_used(tmp_path):
    folder = tmp_path / "chunks"
    folder.mkdir()
    for n in range(5):
        (folder / f"{n}.chunk").write_bytes(b"x" * 1000)
        os.utime(folder / f"{n}.chunk", (1000 + n, 1000 + n))
    store = ChunkStore(tmp_path)
    store.used.add(folder / "0.chunk")  # the oldest, but this build placed it
    store.prune(limit=2500)
    assert sorted(p.name for p in folder.iterdir()) == ["0.chunk", "3.chunk", "4.chunk"]


def test_a_chunk_removed_while_the_bundle_is_written_is_a_clear_error(real_case, cache_dir):
    project, bundle = real_case
    _build(project, bundle, cache_dir, "first.pdf")
    store = ChunkStore(cache_dir)
    path = next((cache_dir / "chunks").glob("*.chunk"))
    chunk = store.load(path.stem)
    assert chunk is not None and bytes(chunk.data()[:2]) == b"<<"
    chunk.release()
    path.unlink()
    with pytest.raises(BuildError, match="vanished from the cache.*Build again"):
        chunk.data()


def test_pdfs_become_chunks_while_libreoffice_is_still_converting(corpus, tmp_path, cache_dir, monkeypatch):
    seen = tmp_path / "seen"
    fake = tmp_path / "soffice"  # a LibreOffice that finishes only once a chunk is stored, then fails
    fake.write_text(
        f"#!/bin/sh\nfor i in $(seq 100); do\n  if ls '{cache_dir}/chunks/'*.chunk >/dev/null 2>&1; "
        f"then touch '{seen}'; exit 3; fi\n  sleep 0.1\ndone\nexit 3\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("BUNDLER_SOFFICE", str(fake))
    project, bundle = tmp_path / "case.bundle.json", claim_bundle()
    add_document(bundle, tmp_path, make_pdf(tmp_path / "letter.pdf", 2), "C")
    add_document(bundle, tmp_path, sorted((corpus / "real-docx").glob("*.docx"))[0], "D")
    report = _build(project, bundle, cache_dir, "out.pdf")
    assert seen.exists()
    assert [d.converter for d in report.documents] == ["source-pdf", "builtin"]


def test_converted_documents_become_chunks_while_libreoffice_converts_the_rest(
    corpus, tmp_path, cache_dir, monkeypatch
):
    soffice = shutil.which("soffice")
    require(soffice is not None, "LibreOffice (soffice)")
    seen = tmp_path / "stored-before-soffice-ended"
    wrapper = tmp_path / "soffice"  # the real LibreOffice; on its way out, what the store held
    wrapper.write_text(f"#!/bin/sh\n'{soffice}' \"$@\"\ncode=$?\nls '{cache_dir}/chunks' > '{seen}'\nexit $code\n")
    wrapper.chmod(0o755)
    monkeypatch.setenv("BUNDLER_SOFFICE", str(wrapper))
    project, bundle = tmp_path / "case.bundle.json", claim_bundle()
    docx = sorted((corpus / "real-docx").glob("*.docx"))[:5]  # five: one soffice converts them all, in turn
    for path in docx:
        add_document(bundle, tmp_path, path, "D")
    report = _build(project, bundle, cache_dir, "out.pdf")
    assert [d.converter for d in report.documents] == ["libreoffice"] * len(docx)
    stored = [name for name in seen.read_text().split() if name.endswith(".chunk")]
    assert 1 <= len(stored) < len(docx)  # no PDF sources: these chunks are converted documents'
    assert len(PdfReader(project.parent / "out.pdf").pages) == report.pages
    corners = stamps(project.parent / "out.pdf")  # the number is the corner's last word
    assert [corner.split()[-1] for corner in corners] == [str(n) for n in range(1, report.pages + 1)]


def test_a_stored_chunk_is_described_at_once_and_read_when_written(real_case, cache_dir) -> None:
    """A rebuild reads each stored chunk's description only; its bytes are read when written
    out, and a file changed in between is a clear error, never other bytes in the bundle."""
    project, bundle = real_case
    _build(project, bundle, cache_dir, "first.pdf")
    store = ChunkStore(cache_dir)
    path = next((cache_dir / "chunks").glob("*.chunk"))
    chunk = store.load(path.stem)
    assert chunk is not None and chunk.blob is None and chunk.stored_size == path.stat().st_size
    from bundler.core.anonymise.gate.vouched import chunk_digest

    assert chunk.digest == chunk_digest(chunk.data(), chunk.objects, chunk.pages)  # as it was stored
    chunk.release()
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(BuildError, match="vanished"):
        chunk.data()
    assert store.load(path.stem) is None  # cut short: made again
