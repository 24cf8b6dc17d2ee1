"""Progress and cancel, as an interface the core reports through.

The CLI prints a bar; the GUI re-emits Qt signals. Workers never touch widgets.
``StageClock`` turns what a stage reports into words both faces show:
"OCR: page 12 of 40 — about 1 min left".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from bundler.core.errors import Cancelled

__all__ = ["Progress", "NullProgress", "RoundsProgress", "StageClock", "time_left", "check_cancel"]


class Progress(Protocol):
    def stage(self, name: str, total: int, unit: str = "") -> None:
        """A new stage starts with ``total`` steps (0 when unknown) of ``unit`` ("page")."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more of the current stage are done."""

    def cancelled(self) -> bool:
        """True once the user asked to stop."""


class NullProgress:
    def stage(self, name: str, total: int, unit: str = "") -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def cancelled(self) -> bool:
        return False


class RoundsProgress:
    """``progress`` for work done in rounds as its inputs arrive (documents placed as
    LibreOffice converts them): each stage is announced once, without a total (the rounds
    to come are unknown), and every later round's steps count on in it."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._started: set[str] = set()

    def stage(self, name: str, total: int, unit: str = "") -> None:
        if name not in self._started:
            self._started.add(name)
            self._progress.stage(name, 0, unit)

    def advance(self, steps: int = 1) -> None:
        self._progress.advance(steps)

    def cancelled(self) -> bool:
        return self._progress.cancelled()


def check_cancel(progress: Progress) -> None:
    if progress.cancelled():
        raise Cancelled("Build cancelled; any previous bundle is untouched.")


MIN_STEPS = 2  # a rate read off fewer steps is a guess too wild to show


def time_left(seconds: float) -> str:
    """'a few seconds left', 'about 40 s left', 'about 3 min left', 'about 2 h left'."""
    if seconds < 10:
        return "a few seconds left"
    if seconds < 55:
        return f"about {round(seconds / 5) * 5} s left"
    if seconds < 90 * 60:
        return f"about {max(1, round(seconds / 60))} min left"
    return f"about {round(seconds / 3600)} h left"


class StageClock:
    """Counts a stage's steps and times them, to say how far it is and how long is left."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.name, self.unit, self.total, self.done = "", "", 0, 0
        self._started = clock()

    def start(self, name: str, total: int, unit: str = "") -> None:
        self.name, self.unit, self.total, self.done = name, unit, max(total, 0), 0
        self._started = self._clock()

    def advance(self, steps: int = 1) -> None:
        self.done += steps

    def left(self) -> str:
        """The time left at this stage's rate so far; empty until a few steps are done."""
        if not self.total or self.done < MIN_STEPS or self.done >= self.total:
            return ""
        elapsed = self._clock() - self._started
        return time_left(elapsed / self.done * (self.total - self.done))

    def text(self) -> str:
        """'OCR: page 12 of 40 — about 1 min left'; just the name while the total is unknown."""
        if not self.total:
            return self.name
        at = min(self.done + 1, self.total) if self.done < self.total else self.total
        count = f"{self.unit} {at} of {self.total}" if self.unit else f"{at} of {self.total}"
        left = self.left()
        return f"{self.name}: {count}" + (f" — {left}" if left else "")
