"""What every build stage is given: one frozen context, made once per build.

The public or confidential choice is made here and nowhere else: a public build
protects the register's targets (and draws its boxes); a confidential build has
no targets, so no stage anonymises, redacts or gates anything in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bundler.core.anonymise.changes import Change
from bundler.core.anonymise.terms import Target, targets_from_register
from bundler.core.build.pagemap import Numbering
from bundler.core.fsutil import KnownHashes
from bundler.core.model import Bundle
from bundler.core.progress import NullProgress, Progress
from bundler.core.report import BuildReport

__all__ = ["BuildOptions", "BuildContext"]


@dataclass(frozen=True)
class BuildOptions:
    cache_dir: Path
    output: Path | None = None
    accept_changed: bool = False  # record new hashes instead of refusing changed sources
    confidential: bool = False  # the unredacted bundle, for the court and the parties only
    force: bool = False  # a confidential build may replace a file that is not a confidential bundle
    numbering: Numbering = Numbering()
    ocr_workers: int = 0  # Tesseracts at once; 0: one per usable core


@dataclass(frozen=True)
class BuildContext:
    bundle: Bundle  # as the user arranged it (real names: the sources are read as they are)
    base: Path  # the project's folder, which document paths are relative to
    options: BuildOptions
    work: Path  # a temporary folder, gone after the build
    progress: Progress
    report: BuildReport
    targets: list[Target] = field(default_factory=list)  # empty: nothing is protected
    changes: list[Change] = field(default_factory=list)  # every redaction made, for the schedule
    textless: dict[str, list[int]] = field(default_factory=dict)  # per document: pages redaction found no text on
    hashes: KnownHashes = field(default_factory=lambda: KnownHashes(None))  # files' hashes, kept in the cache

    @classmethod
    def make(
        cls, project: Path, bundle: Bundle, options: BuildOptions, work: Path, progress: Progress | None = None
    ) -> BuildContext:
        """The context of one build of ``project``; public unless ``options.confidential``."""
        targets = [] if options.confidential else targets_from_register(bundle.register)
        report = BuildReport(output="", public=not options.confidential)
        hashes = KnownHashes(options.cache_dir)
        return cls(bundle, project.parent, options, work, progress or NullProgress(), report, targets, hashes=hashes)

    @property
    def public(self) -> bool:
        return not self.options.confidential

    @property
    def redacting(self) -> bool:
        """A public build with something to remove: a protected term or a box drawn by hand."""
        return self.public and bool(self.targets or self.bundle.register.boxes)

    @property
    def cache(self) -> Path:
        return self.options.cache_dir
