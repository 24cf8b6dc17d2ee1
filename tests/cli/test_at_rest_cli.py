"""Bundles at rest and around the edges: overwriting, marking, the cache and crash.log."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

import bundler.cli.commands as commands
from bundler.cli.main import main
from bundler.core.errors import ExitCode

NAME = "Farida Khanum"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    source = tmp_path / f"Statement of {NAME}.pdf"  # the file name itself names her
    pdf = Canvas(str(source))
    pdf.drawString(72, 760, f"I am {NAME}. The grounds of claim follow below.")
    pdf.save()
    project = tmp_path / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "D", "--title", "Statement"]) == 0
    assert main(["register", str(project), "add-person", NAME, "--pseudonym", "AB"]) == 0
    return project


def _build(project: Path, *extra: str) -> int:
    return main(["build", str(project), "--cache-dir", str(project.parent / "cache"), "--no-ocr", *extra])


def _keywords(pdf: Path) -> str:
    return str(PdfReader(pdf).metadata["/Keywords"])


def test_a_confidential_build_does_not_replace_a_public_bundle(project: Path) -> None:
    out = project.parent / "bundle.pdf"
    assert _build(project, "-o", str(out)) == ExitCode.OK
    public = out.read_bytes()
    assert "bundler:public" in _keywords(out)
    assert _build(project, "-o", str(out), "--confidential") == ExitCode.BUILD
    assert out.read_bytes() == public
    assert _build(project, "-o", str(out), "--confidential", "--force") == ExitCode.OK
    assert "bundler:confidential" in _keywords(out)
    assert _build(project, "-o", str(out), "--confidential") == ExitCode.OK  # confidential over confidential


def test_a_confidential_bundle_never_gets_the_public_name(project: Path) -> None:
    assert _build(project) == ExitCode.OK
    assert _build(project, "--confidential") == ExitCode.OK
    names = sorted(p.name for p in project.parent.glob("*.pdf") if "Statement" not in p.name)
    assert len(names) == 2 and any("CONFIDENTIAL" in n for n in names)
    public = next(project.parent / n for n in names if "CONFIDENTIAL" not in n)
    assert "bundler:public" in _keywords(public)


def test_an_output_that_cannot_be_replaced_is_named_and_what_was_written_is_said(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bundle or schedule open in another program (Windows locks it) cannot be replaced: the
    message names the file and says truly whether the bundle was written, never "internal error"."""
    out = project.parent / "bundle.pdf"
    out.mkdir()  # stands for a file another program holds: it cannot be replaced
    assert _build(project, "-o", str(out)) == ExitCode.BUILD
    err = capsys.readouterr().err
    assert "Could not write 'bundle.pdf'" in err and "Nothing was changed" in err and "internal" not in err
    out.rmdir()
    schedule = project.parent / "bundle - Redaction schedule.docx"
    schedule.mkdir()
    assert _build(project, "-o", str(out)) == ExitCode.BUILD
    err = capsys.readouterr().err
    assert "The bundle was written ('bundle.pdf')" in err and "schedule" in err and "internal" not in err
    assert "bundler:public" in _keywords(out)


def _detect(project: Path) -> int:
    return main(["detect", str(project), "--cache-dir", str(project.parent / "cache")])


def test_cache_file_names_hold_no_protected_text(project: Path) -> None:
    assert _build(project) == ExitCode.OK
    assert _detect(project) == ExitCode.OK
    names = [p.name.casefold() for p in (project.parent / "cache").rglob("*")]
    assert names and not [n for n in names if "farida" in n or "khanum" in n or "statement" in n]
    known = (project.parent / "cache" / "file-hashes.json").read_text().casefold()  # files by path hash
    assert known and "farida" not in known and "statement" not in known


def test_cache_where_and_clear(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = project.parent / "cache"
    assert _build(project) == ExitCode.OK
    assert _detect(project) == ExitCode.OK  # each detection kept, unredacted: it must go too
    assert (cache / "detected").is_dir()
    mine = cache / "my notes.txt"  # not ours: never removed
    mine.write_text("keep")
    assert main(["cache", "where", "--cache-dir", str(cache)]) == 0
    assert str(cache) in capsys.readouterr().out
    assert main(["cache", "clear", "--cache-dir", str(cache)]) == 0
    assert [p.name for p in cache.iterdir()] == ["my notes.txt"]


def test_crash_log_goes_to_the_chosen_cache_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(commands, "build_bundle", broken)
    monkeypatch.setenv("BUNDLER_CACHE_DIR", str(project.parent / "elsewhere"))
    assert _build(project) == ExitCode.INTERNAL
    assert "boom" in (project.parent / "cache" / "crash.log").read_text()
    assert not (project.parent / "elsewhere").exists()


def test_cache_files_nested_past_the_parser_s_depth_cost_only_time(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every JSON file the cache keeps (hashes, plain files, corners, pages without text, verdicts,
    redactions …) garbled into a nesting too deep for Python's parser: the rebuild reads afresh
    instead of failing with an internal error, and so does a project file so garbled, by name."""
    out = project.parent / "bundle.pdf"
    assert _build(project, "-o", str(out)) == ExitCode.OK
    kept = [p for p in (project.parent / "cache").rglob("*.json")]
    assert {p.name for p in kept} >= {"file-hashes.json", "unencrypted.json"} and len(kept) >= 4
    for path in kept:
        path.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    out.unlink()
    assert _build(project, "-o", str(out)) == ExitCode.OK
    assert out.exists() and NAME not in " ".join(page.extract_text() for page in PdfReader(out).pages)
    project.write_bytes(b'{"a": ' + b"[" * 200_000 + b"]" * 200_000 + b"}")
    capsys.readouterr()
    assert _build(project, "-o", str(out)) == ExitCode.PROJECT
    assert "nested too deeply" in capsys.readouterr().err
