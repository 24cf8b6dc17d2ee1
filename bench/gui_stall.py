"""Does the GUI stall during an anonymised build, and how fast does Cancel stop one?

    python bench/gui_stall.py --pages 2000 --docx 12 --workdir /tmp/gui-stall
                              [--ocr] [--scan-share 0.10] [--cancel convert,ocr,redact,gate]

Opens the real main window (offscreen unless QT_QPA_PLATFORM says otherwise), loads a
project made from bench/corpus.py's corpus with bench/anonymised.py's register, and
builds it the way a user does: the window's Build action. A QTimer fires every 10 ms;
every gap between two ticks longer than that is the event loop stalling. The largest
gaps are reported with the stage the progress bar showed and, from a watchdog thread,
what the UI thread was running at the time (and whether the watchdog itself was held
up: a C call keeping the GIL in a worker thread).

Cancel: for each stage asked for, a build with an empty cache is started, Cancel is
clicked once the stage has run for ``--cancel-after`` seconds, and the time until the
window says the build stopped is measured, with the time until no process the build
started (LibreOffice, Tesseract, pool workers) is left.
Then the full build runs (proving the window still builds after the cancels), from an
empty cache. Writes ``<workdir>/gui_stall.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import corpus as corpus_module  # noqa: E402  (scripts beside each other)
from anonymised import anonymised_project  # noqa: E402

from bench import bundler_cmd, load_or_make_corpus, make_project  # noqa: E402

TICK_MS = 10
STAGES = {  # what the progress bar says while each stage runs
    "convert": "Converting Word documents with LibreOffice",
    "ocr": "OCR",
    "redact": "Redacting",
    "gate": "Leak gate",
}


@dataclass
class Gap:
    ms: float
    at: float  # seconds since the build started
    stage: str
    ui: list[str] = field(default_factory=list)  # the UI thread's innermost frames, sampled during the gap
    held: float = 0.0  # how late the watchdog woke during the gap (ms): the GIL was held elsewhere
    others: list[str] = field(default_factory=list)  # the other threads' innermost bundler frames


def _frames(frame: Any, limit: int = 6) -> list[str]:
    """Innermost ``limit`` frames, innermost first, as 'file:line function'."""
    out = []
    for fs in reversed(traceback.extract_stack(frame)[-limit:]):
        out.append(f"{'/'.join(Path(fs.filename).parts[-3:])}:{fs.lineno} {fs.name}")
    return out


class Watchdog(threading.Thread):
    """Samples the UI thread's stack whenever it has not ticked for a while."""

    def __init__(self, meter: StallMeter) -> None:
        super().__init__(daemon=True, name="stall-watchdog")
        self.meter, self.stop = meter, threading.Event()
        self.ui_id = threading.main_thread().ident

    def run(self) -> None:
        last_wake = time.perf_counter()
        while not self.stop.wait(0.02):
            now = time.perf_counter()
            late, last_wake = (now - last_wake - 0.02) * 1000, now
            since = (now - self.meter.last) * 1000
            if since > 60 or late > 60:
                self.meter.sample(late, self.ui_id)


