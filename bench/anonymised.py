"""The anonymised scenarios of ``bench.py``: the public bundle, redaction and leak gate included.

A copy of the merge project with a register of one person and one term. The corpus's
text is random words from a short list, so the two-word term "quashing order" falls on
about one page in ten, as protected names do in a real bundle; the person protects a
name the corpus never shows (detection still searches for every form of it).

  anon-first    empty cache each run (redaction, chunks, corner checks all made anew)
  anon-rebuild  nothing changed
  anon-changed  one small document rewritten (a new /Producer), every build with --accept-changed
  detect        ``bundler detect`` with an empty cache;  detect-again  the same, cache kept
Each bundler run alternates with the same qpdf merge + overlay, so a busy spell hits both.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader, PdfWriter

__all__ = ["TERM", "PERSON", "anonymised_rows"]

TERM, PERSON = "quashing order", "Farida Khanum"


def anonymised_project(merge_project: Path, folder: Path, bundler_cmd: Callable[..., list[str]]) -> Path:
    """The merge project, copied, with the register filled (not timed)."""
    folder.mkdir(parents=True, exist_ok=True)
    project = folder / merge_project.name
    shutil.copyfile(merge_project, project)
    for args in (("add-person", PERSON, "--pseudonym", "FK"), ("add-term", TERM, "--replace-with", "[order]")):
        subprocess.run(bundler_cmd("register", str(project), *args), stdout=subprocess.DEVNULL, check=True)
    return project


def touch_one_document(smallest: Path, round_: int) -> None:
    """Rewrite the smallest PDF with a new /Producer: new bytes, same pages."""
    writer = PdfWriter(clone_from=PdfReader(smallest))
    writer.add_metadata({"/Producer": f"bench change {round_}"})
    with smallest.open("wb") as fh:
        writer.write(fh)


def anonymised_rows(
    opts: argparse.Namespace,
    merge_project: Path,
    pdfs: list[Path],
    tools: dict[str, Callable[..., object]],
) -> list[object]:
    """Rows for the five scenarios; ``tools`` are bench.py's measure/build helpers."""
    row, measure, bundler_cmd, qpdf_runs = tools["Row"], tools["measure"], tools["bundler_cmd"], tools["qpdf"]
    work = opts.workdir
    project = anonymised_project(merge_project, work / "anon", bundler_cmd)  # type: ignore[arg-type]
    cache, out = work / "cache-anon", work / "anon.bundler.pdf"
    smallest = min(pdfs, key=lambda p: p.stat().st_size)
    original = smallest.read_bytes()  # put back at the end: the merge project records its hash

    def build(name: str, i: int) -> object:
        cmd = bundler_cmd(
            "build", str(project), "-o", str(out), "--cache-dir", str(cache), "--no-ocr", "--accept-changed"
        )  # type: ignore[operator]
        return measure(cmd, work / f"{name}.bundler{i}.log", opts.timeout)  # type: ignore[operator]

    def detect(name: str, i: int) -> object:
        cmd = bundler_cmd("detect", str(project), "--cache-dir", str(work / "cache-detect"))  # type: ignore[operator]
        return measure(cmd, work / f"{name}.bundler{i}.log", opts.timeout)  # type: ignore[operator]

    def scenario(name: str, before: Callable[[int], None], run: Callable[[int], object]) -> object:
        ours, theirs = [], []
        for i in range(opts.runs):
            before(i)
            ours.append(run(i))
            theirs.append(qpdf_runs(name, i))  # type: ignore[operator]
        return row(name, ours, theirs, 0, 0, "anonymised public bundle vs qpdf merge + overlay of the same PDFs")  # type: ignore[operator]

    def empty(folder: Path) -> Callable[[int], None]:
        return lambda _i: shutil.rmtree(folder, ignore_errors=True)

    rows = [scenario("anon-first", empty(cache), lambda i: build("anon-first", i))]
    rows.append(scenario("anon-rebuild", lambda _i: None, lambda i: build("anon-rebuild", i)))
    rows.append(scenario("detect", empty(work / "cache-detect"), lambda i: detect("detect", i)))
    rows.append(scenario("detect-again", lambda _i: None, lambda i: detect("detect-again", i)))
    rows.append(
        scenario(
            "anon-changed",
            lambda i: touch_one_document(smallest, i),
            lambda i: build("anon-changed", i),
        )
    )
    smallest.write_bytes(original)  # detect refuses a changed source: it runs before this
    return rows
