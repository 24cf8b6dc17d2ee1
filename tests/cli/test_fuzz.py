"""Issue 11: seeded mutations of small corpus files through the real CLI, in-process.

Every outcome is a clean build or one line naming the problem: never exit 70, never a hang
(each case is bounded by an alarm), and the sources (and, on a refusal, the project file)
byte-identical afterwards. Mutations are cheap on purpose (byte flips, truncations, chunk
duplication, zip member corruption) so a few hundred run in well under a minute.
"""

from __future__ import annotations

import io
import random
import signal
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from bundler.cli.main import main
from bundler.core.errors import ExitCode

PDFS = [
    "annotated_pdf.pdf",
    "imagemagick-CCITTFaxDecode.pdf",
    "output_with_metadata_pymupdf.pdf",
    "imagemagick-lzw.pdf",
]
DOCX = ["doc-coreprops.docx", "par-hyperlinks.docx"]
PDF_CASES, DOCX_CASES = 240, 60
_SECONDS_PER_CASE = 20


def _flip(data: bytes, rng: random.Random) -> bytes:
    raw = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _duplicate(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randint(1, 400))
    at = rng.randrange(len(data))
    return data[:at] + data[start:end] + data[at:]


def _zip_member(data: bytes, rng: random.Random) -> bytes:
    """One member of the DOCX rewritten with damage (flipped, cut or duplicated)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    victim = rng.choice(src.namelist())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            member = src.read(name)
            dst.writestr(name, rng.choice([_flip, _truncate, _duplicate])(member, rng) if name == victim else member)
    return out.getvalue()


def _mutated(data: bytes, rng: random.Random, docx: bool) -> bytes:
    kinds = [_flip, _truncate, _duplicate] + ([_zip_member, _zip_member] if docx else [])
    return rng.choice(kinds)(data, rng)


@contextmanager
def _bounded(what: str) -> Iterator[None]:
    def _hang(*_: object) -> None:
        raise TimeoutError(f"{what} took over {_SECONDS_PER_CASE} s")

    old = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(_SECONDS_PER_CASE)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _run(*args: object) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err), _bounded(" ".join(map(str, args[:1]))):
        code = main([str(a) for a in args])
    return code, err.getvalue()


def _cases(corpus: Path) -> Iterator[tuple[str, bytes, bool]]:
    rng = random.Random(11)
    sources = [(n, (corpus / "real-pdfs" / n).read_bytes(), False) for n in PDFS]
    sources += [(n, (corpus / "real-docx" / n).read_bytes(), True) for n in DOCX]
    for i in range(PDF_CASES + DOCX_CASES):
        name, data, docx = sources[i % len(PDFS)] if i < PDF_CASES else sources[len(PDFS) + i % len(DOCX)]
        yield f"{i:03d}-{name}", _mutated(data, rng, docx), docx


def _one_line(code: int, err: str, name: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith("bundler:")]
    assert code != ExitCode.INTERNAL, f"{name}: internal error: {err}"
    assert "Traceback" not in err, f"{name}: {err}"
    if code:
        assert len(lines) == 1, f"{name}: {err}"


@pytest.mark.slow
def test_mutated_corpus_files_build_or_fail_in_one_clear_line(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "case.bundle.json"
    assert _run("new", project, "--case-name", "AB v C", "--claim-no", "AC-2026-LON-1")[0] == 0
    fresh = project.read_bytes()
    outcomes: dict[str, int] = {}
    for name, data, docx in _cases(corpus):
        source = tmp_path / name
        source.write_bytes(data)
        project.write_bytes(fresh)
        code, err = _run("add", project, source, "--section", "C")
        _one_line(code, err, name)
        if code:
            assert project.read_bytes() == fresh, name
        elif not docx:  # DOCX damage is refused at add; its conversion is another suite's
            added = project.read_bytes()
            code, err = _run("build", project, "-o", tmp_path / "bundle.pdf", "--no-ocr")
            _one_line(code, err, name)
            assert project.read_bytes() == added, name
        assert source.read_bytes() == data, name
        outcome = "refused" if code else ("added" if docx else "built")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(outcomes)
    assert sum(outcomes.values()) == PDF_CASES + DOCX_CASES
