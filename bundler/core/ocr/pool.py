"""One Tesseract per usable core, each single-threaded, all of them stopped on cancel.

Tesseract runs as a separate process, so a thread per core is enough to keep every
core busy: the threads only wait. Each process is limited to one thread
(OMP_THREAD_LIMIT=1), or OpenMP would make the parallel pages fight for the same
cores. Waiting for a result looks at the user's cancel a few times a second; on
cancel every running Tesseract is killed, so the build stops within a second
instead of when the pages being read are done.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from types import TracebackType
from typing import TypeVar

from bundler.core.progress import NullProgress, Progress, check_cancel

__all__ = ["usable_cores", "run_process", "TesseractPool", "Runner"]

T = TypeVar("T")
Runner = Callable[[list[str], float], "subprocess.CompletedProcess[str]"]
_LOOK = 0.1  # seconds between looks at the cancel while waiting for Tesseract


def usable_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count), at least 1."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counted is not None:
        return max(1, counted() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _no_window() -> int:
    # On Windows every console program would flash a window over the app.
    return getattr(subprocess, "CREATE_NO_WINDOW", 0)


def _popen(args: list[str]) -> subprocess.Popen[str]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    return subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        creationflags=_no_window(),
    )


def _finish(process: subprocess.Popen[str], args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def run_process(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run one single-threaded Tesseract (or any program) to the end; no cancel."""
    return _finish(_popen(args), args, timeout)


class TesseractPool:
    """``workers`` threads (default: one per usable core), each running one process at a time.

    Use it as a context manager: leaving it on an error (a cancel included) kills
    every process still running and drops the work not yet started.
    """

    def __init__(self, workers: int = 0, progress: Progress | None = None) -> None:
        self.workers = workers if workers > 0 else usable_cores()
        self.progress = progress or NullProgress()
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="bundler-tesseract")
        self._live: set[subprocess.Popen[str]] = set()
        self._lock = threading.Lock()
        self._stopped = False
        self.peak = 0  # the most processes that ran at once

    def __enter__(self) -> TesseractPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            self.kill()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, work: Callable[..., T], *args: object) -> Future[T]:
        return self._executor.submit(work, *args)

    def run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        """``run_process``, but killed by ``kill()``; a ``Runner`` for the work submitted."""
        with self._lock:
            if self._stopped:
                raise subprocess.SubprocessError("stopped")
            process = _popen(args)
            self._live.add(process)
            self.peak = max(self.peak, len(self._live))
        try:
            return _finish(process, args, timeout)
        finally:
            with self._lock:
                self._live.discard(process)

    def kill(self) -> None:
        """Kill every running process; nothing new starts."""
        with self._lock:
            self._stopped = True
            for process in self._live:
                process.kill()

    def finished(self, pending: set[Future[T]], keep: int = 0) -> Iterator[Future[T]]:
        """The futures of ``pending`` as they finish (removed from it), until ``keep`` are left;
        raises ``Cancelled`` (after killing every process) as soon as the user cancels."""
        while len(pending) > keep:
            self.check_cancel()
            done, _ = wait(pending, timeout=_LOOK, return_when=FIRST_COMPLETED)
            for future in done:
                pending.discard(future)
                yield future

    def result(self, future: Future[T]) -> T:
        """``future.result()``, looking at the cancel while it waits."""
        while not future.done():
            self.check_cancel()
            wait([future], timeout=_LOOK)
        return future.result()

    def check_cancel(self) -> None:
        try:
            check_cancel(self.progress)
        except BaseException:
            self.kill()
            raise
