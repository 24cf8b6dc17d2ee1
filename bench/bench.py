"""Benchmark: ``bundler build`` against qpdf doing the same merge + page-number overlay.

    python bench/bench.py --pages 5000 [--docx 80] [--workdir bench/work] [--keep]
                          [--scenarios merge,docx,profile] [--runs 3]

Scenarios (see bench/README.md):
  merge        the PDFs only; bundler and one qpdf command (merge + overlay) alternately,
               median of --runs runs each (a rebuild: caches warm)
  merge-first  the same, each bundler run with an empty cache (a first build)
  docx-first   the PDFs + --docx DOCX statements, empty cache each run, against LibreOffice
               alone converting the same DOCX in the same run: bundler's own time (its wall
               time minus LibreOffice's) over qpdf merging the same pages (docx_own.py)
  anon-docx-first  (--scenarios docx,anon-docx) the same, the anonymised public bundle
               (the anon scenarios' register)
  docx-cached  the same project again with the cache filled; qpdf merges the same PDFs plus
               the cached conversions, so both tools output the same pages
  profile      cProfile of one merge build (top 15 by cumulative and by own time)
  anon         the anonymised public bundle (register: one person, one term on ~10% of pages):
               anon-first, anon-rebuild, anon-changed, detect, detect-again (anonymised.py)
  detect       the anonymised project's detect and detect-again rows alone
  ocr          the anonymised first build with OCR on, the same with --no-ocr, and Tesseract
               alone on the same scanned pages (ocr.py)
Prints a table and writes <workdir>/results.json. Corpus generation is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from anonymised import anonymised_rows  # noqa: E402
from baseline import Baseline, Built, prepare_qpdf, verify  # noqa: E402  (scripts beside each other)
from corpus import Corpus, CorpusDoc, make_corpus  # noqa: E402
from docx_own import docx_rows  # noqa: E402
from ocr import ocr_project, ocr_rows  # noqa: E402

GNU_TIME = Path("/usr/bin/time")


@dataclass(frozen=True)
class Run:
    seconds: float  # wall clock
    cpu: float  # user + system seconds of the process and its children
    peak_mb: float  # peak resident set size


@dataclass
class Row:
    scenario: str
    bundler: list[Run]
    qpdf: list[Run]
    pages: int  # bundler's output
    qpdf_pages: int
    compared: str
    libreoffice: list[Run] = field(default_factory=list)  # LibreOffice alone, same DOCX (docx rows)

    def own(self, field_: str = "seconds") -> float:
        """bundler's own time: its median minus LibreOffice-alone's median."""
        return self.median("bundler", field_) - self.median("libreoffice", field_)

    def median(self, tool: str, field: str) -> float:
        return float(statistics.median(getattr(r, field) for r in getattr(self, tool)))

    def summary(self) -> dict[str, object]:
        wall = self.median("bundler", "seconds") / self.median("qpdf", "seconds")
        cpu = self.median("bundler", "cpu") / self.median("qpdf", "cpu")
        best = min(r.seconds for r in self.bundler) / min(r.seconds for r in self.qpdf)
        return {
            "scenario": self.scenario,
            "ratio": wall,
            "cpu_ratio": cpu,
            "best_ratio": best,
            "bundler_s": self.median("bundler", "seconds"),
            "qpdf_s": self.median("qpdf", "seconds"),
            "pages": self.pages,
            "qpdf_pages": self.qpdf_pages,
            "compared": self.compared,
            "bundler_peak_mb": max(r.peak_mb for r in self.bundler),
            "qpdf_peak_mb": max(r.peak_mb for r in self.qpdf),
            "bundler_runs": [asdict(r) for r in self.bundler],
            "qpdf_runs": [asdict(r) for r in self.qpdf],
            **(self.own_summary() if self.libreoffice else {}),
        }

    def own_summary(self) -> dict[str, object]:
        return {
            "libreoffice_s": self.median("libreoffice", "seconds"),
            "own_s": self.own(),
            "own_ratio": self.own() / self.median("qpdf", "seconds"),
            "own_cpu_s": self.own("cpu"),
            "own_cpu_ratio": self.own("cpu") / self.median("qpdf", "cpu"),
            "libreoffice_runs": [asdict(r) for r in self.libreoffice],
        }


def _peak_by_polling(proc: subprocess.Popen[bytes]) -> float:
    """Without GNU time: poll the child's own high-water mark (VmHWM, kB)."""
    peak = 0
    while proc.poll() is None:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            peak = max(peak, int(status.split("VmHWM:")[1].split()[0]))
        except (OSError, IndexError, ValueError):
            pass
        time.sleep(0.02)
    return peak / 1024