class StallMeter:
    """Ticks every 10 ms on the UI thread; records gaps and what ran during them."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer(interval=TICK_MS)
        self.timer.setTimerType(self.timer.timerType().PreciseTimer)
        self.timer.timeout.connect(self.tick)
        self.last = time.perf_counter()
        self.started = self.last
        self.stage = ""
        self.gaps: list[Gap] = []
        self._pending: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.watchdog = Watchdog(self)

    def begin(self) -> None:
        self.started = self.last = time.perf_counter()
        self.gaps.clear()
        self.timer.start()
        if not self.watchdog.is_alive():
            self.watchdog.start()

    def end(self) -> None:
        self.timer.stop()

    def set_stage(self, text: str) -> None:
        self.stage = text

    def sample(self, late_ms: float, ui_id: int | None) -> None:
        frames = sys._current_frames()
        ui = _frames(frames[ui_id]) if ui_id in frames else []
        others = []
        for ident, frame in frames.items():
            if ident in (ui_id, threading.get_ident()):
                continue
            inner = [f for f in _frames(frame, 40) if "bundler/" in f or "pypdf" in f or "pdfium" in f]
            if inner:
                others.append(inner[0])
        with self._lock:
            if not self._pending:
                self._pending = {"ui": ui, "held": late_ms, "others": others}
            else:
                self._pending["held"] = max(self._pending["held"], late_ms)

    def tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self.last) * 1000
        with self._lock:
            pending, self._pending = self._pending, {}
        if gap > TICK_MS * 1.5:
            self.gaps.append(
                Gap(
                    round(gap, 1),
                    round(self.last - self.started, 2),
                    self.stage,
                    pending.get("ui", []),
                    round(pending.get("held", 0.0), 1),
                    pending.get("others", [])[:3],
                )
            )
        self.last = now

    def top(self, n: int = 10) -> list[Gap]:
        return sorted(self.gaps, key=lambda g: g.ms, reverse=True)[:n]


def wait_for(signal: Any, timeout: float) -> list[Any]:
    """Run the event loop until ``signal`` fires; its arguments."""
    from PySide6.QtCore import QEventLoop, QTimer

    got: list[Any] = []
    loop = QEventLoop()

    def fired(*args: Any) -> None:
        got.extend(args)
        got.append("fired")
        loop.quit()

    signal.connect(fired)
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    loop.exec()
    signal.disconnect(fired)
    if not got:
        raise SystemExit(f"timed out after {timeout:.0f} s waiting for a signal")
    return got[:-1]


def pump(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def our_processes(marker: str) -> list[str]:
    """Processes (not this one) whose command line mentions ``marker``: the build's children."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmd:
            found.append(f"{entry.name} {cmd[:100]}")
    return found


def children() -> list[str]:
    """Live descendants of this process (by /proc parent links)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        pid, rest = int(entry.name), stat.rsplit(")", 1)
        fields = rest[1].split()
        if fields[0] == "Z":
            continue
        parents[pid], names[pid] = int(fields[1]), stat[stat.index("(") + 1 : stat.rindex(")")]
    mine, todo = [], [os.getpid()]
    while todo:
        parent = todo.pop()
        for pid, ppid in parents.items():
            if ppid == parent:
                mine.append(f"{pid} {names[pid]}")
                todo.append(pid)
    return mine


def set_ocr(window: Any, ocr: bool) -> None:
    """The project's OCR option, as the options dialog sets it (the build saves it)."""
    window.bundle.options.ocr = "auto" if ocr else "off"


def make_window(workdir: Path) -> Any:
    from PySide6.QtCore import QSettings

    from bundler.gui.mainwindow.window import MainWindow
    from bundler.gui.settings import Settings

    store = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    settings = Settings(store, recovery_dir=workdir / "recovery", cache_dir=workdir / "cache-gui")
    window = MainWindow(settings, autosave_ms=60_000)
    errors: list[BaseException] = []
    window.prompts.error = errors.append
    window.bench_errors = errors
    window.resize(1400, 860)
    window.show()
    return window


