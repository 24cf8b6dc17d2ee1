"""Issue 11: pages pathologically slow to render are flagged, and cannot hang the check."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bundler.core.preflight.render_time import CHILD_FLAG, _child_command, slow_pages
from tests.pdfs import make_pdf


def test_ordinary_pages_draw_in_time(tmp_path: Path) -> None:
    assert slow_pages(make_pdf(tmp_path / "plain.pdf", pages=3), 3) == []


def test_a_page_over_the_limit_is_named_and_the_rest_still_checked(tmp_path: Path) -> None:
    # With no time at all, every page is "slow": each child is killed and the next goes on.
    pdf = make_pdf(tmp_path / "plain.pdf", pages=2)
    started = time.monotonic()
    assert slow_pages(pdf, 2, limit=0.001) == [1, 2]
    assert time.monotonic() - started < 30


def test_a_frozen_executable_runs_the_probe_through_its_own_entry_script(tmp_path: Path) -> None:
    # PyInstaller's executables have no "-c": the entry scripts take the child flag instead.
    pdf = make_pdf(tmp_path / "plain.pdf", pages=3)
    root = Path(__file__).resolve().parents[3]
    for script in ("bundler_cli.py", "bundler_gui.py"):
        done = subprocess.run(
            [sys.executable, str(root / "packaging" / script), CHILD_FLAG, str(pdf), "1"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=root,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["1", "2"]


def test_frozen_command_uses_the_flag(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert _child_command(tmp_path / "a.pdf", 4)[1:] == [CHILD_FLAG, str(tmp_path / "a.pdf"), "4"]