def measure(cmd: list[str], log: Path, timeout: float) -> Run:
    """Wall time, CPU time and peak RSS of one child process; stops the benchmark if it fails."""
    peak_file = log.with_suffix(".maxrss")
    gnu = GNU_TIME.exists()
    full = [str(GNU_TIME), "-f", "%M", "-o", str(peak_file), *cmd] if gnu else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=subprocess.STDOUT)
        polled = 0.0 if gnu else _peak_by_polling(proc)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise SystemExit(f"timed out after {timeout:.0f} s: {' '.join(cmd[:3])} ...") from None
        seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(cmd[:3])} ... see {log}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    peak = int(peak_file.read_text().split()[-1]) / 1024 if gnu else polled
    return Run(seconds, cpu, peak)


def bundler_cmd(*args: str) -> list[str]:
    exe = shutil.which("bundler")
    return [exe, *args] if exe else [sys.executable, "-m", "bundler", *args]


def make_project(folder: Path, docs: list[CorpusDoc]) -> Path:
    """A jr-claim project with ``docs`` added section by section (not timed)."""
    folder.mkdir(parents=True, exist_ok=True)
    project = folder / "bench.bundle.json"
    subprocess.run(
        bundler_cmd(
            "new",
            str(project),
            "--template",
            "jr-claim",
            "--case-name",
            "AB v Chief Constable",
            "--claim-no",
            "AC-2019-LON-000001",
            "--force",
        ),
        stdout=subprocess.DEVNULL,
        check=True,
    )
    for section in "ABCDEF":
        files = [str(d.path) for d in docs if d.section == section]
        if files:
            subprocess.run(
                bundler_cmd("add", str(project), *files, "--section", section), stdout=subprocess.DEVNULL, check=True
            )
    return project


def build(project: Path, out: Path, cache: Path, log: Path, timeout: float) -> tuple[Run, dict[str, Any]]:
    report = out.with_suffix(".json")
    # --no-ocr: qpdf does not OCR either; OCR is extra work, not part of the merge compared
    run = measure(
        bundler_cmd(
            "build", str(project), "-o", str(out), "--json", str(report), "--cache-dir", str(cache), "--no-ocr"
        ),
        log,
        timeout,
    )
    return run, json.loads(report.read_text(encoding="utf-8"))


def time_qpdf(base: Baseline, name: str, opts: argparse.Namespace) -> list[Run]:
    return [measure(base.cmd, opts.workdir / f"{name}.qpdf{i}.log", opts.timeout) for i in range(opts.runs)]


def scenario_merge(
    name: str, project: Path, cache: Path, opts: argparse.Namespace, built: Built | None = None
) -> tuple[Row, dict[str, object]]:
    """bundler and qpdf alternately (so a busy spell hits both), ``opts.runs`` times each."""
    work, out = opts.workdir, opts.workdir / f"{name}.bundler.pdf"
    if built is None:  # a warm-up: fills the OS file cache for both tools
        built = (out, build(project, out, cache, work / f"{name}.warmup.log", opts.timeout)[1])
    base = prepare_qpdf(name, project, cache, built, work, with_docx=True)
    ours, theirs = [], []
    for i in range(opts.runs):
        ours.append(build(project, out, cache, work / f"{name}.bundler{i}.log", opts.timeout)[0])
        theirs.append(measure(base.cmd, work / f"{name}.qpdf{i}.log", opts.timeout))
    row = Row(
        name,
        ours,
        theirs,
        built[1]["pages"],
        base.pages,
        "same pages: qpdf merges the same PDFs (+ bundler's front matter), overlays numbers",
    )
    return row, {"overlay_generation_s": base.overlay_s, **verify(out, base.out, base.pages)}


