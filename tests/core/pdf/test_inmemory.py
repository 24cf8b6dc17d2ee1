"""pypdf reads a PDF held in memory through ``SharedBytes`` without a copy of it."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

from pypdf import PdfReader

from bundler.core.pdf.inmemory import SharedBytes
from tests.pdfs import make_pdf


def test_pypdf_reads_the_same_file_and_copies_none_of_it(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "doc.pdf", pages=40).read_bytes() + b"\n" * 4_000_000  # a big file
    stream = SharedBytes(data)
    assert stream.getbuffer().obj is data and stream.getbuffer().nbytes == len(data)
    tracemalloc.start()
    try:
        shared = PdfReader(stream, strict=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(data) // 2  # a BytesIO hands pypdf a copy of all 4 MB
    plain = PdfReader(io.BytesIO(data), strict=False)
    assert [p.extract_text() for p in shared.pages] == [p.extract_text() for p in plain.pages]
