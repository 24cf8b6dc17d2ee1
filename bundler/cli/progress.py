"""A terminal progress bar implementing ``bundler.core.progress.Progress``."""

from __future__ import annotations

import sys
from typing import TextIO

__all__ = ["TerminalProgress"]


class TerminalProgress:
    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._name, self._total, self._done = "", 0, 0

    def stage(self, name: str, total: int) -> None:
        self._finish_line()
        self._name, self._total, self._done = name, total, 0
        if not self._live:
            print(f"{name}...", file=self._stream)
        self._draw()

    def advance(self, steps: int = 1) -> None:
        self._done += steps
        self._draw()

    def cancelled(self) -> bool:
        return False  # Ctrl+C raises KeyboardInterrupt, handled by the CLI

    def close(self) -> None:
        self._finish_line()

    def _draw(self) -> None:
        if not self._live:
            return
        if self._total:
            share = min(1.0, self._done / self._total)
            bar = "#" * int(share * 30)
            text = f"\r{self._name:<32} [{bar:<30}] {share:4.0%}"
        else:
            text = f"\r{self._name:<32}"
        self._stream.write(text)
        self._stream.flush()

    def _finish_line(self) -> None:
        if self._live and self._name:
            self._stream.write("\n")
            self._stream.flush()