def scenario_merge_first(project: Path, opts: argparse.Namespace, merge: Row) -> Row:
    """First builds: every cache emptied before each run (corner checks, stored chunks)."""
    cache, out = opts.workdir / "cache-merge-first", opts.workdir / "merge-first.bundler.pdf"
    ours, pages = [], 0
    for i in range(opts.runs):
        shutil.rmtree(cache, ignore_errors=True)
        run, report = build(project, out, cache, opts.workdir / f"merge-first.bundler{i}.log", opts.timeout)
        ours.append(run)
        pages = report["pages"]
    return Row(
        "merge-first",
        ours,
        merge.qpdf,
        pages,
        merge.qpdf_pages,
        "empty cache before every bundler run; qpdf: the merge row's runs",
    )


def load_or_make_corpus(opts: argparse.Namespace) -> tuple[Corpus, float]:
    """Reuse a kept corpus made with the same settings; else generate one (not timed)."""
    folder = opts.workdir / "corpus"
    wanted = {"pages": opts.pages, "docx": opts.docx, "seed": opts.seed}
    manifest = folder / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data["settings"] == wanted:
            return Corpus([CorpusDoc(Path(d["path"]), d["kind"], d["section"], d["pages"]) for d in data["docs"]]), 0.0
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    corpus = make_corpus(folder.resolve(), opts.pages, opts.docx, opts.seed)
    docs = [{**asdict(d), "path": str(d.path)} for d in corpus.docs]
    manifest.write_text(json.dumps({"settings": wanted, "docs": docs}, indent=1), encoding="utf-8")
    return corpus, time.perf_counter() - started


def profile_merge(project: Path, opts: argparse.Namespace) -> str:
    """cProfile of one merge build: top 15 by cumulative and by own time."""
    import io
    import pstats

    prof, work = opts.workdir / "merge.prof", opts.workdir
    measure(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(prof),
            "-m",
            "bundler",
            "build",
            str(project),
            "-o",
            str(work / "profile.bundler.pdf"),
            "--cache-dir",
            str(work / "cache-merge"),
        ],
        work / "profile.log",
        opts.timeout,
    )
    shown, full = io.StringIO(), io.StringIO()
    for key in ("cumulative", "tottime"):
        pstats.Stats(str(prof), stream=shown).sort_stats(key).print_stats(15)
        pstats.Stats(str(prof), stream=full).sort_stats(key).print_stats(60)
    (work / "profile.txt").write_text(full.getvalue(), encoding="utf-8")
    return shown.getvalue()


def scenario_anonymised(merge_project: Path, corpus: Corpus, opts: argparse.Namespace) -> list[Row]:
    """The anonymised scenarios, each bundler run followed by the plain merge's qpdf command."""
    cache, out = opts.workdir / "cache-merge", opts.workdir / "anon-base.bundler.pdf"
    built = (out, build(merge_project, out, cache, opts.workdir / "anon-base.log", opts.timeout)[1])
    base = prepare_qpdf("anon", merge_project, cache, built, opts.workdir, with_docx=True)

    def qpdf(name: str, i: int) -> Run:
        return measure(base.cmd, opts.workdir / f"{name}.qpdf{i}.log", opts.timeout)

    tools = {"Row": Row, "measure": measure, "bundler_cmd": bundler_cmd, "qpdf": qpdf}
    pdfs = [d.path for d in corpus.of_kind("pdf")]
    rows = anonymised_rows(opts, merge_project, pdfs, tools, detect_only="anon" not in opts.scenarios)
    return [r for r in rows if isinstance(r, Row)]


