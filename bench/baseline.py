"""The qpdf baseline: the same pages as bundler's output, merged and numbered by qpdf.

Everything here happens before the clock starts, except the one qpdf command
that ``Baseline.cmd`` holds: ``qpdf --keep-files-open=y --empty --pages <front>
<sources…> -- --overlay numbers.pdf -- out.pdf`` (arguments in an @file: the list is long).
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from reportlab.pdfgen import canvas

__all__ = ["Built", "Baseline", "bundle_sources", "make_overlay", "prepare_qpdf", "verify"]

Built = tuple[Path, dict[str, Any]]  # bundler's output PDF and its JSON build report


@dataclass(frozen=True)
class Baseline:
    cmd: list[str]
    out: Path
    pages: int
    overlay_s: float  # making numbers.pdf with reportlab (not in qpdf's time)


def bundle_sources(project: Path, cache: Path, with_docx: bool) -> list[Path]:
    """The PDFs the bundle is made of, in bundle order; a DOCX becomes its cached conversion."""
    data = json.loads(project.read_text(encoding="utf-8"))
    paths = []
    for section in data["sections"]:
        for doc in section["documents"]:
            path = (project.parent / doc["path"]).resolve()
            if path.suffix.lower() == ".docx":
                if not with_docx:
                    continue
                path = next(cache.glob(f"{doc['sha256']}.*.pdf"))
            paths.append(path)
    return paths


def _viewed_sizes(pdfs: list[Path]) -> list[tuple[float, float]]:
    """Each page's size as a reader shows it (CropBox, /Rotate)."""
    sizes = []
    for pdf in pdfs:
        for page in PdfReader(pdf).pages:
            box = page.cropbox if "/CropBox" in page else page.mediabox
            w, h = float(box.width), float(box.height)
            sizes.append((h, w) if page.rotation % 180 else (w, h))
    return sizes


def make_overlay(sizes: list[tuple[float, float]], out: Path) -> float:
    """numbers.pdf: page N, sized like output page N, shows a boxed "N" bottom right.

    qpdf places each overlay page upright on the viewed page, /Rotate included.
    Returns the seconds it took.
    """
    started = time.perf_counter()
    pdf = canvas.Canvas(str(out), pageCompression=1)
    for number, (w, h) in enumerate(sizes, start=1):
        pdf.setPageSize((w, h))
        pdf.setFillGray(1)
        pdf.rect(w - 70, 14, 46, 16, fill=1)
        pdf.setFillGray(0)
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawRightString(w - 27, 19, str(number))
        pdf.showPage()
    pdf.save()
    return time.perf_counter() - started


def _argfile(front: Path, sources: list[Path], overlay: Path, out: Path, argfile: Path) -> list[str]:
    # qpdf closes and reopens its inputs when there are more than 200 of them unless told to
    # keep them open (measured: 9.1 s CPU instead of 4.7 s at 219 inputs); give it its best
    args = ["--keep-files-open=y", "--empty", "--pages", str(front), "1-z"]
    for src in sources:
        args += [str(src), "1-z"]
    args += ["--", "--overlay", str(overlay), "--", str(out)]
    argfile.write_text("\n".join(args) + "\n", encoding="utf-8")
    return ["qpdf", f"@{argfile}"]


def _extract_front(bundle_pdf: Path, pages: int, out: Path) -> None:
    """Cover and index pages of bundler's output, so both tools output the same pages."""
    subprocess.run(["qpdf", "--empty", "--pages", str(bundle_pdf), f"1-{pages}", "--", str(out)], check=True)


def prepare_qpdf(name: str, project: Path, cache: Path, built: Built, work: Path, with_docx: bool) -> Baseline:
    """qpdf's command for the pages bundler built (without the DOCX pages unless ``with_docx``)."""
    bundle_pdf, report = built
    sources = bundle_sources(project, cache, with_docx)
    front = work / f"{name}.front.pdf"
    front_pages = report["pages"] - sum(d["pages"] for d in report["documents"])
    _extract_front(bundle_pdf, front_pages, front)
    sizes = _viewed_sizes([front, *sources])
    overlay, out = work / f"{name}.numbers.pdf", work / f"{name}.qpdf.pdf"
    overlay_s = make_overlay(sizes, overlay)
    cmd = _argfile(front, sources, overlay, out, work / f"{name}.qpdf-args")
    return Baseline(cmd, out, len(sizes), overlay_s)


def verify(ours: Path, theirs: Path, expected: int) -> dict[str, object]:
    """Both open with pypdf, have ``expected`` pages, and show N on sampled pages N."""
    a, b = PdfReader(ours), PdfReader(theirs)
    counts = (len(a.pages), len(b.pages))
    if counts != (expected, expected):
        raise SystemExit(f"page counts differ: bundler {counts[0]}, qpdf {counts[1]}, expected {expected}")
    samples = sorted({1, expected // 3, expected // 2, expected - 1, expected})
    shown = {n: (str(n) in a.pages[n - 1].extract_text(), str(n) in b.pages[n - 1].extract_text()) for n in samples}
    if not all(x and y for x, y in shown.values()):
        raise SystemExit(f"page numbers missing on sampled pages: {shown}")
    return {
        "pages_checked_equal": expected,
        "sampled_pages_with_number": samples,
        "bundler_output_mb": ours.stat().st_size / 1e6,
        "qpdf_output_mb": theirs.stat().st_size / 1e6,
    }
