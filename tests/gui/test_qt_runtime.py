"""The Qt binding itself: PySide6 6.12.0 lost a reference to True/None on every signal
emit and QRunnable run, which aborts Python < 3.12 after a few hundred emits."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Emitter(QObject):
    fired = Signal(int, bool)


class _Task(QRunnable):
    def run(self) -> None:
        pass


def test_signal_emits_do_not_leak_or_drop_references(qapp):
    emitter, seen = _Emitter(), []
    emitter.fired.connect(lambda n, flag: seen.append(n))
    gc.collect()
    gc.disable()  # a collection mid-loop moves the counts by itself
    before = sys.getrefcount(True), sys.getrefcount(None)
    for n in range(2000):
        emitter.fired.emit(n, True)
    pool = QThreadPool()
    for _ in range(500):
        pool.start(_Task())
    pool.waitForDone()
    after = sys.getrefcount(True), sys.getrefcount(None)
    gc.enable()
    assert len(seen) == 2000
    assert abs(after[0] - before[0]) < 100 and abs(after[1] - before[1]) < 100, (before, after)