def scenario_ocr(merge_project: Path, corpus: Corpus, opts: argparse.Namespace) -> list[Row]:
    """The OCR scenarios, each run followed by the plain merge's qpdf command."""
    cache, out = opts.workdir / "cache-merge", opts.workdir / "ocr-base.bundler.pdf"
    built = (out, build(merge_project, out, cache, opts.workdir / "ocr-base.log", opts.timeout)[1])
    base = prepare_qpdf("ocr", merge_project, cache, built, opts.workdir, with_docx=True)

    def qpdf(name: str, i: int) -> Run:
        return measure(base.cmd, opts.workdir / f"{name}.qpdf{i}.log", opts.timeout)

    project = ocr_project(merge_project, opts.workdir / "ocr", bundler_cmd)
    tools = {"Row": Row, "measure": measure, "bundler_cmd": bundler_cmd, "qpdf": qpdf}
    scans = [d.path for d in corpus.of_kind("scan")]
    return [r for r in ocr_rows(opts, project, scans, tools) if isinstance(r, Row)]


def table(rows: list[Row]) -> str:
    head = (
        f"{'scenario':<16} {'bundler s':>9} {'qpdf s':>7} {'ratio':>6} {'best':>5} {'cpu':>5} "
        f"{'bundler MB':>10} {'qpdf MB':>8} {'pages':>10}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        s = row.summary()
        pages = str(row.pages) if row.pages == row.qpdf_pages else f"{row.pages}/{row.qpdf_pages}"
        lines.append(
            f"{row.scenario:<16} {row.median('bundler', 'seconds'):>9.2f} "
            f"{row.median('qpdf', 'seconds'):>7.2f} {s['ratio']:>6.2f} "
            f"{s['best_ratio']:>5.2f} {s['cpu_ratio']:>5.2f} "
            f"{s['bundler_peak_mb']:>10.0f} {s['qpdf_peak_mb']:>8.0f} {pages:>10}"
        )
    return "\n".join(lines)


def own_table(rows: list[Row]) -> str:
    """The DOCX first builds: bundler's own time on top of LibreOffice alone, over qpdf."""
    head = f"{'scenario':<16} {'bundler s':>9} {'LO alone s':>10} {'own s':>6} {'qpdf s':>7} {'own/qpdf':>8} {'cpu':>5}"
    lines = [head, "-" * len(head)]
    for row in (r for r in rows if r.libreoffice):
        s = row.own_summary()
        lines.append(
            f"{row.scenario:<16} {row.median('bundler', 'seconds'):>9.2f} {s['libreoffice_s']:>10.2f} "
            f"{s['own_s']:>6.2f} {row.median('qpdf', 'seconds'):>7.2f} {s['own_ratio']:>8.2f} "
            f"{s['own_cpu_ratio']:>5.2f}"
        )
    return "\n".join(lines) if len(lines) > 2 else ""


def environment() -> dict[str, object]:
    qpdf = subprocess.run(["qpdf", "--version"], capture_output=True, text=True).stdout
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "qpdf": qpdf.splitlines()[0],
        "soffice": shutil.which("soffice"),
        "peak_rss_by": "GNU time %M" if GNU_TIME.exists() else "polling /proc/PID VmHWM",
        "loadavg_start": os.getloadavg(),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=5000, help="PDF pages in the corpus")
    p.add_argument("--docx", type=int, default=0, help="DOCX statements (docx scenarios)")
    p.add_argument("--workdir", type=Path, default=Path(__file__).resolve().parent / "work")
    p.add_argument(
        "--keep",
        action="store_true",
        help="keep the corpus and output PDFs (a rerun with the same settings reuses them)",
    )
    p.add_argument(
        "--scenarios",
        help="comma list of merge, docx, anon-docx, anon, detect, ocr, profile"
        " (default: merge, plus docx when --docx is given)",
    )
    p.add_argument("--runs", type=int, default=3, help="timed runs per tool in merge scenarios")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds allowed per process")
    p.add_argument("--seed", type=int, default=2019)
    opts = p.parse_args(argv)
    opts.scenarios = set((opts.scenarios or ("merge,docx" if opts.docx else "merge")).split(","))
    if "docx" in opts.scenarios and not opts.docx:
        p.error("the docx scenarios need --docx N")
    opts.workdir = opts.workdir.resolve()
    return opts


