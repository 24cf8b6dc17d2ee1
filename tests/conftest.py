from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.pdfs import CORPUS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (CI always has it)")
    return CORPUS


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"
