"""A cancel reaches the legible stage (fonts and pictures checked page by page) within a page,
not at the end of a long document."""

from __future__ import annotations

from pathlib import Path

import pytest

from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_person
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.errors import Cancelled
from bundler.core.project import load_project, save_project
from tests.conftest import claim_bundle
from tests.pdfs import make_pdf

_STAGES = ("Checking the fonts", "Looking for protected names in pictures")


class _CancelInStage:
    """Cancels once ``after`` pages of the legible stage were checked; counts the pages checked."""

    def __init__(self, after: int) -> None:
        self.after, self.checked, self.in_stage = after, 0, False

    def stage(self, name: str, total: int, unit: str = "") -> None:
        self.in_stage = name in _STAGES

    def advance(self, steps: int = 1) -> None:
        if self.in_stage:
            self.checked += steps

    def cancelled(self) -> bool:
        return self.in_stage and self.checked >= self.after


def test_a_cancel_in_the_legible_stage_stops_within_a_page(tmp_path: Path, cache_dir: Path) -> None:
    bundle = claim_bundle()
    add_document(bundle, tmp_path, make_pdf(tmp_path / "long.pdf", 120, text="Farida Khanum wrote page"), "A")
    add_person(bundle, "Farida Khanum", "FK")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    progress = _CancelInStage(after=5)
    with pytest.raises(Cancelled):
        build_bundle(project, load_project(project), BuildOptions(cache_dir=cache_dir), progress)
    assert progress.checked == 5  # not the document's 120 pages
