"""Progress and cancel, as an interface the core reports through.

The CLI prints a bar; the GUI re-emits Qt signals. Workers never touch widgets.
"""

from __future__ import annotations

from typing import Protocol

from bundler.core.errors import Cancelled

__all__ = ["Progress", "NullProgress", "check_cancel"]


class Progress(Protocol):
    def stage(self, name: str, total: int) -> None:
        """A new stage starts with ``total`` steps (0 when unknown)."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more of the current stage are done."""

    def cancelled(self) -> bool:
        """True once the user asked to stop."""


class NullProgress:
    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def cancelled(self) -> bool:
        return False


def check_cancel(progress: Progress) -> None:
    if progress.cancelled():
        raise Cancelled("Build cancelled; any previous bundle is untouched.")
