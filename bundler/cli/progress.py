"""A terminal progress bar implementing ``bundler.core.progress.Progress``.

The words beside the bar come from ``StageClock``: "OCR: page 12 of 40 — about 1 min left".
When stderr is not a terminal (a log, a CI job), a stage counted in pages or
documents prints those words as lines instead: every few seconds, and when it ends.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from types import FrameType
from typing import TextIO

from bundler.core.progress import StageClock

__all__ = ["TerminalProgress", "cancel_on_interrupt"]

# Ctrl+C: the main thread gets KeyboardInterrupt, and every stage still running in another
# thread (LibreOffice, Tesseract, a pool of workers) sees cancelled() and kills its children.
_INTERRUPTED = threading.Event()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    _INTERRUPTED.set()
    signal.default_int_handler(signum, frame)


def cancel_on_interrupt() -> None:
    """From the main thread: Ctrl+C cancels the work in progress, then raises KeyboardInterrupt."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupt)


LINE_EVERY = 5.0  # seconds between the lines of a counted stage, when not on a terminal


class TerminalProgress:
    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._clock = StageClock()
        self._said, self._ended = time.monotonic(), False

    def stage(self, name: str, total: int, unit: str = "") -> None:
        self._finish_line()
        self._clock.start(name, total, unit)
        if not self._live:
            print(f"{name}...", file=self._stream)
            self._said, self._ended = time.monotonic(), False
        self._draw()

    def advance(self, steps: int = 1) -> None:
        self._clock.advance(steps)
        if self._live:
            self._draw()
        else:
            self._line()

    def cancelled(self) -> bool:
        return _INTERRUPTED.is_set()  # Ctrl+C (cancel_on_interrupt)

    def close(self) -> None:
        self._finish_line()

    def _draw(self) -> None:
        if not self._live:
            return
        clock = self._clock
        if clock.total:
            share = min(1.0, clock.done / clock.total)
            bar = "#" * int(share * 30)
            text = f"\r[{bar:<30}] {share:4.0%}  {clock.text():<60}"
        else:
            text = f"\r{clock.text():<60}"
        self._stream.write(text)
        self._stream.flush()

    def _line(self) -> None:
        """'OCR: page 12 of 40 — about 1 min left' as a line of its own, now and then."""
        clock = self._clock
        if not clock.unit or not clock.total:
            return
        ended = clock.done >= clock.total
        if (ended and not self._ended) or (not ended and time.monotonic() - self._said >= LINE_EVERY):
            print(clock.text(), file=self._stream, flush=True)
            self._said, self._ended = time.monotonic(), ended

    def _finish_line(self) -> None:
        if self._live and self._clock.name:
            self._stream.write("\n")
            self._stream.flush()
