"""One error hierarchy. Every message says what went wrong and what to do next.

The core raises these; the CLI maps them to exit codes in one place and the GUI
shows them in one dialog. Recoverable oddities are reported as warnings in the
build report instead (see ``report.py``).
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

__all__ = [
    "BundlerError",
    "ProjectError",
    "SourceError",
    "PasswordError",
    "ConversionError",
    "BuildError",
    "LeakError",
    "Cancelled",
    "ExitCode",
]


class ExitCode(IntEnum):
    """What the command line returns; each error class below carries its own."""

    OK = 0
    ERROR = 1
    CHECK_FAILED = 2  # preflight found a failure, or a skeleton cites pages that do not exist
    PROJECT = 3
    SOURCE = 4
    PASSWORD = 5
    CONVERSION = 6
    BUILD = 7
    LEAK = 8
    INTERNAL = 70  # a bug: details in crash.log
    INTERRUPTED = 130


class BundlerError(Exception):
    """Base class: ``str(err)`` is a one-line message fit to show a user."""

    exit_code = ExitCode.ERROR


class ProjectError(BundlerError):
    """The project file is missing, unreadable or inconsistent."""

    exit_code = ExitCode.PROJECT


class SourceError(BundlerError):
    """A source document cannot be used as it is."""

    exit_code = ExitCode.SOURCE

    def __init__(self, path: Path | str, problem: str, remedy: str) -> None:
        self.path = Path(path)
        self.problem = problem
        self.remedy = remedy
        end = "" if remedy.endswith((".", "?", "!")) else "."
        super().__init__(f"'{self.path.name}' {problem}. {remedy}{end}")


class PasswordError(SourceError):
    """An encrypted PDF needs a password we were not given (or a wrong one)."""

    exit_code = ExitCode.PASSWORD


class ConversionError(SourceError):
    """A DOCX or image could not be turned into PDF by any converter."""

    exit_code = ExitCode.CONVERSION


class BuildError(BundlerError):
    """The bundle could not be assembled or written."""

    exit_code = ExitCode.BUILD


class LeakError(BundlerError):
    """The leak gate found a protected original in the output: nothing was written.

    ``pages`` are the bundle pages it was found on; the build adds ``document_ids``
    (which documents those pages belong to) so a GUI can select the culprit.
    """

    exit_code = ExitCode.LEAK

    def __init__(self, message: str, pages: tuple[int, ...] = (), places: str = "") -> None:
        super().__init__(message)
        self.pages = pages
        self.places = places  # the first few places, e.g. "page 3 text (pypdf), outline"
        self.document_ids: list[str] = []


class Cancelled(BundlerError):
    """The user cancelled; any previous output is untouched."""

    exit_code = ExitCode.INTERRUPTED
