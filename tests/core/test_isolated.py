"""A job in a child process: its progress, result and errors come back as if it ran here."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bundler.core.errors import Cancelled, LeakError, SourceError
from bundler.core.isolated import run_isolated
from bundler.core.progress import Progress, check_cancel


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.seen: list[tuple[object, ...]] = []
        self.cancel_after = cancel_after

    def stage(self, name: str, total: int, unit: str = "") -> None:
        self.seen.append((name, total, unit))

    def advance(self, steps: int = 1) -> None:
        self.seen.append(("advance", steps))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.seen) >= self.cancel_after


def counting(n: int, progress: Progress) -> int:
    progress.stage("Counting", n, "page")
    for _ in range(n):
        progress.advance()
    return n * 2


def failing_source(path: str, progress: Progress) -> None:
    raise SourceError(Path(path), "is damaged", "Re-save it")


def leaking(progress: Progress) -> None:
    raise LeakError("Found 'Khanum' on page 3", pages=(3,), places="page 3")


def crashing(progress: Progress) -> None:
    raise KeyError("boom")


def waiting_for_cancel(progress: Progress) -> None:
    progress.stage("Waiting", 0)
    while True:
        check_cancel(progress)
        time.sleep(0.01)


def test_progress_and_result_come_back():
    seen = Recorder()
    assert run_isolated(counting, (3,), seen) == 6
    assert seen.seen == [("Counting", 3, "page"), ("advance", 1), ("advance", 1), ("advance", 1)]


def test_errors_come_back_with_their_class_and_details():
    with pytest.raises(SourceError) as err:
        run_isolated(failing_source, ("/cases/Exhibit 4.pdf",), Recorder())
    assert err.value.path == Path("/cases/Exhibit 4.pdf") and "'Exhibit 4.pdf' is damaged" in str(err.value)
    with pytest.raises(LeakError) as leak:
        run_isolated(leaking, (), Recorder())
    assert leak.value.pages == (3,) and "Khanum" in str(leak.value)


def test_a_bug_in_the_child_is_named():
    with pytest.raises(RuntimeError, match="KeyError: 'boom'"):
        run_isolated(crashing, (), Recorder())


def test_cancel_reaches_the_child():
    started = time.perf_counter()
    with pytest.raises(Cancelled):
        run_isolated(waiting_for_cancel, (), Recorder(cancel_after=1))
    print(f"cancelled child ended {time.perf_counter() - started:.2f} s after it started")
