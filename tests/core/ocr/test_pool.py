"""One Tesseract per core: the pool runs as many processes at once as it has workers,
and a cancel kills them at once (processes that would otherwise run for 30 s)."""

from __future__ import annotations

import os
import sys
import time

import pytest

from bundler.core.errors import Cancelled
from bundler.core.ocr.pool import TesseractPool, usable_cores

SLEEP = [sys.executable, "-c", "import time; time.sleep(30)"]


class CancelAfter:
    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.asked: float | None = None  # when the cancel was first seen

    def stage(self, name: str, total: int, unit: str = "") -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def cancelled(self) -> bool:
        if time.monotonic() >= self.at and self.asked is None:
            self.asked = time.monotonic()
        return self.asked is not None


def test_usable_cores_are_this_process_s_cores():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert usable_cores() == expected and usable_cores() >= 1
    assert TesseractPool().workers == usable_cores() and TesseractPool(3).workers == 3


def test_as_many_processes_run_at_once_as_there_are_workers():
    quick = [sys.executable, "-c", "import time; time.sleep(1)"]
    with TesseractPool(3) as pool:
        pending = {pool.submit(pool.run, quick, 30.0) for _ in range(6)}
        results = [f.result() for f in pool.finished(pending)]
    assert [r.returncode for r in results] == [0] * 6
    assert pool.peak == 3


def test_a_cancel_kills_every_running_process_at_once():
    progress = CancelAfter(0.5)
    with pytest.raises(Cancelled), TesseractPool(2, progress) as pool:
        pending = {pool.submit(pool.run, SLEEP, 60.0) for _ in range(4)}
        list(pool.finished(pending))
    took = time.monotonic() - (progress.asked or 0)
    print(f"cancel took {took:.2f} s")
    assert took < 5 and pool.peak == 2
