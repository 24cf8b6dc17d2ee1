from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.pdfs import CORPUS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


REQUIRE_ALL = os.environ.get("BUNDLER_TESTS_REQUIRE_ALL") == "1"


def require(ok: bool, what: str) -> None:
    """Skip when a developer lacks ``what``; fail under tests/run.sh and CI, which install it."""
    if not ok:
        (pytest.fail if REQUIRE_ALL else pytest.skip)(f"{what} is missing; tests/run.sh installs it")


@pytest.fixture
def corpus() -> Path:
    require(CORPUS.is_dir(), f"the shared corpus ({CORPUS})")
    return CORPUS


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def claim_bundle(case_name: str = "AB v Chief Constable of Wessex Police", claim_no: str = "AC-2019-LON-002345"):
    """A new JR claim bundle from the shipped template: the start of most build tests."""
    from bundler.core.model import CaseDetails
    from bundler.core.templates import new_bundle

    return new_bundle("jr-claim", CaseDetails(case_name, claim_no))


def build_saved(project: Path, bundle, **options):
    """Save ``bundle`` as ``project``, load it back (as the CLI would) and build it."""
    from bundler.core.build.context import BuildOptions
    from bundler.core.build.pipeline import build_bundle
    from bundler.core.project import load_project, save_project

    save_project(bundle, project)
    return build_bundle(project, load_project(project), BuildOptions(**options))
