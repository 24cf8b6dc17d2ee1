"""Issue 11: pages pathologically slow to render are flagged, and cannot hang the check."""

from __future__ import annotations

import time
from pathlib import Path

from bundler.core.preflight.render_time import slow_pages
from tests.pdfs import make_pdf


def test_ordinary_pages_draw_in_time(tmp_path: Path) -> None:
    assert slow_pages(make_pdf(tmp_path / "plain.pdf", pages=3), 3) == []


def test_a_page_over_the_limit_is_named_and_the_rest_still_checked(tmp_path: Path) -> None:
    # With no time at all, every page is "slow": each child is killed and the next goes on.
    pdf = make_pdf(tmp_path / "plain.pdf", pages=2)
    started = time.monotonic()
    assert slow_pages(pdf, 2, limit=0.001) == [1, 2]
    assert time.monotonic() - started < 30
