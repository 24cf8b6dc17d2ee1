"""The OCR scenario of ``bench.py``: the anonymised first build with OCR on, and Tesseract alone.

  ocr-first        the merge project with a register of one person (``anonymised.PERSON``, whom the
                   corpus never names: every page is searched, none redacted), empty cache, OCR on.
                   (With the term "quashing order" registered too, the leak gate refused the OCR'd
                   bundle on main: a scan's OCR layer still held the term; see the branch's notes.)
  ocr-off-first    the same build with ``--no-ocr``, same run: what the build costs without OCR
  tesseract-alone  Tesseract on the same scanned pages, one process per usable core, single-threaded
                   (OMP_THREAD_LIMIT=1), the same arguments bundler gives it; the pages are
                   rendered at bundler's OCR resolution beforehand (not timed)
Each run alternates with the qpdf merge + overlay. Bundler's own OCR overhead is
ocr-first - ocr-off-first - tesseract-alone (it includes the pages OCR'd a second time
because redaction rasterised them: the build log says how many).

Run on its own as ``python bench/ocr.py --tesseract-alone FOLDER`` it is the timed Tesseract side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

__all__ = ["ocr_project", "ocr_rows"]

MAX_PIXELS = 60_000_000
TESSERACT_ARGS = ("-l", "eng", "--dpi", "300", "-c", "textonly_pdf=1", "pdf", "txt")


def ocr_project(merge_project: Path, folder: Path, bundler_cmd: Callable[..., list[str]]) -> Path:
    """The merge project, copied, with one protected person (not timed)."""
    from anonymised import PERSON

    folder.mkdir(parents=True, exist_ok=True)
    project = folder / merge_project.name
    shutil.copyfile(merge_project, project)
    args = ("register", str(project), "add-person", PERSON, "--pseudonym", "FK")
    subprocess.run(bundler_cmd(*args), stdout=subprocess.DEVNULL, check=True)
    return project


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def render_scans(scans: list[Path], folder: Path) -> int:
    """Every page of ``scans`` as bundler renders it for Tesseract (not timed); the page count."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for number, scan in enumerate(scans):
        document = pdfium.PdfDocument(str(scan))
        for index in range(len(document)):
            dpi = _render(document[index], folder / f"{number:03d}-{index:03d}.png")
            (folder / f"{number:03d}-{index:03d}.dpi").write_text(str(dpi))
            count += 1
        document.close()
    return count


def _render(page: Any, image: Path) -> int:
    """As ``bundler.core.ocr.recognise`` renders a page: as viewed, grey, 300 dpi unless huge."""
    width, height = page.get_size()
    dpi = int(min(300, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5 * 72))
    page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L").save(image, dpi=(dpi, dpi), compress_level=1)
    return dpi


def _one(image: Path) -> None:
    dpi = image.with_suffix(".dpi").read_text()
    args = ["tesseract", str(image), str(image.with_suffix("")), *TESSERACT_ARGS]
    args[args.index("--dpi") + 1] = dpi
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    subprocess.run(args, env=env, check=True, capture_output=True)


def tesseract_alone(folder: Path) -> None:
    with ThreadPoolExecutor(max_workers=usable_cores()) as pool:
        list(pool.map(_one, sorted(folder.glob("*.png"))))


def _ocr_notes(report: Path) -> list[str]:
    notes = json.loads(report.read_text(encoding="utf-8")).get("notes", [])
    return [n for n in notes if "OCR gave" in n]


def ocr_rows(
    opts: argparse.Namespace,
    project: Path,
    scans: list[Path],
    tools: dict[str, Callable[..., object]],
) -> list[object]:
    """The three rows; ``project`` is the anonymised project, ``tools`` bench.py's helpers."""
    row, measure, bundler_cmd, qpdf_run = tools["Row"], tools["measure"], tools["bundler_cmd"], tools["qpdf"]
    work = opts.workdir
    pages = render_scans(scans, work / "ocr-pages")
    cache, out, report = work / "cache-ocr", work / "ocr.bundler.pdf", work / "ocr.bundler.json"

    def build(name: str, i: int, *flags: str) -> object:
        shutil.rmtree(cache, ignore_errors=True)
        cmd = bundler_cmd(  # type: ignore[operator]
            "build", str(project), "-o", str(out), "--cache-dir", str(cache), "--json", str(report), *flags
        )
        return measure(cmd, work / f"{name}.bundler{i}.log", opts.timeout)  # type: ignore[operator]

    alone = [sys.executable, str(Path(__file__).resolve()), "--tesseract-alone", str(work / "ocr-pages")]
    runs: dict[str, tuple[list[object], list[object]]] = {n: ([], []) for n in ("ocr-first", "ocr-off-first")}
    runs["tesseract-alone"] = ([], [])
    for i in range(opts.runs):
        runs["ocr-first"][0].append(build("ocr-first", i))
        print(f"  ocr-first run {i}: {'; '.join(_ocr_notes(report))}", flush=True)
        runs["ocr-off-first"][0].append(build("ocr-off-first", i, "--no-ocr"))
        runs["tesseract-alone"][0].append(measure(alone, work / f"tesseract-alone{i}.log", opts.timeout))  # type: ignore[operator]
        for name in runs:
            runs[name][1].append(qpdf_run(name, i))  # type: ignore[operator]
    how = {
        "ocr-first": "anonymised first build, OCR on",
        "ocr-off-first": "the same build with --no-ocr",
        "tesseract-alone": f"Tesseract alone on the same {pages} scanned pages, {usable_cores()} at once",
    }
    return [
        row(name, ours, theirs, 0, 0, f"{how[name]} vs qpdf merge + overlay") for name, (ours, theirs) in runs.items()
    ]  # type: ignore[operator]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Tesseract alone on rendered pages (the timed side).")
    parser.add_argument("--tesseract-alone", type=Path, required=True)
    tesseract_alone(parser.parse_args().tesseract_alone)