def run_scenarios(opts: argparse.Namespace, corpus: Corpus) -> tuple[list[Row], dict[str, Any], str]:
    rows: list[Row] = []
    extras: dict[str, object] = {}
    merge_project = make_project(opts.workdir / "merge", corpus.of_kind("pdf", "scan"))
    if "merge" in opts.scenarios:
        row, extras["merge"] = scenario_merge("merge", merge_project, opts.workdir / "cache-merge", opts)
        rows += [row, scenario_merge_first(merge_project, opts, row)]
    if "docx" in opts.scenarios:
        project = make_project(opts.workdir / "docx", corpus.docs)
        tools = {
            "Row": Row,
            "measure": measure,
            "build": build,
            "prepare_qpdf": prepare_qpdf,
            "bundler_cmd": bundler_cmd,
        }
        firsts, more, built = docx_rows(opts, project, [d.path for d in corpus.of_kind("docx")], tools)
        extras.update(more)
        cached, extras["docx-cached"] = scenario_merge(
            "docx-cached", project, opts.workdir / "cache-docx-first", opts, built
        )
        rows += [*firsts, cached]
    if "anon" in opts.scenarios or "detect" in opts.scenarios:
        rows += scenario_anonymised(merge_project, corpus, opts)
    if "ocr" in opts.scenarios:
        rows += scenario_ocr(merge_project, corpus, opts)
    profile = profile_merge(merge_project, opts) if "profile" in opts.scenarios else ""
    return rows, extras, profile


def cleanup(work: Path) -> None:
    """Without --keep: drop the corpus and big PDFs; keep results, logs and the profile."""
    folders = [work / name for name in ("corpus", "merge", "docx", "anon", "anon-docx", "lo-alone", "docx-converted")]
    for path in [*folders, *work.glob("*.pdf"), *work.glob("cache-*")]:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def save_results(path: Path, results: dict[str, Any]) -> Path:
    """Write results; rows of other scenarios from an earlier run on the same corpus are kept,
    so the scenarios can be run one invocation at a time."""
    if path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        if old.get("corpus") == results["corpus"]:
            names = {r["scenario"] for r in results["rows"]}
            kept = [r for r in old["rows"] if r["scenario"] not in names]
            results["rows"] = kept + results["rows"]
            results["details"] = {**old["details"], **results["details"]}
            results["earlier_runs"] = {k: old[k] for k in ("settings", "environment")}
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    opts.workdir.mkdir(parents=True, exist_ok=True)
    env = environment()
    corpus, made_s = load_or_make_corpus(opts)
    print(
        f"corpus: {corpus.pdf_pages} PDF pages in {len(corpus.of_kind('pdf', 'scan'))} PDFs "
        f"({sum(d.pages for d in corpus.of_kind('scan'))} pages scanned), "
        f"{len(corpus.of_kind('docx'))} DOCX; generated in {made_s:.0f} s",
        flush=True,
    )
    rows, extras, profile = run_scenarios(opts, corpus)
    env["loadavg_end"] = os.getloadavg()
    if rows:
        print(table(rows))
    if own := own_table(rows):
        print(own)
    for row in rows:
        print(f"  {row.scenario}: {row.compared}\n    {json.dumps(extras.get(row.scenario, {}))}")
    results = {
        "settings": {k: str(v) for k, v in vars(opts).items()},
        "environment": env,
        "corpus": {
            "pdf_pages": corpus.pdf_pages,
            "documents": len(corpus.docs),
            "scanned_pages": sum(d.pages for d in corpus.of_kind("scan")),
            "docx": len(corpus.of_kind("docx")),
            "bytes": sum(d.path.stat().st_size for d in corpus.docs),
        },
        "rows": [
            {**r.summary(), "when": time.strftime("%Y-%m-%d %H:%M"), "loadavg_start": env["loadavg_start"]}
            for r in rows
        ],
        "details": extras,
    }
    out = save_results(opts.workdir / "results.json", results)
    print(profile + f"results: {out}")
    if not opts.keep:
        cleanup(opts.workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
