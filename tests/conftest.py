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