def close_boxes(window: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    for box in window.findChildren(QMessageBox):
        box.close()
        box.deleteLater()


def open_project(window: Any, project: Path, timeout: float, first: bool) -> float:
    """Open it as File > Open does; seconds until the page counts are in (known after the first)."""
    started = time.perf_counter()
    window.files.open_path(project)
    if first:
        wait_for(window.pageCountsUpdated, timeout)
    else:
        pump(0.5)
    return time.perf_counter() - started


def measured_build(window: Any, meter: StallMeter, cache: Path, timeout: float) -> dict[str, Any]:
    """One full build from an empty cache, with the event loop measured throughout."""
    idle(window, timeout)
    shutil.rmtree(cache, ignore_errors=True)
    close_boxes(window)
    window.tasks.progressText.connect(meter.set_stage)
    meter.set_stage("(starting)")
    meter.begin()
    started = time.perf_counter()
    window.action_set.build.trigger()
    result = wait_for(window.buildFinished, timeout)[0]
    built = time.perf_counter() - started
    meter.set_stage("(after the build: preview, preflight)")
    wait_for(window.preflightFinished, timeout)
    settled = time.perf_counter() - started
    pump(1.0)
    meter.end()
    window.tasks.progressText.disconnect(meter.set_stage)
    close_boxes(window)
    ok = not isinstance(result, BaseException)
    return {
        "ok": ok,
        "error": "" if ok else str(result),
        "pages": getattr(result, "pages", 0),
        "build_s": round(built, 2),
        "until_preflight_s": round(settled, 2),
        "ticks_over_100ms": sum(1 for g in meter.gaps if g.ms > 100),
        "ticks_over_50ms": sum(1 for g in meter.gaps if g.ms > 50),
        "largest": [asdict(g) for g in meter.top(10)],
    }


def idle(window: Any, timeout: float) -> None:
    """Until no foreground task runs (a build is refused while the last one's preflight runs)."""
    started = time.perf_counter()
    while window.tasks.busy() and time.perf_counter() - started < timeout:
        pump(0.05)


def cancel_at(window: Any, stage: str, cache: Path, after: float, timeout: float, marker: str) -> dict[str, Any]:
    """Start a build from an empty cache; click Cancel ``after`` s into ``stage``; time the stop."""
    idle(window, timeout)
    shutil.rmtree(cache, ignore_errors=True)
    close_boxes(window)
    words = STAGES[stage]
    seen: dict[str, float] = {}
    clicked: dict[str, float] = {}

    def progress(text: str) -> None:
        if text.startswith(words) and "at" not in seen:
            seen["at"] = time.perf_counter()
            seen["text"] = text  # type: ignore[assignment]

    window.tasks.progressText.connect(progress)
    started = time.perf_counter()
    window.action_set.build.trigger()
    result: Any = None
    got: list[Any] = []
    window.buildFinished.connect(lambda r: got.append((time.perf_counter(), r)))
    while not got and time.perf_counter() - started < timeout:
        pump(0.01)
        if "at" in seen and "t" not in clicked and time.perf_counter() - seen["at"] >= after:
            clicked["t"] = time.perf_counter()
            print(f"  clicking Cancel at: {seen['text']}", flush=True)
            window.cancel_button.click()
    window.tasks.progressText.disconnect(progress)
    if not got:
        raise SystemExit(f"cancel at {stage}: no end after {timeout:.0f} s")
    ended, result = got[0]
    left_at_stop = our_processes(marker)
    gone = time.perf_counter()
    while our_processes(marker) and time.perf_counter() - gone < 60:
        time.sleep(0.05)
    cleared = time.perf_counter()
    close_boxes(window)
    usable = window.action_set.build.isEnabled() and not window.cancel_button.isVisible()
    if "t" not in clicked:
        return {"stage": stage, "reached": False, "result": type(result).__name__, "build_s": round(ended - started, 2)}
    return {
        "stage": stage,
        "reached": True,
        "progress_at_click": seen.get("text", ""),
        "cancelled": type(result).__name__ == "Cancelled",
        "result": type(result).__name__,
        "latency_s": round(ended - clicked["t"], 2),
        "processes_left_at_stop": left_at_stop,
        "processes_gone_s": round(cleared - clicked["t"], 2),
        "window_usable": usable,
        "status": window.statusBar().currentMessage(),
    }


def prepare(opts: argparse.Namespace) -> Path:
    """The corpus and the anonymised project (not timed)."""
    corpus_module.SCAN_SHARE = opts.scan_share
    work = opts.workdir
    opts.workdir = work / f"corpus-{opts.pages}-{opts.docx}-scan{opts.scan_share}"
    corpus, made = load_or_make_corpus(opts)
    opts.workdir = work
    print(
        f"corpus: {corpus.pdf_pages} PDF pages, {len(corpus.of_kind('docx'))} DOCX (made in {made:.0f} s)", flush=True
    )
    merge = make_project(work / "merge", corpus.docs)
    return anonymised_project(merge, work / "anon", bundler_cmd)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=2000)
    p.add_argument("--docx", type=int, default=12, help="DOCX witness statements (LibreOffice converts them)")
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument("--scan-share", type=float, default=0.10, help="share of PDF pages that are scans")
    p.add_argument("--ocr", action="store_true", help="OCR the scanned pages in the measured build")
    p.add_argument("--cancel", default="convert,ocr,redact,gate", help="stages to cancel in ('' for none)")
    p.add_argument("--cancel-after", type=float, default=1.0, help="seconds into the stage before Cancel")
    p.add_argument("--no-build", action="store_true", help="only the cancel runs")
    p.add_argument("--workdir", type=Path, default=Path("bench/work/gui"))
    p.add_argument("--timeout", type=float, default=3600)
    return p.parse_args(argv)


