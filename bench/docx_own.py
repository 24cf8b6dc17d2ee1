"""The DOCX first builds of ``bench.py`` against LibreOffice alone (issue 12).

Issue 12's target: bundler's own time on top of LibreOffice's batch conversion of the same
DOCX files, both measured in the same run, at most 1x qpdf's time for the same PDFs.

  docx-first       the docx project (the PDFs + the DOCX statements), empty cache each run
  anon-docx-first  the same project with the bench register (anonymised.py: one person and
                   the term), the public bundle users build; empty cache each run

Each bundler run is followed, in turn, by LibreOffice alone converting the same DOCX files
the way bundler runs it (as many soffice processes at once as bundler starts, each with its
own profile and its own batch, dealt out by size as bundler deals them): once with fresh
profiles, as bundler starts them, and once with the profiles the previous run made; the
faster of the two (by median) is the baseline, LibreOffice at its best. Then qpdf merges the
bundle's pages (the PDFs and the DOCX conversions) and overlays the numbers.

  own = bundler's wall time - LibreOffice's;  own ratio = own / qpdf's time
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from anonymised import anonymised_project

from bundler.core.convert.libreoffice import find_soffice, split_batches, workers_for

__all__ = ["LibreOfficeAlone", "docx_rows"]


class LibreOfficeAlone:
    """The DOCX files staged once (not timed), and the command converting them as bundler does."""

    def __init__(self, docx: list[Path], folder: Path) -> None:
        soffice = find_soffice()
        if soffice is None:
            raise SystemExit("the docx scenarios need LibreOffice (soffice)")
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "in").mkdir(parents=True)
        staged = []
        for path in docx:
            staged.append(folder / "in" / path.name)
            shutil.copyfile(path, staged[-1])
        self.soffice, self.folder, self.count = soffice, folder, len(staged)
        self.batches = split_batches(staged, workers_for(len(staged)))

    def command(self, fresh: bool) -> list[str]:
        """One shell line: every batch's soffice started at once, then waited for."""
        lines = []
        for n, batch in enumerate(self.batches):
            profile, out = self.folder / f"profile{n}", self.folder / f"out{n}"
            if fresh:
                shutil.rmtree(profile, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            args = [
                str(self.soffice),
                f"-env:UserInstallation={profile.as_uri()}",
                *("--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault"),
                *("--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out)),
                *map(str, batch),
            ]
            lines.append(shlex.join(args) + " >/dev/null 2>&1 &")
        return ["sh", "-c", " ".join(lines) + " wait"]

    def check(self) -> None:
        made = sum(1 for n in range(len(self.batches)) for _ in (self.folder / f"out{n}").glob("*.pdf"))
        if made != self.count:
            raise SystemExit(f"LibreOffice alone made {made} of {self.count} PDFs; see {self.folder}")


def _median(runs: list[Any], field: str = "seconds") -> float:
    return float(statistics.median(getattr(r, field) for r in runs))


def _keep_conversions(cache: Path, folder: Path) -> Path:
    """The DOCX conversions copied out of the cache (emptied before every run) for qpdf."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for pdf in cache.glob("*.libreoffice.pdf"):
        shutil.copyfile(pdf, folder / pdf.name)
    return folder


def docx_rows(
    opts: argparse.Namespace, project: Path, docx: list[Path], tools: dict[str, Callable[..., Any]]
) -> tuple[list[Any], dict[str, object], tuple[Path, dict[str, Any]]]:
    """The rows (anon-docx-first only with the ``anon-docx`` scenario); the extras (both
    LibreOffice variants, the converters used); and the docx project's last first build
    (its output and report, its cache still filled)."""
    row, measure, build, prepare_qpdf = tools["Row"], tools["measure"], tools["build"], tools["prepare_qpdf"]
    work = opts.workdir
    alone = LibreOfficeAlone(docx, work / "lo-alone")
    projects = {"docx-first": project}
    if "anon-docx" in opts.scenarios:
        projects["anon-docx-first"] = anonymised_project(project, work / "anon-docx", tools["bundler_cmd"])
    rows, extras, base, built = [], {}, None, None
    for name, proj in projects.items():
        cache, out = work / f"cache-{name}", work / f"{name}.bundler.pdf"
        ours, fresh, warm, theirs, report = [], [], [], [], {}
        for i in range(opts.runs):
            shutil.rmtree(cache, ignore_errors=True)
            run, report = build(proj, out, cache, work / f"{name}.bundler{i}.log", opts.timeout)
            ours.append(run)
            if base is None:  # qpdf's pages: the PDFs and the plain build's conversions
                kept = _keep_conversions(cache, work / "docx-converted")
                base = prepare_qpdf("docx-all", proj, kept, (out, report), work, True)
            for variant, runs in (("fresh", fresh), ("warm", warm)):
                runs.append(
                    measure(alone.command(variant == "fresh"), work / f"{name}.lo-{variant}{i}.log", opts.timeout)
                )
                alone.check()
            theirs.append(measure(base.cmd, work / f"{name}.qpdf{i}.log", opts.timeout))
        best = min((fresh, warm), key=_median)
        rows.append(
            row(
                name,
                ours,
                theirs,
                report["pages"],
                base.pages,
                "own = bundler - LibreOffice alone (same DOCX, same run); qpdf merges the PDFs and the conversions",
                best,
            )
        )
        extras[name] = {
            "libreoffice_fresh_profiles_s": [r.seconds for r in fresh],
            "libreoffice_made_profiles_s": [r.seconds for r in warm],
            "libreoffice_baseline": "fresh profiles" if best is fresh else "profiles already made",
            "soffice_processes": len(alone.batches),
            "converters": sorted({d["converter"] for d in report["documents"]}),
        }
        if name == "docx-first":
            built = (out, report)
    assert built is not None
    return rows, extras, built