def report(results: dict[str, Any]) -> str:
    lines = []
    build = results.get("build")
    if build:
        lines.append(
            f"build: {'ok' if build['ok'] else build['error']}, {build['pages']} pages, {build['build_s']} s "
            f"(preflight done at {build['until_preflight_s']} s); gaps > 100 ms: {build['ticks_over_100ms']}, "
            f"> 50 ms: {build['ticks_over_50ms']}"
        )
        for g in build["largest"]:
            lines.append(f"  {g['ms']:7.1f} ms at {g['at']:7.2f} s  [{g['stage'][:60]}]  held {g['held']} ms")
            lines += [f"      ui: {f}" for f in g["ui"][:3]] + [f"      worker: {f}" for f in g["others"]]
    for c in results.get("cancels", []):
        if not c.get("reached"):
            lines.append(f"cancel {c['stage']}: stage not reached (build ended {c['result']} in {c['build_s']} s)")
            continue
        lines.append(
            f"cancel {c['stage']:8s}: stopped in {c['latency_s']} s ({c['result']}), children gone in "
            f"{c['processes_gone_s']} s, left at stop: {len(c['processes_left_at_stop'])}, "
            f"window usable: {c['window_usable']}  [{c['progress_at_click'][:50]}]"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    opts.workdir = opts.workdir.resolve()
    tmp = opts.workdir / "tmp"  # the build's temporary folders: their paths mark its children
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["TMPDIR"] = str(tmp)
    import tempfile

    tempfile.tempdir = str(tmp)
    project = prepare(opts)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    window = make_window(opts.workdir)
    cache = opts.workdir / "cache-gui"
    results: dict[str, Any] = {"settings": {k: str(v) for k, v in vars(opts).items()}}
    results["cancels"] = []
    opened = 0
    for stage in [s for s in opts.cancel.split(",") if s]:
        if not opened:
            results["open_s"] = round(open_project(window, project, opts.timeout, True), 2)
        opened += 1
        set_ocr(window, stage == "ocr")
        results["cancels"].append(cancel_at(window, stage, cache, opts.cancel_after, opts.timeout, str(tmp)))
        print(report({"cancels": results["cancels"][-1:]}), flush=True)
    if not opts.no_build:
        if not opened:
            results["open_s"] = round(open_project(window, project, opts.timeout, True), 2)
        set_ocr(window, opts.ocr)
        meter = StallMeter()
        results["build"] = measured_build(window, meter, cache, opts.timeout)
        meter.watchdog.stop.set()
    results["errors_shown"] = [str(e) for e in window.bench_errors]
    results["children_left"] = children()
    window.tasks.shutdown()
    window.close()
    app.processEvents()
    out = opts.workdir / "gui_stall.json"
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results))
    print(f"errors shown: {results['errors_shown']}\nchildren left: {results['children_left']}\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
